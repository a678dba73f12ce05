"""A stand-in for newsgraph.extract.extract for store tests: deterministic records from
plain regular expressions, no spaCy model, optionally slow (for the kill test)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from newsgraph.ingest import Article, InputError

_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\b")
_FIGURE = re.compile(r"\b(\d[\d,]*) people (displaced|killed) in ([A-Z][a-z]+)")


def fake_record(article: Article) -> dict[str, Any]:
    text = article.text
    entities, places, figures = [], [], []
    by_name: dict[str, dict] = {}
    for m in _NAME.finditer(text):
        name = m.group()
        if name in {"The", "A"}:
            continue
        entity = by_name.get(name)
        if entity is None:
            entity = {
                "id": f"E{len(entities) + 1}",
                "name": name,
                "type": "PERSON" if " " in name else "ORG",
                "titles": [],
                "affiliation": None,
                "mentions": [],
            }
            entities.append(entity)
            by_name[name] = entity
        entity["mentions"].append({"start": m.start(), "end": m.end(), "text": name})
    for m in _FIGURE.finditer(text):
        place = {
            "id": f"P{len(places) + 1}",
            "name": m[3],
            "geonameid": None,
            "lat": None,
            "lon": None,
            "country": None,
            "feature": None,
            "entity": None,
            "confidence": 0.5,
            "mentions": [{"start": m.start(3), "end": m.end(3), "text": m[3]}],
        }
        places.append(place)
        figures.append(
            {
                "start": m.start(1),
                "end": m.end(2),
                "text": text[m.start(1) : m.end(2)],
                "value": int(m[1].replace(",", "")),
                "approximate": False,
                "unit": "people",
                "category": m[2],
                "source": None,
                "source_text": None,
                "source_start": None,
                "source_end": None,
                "place": place["id"],
                "time": None,
            }
        )
    return {
        "id": article.id,
        "published": article.published,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "text": text,
        "entities": entities,
        "places": places,
        "times": [],
        "quotes": [],
        "figures": figures,
        "events": [],
        "pipeline": "fake",
    }


def fake_extract(
    inputs: Iterable[Article | InputError], *, delay: float = 0.0, **_: Any
) -> Iterator[dict[str, Any] | InputError]:
    for item in inputs:
        if isinstance(item, InputError):
            yield item
            continue
        if delay:
            time.sleep(delay)
        if "BREAK THE PIPELINE" in item.text:
            yield InputError(item.origin or item.id, "pipeline failed: RuntimeError: planted")
            continue
        record = fake_record(item)
        if "BREAK THE STORE" in item.text:  # a record the store must refuse (no name)
            record["entities"].append(
                {
                    "id": "E99",
                    "name": None,
                    "type": "ORG",
                    "titles": [],
                    "affiliation": None,
                    "mentions": [],
                }
            )
        yield record
