"""Hand-built contract records for the store tests (no pipeline needed)."""

from __future__ import annotations

from typing import Any

# Invented places with invented GeoNames-like ids (None: an unresolved place).
GEONAMES = {"Kessa": 9000001, "Dessin": 9000002}


def span(text: str, words: str, nth: int = 0) -> dict[str, Any]:
    """{start, end, text} of the nth occurrence of `words` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return {"start": start, "end": start + len(words), "text": words}


def make_record(
    id: str,
    text: str,
    *,
    published: str | None = "2026-03-04",
    source: str | None = "Test Wire",
    entities: list[tuple[str, str, list[str]]] | None = None,
    titles: dict[str, list[str]] | None = None,
    affiliations: dict[str, str] | None = None,
    places: list[tuple[str, str]] | None = None,
    times: list[tuple[str, str]] | None = None,
    quotes: list[tuple[str, str | None, str | None]] | None = None,
    figures: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A record from (name, type, [mention words]) entities, (name, mention) places,
    (words, TIMEX3) times, (quoted words, speaker name, speaker words) quotes, and figures /
    events given as dicts with `words` plus fields (`source`, `place` by name)."""
    record: dict[str, Any] = {
        "id": id,
        "published": published,
        "source": source,
        "url": None,
        "title": None,
        "text": text,
        "entities": [],
        "places": [],
        "times": [],
        "quotes": [],
        "figures": [],
        "events": [],
        "pipeline": "test",
    }
    ids: dict[str, str] = {}
    for n, (name, kind, words) in enumerate(entities or [], start=1):
        ids[name] = f"E{n}"
        record["entities"].append(
            {
                "id": f"E{n}",
                "name": name,
                "type": kind,
                "titles": (titles or {}).get(name, []),
                "affiliation": (affiliations or {}).get(name),
                "mentions": [span(text, w) for w in words],
            }
        )
    pids: dict[str, str] = {}
    for n, (name, words) in enumerate(places or [], start=1):
        pids[name] = f"P{n}"
        record["places"].append(
            {
                "id": f"P{n}",
                "name": name,
                "geonameid": GEONAMES.get(name),
                "lat": 35.0 + n,
                "lon": 38.0,
                "country": "XK",
                "feature": "PPLA",
                "entity": ids.get(name),
                "confidence": 0.9,
                "mentions": [span(text, words)],
            }
        )
    for words, value in times or []:
        record["times"].append({**span(text, words), "type": "DATE", "value": value})
    for words, speaker, speaker_words in quotes or []:
        quote = {
            **span(text, words),
            "kind": "direct" if speaker else "scare",
            "speaker": ids.get(speaker) if speaker else None,
            "speaker_text": None,
            "speaker_start": None,
            "speaker_end": None,
            "cue": "said",
        }
        if speaker_words:
            s = span(text, speaker_words)
            quote.update(speaker_text=s["text"], speaker_start=s["start"], speaker_end=s["end"])
        record["quotes"].append(quote)
    for fig in figures or []:
        fig = dict(fig)
        words = fig.pop("words")
        item = {
            **span(text, words),
            "value": fig.pop("value"),
            "approximate": False,
            "unit": "people",
            "category": fig.pop("category"),
            "source": None,
            "source_text": None,
            "source_start": None,
            "source_end": None,
            "place": None,
            "time": None,
        }
        if "source" in fig:
            name = fig.pop("source")
            item["source"] = ids[name]
            s = span(text, fig.pop("source_words", name))
            item.update(source_text=s["text"], source_start=s["start"], source_end=s["end"])
        if "place" in fig:
            item["place"] = pids[fig.pop("place")]
        item.update(fig)
        record["figures"].append(item)
    for ev in events or []:
        ev = dict(ev)
        words = ev.pop("words")
        sentence = ev.pop("sentence", words)
        s = span(text, sentence)
        item = {
            "start": s["start"],
            "end": s["end"],
            "trigger": span(text, words),
            "type": ev.pop("type"),
            "acled": None,
            "actor1": None,
            "actor2": None,
            "place": None,
            "time": None,
        }
        for key in ("actor1", "actor2"):
            if key in ev:
                item[key] = ids[ev.pop(key)]
        if "place" in ev:
            item["place"] = pids[ev.pop("place")]
        item.update(ev)
        record["events"].append(item)
    return record


KESSA_TEXT = (
    "UNHCR said 4,500 people were displaced in Kessa on Tuesday. "
    '"We have nowhere to go," said Amira Haddad. '
    "Government forces shelled Kessa."
)


def kessa_record(id: str = "a1", **overrides: Any) -> dict[str, Any]:
    """A small record with one of everything."""
    record = make_record(
        id,
        KESSA_TEXT,
        entities=[("UNHCR", "ORG", ["UNHCR"]), ("Amira Haddad", "PERSON", ["Amira Haddad"])],
        places=[("Kessa", "Kessa")],
        times=[("Tuesday", "2026-03-03")],
        quotes=[("We have nowhere to go,", "Amira Haddad", "Amira Haddad")],
        figures=[
            {
                "words": "4,500 people",
                "value": 4500,
                "category": "displaced",
                "source": "UNHCR",
                "place": "Kessa",
                "time": "2026-03-03",
            }
        ],
        events=[
            {
                "words": "shelled",
                "sentence": "Government forces shelled Kessa.",
                "type": "ASSAULT",
                "place": "Kessa",
                "time": "2026-03-03",
                "acled": "Shelling/artillery/missile attack",
            }
        ],
    )
    record.update(overrides)
    return record


CITIES = ["Kessa", "Dessin", "Marun", "Orlo"]
PEOPLE = ["Amira Haddad", "Karim Nasser", "Leila Nasser", "Samir Aziz"]


def small_corpus(n: int) -> list[dict]:
    """n distinct short articles with names and figures the fake extractor finds."""
    out = []
    for i in range(n):
        city = CITIES[i % len(CITIES)]
        person = PEOPLE[i % len(PEOPLE)]
        out.append(
            {
                "id": f"t{i:03d}",
                "published": f"2026-03-{1 + i % 20:02d}",
                "source": f"Outlet {i % 3}",
                "text": f"Report number {i}: {person} said {100 + 7 * i} people displaced in "
                f"{city}. Officials in {city} gave no figure on day {i}.",
            }
        )
    return out
