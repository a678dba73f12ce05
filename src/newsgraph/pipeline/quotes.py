"""The `quotes` component: writes `doc._.quotes` (a list of record.Quote).

Placeholder until its issue lands: registered so the pipeline has its final shape,
it writes an empty list.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsgraph_quotes", assigns=["doc._.quotes"], default_config={})
def make_component(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent()


class QuoteComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []
        return doc
