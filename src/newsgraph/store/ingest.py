"""`newsgraph ingest`: extract articles and store their records, safely and resumably.

- Idempotent: an article whose id, content hash and pipeline version are already stored
  is skipped before extraction; a changed article replaces its old facts in one
  transaction (writer.write_record).
- Resumable: articles are committed in small batches, each article atomic (WAL journal),
  so a killed run leaves a consistent database and the same command finishes the work
  without duplicates.
- Corpus-level tables (near-duplicates, corpus entities) are rebuilt from all stored
  articles at the end of any run that changed something, or that a kill interrupted.
- A bad input never stops the batch: it goes to the `errors` table and the report.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph import settings
from newsgraph.ingest import Article, InputError, read_inputs
from newsgraph.store.dedup import link_duplicates
from newsgraph.store.queries import store_disputes
from newsgraph.store.resolve import link_entities, store_aliases
from newsgraph.store.schema import connect
from newsgraph.store.writer import BatchWriter, is_stale, record_error
from newsgraph.tables import content_hash

Extractor = Callable[..., Iterator[Any]]


@dataclass
class IngestReport:
    written: int = 0
    unchanged: int = 0
    errors: list[InputError] = field(default_factory=list)
    duplicates: int = 0
    corpus_entities: int = 0
    disputes: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def _article_hash(article: Article) -> str:
    return content_hash(
        {
            "text": article.text,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "title": article.title,
        }
    )


def stored_articles(conn, *, stale_only: bool = True) -> Iterator[Article]:
    """Articles rebuilt from the database (for --reprocess without inputs), one at a time:
    ids first, so rewriting an article never disturbs the iteration."""
    sql = "SELECT article_id FROM articles"
    args: tuple = ()
    if stale_only:
        sql += " WHERE pipeline_version IS NOT ?"
        args = (settings.PIPELINE_VERSION,)
    ids = [r[0] for r in conn.execute(sql + " ORDER BY rowid", args)]
    for article_id in ids:
        row = conn.execute(
            "SELECT article_id, text, published, source, url, title, origin FROM articles "
            "WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        if row is not None:
            yield Article(
                id=row[0],
                text=row[1],
                published=row[2],
                source=row[3],
                url=row[4],
                title=row[5],
                origin=row[6],
            )


def ingest(
    paths: Sequence[str | Path],
    db: str | Path,
    *,
    workers: int = 1,
    reprocess: bool = False,
    published: str | None = None,
    source: str | None = None,
    alias_file: str | Path | None = None,
    batch_size: int = settings.BATCH_SIZE,
    progress: bool = True,
    extractor: Extractor | None = None,
) -> IngestReport:
    """Extract and store every article of `paths` into the database `db`.

    `reprocess` re-extracts articles stored by an older pipeline version; with no paths
    it re-extracts those from the text kept in the database. `extractor` replaces
    newsgraph.extract.extract (same signature), for tests.
    """
    started = time.perf_counter()
    conn = connect(db)
    report = IngestReport()
    if alias_file:
        store_aliases(conn, alias_file)
    if extractor is None:
        from newsgraph.extract import extract as extractor
    if paths:
        inputs: Iterable[Article | InputError] = read_inputs(paths, published, source)
    else:
        inputs = stored_articles(conn) if reprocess else []
    origins: dict[str, deque[str | None]] = defaultdict(deque)

    def pending() -> Iterator[Article | InputError]:
        # Skips stored, unchanged articles before they reach the (expensive) pipeline.
        for item in inputs:
            if isinstance(item, Article):
                row = conn.execute(
                    "SELECT content_hash, pipeline_version FROM articles WHERE article_id = ?",
                    (item.id,),
                ).fetchone()
                if (
                    row
                    and row[0] == _article_hash(item)
                    and (row[1] == settings.PIPELINE_VERSION or not reprocess)
                ):
                    report.unchanged += 1
                    if item.origin:  # a fixed input's old error no longer applies
                        with conn:
                            conn.execute("DELETE FROM errors WHERE input = ?", (item.origin,))
                    continue
                origins[item.id].append(item.origin)
            yield item

    config = {"newsgraph_entities": {"alias_file": str(alias_file)}} if alias_file else None
    todo = pending()
    first = next(todo, None)  # nothing to do: do not even load the pipeline
    outcomes = (
        extractor(
            itertools.chain([first], todo), workers=workers, batch_size=batch_size, config=config
        )
        if first is not None
        else iter(())
    )
    bar = _Progress(progress)
    writer = BatchWriter(conn)
    with bar:
        for outcome in outcomes:
            if isinstance(outcome, InputError):
                stage = "pipeline" if outcome.reason.startswith("pipeline failed") else "read"
                record_error(conn, outcome.input, outcome.reason, stage)
                report.errors.append(outcome)
            else:
                queue = origins.get(outcome["id"])
                origin = queue.popleft() if queue else None
                try:
                    writer.write(outcome, origin=origin)
                    report.written += 1
                except Exception as exc:  # a record the store cannot hold; the batch goes on
                    error = InputError(origin or str(outcome.get("id")), f"cannot store: {exc}")
                    record_error(conn, error.input, error.reason, "store")
                    report.errors.append(error)
            bar.update(report)
    writer.flush()
    finish_run(conn, report)
    conn.close()
    report.seconds = time.perf_counter() - started
    return report


def finish_run(conn, report: IngestReport) -> None:
    """End of a run that stored records: rebuild the corpus-level tables when anything
    changed (or a killed run left them stale), and count them into the report."""
    if report.written or is_stale(conn):
        report.duplicates, report.corpus_entities, report.disputes = rebuild_corpus_tables(conn)
    else:
        report.duplicates = conn.execute("SELECT count(*) FROM duplicates").fetchone()[0]
        report.corpus_entities = conn.execute("SELECT count(*) FROM corpus_entities").fetchone()[0]
        report.disputes = conn.execute("SELECT count(DISTINCT dispute) FROM disputes").fetchone()[0]


def rebuild_corpus_tables(conn) -> tuple[int, int, int]:
    """Rebuild the corpus-level tables from all stored articles, in one transaction (never
    seen half-built): near-duplicates, corpus entities, then the disputes (which read the
    entities' names). Returns (copies, corpus entities, disputes). Anything that writes
    records into the store (ingest, the Spark loader) calls this when it is done."""
    with conn:
        copies = link_duplicates(conn)
        entities = link_entities(conn)
        found = store_disputes(conn)
        conn.execute("DELETE FROM meta WHERE key = 'derived_stale'")
    return copies, entities, found


class _Progress:
    """A rich progress line on stderr: articles stored, articles/s, errors so far."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress = None
        self.started = time.perf_counter()

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("[bold]{task.fields[done]}[/] stored"),
                TextColumn("{task.fields[rate]:.1f} articles/s"),
                TextColumn("{task.fields[skipped]} unchanged"),
                TextColumn("[red]{task.fields[errors]} errors"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self.progress.__enter__()
            self.task = self.progress.add_task(
                "ingesting", total=None, done=0, rate=0.0, skipped=0, errors=0
            )
        self.started = time.perf_counter()
        return self

    def update(self, report: IngestReport) -> None:
        if self.progress is None:
            return
        elapsed = time.perf_counter() - self.started
        self.progress.update(
            self.task,
            done=report.written,
            rate=report.written / elapsed if elapsed else 0.0,
            skipped=report.unchanged,
            errors=len(report.errors),
        )

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)
