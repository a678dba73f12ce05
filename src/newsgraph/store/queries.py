"""The questions analysts ask of the knowledge base. Each returns a list of rows (dicts);
`newsgraph query KIND` prints them as a table or as JSON.

Syndicated copies (the `duplicates` table) are left out of every answer, so a wire
story printed by ten outlets counts once.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from typing import Any

from newsgraph.store.writer import normalize_name

Row = dict[str, Any]

# Two figures differ "materially" when the larger exceeds the smaller by this share.
DISPUTE_MARGIN = 0.10

_ORIGINAL = "NOT EXISTS (SELECT 1 FROM duplicates d WHERE d.article_id = {a}.article_id)"


def _rows(conn: sqlite3.Connection, sql: str, args: tuple | list = ()) -> list[Row]:
    return [dict(r) for r in conn.execute(sql, args).fetchall()]


def _tidy(rows: list[Row]) -> list[Row]:
    """Sentences come straight from the article text (SQL substr): collapse white space."""
    for r in rows:
        if r.get("sentence"):
            r["sentence"] = " ".join(r["sentence"].split())
    return rows


# The sentence of a figure (offsets computed when it was stored) and of an event (its span).
_FIGURE_SENTENCE = "substr(a.text, f.sentence_start + 1, f.sentence_end - f.sentence_start)"
_EVENT_SENTENCE = "substr(a.text, e.start_char + 1, e.end_char - e.start_char)"


def entity_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    """Corpus entities a name refers to: any spelling stored for them, else a unique
    corpus entity whose name contains it."""
    found = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT l.corpus_id FROM entities e JOIN entity_links l "
            "ON l.article_id = e.article_id AND l.entity_id = e.entity_id "
            "WHERE e.name = ? COLLATE NOCASE",
            (name.strip(),),
        )
    }
    found |= {
        r[0]
        for r in conn.execute(
            "SELECT corpus_id FROM corpus_entities WHERE name = ? COLLATE NOCASE", (name.strip(),)
        )
    }
    if not found:
        pattern = f"%{name.strip()}%"
        found = {
            r[0]
            for r in conn.execute(
                "SELECT corpus_id FROM corpus_entities WHERE aliases LIKE ?", (pattern,)
            )
        }
    return sorted(found)


def place_keys(conn: sqlite3.Connection, name: str) -> list[str]:
    """Place keys (GeoNames id, else normalized name) of the places a name refers to."""
    name = name.strip()
    if name.isdigit():
        return [f"g:{name}"]
    keys = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT place_key FROM places WHERE name = ? COLLATE NOCASE", (name,)
        )
    }
    keys.add(f"n:{normalize_name(name)}")
    return sorted(keys)


def _in(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def quotes(
    conn: sqlite3.Connection, speaker: str | None = None, limit: int | None = None
) -> list[Row]:
    """Quotes (direct ones by default) by a speaker, in publication order."""
    where, args = ["q.kind = 'direct'"], []
    if speaker:
        ids = entity_ids(conn, speaker)
        where.append(
            f"(l.corpus_id IN ({_in(ids)}) "
            "OR (q.speaker_id IS NULL AND q.speaker_text = ? COLLATE NOCASE))"
        )
        args += [*ids, speaker]
    sql = f"""
        SELECT COALESCE(c.name, q.speaker_text) AS speaker, q.text AS quote, q.cue,
               a.published, a.source, q.article_id, q.start_char, q.end_char
        FROM quotes q
        JOIN articles a ON a.article_id = q.article_id
        LEFT JOIN entity_links l ON l.article_id = q.article_id AND l.entity_id = q.speaker_id
        LEFT JOIN corpus_entities c ON c.corpus_id = l.corpus_id
        WHERE {" AND ".join(where)} AND {_ORIGINAL.format(a="q")}
        ORDER BY a.published_date, q.article_id, q.idx
    """
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _rows(conn, sql, args)


def timeline(
    conn: sqlite3.Connection,
    place: str | None = None,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[Row]:
    """Events and figures at a place or involving an entity, ordered by when they
    happened (their own TIMEX3 time; the publication date only when they carry none,
    marked `dated_by: published`). With both, the facts at the place involving the entity."""
    if not place and not entity:
        raise ValueError("timeline needs --place or --entity")
    rows: list[Row] = []
    for kind in ("event", "figure"):
        t = "e" if kind == "event" else "f"
        where, args = [_ORIGINAL.format(a=t)], []
        if place:
            keys = place_keys(conn, place)
            drive = (
                f"FROM places p JOIN {kind}s {t} ON {t}.article_id = p.article_id "
                f"AND {t}.place_id = p.place_id"
            )
            where.append(f"p.place_key IN ({_in(keys)})")
            args += keys
        if entity:
            ids = entity_ids(conn, entity)
            pointers = "(e.actor1_id, e.actor2_id)" if kind == "event" else "(f.source_id)"
            if place:  # the place drives; the entity filters
                where.append(
                    f"EXISTS (SELECT 1 FROM entity_links l WHERE l.article_id = {t}.article_id "
                    f"AND l.entity_id IN {pointers} AND l.corpus_id IN ({_in(ids)}))"
                )
            else:  # the entity's links drive (indexed by corpus_id), then its facts
                drive = (
                    f"FROM entity_links l JOIN {kind}s {t} ON {t}.article_id = l.article_id "
                    f"AND l.entity_id IN {pointers} "
                    f"LEFT JOIN places p ON p.article_id = {t}.article_id "
                    f"AND p.place_id = {t}.place_id"
                )
                where.append(f"l.corpus_id IN ({_in(ids)})")
            args += ids
        if date_from:
            where.append(f"COALESCE({t}.time_to, a.published_date) >= ?")
            args.append(date_from)
        if date_to:
            where.append(f"COALESCE({t}.time_from, a.published_date) <= ?")
            args.append(date_to)
        if kind == "event":
            what = "e.type || COALESCE(' / ' || e.acled, '')"
            columns = f"{what} AS what, e.modality, e.trigger_text AS words, {_EVENT_SENTENCE}"
        else:
            what = f"f.category || ': ' || {_VALUE}"
            columns = f"{what} AS what, f.bound AS modality, f.text AS words, {_FIGURE_SENTENCE}"
        rows += _rows(
            conn,
            f"""
            SELECT DISTINCT COALESCE({t}.time_from, a.published_date) AS "when", {t}.time,
                   CASE WHEN {t}.time_from IS NULL THEN 'published' ELSE 'text' END AS dated_by,
                   '{kind}' AS kind, {columns} AS sentence, p.name AS place, a.source,
                   {t}.article_id, {t}.idx AS _idx
            {drive}
            JOIN articles a ON a.article_id = {t}.article_id
            WHERE {" AND ".join(where)}""",
            args,
        )
    rows.sort(key=lambda r: (r["when"] or "9999", r["article_id"], r["kind"], r.pop("_idx")))
    return _tidy(rows)


# The figure's value as text (integers without ".0").
_VALUE = (
    "CASE WHEN f.value = CAST(f.value AS INTEGER) THEN CAST(CAST(f.value AS INTEGER) AS TEXT) "
    "ELSE CAST(f.value AS TEXT) END"
)

_FIGURE_SELECT = f"""
    SELECT f.category, f.value, f.approximate, f.bound, f.unit, p.name AS place, f.time, f.period,
           COALESCE(c.name, f.source_text) AS reported_by, a.source AS outlet, a.published,
           f.text AS words, f.article_id, {_FIGURE_SENTENCE} AS sentence,
           p.place_key AS _place_key, COALESCE('c' || c.corpus_id, 't:' || lower(f.source_text),
           'o:' || a.source, 'a:' || f.article_id) AS _source_key
    FROM figures f JOIN articles a ON a.article_id = f.article_id
    LEFT JOIN places p ON p.article_id = f.article_id AND p.place_id = f.place_id
    LEFT JOIN entity_links l ON l.article_id = f.article_id AND l.entity_id = f.source_id
    LEFT JOIN corpus_entities c ON c.corpus_id = l.corpus_id
"""


def figures(
    conn: sqlite3.Connection,
    category: str | None = None,
    place: str | None = None,
    source: str | None = None,
) -> list[Row]:
    """Reported figures, with who reported them, where, when and the sentence."""
    where, args = [_ORIGINAL.format(a="f")], []
    if category:
        where.append("f.category = ?")
        args.append(category.lower())
    if place:
        keys = place_keys(conn, place)
        where.append(f"p.place_key IN ({_in(keys)})")
        args += keys
    if source:
        ids = entity_ids(conn, source)
        where.append(
            f"(l.corpus_id IN ({_in(ids)}) OR f.source_text = ? COLLATE NOCASE "
            "OR a.source = ? COLLATE NOCASE)"
        )
        args += [*ids, source, source]
    rows = _rows(
        conn,
        _FIGURE_SELECT + f" WHERE {' AND '.join(where)} "
        "ORDER BY COALESCE(f.time_from, a.published_date), f.article_id, f.idx",
        args,
    )
    for r in rows:
        r.pop("_place_key")
        r.pop("_source_key")
        r["approximate"] = bool(r["approximate"])
        r["value"] = _number(r["value"])
    return _tidy(rows)


def _number(value: float | None) -> float | int | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


_DISPUTE_COLUMNS = (
    "dispute",
    "category",
    "value",
    "approximate",
    "bound",
    "unit",
    "place",
    "time",
    "period",
    "reported_by",
    "outlet",
    "published",
    "words",
    "article_id",
    "sentence",
)


def disputes(
    conn: sqlite3.Connection,
    margin: float | None = None,
    *,
    first: int = 1,
    groups: int | None = None,
) -> list[Row]:
    """Figures of the same category, place and week reported with materially different
    values by different sources: one row per figure, grouped by `dispute` (numbered by
    week, category and place), lowest value first.

    `first` and `groups` page through the disputes (numbers first .. first+groups-1), so a
    page of a large corpus reads only its own rows.

    With the default margin the answer comes from the `disputes` table, computed when the
    corpus last changed; with another margin, or before that table is rebuilt, it is
    computed now."""
    last = None if groups is None else first + groups - 1
    built = conn.execute("SELECT 1 FROM meta WHERE key = 'disputes_built'").fetchone()
    if built and (margin is None or margin == DISPUTE_MARGIN):
        rows = _rows(
            conn,
            f"SELECT {', '.join(_DISPUTE_COLUMNS)} FROM disputes "
            "WHERE dispute >= ? AND dispute <= coalesce(?, dispute) ORDER BY dispute, position",
            (first, last),
        )
        for r in rows:
            r["approximate"] = bool(r["approximate"])
            r["value"] = _number(r["value"])
        return rows
    rows = compute_disputes(conn, DISPUTE_MARGIN if margin is None else margin)
    return [r for r in rows if r["dispute"] >= first and (last is None or r["dispute"] <= last)]


def dispute_count(conn: sqlite3.Connection) -> int:
    """How many disputes `disputes()` answers with the default margin."""
    built = conn.execute("SELECT 1 FROM meta WHERE key = 'disputes_built'").fetchone()
    if built:
        return conn.execute("SELECT count(DISTINCT dispute) FROM disputes").fetchone()[0]
    return len({r["dispute"] for r in compute_disputes(conn, DISPUTE_MARGIN)})


def store_disputes(conn: sqlite3.Connection) -> int:
    """Rebuild the disputes table (inside the caller's transaction); the number of disputes."""
    rows = compute_disputes(conn, DISPUTE_MARGIN)
    conn.execute("DELETE FROM disputes")
    marks = ", ".join("?" * (len(_DISPUTE_COLUMNS) + 1))
    conn.executemany(
        f"INSERT INTO disputes ({', '.join(_DISPUTE_COLUMNS)}, position) VALUES ({marks})",
        [(*(r[c] for c in _DISPUTE_COLUMNS), n) for n, r in enumerate(rows)],
    )
    # Any later article write removes the marker (writer.mark_stale); until the table is
    # rebuilt, disputes() computes the answer afresh.
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('disputes_built', '1')")
    return len({r["dispute"] for r in rows})


def compute_disputes(conn: sqlite3.Connection, margin: float = DISPUTE_MARGIN) -> list[Row]:
    """The disputes as computed from the figures now (see disputes())."""
    rows = _rows(
        conn,
        f"""
        WITH g AS (
          SELECT f.category, p.place_key, f.period
          FROM figures f JOIN places p ON p.article_id = f.article_id AND p.place_id = f.place_id
          WHERE f.value IS NOT NULL AND f.period IS NOT NULL AND {_ORIGINAL.format(a="f")}
          GROUP BY f.category, p.place_key, f.period
          HAVING count(*) > 1 AND max(f.value) > min(f.value) * (1 + ?)
        )
        {_FIGURE_SELECT}
        JOIN g ON g.category = f.category AND g.place_key = p.place_key AND g.period = f.period
        WHERE f.value IS NOT NULL AND {_ORIGINAL.format(a="f")}
        ORDER BY f.period, f.category, p.place_key, f.value, a.published_date, f.article_id, f.idx
        """,
        (margin,),
    )
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r["period"], r["category"], r["_place_key"])].append(r)
    out: list[Row] = []
    number = 0
    for group in groups.values():
        by_source: dict[str, list[float]] = defaultdict(list)
        for r in group:
            by_source[r["_source_key"]].append(r["value"])
        if not _material(by_source, margin):
            continue  # one source revising its own figure, or sources that agree
        number += 1
        for r in group:
            r.pop("_place_key")
            r.pop("_source_key")
            r["approximate"] = bool(r["approximate"])
            r["value"] = _number(r["value"])
            out.append({"dispute": number, **r})
    return _tidy(out)


def _material(by_source: dict[str, list[float]], margin: float) -> bool:
    """Do two different sources report values more than `margin` apart?"""
    if len(by_source) < 2:
        return False
    lows = sorted((min(v), s) for s, v in by_source.items())
    highs = sorted((max(v), s) for s, v in by_source.items())
    (low, low_src), (high, high_src) = lows[0], highs[-1]
    if low_src != high_src:
        return high > low * (1 + margin)
    # The extremes come from one source: compare each with the other sources' extremes.
    return high > lows[1][0] * (1 + margin) or highs[-2][0] > low * (1 + margin)


def _fts_query(text: str) -> str:
    """User words as an FTS5 query: every word must occur (as a prefix for the last)."""
    words = re.findall(r"\w+", text)
    if not words:
        return '""'
    return (
        " ".join(f'"{w}"' for w in words[:-1]) + (" " if len(words) > 1 else "") + f'"{words[-1]}"*'
    )


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Row]:
    """Full-text search over article titles and text, and over quotes."""
    query = _fts_query(text)
    articles = _rows(
        conn,
        """
        SELECT 'article' AS kind, a.article_id, a.published, a.source, a.title,
               snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, bm25(articles_fts) AS _rank
        FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY _rank LIMIT ?""",
        (query, limit),
    )
    found_quotes = _rows(
        conn,
        """
        SELECT 'quote' AS kind, q.article_id, a.published, a.source, q.speaker_text AS title,
               snippet(quotes_fts, 0, '[', ']', '…', 12) AS snippet, bm25(quotes_fts) AS _rank
        FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid
        JOIN articles a ON a.article_id = q.article_id
        WHERE quotes_fts MATCH ? ORDER BY _rank LIMIT ?""",
        (query, limit),
    )
    rows = sorted(articles + found_quotes, key=lambda r: (r["_rank"], r["kind"], r["article_id"]))[
        :limit
    ]
    for r in rows:
        r.pop("_rank")
    return rows


def summary(conn: sqlite3.Connection) -> Row:
    """Counts of everything in the knowledge base, and its most mentioned entities."""
    count = {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        for name in (
            "articles",
            "duplicates",
            "entities",
            "corpus_entities",
            "places",
            "times",
            "quotes",
            "figures",
            "events",
            "errors",
        )
    }
    top = _rows(
        conn,
        """
        SELECT name, type, articles, mentions, aliases FROM corpus_entities
        WHERE type IN ('PERSON', 'ORG') ORDER BY articles DESC, mentions DESC, name LIMIT 10""",
    )
    for r in top:
        r["aliases"] = json.loads(r["aliases"])
    return {"counts": count, "top_entities": top}


def errors(conn: sqlite3.Connection) -> list[Row]:
    return _rows(conn, "SELECT input, stage, reason FROM errors ORDER BY input")
