"""The `newsgraph` command. Thin: it parses arguments and hands off to the stage modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.ingest import InputError, parse_published
from newsgraph.ingest.article import PublishedDateError

app = typer.Typer(
    help="Turn news reports into sourced, queryable records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score an extractor against public gold data (../shared/eval).")
app.add_typer(eval_app, name="eval")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _published_option(value: str | None) -> str | None:
    try:
        return parse_published(value)
    except PublishedDateError as exc:
        raise typer.BadParameter(str(exc)) from exc


# Options several commands share.
PublishedOption = Annotated[
    str | None,
    typer.Option(
        help="Publication date (YYYY-MM-DD) for articles that carry none.",
        callback=_published_option,
    ),
]
SourceOption = Annotated[str | None, typer.Option(help="Source name for articles that carry none.")]
AliasFileOption = Annotated[
    Path | None, typer.Option(help="CSV or JSONL of your own entities and their aliases.")
]


def _err(message: str) -> None:
    typer.echo(f"newsgraph: {message}", err=True)


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .warc), directories, or - for JSON Lines on stdin."
        ),
    ],
    published: PublishedOption = None,
    source: SourceOption = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="A readable summary instead of JSON Lines.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="Processes to run the pipeline in.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = 32,
    alias_file: AliasFileOption = None,
) -> None:
    """Print one contract record per article as JSON Lines (see CONTRACT.md)."""
    from newsgraph.extract import extract as run_extract
    from newsgraph.ingest import read_inputs
    from newsgraph.pipeline import ModelNotFoundError, build_pipeline

    config = {"newsgraph_entities": {"alias_file": str(alias_file)}} if alias_file else None
    try:
        # Built here even for several workers, so a missing model is reported once, up front.
        nlp = build_pipeline(config=config)
    except (ModelNotFoundError, OSError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    failed = 0
    printed = 0
    render = None
    if pretty:
        from newsgraph.report import print_record

        render = print_record
    for outcome in run_extract(
        read_inputs(paths, published, source),
        workers=workers,
        batch_size=batch_size,
        nlp=nlp,
        config=config,
    ):
        if isinstance(outcome, InputError):
            failed += 1
            _err(str(outcome))
            continue
        printed += 1
        if render:
            render(outcome)
        else:
            sys.stdout.write(json.dumps(outcome, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if failed:
        _err(f"{failed} input(s) failed, {printed} record(s) written")
        raise typer.Exit(1)


@eval_app.command("ner")
def eval_ner(
    conll: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="A CoNLL-2003 file (4 columns, IOB1 tags)."),
    ],
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N docs.")] = None,
) -> None:
    """Entities: P/R/F1 per type (exact span and type), ours vs bare en_core_web_sm."""
    from newsgraph.eval.ner import evaluate, report

    try:
        result = evaluate(conll, limit=limit)
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    typer.echo(report(result))


@eval_app.command("figures")
def eval_figures(
    idmc: Annotated[
        Path,
        typer.Option(
            exists=True, dir_okay=False, help="The IDMC workbook (IDMC_fully_labelled.xlsx)."
        ),
    ],
    verbose: Annotated[bool, typer.Option("--verbose", help="Also list every miss.")] = False,
) -> None:
    """Figures: value recall, then category and unit accuracy on the found ones."""
    from newsgraph.eval.figures import evaluate, format_report

    typer.echo(format_report(evaluate(idmc), verbose=verbose))


@eval_app.command("geo")
def eval_geo(
    xml: Annotated[
        list[Path],
        typer.Option(exists=True, dir_okay=False, help="LGL / TR-News XML file(s) (repeatable)."),
    ],
    cache: Annotated[
        Path | None, typer.Option(help="Directory to keep the base model's parses in, for re-runs.")
    ] = None,
) -> None:
    """Places: toponym recall, accuracy within 161 km of all gold toponyms, median km, precision."""
    from newsgraph.eval.geo import evaluate, format_metrics

    for path in xml:
        typer.echo(format_metrics(path.name, evaluate(path, cache)))


@eval_app.command("events")
def eval_events(
    plover: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="The PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt).",
        ),
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Also list every record whose type was missed.")
    ] = False,
) -> None:
    """Events: PLOVER type accuracy (any, first event), types per record, actor accuracy."""
    from newsgraph.eval.events import evaluate, format_report

    typer.echo(format_report(evaluate(plover), verbose=verbose))


@eval_app.command("quotes")
def eval_quotes(
    polnear: Annotated[Path, typer.Option(help="A PolNeAR folder with text/ and attributions/.")],
    cache: Annotated[
        Path | None, typer.Option(help="Directory to keep the base model's parses in, for re-runs.")
    ] = None,
    baseline: Annotated[bool, typer.Option(help="Also score textacy's direct_quotations.")] = True,
) -> None:
    """Quotes: quote F1 and speaker-attributed F1 on PolNeAR, with textacy as the baseline."""
    from newsgraph.eval.quotes import evaluate, format_result

    if not (polnear / "attributions").is_dir():
        _err(f"no attributions/ folder in {polnear}")
        raise typer.Exit(2)
    typer.echo(format_result(evaluate(polnear, cache=cache, baseline=baseline)))


@eval_app.command("time")
def eval_time(
    timeml: Annotated[
        list[Path], typer.Option(exists=True, help="TimeML .tml file(s) or folder(s) (repeatable).")
    ],
    cache: Annotated[
        Path | None, typer.Option(help="Directory to keep the base model's parses in, for re-runs.")
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            help="Write every wrong value, missed and spurious timex here (TSV, with context)."
        ),
    ] = None,
) -> None:
    """Times: TempEval-3 span P/R/F1 (relaxed, strict), type accuracy and value F1 on TimeML."""
    from newsgraph.eval.time import evaluate, format_metrics

    typer.echo(format_metrics(evaluate(timeml, cache=cache, errors=errors)))
    if errors is not None:
        typer.echo(f"errors written to {errors}", err=True)


@app.command()
def serve(
    db: Annotated[Path, typer.Option(help="The knowledge base to explore.")] = Path("newsgraph.db"),
    host: Annotated[
        str, typer.Option(help="Address to bind; loopback unless you mean to share it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
) -> None:
    """Explore the knowledge base in a browser (Datasette, read-only, with newsgraph's pages)."""
    from newsgraph.web.server import serve as run_server

    if not db.exists():
        _err(f"{db}: no such database (run `newsgraph ingest` first)")
        raise typer.Exit(2)
    typer.echo(
        f"newsgraph explorer on http://{host}:{port}/-/newsgraph  (Ctrl-C to stop)", err=True
    )
    run_server(db, host=host, port=port)


@app.command()
def spark(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files (.jsonl, .parquet, .txt, .html, .warc), directories or globs; "
            "local paths or Hadoop URIs (hdfs://, s3a://)."
        ),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Directory for the Parquet tables.")
    ],
    master: Annotated[
        str | None,
        typer.Option(help="Spark master, e.g. local[4]; default: spark-submit's, else local[*]."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Partitions (default: 1 per 1000 articles, 2 per core at least)."),
    ] = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace OUTPUT if it exists.")
    ] = False,
    alias_file: Annotated[
        str | None,
        typer.Option(
            help="CSV or JSONL of your own entities and their aliases (a path or Hadoop URI); "
            "shipped to every executor."
        ),
    ] = None,
) -> None:
    """Run the pipeline on Apache Spark: one Parquet table per section, by publication month."""
    from newsgraph.spark import spark_available

    missing = spark_available()
    if missing:
        _err(missing)
        raise typer.Exit(2)
    from newsgraph.spark.job import SparkJobError, create_session, run

    session = create_session(master)
    try:
        summary = run(
            session,
            inputs,
            output,
            partitions=partitions,
            published=published,
            source=source,
            overwrite=overwrite,
            alias_file=alias_file,
        )
    except SparkJobError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    finally:
        session.stop()
    tables = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    typer.echo(
        f"{summary.articles} record(s), {summary.errors} error(s) in {summary.seconds:.1f} s "
        f"({summary.partitions} partitions) -> {summary.output}\n{tables}",
        err=True,
    )


# ---------------------------------------------------------------- the knowledge base
query_app = typer.Typer(help="Ask the knowledge base (see docs/schema.md). JSON: a list of rows.")
app.add_typer(query_app, name="query")

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite knowledge base.")]
FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files (.txt, .html, .jsonl), directories, or -.")
    ] = None,
    db: DbOption = Path("newsgraph.db"),
    workers: Annotated[int, typer.Option(min=1, help="Processes to run the pipeline in.")] = 1,
    reprocess: Annotated[
        bool,
        typer.Option(
            "--reprocess", help="Re-extract articles stored by an older pipeline version."
        ),
    ] = False,
    published: PublishedOption = None,
    source: SourceOption = None,
    alias_file: AliasFileOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    parquet: Annotated[
        str | None,
        typer.Option(help="Load the output DIR of `newsgraph spark` instead of extracting."),
    ] = None,
) -> None:
    """Extract articles and store them in the knowledge base (idempotent, resumable)."""
    from newsgraph.store import SchemaError
    from newsgraph.store import ingest as run_ingest

    if parquet:
        _ingest_parquet(parquet, db, paths)
        return
    if not paths and not reprocess:
        _err("give files or directories to ingest (or --reprocess to re-extract stored articles)")
        raise typer.Exit(2)
    try:
        report = run_ingest(
            paths or [],
            db,
            workers=workers,
            reprocess=reprocess,
            published=published,
            source=source,
            alias_file=alias_file,
            progress=not quiet,
        )
    except SchemaError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    _report_ingest(report, db)


def _report_ingest(report, db: Path) -> None:
    """Each failed input, then one line of totals; exit 1 when anything failed."""
    for error in report.errors:
        _err(str(error))
    typer.echo(
        f"{report.written} article(s) stored, {report.unchanged} unchanged, "
        f"{len(report.errors)} error(s) in {report.seconds:.1f} s ({report.rate:.1f} articles/s); "
        f"{report.duplicates} syndicated copies, {report.corpus_entities} corpus entities, "
        f"{report.disputes} disputes -> {db}",
        err=True,
    )
    if report.errors:
        raise typer.Exit(1)


def _ingest_parquet(directory: str, db: Path, paths: list[str] | None) -> None:
    from newsgraph.spark.load import ParquetLayoutError, load_parquet
    from newsgraph.store import SchemaError

    if paths:
        _err("give either files to extract or --parquet DIR, not both")
        raise typer.Exit(2)
    try:
        report = load_parquet(directory, db)
    except (SchemaError, ParquetLayoutError, FileNotFoundError) as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    _report_ingest(report, db)


def _open_db(db: Path):
    from newsgraph.store import SchemaError, connect

    try:
        return connect(db, readonly=True)
    except SchemaError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc


def _show(rows, fmt: str, title: str) -> None:
    from newsgraph.store.render import print_json, print_rows

    if fmt == "json":
        print_json(rows)
    else:
        print_rows(rows, title=title)


@query_app.command("quotes")
def query_quotes(
    speaker: Annotated[str | None, typer.Option(help="Speaker (any spelling of the name).")] = None,
    db: DbOption = Path("newsgraph.db"),
    fmt: FormatOption = "table",
) -> None:
    """Everything a speaker was quoted as saying, in publication order."""
    from newsgraph.store import queries

    _show(
        queries.quotes(_open_db(db), speaker=speaker),
        fmt,
        f"Quotes{' by ' + speaker if speaker else ''}",
    )


@query_app.command("timeline")
def query_timeline(
    place: Annotated[str | None, typer.Option(help="Place name (or GeoNames id).")] = None,
    entity: Annotated[str | None, typer.Option(help="Person or organisation.")] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="First date (YYYY-MM-DD).", callback=_published_option),
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).", callback=_published_option)
    ] = None,
    db: DbOption = Path("newsgraph.db"),
    fmt: FormatOption = "table",
) -> None:
    """Events and figures ordered by when they happened (not when they were published)."""
    from newsgraph.store import queries

    if not place and not entity:
        _err("timeline needs --place or --entity")
        raise typer.Exit(2)
    rows = queries.timeline(
        _open_db(db), place=place, entity=entity, date_from=date_from, date_to=date_to
    )
    _show(rows, fmt, f"Timeline of {place or entity}")


@query_app.command("figures")
def query_figures(
    category: Annotated[
        str | None, typer.Option(help="killed, displaced, ... (CONTRACT.md).")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place name (or GeoNames id).")] = None,
    source: Annotated[str | None, typer.Option(help="Who reported them.")] = None,
    db: DbOption = Path("newsgraph.db"),
    fmt: FormatOption = "table",
) -> None:
    """Reported figures with who reported them, where and when."""
    from newsgraph.store import queries

    _show(
        queries.figures(_open_db(db), category=category, place=place, source=source), fmt, "Figures"
    )


@query_app.command("disputes")
def query_disputes(db: DbOption = Path("newsgraph.db"), fmt: FormatOption = "table") -> None:
    """Same category, place and week reported with materially different values by different
    sources, side by side with their sentences."""
    from newsgraph.store import queries
    from newsgraph.store.render import print_disputes, print_json

    rows = queries.disputes(_open_db(db))
    print_json(rows) if fmt == "json" else print_disputes(rows)


@query_app.command("search")
def query_search(
    text: Annotated[str, typer.Argument(help="Words to find in articles and quotes.")],
    limit: Annotated[int, typer.Option(min=1)] = 20,
    db: DbOption = Path("newsgraph.db"),
    fmt: FormatOption = "table",
) -> None:
    """Full-text search over article text and quotes."""
    from newsgraph.store import queries

    _show(queries.search(_open_db(db), text, limit=limit), fmt, f"Search: {text}")


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl, parquet (a directory of tables) or gkg.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File (jsonl, gkg) or directory (parquet).")
    ],
    db: DbOption = Path("newsgraph.db"),
) -> None:
    """Export the knowledge base: records as JSON Lines, tables as Parquet, or GDELT GKG 2.1."""
    from newsgraph.store import export as exports

    conn = _open_db(db)
    if fmt == "jsonl":
        typer.echo(f"{exports.export_jsonl(conn, output)} record(s) -> {output}", err=True)
    elif fmt == "parquet":
        counts = exports.export_parquet(conn, output)
        typer.echo(", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {output}/", err=True)
    elif fmt == "gkg":
        typer.echo(f"{exports.export_gkg(conn, output)} GKG row(s) -> {output}", err=True)
    else:
        _err(f"unknown format {fmt!r}: jsonl, parquet or gkg")
        raise typer.Exit(2)


@app.command()
def demo(
    db: DbOption = Path("newsgraph.db"),
    workers: Annotated[int, typer.Option(min=1, help="Processes to run the pipeline in.")] = 1,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then start the explorer on it (Ctrl-C stops it).")
    ] = False,
    port: Annotated[int, typer.Option(help="The explorer's port, with --serve.")] = 8001,
) -> None:
    """Ingest the sample corpus (examples/), print a summary and the disputed figures, and
    optionally start the explorer on the result."""
    from newsgraph.store import SchemaError, queries
    from newsgraph.store import ingest as run_ingest
    from newsgraph.store.render import print_disputes, print_summary

    try:
        report = run_ingest([str(EXAMPLES)], db, workers=workers)
    except SchemaError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    for error in report.errors:
        _err(str(error))
    conn = _open_db(db)
    print_summary(queries.summary(conn))
    print_disputes(queries.disputes(conn))
    conn.close()
    if serve:
        from newsgraph.web.server import serve as run_server

        typer.echo(f"\nExplorer: open http://127.0.0.1:{port}/-/newsgraph  (Ctrl-C to stop)")
        run_server(db, port=port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
