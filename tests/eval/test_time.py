"""The TimeML reader and the TempEval-3 timex scorer, on a tiny TimeML document we write."""

from __future__ import annotations

import pytest

from newsgraph.eval.time import Timex, parse_timeml, score

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2016-12-16" temporalFunction="false"
 functionInDocument="CREATION_TIME">December 16, 2016</TIMEX3></DCT>
<TEXT>
The convoy <EVENT eid="e1">left</EVENT> <TIMEX3 tid="t1" type="DATE" value="2016-12-15">yesterday\
</TIMEX3> &amp; the talks <EVENT eid="e2">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" \
value="P3D">three days</TIMEX3>. They resume <TIMEX3 tid="t3" type="DATE" \
value="2016-12-19">Monday</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_parse_timeml_text_offsets_and_dct():
    doc = parse_timeml(TML, "t1.tml")
    assert doc.dct == "2016-12-16"
    assert "&amp;" not in doc.text and "<" not in doc.text
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("yesterday", "DATE", "2016-12-15"),
        ("three days", "DURATION", "P3D"),
        ("Monday", "DATE", "2016-12-19"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text
    # The DCT is not a timex to find in the text.
    assert all(t.value != "2016-12-16" for t in doc.timexes)


def test_score_relaxed_strict_type_and_value():
    doc = parse_timeml(TML)
    gold = doc.timexes
    y, d, m = gold
    system = [
        Timex(y.start, y.end, y.text, "DATE", "2016-12-15"),  # exact, right value
        Timex(d.start + 6, d.end, "days", "DURATION", "PXD"),  # overlap only, wrong value
        Timex(0, 3, "The", "DATE", "PRESENT_REF"),  # spurious
    ]  # Monday missed
    m_ = score([(gold, system)])
    assert m_["relaxed"]["precision"] == pytest.approx(2 / 3)
    assert m_["relaxed"]["recall"] == pytest.approx(2 / 3)
    assert m_["strict"]["precision"] == pytest.approx(1 / 3)
    assert m_["strict"]["recall"] == pytest.approx(1 / 3)
    assert m_["type_accuracy"] == 1.0
    assert m_["value_accuracy"] == 0.5
    assert m_["value"]["f1"] == pytest.approx(1 / 3)
    assert m.text == "Monday"


def test_one_system_timex_matches_one_gold_timex():
    gold = [Timex(0, 5, "a", "DATE", "1"), Timex(6, 10, "b", "DATE", "2")]
    system = [Timex(0, 10, "ab", "DATE", "1")]
    m = score([(gold, system)])
    assert m["relaxed"]["recall"] == 0.5
    assert m["relaxed"]["precision"] == 1.0


@pytest.mark.model
def test_evaluate_runs_the_pipeline(nlp, tmp_path):
    from newsgraph.eval.time import evaluate

    (tmp_path / "t1.tml").write_text(TML, encoding="utf-8")
    m = evaluate([tmp_path], nlp=nlp)
    assert m["documents"] == 1 and m["gold"] == 3
    assert m["strict"]["f1"] == 1.0
    assert m["value"]["f1"] == 1.0


def test_value_f1_is_relaxed_f1_times_value_accuracy():
    # TempEval-3's official script reports attribute F1 as relaxed-match F1 x accuracy.
    gold = [Timex(i * 10, i * 10 + 5, "g", "DATE", str(i)) for i in range(5)]
    system = [
        Timex(0, 5, "s", "DATE", "0"),
        Timex(12, 14, "s", "DATE", "1"),
        Timex(20, 25, "s", "DATE", "wrong"),
        Timex(50, 55, "s", "DATE", "spurious"),
    ]
    m = score([(gold, system)])
    assert m["value"]["f1"] == pytest.approx(m["relaxed"]["f1"] * m["value_accuracy"])
    assert m["value"]["f1"] == pytest.approx(2 * 2 / (4 + 5))


def test_error_rows_name_each_loss_with_its_context(tmp_path):
    from newsgraph.eval.time import write_errors

    doc = parse_timeml(TML, "t1.tml")
    y, d, _ = doc.timexes
    system = [
        Timex(y.start, y.end, y.text, "DATE", "2016-12-15"),  # right: no row
        Timex(d.start, d.end, d.text, "DURATION", "P2D"),  # wrong value
        Timex(0, 3, "The", "DATE", "PRESENT_REF"),  # spurious
    ]  # Monday missed
    out = tmp_path / "errors.tsv"
    write_errors(out, [doc], [system])
    header, *lines = out.read_text(encoding="utf-8").splitlines()
    rows = [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]
    assert [(r["kind"], r["gold_text"], r["system_value"]) for r in rows] == [
        ("value", "three days", "P2D"),
        ("missed", "Monday", ""),
        ("spurious", "", "PRESENT_REF"),
    ]
    assert rows[0]["gold_value"] == "P3D" and rows[0]["document"] == "t1.tml"
    assert "[[three days]]" in rows[0]["context"]


@pytest.mark.parametrize(
    "text, gold, ours, dct, note",
    [
        ("50 years ago", "1949-XX", "1949", "1999-02-16", "gold form is not TimeML's"),
        ("last week", "2000-W7", "2000-W05", "2000-02-10", "gold form is not TimeML's"),
        ("5 p.m.", "1989-11-06T17", "1989-11-06T17:00", "1989-10-30", "gold form is not TimeML's"),
        (
            "last week",
            "1989-WXX",
            "1989-W43",
            "1989-10-30",
            "gold leaves unknown what the text fixes",
        ),
        ("Friday night", "2000-01-07", "2000-01-07TNI", "2000-01-07", "gold drops the part of day"),
        (
            "Tuesday",
            "1990-08-07",
            "1990-08-14",
            "1990-08-15",
            "gold weekday is a week or more from the DCT",
        ),
        ("in 1988", "1998", "1988", "1989-11-02", "gold year is not the one written"),
        # Disagreements the checks cannot pin on the gold get no note.
        ("last Tuesday", "1990-08-07", "1990-08-14", "1990-08-15", ""),
        ("a year earlier", "1988", "1988-Q3", "1989-10-26", ""),
        ("Friday", "1998-08-14", "1998-08-21", "1998-08-20", ""),
    ],
)
def test_gold_note_flags_only_what_a_check_can_show(text, gold, ours, dct, note):
    from newsgraph.eval.time import gold_note

    assert gold_note(Timex(0, len(text), text, "DATE", gold), ours, dct) == note
