"""Printing query answers: rich tables for people, JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

Row = dict[str, Any]


def print_json(rows: Any) -> None:
    print(json.dumps(rows, ensure_ascii=False, indent=1))


def print_rows(
    rows: Sequence[Row], title: str | None = None, console: Console | None = None
) -> None:
    console = console or Console()
    if not rows:
        console.print(f"[dim]{title + ': ' if title else ''}no rows[/]")
        return
    table = Table(title=title, show_lines=False, expand=False)
    columns = list(rows[0])
    for col in columns:
        table.add_column(
            col, overflow="fold", max_width=70 if col in ("sentence", "snippet", "quote") else 28
        )
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console.print(table)


def print_disputes(rows: Sequence[Row], console: Console | None = None) -> None:
    """Each dispute as a block: what, where, when, then each source's figure and sentence."""
    console = console or Console()
    if not rows:
        console.print("[dim]no disputed figures[/]")
        return
    groups: dict[int, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["dispute"], []).append(row)
    for n, group in groups.items():
        first = group[0]
        table = Table(
            title=f"Dispute {n}: {first['category']} in {first['place']}, week {first['period']}",
            title_justify="left",
        )
        for col, width in (
            ("value", 10),
            ("reported by", 20),
            ("outlet", 16),
            ("published", 10),
            ("sentence", 70),
        ):
            table.add_column(col, max_width=width, overflow="fold")
        for r in group:
            value = (
                f"{'~' if r['approximate'] else ''}{r['value']:,}"
                if isinstance(r["value"], int)
                else str(r["value"])
            )
            table.add_row(
                value,
                r["reported_by"] or "—",
                r["outlet"] or "—",
                r["published"] or "—",
                r["sentence"],
            )
        console.print(table)


def print_summary(summary: Row, console: Console | None = None) -> None:
    console = console or Console()
    counts = summary["counts"]
    console.print(
        f"[bold]{counts['articles']}[/] articles ({counts['duplicates']} syndicated copies), "
        f"{counts['entities']} entity records -> {counts['corpus_entities']} corpus entities, "
        f"{counts['places']} places, {counts['times']} times, {counts['quotes']} quotes, "
        f"{counts['figures']} figures, {counts['events']} events, {counts['errors']} errors"
    )
    rows = [
        {
            "entity": r["name"],
            "type": r["type"],
            "articles": r["articles"],
            "written as": ", ".join(r["aliases"]),
        }
        for r in summary["top_entities"]
    ]
    print_rows(rows, title="Most reported people and organisations", console=console)
