"""The places component: candidates, resolution by context, demonyms, unknown names."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

pytestmark = pytest.mark.model


def places_of(extract_one, text: str) -> list[dict]:
    record = extract_one(text)
    for place in record["places"]:
        for m in place["mentions"]:
            assert record["text"][m["start"] : m["end"]] == m["text"]
    return record["places"]


def by_mention(places: list[dict], text: str) -> dict | None:
    for p in places:
        if any(m["text"] == text for m in p["mentions"]):
            return p
    return None


def hand_built(nlp, words: list[str], spans: list[tuple[int, int, str]]) -> list:
    """Run only the places component on a Doc whose entities we set ourselves."""
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
    doc._.entities = []
    return nlp.get_pipe("newsgraph_places")(doc)._.places


def test_seed_places_hold(check_seed):
    ok, out = check_seed("places")
    assert ok, out


def test_georgia_the_us_state_among_us_places(extract_one):
    text = (
        "Storms hit Atlanta and Savannah on Monday. Officials in Georgia said "
        "schools in Macon would stay closed, and Alabama sent crews to help."
    )
    georgia = by_mention(places_of(extract_one, text), "Georgia")
    assert georgia and georgia["country"] == "US" and georgia["feature"] == "ADM1"


def test_georgia_the_country_beside_russia(extract_one):
    text = (
        "Russian troops moved closer to Tbilisi. Georgia asked the European Union "
        "for help as talks with Russia and Armenia stalled."
    )
    georgia = by_mention(places_of(extract_one, text), "Georgia")
    assert georgia and georgia["country"] == "GE" and georgia["feature"] == "PCLI"


def test_paris_texas_by_qualifier_and_paris_france(extract_one):
    texas = by_mention(
        places_of(extract_one, "The rodeo in Paris, Texas drew a big crowd."), "Paris"
    )
    assert texas and texas["geonameid"] == 4717560 and texas["country"] == "US"
    france = by_mention(
        places_of(extract_one, "Leaders met in Paris, where France hosted the summit."), "Paris"
    )
    assert france and france["geonameid"] == 2988507 and france["country"] == "FR"


def test_nested_names(extract_one):
    places = places_of(extract_one, "She taught at Aleppo University for ten years.")
    assert by_mention(places, "Aleppo") is None
    east = by_mention(places_of(extract_one, "Shelling continued in eastern Aleppo."), "Aleppo")
    assert east and east["geonameid"] == 170063


def test_demonyms_are_not_places(extract_one):
    places = places_of(
        extract_one, "Syrian officials met Russian diplomats, and Russians protested."
    )
    for word in ("Syrian", "Russian", "Russians"):
        assert by_mention(places, word) is None


def test_unknown_name_keeps_null_geonameid(nlp):
    places = hand_built(nlp, ["Aid", "reached", "Zqxvaria", "today", "."], [(2, 3, "GPE")])
    assert len(places) == 1
    place = places[0]
    assert place.geonameid is None and place.lat is None and place.confidence == 0.0
    assert place.mentions[0].text == "Zqxvaria"


def test_country_short_forms(nlp):
    words = ["Officials", "in", "the", "US", "and", "the", "UK", "and", "U.S.", "envoys", "agreed"]
    places = hand_built(nlp, words, [(3, 4, "GPE"), (6, 7, "GPE"), (8, 9, "GPE")])
    countries = {m.text: p.country for p in places for m in p.mentions}
    assert countries == {"US": "US", "UK": "GB", "U.S.": "US"}
    assert all(p.feature == "PCLI" for p in places)
    # Both spellings of one country are one place.
    assert len(places) == 2


def test_codes_news_does_not_use_as_names_are_not_countries(nlp):
    places = hand_built(nlp, ["The", "BA", "plant", "closed"], [(1, 2, "GPE")])
    assert all(p.geonameid is None for p in places)


def test_ids_entities_and_confidence(extract_one):
    record = extract_one("Rain fell on Nairobi. Kenya said Nairobi schools reopened.")
    places = record["places"]
    assert [p["id"] for p in places] == [f"P{i + 1}" for i in range(len(places))]
    nairobi = by_mention(places, "Nairobi")
    assert nairobi and len(nairobi["mentions"]) == 2 and nairobi["country"] == "KE"
    assert 0.0 < nairobi["confidence"] <= 1.0
    entity_ids = {e["id"] for e in record["entities"]}
    assert nairobi["entity"] in entity_ids


def test_state_abbreviation_qualifies_a_town(extract_one):
    places = places_of(extract_one, "A tornado struck Springfield, Ill., late on Tuesday.")
    town = by_mention(places, "Springfield")
    assert town and town["country"] == "US" and town["geonameid"] == 4250542
    state = by_mention(places, "Ill.")
    assert state and state["feature"] == "ADM1" and state["name"] == "Illinois"


def test_public_body_names_its_place_but_an_institution_does_not(nlp):
    words = ["The", "Laurel", "County", "Sheriff", "'s", "Office", "said", "so", "."]
    places = hand_built(nlp, words, [(1, 6, "ORG")])
    assert [m.text for p in places for m in p.mentions] == ["Laurel County"]
    assert places[0].feature == "ADM2" and places[0].country == "US"
    words = ["She", "joined", "Aleppo", "University", "."]
    assert hand_built(nlp, words, [(2, 4, "ORG")]) == []


def test_direction_words_are_not_part_of_the_name_but_belong_to_real_names(nlp):
    words = ["Fighting", "in", "eastern", "Aleppo", "and", "North", "Carolina", "."]
    places = hand_built(nlp, words, [(2, 4, "GPE"), (5, 7, "GPE")])
    texts = {m.text: p for p in places for m in p.mentions}
    assert set(texts) == {"Aleppo", "North Carolina"}
    assert texts["North Carolina"].feature == "ADM1"


def _names(places: list) -> dict[str, object]:
    return {m.text: p for p in places for m in p.mentions}


def test_value_label_does_not_hide_a_place_from_the_scan(nlp):
    # The model sometimes tags a town at the end of a sentence as a DATE.
    words = ["Thefts", "go", "on", "in", "Winnipeg", "."]
    doc = Doc(nlp.vocab, words=words, tags=["NNS", "VBP", "RP", "IN", "NNP", "."])
    doc.ents = [Span(doc, 4, 5, label="DATE")]
    doc._.entities = []
    place = _names(nlp.get_pipe("newsgraph_places")(doc)._.places).get("Winnipeg")
    assert place is not None and place.country == "CA"


def test_populous_province_outranks_a_namesake_town_abroad(nlp):
    places = hand_built(nlp, ["Donors", "in", "Ontario", "are", "few"], [(2, 3, "GPE")])
    ontario = _names(places)["Ontario"]
    assert (ontario.country, ontario.feature) == ("CA", "ADM1")


def test_province_that_dwarfs_its_namesake_city_is_the_province(nlp):
    places = hand_built(nlp, ["Right", "turns", "are", "legal", "in", "Quebec"], [(5, 6, "GPE")])
    assert _names(places)["Quebec"].feature == "ADM1"


def test_state_after_town_and_comma_is_a_mention(nlp):
    words = ["A", "couple", "from", "Melville", ",", "Sask.", "spoke", "up"]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, True, False, True, True, True, False])
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    doc._.entities = []
    places = _names(nlp.get_pipe("newsgraph_places")(doc)._.places)
    assert places["Melville"].country == "CA"
    sask = places["Sask."]
    assert (sask.name, sask.feature) == ("Saskatchewan", "ADM1")


def test_organization_that_is_a_list_of_towns(nlp):
    words = ["They", "drove", "to", "Ingham", "or", "Townsville", "at", "night"]
    places = _names(hand_built(nlp, words, [(3, 6, "ORG")]))
    assert places["Ingham"].country == "AU" and places["Townsville"].country == "AU"


def test_person_is_not_the_county_of_the_same_name(nlp):
    places = hand_built(nlp, ["Jim", "Wells", "spoke", "first"], [(0, 2, "PERSON")])
    assert places == []


def test_bare_county_short_name_needs_more_than_a_namesake_town(nlp):
    # "Pope" is Pope County, Arkansas only by its short name; Arkansas has a small Paris
    # nearby, which must not prop both up.
    words = ["The", "Pope", "met", "the", "mayor", "of", "Paris", "today"]
    tags = ["DT", "NNP", "VBD", "DT", "NN", "IN", "NNP", "NN"]
    doc = Doc(nlp.vocab, words=words, tags=tags)
    doc.ents = [Span(doc, 6, 7, label="GPE")]  # "Pope" left to the gazetteer scan
    doc._.entities = []
    places = _names(nlp.get_pipe("newsgraph_places")(doc)._.places)
    assert "Pope" not in places
    assert places["Paris"].country == "FR"


def test_name_after_in_that_the_model_called_a_person_is_a_place(nlp):
    words = ["She", "has", "lived", "in", "Pataskala", "for", "years"]
    places = _names(hand_built(nlp, words, [(4, 5, "PERSON")]))
    assert places["Pataskala"].country == "US"
    # Without the preposition the same small town needs support from other places.
    words = ["Pataskala", "has", "lived", "here", "for", "years"]
    assert hand_built(nlp, words, [(0, 1, "PERSON")]) == []


def test_country_after_a_country_and_comma_is_no_qualifier(nlp):
    words = ["Talks", "stalled", "in", "Russia", ",", "U.S.", "officials", "said"]
    spaces = [True, True, True, False, True, True, True, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 5, 6, label="GPE")]
    doc._.entities = []
    places = _names(nlp.get_pipe("newsgraph_places")(doc)._.places)
    assert places["Russia"].country == "RU"


def test_all_capitals_dateline_after_the_date_line_is_a_place(nlp):
    # "April 2, 2031 PATASKALA -- ...": the tagger calls the dateline a plural noun.
    words = ["2031", "PATASKALA", "--", "Roads", "closed", "early"]
    doc = Doc(nlp.vocab, words=words, tags=["CD", "NNS", ":", "NNS", "VBD", "RB"])
    doc._.entities = []
    place = _names(nlp.get_pipe("newsgraph_places")(doc)._.places).get("PATASKALA")
    assert place is not None and place.country == "US"


def test_dateline_before_a_colon(nlp):
    words = ["Crops", "burned", ".", "\n", "BEIRUT", ":", "Shells", "fell"]
    doc = Doc(nlp.vocab, words=words, tags=["NNS", "VBD", ".", "_SP", "RB", ":", "NNS", "VBD"])
    doc._.entities = []
    place = _names(nlp.get_pipe("newsgraph_places")(doc)._.places).get("BEIRUT")
    assert place is not None and place.country == "LB"


def test_mislabelled_name_stands_for_a_place_of_its_own_name(nlp):
    # "Torrington" tagged ORG in an article that also names London: an alternate name of
    # an English town must not win, leaving the name with no place at all.
    words = ["Officials", "in", "London", "and", "Torrington", "met", "today"]
    places = _names(hand_built(nlp, words, [(2, 3, "GPE"), (4, 5, "ORG")]))
    assert places["Torrington"].name == "Torrington"


def test_bare_person_name_is_not_a_sizeable_namesake_town(nlp):
    # A senator the model tags PERSON shares her surname with a city of 100,000 abroad.
    places = hand_built(nlp, ["Yesterday", "Toyota", "spoke", "first"], [(1, 2, "PERSON")])
    assert places == []
    # After "in" the same word is a place.
    words = ["A", "plant", "in", "Toyota", "opened"]
    assert _names(hand_built(nlp, words, [(3, 4, "PERSON")]))["Toyota"].country == "JP"


def test_public_body_of_a_place_names_the_place_but_a_university_does_not(nlp):
    words = ["The", "Children", "'s", "Court", "of", "Queensland", "ruled"]
    doc = Doc(nlp.vocab, words=words, spaces=[True, False, True, True, True, True, False])
    doc.ents = [Span(doc, 1, 6, label="ORG")]
    doc._.entities = []
    places = _names(nlp.get_pipe("newsgraph_places")(doc)._.places)
    assert places["Queensland"].country == "AU"
    words = ["She", "studied", "at", "the", "University", "of", "Manitoba"]
    assert hand_built(nlp, words, [(4, 7, "ORG")]) == []
