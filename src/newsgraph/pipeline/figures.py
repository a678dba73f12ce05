"""The `figures` component: writes `doc._.figures` (a list of record.Figure).

Placeholder until its issue lands: registered so the pipeline has its final shape,
it writes an empty list.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsgraph_figures", assigns=["doc._.figures"], default_config={})
def make_component(nlp: Language, name: str) -> FigureComponent:
    return FigureComponent()


class FigureComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = []
        return doc
