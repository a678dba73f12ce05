"""The explorer's pages. Each reads the knowledge base through Datasette's read-only
connection (`execute_fn`) and renders a template from this package's templates/ folder."""

from __future__ import annotations

import json
import sqlite3
from typing import Any
from urllib.parse import quote, unquote

from datasette.utils.asgi import NotFound, Response

from newsgraph.tables import SCHEMAS, TABLES, tables_to_records
from newsgraph.web.highlight import Highlight, render_highlighted
from newsgraph.web.svgmap import svg_map, svg_timeline

# Pages list at most this many rows of a kind (newest first links stay one click away in
# Datasette's own tables), so a page stays fast on a large corpus.
PAGE_ROWS = 300
MAP_POINTS = 2000


def _database(datasette):
    for name, db in datasette.databases.items():
        if not name.startswith("_"):
            return db
    raise NotFound("no database is being served")


async def _render(datasette, request, template: str, context: dict[str, Any]) -> Response:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


def _rows(conn: sqlite3.Connection, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# -- article ---------------------------------------------------------------------------

_LIST_COLUMNS = {
    name: [f.name for f in SCHEMAS[name] if str(f.type).startswith("list")] for name in TABLES
}


def load_record(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """The contract record of one stored article, rebuilt from its table rows."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in TABLES:
        columns = ", ".join(f.name for f in SCHEMAS[name])
        rows = _rows(conn, f"select {columns} from {name} where article_id = ?", (article_id,))
        for row in rows:
            for column in _LIST_COLUMNS[name]:
                if isinstance(row[column], str):
                    row[column] = json.loads(row[column])
            if "approximate" in row and row["approximate"] is not None:
                row["approximate"] = bool(row["approximate"])
        tables[name] = rows
    records = tables_to_records(tables)
    return records[0] if records else None


def article_highlights(record: dict[str, Any], corpus_ids: dict[str, int]) -> list[Highlight]:
    """Every span of a record as a highlight with its normalized value."""
    entities = {e["id"]: e for e in record["entities"]}
    places = {p["id"]: p for p in record["places"]}

    def entity_name(ref: str | None) -> str | None:
        return entities[ref]["name"] if ref in entities else None

    def place_name(ref: str | None) -> str | None:
        return places[ref]["name"] if ref in places else None

    spans: list[Highlight] = []
    for e in record["entities"]:
        parts = [e["type"], e["name"], *e.get("titles", []), e.get("affiliation") or ""]
        href = f"/-/newsgraph/entity/{corpus_ids[e['id']]}" if e["id"] in corpus_ids else None
        for i, m in enumerate(e["mentions"]):
            label = " · ".join(p for p in parts if p)
            spans.append(Highlight(m["start"], m["end"], "entity", f"{e['id']}-{i}", label, href))
    for p in record["places"]:
        where = "unresolved" if p.get("geonameid") is None else f"GeoNames {p['geonameid']}"
        coords = "" if p.get("lat") is None else f"{p['lat']:.4f}, {p['lon']:.4f}"
        label = " · ".join(x for x in (p["name"], where, coords, p.get("country") or "") if x)
        for i, m in enumerate(p["mentions"]):
            spans.append(Highlight(m["start"], m["end"], "place", f"{p['id']}-{i}", label))
    for i, t in enumerate(record["times"]):
        spans.append(
            Highlight(t["start"], t["end"], "time", f"T{i + 1}", f"{t['type']} {t['value']}")
        )
    for i, q in enumerate(record["quotes"]):
        speaker = entity_name(q.get("speaker")) or q.get("speaker_text") or "no speaker"
        label = f"{q['kind']} quote · speaker: {speaker}" + (
            f" · cue: {q['cue']}" if q.get("cue") else ""
        )
        spans.append(Highlight(q["start"], q["end"], "quote", f"Q{i + 1}", label))
        if q.get("speaker_start") is not None:
            spans.append(
                Highlight(
                    q["speaker_start"],
                    q["speaker_end"],
                    "speaker",
                    f"Q{i + 1}-speaker",
                    f"speaker of Q{i + 1}: {speaker}",
                )
            )
    for i, f in enumerate(record["figures"]):
        source = entity_name(f.get("source")) or f.get("source_text") or "no source"
        value = ("~" if f["approximate"] else "") + f"{f['value']:,}"
        label = f"{value} {f['unit']} {f['category']} · source: {source}"
        if f.get("place"):
            label += f" · at {place_name(f['place'])}"
        if f.get("time"):
            label += f" · {f['time']}"
        spans.append(Highlight(f["start"], f["end"], "figure", f"F{i + 1}", label))
        if f.get("source_start") is not None:
            spans.append(
                Highlight(
                    f["source_start"],
                    f["source_end"],
                    "source",
                    f"F{i + 1}-source",
                    f"source of F{i + 1}: {source}",
                )
            )
    for i, v in enumerate(record["events"]):
        actors = " → ".join(
            x for x in (entity_name(v.get("actor1")), entity_name(v.get("actor2"))) if x
        )
        label = v["type"] + (f" · ACLED {v['acled']}" if v.get("acled") else "")
        if actors:
            label += f" · {actors}"
        if v.get("time"):
            label += f" · {v['time']}"
        trigger = v["trigger"]
        spans.append(Highlight(trigger["start"], trigger["end"], "event", f"V{i + 1}", label))
    return spans


async def article(datasette, request) -> Response:
    article_id = unquote(request.url_vars["article_id"])
    db = _database(datasette)

    def read(conn):
        record = load_record(conn, article_id)
        if record is None:
            return None
        links = _rows(
            conn,
            "select entity_id, corpus_id from entity_links where article_id = ?",
            (article_id,),
        )
        place_keys = _rows(
            conn, "select place_id, place_key from places where article_id = ?", (article_id,)
        )
        duplicate = _rows(
            conn,
            "select original_id, similarity from duplicates where article_id = ?",
            (article_id,),
        )
        return (
            record,
            {r["entity_id"]: r["corpus_id"] for r in links},
            {r["place_id"]: r["place_key"] for r in place_keys},
            duplicate,
        )

    found = await db.execute_fn(read)
    if found is None:
        raise NotFound(f"no article {article_id!r}")
    record, corpus_ids, place_keys, duplicate = found
    entities = {e["id"]: e for e in record["entities"]}
    places = {p["id"]: p for p in record["places"]}
    context = {
        "record": record,
        "text_html": render_highlighted(record["text"], article_highlights(record, corpus_ids)),
        "entities": entities,
        "places": places,
        "corpus_ids": corpus_ids,
        "place_keys": {k: quote(v or "", safe="") for k, v in place_keys.items()},
        "duplicate": duplicate[0] if duplicate else None,
        "database": db.name,
    }
    return await _render(datasette, request, "newsgraph_article.html", context)


# -- entity ----------------------------------------------------------------------------


def timeline_items(events: list[dict], figures: list[dict]) -> list[tuple[str | None, str, str]]:
    """(when it happened, label, link to its span) for events and figures; when the fact has
    no time of its own, its article's publication date stands in."""

    def link(row: dict, prefix: str) -> str:
        article = quote(row["article_id"], safe="")
        return f"/-/newsgraph/article/{article}#span-{prefix}{row['idx'] + 1}"

    items = [
        (e["time_from"] or e["published_date"], f"{e['type']}: {e['trigger_text']}", link(e, "V"))
        for e in events
    ]
    items += [
        (f["time_from"] or f["published_date"], f"{f['category']} {f['value']:,.0f}", link(f, "F"))
        for f in figures
    ]
    return items


async def entity(datasette, request) -> Response:
    corpus_id = int(request.url_vars["corpus_id"])
    db = _database(datasette)

    def read(conn):
        rows = _rows(conn, "select * from corpus_entities where corpus_id = ?", (corpus_id,))
        if not rows:
            return None
        mentions = _rows(
            conn,
            """
            select m.article_id, m.start_char, m.end_char, m.text,
                   a.title, a.published_date, a.source
            from entity_links l
            join mentions m on m.article_id = l.article_id and m.kind = 'entity'
                and m.owner_id = l.entity_id
            join articles a on a.article_id = l.article_id
            where l.corpus_id = ? order by a.published_date, m.article_id, m.start_char
            limit ?""",
            (corpus_id, PAGE_ROWS),
        )
        quotes = _rows(
            conn,
            """
            select q.article_id, q.idx, q.text, q.cue, q.start_char, a.published_date, a.source
            from entity_links l
            join quotes q on q.article_id = l.article_id and q.speaker_id = l.entity_id
            join articles a on a.article_id = q.article_id
            where l.corpus_id = ? order by a.published_date
            limit ?""",
            (corpus_id, PAGE_ROWS),
        )
        events = _rows(
            conn,
            """
            select e.article_id, e.idx, e.type, e.acled, e.trigger_text, e.trigger_start, e.time,
                   e.time_from, a.published_date,
                   case when e.actor1_id = l.entity_id then 'actor' else 'target' end as role
            from entity_links l
            join events e on e.article_id = l.article_id
                and (e.actor1_id = l.entity_id or e.actor2_id = l.entity_id)
            join articles a on a.article_id = e.article_id
            where l.corpus_id = ? order by coalesce(e.time_from, a.published_date)
            limit ?""",
            (corpus_id, PAGE_ROWS),
        )
        return rows[0], mentions, quotes, events

    found = await db.execute_fn(read)
    if found is None:
        raise NotFound(f"no entity {corpus_id}")
    row, mentions, quotes, events = found
    row["titles"] = json.loads(row.get("titles") or "[]")
    row["aliases"] = json.loads(row.get("aliases") or "[]")
    timeline = timeline_items(events, [])
    context = {
        "entity": row,
        "mentions": mentions,
        "quotes": quotes,
        "events": events,
        "timeline_svg": svg_timeline(timeline),
        "database": db.name,
    }
    return await _render(datasette, request, "newsgraph_entity.html", context)


# -- places ----------------------------------------------------------------------------


async def place(datasette, request) -> Response:
    place_key = unquote(request.url_vars["place_key"])
    db = _database(datasette)

    def read(conn):
        rows = _rows(
            conn,
            """
            select name, geonameid, lat, lon, country, feature,
                   count(distinct article_id) as articles
            from places where place_key = ? group by place_key""",
            (place_key,),
        )
        if not rows:
            return None
        events = _rows(
            conn,
            """
            select e.article_id, e.idx, e.type, e.acled, e.trigger_text, e.time, e.time_from,
                   a.published_date, a.title
            from places p join events e on e.article_id = p.article_id and e.place_id = p.place_id
            join articles a on a.article_id = e.article_id
            where p.place_key = ? order by coalesce(e.time_from, a.published_date)
            limit ?""",
            (place_key, PAGE_ROWS),
        )
        figures = _rows(
            conn,
            """
            select f.article_id, f.idx, f.value, f.approximate, f.unit, f.category, f.source_text,
                   f.time, f.time_from, f.text, a.published_date, a.source
            from places p join figures f on f.article_id = p.article_id and f.place_id = p.place_id
            join articles a on a.article_id = f.article_id
            where p.place_key = ? order by coalesce(f.time_from, a.published_date)
            limit ?""",
            (place_key, PAGE_ROWS),
        )
        return rows[0], events, figures

    found = await db.execute_fn(read)
    if found is None:
        raise NotFound(f"no place {place_key!r}")
    row, events, figures = found
    timeline = timeline_items(events, figures)
    points = [(row["lat"], row["lon"], row["name"], None)] if row["lat"] is not None else []
    context = {
        "place": row,
        "events": events,
        "figures": figures,
        "map_svg": svg_map(points, width=420, height=260),
        "timeline_svg": svg_timeline(timeline),
        "database": db.name,
    }
    return await _render(datasette, request, "newsgraph_place.html", context)


async def places_map(datasette, request) -> Response:
    db = _database(datasette)

    def read(conn):
        return _rows(
            conn,
            """
            select place_key, name, lat, lon, country, count(distinct article_id) as articles
            from places where lat is not null group by place_key order by articles desc
            limit ?""",
            (MAP_POINTS,),
        )

    rows = await db.execute_fn(read)
    for r in rows:
        r["href"] = f"/-/newsgraph/place/{quote(r['place_key'], safe='')}"
    points = [
        (r["lat"], r["lon"], f"{r['name']} ({r['articles']} articles)", r["href"]) for r in rows
    ]
    context = {"places": rows, "map_svg": svg_map(points), "database": db.name}
    return await _render(datasette, request, "newsgraph_places.html", context)


# -- disputes and home -----------------------------------------------------------------


DISPUTES_PER_PAGE = 25


async def disputes(datasette, request) -> Response:
    from newsgraph.store import queries

    db = _database(datasette)
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    first = (page - 1) * DISPUTES_PER_PAGE + 1

    def read(conn):
        conn = _with_rows(conn)
        rows = queries.disputes(conn, first=first, groups=DISPUTES_PER_PAGE)
        return rows, queries.dispute_count(conn)

    rows, total = await db.execute_fn(read)
    groups: dict[int, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row["dispute"],
            {
                "number": row["dispute"],
                "rows": [],
                **{k: row[k] for k in ("category", "place", "period")},
            },
        )
        group["rows"].append(row)
    pages = max(1, -(-total // DISPUTES_PER_PAGE))
    context = {
        "disputes": list(groups.values()),
        "total": total,
        "page": page,
        "pages": pages,
        "database": db.name,
    }
    return await _render(datasette, request, "newsgraph_disputes.html", context)


def _with_rows(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    return conn


async def home(datasette, request) -> Response:
    db = _database(datasette)

    def read(conn):
        counts = {
            name: conn.execute(f"select count(*) from {name}").fetchone()[0]
            for name in ("articles", "corpus_entities", "quotes", "figures", "events", "errors")
        }
        articles = _rows(
            conn,
            """select article_id, title, published_date, source,
            substr(text, 1, 160) as lead from articles
            order by published_date desc, article_id limit 100""",
        )
        entities = _rows(
            conn,
            """select corpus_id, name, type, affiliation, articles, mentions
            from corpus_entities order by mentions desc limit 30""",
        )
        places = _rows(
            conn,
            """select place_key, name, country, count(distinct article_id) as articles
            from places group by place_key order by articles desc limit 30""",
        )
        return counts, articles, entities, places

    counts, articles, entities, places = await db.execute_fn(read)
    for row in places:
        row["href"] = f"/-/newsgraph/place/{quote(row['place_key'] or '', safe='')}"
    context = {
        "counts": counts,
        "articles": articles,
        "entities": entities,
        "places": places,
        "database": db.name,
    }
    return await _render(datasette, request, "newsgraph_home.html", context)
