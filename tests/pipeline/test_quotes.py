"""The quotes component: quotation marks, layouts of attribution, scare quotes, offsets."""

from __future__ import annotations

import pytest

from newsgraph.pipeline.quotes import cue_lexicon, find_quotes

# --- quotation marks (no model needed) -------------------------------------------------


def _texts(text: str) -> list[str]:
    return [text[p.start : p.end] for p in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “the bridge is gone” and left.", ["the bridge is gone"]),
        ('He said "the bridge is gone" and left.', ["the bridge is gone"]),
        ("He said «the bridge is gone» and left.", ["the bridge is gone"]),
        ("He said ‘the bridge is gone’ and left.", ["the bridge is gone"]),
        ("He said 'the bridge is gone' and left.", ["the bridge is gone"]),
        ("He said ''the bridge is gone'' and left.", ["the bridge is gone"]),
        ("Er sagte „die Brücke ist weg“ und ging.", ["die Brücke ist weg"]),
        (
            "He said \"the farmers' bridge isn't there\" and left.",
            ["the farmers' bridge isn't there"],
        ),
    ],
)
def test_every_kind_of_mark(text, expected):
    assert _texts(text) == expected


def test_apostrophes_are_not_quotes():
    text = "The farmers' union said it's the villagers’ land, and they won't leave."
    assert _texts(text) == []


def test_apostrophes_inside_a_single_quoted_quote():
    text = "She wrote 'the farmers' fields aren't safe' in her report."
    assert _texts(text) == ["the farmers' fields aren't safe"]


def test_nested_quote_stays_inside_the_outer_one():
    text = "“He told me ‘stay inside,’ and we did,” said the driver."
    assert _texts(text) == ["He told me ‘stay inside,’ and we did,"]


def test_quote_spanning_sentences_is_one_quote():
    text = "“The rain stopped. The river did not. We ran,” she said."
    assert _texts(text) == ["The rain stopped. The river did not. We ran,"]


def test_multi_paragraph_quote_gives_one_piece_per_paragraph():
    text = (
        "The mayor spoke at noon. “We will rebuild every house.\n"
        "“We will also rebuild the school,” she said.\n"
        "Later it rained."
    )
    pieces = find_quotes(text)
    assert [text[p.start : p.end] for p in pieces] == [
        "We will rebuild every house.",
        "We will also rebuild the school,",
    ]
    assert pieces[0].group == pieces[1].group


def test_a_forgotten_closing_mark_before_the_attribution():
    text = '"Nobody told us which papers to keep, said Anna Berg, who adopted two children.'
    assert _texts(text) == ["Nobody told us which papers to keep,"]


def test_a_closing_mark_typed_the_wrong_way_round():
    text = "”The roads are closed for now.” ― Ann Lee"
    assert _texts(text) == ["The roads are closed for now."]


def test_lexicon_has_particle_verbs():
    lex = cue_lexicon()
    assert "say" in lex and lex["say"] == frozenset()
    assert "back" in lex["fire"]


# --- attribution (full pipeline) -------------------------------------------------------


def _quotes(extract_one, text):
    record = extract_one(text)
    ents = {e["id"]: e for e in record["entities"]}
    for q in record["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
        if q["speaker_start"] is not None:
            assert text[q["speaker_start"] : q["speaker_end"]] == q["speaker_text"]
        if q["speaker"] is not None:
            assert q["speaker"] in ents
    return record["quotes"], ents


def _one(extract_one, text, begins):
    quotes, ents = _quotes(extract_one, text)
    hits = [q for q in quotes if q["text"].startswith(begins)]
    assert len(hits) == 1, quotes
    q = hits[0]
    name = ents[q["speaker"]]["name"] if q["speaker"] else None
    return q, name


@pytest.mark.parametrize(
    "text, begins, speaker_text, cue",
    [
        # "X said" after the quote
        (
            "“We will rebuild the bridge by spring,” John Carter said on Monday.",
            "We will rebuild",
            "John Carter",
            "said",
        ),
        # "said X"
        (
            "“The water is rising fast,” said Michael Brown, who lives by the river.",
            "The water is rising",
            "Michael Brown",
            "said",
        ),
        # "X, the Y, said"
        (
            "“Nobody expected the dam to fail,” David Miller, the regional governor, said.",
            "Nobody expected",
            "David Miller",
            "said",
        ),
        # "X told reporters"
        (
            "Robert Johnson told reporters, “The convoy will leave at noon tomorrow.”",
            "The convoy will leave",
            "Robert Johnson",
            "told",
        ),
        # "X asked"
        (
            "Sarah Wilson asked the committee, “Where did all the money go?”",
            "Where did all",
            "Sarah Wilson",
            "asked",
        ),
        # "X fired back"
        (
            "Thomas Moore fired back, “That claim is simply false and you know it.”",
            "That claim is",
            "Thomas Moore",
            "fired back",
        ),
        # colon after a cue verb
        (
            "James Taylor said: “The shelters are full and food is running out.”",
            "The shelters are full",
            "James Taylor",
            "said",
        ),
        # partial quote inside reported speech
        (
            "Mary Davis called the plan “a disaster for every farmer in the valley.”",
            "a disaster",
            "Mary Davis",
            "called",
        ),
        (
            "Mary Davis said the plan was “a disaster” for farmers.",
            "a disaster",
            "Mary Davis",
            "said",
        ),
    ],
)
def test_speaker_layouts(extract_one, text, begins, speaker_text, cue):
    q, _ = _one(extract_one, text, begins)
    assert q["kind"] == "direct"
    assert speaker_text in q["speaker_text"]
    assert q["cue"] == cue


def test_according_to(extract_one):
    text = "According to Susan Clark, the camp was “running out of clean water by the hour.”"
    q, _ = _one(extract_one, text, "running out")
    assert q["kind"] == "direct" and "Susan Clark" in q["speaker_text"]
    assert q["cue"] == "according to"


def test_colon_introduction_without_a_verb(extract_one):
    text = "The minister answered questions.\nJohn Carter: “We did everything we could.”"
    q, _ = _one(extract_one, text, "We did everything")
    assert q["speaker_text"] == "John Carter"


def test_dash_name_after_the_quote(extract_one):
    text = (
        "“We lost our house and our car in one night.” ― Linda Evans\n"
        "“Nobody came to help us for three days.” — Paul Walker"
    )
    first, _ = _one(extract_one, text, "We lost our house")
    second, _ = _one(extract_one, text, "Nobody came")
    assert first["speaker_text"] == "Linda Evans"
    assert second["speaker_text"] == "Paul Walker"


def test_quote_paragraph_continues_the_previous_speaker(extract_one):
    text = (
        "“The roads are closed in every direction,” said Kevin Harris, the police chief.\n\n"
        "“We have asked the army for trucks, fuel and drivers.”\n\n"
        "The storm is expected to last until Friday."
    )
    first, name1 = _one(extract_one, text, "The roads are closed")
    second, name2 = _one(extract_one, text, "We have asked the army")
    assert "Kevin Harris" in first["speaker_text"]
    assert second["kind"] == "direct"
    assert second["speaker_text"] == first["speaker_text"]
    assert name2 is not None and name2 == name1


def test_multi_paragraph_quote_shares_its_speaker(extract_one):
    text = (
        "Jennifer Lewis spoke to the crowd on Sunday. She said: “We will rebuild every house "
        "in this town.\n"
        "“And we will rebuild the school before the winter comes.”\n"
    )
    quotes, ents = _quotes(extract_one, text)
    direct = [q for q in quotes if q["kind"] == "direct"]
    assert [q["text"][:10] for q in direct] == ["We will re", "And we wil"]
    assert direct[0]["speaker"] is not None
    assert direct[1]["speaker"] == direct[0]["speaker"]
    assert ents[direct[0]["speaker"]]["name"] == "Jennifer Lewis"


def test_pronoun_speaker_points_at_the_person(extract_one):
    text = (
        "Maria Lopez arrived at the camp on Monday with two of her children.\n"
        "“Everyone here is exhausted and hungry,” she said."
    )
    q, name = _one(extract_one, text, "Everyone here")
    assert q["speaker_text"] == "she"
    assert name == "Maria Lopez"


def test_short_name_points_at_the_full_name(extract_one):
    text = (
        "The inquiry was chaired by Richard Thompson, a retired judge.\n"
        "“This report is damning for everyone involved,” Thompson said."
    )
    q, name = _one(extract_one, text, "This report is damning")
    assert q["speaker_text"] == "Thompson"
    assert name == "Richard Thompson"


def test_scare_quote_has_no_speaker(extract_one):
    text = "Officials met on Tuesday, while the general celebrates the “victory” in the valley."
    q, _ = _one(extract_one, text, "victory")
    assert q["kind"] == "scare"
    assert q["speaker"] is None and q["cue"] is None


def test_title_in_quotes_is_not_a_direct_quote(extract_one):
    text = "John Carter said on the radio show “Morning Report” that the roads were open."
    q, _ = _one(extract_one, text, "Morning Report")
    assert q["kind"] == "scare"


def test_nested_quote_is_attributed_to_the_outer_speaker(extract_one):
    text = "“He told me ‘stay inside,’ and we did,” said Daniel White."
    quotes, _ = _quotes(extract_one, text)
    assert len(quotes) == 1
    assert quotes[0]["speaker_text"] == "Daniel White"


def test_seed_quotes(check_seed):
    ok, output = check_seed("quotes")
    assert ok, output


def test_description_points_at_the_titled_person(extract_one):
    text = (
        "White House spokesman Josh Earnest spoke to reporters on Monday.\n"
        "“We will pass the bill before the summer,” the spokesman said."
    )
    q, name = _one(extract_one, text, "We will pass")
    assert q["speaker_text"] == "spokesman"
    assert name == "Josh Earnest"


def test_a_one_word_answer_is_a_direct_quote(extract_one):
    q, _ = _one(extract_one, "Asked about the deal, John Smith said “Yes” and left.", "Yes")
    assert q["kind"] == "direct"
    assert q["speaker_text"] == "John Smith"


def test_pronoun_skips_a_person_of_the_other_gender(extract_one):
    # Without the honorifics the subject of the last sentence (Obama) would be chosen.
    text = "Mr. Obama welcomed Mrs. Clinton in Ohio.\n“We are ready for the fight,” she said."
    q, name = _one(extract_one, text, "We are ready")
    assert q["speaker_text"] == "she"
    assert name is not None and name.endswith("Clinton")


def test_quote_paragraph_after_a_sentence_of_speech(extract_one):
    text = "Maria Lopez spoke to the crowd on Monday.\n\n“We will not leave this valley.”"
    q, name = _one(extract_one, text, "We will not leave")
    assert q["kind"] == "direct"
    assert q["speaker_text"] == "Maria Lopez" and name == "Maria Lopez"
