"""Articles in, contract records out: batched `nlp.pipe`, optionally across processes.

This is the one code path from Article to record; the CLI, the store's ingest and the
Spark runner all call it, so their records are identical.
"""

from __future__ import annotations

import itertools
import multiprocessing
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from spacy.language import Language

from newsgraph import settings
from newsgraph.ingest import Article, InputError
from newsgraph.pipeline import build_pipeline, make_doc
from newsgraph.record import build_record

Record = dict[str, Any]
Outcome = Record | InputError


def extract_batch(nlp: Language, articles: list[Article]) -> list[Outcome]:
    """Records for a batch, in order; an article that breaks the pipeline becomes an error."""
    docs = [make_doc(nlp, a.text, a.published) for a in articles]
    try:
        processed = list(nlp.pipe(docs, batch_size=len(docs) or 1))
        return [build_record(doc, a) for doc, a in zip(processed, articles, strict=True)]
    except Exception as exc:
        if len(articles) == 1:
            return [_pipeline_error(articles[0], exc)]
    # Isolate the article that failed; the rest of the batch is kept.
    outcomes: list[Outcome] = []
    for article in articles:
        try:
            doc = nlp(make_doc(nlp, article.text, article.published))
            outcomes.append(build_record(doc, article))
        except Exception as exc:
            outcomes.append(_pipeline_error(article, exc))
    return outcomes


def _pipeline_error(article: Article, exc: Exception) -> InputError:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return InputError(
        article.origin or article.id,
        f"pipeline failed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})",
    )


def extract(
    inputs: Iterable[Article | InputError],
    *,
    workers: int = 1,
    batch_size: int = settings.BATCH_SIZE,
    nlp: Language | None = None,
    config: dict[str, dict[str, Any]] | None = None,
) -> Iterator[Outcome]:
    """A record (or an InputError) for every input, in input order.

    Input errors pass straight through, so callers report them in place. With
    `workers > 1` batches are processed in that many processes, each loading the
    pipeline once (or inheriting `nlp`). `config` overrides component settings (see build_pipeline).
    """
    batches = _batches(inputs, batch_size)
    if workers <= 1:
        nlp = nlp or build_pipeline(config=config)
        for batch in batches:
            yield from _run_batch(lambda arts: extract_batch(nlp, arts), batch)
        return
    # Forked workers inherit a pipeline the caller already built (copy-on-write), so they
    # start at once; without one, each builds its own.
    global _worker_nlp
    _worker_nlp = nlp
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(config,)
    ) as pool:
        pending: deque[tuple[list[Article | InputError], Future[list[Outcome]]]] = deque()
        for batch in batches:
            articles = [a for a in batch if isinstance(a, Article)]
            pending.append((batch, pool.submit(_worker_extract, articles)))
            # Bounded look-ahead: a large corpus is never read into memory whole.
            while len(pending) > workers * 2:
                yield from _merge(*pending.popleft())
        while pending:
            yield from _merge(*pending.popleft())


def _batches(
    inputs: Iterable[Article | InputError], size: int
) -> Iterator[list[Article | InputError]]:
    iterator = iter(inputs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _run_batch(run, batch: list[Article | InputError]) -> Iterator[Outcome]:
    articles = [a for a in batch if isinstance(a, Article)]
    results = iter(run(articles) if articles else [])
    for item in batch:
        yield item if isinstance(item, InputError) else next(results)


def _merge(batch: list[Article | InputError], future: Future[list[Outcome]]) -> Iterator[Outcome]:
    results = iter(future.result())
    for item in batch:
        yield item if isinstance(item, InputError) else next(results)


_worker_nlp: Language | None = None


def _init_worker(config: dict[str, dict[str, Any]] | None) -> None:
    global _worker_nlp
    if _worker_nlp is None:
        _worker_nlp = build_pipeline(config=config)


def _worker_extract(articles: list[Article]) -> list[Outcome]:
    assert _worker_nlp is not None
    return extract_batch(_worker_nlp, articles)
