"""A readable summary of a record (`newsgraph extract --pretty`), with rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table | None:
    if not rows:
        return None
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


def print_record(record: dict[str, Any], out: Console | None = None) -> None:
    out = out or console
    entities = {e["id"]: e for e in record["entities"]}
    places = {p["id"]: p for p in record["places"]}

    def name(ref: str | None) -> str | None:
        if ref in entities:
            return entities[ref]["name"]
        return places[ref]["name"] if ref in places else None

    title = record.get("title") or record["text"][:60].replace("\n", " ")
    out.rule(f"[bold]{title}[/bold]")
    out.print(
        f"id {record['id']}  published {record.get('published') or '—'}  "
        f"source {record.get('source') or '—'}"
    )
    tables = [
        _table(
            "Entities",
            ["id", "name", "type", "titles", "affiliation", "mentions"],
            [
                [
                    e["id"],
                    e["name"],
                    e["type"],
                    "; ".join(e["titles"]),
                    e["affiliation"],
                    ", ".join(sorted({m["text"] for m in e["mentions"]})),
                ]
                for e in record["entities"]
            ],
        ),
        _table(
            "Places",
            ["id", "name", "geonameid", "country", "lat, lon", "mentions"],
            [
                [
                    p["id"],
                    p["name"],
                    p["geonameid"],
                    p["country"],
                    "" if p["lat"] is None else f"{p['lat']:.3f}, {p['lon']:.3f}",
                    len(p["mentions"]),
                ]
                for p in record["places"]
            ],
        ),
        _table(
            "Times",
            ["text", "type", "value"],
            [[t["text"], t["type"], t["value"]] for t in record["times"]],
        ),
        _table(
            "Quotes",
            ["speaker", "cue", "kind", "quote"],
            [
                [name(q["speaker"]) or q["speaker_text"], q["cue"], q["kind"], q["text"][:120]]
                for q in record["quotes"]
            ],
        ),
        _table(
            "Figures",
            ["value", "category", "unit", "source", "place", "time", "text"],
            [
                [
                    ("~" if f["approximate"] else "") + f"{f['value']:,}",
                    f["category"],
                    f["unit"],
                    name(f["source"]) or f["source_text"],
                    name(f["place"]),
                    f["time"],
                    f["text"],
                ]
                for f in record["figures"]
            ],
        ),
        _table(
            "Events",
            ["type", "acled", "trigger", "actor1", "actor2", "place", "time"],
            [
                [
                    v["type"],
                    v["acled"],
                    v["trigger"]["text"],
                    name(v["actor1"]),
                    name(v["actor2"]),
                    name(v["place"]),
                    v["time"],
                ]
                for v in record["events"]
            ],
        ),
    ]
    for table in tables:
        if table is not None:
            out.print(table)
