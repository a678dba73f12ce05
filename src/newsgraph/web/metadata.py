"""Datasette metadata for a newsgraph knowledge base: titles, table and column descriptions,
facets, labels and canned queries. Kept as data so `newsgraph serve` and any plain
`datasette serve --metadata` run show the same thing."""

from __future__ import annotations

from typing import Any

# Leaflet asks this for tiles: a blank tile shipped with the plugin, so no page asks the
# internet for map tiles; the markers show on a plain background.
BLANK_TILE = "/-/static-plugins/newsgraph/blank-tile.png?{z}/{x}/{y}"

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per article: its text, publication date, source and the "
        "pipeline version that extracted it. Open an article's page from the article_id link.",
        "facets": ["source", "published_date"],
        "sort_desc": "published_date",
        "label_column": "title",
        "columns": {
            "article_id": "Given id, else a stable hash of the text",
            "published": "Publication date the relative expressions were resolved against",
            "content_hash": "Hash of the text and metadata: a changed article is re-extracted",
            "pipeline_version": "newsgraph pipeline version that wrote the facts",
        },
    },
    "entities": {
        "description": "People, organisations and other named entities, per article.",
        "facets": ["type", "affiliation"],
        "columns": {
            "entity_id": "E.. id within the article",
            "titles": "Titles and roles (JSON list), e.g. US ambassador",
            "affiliation": "ISO 3166 alpha-2 country",
        },
    },
    "mentions": {
        "description": "Every place the text names an entity or a place, with offsets.",
        "facets": ["kind"],
        "columns": {"start_char": "Character offset (start)", "end_char": "End (exclusive)"},
    },
    "places": {
        "description": "Places resolved to GeoNames, per article.",
        "facets": ["country", "feature"],
        "columns": {
            "geonameid": "GeoNames id (null when the name could not be resolved)",
            "confidence": "How sure the resolver is, 0-1",
            "place_key": "The same place across articles",
        },
    },
    "times": {
        "description": "Time expressions with their TIMEX3 values.",
        "facets": ["type"],
        "columns": {"value": "TIMEX3 value, e.g. 2016-12-13, 2016-W50, P3D"},
    },
    "quotes": {
        "description": "Direct and scare quotes with their speakers.",
        "facets": ["kind", "cue"],
        "columns": {"speaker_id": "Entity (E..) of the speaker", "cue": "The speech verb"},
    },
    "figures": {
        "description": "Reported counts of people, with what they count and who reported them.",
        "facets": ["category", "unit", "approximate"],
        "columns": {
            "value": "The number (a conservative value for vague quantities)",
            "source_id": "Entity (E..) that reported it",
            "time": "TIMEX3 value of when it applies",
        },
    },
    "events": {
        "description": "Who did what to whom: PLOVER types and ACLED sub-event labels.",
        "facets": ["type", "acled"],
        "columns": {"actor1_id": "Doer (E..)", "actor2_id": "Target (E..)"},
    },
    "corpus_entities": {
        "description": "One row per real-world person or organisation across the corpus.",
        "facets": ["type", "affiliation"],
        "label_column": "name",
    },
    "errors": {
        "description": "Inputs that could not be read or extracted, and why.",
        "facets": ["stage"],
    },
    "duplicates": {"description": "Syndicated copies linked to their original article."},
    "disputes": {
        "description": "Disputed figures, precomputed: the same category, place and week "
        "reported with materially different values by different sources, one row per figure. "
        "The explorer's disputes page shows them side by side.",
        "facets": ["category", "place", "period"],
    },
}

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "quotes_by_speaker": {
        "title": "Quotes by speaker",
        "description": "Everything a speaker was quoted as saying, across articles.",
        "sql": """
select c.name as speaker, q.text as quote, q.cue, a.published, a.source, q.article_id
from quotes q
join entity_links l on l.article_id = q.article_id and l.entity_id = q.speaker_id
join corpus_entities c on c.corpus_id = l.corpus_id
join articles a on a.article_id = q.article_id
where c.name like '%' || :speaker || '%' and q.kind = 'direct'
order by a.published_date""",
    },
    "timeline": {
        "title": "Timeline of a place",
        "description": "Events and figures at a place, ordered by when they happened.",
        "sql": """
select * from (
  select e.time_from as happened, 'event' as what,
         e.type || coalesce(' / ' || e.acled, '') as detail,
         e.trigger_text as words, e.article_id
  from events e join places p on p.article_id = e.article_id and p.place_id = e.place_id
  where p.name like :place
  union all
  select f.time_from, 'figure', f.category || ' ' || cast(f.value as integer) || ' ' || f.unit,
         f.text, f.article_id
  from figures f join places p on p.article_id = f.article_id and p.place_id = f.place_id
  where p.name like :place
) order by happened""",
    },
}


def metadata_for(database: str) -> dict[str, Any]:
    return {
        "title": "newsgraph",
        "description_html": (
            "A knowledge base of news reports. Start from the "
            '<a href="/-/newsgraph">explorer</a>: articles with every fact highlighted, '
            "entities, places on a map, and disputed figures."
        ),
        "databases": {
            database: {
                "tables": TABLES,
                "queries": CANNED_QUERIES,
            }
        },
        "plugins": {
            "datasette-cluster-map": {
                "tile_layer": BLANK_TILE,
                "tile_layer_options": {"attribution": "newsgraph (no tiles: offline)"},
            }
        },
    }
