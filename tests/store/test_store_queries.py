"""Queries on hand-built records: quotes by speaker, timelines in event time, disputes,
search, and syndicated copies counted once."""

from __future__ import annotations

import pytest
from store_records import make_record

from newsgraph.store import connect, queries, write_record
from newsgraph.store.dedup import link_duplicates
from newsgraph.store.resolve import link_entities


def figure_article(
    id, published, source, who, value, category="displaced", place="Kessa", time=None, extra=""
):
    text = f"{who} said {value:,} people were {category} in {place}.{extra}"
    fig = {
        "words": f"{value:,} people",
        "value": value,
        "category": category,
        "source": who,
        "place": place,
    }
    if time:
        fig["time"] = time
    return make_record(
        id,
        text,
        published=published,
        source=source,
        entities=[(who, "ORG", [who])],
        places=[(place, place)],
        figures=[fig],
    )


@pytest.fixture
def kb(tmp_path):
    conn = connect(tmp_path / "kb.db")
    records = [
        figure_article("f1", "2026-03-03", "Wire A", "UNHCR", 4500, time="2026-03-02"),
        figure_article("f2", "2026-03-04", "Wire B", "Kessa Governorate", 12000),
        figure_article("f3", "2026-03-05", "Wire C", "Red Crescent", 4700),  # close to 4,500
        figure_article("f4", "2026-03-10", "Wire A", "UNHCR", 9000),  # another week
        figure_article("f5", "2026-03-03", "Wire D", "Health Ministry", 31, category="killed"),
        figure_article("f6", "2026-03-04", "Wire D", "Health Ministry", 35, category="killed"),
        figure_article(
            "e1",
            "2026-03-09",
            "Wire A",
            "Civil Defence",
            300,
            category="evacuated",
            place="Dessin",
            time="2026-03-01",
        ),
    ]
    # A syndicated copy of f2 must not make the governor's figure count twice.
    copy = dict(records[1], id="f2-copy", source="Reprint Daily", published="2026-03-05")
    records.append(copy)
    speech = 'Karim Nasser said: "We will not stop." Later "Nothing changes," Nasser added.'
    records.append(
        make_record(
            "q1",
            speech,
            published="2026-03-06",
            entities=[("Karim Nasser", "PERSON", ["Karim Nasser"])],
            quotes=[
                ("We will not stop.", "Karim Nasser", "Karim Nasser"),
                ("Nothing changes,", "Karim Nasser", "Nasser"),
            ],
        )
    )
    records.append(
        make_record(
            "q2",
            'Karim Naser insisted: "The army holds."',
            published="2026-03-07",
            entities=[("Karim Naser", "PERSON", ["Karim Naser"])],
            quotes=[("The army holds.", "Karim Naser", "Karim Naser")],
        )
    )
    text = "Forces shelled Kessa on Monday. Talks began in Kessa on Friday."
    records.append(
        make_record(
            "ev",
            text,
            published="2026-03-20",
            places=[("Kessa", "Kessa")],
            events=[
                {
                    "words": "Talks",
                    "sentence": "Talks began in Kessa on Friday.",
                    "type": "CONSULT",
                    "place": "Kessa",
                    "time": "2026-03-13",
                },
                {
                    "words": "shelled",
                    "sentence": "Forces shelled Kessa on Monday.",
                    "type": "ASSAULT",
                    "place": "Kessa",
                    "time": "2026-03-09",
                },
            ],
        )
    )
    for r in records:
        write_record(conn, r)
    with conn:
        link_duplicates(conn)
        link_entities(conn)
        queries.store_disputes(conn)
    return conn


def test_syndicated_copy_is_linked_to_its_original(kb):
    rows = kb.execute("SELECT article_id, original_id FROM duplicates").fetchall()
    assert [tuple(r) for r in rows] == [("f2-copy", "f2")]


def test_disputes_group_same_category_place_week_from_different_sources(kb):
    rows = queries.disputes(kb)
    groups = {}
    for r in rows:
        groups.setdefault(r["dispute"], []).append(r)
    keys = {(g[0]["category"], g[0]["place"], g[0]["period"]) for g in groups.values()}
    # killed: one source revising 31 -> 35 is no dispute; evacuated: one figure only.
    assert keys == {("displaced", "Kessa", "2026-W10")}
    (group,) = groups.values()
    assert [(r["reported_by"], r["value"]) for r in group] == [
        ("UNHCR", 4500),
        ("Red Crescent", 4700),
        ("Kessa Governorate", 12000),
    ]
    assert all(r["article_id"] != "f2-copy" for r in group)
    assert group[-1]["sentence"] == "Kessa Governorate said 12,000 people were displaced in Kessa."


def test_disputes_ignore_differences_within_the_margin(kb):
    assert queries.disputes(kb, margin=2.0) == []


def test_stored_disputes_are_the_computed_ones(kb):
    stored = queries.disputes(kb)
    assert stored and stored == queries.compute_disputes(kb)


def test_quotes_by_any_spelling_of_the_speaker(kb):
    for name in ("Karim Nasser", "Karim Naser", "karim nasser"):
        rows = queries.quotes(kb, speaker=name)
        assert [r["quote"] for r in rows] == [
            "We will not stop.",
            "Nothing changes,",
            "The army holds.",
        ]
    assert queries.quotes(kb, speaker="Leila Nasser") == []


def test_timeline_orders_by_when_things_happened_not_publication(kb):
    rows = queries.timeline(kb, place="Kessa")
    events = [(r["when"], r["what"]) for r in rows if r["kind"] == "event"]
    assert events == [("2026-03-09", "ASSAULT"), ("2026-03-13", "CONSULT")]
    whens = [r["when"] for r in rows]
    assert whens == sorted(whens)
    first = rows[0]
    assert (
        first["kind"] == "figure" and first["when"] == "2026-03-02" and first["dated_by"] == "text"
    )
    window = queries.timeline(kb, place="Kessa", date_from="2026-03-08", date_to="2026-03-10")
    assert {r["what"] for r in window} == {"ASSAULT", "displaced: 9000"}
    dessin = queries.timeline(kb, place="Dessin")
    assert [r["when"] for r in dessin] == ["2026-03-01"]  # the text's date, not 03-09


def test_timeline_by_entity_and_figures_filter(kb):
    rows = queries.timeline(kb, entity="UNHCR")
    assert [r["what"] for r in rows] == ["displaced: 4500", "displaced: 9000"]
    figs = queries.figures(kb, category="killed", place="Kessa")
    assert [f["value"] for f in figs] == [31, 35]
    assert queries.figures(kb, category="displaced", place="Dessin") == []


def test_search_finds_articles_and_quotes(kb):
    hits = queries.search(kb, "army holds")
    assert {(h["kind"], h["article_id"]) for h in hits} >= {("quote", "q2"), ("article", "q2")}
    assert queries.search(kb, "zzzz-not-there") == []
    assert queries.search(kb, 'quote " and ( brackets') is not None  # no FTS syntax errors


def test_summary_counts(kb):
    s = queries.summary(kb)
    assert s["counts"]["articles"] == 11 and s["counts"]["duplicates"] == 1


def test_material_difference_needs_two_sources():
    from newsgraph.store.queries import _material

    assert not _material({"a": [10, 50]}, 0.1)  # one source revising itself
    assert _material({"a": [10], "b": [50]}, 0.1)
    assert not _material({"a": [100], "b": [105]}, 0.1)  # within the margin
    assert _material({"a": [10, 50], "b": [30]}, 0.1)  # the extremes from one source
    assert _material({"a": [100, 300], "b": [104, 290]}, 0.1)  # 300 vs 104


def test_sentence_bounds():
    from newsgraph.store.text import sentence_at

    text = 'One. UNHCR said 4,500 people fled. "We go," she said.\nA new line'
    at = text.index("4,500")
    assert sentence_at(text, at, at + 5) == "UNHCR said 4,500 people fled."
    at = text.index("We go")
    assert sentence_at(text, at, at + 5) == '"We go," she said.'
    assert sentence_at(text, text.index("new"), text.index("new") + 3) == "A new line"


def test_a_write_after_the_rebuild_means_disputes_are_computed_afresh(kb):
    before = queries.disputes(kb)
    write_record(kb, figure_article("f9", "2026-03-05", "Wire E", "Civil Defence", 30000))
    after = queries.disputes(kb)  # no rebuild yet: computed now, with the new figure
    assert len(after) == len(before) + 1
    assert 30000 in {r["value"] for r in after}
