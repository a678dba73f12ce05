"""Offsets are sacred: every span of every record points at its own words."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.record import SECTIONS, iter_spans

# Pieces of news prose (our own), combined at random into articles.
NAMES = [
    "Maria Lindqvist",
    "Lindqvist",
    "Omar Farouk",
    "the Red Cross",
    "UNICEF",
    "Nordland",
    "Kessa",
    "Paris",
    "Texas",
    "Georgia",
    "the UN",
    "Reuters",
    "President Aldo Marin",
    "he",
]
VERBS = [
    "said",
    "told reporters",
    "warned",
    "shelled",
    "met",
    "accused",
    "called for talks with",
    "reported that",
    "denied attacking",
    "fled to",
    "evacuated",
]
FIGURES = [
    "12 civilians",
    "about 4,500 people",
    "at least 30 children",
    "hundreds of families",
    "between 200 and 300 fighters",
    "six thousand refugees",
    "1.2 million people",
]
TIMES = [
    "on Monday",
    "yesterday",
    "this week",
    "on 3 March 2021",
    "last year",
    "this morning",
    "for three days",
    "every week",
    "in the 1990s",
    "at 3 p.m.",
]
QUOTES = ['"We will not leave," ', "“They bombed the market,” ", "'a tragedy' ", "« Enough » "]
PUNCT = [". ", ", ", "; ", "\n\n", ": ", "’s ", " - "]

fragment = st.sampled_from(NAMES + VERBS + FIGURES + TIMES + QUOTES + PUNCT)
article = st.lists(fragment, min_size=3, max_size=40).map(lambda parts: " ".join(parts).strip())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=article, published=st.sampled_from([None, "2021-03-05", "2016-12-16T09:30:00"]))
def test_every_span_matches_its_text(extract_one, text, published):
    if not text.strip():
        return
    record = extract_one(text, published)
    assert record["text"] == text
    for start, end, mention in iter_spans(record):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == mention


def test_record_has_every_contract_section(extract_one):
    record = extract_one("Aid workers reached the town of Kessa on Monday.", "2021-03-05")
    for key in ("id", "published", "source", "url", "title", "text", *SECTIONS):
        assert key in record
    assert record["published"] == "2021-03-05"
    assert all(isinstance(record[s], list) for s in SECTIONS)


def test_seed_offsets(seed_record):
    text = seed_record["text"]
    spans = list(iter_spans(seed_record))
    assert spans, "the seed article yields spans"
    for start, end, mention in spans:
        assert text[start:end] == mention
