"""Article text with its spans highlighted: escaped text, one element per segment.

Spans of different kinds nest and overlap (a speaker inside a quote's sentence, a place
inside an event clause), so the text is cut at every span boundary and each segment is
wrapped once, carrying the kinds and ids of all spans that cover it. The first segment of
a span carries its anchor (`id="span-..."`), so lists beside the text can link to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str  # entity, place, time, quote, speaker, figure, source, event
    id: str  # unique within the article, used as the anchor "span-<id>"
    label: str  # the normalized value shown on hover/focus
    href: str | None = None


def render_highlighted(text: str, spans: list[Highlight]) -> Markup:
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Highlight]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
    out: list[str] = []
    for left, right in pairwise(cuts):
        segment = escape(text[left:right])
        covering = [s for s in spans if s.start <= left and right <= s.end]
        if not covering:
            out.append(segment)
            continue
        # The innermost span speaks for the segment on hover; all kinds colour it.
        covering.sort(key=lambda s: (s.end - s.start, s.kind))
        inner = covering[0]
        anchors = "".join(
            f'<a class="anchor" id="span-{escape(s.id)}"></a>' for s in starts.get(left, [])
        )
        classes = " ".join(sorted({f"hl-{s.kind}" for s in covering}))
        labels = " | ".join(dict.fromkeys(s.label for s in covering))
        out.append(
            f'{anchors}<span class="hl {classes}" tabindex="0" data-ids="'
            f'{escape(" ".join(s.id for s in covering))}" data-kind="{escape(inner.kind)}" '
            f'data-info="{escape(labels)}">{segment}</span>'
        )
    return Markup("".join(out))
