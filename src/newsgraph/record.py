"""The contract record (../shared/CONTRACT.md): the one interface between the pipeline
and everything after it.

Pipeline components write lists of the dataclasses below to their Doc extension
(`doc._.entities`, `doc._.places`, ...); :func:`build_record` turns a processed Doc into
the record that `newsgraph extract` prints and that the store, exports and scorers read.
Field names are fixed by the contract; records may carry more fields than it names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.tokens import Doc

from newsgraph import __version__

SECTIONS: tuple[str, ...] = ("entities", "places", "times", "quotes", "figures", "events")


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Entity:
    id: str
    name: str
    type: str
    titles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Place:
    id: str
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    feature: str | None = None
    entity: str | None = None
    confidence: float = 0.0
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Time:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None


@dataclass
class Figure:
    start: int
    end: int
    text: str
    value: float | int
    approximate: bool
    unit: str
    category: str
    source: str | None = None
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    place: str | None = None
    time: str | None = None
    # Beyond the contract: the kind of bound ("at least" -> min, "up to" -> max, "about"
    # -> approx, "between 200 and 300" -> range, else None), the range's upper end, and the
    # word the category was read from ("left", "evacuated").
    bound: str | None = None
    value_max: float | int | None = None
    cue: str | None = None


@dataclass
class Event:
    start: int
    end: int
    trigger: Mention
    type: str
    acled: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    place: str | None = None
    time: str | None = None
    # Beyond the contract: whether it happened (asserted) or is negated, hypothetical
    # (planned, threatened, demanded, conditional) or alleged; and the words naming each
    # actor, with a generic label ("government forces") and affiliation (ISO alpha-2)
    # when the actor is no named entity or a group behind one ("Assad's military").
    modality: str = "asserted"
    actor1_text: str | None = None
    actor1_start: int | None = None
    actor1_end: int | None = None
    actor1_label: str | None = None
    actor1_affiliation: str | None = None
    actor2_text: str | None = None
    actor2_start: int | None = None
    actor2_end: int | None = None
    actor2_label: str | None = None
    actor2_affiliation: str | None = None


def register_extension(name: str) -> None:
    """Register `doc._.<name>` (a list, empty until its component runs) once per process."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


for _section in (*SECTIONS, "published"):
    register_extension(_section)


def build_record(doc: Doc, article: Any) -> dict[str, Any]:
    """The contract record of one processed article.

    `article` is an :class:`newsgraph.ingest.Article` (anything with its attributes).
    Sections whose component is not in the pipeline are empty lists.
    """
    record: dict[str, Any] = {
        "id": article.id,
        "published": article.published,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "text": doc.text,
    }
    for section in SECTIONS:
        items = getattr(doc._, section) or []
        record[section] = [asdict(item) for item in items]
    record["pipeline"] = __version__
    return record


def iter_spans(record: dict[str, Any]):
    """Every (start, end, text) the record holds, for checking offsets against its text."""
    for entity in record["entities"]:
        for m in entity["mentions"]:
            yield m["start"], m["end"], m["text"]
    for place in record["places"]:
        for m in place["mentions"]:
            yield m["start"], m["end"], m["text"]
    for item in record["times"]:
        yield item["start"], item["end"], item["text"]
    for quote in record["quotes"]:
        yield quote["start"], quote["end"], quote["text"]
        if quote.get("speaker_start") is not None:
            yield quote["speaker_start"], quote["speaker_end"], quote["speaker_text"]
    for figure in record["figures"]:
        yield figure["start"], figure["end"], figure["text"]
        if figure.get("source_start") is not None:
            yield figure["source_start"], figure["source_end"], figure["source_text"]
    for event in record["events"]:
        trigger = event["trigger"]
        yield trigger["start"], trigger["end"], trigger["text"]
        for actor in ("actor1", "actor2"):
            if event.get(f"{actor}_start") is not None:
                yield event[f"{actor}_start"], event[f"{actor}_end"], event[f"{actor}_text"]
