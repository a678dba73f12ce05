"""The base model's parses of a gold set, kept between runs of a scorer.

Iterating on one of our components re-runs only that component: the tagger, parser and NER
parses come from a spaCy DocBin in the cache directory. The file is keyed by the model's
name and version and by the texts themselves, so an edited gold file or another model never
reuses a stale parse; results are the same with or without the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin


def cache_path(nlp: Language, texts: Sequence[str], cache: Path, prefix: str) -> Path:
    digest = hashlib.sha256(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return Path(cache) / f"{prefix}-{digest.hexdigest()[:16]}.spacy"


def ours(nlp: Language) -> list[str]:
    """The names of newsgraph's components in `nlp`, in pipeline order."""
    return [name for name in nlp.pipe_names if name.startswith("newsgraph_")]


def base_parses(
    nlp: Language,
    texts: Sequence[str],
    cache: Path | None = None,
    prefix: str = "parses",
    published: Sequence[str | None] | None = None,
) -> list[Doc]:
    """`texts` through `nlp` without our components, from `cache` when it holds them.

    `published` gives each doc its publication date (our components read it)."""
    from newsgraph.pipeline import make_doc

    dates = list(published) if published is not None else [None] * len(texts)
    path = cache_path(nlp, texts, cache, prefix) if cache is not None else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        with nlp.select_pipes(disable=ours(nlp)):
            made = (make_doc(nlp, t, d) for t, d in zip(texts, dates, strict=True))
            docs = list(nlp.pipe(made, batch_size=16))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            DocBin(store_user_data=False, docs=docs).to_disk(path)
    for doc, d in zip(docs, dates, strict=True):
        doc._.published = d
    return docs


def run_ours(nlp: Language, doc: Doc) -> Doc:
    """`doc` (a base parse) through each of our components in `nlp`."""
    for name in ours(nlp):
        doc = nlp.get_pipe(name)(doc)
    return doc
