"""The `places` component: writes `doc._.places` (a list of record.Place).

Placeholder until its issue lands: registered so the pipeline has its final shape,
it writes an empty list.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsgraph_places", assigns=["doc._.places"], default_config={})
def make_component(nlp: Language, name: str) -> PlaceComponent:
    return PlaceComponent()


class PlaceComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.places = []
        return doc
