"""Readers: turn files, directories and standard input into Articles.

Every reader yields either an :class:`Article` or an :class:`InputError`; a bad input
never stops the batch, and each error names the input (file, or file:line) and the problem.
"""

from __future__ import annotations

from newsgraph.ingest.article import Article, InputError, article_id, parse_published
from newsgraph.ingest.readers import SUFFIXES, read_inputs, read_jsonl_lines, read_text_article

__all__ = [
    "SUFFIXES",
    "Article",
    "InputError",
    "article_id",
    "parse_published",
    "read_inputs",
    "read_jsonl_lines",
    "read_text_article",
]
