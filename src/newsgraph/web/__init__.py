"""newsgraph's Datasette plugin: the explorer pages, links between them, and offline maps.

Registered through the `datasette` entry point, so it is active in `newsgraph serve` and in
any `datasette` run from the same environment. Its templates/ and static/ folders are
served by Datasette (static files at /-/static-plugins/newsgraph/).
"""

from __future__ import annotations

from urllib.parse import quote

from datasette import hookimpl
from markupsafe import Markup, escape

from newsgraph.web import pages

STATIC = "/-/static-plugins/newsgraph"


@hookimpl
def register_routes():
    return [
        (r"^/-/newsgraph$", pages.home),
        (r"^/-/newsgraph/article/(?P<article_id>[^/]+)$", pages.article),
        (r"^/-/newsgraph/entity/(?P<corpus_id>\d+)$", pages.entity),
        (r"^/-/newsgraph/place/(?P<place_key>[^/]+)$", pages.place),
        (r"^/-/newsgraph/places$", pages.places_map),
        (r"^/-/newsgraph/disputes$", pages.disputes),
    ]


@hookimpl
def asgi_wrapper(datasette):
    """The explorer only reads: any request that could change state is refused outright."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 405,
                        "headers": [(b"content-type", b"text/plain"), (b"allow", b"GET, HEAD")],
                    }
                )
                await send(
                    {"type": "http.response.body", "body": b"newsgraph serve is read-only\n"}
                )
                return
            await app(scope, receive, send)

        return read_only

    return wrap


@hookimpl
def extra_css_urls():
    return [f"{STATIC}/newsgraph.css"]


@hookimpl
def extra_js_urls():
    return [{"url": f"{STATIC}/newsgraph.js", "module": False}]


@hookimpl
def menu_links(datasette, actor, request):
    return [
        {"href": "/-/newsgraph", "label": "newsgraph explorer"},
        {"href": "/-/newsgraph/disputes", "label": "Disputed figures"},
        {"href": "/-/newsgraph/places", "label": "Map of places"},
    ]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Ids in Datasette's own table views link to the explorer's pages."""
    if value is None or value == "":
        return None
    if column == "article_id" and table != "errors":
        return Markup(
            f'<a href="/-/newsgraph/article/{quote(str(value), safe="")}">{escape(value)}</a>'
        )
    if column == "corpus_id" and table in ("corpus_entities", "entity_links"):
        return Markup(f'<a href="/-/newsgraph/entity/{int(value)}">{escape(value)}</a>')
    if column == "place_key":
        return Markup(
            f'<a href="/-/newsgraph/place/{quote(str(value), safe="")}">{escape(value)}</a>'
        )
    return None
