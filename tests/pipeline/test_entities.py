"""The entities component: types, spans, titles, affiliations, grouping and aliases."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.pipeline.entities import (
    AliasFileError,
    EntitiesComponent,
    entity_at,
    load_aliases,
    name_key,
)

pytestmark = pytest.mark.model


def entities(nlp, text: str):
    return nlp(text)._.entities


def by_mention(ents, text: str):
    hits = [e for e in ents if any(m.text == text for m in e.mentions)]
    assert hits, f"no entity with mention {text!r} in {[(e.name, e.type) for e in ents]}"
    return hits[0]


def test_seed_entities_hold(check_seed) -> None:
    ok, out = check_seed("entities")
    assert ok, out


# ----------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("text", "mention", "label"),
    [
        ("Mourners posted their photographs on Twitter and Facebook all night.", "Twitter", "ORG"),
        ("Pictures were shared on Flickr by the volunteers.", "Flickr", "ORG"),
        ("According to CNBC, the markets fell sharply in Lisbon.", "CNBC", "ORG"),
        ("Donors gave blankets to UNICEF on Tuesday.", "UNICEF", "ORG"),
        ("Volunteers from the White Helmets pulled a boy from the rubble.", "White Helmets", "ORG"),
        ("She gave money to Hand in Hand for Syria last winter.", "Hand in Hand for Syria", "ORG"),
        ("Families fled Aleppo as the shelling went on.", "Aleppo", "GPE"),
        ("The Syrian delegation left the talks early.", "Syrian", "NORP"),
        ("The Coastal Farmers Party won nine seats in the vote.", "Coastal Farmers Party", "ORG"),
    ],
)
def test_types(nlp, text: str, mention: str, label: str) -> None:
    assert by_mention(entities(nlp, text), mention).type == label


@pytest.mark.parametrize(
    ("text", "mention", "label"),
    [
        ("The Commerce Department said exports rose in May.", "Commerce Department", "ORG"),
        (
            "A spokesman for the Ministry of Fisheries declined to comment.",
            "Ministry of Fisheries",
            "ORG",
        ),
        ("Greta Lindqvist won the Nairobi Open on Sunday.", "Nairobi Open", "EVENT"),
        ("Brentwood beat Somerset by five wickets on Friday.", "Somerset", "ORG"),
    ],
)
def test_cue_words_and_sports_clubs(nlp, text: str, mention: str, label: str) -> None:
    assert by_mention(entities(nlp, text), mention).type == label


def test_result_lines_name_clubs(nlp) -> None:
    text = "Results on Saturday:\nPortvale Rovers 2 Dunmore 1\nKessington 0 Ashby Town 3\n"
    doc = nlp(text)
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Portvale Rovers", "ORG"), ("Dunmore", "ORG"), ("Ashby Town", "ORG")} <= found


def test_numbers_in_prose_are_not_results(nlp) -> None:
    doc = nlp("The rule is set out in the annex, where Section 2 Part 3 covers fishing boats.")
    assert not [e for e in doc.ents if e.label_ == "ORG" and e.text in {"Section", "Part"}]


def test_dateline_is_a_place(nlp) -> None:
    text = "Markets were calm.\nBEIRUT 2016-12-13\nThe central bank kept its rate unchanged."
    place = by_mention(entities(nlp, text), "BEIRUT")
    assert (place.type, place.affiliation) == ("GPE", "LB")


def test_no_name_without_letters_or_a_lone_month(nlp) -> None:
    doc = nlp("Sales rose 4 % in Jul , said the N / A group .")
    assert not [e for e in doc._.entities if e.name in {"Jul", "N / A", "%"}]


def test_initials_and_surname_are_a_person(nlp) -> None:
    ents = entities(nlp, "The late goal came from K. Oduya after a pass by Benfield.")
    assert by_mention(ents, "K. Oduya").type == "PERSON"


def test_doc_ents_are_corrected_in_place(nlp) -> None:
    doc = nlp("Clips of the flood spread on Twitter within minutes.")
    assert ("Twitter", "ORG") in [(e.text, e.label_) for e in doc.ents]


def test_demonym_is_not_a_place_name(nlp) -> None:
    ents = entities(nlp, "Russian warplanes struck the town while Syrians fled north.")
    assert by_mention(ents, "Russian").type == "NORP"
    assert by_mention(ents, "Syrians").type == "NORP"


# ----------------------------------------------------------------- spans


def test_possessive_never_part_of_a_name(nlp) -> None:
    text = (
        "Officials said Margaret Okonkwo’s convoy reached the border, and Okonkwo's aides agreed."
    )
    ents = entities(nlp, text)
    person = by_mention(ents, "Margaret Okonkwo")
    assert person.type == "PERSON"
    assert all("’" not in m.text and "'" not in m.text for m in person.mentions)


def test_leading_the_not_part_of_name(nlp) -> None:
    ents = entities(nlp, "Medics from the White Helmets said the United Nations had been told.")
    names = {e.name for e in ents}
    assert "White Helmets" in names
    assert "United Nations" in names


def test_headline_in_capitals_is_reread(nlp) -> None:
    doc = nlp("FLOODS CUT ROADS NEAR LISBON AS RAIN CONTINUES")
    assert any(e.text == "LISBON" and e.label_ == "GPE" for e in doc.ents)


# ----------------------------------------------------------------- titles and affiliation


def test_premodifier_title_and_demonym_affiliation(nlp) -> None:
    ents = entities(nlp, "Kenyan ambassador Wanjiru Kamau rejected the draft on Monday.")
    person = by_mention(ents, "Wanjiru Kamau")
    assert person.type == "PERSON"
    assert any("ambassador" in t for t in person.titles)
    assert person.affiliation == "KE"


def test_country_code_title_affiliation(nlp) -> None:
    ents = entities(nlp, "The US envoy Daniel Whitford met the rebels in Geneva.")
    person = by_mention(ents, "Daniel Whitford")
    assert any("envoy" in t for t in person.titles)
    assert person.affiliation == "US"


def test_of_country_affiliation(nlp) -> None:
    ents = entities(nlp, "Yesterday President Ortiz of Peru visited the flooded valley.")
    person = by_mention(ents, "Ortiz")
    assert person.type == "PERSON"
    assert any(t.startswith("President") for t in person.titles)
    assert person.affiliation == "PE"


def test_apposition_title(nlp) -> None:
    ents = entities(nlp, "Helena Marsh, the British foreign minister, flew to Ankara on Sunday.")
    person = by_mention(ents, "Helena Marsh")
    assert any("foreign minister" in t for t in person.titles)
    assert person.affiliation == "GB"


def test_title_with_of_is_not_an_organization(nlp) -> None:
    ents = entities(nlp, "Secretary of State Daniel Whitford met the rebels in Geneva.")
    person = by_mention(ents, "Daniel Whitford")
    assert "Secretary of State" in person.titles
    assert not [e for e in ents if e.name == "State"]


def test_surname_that_is_also_a_month(nlp) -> None:
    text = "Prime Minister Teresa May said the port would reopen; May's office confirmed it."
    person = by_mention(entities(nlp, text), "Teresa May")
    assert [m.text for m in person.mentions] == ["Teresa May", "May"]


def test_envoy_for_a_country_is_not_its_national(nlp) -> None:
    ents = entities(nlp, "Olaf Brenner, the special envoy for Yemen, arrived in Aden on Monday.")
    person = by_mention(ents, "Olaf Brenner")
    assert any("envoy" in t for t in person.titles)
    assert person.affiliation is None


def test_norp_and_gpe_affiliations(nlp) -> None:
    ents = entities(nlp, "Syrian families crossed from Syria into Jordan last week.")
    assert by_mention(ents, "Syrian").affiliation == "SY"
    assert by_mention(ents, "Syria").affiliation == "SY"
    assert by_mention(ents, "Jordan").affiliation == "JO"


# ----------------------------------------------------------------- grouping


def test_surname_joins_full_name_with_particle(nlp) -> None:
    text = "Rami al-Hassan spoke first. Later Hassan told reporters the talks had failed."
    ents = entities(nlp, text)
    person = by_mention(ents, "Rami al-Hassan")
    assert {m.text for m in person.mentions} == {"Rami al-Hassan", "Hassan"}
    assert person.name == "Rami al-Hassan"


def test_short_name_found_and_joined(nlp) -> None:
    text = "Diplomat Samuel Achterberg arrived late. Achterberg said nothing to the press."
    ents = entities(nlp, text)
    person = by_mention(ents, "Samuel Achterberg")
    assert len(person.mentions) == 2


def test_different_people_sharing_a_surname_stay_apart(nlp) -> None:
    text = "Maria Lindqvist met Johan Lindqvist in Oslo. Johan Lindqvist later resigned."
    ents = entities(nlp, text)
    maria = by_mention(ents, "Maria Lindqvist")
    johan = by_mention(ents, "Johan Lindqvist")
    assert maria.id != johan.id
    assert maria.type == johan.type == "PERSON"


def test_shared_surname_goes_to_the_last_named_person(nlp) -> None:
    text = (
        "Maria Lindqvist opened the hearing. Johan Lindqvist spoke next. "
        "Lindqvist said the dam would hold."
    )
    ents = entities(nlp, text)
    maria = by_mention(ents, "Maria Lindqvist")
    johan = by_mention(ents, "Johan Lindqvist")
    assert [m.text for m in maria.mentions] == ["Maria Lindqvist"]
    assert [m.text for m in johan.mentions] == ["Johan Lindqvist", "Lindqvist"]


def test_acronym_joins_organization(nlp) -> None:
    text = "The United Nations appealed for help. The UN said 300 trucks were waiting."
    ents = entities(nlp, text)
    org = by_mention(ents, "United Nations")
    assert {m.text for m in org.mentions} == {"United Nations", "UN"}


def test_country_short_forms_are_one_entity(nlp) -> None:
    text = "The United States sent food. Officials said the US would send more."
    country = by_mention(entities(nlp, text), "United States")
    assert {m.text for m in country.mentions} == {"United States", "US"}
    assert (country.name, country.affiliation) == ("United States", "US")


def test_acronym_in_parentheses_joins_its_name(nlp) -> None:
    text = "Aid came from the Coastal Relief Fund (CRELF). Later CRELF sent tents."
    org = by_mention(entities(nlp, text), "Coastal Relief Fund")
    assert org.type == "ORG"
    assert [m.text for m in org.mentions] == ["Coastal Relief Fund", "CRELF", "CRELF"]


def test_entity_ids_and_entity_at(nlp) -> None:
    text = "Rescuers from the White Helmets reached the town. The White Helmets said four died."
    doc = nlp(text)
    ids = [e.id for e in doc._.entities]
    assert ids == [f"E{i}" for i in range(1, len(ids) + 1)]
    start = text.index("White Helmets")
    org = by_mention(doc._.entities, "White Helmets")
    assert entity_at(doc, start, start + 5) == org.id
    assert len(org.mentions) == 2


# ----------------------------------------------------------------- aliases


def test_alias_csv_maps_misspelling_to_canonical(nlp, tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(
        "name,type,aliases,country\nVladimir Putin,PERSON,Vladamir Putin|V. Putin,RU\n",
        encoding="utf-8",
    )
    component = EntitiesComponent(nlp, aliases=load_aliases(path))
    text = "Reporters asked Vladamir Putin about the convoy."
    person = by_mention(component(nlp(text))._.entities, "Vladamir Putin")
    assert person.name == "Vladimir Putin"
    assert person.type == "PERSON"
    assert person.affiliation == "RU"
    assert text[person.mentions[0].start : person.mentions[0].end] == "Vladamir Putin"


def test_alias_jsonl_finds_unknown_organization(nlp, tmp_path) -> None:
    path = tmp_path / "aliases.jsonl"
    path.write_text(
        json.dumps({"name": "Blue River Relief", "type": "ORG", "aliases": ["BRR relief desk"]})
        + "\n",
        encoding="utf-8",
    )
    table = load_aliases(path)
    assert len(table) == 1
    component = EntitiesComponent(nlp, aliases=table)
    doc = component(nlp("Supplies came from the BRR relief desk in the morning."))
    org = by_mention(doc._.entities, "BRR relief desk")
    assert (org.name, org.type) == ("Blue River Relief", "ORG")


def test_alias_joins_two_spellings_in_one_article(nlp, tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("name,aliases\nVladimir Putin,Vladamir Putin\n", encoding="utf-8")
    component = EntitiesComponent(nlp, aliases=load_aliases(path))
    doc = component(nlp("Vladimir Putin spoke. Later Vladamir Putin left the hall."))
    people = [e for e in doc._.entities if e.name == "Vladimir Putin"]
    assert len(people) == 1
    assert len(people[0].mentions) == 2


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("bad.csv", "name,type,aliases,country\nVladimir Putin,PERSON,Putin\n", 2),
        ("bad2.csv", "name,type\nSome Org,COMPANY\n", 2),
        ("bad3.csv", "canonical,aliases\nX,Y\n", 1),
        ("bad.jsonl", '{"name": "A"}\n{"name": "B", "aliases": [\n', 2),
        ("bad2.jsonl", '{"name": "A", "country": "Russia"}\n', 1),
        ("bad3.jsonl", '{"type": "ORG"}\n', 1),
    ],
)
def test_bad_alias_file_names_file_and_line(tmp_path, name: str, content: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AliasFileError) as err:
        load_aliases(path)
    assert f"{path}:{line}:" in str(err.value)


def test_missing_alias_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(AliasFileError, match="cannot read"):
        load_aliases(tmp_path / "absent.csv")


def test_name_key() -> None:
    assert name_key("the White Helmets") == name_key("White Helmets")
    assert name_key("Assad’s") == "assad"


# ----------------------------------------------------------------- offsets property

FIRST = ["Amara", "Bogdan", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi"]
LAST = ["Okafor", "Petrov", "Rossi", "al-Khatib", "Yilmaz", "Lindgren", "Tanaka", "Moreau"]
ORGS = ["UNICEF", "the White Helmets", "the United Nations", "Twitter", "the Red Cross"]
PLACES = ["Aleppo", "Lisbon", "Nairobi", "Syria", "Turkey", "Manila"]
VERBS = ["met", "criticized", "thanked", "called", "warned"]
TITLES = ["", "President ", "US ambassador ", "Russian envoy ", "Syrian minister "]
POSS = ["", "'s", "’s"]


@st.composite
def sentences(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        person = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"
        subject = draw(st.sampled_from(TITLES)) + person + draw(st.sampled_from(POSS))
        if subject.endswith("s") and not subject.endswith("'s") and not subject.endswith("’s"):
            subject += ""
        obj = draw(st.sampled_from(ORGS + PLACES))
        verb = draw(st.sampled_from(VERBS))
        tail = draw(st.sampled_from(["", f" in {draw(st.sampled_from(PLACES))}"]))
        if draw(st.booleans()):
            parts.append(f"{subject} aides {verb} {obj}{tail}.")
        else:
            parts.append(
                f"{subject.replace(chr(39) + 's', '').replace('’s', '')} {verb} {obj}{tail}."
            )
    if draw(st.booleans()):
        parts.append(parts[0].upper())
    return " ".join(parts)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=sentences())
def test_mention_offsets_hold(nlp, text: str) -> None:
    doc = nlp(text)
    for entity in doc._.entities:
        assert entity.id.startswith("E")
        assert entity.mentions
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
            assert not m.text.endswith(("'s", "’s"))
            assert not m.text.lower().startswith("the ")
    for span in doc.ents:
        assert text[span.start_char : span.end_char] == span.text


def test_component_on_a_hand_built_doc_without_parse() -> None:
    """No parser, no model: the rules still correct types and group mentions."""
    import spacy
    from spacy.tokens import Span

    blank = spacy.blank("en")
    doc = blank("Samantha Power met UNICEF staff in Aleppo. Power said so.")
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 6, 7, label="NORP")]
    doc = EntitiesComponent(blank)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Samantha Power", "PERSON"),
        ("UNICEF", "ORG"),
        ("Aleppo", "GPE"),
        ("Power", "PERSON"),
    ]
    power = by_mention(doc._.entities, "Samantha Power")
    assert [m.text for m in power.mentions] == ["Samantha Power", "Power"]
    assert by_mention(doc._.entities, "Aleppo").affiliation == "SY"


def test_empty_doc(nlp) -> None:
    doc = nlp("")
    assert doc._.entities == []
