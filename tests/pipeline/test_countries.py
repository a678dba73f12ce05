"""The country table: names, short forms, codes and demonyms -> ISO alpha-2."""

from __future__ import annotations

import pytest

from newsgraph.pipeline.countries import country_code, country_name, demonym_country, is_demonym


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Syria", "SY"),
        ("the US", "US"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("the United States", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("Turkey's", "TR"),
        ("Russia\u2019s", "RU"),
        ("RUS", "RU"),
        ("South Korea", "KR"),
        ("the Netherlands", "NL"),
        ("Ivory Coast", "CI"),
    ],
)
def test_country_code_names_short_forms_and_codes(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["us", "turkey", "chad", "Aleppo", "Syrian", "", "the"])
def test_country_code_rejects_words_places_and_demonyms(text: str) -> None:
    assert country_code(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Syrian", "SY"),
        ("Syrians", "SY"),
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("American", "US"),
        ("Americans", "US"),
        ("British", "GB"),
        ("Britons", "GB"),
        ("Chinese", "CN"),
        ("Iraqis", "IQ"),
        ("Turkish", "TR"),
        ("Germans", "DE"),
    ],
)
def test_demonyms(text: str, code: str) -> None:
    assert demonym_country(text) == code
    assert is_demonym(text)


@pytest.mark.parametrize("text", ["Syria", "Aleppo", "russian", "Frenchs", "Power"])
def test_not_demonyms(text: str) -> None:
    assert not is_demonym(text)
    assert demonym_country(text) is None


def test_country_name() -> None:
    assert country_name("SY") == "Syria"
    assert country_name("zz") is None
