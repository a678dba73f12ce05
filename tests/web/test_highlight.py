from newsgraph.web.highlight import Highlight, render_highlighted


def test_text_is_escaped_and_spans_wrapped():
    text = 'Ana <script>alert(1)</script> said "no" & left.'
    html = render_highlighted(
        text,
        [
            Highlight(0, 3, "speaker", "q1s", "speaker: Ana Lopes"),
            Highlight(36, 38, "quote", "q1", "direct"),
        ],
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="anchor" id="span-q1s"></a><span class="hl hl-speaker"' in html
    assert 'data-info="speaker: Ana Lopes"' in html
    assert "&amp; left." in html


def test_nested_and_crossing_spans_cover_every_character_once():
    text = "Officials in Kessa said 40 people fled."
    spans = [
        Highlight(0, 39, "event", "v1", "COERCE"),
        Highlight(13, 18, "place", "p1", "Kessa"),
        Highlight(24, 33, "figure", "f1", "40 displaced"),
        Highlight(20, 30, "time", "t1", "odd crossing span"),
    ]
    html = render_highlighted(text, spans)
    # Stripping the markup gives back the text exactly once.
    import re

    assert re.sub(r"<[^>]+>", "", str(html)) == text
    assert html.count('id="span-') == 4
    kessa = re.search(r'<span class="([^"]+)"[^>]*>Kessa</span>', str(html))
    assert kessa and kessa.group(1) == "hl hl-event hl-place"


def test_spans_outside_the_text_are_ignored():
    html = render_highlighted(
        "short", [Highlight(2, 99, "time", "t", "x"), Highlight(3, 3, "time", "u", "y")]
    )
    assert str(html) == "short"
