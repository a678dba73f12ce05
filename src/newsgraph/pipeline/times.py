"""The `times` component: writes `doc._.times` (a list of record.Time).

Placeholder until its issue lands: registered so the pipeline has its final shape,
it writes an empty list.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsgraph_times", assigns=["doc._.times"], default_config={})
def make_component(nlp: Language, name: str) -> TimeComponent:
    return TimeComponent()


class TimeComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.times = []
        return doc
