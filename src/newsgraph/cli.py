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


def _err(message: str) -> None:
    typer.echo(f"newsgraph: {message}", err=True)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .html, .jsonl), directories, or - for JSON Lines on stdin.")],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.", callback=_published_option),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source name for articles that carry none.")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="A readable summary instead of JSON Lines.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Processes to run the pipeline in.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = 32,
    alias_file: Annotated[
        Path | None, typer.Option(help="CSV or JSONL of your own entities and their aliases.")
    ] = None,
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
        read_inputs(paths, published, source), workers=workers,
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


@eval_app.command("events")
def eval_events(
    plover: Annotated[
        Path, typer.Option(help="The PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt).")
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Also list every record whose type was missed.")
    ] = False,
) -> None:
    """Events: PLOVER type accuracy (any, first event), types per record, actor accuracy."""
    from newsgraph.eval.events import evaluate, format_report

    if not plover.exists():
        _err(f"no such file: {plover}")
        raise typer.Exit(2)
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


@eval_app.command("figures")
def eval_figures(
    idmc: Annotated[Path, typer.Option(help="The IDMC workbook (IDMC_fully_labelled.xlsx).")],
    verbose: Annotated[bool, typer.Option("--verbose", help="Also list every miss.")] = False,
) -> None:
    """Figures: value recall, then category and unit accuracy on the found ones."""
    from newsgraph.eval.figures import evaluate, format_report

    if not idmc.exists():
        _err(f"no such file: {idmc}")
        raise typer.Exit(2)
    typer.echo(format_report(evaluate(idmc), verbose=verbose))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
