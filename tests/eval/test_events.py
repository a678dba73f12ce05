"""The PLOVER events scorer: reading the gold file, actor matching, metrics."""

from __future__ import annotations

import json

import pytest

from newsgraph.eval.events import actor_matches, read_plover


def _write(tmp_path, items, as_array=True):
    path = tmp_path / "gold.txt"
    if as_array:
        path.write_text(json.dumps(items), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(x) for x in items), encoding="utf-8")
    return path


GOLD = [
    {"id": "doc", "event": "DOCUMENT", "eventText": "internal documentation"},
    {
        "id": "a",
        "event": "DEMAND",
        "text": "The council demanded that the army leave the town.",
        "source": [{"actorText": "council"}],
        "target": [{"actorText": "army"}],
    },
    {
        "id": "b",
        "event": "FIGHT",
        "text": "Rebels shelled the airport on Monday.",
        "source": [{"actorText": "Rebels"}],
        "target": "",
    },
    {
        "id": "c",
        "event": "DISAPPROVE",
        "text": "The minister condemned the raid.",
        "source": [{"actorText": "minister"}],
    },
]


@pytest.mark.parametrize("as_array", [True, False])
def test_read_plover_maps_old_categories_and_skips_documents(tmp_path, as_array):
    records = read_plover(_write(tmp_path, GOLD, as_array))
    assert [r.type for r in records] == ["REQUEST", "ASSAULT", "ACCUSE"]
    assert records[0].sources == ["council"] and records[0].targets == ["army"]
    assert records[1].targets == []


def test_actor_matching_is_by_content_words():
    assert actor_matches(["the Syrian army"], ["Syrian military"])
    assert actor_matches([None, "Samantha Power"], ["Power"])
    assert not actor_matches(["the army"], ["the rebels"])
    assert not actor_matches([None], ["rebels"])
    assert not actor_matches(["the"], ["The rebels"])  # stopwords never match


@pytest.mark.model
def test_evaluate_small_file(tmp_path, nlp):
    from newsgraph.eval.events import evaluate, format_report

    metrics = evaluate(_write(tmp_path, GOLD), nlp=nlp)
    assert metrics["records"] == 3
    assert metrics["type_accuracy"] == pytest.approx(1.0)
    assert metrics["first_type_accuracy"] == pytest.approx(1.0)
    assert metrics["source_accuracy"] == pytest.approx(1.0)
    assert 0 < metrics["events_time_share"] < 1
    assert "type accuracy" in format_report(metrics)


@pytest.mark.model
@pytest.mark.shared
@pytest.mark.slow
def test_plover_gold_done_when(shared_dir, nlp):
    from newsgraph.eval.events import evaluate

    path = shared_dir / "eval" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.exists():
        pytest.skip("PLOVER gold absent")
    metrics = evaluate(path, nlp=nlp)
    assert metrics["type_accuracy"] >= 0.70
    assert metrics["first_type_accuracy"] >= 0.60
    assert metrics["distinct_types_per_record"] <= 1.5
