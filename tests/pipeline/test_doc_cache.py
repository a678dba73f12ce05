"""Lookups kept once per Doc give what spaCy's own (whole-document) lookups give."""

from __future__ import annotations

import pytest

from newsgraph.pipeline.doc_cache import (
    doc_text,
    entity_span_of,
    is_sentence_start,
    sentence_of,
    sentences_between,
)
from newsgraph.pipeline.entities import entity_at

pytestmark = pytest.mark.model

TEXT = (
    "Rebels shelled Kessa on Monday. The governor, Amina Farouk, said 12 people died.\n\n"
    '"We need help," she said. The World Food Programme sent trucks from Aleppo to Kessa, '
    "and Farouk thanked the agency on Tuesday."
)


@pytest.fixture(scope="module")
def doc(nlp):
    from newsgraph.pipeline import make_doc

    return nlp(make_doc(nlp, TEXT, "2016-12-16"))


def test_sentences_and_text_match_spacy(doc):
    assert doc_text(doc) == doc.text == TEXT
    for token in doc:
        assert sentence_of(token) == token.sent
        assert is_sentence_start(doc, token.i) == bool(token.is_sent_start)
    for ent in doc.ents:
        assert sentence_of(ent) == ent.sent


def test_a_tokens_entity_is_the_one_in_doc_ents(doc):
    for token in doc:
        want = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        got = entity_span_of(token)
        if want is None:
            assert got is None
        else:
            assert (got.start, got.end, got.label_) == (want.start, want.end, want.label_)


def test_entity_at_by_bisection_matches_a_scan_of_every_mention(doc):
    def scan(start: int, end: int) -> str | None:
        best = None
        for entity in doc._.entities:
            for m in entity.mentions:
                overlap = min(end, m.end) - max(start, m.start)
                if overlap > 0 and (best is None or overlap > best[0]):
                    best = (overlap, entity.id)
        return best[1] if best else None

    assert doc._.entities
    for start in range(0, len(TEXT), 3):
        for width in (1, 5, 12, 40):
            assert entity_at(doc, start, start + width) == scan(start, start + width)


def test_sentences_between_two_offsets_are_those_holding_a_character_of_them(doc):
    sents = list(doc.sents)
    for start in range(0, len(TEXT), 7):
        for width in (1, 30, 90, 400):
            end = min(start + width, len(TEXT))
            want = [s for s in sents if s.start_char < end and s.end_char > start]
            got = sentences_between(doc, start, end)
            # Whitespace between sentences belongs to neither: then a neighbour may come too.
            assert [s for s in got if s.start_char < end and s.end_char > start] == want
            assert all(w in got for w in want)
