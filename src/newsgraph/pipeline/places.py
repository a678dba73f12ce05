"""The `places` component: every place name resolved to GeoNames, with coordinates.

Writes `doc._.places` (a list of record.Place, ids "P1"..). Reads `doc.ents` as the
entities component corrected them and `doc._.entities`; resolves against the compiled
gazetteer (:mod:`newsgraph.pipeline.gazetteer`), countries through
:mod:`newsgraph.pipeline.countries`.

1. Candidates. GPE/LOC/FAC entities: a leading "the" or direction word ("eastern Aleppo")
   and a trailing possessive are not part of the name, "Springfield, Ill." is two names,
   "City of Montreal" is Montreal. Entities the model labelled otherwise ("Georgia" as
   PERSON, "Texas" as ORG) when wholly a place name, and the place in front of a public
   body ("Laurel County Sheriff's Office"), but not of an institution named after a place
   ("Aleppo University"). Capitalized proper-noun runs outside every entity that the
   gazetteer knows (names the model missed). Demonyms are never places.
2. Senses: every gazetteer entry of the name (countries by name, short form or code,
   states by name or abbreviation, towns and counties by name or alternate name).
3. Choice, once per distinct name (one sense per document), by a score: a prior from the
   feature (country > US state > town by population > county) plus the article's context:
   an explicit qualifier ("Paris, Texas"), the countries the article is about (demonyms,
   its other places), the states its other places lie in, and nearness to the possible
   senses of its other names. Two passes: the second sees the first's choices. A name the
   model did not call a place stands only when its sense is a division or a sizeable town,
   or when that context supports it. Confidence is the winner's share of the softmax over
   the senses' scores. Names without any sense keep geonameid null.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.pipeline import countries
from newsgraph.pipeline.doc_cache import doc_text
from newsgraph.pipeline.entities import entity_at
from newsgraph.pipeline.gazetteer import (
    CAPITAL,
    CITY,
    CONTINENT,
    COUNTRY,
    COUNTY,
    STATE,
    Entry,
    Gazetteer,
    distance_km,
    get_gazetteer,
    name_key,
)
from newsgraph.record import Mention, Place

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Labels for values, not names: a capitalized proper noun the model put in one ("in
# Winnipeg." as DATE) is still open to the gazetteer scan.
VALUE_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
# Labels the model sometimes gives a place name ("Georgia" PERSON, "Texas" ORG, "Aleppo"
# NORP or LANGUAGE): such an entity is a place when it is wholly a known place name.
MISLABELLED = {"PERSON", "ORG", "NORP", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT"}
DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "central",
    "downtown",
    "rural",
    "greater",
    "upstate",
    "mid",
    "midwestern",
    "coastal",
    "suburban",
    "far",
    "sub-saharan",
}
# Generic words after a name ("Sichuan province", "Virginia State"): tried without them
# when the whole has no gazetteer sense.
GENERIC_TAILS = {
    "township",
    "twp",
    "province",
    "state",
    "region",
    "city",
    "district",
    "governorate",
    "oblast",
    "prefecture",
    "territory",
    "municipality",
}
# Country codes that news writes as names; other capital codes ("BA", "MW") are not places.
COUNTRY_CODES_AS_NAMES = {"US", "USA", "UK", "UAE", "DRC", "PRC", "ROK", "DPRK", "GB"}
_REGION_FEATURES = ("RGN", "SEA", "OCN", "GULF")
_LOCAL = (CITY, CAPITAL, COUNTY)  # senses small enough to say where an article is
_LEADING = re.compile(r"^(?:the|of)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")
_DIVISION_AFTER = re.compile(r"\s*(?:state|province|governorate|region|oblast)\b", re.I)
_OF_PLACE = re.compile(
    r"^(?:(?:the\s+)?(?:City|Town|Village|Township|Borough|County|Parish|Province|State|"
    r"Commonwealth|Republic|Kingdom|District|Municipality|Government|Governor|Mayor|"
    r"Premier|Legislature|Parliament|People|Citizens|Residents)\s+of\s+)(?:the\s+)?(.+)$",
)
# "Children's Court of Queensland", "Conference Board of Canada": a public body's word,
# then "of" and the place.
_BODY_OF_PLACE = re.compile(r"\b([A-Za-z']+)\s+of\s+(?:the\s+)?((?:[A-Z][\w.'-]*\s?){1,3})$")
_IN_PLACE = re.compile(r"\s(in|of)\s+((?:[A-Z][\w.'-]*\s?){1,3})$")
# A preposition that puts what follows on the map: a name the model called a person right
# after it ("a home in Lanexa") is more likely a place.
_LOCATIVE = re.compile(r"\b(?:in|near|outside|throughout)\s+$")
_QUALIFIER = re.compile(r"^,\s*((?:[A-Z][A-Za-z]*\.?\s?){1,3})")


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    key: str
    weak: bool = False  # the model did not call it a place
    scanned: bool = False  # ... nor a named entity at all: found by the gazetteer scan
    state_word: bool = False  # followed by "state" ("Washington state")
    qualifier: tuple[str, str] | None = None  # ("US", "TX") or ("FR", "")
    qualifies: bool = False  # itself the state after "Town, " ("Sask." in "Melville, Sask.")
    locative: bool = False  # right after "in", "near" ... ("lives in Lanexa")
    person: bool = False  # the model called it a person ("Obama")


@dataclass
class _Sense:
    entry: Entry | None
    confidence: float
    mentions: list[Candidate] = field(default_factory=list)


@Language.factory(
    "newsgraph_places",
    assigns=["doc._.places"],
    requires=["doc.ents", "doc._.entities"],
    default_config={"scan_min_population": 20000, "min_confidence": 0.0},
)
def make_component(
    nlp: Language, name: str, scan_min_population: int, min_confidence: float
) -> PlaceComponent:
    return PlaceComponent(scan_min_population=scan_min_population, min_confidence=min_confidence)


class PlaceComponent:
    def __init__(self, scan_min_population: int = 20000, min_confidence: float = 0.0) -> None:
        self.scan_min_population = scan_min_population
        self.min_confidence = min_confidence
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        # Opened on first use, so building the pipeline stays cheap.
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        doc._.places = resolve_places(
            doc, self.gazetteer, self.scan_min_population, self.min_confidence
        )
        return doc


# --- data -----------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    path = resources.files("newsgraph.pipeline") / "data" / "places" / name
    return [
        line.rstrip("\n")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@functools.cache
def _abbreviations() -> dict[str, tuple[str, str]]:
    """Abbreviation ("Ill.", "B.C.", "TX") -> (country, full name)."""
    out = {}
    for line in _data_lines("state_abbreviations.tsv"):
        abbr, cc, name = line.split("\t")
        out[abbr] = (cc, name)
    return out


@functools.cache
def _jurisdiction_words() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _data_lines("jurisdiction_words.txt"))


@functools.cache
def _not_places() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _data_lines("not_places.txt"))


# --- candidates -----------------------------------------------------------------------


def _clean_span(text: str, start: int) -> tuple[str, int]:
    """Drop a leading "the"/direction word and a trailing possessive; returns (text, start)."""
    while True:
        m = _LEADING.match(text)
        if m:
            text, start = text[m.end() :], start + m.end()
            continue
        first, _, rest = text.partition(" ")
        if rest and first.lower() in DIRECTIONS and (first.islower() or not _known_whole(text)):
            start += len(text) - len(rest)
            text = rest
            continue
        break
    m = _POSSESSIVE.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    stripped = text.rstrip(" .,;:")
    # Keep a final period that belongs to an abbreviation ("U.S.", "Ill.").
    if text.endswith(".") and (
        re.search(r"\b[A-Z]\.[A-Z]\.$", text) or stripped + "." in _abbreviations()
    ):
        stripped = stripped + "."
    return stripped, start


@functools.cache
def _known_whole_cached(key: str) -> bool:
    return bool(get_gazetteer().lookup(key))


def _known_whole(text: str) -> bool:
    # "North Carolina", "South Africa", "West Bank": the direction word is part of the name.
    return countries.country_code(text) is not None or _known_whole_cached(name_key(text))


def _qualifier_after(text: str, end: int) -> tuple[str, str] | None:
    """A US state or country named right after the place and a comma."""
    found = _qualifier_span(text, end)
    return found[0] if found else None


def _qualifier_span(text: str, end: int) -> tuple[tuple[str, str], int, str, str] | None:
    """The state or country right after the place and a comma: ((country, admin1), its
    start, its text as written, its lookup key)."""
    m = _QUALIFIER.match(text[end : end + 40])
    if not m:
        return None
    words = m.group(1).strip()
    start = end + m.start(1)
    # Try the longest run of words first ("New York" before "New").
    parts = words.split()
    for n in range(len(parts), 0, -1):
        phrase = " ".join(parts[:n])
        bare = phrase.rstrip(".") if not re.search(r"[A-Z]\.[A-Z]?\.?$", phrase) else phrase
        abbr = _abbreviations().get(phrase) or _abbreviations().get(bare)
        written = phrase if abbr and phrase in _abbreviations() else bare
        if abbr:
            division = _division_named(abbr[0], name_key(abbr[1]))
            if division:
                return (division.country, division.admin1), start, written, name_key(abbr[1])
        state = _us_state(name_key(bare))
        if state:
            return ("US", state.admin1), start, bare, name_key(bare)
        cc = countries.country_code(bare)
        if cc:
            return (cc, ""), start, bare, name_key(bare)
    return None


def _us_state(key: str) -> Entry | None:
    return _division_named("US", key)


def _division_named(cc: str, key: str) -> Entry | None:
    for e in get_gazetteer().lookup(key):
        if e.feature == STATE and e.country == cc:
            return e
    return None


def _with_period(full: str, text: str, start: int) -> str:
    """ "Ky" + the period the tokenizer left outside the entity: the abbreviation "Ky."."""
    end = start + len(text)
    if text and text + "." in _abbreviations() and full[end : end + 1] == ".":
        return text + "."
    return text


def _key_of(text: str) -> str:
    """The lookup key of a candidate's text: a dotted abbreviation or an informal name
    ("L.A.") stands for its name."""
    abbr = _abbreviations().get(text)
    if abbr and "." in text:
        return name_key(abbr[1])
    alias = _aliases().get(text)
    if alias:
        return name_key(alias)
    return name_key(text)


@functools.cache
def _aliases() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in _data_lines("aliases.tsv"))


def _is_demonym(text: str) -> bool:
    return countries.is_demonym(text)


def _strong_name(text: str, gaz: Gazetteer) -> bool:
    """Wholly a country, US state, continent or curated region name."""
    if countries.country_code(text):
        return True
    return any(
        not e.alternate
        and (
            (e.feature in (STATE, CONTINENT) and (e.country in ("US", "")))
            or e.feature in _REGION_FEATURES
        )
        for e in gaz.lookup(_key_of(text))
    )


def _candidates_from_span(full: str, span: Span, weak: bool = False) -> list[Candidate]:
    out = []
    # "Springfield, Ill." / "Kabul, Afghanistan" inside one entity: one candidate per part.
    offset = span.start_char
    for part in re.split(r"(,\s*)", span.text):
        if part and not re.fullmatch(r",\s*", part):
            text, start = _clean_span(part.strip(), offset + (len(part) - len(part.lstrip())))
            text = _with_period(full, text, start)
            if text and any(ch.isalpha() for ch in text) and not _is_demonym(text):
                out.extend(_hyphenated(start, text, weak) or [_candidate(start, text, weak)])
        offset += len(part)
    for i, cand in enumerate(out):
        if i + 1 < len(out):
            cand.qualifier = _qualifier_after(full, cand.end)
    return out


def _hyphenated(start: int, text: str, weak: bool) -> list[Candidate]:
    """ "Fargo-Moorhead", "Dallas-Fort Worth": two places joined by a hyphen, when the whole
    is not itself a name ("Winston-Salem") and each side is."""
    gaz = get_gazetteer()
    if "-" not in text or gaz.has(_key_of(text)) or countries.country_code(text):
        return []
    left, _, right = text.partition("-")
    if left[:1].isupper() and right.islower() and _strong_name(left, gaz):
        return [_candidate(start, left, weak)]  # "U.S.-led", "Syria-based"
    if not (left[:1].isupper() and right[:1].isupper()):
        return []
    if not all(gaz.has(_key_of(p)) or countries.country_code(p) for p in (left, right)):
        return []
    return [_candidate(start, left, weak), _candidate(start + len(left) + 1, right, weak)]


def _candidate(start: int, text: str, weak: bool = False) -> Candidate:
    key = _key_of(text)
    m = _OF_PLACE.match(text)
    if m and not get_gazetteer().has(key) and not countries.country_code(text):
        # "City of Montreal", "Government of Alberta": the place after "of".
        start, text = start + m.start(1), m.group(1)
        key = _key_of(text)
    if not get_gazetteer().has(key) and not countries.country_code(text):
        # "Sichuan province", "Virginia State": the name without its generic tail.
        head, _, tail = text.rpartition(" ")
        if head and tail.lower() in GENERIC_TAILS and get_gazetteer().has(name_key(head)):
            text, key = head, name_key(head)
    return Candidate(start, start + len(text), text, key, weak)


def _person_words(doc: Doc) -> frozenset[str]:
    """Surnames of multi-word person names ("Barack Obama" -> Obama): a later "Obama" is
    the person, not the town in Japan."""
    return frozenset(
        ent[-1].text
        for ent in doc.ents
        if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].is_alpha
    )


def find_candidates(doc: Doc, gaz: Gazetteer, scan_min_population: int) -> list[Candidate]:
    cands: list[Candidate] = []
    full = doc_text(doc)
    covered = [False] * len(doc)
    people = _person_words(doc)
    for ent in doc.ents:
        if ent.label_ in VALUE_LABELS:
            continue
        for i in range(ent.start, ent.end):
            covered[i] = True
        if ent.label_ in PLACE_LABELS:
            found = _candidates_from_span(full, ent)
            known = [c for c in found if gaz.has(c.key) or countries.country_code(c.text)]
            if len(known) < len(found):
                # "Henderson County Jail", "Alachua County Sheriff": the place in front.
                nested = _jurisdiction_place(ent, gaz, scan_min_population)
                if nested:
                    found = known + nested
            if ent.label_ == "FAC":
                # A facility stands only when the gazetteer knows its name.
                found = [c for c in found if gaz.has(c.key) or countries.country_code(c.text)]
            cands.extend(found)
        elif ent.label_ in MISLABELLED:
            # The model often calls a place a person or organization ("Georgia", "Texas").
            text, start = _clean_span(ent.text, ent.start_char)
            text = _with_period(full, text, start)
            if not text or _is_demonym(text):
                continue
            parts = _coordinated(full, start, text, gaz) or _hyphenated(start, text, weak=True)
            if parts:
                cands.extend(parts)
            elif _strong_name(text, gaz):
                cands.append(_candidate(start, text))
            elif (
                text not in people
                and text.lower() not in _not_places()
                and any(
                    # "Jim Wells" the person is not Jim Wells County.
                    _own_or_county(e) and not (e.alternate and ent.label_ == "PERSON")
                    for e in gaz.lookup(_key_of(text))
                )
            ):
                # Weak: it stands only if the article's other places support it.
                cand = _candidate(start, text, weak=True)
                cand.person = ent.label_ == "PERSON"
                cands.append(cand)
            elif ent.label_ != "NORP":
                cands.extend(_jurisdiction_place(ent, gaz, scan_min_population))
    cands.extend(c for c in _scan(doc, gaz, covered, scan_min_population) if c.text not in people)
    for c in cands:
        if c.qualifier is None:
            c.qualifier = _qualifier_after(full, c.end)
        if c.qualifier and not c.qualifier[1] and countries.country_code(c.text):
            # "in Russia, U.S. officials said": a country after a country is no qualifier.
            c.qualifier = None
        c.state_word = _DIVISION_AFTER.match(full, c.end) is not None
    cands.extend(_qualifier_mentions(full, cands))
    for c in cands:
        c.locative = c.locative or _LOCATIVE.search(full, max(0, c.start - 12), c.start) is not None
    cands.sort(key=lambda c: c.start)
    return cands


def _qualifier_mentions(full: str, cands: list[Candidate]) -> list[Candidate]:
    """The state or country after "Town, " is itself a place mention ("Sask." in
    "Melville, Sask.", "TX" in "Austin, TX"), when no other candidate holds it."""
    out: list[Candidate] = []
    for c in cands:
        if c.qualifier is None:
            continue
        found = _qualifier_span(full, c.end)
        if found is None:
            continue
        _, start, text, key = found
        end = start + len(text)
        if any(o.start < end and start < o.end for o in cands + out):
            continue
        out.append(Candidate(start, end, text, key, qualifier=None, qualifies=True))
    return out


_COORDINATION = re.compile(r",\s*|\s+(?:and|or)\s+")


def _coordinated(full: str, start: int, text: str, gaz: Gazetteer) -> list[Candidate]:
    """ "Ingham or Townsville", "Hornsey, Stoke Newington", "Wainwright, Alta": an entity the
    model called an organization or person that is a list of place names, each one a place
    (weak unless a strong name); a state abbreviation closing it qualifies the one before."""
    pieces, pos = [], 0
    for m in _COORDINATION.finditer(text):
        pieces.append((pos, text[pos : m.start()]))
        pos = m.end()
    if not pieces:
        return []
    pieces.append((pos, text[pos:]))
    abbr = _abbreviations()
    out: list[Candidate] = []
    for i, (offset, piece) in enumerate(pieces):
        piece = _with_period(full, piece, start + offset)
        if not piece[:1].isupper() or _is_demonym(piece):
            return []
        if i == len(pieces) - 1 and i > 0 and (piece in abbr or piece + "." in abbr):
            continue  # the qualifier: found again after the others below
        strong = _strong_name(piece, gaz)
        if not (strong or any(not e.alternate for e in gaz.lookup(_key_of(piece)))):
            return []
        out.append(_candidate(start + offset, piece, weak=not strong))
    return out


def _jurisdiction_place(ent: Span, gaz: Gazetteer, min_population: int) -> list[Candidate]:
    """The place in front of a public body's name ("Laurel County" in "Laurel County
    Sheriff's Office"); none for institutions named after a place ("Aleppo University")."""
    m = _IN_PLACE.search(ent.text)
    if m and (m.group(1) == "in" or ent.label_ == "PERSON"):
        # "Lutheran School in Lombard", "Nadia Moayyad of Southlake": the entity ran on
        # over where the institution or person is.
        text, start = m.group(2), ent.start_char + m.start(2)
        if _strong_name(text, gaz):
            return [_candidate(start, text)]
        if any(not e.alternate for e in gaz.lookup(_key_of(text))):
            return [_candidate(start, text, weak=True)]
    m = _BODY_OF_PLACE.search(ent.text)
    if m and m.group(1).lower() in _jurisdiction_words():
        text, start = m.group(2).rstrip(), ent.start_char + m.start(2)
        if _strong_name(text, gaz):
            return [_candidate(start, text)]
        if any(not e.alternate for e in gaz.lookup(_key_of(text))):
            return [_candidate(start, text, weak=True)]
    m = _OF_PLACE.match(ent.text)
    if m:
        text = m.group(1)
        start = ent.start_char + m.start(1)
        if _strong_name(text, gaz):
            return [_candidate(start, text)]
        if any(not e.alternate for e in gaz.lookup(_key_of(text))):
            return [_candidate(start, text, weak=True)]
    words = _jurisdiction_words()
    for size in range(min(4, len(ent) - 1), 0, -1):
        head, rest = ent[:size], ent[size:]
        if rest[0].lower_ in ("county", "parish") or not any(t.lower_ in words for t in rest[:3]):
            # "Walker County Fair": the name is "Walker County", never "Walker".
            continue
        text, start = _clean_span(head.text, head.start_char)
        if not text or _is_demonym(text):
            continue
        if _strong_name(text, gaz):
            return [_candidate(start, text)]
        entries = gaz.lookup(_key_of(text))
        if text.lower() not in _not_places() and any(not e.alternate for e in entries):
            return [_candidate(start, text, weak=True)]
    return []


def _scan(doc: Doc, gaz: Gazetteer, covered: list[bool], min_population: int) -> list[Candidate]:
    """Capitalized proper-noun runs outside every entity that the gazetteer knows."""
    out: list[Candidate] = []
    stop = _not_places()
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if covered[i] or not _capitalized_proper(tok):
            i += 1
            continue
        matched = 0
        for size in range(min(4, n - i), 0, -1):
            toks = doc[i : i + size]
            if any(covered[j] or not _capitalized_proper(doc[j]) for j in range(i, i + size)):
                continue
            text = toks.text
            if text.lower() in stop or _is_demonym(text):
                continue
            entries = gaz.lookup(_key_of(text))
            if any(not e.alternate for e in entries):
                # A dateline says where the report is from: like "in X", it needs no
                # further support.
                dateline = _dateline(doc[i + size - 1])
                out.append(
                    Candidate(
                        toks.start_char,
                        toks.end_char,
                        text,
                        _key_of(text),
                        weak=True,
                        scanned=not dateline,
                        locative=dateline,
                    )
                )
                matched = size
                break
        i += matched or 1
    return out


def _capitalized_proper(tok) -> bool:
    if not tok.is_alpha or tok.is_stop or not tok.text[:1].isupper():
        return False
    return tok.tag_ in ("NNP", "NNPS") or _dateline(tok)


def _dateline(tok) -> bool:
    """An all-capitals place name opening a report ("TORRINGTON -", "BEIRUT (AP)")."""
    if not (tok.is_upper and len(tok) >= 3):
        return False
    start = tok.i
    while start > 0 and tok.doc[start - 1].is_upper and tok.doc[start - 1].is_alpha:
        start -= 1
    if start > 0:
        prev = tok.doc[start - 1]
        # After a line break, a headline's period, or the date line ("2009 PATASKALA --").
        if not (prev.is_space or "\n" in prev.whitespace_ or prev.text == "." or prev.like_num):
            return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.text in {",", "(", "-", "--", ":", "\u2014", "\u2013"}


# --- resolution -----------------------------------------------------------------------


def _senses(cand: Candidate, gaz: Gazetteer) -> list[Entry]:
    compact = cand.text.replace(".", "")
    if cand.qualifies and cand.text in _abbreviations():
        return [e for e in gaz.lookup(cand.key) if e.feature == STATE]
    if "." in cand.text and cand.text in _abbreviations():
        return [e for e in gaz.lookup(cand.key) if e.feature == STATE]
    if compact.isupper() and len(compact) <= 4 and compact.isalpha():
        # A code ("US", "UK"): the country only, never the town "Us" in France; codes
        # news does not write as names ("BA", "MW") are no place at all.
        if compact not in COUNTRY_CODES_AS_NAMES:
            return []
        code = countries.country_code(cand.text)
        country = gaz.country(code) if code else None
        return [country] if country else []
    code = countries.country_code(cand.text)
    entries = list(gaz.lookup(cand.key))
    if code:
        country = gaz.country(code)
        if (
            country
            and name_key(country.name) != cand.key
            and any(e.feature == STATE and e.country == code and not e.alternate for e in entries)
        ):
            # A short form of the country ("England" for the UK) that is exactly the name
            # of one of its divisions: the division is the more precise sense.
            return [e for e in entries if e.id != country.id]
        if country and all(e.id != country.id for e in entries):
            entries.insert(0, country)
        # The country's own name or short form is never an alternate-name match.
        entries = [
            Entry(**{**e.__dict__, "alternate": False}) if country and e.id == country.id else e
            for e in entries
        ]
    return entries


def _prior(e: Entry) -> float:
    if e.feature == COUNTRY:
        p = 12.0
    elif e.feature == CONTINENT:
        p = 10.0
    elif e.feature in _REGION_FEATURES:
        p = 9.0
    elif e.feature == STATE and e.country == "US":
        p = 9.5
    elif e.feature == STATE:
        # A populous province ("Ontario", 13 million) outranks a mid-sized namesake town
        # abroad (Ontario, California) when the article says nothing either way.
        p = min(7.5, max(5.0, math.log10(e.population + 10) - 0.5))
    elif e.feature == COUNTY:
        p = 4.0
    else:
        p = math.log10(e.population + 10) + (0.5 if e.feature == CAPITAL else 0.0)
    return p - (1.5 if e.alternate else 0.0)


@dataclass
class _Context:
    """How much the article is about each country and each state (weighted votes)."""

    countries: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)


def _contributions(e: Entry, weight: float, ctx: _Context) -> None:
    if e.country:
        ctx.countries[e.country] += weight
    if e.admin1 and e.feature != COUNTRY:
        ctx.states[(e.country, e.admin1)] += weight


def _score(e: Entry, cand: Candidate, ctx: _Context, own: _Context | None) -> float:
    s = _prior(e)
    if cand.qualifier:
        cc, admin1 = cand.qualifier
        s += 8.0 if e.country == cc and (not admin1 or e.admin1 == admin1) else -4.0
    s += _country_bonus(e, ctx, own)
    if e.feature not in (COUNTRY, CONTINENT) and e.admin1:
        n_state = _count(ctx.states, own and own.states, (e.country, e.admin1))
        if n_state > 0:
            s += 2.0 + min(1.0, n_state / 3)
    return s


def _country_bonus(e: Entry, ctx: _Context, own: _Context | None) -> float:
    """Support for a sense from the article being about its country."""
    n = _count(ctx.countries, own and own.countries, e.country) if e.country else 0
    if n <= 0:
        return 0.0
    bonus = 1.0 + min(2.0, n / 2)
    if e.feature == STATE and e.country != "US":
        bonus += 2.5  # a province of a country the article is about ("Alberta", "Punjab")
    return bonus


def _count(total: Counter, own: Counter | None, key) -> float:
    return total[key] - (own[key] if own else 0)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat), math.floor(lon))


@dataclass(frozen=True)
class _Near:
    """A name's towns and counties by 1-degree cell, and its weight as evidence of where the
    article is (a name with many namesakes says little)."""

    cells: dict[tuple[int, int], list[tuple[float, float]]]
    weight: float

    def distance(self, lat: float, lon: float) -> float | None:
        """Distance to the nearest of the name's senses, when one lies in a cell nearby."""
        a, b = _cell(lat, lon)
        best = None
        for da in (-1, 0, 1):
            for db in (-1, 0, 1):
                for plat, plon in self.cells.get((a + da, b + db), ()):
                    d = distance_km(lat, lon, plat, plon)
                    if best is None or d < best:
                        best = d
        return best


NEAR_KM = 150.0
# A province this many times as populous as its same-named city is what the name means.
PROVINCE_DWARFS = 8


def _near_cells(entries: list[Entry]) -> _Near | None:
    towns = [e for e in entries if e.feature in _LOCAL]
    if not towns or len(towns) > 50:
        return None
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for e in towns:
        cells.setdefault(_cell(e.lat, e.lon), []).append((e.lat, e.lon))
    weight = 1.0 if len(towns) <= 3 else 0.6 if len(towns) <= 12 else 0.35
    return _Near(cells, weight)


def _nearness(e: Entry, key: str, near: dict[str, _Near]) -> float:
    """Support from the article's other names with a sense close to `e`: closer and less
    ambiguous names support more."""
    total = 0.0
    for k, n in near.items():
        if k == key:
            continue
        d = n.distance(e.lat, e.lon)
        if d is not None and d < NEAR_KM:
            total += n.weight * (1.0 - d / NEAR_KM)
    return min(1.5, total)


def _scores(
    entries: list[Entry],
    cand: Candidate,
    ctx: _Context,
    own: _Context | None,
    near: dict[str, _Near],
) -> list[float]:
    scores = [_score(e, cand, ctx, own) for e in entries]
    rival_country = next((e.country for e in entries if e.feature == COUNTRY), None)
    states = [e for e in entries if e.feature == STATE and e.country == "US"]
    for i, e in enumerate(entries):
        if e.feature == STATE and e.country != "US" and not cand.state_word:
            # "Kirkuk", "Aleppo": the city, not the province named after it.
            # ("Quebec", a province 15 times its capital's size, is the province.)
            town = [
                scores[j]
                for j, c in enumerate(entries)
                if c.feature in (CITY, CAPITAL)
                and c.country == e.country
                and c.admin1 == e.admin1
                and e.population < PROVINCE_DWARFS * c.population
            ]
            if town:
                scores[i] = min(scores[i], max(town) - 0.5)
        if e.feature == STATE and e.country == "US" and rival_country:
            # "Georgia": the US state when the article is more about the US.
            us = _count(ctx.countries, own and own.countries, "US")
            if us > _count(ctx.countries, own and own.countries, rival_country):
                scores[i] += 3.5
        if (
            not e.is_division
            and states
            and not cand.state_word
            and any(e.country == st.country and e.feature == CAPITAL for st in states)
        ):
            # "Washington" the capital, unless "state" follows.
            scores[i] = max(scores[i], _prior(states[0]) + 0.5 + (scores[i] - _prior(e)))
        if e.feature in _LOCAL:
            scores[i] += 2.5 * _nearness(e, cand.key, near)
    return scores


def resolve_places(
    doc: Doc, gaz: Gazetteer, scan_min_population: int = 20000, min_confidence: float = 0.0
) -> list[Place]:
    cands = find_candidates(doc, gaz, scan_min_population)
    by_key: dict[str, list[Candidate]] = {}
    for c in cands:
        by_key.setdefault(c.key, []).append(c)
    senses = {key: _senses(group[0], gaz) for key, group in by_key.items()}
    for key, group in by_key.items():
        if all(c.weak for c in group):
            # A name the model did not call a place can stand only for a place of its own
            # name ("Torrington", not Great Torrington): choose among those.
            senses[key] = [e for e in senses[key] if _own_or_county(e)]
    cells = {key: n for key, entries in senses.items() if (n := _near_cells(entries))}
    # Nearness counts the names the model found; weak names join once they stand.
    near = {k: v for k, v in cells.items() if not all(c.weak for c in by_key[k])}

    # Context the text states outright: demonyms and affiliations, and qualifiers.
    base = _Context()
    for ent in doc.ents:
        if ent.label_ == "NORP":
            code = countries.demonym_country(ent.text)
            if code:
                base.countries[code] += 1
    for group in by_key.values():
        for c in group:
            if c.qualifier:
                base.countries[c.qualifier[0]] += 1
                if c.qualifier[1]:
                    base.states[c.qualifier] += 1

    choice: dict[str, tuple[Entry | None, float]] = {}
    support: dict[str, float] = {}
    accepted: set[str] = set()
    ctx = base
    for _ in range(2):
        for key, entries in senses.items():
            if not entries:
                choice[key] = (None, 0.0)
                continue
            group = by_key[key]
            cand = next((c for c in group if c.qualifier), group[0])
            own = _own_context(key, choice, len(group)) if key in accepted else None
            scores = _scores(entries, cand, ctx, own, near)
            top = max(range(len(entries)), key=lambda i: scores[i])
            z = sum(math.exp(s - scores[top]) for s in scores)
            choice[key] = (entries[top], 1.0 / z)
            # Support beyond the country: same state, nearby names, a qualifier.
            support[key] = (
                scores[top] - _prior(entries[top]) - _country_bonus(entries[top], ctx, own)
            )
        accepted = {
            key
            for key, (e, _) in choice.items()
            if not all(c.weak for c in by_key[key])
            or (
                e is not None
                and _weak_stands(
                    e,
                    support[key],
                    # A name the model called a person ("Obama") is no place by the size
                    # of a namesake town (Obama, Japan) alone.
                    math.inf
                    if all(c.person and not c.locative for c in by_key[key])
                    else scan_min_population,
                    2.0
                    if all(c.scanned for c in by_key[key])
                    else 0.0
                    if any(c.locative for c in by_key[key])
                    else 0.3,
                )
            )
        }
        near = {k: v for k, v in cells.items() if k in accepted}
        ctx = _Context(Counter(base.countries), Counter(base.states))
        for key, (e, conf) in choice.items():
            if e is not None and key in accepted:
                _contributions(e, conf * len(by_key[key]) ** 0.5, ctx)

    return _build_places(doc, by_key, choice, accepted, min_confidence)


def _own_or_county(e: Entry) -> bool:
    """A sense a weak name may stand for: the entry's own name, or a county's short name."""
    return not e.alternate or e.feature == COUNTY


def _weak_stands(e: Entry, support: float, min_population: int, min_support: float) -> bool:
    """A name the model did not call a place stands when its sense is a division or a
    sizeable town, or when the article's other places support it (same state, nearby);
    otherwise a small namesake is more likely a person or an ordinary word."""
    if not _own_or_county(e):
        return False
    if e.is_division and (e.feature != STATE or e.country == "US") and not e.alternate:
        return True
    if e.feature == COUNTY and e.alternate:
        # A county by its bare short name ("Pope" for Pope County) is more often a person
        # or a word: it needs the support of its own state or a qualifier, not a namesake
        # town nearby.
        return support >= 2.0
    return e.population >= min_population or e.feature in _REGION_FEATURES or support >= min_support


def _own_context(
    key: str, choice: dict[str, tuple[Entry | None, float]], n_mentions: int
) -> _Context | None:
    """What this name itself added to the context, so that it does not vote for itself."""
    e, conf = choice.get(key, (None, 0.0))
    if e is None:
        return None
    own = _Context()
    _contributions(e, conf * n_mentions**0.5, own)
    return own


def _build_places(
    doc: Doc,
    by_key: dict[str, list[Candidate]],
    choice: dict[str, tuple[Entry | None, float]],
    accepted: set[str],
    min_confidence: float,
) -> list[Place]:
    groups: dict[object, _Sense] = {}
    for key, group in by_key.items():
        entry, conf = choice[key]
        if key not in accepted:
            continue
        if entry is not None and conf < min_confidence:
            entry = None
        gkey = entry.id if entry is not None else ("name", key)
        sense = groups.setdefault(gkey, _Sense(entry, conf))
        sense.mentions.extend(group)
    places: list[Place] = []
    for sense in sorted(groups.values(), key=lambda s: min(c.start for c in s.mentions)):
        sense.mentions.sort(key=lambda c: c.start)
        first = sense.mentions[0]
        e = sense.entry
        places.append(
            Place(
                id=f"P{len(places) + 1}",
                name=e.name if e else first.text,
                geonameid=e.gid if e else None,
                lat=round(e.lat, 5) if e else None,
                lon=round(e.lon, 5) if e else None,
                country=(e.country or None) if e else None,
                feature=e.feature if e else None,
                entity=entity_at(doc, first.start, first.end),
                confidence=round(sense.confidence, 3),
                mentions=[Mention(c.start, c.end, c.text) for c in sense.mentions],
            )
        )
    return places
