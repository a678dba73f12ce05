"""The base-parse cache the scorers share: same docs with or without it, never stale."""

from __future__ import annotations

import pytest

from newsgraph.eval.parses import base_parses, cache_path, run_ours

pytestmark = pytest.mark.model

TEXTS = ["The talks resume on Monday in Geneva.", "Rebels left Aleppo yesterday, officials said."]
DATES = ["2016-12-16", None]


def _times(nlp, docs):
    return [[(t.text, t.value) for t in run_ours(nlp, d)._.times] for d in docs]


def test_cached_parses_give_the_same_records(nlp, tmp_path):
    fresh = base_parses(nlp, TEXTS, None, published=DATES)
    first = base_parses(nlp, TEXTS, tmp_path, "t", DATES)  # parses and stores
    (stored,) = tmp_path.glob("t-*.spacy")
    again = base_parses(nlp, TEXTS, tmp_path, "t", DATES)  # reads the file back
    assert [d._.published for d in again] == DATES
    assert [[t.dep_ for t in d] for d in again] == [[t.dep_ for t in d] for d in fresh]
    assert _times(nlp, again) == _times(nlp, first) == _times(nlp, fresh)
    assert _times(nlp, again)[0] == [("Monday", "2016-12-19")]
    assert stored.exists()


def test_the_cache_is_keyed_by_the_texts_not_their_names(nlp, tmp_path):
    edited = [TEXTS[0].replace("Monday", "Tuesday"), TEXTS[1]]
    assert cache_path(nlp, TEXTS, tmp_path, "t") != cache_path(nlp, edited, tmp_path, "t")
    base_parses(nlp, TEXTS, tmp_path, "t", DATES)
    docs = base_parses(nlp, edited, tmp_path, "t", DATES)
    assert docs[0].text == edited[0]
    assert len(list(tmp_path.glob("t-*.spacy"))) == 2
