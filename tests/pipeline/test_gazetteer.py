"""The compiled gazetteer index: built once into a cache directory, then loaded and queried."""

from __future__ import annotations

import threading

import pytest

from newsgraph.pipeline import gazetteer
from newsgraph.pipeline.gazetteer import distance_km, name_key

# cities15000 keeps the build to a few seconds; the production index uses cities500.
MIN_POP = 15000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    directory = tmp_path_factory.mktemp("gazetteer")
    return directory, gazetteer.load(directory, MIN_POP)


def test_name_key_folds_accents_periods_and_saints():
    assert name_key("São Paulo") == "sao paulo"
    assert name_key("St. Louis") == name_key("Saint Louis") == "st louis"
    assert name_key("Winston-Salem") == "winston salem"
    assert name_key("Mt. Vernon") == name_key("Mount Vernon")


def test_build_writes_one_index_file_and_no_temp_files(built):
    directory, gaz = built
    files = sorted(p.name for p in directory.iterdir())
    assert files == [gazetteer.index_path(directory, MIN_POP).name]
    assert gaz.path.stat().st_size > 1_000_000


def test_cities_by_name_with_geonames_ids(built):
    _, gaz = built
    aleppo = [e for e in gaz.lookup("aleppo") if e.gid == 170063]
    assert aleppo and aleppo[0].country == "SY"
    assert abs(aleppo[0].lat - 36.2) < 0.1
    halabja = [e for e in gaz.lookup("halabja") if e.gid == 96205]
    assert halabja and halabja[0].country == "IQ"


def test_countries_at_geonames_style_points(built):
    _, gaz = built
    syria = gaz.country("SY")
    assert (syria.lat, syria.lon) == (35.0, 38.0)
    assert syria.gid == 163843 and syria.feature == "PCLI"
    us = gaz.country("US")
    assert (us.lat, us.lon) == (39.76, -98.5)  # the curated GeoNames point, not countryinfo's


def test_us_states_have_derived_points_inside_them(built):
    _, gaz = built
    (texas,) = [e for e in gaz.lookup("texas") if e.feature == "ADM1"]
    assert texas.gid == 4736286 and texas.admin1 == "TX"
    # GeoNames puts Texas at 31.25,-99.25; the derived point must land near it.
    assert distance_km(texas.lat, texas.lon, 31.25, -99.25) < 161
    assert gaz.division("US", "TX") == texas


def test_counties_and_alternate_names(built):
    _, gaz = built
    counties = [e for e in gaz.lookup(name_key("Rapides Parish")) if e.feature == "ADM2"]
    assert counties and counties[0].country == "US" and counties[0].admin1 == "LA"
    # An alternate name is found, flagged as such.
    bombay = [e for e in gaz.lookup("bombay") if e.country == "IN"]
    assert bombay and bombay[0].alternate and bombay[0].name == "Mumbai"


def test_unknown_name_has_no_entry(built):
    _, gaz = built
    assert gaz.lookup("zqxvaria") == ()


def test_concurrent_builds_leave_one_valid_index(tmp_path):
    # Two builders racing on one path: each writes its own temp file and renames it.
    path = gazetteer.index_path(tmp_path, MIN_POP)
    stale = tmp_path / f"gazetteer-b0-old-p{MIN_POP}.sqlite"  # an older version's index
    other_cut = tmp_path / "gazetteer-b0-old-p500.sqlite"  # another population cut
    stale.write_bytes(b"old")
    other_cut.write_bytes(b"old")
    errors = []

    def build():
        try:
            gazetteer.build_index(path, MIN_POP)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, other_cut.name])
    assert gazetteer.Gazetteer(path).country("FR").name == "France"


def test_index_path_is_keyed_by_versions_and_population(tmp_path):
    a = gazetteer.index_path(tmp_path, 500)
    b = gazetteer.index_path(tmp_path, 15000)
    assert a != b and "gnc" in a.name and a.parent == tmp_path


def test_area_points_split_an_outline_between_nearest_towns():
    # A 10 x 10 degree square; division "S" has its towns in the south-west corner, "N"
    # one town in the north: S still gets the southern half of the area, not its corner.
    square = {
        "features": [
            {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10]]]}}
        ]
    }
    towns = [("S", 1.0, 1.0), ("S", 1.5, 2.0), ("N", 8.0, 5.0)]
    points = gazetteer._area_points(square, towns, step=0.5)
    (s_lat, s_lon), (n_lat, _) = points["S"], points["N"]
    assert 2.0 < s_lat < 5.0 and 3.0 < s_lon < 7.0
    assert n_lat > 6.0


def test_large_province_point_is_not_pulled_to_its_southern_towns(built):
    _, gaz = built
    ontario = next(e for e in gaz.lookup("ontario") if e.feature == gazetteer.STATE)
    # GeoNames' Ontario is 49.25,-84.5; the middle of its towns alone lies near 47.5.
    assert distance_km(ontario.lat, ontario.lon, 49.25, -84.5) < 161
