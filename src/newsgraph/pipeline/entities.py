"""The `entities` component: corrected named entities grouped into one entity per referent.

Writes `doc._.entities` (a list of record.Entity) and corrects `doc.ents` in place, so
later components read the fixed spans. Later components find the entity behind a span
with :func:`entity_at`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.record import Entity, Mention

NAMED_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}


@Language.factory(
    "newsgraph_entities",
    assigns=["doc.ents", "doc._.entities"],
    requires=["doc.ents"],
    default_config={"alias_file": None},
)
def make_component(nlp: Language, name: str, alias_file: str | None) -> EntitiesComponent:
    return EntitiesComponent(alias_file)


class EntitiesComponent:
    def __init__(self, alias_file: str | None = None) -> None:
        self.alias_file = alias_file

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [_strip_possessive(span) for span in doc.ents]
        doc._.entities = group_entities(doc)
        return doc


def _strip_possessive(span: Span) -> Span:
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].tag_ == "POS":
        end -= 1
    if end == span.end:
        return span
    return Span(span.doc, span.start, end, label=span.label)


def group_entities(doc: Doc) -> list[Entity]:
    """One Entity per referent: a surname joins the full name that contains it."""
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], Entity] = {}
    for span in doc.ents:
        if span.label_ not in NAMED_TYPES:
            continue
        key = (span.label_, span.text.lower())
        entity = by_key.get(key)
        if entity is None and span.label_ == "PERSON":
            entity = _person_with_token(entities, span.text)
        if entity is None:
            entity = Entity(id=f"E{len(entities) + 1}", name=span.text, type=span.label_)
            entities.append(entity)
        elif len(span.text) > len(entity.name) and span.label_ == entity.type:
            entity.name = span.text
        by_key[key] = entity
        entity.mentions.append(Mention(span.start_char, span.end_char, span.text))
    return entities


def _person_with_token(entities: list[Entity], text: str) -> Entity | None:
    words = text.split()
    for entity in entities:
        if entity.type != "PERSON":
            continue
        names = entity.name.split()
        if len(words) < len(names) and names[-len(words):] == words:
            return entity
        if len(names) < len(words) and words[-len(names):] == names:
            return entity
    return None


def entity_at(doc: Doc, start: int, end: int) -> str | None:
    """The id of the entity with a mention overlapping [start, end), preferring exact ones."""
    best: tuple[int, str] | None = None
    for entity in doc._.entities or []:
        for m in entity.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, entity.id)
    return best[1] if best else None
