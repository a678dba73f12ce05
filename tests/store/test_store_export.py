"""Exports: JSON Lines records equal the stored ones, Parquet tables keep their schemas,
GKG rows have GDELT's 27 columns."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from store_records import kessa_record, make_record

from newsgraph.store import connect, write_record
from newsgraph.store.export import GKG_COLUMNS, export_gkg, export_jsonl, export_parquet
from newsgraph.tables import SCHEMAS, with_optional_fields


def stored(tmp_path):
    conn = connect(tmp_path / "kb.db")
    records = [
        kessa_record("a1"),
        kessa_record("a2", published=None, source=None),
        make_record("a3", "Nothing to see."),
    ]
    records[0]["tone"] = -3.5  # a field beyond the contract is kept
    for r in records:
        write_record(conn, r)
    return conn, records


def test_jsonl_export_gives_back_the_records(tmp_path):
    conn, records = stored(tmp_path)
    out = tmp_path / "out.jsonl"
    assert export_jsonl(conn, out) == 3
    back = [json.loads(line) for line in out.read_text().splitlines()]
    assert back == [with_optional_fields(r) for r in records]


def test_parquet_export_writes_every_table_with_its_schema(tmp_path):
    conn, _ = stored(tmp_path)
    counts = export_parquet(conn, tmp_path / "pq")
    for name, schema in SCHEMAS.items():
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert table.schema.equals(schema, check_metadata=False), name
        assert table.num_rows == counts[name]
    assert counts["articles"] == 3 and counts["figures"] == 2
    assert pq.read_table(tmp_path / "pq" / "errors.parquet").num_rows == 0


def test_gkg_rows(tmp_path):
    conn, _ = stored(tmp_path)
    out = tmp_path / "out.gkg.csv"
    assert export_gkg(conn, out) == 3
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    rows = [dict(zip(GKG_COLUMNS, line.split("\t"), strict=True)) for line in lines[:-1]]
    first = rows[0]
    assert first["V2.1DATE"] == "20260304000000"
    assert first["GKGRECORDID"] == "20260304000000-1"
    assert first["V1COUNTS"].startswith("AFFECT#4500#people#")
    assert first["V2.1COUNTS"].endswith("#11")  # the figure's character offset
    assert first["V1PERSONS"] == "Amira Haddad" and first["V1ORGANIZATIONS"] == "UNHCR"
    assert "Amira Haddad,90" in first["V2ENHANCEDPERSONS"]
    assert first["V2.1QUOTATIONS"] == "61|22|said|We have nowhere to go"
    assert first["V2.1ENHANCEDDATES"] == "3#3#3#2026#51"
    assert first["V1.5TONE"] == "-3.5"
    assert first["V2.1AMOUNTS"] == "4500,people displaced,11"
    assert first["V1LOCATIONS"].split("#")[1] == "Kessa"
    assert rows[2]["V1COUNTS"] == "" and rows[2]["V2.1QUOTATIONS"] == ""
