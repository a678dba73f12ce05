"""Small text helpers for answers that show the words a fact came from."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n")


def sentence_bounds(text: str, start: int, end: int, window: int = 600) -> tuple[int, int]:
    """(start, end) of the sentence (or line) of `text` holding [start, end).

    A sentence ends at . ! or ? (and any closing quotes) followed by white space, or at a
    line break; the search looks at most `window` characters either side.
    """
    lo = max(0, start - window)
    begin = lo
    for m in _BOUNDARY.finditer(text, lo, start):
        begin = m.end()
    stop = min(len(text), end + window)
    m = _BOUNDARY.search(text, max(end - 1, begin), stop)
    finish = m.start() if m else stop
    while begin < finish and text[begin].isspace():
        begin += 1
    while finish > begin and text[finish - 1].isspace():
        finish -= 1
    return begin, max(finish, min(end, len(text)))


def sentence_at(text: str, start: int, end: int, window: int = 600) -> str:
    """The sentence (or line) of `text` holding [start, end), whitespace collapsed."""
    begin, finish = sentence_bounds(text, start, end, window)
    return " ".join(text[begin:finish].split())
