"""Small text helpers for answers that show the words a fact came from."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n|\n")


def sentence_at(text: str, start: int, end: int, window: int = 600) -> str:
    """The sentence (or line) of `text` holding [start, end), whitespace collapsed."""
    lo = max(0, start - window)
    begin = lo
    for m in _BOUNDARY.finditer(text, lo, start):
        begin = m.end()
    stop = min(len(text), end + window)
    m = _BOUNDARY.search(text, end, stop)
    finish = m.start() if m else stop
    return " ".join(text[begin:finish].split())
