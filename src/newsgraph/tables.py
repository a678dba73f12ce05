"""The flat tables of a record: one definition for the SQLite store, the Parquet export
and the Spark output.

A contract record (CONTRACT.md) is nested: entities hold mentions, events hold a trigger.
:func:`record_tables` flattens it into rows of eight tables, every row carrying its
`article_id` and the character offsets of its words; :data:`SCHEMAS` types each column
explicitly (pyarrow), and :func:`tables_to_records` rebuilds the records.

Naming, chosen so the tables are easy to query from any SQL dialect:
- offsets are `start_char`/`end_char` (`end` is reserved in SQL);
- pointers to other facts of the same article end in `_id` (`speaker_id` = "E3",
  `place_id` = "P1"); the pair (article_id, entity_id) or (article_id, place_id) is the key;
- facts without an id of their own (times, quotes, figures, events) carry `idx`, their
  position in the record's list, so (article_id, idx) is their key and order is kept;
- the `mentions` table holds both entity and place mentions, told apart by `kind`
  ("entity" or "place") with `owner_id` the E.. or P.. id;
- fields a record carries beyond the contract go, as a JSON object, into the row's
  `extra` column (null when none), so records survive the round trip unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

Row = dict[str, Any]
Record = dict[str, Any]

TABLES: tuple[str, ...] = (
    "articles",
    "entities",
    "mentions",
    "places",
    "times",
    "quotes",
    "figures",
    "events",
)

_s, _i, _f, _b = pa.string(), pa.int64(), pa.float64(), pa.bool_()


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, kind, nullable=nullable) for name, kind, nullable in fields])


SCHEMAS: dict[str, pa.Schema] = {
    "articles": _schema(
        ("article_id", _s, False),
        ("published", _s, True),  # ISO date or datetime, as in the record
        ("source", _s, True),
        ("url", _s, True),
        ("title", _s, True),
        ("text", _s, False),
        ("pipeline", _s, True),  # the package version that wrote the record
        ("content_hash", _s, False),  # see content_hash(): what makes a record "changed"
        ("extra", _s, True),
    ),
    "entities": _schema(
        ("article_id", _s, False),
        ("entity_id", _s, False),
        ("name", _s, False),
        ("type", _s, False),
        ("titles", pa.list_(_s), False),
        ("affiliation", _s, True),
        ("extra", _s, True),
    ),
    "mentions": _schema(
        ("article_id", _s, False),
        ("kind", _s, False),  # "entity" | "place"
        ("owner_id", _s, False),  # E.. or P..
        ("idx", _i, False),  # position among its owner's mentions
        ("start_char", _i, False),
        ("end_char", _i, False),
        ("text", _s, False),
    ),
    "places": _schema(
        ("article_id", _s, False),
        ("place_id", _s, False),
        ("name", _s, False),
        ("geonameid", _i, True),
        ("lat", _f, True),
        ("lon", _f, True),
        ("country", _s, True),
        ("feature", _s, True),
        ("entity_id", _s, True),
        ("confidence", _f, True),
        ("extra", _s, True),
    ),
    "times": _schema(
        ("article_id", _s, False),
        ("idx", _i, False),
        ("start_char", _i, False),
        ("end_char", _i, False),
        ("text", _s, False),
        ("type", _s, False),
        ("value", _s, True),
        ("extra", _s, True),
    ),
    "quotes": _schema(
        ("article_id", _s, False),
        ("idx", _i, False),
        ("start_char", _i, False),
        ("end_char", _i, False),
        ("text", _s, False),
        ("kind", _s, False),
        ("speaker_id", _s, True),
        ("speaker_text", _s, True),
        ("speaker_start", _i, True),
        ("speaker_end", _i, True),
        ("cue", _s, True),
        ("extra", _s, True),
    ),
    "figures": _schema(
        ("article_id", _s, False),
        ("idx", _i, False),
        ("start_char", _i, False),
        ("end_char", _i, False),
        ("text", _s, False),
        ("value", _f, True),
        ("approximate", _b, False),
        ("unit", _s, True),
        ("category", _s, False),
        ("source_id", _s, True),
        ("source_text", _s, True),
        ("source_start", _i, True),
        ("source_end", _i, True),
        ("place_id", _s, True),
        ("time", _s, True),  # TIMEX3 value
        # Beyond the contract (record.Figure): "min" | "max" | "approx" | "range" | null,
        # the upper end of a range, and the word the category was read from.
        ("bound", _s, True),
        ("value_max", _f, True),
        ("cue", _s, True),
        ("extra", _s, True),
    ),
    "events": _schema(
        ("article_id", _s, False),
        ("idx", _i, False),
        ("start_char", _i, False),
        ("end_char", _i, False),
        ("trigger_start", _i, False),
        ("trigger_end", _i, False),
        ("trigger_text", _s, False),
        ("type", _s, False),
        ("acled", _s, True),
        ("actor1_id", _s, True),
        ("actor2_id", _s, True),
        ("place_id", _s, True),
        ("time", _s, True),  # TIMEX3 value
        # Beyond the contract (record.Event): asserted | negated | hypothetical | alleged,
        # and the words naming each actor with a generic label and affiliation.
        ("modality", _s, True),
        ("actor1_text", _s, True),
        ("actor1_start", _i, True),
        ("actor1_end", _i, True),
        ("actor1_label", _s, True),
        ("actor1_affiliation", _s, True),
        ("actor2_text", _s, True),
        ("actor2_start", _i, True),
        ("actor2_end", _i, True),
        ("actor2_label", _s, True),
        ("actor2_affiliation", _s, True),
        ("extra", _s, True),
    ),
}

# Columns for fields beyond the contract (record.py's optional fields). A record that lacks
# them comes back from the tables with them set to null, as the pipeline writes them.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "figures": ("bound", "value_max", "cue"),
    "events": (
        "modality",
        *(
            f"actor{n}_{part}"
            for n in (1, 2)
            for part in ("text", "start", "end", "label", "affiliation")
        ),
    ),
}

# Record field -> column, for the fields whose name changes when flattened.
_RENAMES: dict[str, dict[str, str]] = {
    "articles": {"id": "article_id"},
    "entities": {"id": "entity_id"},
    "places": {"id": "place_id", "entity": "entity_id"},
    "times": {"start": "start_char", "end": "end_char"},
    "quotes": {"start": "start_char", "end": "end_char", "speaker": "speaker_id"},
    "figures": {
        "start": "start_char",
        "end": "end_char",
        "source": "source_id",
        "place": "place_id",
    },
    "events": {
        "start": "start_char",
        "end": "end_char",
        "actor1": "actor1_id",
        "actor2": "actor2_id",
        "place": "place_id",
    },
}
# Record fields that are flattened elsewhere, never copied into `extra`.
_NESTED = {
    "articles": set(TABLES[1:]) | {"mentions"},
    "entities": {"mentions"},
    "places": {"mentions"},
    "events": {"trigger"},
}


def content_hash(record: Mapping[str, Any]) -> str:
    """A hash of what the pipeline reads from an article (text and metadata).

    Two records with the same id and hash came from the same input; a changed hash means
    the article was edited (or re-dated) and its facts must be replaced.
    """
    payload = json.dumps(
        [record.get(k) for k in ("text", "published", "source", "url", "title")],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _row(table: str, item: Mapping[str, Any], **fixed: Any) -> Row:
    """One row of `table` from a record item: renamed fields, unknown ones into `extra`."""
    renames = _RENAMES.get(table, {})
    names = set(SCHEMAS[table].names)
    skip = _NESTED.get(table, set())
    row: Row = dict(fixed)
    extra: dict[str, Any] = {}
    for key, value in item.items():
        column = renames.get(key, key)
        if key in skip or column in fixed:
            continue
        if column in names:
            row[column] = value
        else:
            extra[key] = value
    for column in names:
        row.setdefault(column, None)
    if "extra" in names:
        row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row


def record_tables(record: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The rows of every table in :data:`TABLES` for one contract record."""
    aid = str(record["id"])
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    article = _row("articles", record, content_hash=content_hash(record))
    tables["articles"].append(article)
    for entity in record.get("entities") or []:
        row = _row("entities", entity, article_id=aid)
        row["titles"] = list(row["titles"] or [])
        tables["entities"].append(row)
        tables["mentions"].extend(_mentions(aid, "entity", entity["id"], entity.get("mentions")))
    for place in record.get("places") or []:
        tables["places"].append(_row("places", place, article_id=aid))
        tables["mentions"].extend(_mentions(aid, "place", place["id"], place.get("mentions")))
    for name in ("times", "quotes", "figures"):
        for idx, item in enumerate(record.get(name) or []):
            tables[name].append(_row(name, item, article_id=aid, idx=idx))
    for idx, event in enumerate(record.get("events") or []):
        row = _row("events", event, article_id=aid, idx=idx)
        trigger = event.get("trigger") or {}
        row["trigger_start"] = trigger.get("start")
        row["trigger_end"] = trigger.get("end")
        row["trigger_text"] = trigger.get("text")
        tables["events"].append(row)
    for row in tables["figures"]:
        for column in ("value", "value_max"):
            if row[column] is not None:
                row[column] = float(row[column])
        row["approximate"] = bool(row["approximate"])
    return tables


def _mentions(
    aid: str, kind: str, owner: str, mentions: Iterable[Mapping[str, Any]] | None
) -> list[Row]:
    return [
        {
            "article_id": aid,
            "kind": kind,
            "owner_id": owner,
            "idx": idx,
            "start_char": m["start"],
            "end_char": m["end"],
            "text": m["text"],
        }
        for idx, m in enumerate(mentions or [])
    ]


def records_tables(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Row]]:
    """The rows of every table for many records, concatenated."""
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    for record in records:
        for name, rows in record_tables(record).items():
            out[name].extend(rows)
    return out


def to_arrow(tables: Mapping[str, list[Row]]) -> dict[str, pa.Table]:
    """Each table's rows as a pyarrow Table with its explicit schema."""
    return {
        name: pa.Table.from_pylist(list(tables.get(name, [])), schema=SCHEMAS[name])
        for name in TABLES
    }


# ---------------------------------------------------------------------------- inverse


def _item(table: str, row: Mapping[str, Any], drop: Iterable[str]) -> dict[str, Any]:
    """A record item from a row: original field names, `extra` merged back."""
    back = {column: key for key, column in _RENAMES.get(table, {}).items()}
    dropped = set(drop) | {"extra"}
    item = {back.get(k, k): v for k, v in row.items() if k not in dropped}
    if row.get("extra"):
        item.update(json.loads(row["extra"]))
    return item


def _number(value: float | None) -> float | int | None:
    # Figures are stored as float64; whole numbers come back as ints, as extractors write them.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def with_optional_fields(record: Mapping[str, Any]) -> Record:
    """A copy of `record` with every OPTIONAL_FIELDS key present (null when absent), i.e.
    what :func:`tables_to_records` gives back for it."""
    out = dict(record)
    for name, fields in OPTIONAL_FIELDS.items():
        out[name] = [{**{f: None for f in fields}, **item} for item in record.get(name) or []]
    return out


def tables_to_records(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Record]:
    """Records rebuilt from table rows (the inverse of :func:`records_tables`), in article order.

    Rows may come in any order; lists are ordered by `idx` (entities and places by id number).
    """
    records: dict[str, Record] = {}
    for row in tables.get("articles", []):
        record = _item("articles", row, drop=("content_hash",))
        for name in TABLES[1:]:
            if name != "mentions":
                record[name] = []
        records[row["article_id"]] = record
    mentions: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    for row in tables.get("mentions", []):
        mentions.setdefault((row["article_id"], row["kind"], row["owner_id"]), []).append(row)

    def owned(aid: str, kind: str, owner: str) -> list[dict[str, Any]]:
        rows = sorted(mentions.get((aid, kind, owner), []), key=lambda r: r["idx"])
        return [{"start": r["start_char"], "end": r["end_char"], "text": r["text"]} for r in rows]

    for name, kind in (("entities", "entity"), ("places", "place")):
        id_column = "entity_id" if kind == "entity" else "place_id"
        for row in sorted(tables.get(name, []), key=lambda r: _id_order(r[id_column])):
            item = _item(name, row, drop=("article_id",))
            if name == "entities":
                item["titles"] = list(item.get("titles") or [])
            item["mentions"] = owned(row["article_id"], kind, row[id_column])
            records[row["article_id"]][name].append(item)
    for name in ("times", "quotes", "figures", "events"):
        for row in sorted(tables.get(name, []), key=lambda r: (r["article_id"], r["idx"])):
            item = _item(
                name,
                row,
                drop=("article_id", "idx", "trigger_start", "trigger_end", "trigger_text"),
            )
            if name == "figures":
                item["value"] = _number(item.get("value"))
                if "value_max" in item:
                    item["value_max"] = _number(item["value_max"])
            if name == "events":
                item["trigger"] = {
                    "start": row["trigger_start"],
                    "end": row["trigger_end"],
                    "text": row["trigger_text"],
                }
            records[row["article_id"]][name].append(item)
    return list(records.values())


def _id_order(ident: str) -> tuple[int, str]:
    digits = ident[1:]
    return (int(digits) if digits.isdigit() else 0, ident)
