from __future__ import annotations

import copy

import pyarrow as pa
import pytest

from newsgraph.tables import (
    SCHEMAS,
    TABLES,
    content_hash,
    record_tables,
    records_tables,
    tables_to_records,
    to_arrow,
    with_optional_fields,
)

TEXT = (
    "UNHCR said 4,500 people were displaced in Kessa on Tuesday. "
    '"We have nowhere to go," said Amira Haddad. Government forces shelled Kessa.'
)


def kessa_record(id: str = "a1", **overrides):
    """One hand-built record with one of everything (offsets into TEXT)."""
    record = {
        "id": id,
        "published": "2026-03-04",
        "source": "Test Wire",
        "url": None,
        "title": None,
        "text": TEXT,
        "pipeline": "test",
        "entities": [
            {
                "id": "E1",
                "name": "UNHCR",
                "type": "ORG",
                "titles": [],
                "affiliation": None,
                "mentions": [{"start": 0, "end": 5, "text": "UNHCR"}],
            },
            {
                "id": "E2",
                "name": "Amira Haddad",
                "type": "PERSON",
                "titles": ["teacher"],
                "affiliation": "XK",
                "mentions": [{"start": 90, "end": 102, "text": "Amira Haddad"}],
            },
        ],
        "places": [
            {
                "id": "P1",
                "name": "Kessa",
                "geonameid": 1001,
                "lat": 36.0,
                "lon": 38.0,
                "country": "XK",
                "feature": "PPLA",
                "entity": None,
                "confidence": 0.9,
                "mentions": [
                    {"start": 42, "end": 47, "text": "Kessa"},
                    {"start": 130, "end": 135, "text": "Kessa"},
                ],
            },
        ],
        "times": [
            {"start": 51, "end": 58, "text": "Tuesday", "type": "DATE", "value": "2026-03-03"}
        ],
        "quotes": [
            {
                "start": 61,
                "end": 83,
                "text": "We have nowhere to go,",
                "kind": "direct",
                "speaker": "E2",
                "speaker_text": "Amira Haddad",
                "speaker_start": 90,
                "speaker_end": 102,
                "cue": "said",
            }
        ],
        "figures": [
            {
                "start": 11,
                "end": 23,
                "text": "4,500 people",
                "value": 4500,
                "approximate": False,
                "unit": "people",
                "category": "displaced",
                "source": "E1",
                "source_text": "UNHCR",
                "source_start": 0,
                "source_end": 5,
                "place": "P1",
                "time": "2026-03-03",
            }
        ],
        "events": [
            {
                "start": 104,
                "end": 136,
                "trigger": {"start": 122, "end": 129, "text": "shelled"},
                "type": "ASSAULT",
                "acled": "Shelling/artillery/missile attack",
                "actor1": None,
                "actor2": None,
                "place": "P1",
                "time": "2026-03-03",
            }
        ],
    }
    record.update(overrides)
    return record


def test_every_table_has_a_schema_with_article_id():
    assert set(SCHEMAS) == set(TABLES)
    for name, schema in SCHEMAS.items():
        assert schema.field("article_id").type == pa.string(), name


def test_rows_carry_article_and_offsets_into_text():
    record = kessa_record()
    tables = record_tables(record)
    text = record["text"]
    assert {r["article_id"] for name in TABLES for r in tables[name]} == {"a1"}
    for name in ("mentions", "times", "quotes", "figures"):
        assert tables[name], name
        for row in tables[name]:
            assert text[row["start_char"] : row["end_char"]] == row["text"], (name, row)
    (event,) = tables["events"]
    assert text[event["trigger_start"] : event["trigger_end"]] == event["trigger_text"] == "shelled"
    (quote,) = tables["quotes"]
    assert text[quote["speaker_start"] : quote["speaker_end"]] == "Amira Haddad"
    assert quote["speaker_id"] == "E2"


def test_place_and_entity_mentions_are_told_apart():
    tables = record_tables(kessa_record())
    kinds = {(m["kind"], m["owner_id"], m["text"]) for m in tables["mentions"]}
    assert ("place", "P1", "Kessa") in kinds
    assert ("entity", "E1", "UNHCR") in kinds
    assert all(m["kind"] in {"entity", "place"} for m in tables["mentions"])


def test_tables_fit_their_schemas():
    arrow = to_arrow(records_tables([kessa_record("a1"), kessa_record("a2")]))
    assert arrow["figures"].num_rows == 2
    assert arrow["figures"].schema == SCHEMAS["figures"]
    assert arrow["figures"].column("value").to_pylist() == [4500.0, 4500.0]
    assert arrow["entities"].column("titles").type == pa.list_(pa.string())


def test_round_trip_restores_records_including_extra_fields():
    record = kessa_record()
    record["tone"] = -2.5  # fields beyond the contract survive the round trip
    record["figures"][0]["note"] = {"why": "test"}
    original = copy.deepcopy(record)
    (back,) = tables_to_records(record_tables(record))
    assert back == with_optional_fields(original)
    assert isinstance(back["figures"][0]["value"], int)


def test_round_trip_through_arrow_with_shuffled_rows():
    records = [kessa_record("a1"), kessa_record("a2", published=None)]
    arrow = to_arrow(records_tables(records))
    tables = {name: list(reversed(t.to_pylist())) for name, t in arrow.items()}
    back = sorted(tables_to_records(tables), key=lambda r: r["id"])
    assert back == [with_optional_fields(r) for r in records]


def test_empty_sections_give_no_rows():
    record = kessa_record(entities=[], places=[], times=[], quotes=[], figures=[], events=[])
    tables = record_tables(record)
    assert len(tables["articles"]) == 1
    assert all(not tables[name] for name in TABLES[1:])


@pytest.mark.parametrize("field", ["text", "published", "source", "title"])
def test_content_hash_changes_with_what_the_pipeline_reads(field):
    record = kessa_record()
    changed = dict(record, **{field: "something else"})
    assert content_hash(record) != content_hash(changed)
    assert content_hash(record) == content_hash(kessa_record(entities=[]))


def test_optional_fields_beyond_the_contract_have_columns():
    record = kessa_record()
    record["figures"][0].update(bound="min", value_max=5000, cue="displaced")
    record["events"][0].update(
        modality="hypothetical",
        actor1_text="Government forces",
        actor1_start=104,
        actor1_end=121,
        actor1_label="government forces",
        actor1_affiliation="XK",
    )
    tables = record_tables(record)
    (figure,) = tables["figures"]
    assert (figure["bound"], figure["value_max"], figure["cue"]) == ("min", 5000.0, "displaced")
    assert figure["extra"] is None
    (event,) = tables["events"]
    assert event["modality"] == "hypothetical" and event["actor1_label"] == "government forces"
    assert TEXT[event["actor1_start"] : event["actor1_end"]] == event["actor1_text"]
    (back,) = tables_to_records(tables)
    assert back == with_optional_fields(record)
    assert back["figures"][0]["value_max"] == 5000 and back["events"][0]["actor2_text"] is None
