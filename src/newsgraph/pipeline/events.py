"""The `events` component: writes `doc._.events` (a list of record.Event).

Placeholder until its issue lands: registered so the pipeline has its final shape,
it writes an empty list.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsgraph_events", assigns=["doc._.events"], default_config={})
def make_component(nlp: Language, name: str) -> EventComponent:
    return EventComponent()


class EventComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.events = []
        return doc
