"""The CoNLL-2003 NER scorer: reading IOB1, mapping labels, counting exact matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.eval.ner import LABEL_MAP, evaluate, iob1_spans, read_conll, report, score

SAMPLE = """-DOCSTART- -X- O O

Greta NNP I-NP I-PER
Lindqvist NNP I-NP I-PER
visited VBD I-VP O
Lisbon NNP I-NP I-LOC
. . O O

The DT I-NP O
Harbour NNP I-NP I-ORG
Authority NNP I-NP I-ORG
thanked VBD I-VP O
Reuters NNP I-NP I-ORG
. . O O

-DOCSTART- -X- O O

Kenyan JJ I-NP I-MISC
farmers NNS I-NP O
met VBD I-VP O
in IN I-PP O
Nairobi NNP I-NP I-LOC
Nairobi NNP I-NP B-LOC
. . O O
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.conll"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_read_conll_splits_documents_and_spans(sample: Path) -> None:
    docs = read_conll(sample)
    assert len(docs) == 2
    first, second = docs
    assert first.words[:2] == ["Greta", "Lindqvist"]
    assert first.gold == {(0, 2, "PER"), (3, 4, "LOC"), (6, 8, "ORG"), (9, 10, "ORG")}
    assert first.sent_starts[5] is True and first.sent_starts[6] is False
    # B- starts a new span right after one of the same type.
    assert second.gold == {(0, 1, "MISC"), (4, 5, "LOC"), (5, 6, "LOC")}


def test_iob1_spans_break_at_sentence_starts() -> None:
    tags = ["I-LOC", "I-LOC", "I-LOC"]
    assert iob1_spans(tags) == {(0, 3, "LOC")}
    assert iob1_spans(tags, [True, False, True]) == {(0, 2, "LOC"), (2, 3, "LOC")}


def test_label_map() -> None:
    assert LABEL_MAP["PERSON"] == "PER"
    assert LABEL_MAP["GPE"] == LABEL_MAP["FAC"] == LABEL_MAP["LOC"] == "LOC"
    assert LABEL_MAP["NORP"] == "MISC"
    assert "DATE" not in LABEL_MAP and "CARDINAL" not in LABEL_MAP


def test_score_exact_span_and_type() -> None:
    gold = {(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "ORG")}
    pred = {(0, 2, "PER"), (3, 4, "ORG"), (7, 8, "MISC")}
    m = score([(gold, pred)])
    assert m["overall"]["correct"] == 1
    assert m["overall"]["precision"] == pytest.approx(33.3)
    assert m["overall"]["recall"] == pytest.approx(33.3)
    assert m["PER"]["f1"] == 100.0
    assert m["LOC"]["recall"] == 0.0
    assert m["MISC"]["precision"] == 0.0


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.conll"
    path.write_text("Greta NNP I-PER\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.conll:1:"):
        read_conll(path)


@pytest.mark.model
def test_evaluate_scores_both_systems(nlp, sample: Path) -> None:
    result = evaluate(sample, nlp=nlp)
    assert result["documents"] == 2
    assert set(result) >= {"bare", "newsgraph"}
    ours = result["newsgraph"]["overall"]
    assert ours["gold"] == 7
    # Reuters is a known news agency: our component finds and types it.
    assert ours["correct"] >= result["bare"]["overall"]["correct"]
    assert "bare en_core_web_sm" in report(result)
