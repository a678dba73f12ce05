"""`newsgraph serve`: Datasette on the knowledge base, read-only, with newsgraph's plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgraph.web.metadata import metadata_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def make_datasette(db: str | Path, *, immutable: bool = False) -> Any:
    """A Datasette instance on `db`, read-only, with newsgraph's metadata.

    Datasette reads through `mode=ro` connections and refuses SQL that is not a SELECT;
    newsgraph defines no writable canned queries and loads no plugin that writes, so no
    page can change the database. `immutable` also lets Datasette cache counts (for a
    database no ingest will touch while it is served).
    """
    from datasette.app import Datasette

    path = Path(db)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such database (run `newsgraph ingest` first)")
    name = path.stem
    files = [] if immutable else [str(path)]
    return Datasette(
        files,
        immutables=[str(path)] if immutable else [],
        metadata=metadata_for(name),
        settings={
            "default_page_size": 50,
            "sql_time_limit_ms": 3000,
            "allow_download": True,
            "max_returned_rows": 5000,
            "default_facet_size": 15,
            # Suggestions run a query per column on every table page: too slow on a big corpus.
            "suggest_facets": False,
        },
    )


def serve(db: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    import uvicorn

    datasette = make_datasette(db)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
