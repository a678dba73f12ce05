"""Lookups in a Doc that stay cheap on long texts.

spaCy builds `Doc.text` anew, joining every token, on each access; `Token.sent` and
`Span.sent` first ask `doc.has_annotation("SENT_START")`, which reads every token; and
`doc.ents` makes a Span for every entity. Asked once per mention, each made a 1M-character
article take minutes. Here the text, the sentence starts and the token offsets are kept in
`doc.user_data` the first time they are asked for (every component reads the one copy), a
sentence is found by bisection, and a token's entity is read from the IOB tags around it.
"""

from __future__ import annotations

import bisect
import itertools

from spacy.tokens import Doc, Span, Token

_TEXT = "newsgraph.text"
_STARTS = "newsgraph.sentence_starts"
_TOKEN_STARTS = "newsgraph.token_starts"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def sentence_starts(doc: Doc) -> list[int]:
    """The index of each sentence's first token ([0] for a text without sentences)."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        parsed = len(doc) > 0 and doc.has_annotation("SENT_START")
        starts = [s.start for s in doc.sents] if parsed else [0]
        doc.user_data[_STARTS] = starts
    return starts


def sentence_of(item: Token | Span) -> Span:
    """The sentence a token is in, or the sentences a span runs across (as `.sent`)."""
    doc = item.doc
    first, last = (item.i, item.i) if isinstance(item, Token) else (item.start, item.end - 1)
    starts = sentence_starts(doc)
    k = bisect.bisect_right(starts, first) - 1
    j = bisect.bisect_right(starts, max(first, last))
    end = starts[j] if j < len(starts) else len(doc)
    return doc[starts[max(k, 0)] : end]


def token_starts(doc: Doc) -> list[int]:
    """The character offset of each token."""
    starts = doc.user_data.get(_TOKEN_STARTS)
    if starts is None:
        starts = doc.user_data[_TOKEN_STARTS] = doc.to_array("IDX").tolist() if len(doc) else []
    return starts


def sentences_between(doc: Doc, start_char: int, end_char: int) -> list[Span]:
    """The sentences that hold any character of [start_char, end_char)."""
    if not len(doc) or end_char <= start_char:
        return []
    chars = token_starts(doc)
    first = max(bisect.bisect_right(chars, start_char) - 1, 0)
    last = max(bisect.bisect_left(chars, end_char) - 1, first)
    starts = sentence_starts(doc)
    lo = max(bisect.bisect_right(starts, first) - 1, 0)
    hi = bisect.bisect_right(starts, last)
    bounds = [*starts[lo:hi], starts[hi] if hi < len(starts) else len(doc)]
    return [doc[a:b] for a, b in itertools.pairwise(bounds)]


def is_sentence_start(doc: Doc, i: int) -> bool:
    """Does token `i` open a sentence (known from the parse or the sentencizer)?"""
    starts = sentence_starts(doc)
    k = bisect.bisect_left(starts, i)
    return k < len(starts) and starts[k] == i


def entity_span_of(token: Token) -> Span | None:
    """The named-entity span a token is in, read from the IOB tags (no scan of doc.ents)."""
    doc = token.doc
    if not token.ent_type_:
        return None
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)
