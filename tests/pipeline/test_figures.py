"""The figures component: number forms, what is counted, categories, sources, places and
times, the numbers that are not figures, and offsets. Sentences are our own."""

from __future__ import annotations

import pytest

from newsgraph.pipeline import make_doc

pytestmark = pytest.mark.model


def figures(nlp, text: str, published: str | None = "2024-03-15"):
    return nlp(make_doc(nlp, text, published))._.figures


def only(nlp, text: str):
    found = figures(nlp, text)
    assert len(found) == 1, [(f.text, f.value) for f in found]
    return found[0]


# -- number forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "bound"),
    [
        ("The floods displaced 6000 people in the valley.", 6000, None),
        ("The floods displaced 50,000 people in the valley.", 50000, None),
        ("Officials counted 9 300 displaced families after the storm.", 9300, None),
        ("Six thousand people fled the town overnight.", 6000, None),
        ("Twenty-five villagers were injured in the blast.", 25, None),
        ("Two hundred and fifty residents were evacuated by boat.", 250, None),
        ("Twenty five villagers were rescued from the ridge.", 25, None),
        ("Two million five hundred thousand people fled the war.", 2500000, None),
        ("A dozen soldiers were wounded near the bridge.", 12, None),
        ("About 1.2 million people were displaced by the cyclone.", 1200000, "approx"),
        ("Some 2.14 lakh people were moved to relief camps.", 214000, "approx"),
        ("At least 25 protesters were arrested in the square.", 25, "min"),
        ("More than 30 aid workers were kidnapped on the road.", 30, "min"),
        ("Up to 40 fishermen are missing after the storm.", 40, "max"),
        ("Nearly 800 people are sheltering in schools.", 800, "max"),
        ("Hundreds of people were killed in the raid.", 200, "min"),
        ("Thousands of families have returned to the district.", 2000, "min"),
        ("Tens of thousands of residents were evacuated.", 20000, "min"),
    ],
)
def test_number_forms(nlp, text, value, bound):
    fig = only(nlp, text)
    assert fig.value == value
    assert fig.bound == bound
    assert fig.approximate is (bound is not None)


def test_range_keeps_both_ends(nlp):
    fig = only(nlp, "Between 200 and 300 families were evacuated from the island.")
    assert (fig.value, fig.value_max, fig.bound, fig.approximate) == (200, 300, "range", True)
    assert fig.text.startswith("Between 200 and 300")

    fig = only(nlp, "The storm forced 100,000 to 120,000 people out of their homes.")
    assert (fig.value, fig.value_max) == (100000, 120000)


def test_scale_of_range_and_half(nlp):
    fig = only(nlp, "Between 2 and 3 million people were displaced by the war.")
    assert (fig.value, fig.value_max) == (2000000, 3000000)
    assert only(nlp, "Half a million people fled the region.").value == 500000


def test_death_toll(nlp):
    fig = only(nlp, "The death toll rose to 57 on Friday.")
    assert (fig.value, fig.category, fig.unit) == (57, "killed", "people")
    fig = only(nlp, "The death toll rose from 20 to 35.")  # a change, not a range
    assert (fig.value, fig.value_max, fig.category) == (35, None, "killed")


def test_exact_number_is_not_approximate(nlp):
    fig = only(nlp, "The floods displaced 6000 people in the valley.")
    assert fig.approximate is False and fig.bound is None and fig.value_max is None


# -- what is counted and what happened -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "unit"),
    [
        ("Gunmen killed 14 civilians in the market.", "killed", "people"),
        ("Nine children died when the school collapsed.", "killed", "people"),
        ("The blast wounded 31 passengers.", "injured", "people"),
        ("Seven climbers are still missing on the mountain.", "missing", "people"),
        ("Militants kidnapped 20 students from the campus.", "kidnapped", "people"),
        ("Police arrested 45 demonstrators overnight.", "arrested", "people"),
        ("About 3,000 villagers fled the fighting.", "displaced", "people"),
        ("The offensive displaced 12,000 residents.", "displaced", "people"),
        ("Some 400 families have left their homes in the valley.", "displaced", "households"),
        ("Rising water forced 2,500 people out of their homes.", "displaced", "people"),
        ("Rescuers evacuated 700 patients from the hospital.", "evacuated", "people"),
        ("Around 900 people took shelter in relief camps.", "sheltered", "people"),
        ("At least 450 people were left homeless by the fire.", "homeless", "people"),
        ("The authorities relocated 300 households to higher ground.", "relocated", "households"),
        ("Some 5,000 refugees have returned to the city.", "returned", "people"),
        ("Around 50,000 people still remain in the besieged town.", "remaining", "people"),
        ("Some 1,500 residents are trapped in the old quarter.", "remaining", "people"),
        ("Nearly 200 tourists were stranded at the airport.", "remaining", "people"),
        ("The drought has affected 12,000 households.", "affected", "households"),
        ("The earthquake destroyed 60 homes in the village.", "other", "houses"),
        ("Thirty people lost their lives in the crash.", "killed", "people"),
        ("The landslide claimed the lives of 30 villagers.", "killed", "people"),
        ("Gunmen took 30 passengers hostage.", "kidnapped", "people"),
        ("About 300 residents sought refuge in churches.", "sheltered", "people"),
        ("Floods have made 3,000 families homeless.", "homeless", "households"),
        ("Some 40 miners are unaccounted for.", "missing", "people"),
        ("More than 200 people were hospitalised.", "injured", "people"),
    ],
)
def test_categories_and_units(nlp, text, category, unit):
    fig = only(nlp, text)
    assert (fig.category, fig.unit) == (category, unit)


def test_category_through_light_verbs(nlp):
    fig = only(nlp, "About 300,000 civilians remained displaced in the east.")
    assert fig.category == "displaced"
    assert only(nlp, "The floods left 483 villagers homeless.").category == "homeless"
    assert only(nlp, "The storm forced 337,000 people to evacuate.").category == "evacuated"
    assert only(nlp, "The fire forced the evacuation of 2,000 residents.").category == "evacuated"


def test_state_word_wins_over_coordinated_verb(nlp):
    found = figures(nlp, "At least 47 people were killed and more than 120 injured in the floods.")
    assert [(f.value, f.category) for f in found] == [(47, "killed"), (120, "injured")]
    fig = only(nlp, "His 7 children were among the dead.")
    assert fig.category == "killed"
    found = figures(nlp, "The attack left 30 people dead and 50 wounded.")
    assert [(f.value, f.category, f.cue) for f in found] == [
        (30, "killed", "dead"),
        (50, "injured", "wounded"),
    ]


def test_bare_number_borrows_unit_from_its_list(nlp):
    found = figures(nlp, "In the north, 31 houses were destroyed and 36 damaged.")
    assert [(f.value, f.unit) for f in found] == [(31, "houses"), (36, "houses")]
    found = figures(nlp, "Two people died and about 250 were left homeless.")
    assert [(f.value, f.category, f.unit) for f in found] == [
        (2, "killed", "people"),
        (250, "homeless", "people"),
    ]


def test_heading_and_bullets(nlp):
    text = (
        "Flood Update No. 4 (as of 2 May)\n\nKEY POINTS\n"
        "• Over 40,000 people are displaced.\n• 12 relief centres host 9,000 people."
    )
    found = figures(nlp, text)
    assert [(f.value, f.category) for f in found] == [(40000, "displaced"), (9000, "sheltered")]


def test_counts_of_other_things_are_not_figures(nlp):
    assert figures(nlp, "The storm damaged 130 bridges and 22 schools in 14 districts.") == []


# -- not figures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The dam was built in 1998 and repaired in 2015.",  # years
        "The floods began on 12 March and peaked on March 14.",  # dates
        "The agency sent $5 million and 300,000 euros in aid.",  # money
        "Prices rose 15% in May and 20 percent in June.",  # percentages
        "The convoy left at 10:30 and arrived at 6 p.m.",  # times of day
        "For help, call 555-123-4567 or +44 20 7946 0958.",  # phone numbers
        "Maria Lopez, 34, said her 12-year-old son was aged 12 then.",  # ages
        "The river rose 3 metres over 40 km of the valley.",  # measures
        "The council adopted Resolution 2334 after the debate.",  # names
        "The one who spoke first was a teacher.",  # "one" as a pronoun
        "Hundreds of cars were destroyed in the flood.",  # counts of things
        "Volunteers set up three shelters in the school.",  # facilities, not homes
        "The nurse left town with her three children.",  # a life story, not a count
        "The senator had a ten-point lead in the poll.",  # a modifier
        "A 4-4 ruling would leave the order in place.",  # a score
        "The Feb. 13 death of the judge split the court.",  # a date before a noun
        "The 1951 Refugee Convention protects them.",  # a year in a name
        "The plan focuses on people under 30.",  # an age limit
        "The two women spoke for about five minutes.",  # a small narrative count
        "Jets scrambled hundreds of times to meet the bombers.",  # "of" something else
        "Fighter aircraft flew 40 sorties over the city.",  # a compound is no unit
    ],
)
def test_not_figures(nlp, text):
    assert figures(nlp, text) == []


def test_a_figure_beside_a_date_and_money(nlp):
    found = figures(nlp, "On 3 February 2013, the government paid $2 million to 299 families.")
    assert [f.value for f in found] == [299]


# -- sources -------------------------------------------------------------------------------


def test_source_reporting_verb(nlp):
    fig = only(nlp, "The Red Cross reported that 120 families were evacuated.")
    assert "Red Cross" in fig.source_text
    assert fig.source is not None


def test_source_according_to(nlp):
    doc = nlp(make_doc(nlp, "According to UNICEF, 40 children died in the floods.", None))
    (fig,) = doc._.figures
    assert fig.source_text == "UNICEF"
    ids = {e.id for e in doc._.entities if any(m.text == "UNICEF" for m in e.mentions)}
    assert fig.source in ids


def test_source_after_the_clause(nlp):
    fig = only(nlp, "Fifteen people were killed in the attack, Reuters reported.")
    assert fig.source_text == "Reuters"


def test_source_with_acronym_in_brackets(nlp):
    text = "According to the Disaster Management Agency (DMA), 600 people were evacuated."
    fig = only(nlp, text)
    assert fig.source_text.startswith("Disaster Management Agency")
    assert fig.source_text.count("(") == fig.source_text.count(")")
    assert text[fig.source_start : fig.source_end] == fig.source_text


def test_source_figures_show(nlp):
    fig = only(nlp, "UNHCR figures show 3,000 refugees crossed the border.")
    assert fig.source_text == "UNHCR"


def test_source_named_in_previous_sentence(nlp):
    text = "The Red Crescent issued an update on Monday. It said 120 families were evacuated."
    found = figures(nlp, text)
    assert len(found) == 1 and "Red Crescent" in found[0].source_text


def test_previous_sentence_lends_no_source_across_paragraphs(nlp):
    text = "The ministry said 40 people died.\n\nIn the north, 15 bodies were recovered."
    found = figures(nlp, text)
    assert [f.value for f in found] == [40, 15]
    assert found[0].source_text == "ministry"
    assert found[1].source_text is None
    text = "The ministry said 40 people died. Another 15 were injured in the blast."
    found = figures(nlp, text)
    assert [f.source_text for f in found] == ["ministry", "ministry"]


def test_source_of_a_figure_in_a_quote_is_its_speaker(nlp):
    text = 'Oxfam disagreed. "Only 3,000 people have fled the town," said its director Maria Gomez.'
    doc = nlp(make_doc(nlp, text, None))
    (fig,) = doc._.figures
    speakers = [q.speaker for q in doc._.quotes or [] if q.speaker and q.start <= fig.start]
    if speakers:  # the quotes component found the speaker
        assert fig.source == speakers[0]
    assert "Maria Gomez" in fig.source_text
    assert text[fig.source_start : fig.source_end] == fig.source_text


def test_source_without_entity_keeps_its_words(nlp):
    fig = only(nlp, "Officials in the province said 300 villagers were relocated.")
    assert fig.source_text == "Officials in the province"


def test_no_source(nlp):
    fig = only(nlp, "The floods displaced 6000 people in the valley.")
    assert fig.source is None and fig.source_text is None and fig.source_start is None


# -- place and time --------------------------------------------------------------------------


def test_place_and_time_of_the_clause(extract_one):
    record = extract_one(
        "Heavy rain hit the coast of Peru and Chile. "
        "On Tuesday, floods displaced 2,000 people in Lima, the ministry said.",
        "2024-03-15",
    )
    (fig,) = record["figures"]
    if record["places"]:
        names = {p["id"]: p["name"] for p in record["places"]}
        assert names.get(fig["place"]) == "Lima"
    if record["times"]:
        assert fig["time"] == "2024-03-12"


def test_dateline_date_gives_way_to_the_event_date(extract_one):
    record = extract_one(
        "LIMA, Peru (March 14, 2024) - At least 47 people were killed when floods swept "
        "through the valley on Tuesday, officials said.",
        "2024-03-15",
    )
    (fig,) = record["figures"]
    if any(t["value"] == "2024-03-12" for t in record["times"]):
        assert fig["time"] == "2024-03-12"


def test_main_place_only_when_it_is_the_only_one(extract_one):
    record = extract_one("Floods hit Lima this week. More than 500 families were evacuated.", None)
    (fig,) = record["figures"]
    if record["places"]:
        assert fig["place"] == record["places"][0]["id"]
    record = extract_one(
        "Floods hit Lima and Quito this week. More than 500 families were evacuated.", None
    )
    (fig,) = record["figures"]
    assert fig["place"] is None
    # "the old city" points back to the place named last; an existential "there" does not
    record = extract_one(
        "Floods hit Lima and Quito on Monday. About 8,000 people remain trapped in the old "
        "city. There were 900 people evacuated, Reuters said.",
        None,
    )
    first, second = record["figures"]
    names = {p["id"]: p["name"] for p in record["places"]}
    if len(names) == 2:
        assert names[first["place"]] == "Quito"
    assert second["place"] is None


# -- offsets ----------------------------------------------------------------------------------


def test_offsets(extract_one):
    text = (
        "According to the Red Cross, at least 1,200 people were evacuated from Tacloban.\n\n"
        "Officials said six thousand residents remain stranded, while hundreds of homes were "
        "destroyed. Between 20 and 30 fishermen are missing, the coast guard reported."
    )
    record = extract_one(text, "2024-03-15")
    assert len(record["figures"]) == 4
    for fig in record["figures"]:
        assert text[fig["start"] : fig["end"]] == fig["text"]
        if fig["source_start"] is not None:
            assert text[fig["source_start"] : fig["source_end"]] == fig["source_text"]
    assert [f["value"] for f in record["figures"]] == [1200, 6000, 200, 20]


# -- the seed article --------------------------------------------------------------------------


def test_seed_figures(check_seed, seed_record):
    ok, output = check_seed("figures")
    lines = [line for line in output.splitlines() if "figures:" in line]
    assert any(line.startswith("ok") and "6000 displaced by UN" in line for line in lines), output
    if seed_record["places"]:
        assert ok, output
    else:  # the 50,000 one is placed in Aleppo: only checkable once places exist
        fifty = [f for f in seed_record["figures"] if f["value"] == 50000]
        assert fifty and fifty[0]["category"] == "remaining", output


# -- generated sentences ------------------------------------------------------------------------

NUMBERS = [
    ("6000", 6000),
    ("50,000", 50000),
    ("six thousand", 6000),
    ("1.2 million", 1200000),
    ("a dozen", 12),
    ("2,500", 2500),
    ("forty", 40),
]
BOUNDS = [
    ("", None),
    ("at least ", "min"),
    ("about ", "approx"),
    ("up to ", "max"),
    ("more than ", "min"),
]
NOUNS = [
    ("people", "people"),
    ("families", "households"),
    ("civilians", "people"),
    ("residents", "people"),
    ("households", "households"),
]
VERBS = [
    ("were evacuated", "evacuated"),
    ("were killed", "killed"),
    ("were displaced", "displaced"),
    ("were relocated", "relocated"),
    ("are missing", "missing"),
    ("were injured", "injured"),
]
SOURCES = [
    ("The ministry said", "ministry"),
    ("According to the Red Cross,", "Red Cross"),
    ("", None),
]


def test_generated_sentences(nlp):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, derandomize=True)
    @given(
        st.sampled_from(SOURCES),
        st.sampled_from(BOUNDS),
        st.sampled_from(NUMBERS),
        st.sampled_from(NOUNS),
        st.sampled_from(VERBS),
        st.sampled_from(["", "Dunes. "]),
    )
    def check(source, bound, number, noun, verb, lead):
        words = [bound[0] + number[0], noun[0], verb[0]]
        text = f"{lead}{source[0]} {' '.join(words)} on Monday.".replace("  ", " ").strip()
        if not source[0]:
            text = text[0].upper() + text[1:] if not lead else text
        fig = only(nlp, text)
        assert text[fig.start : fig.end] == fig.text
        assert (fig.value, fig.bound, fig.unit, fig.category) == (
            number[1],
            bound[1],
            noun[1],
            verb[1],
        ), text
        if source[1]:
            assert source[1] in (fig.source_text or ""), text
            assert text[fig.source_start : fig.source_end] == fig.source_text
        else:
            assert fig.source is None, text

    check()


WORDS = [
    "6000",
    "50,000",
    "9",
    "300",
    "61",
    ",",
    "000",
    "1.2",
    "million",
    "a",
    "dozen",
    "half",
    "hundreds",
    "of",
    "thousands",
    "tens",
    "between",
    "and",
    "to",
    "-",
    "at",
    "least",
    "up",
    "people",
    "families",
    "homes",
    "killed",
    "fled",
    "remain",
    "left",
    "said",
    "according",
    "UN",
    "the",
    "No.",
    "4",
    "$",
    "%",
    "2015",
    "\n\n",
    "•",
    ".",
    "(",
    ")",
    "aged",
    "one",
    "twenty",
    "five",
    "from",
    "rose",
    "toll",
    "they",
    "in",
    "Aleppo",
]


def test_any_word_salad_keeps_offsets(nlp):
    """No sequence of tricky words breaks the component or its offsets."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
    def check(words):
        text = " ".join(words)
        for fig in figures(nlp, text):
            assert text[fig.start : fig.end] == fig.text
            assert fig.value >= 0
            if fig.source_start is not None:
                assert text[fig.source_start : fig.source_end] == fig.source_text

    check()
