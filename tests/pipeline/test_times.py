"""The times component: TIMEX3 spans, types and values resolved against the publication date."""

from __future__ import annotations

import pytest

from newsgraph.pipeline.times import find_times

# 2016-12-16 is a Friday.
PUB = "2016-12-16"


def times_of(nlp, text: str, published: str | None = PUB):
    from newsgraph.pipeline import make_doc

    doc = nlp(make_doc(nlp, text, published))
    for t in doc._.times:
        assert text[t.start : t.end] == t.text
    return doc._.times


def one(nlp, text: str, expected_text: str, published: str | None = PUB):
    hits = [t for t in times_of(nlp, text, published) if t.text == expected_text]
    assert hits, f"{expected_text!r} not found in {times_of(nlp, text, published)}"
    return hits[0]


# (sentence, published, span, type, value): our own sentences, one or more per family.
CASES = [
    # absolute dates
    (
        "The talks opened on 13 December 2015 in Geneva.",
        PUB,
        "13 December 2015",
        "DATE",
        "2015-12-13",
    ),
    (
        "The deal was signed on Dec. 13, 2015, after long talks.",
        PUB,
        "Dec. 13, 2015",
        "DATE",
        "2015-12-13",
    ),
    ("The report is dated 12/13/2016.", PUB, "12/13/2016", "DATE", "2016-12-13"),
    ("Results are due on 14 Dec 2016.", PUB, "14 Dec 2016", "DATE", "2016-12-14"),
    ("Inflation hit 6% in Q3 2015.", PUB, "Q3 2015", "DATE", "2015-Q3"),
    ("The ministry released figures on 2016-11-30.", PUB, "2016-11-30", "DATE", "2016-11-30"),
    # partial dates: the year from the publication date and the tense
    (
        "The council met on December 13th to discuss the siege.",
        PUB,
        "December 13th",
        "DATE",
        "2016-12-13",
    ),
    ("The vote will take place on January 10.", PUB, "January 10", "DATE", "2017-01-10"),
    ("The siege began in July.", PUB, "July", "DATE", "2016-07"),
    ("Prices rose in March 2015.", PUB, "March 2015", "DATE", "2015-03"),
    # relative days, weeks, months, years
    ("The convoy reached the city yesterday.", PUB, "yesterday", "DATE", "2016-12-15"),
    ("The mayor spoke today.", PUB, "today", "DATE", "2016-12-16"),
    ("The ferry will sail tomorrow.", PUB, "tomorrow", "DATE", "2016-12-17"),
    ("The shelling started two days ago.", PUB, "two days ago", "DATE", "2016-12-14"),
    ("The city fell this week.", PUB, "this week", "DATE", "2016-W50"),
    ("Aid arrived last week.", PUB, "last week", "DATE", "2016-W49"),
    ("Elections are due next month.", PUB, "next month", "DATE", "2017-01"),
    ("The bridge was rebuilt last year.", PUB, "last year", "DATE", "2015"),
    ("Sales grew in the third quarter.", PUB, "the third quarter", "DATE", "2016-Q3"),
    (
        "Profits fell in the fourth quarter of 2015.",
        PUB,
        "the fourth quarter of 2015",
        "DATE",
        "2015-Q4",
    ),
    ("Fighting intensified last summer.", PUB, "last summer", "DATE", "2016-SU"),
    ("The treaty was signed in 1994.", PUB, "1994", "DATE", "1994"),
    ("The town grew quickly in the 1990s.", PUB, "the 1990s", "DATE", "199"),
    ("The church was built in the 12th century.", PUB, "the 12th century", "DATE", "11"),
    # vague references
    ("The border is now closed.", PUB, "now", "DATE", "PRESENT_REF"),
    ("The camp was recently expanded.", PUB, "recently", "DATE", "PAST_REF"),
    ("Nobody knows what the future holds.", PUB, "the future", "DATE", "FUTURE_REF"),
    # times and parts of day
    ("This morning the guns fell silent.", PUB, "This morning", "TIME", "2016-12-16TMO"),
    ("Explosions were heard last night.", PUB, "last night", "TIME", "2016-12-15TNI"),
    (
        "The ceasefire begins at 3 p.m. local time.",
        PUB,
        "3 p.m. local time",
        "TIME",
        "2016-12-16T15:00",
    ),
    # durations
    ("A three day evacuation was agreed.", PUB, "three day", "DURATION", "P3D"),
    ("The war lasted a decade.", PUB, "a decade", "DURATION", "P10Y"),
    ("Thousands fled over the past two weeks.", PUB, "the past two weeks", "DURATION", "P2W"),
    ("The meeting lasted 5 1/2 hours.", PUB, "5 1/2 hours", "DURATION", "PT5H30M"),
    ("The truce held for a few days.", PUB, "a few days", "DURATION", "PXD"),
    # sets
    ("Trucks cross the border every week.", PUB, "every week", "SET", "P1W"),
    ("The agency publishes daily reports.", PUB, "daily", "SET", "P1D"),
]


@pytest.mark.model
@pytest.mark.parametrize("text,published,span,typ,value", CASES, ids=[c[2] for c in CASES])
def test_families(nlp, text, published, span, typ, value):
    t = one(nlp, text, span, published)
    assert (t.type, t.value) == (typ, value)


@pytest.mark.model
def test_weekday_follows_the_tense(nlp):
    # Published on a Friday: a past verb points back, a future one ahead.
    assert one(nlp, "The envoy arrived in the capital on Tuesday.", "Tuesday").value == "2016-12-13"
    assert (
        one(nlp, "The envoy will arrive in the capital on Tuesday.", "Tuesday").value
        == "2016-12-20"
    )
    # The same weekday as the publication date is that day.
    assert one(nlp, "The rebels withdrew on Friday.", "Friday").value == "2016-12-16"
    assert one(nlp, "The envoy left last Monday.", "last Monday").value == "2016-12-12"
    # A simple present schedules; a possessive names what has happened.
    assert one(nlp, "The talks resume Monday in Geneva.", "Monday").value == "2016-12-19"
    text = "Lawyers will appeal Wednesday's ruling."
    assert one(nlp, text, "Wednesday").value == "2016-12-14"
    assert one(nlp, "The envoy leaves next Monday.", "next Monday").value == "2016-12-19"


@pytest.mark.model
def test_year_boundary(nlp):
    # An article of 2 January looking back at 30 December means the previous year ...
    t = one(nlp, "The convoy left the city on December 30.", "December 30", "2017-01-02")
    assert t.value == "2016-12-30"
    # ... and one of late December looking ahead to January means the next.
    t = one(nlp, "The talks will resume on January 3.", "January 3", "2016-12-28")
    assert t.value == "2017-01-03"
    assert one(nlp, "Aid arrived last week.", "last week", "2017-01-02").value == "2016-W52"


@pytest.mark.model
def test_missing_publication_date_invents_no_year(nlp):
    assert (
        one(nlp, "The council met on December 13th.", "December 13th", None).value == "XXXX-12-13"
    )
    assert one(nlp, "The envoy arrived on Friday.", "Friday", None).value == "XXXX-WXX-5"
    assert one(nlp, "The convoy arrived yesterday.", "yesterday", None).value == "XXXX-XX-XX"
    assert one(nlp, "The siege began in July.", "July", None).value == "XXXX-07"
    # What the text states in full is kept; durations need no anchor.
    assert (
        one(nlp, "The treaty was signed on 13 December 2015.", "13 December 2015", None).value
        == "2015-12-13"
    )
    assert one(nlp, "A three day truce was agreed.", "three day", None).value == "P3D"


@pytest.mark.model
def test_days_and_months_the_story_names(nlp):
    # "the day after" counts from the last day named; an apposition is that day itself.
    text = "The mayor was shot on December 2. Crowds gathered the day after his death."
    assert one(nlp, text, "the day").value == "2016-12-03"
    text = "Markets fell on December 2, the day before the vote."
    assert one(nlp, text, "the day").value == "2016-12-02"
    # "the following month" follows the month the story named, not the publication date.
    text = "The firm sued its rival in April. The following month, the case was dropped."
    assert one(nlp, text, "The following month").value == "2016-05"
    # Possessive days are dates; "today's world" is not.
    assert one(nlp, "Voters turned on yesterday's deal.", "yesterday").value == "2016-12-15"
    assert "today" not in [t.text for t in times_of(nlp, "Children in today's world read less.")]
    assert one(nlp, "Shares dipped mid-afternoon yesterday.", "mid-afternoon yesterday").value == (
        "2016-12-15TAF"
    )


@pytest.mark.model
def test_report_periods_and_seasons(nlp):
    text = (
        "Profit rose 5% in the third quarter. Sales in the latest period were flat, "
        "while the 2015 period had a charge."
    )
    assert one(nlp, text, "the latest period").value == "2016-Q3"
    assert one(nlp, text, "the 2015 period").value == "2015-Q3"
    # Written in the fourth quarter, a results story's "this quarter" is the one reported on.
    text = "Profit rose in the third quarter. This quarter's gain includes a tax credit."
    assert one(nlp, text, "This quarter").value == "2016-Q3"
    assert one(nlp, "Oil hit a low in the winter of 2014.", "the winter of 2014").value == (
        "2014-WI"
    )
    assert one(nlp, "Output slowed in the early summer.", "the early summer").value == "2016-SU"
    text = "Output will fall through the first two quarters of 2017."
    assert one(nlp, text, "the first two quarters of 2017").value == "2017-H1"


@pytest.mark.model
def test_clock_times_days_joined_and_spoken_years(nlp):
    # A clock time with no day of its own is on the day the story last named.
    text = "The blast hit the market on December 2. It went off at 10 p.m. near the gate."
    assert one(nlp, text, "10 p.m.").value == "2016-12-02T22:00"
    # "the day before <date>" is one date; "April 4 and 5" are two.
    text = "They met the day before last Tuesday's hearing."
    assert one(nlp, text, "the day before last Tuesday").value == "2016-12-12"
    text = "The summit is set for April 4 and 5 in Oslo."
    assert one(nlp, text, "5").value == "2017-04-05"
    assert "25" not in [t.text for t in times_of(nlp, "It began on May 3 and 25 people died.")]
    # A year said in words is a year without a preposition before it.
    assert one(nlp, "Lagos, nineteen ninety-two. A bus fell.", "nineteen ninety-two").value == (
        "1992"
    )
    assert "March" not in [t.text for t in times_of(nlp, "They joined the annual March for Peace.")]
    assert one(nlp, "Buses run on Friday nights.", "Friday nights").value == "XXXX-WXX-5TNI"


@pytest.mark.model
def test_words_that_set_a_date_ahead(nlp):
    # Written in December: "effective June 1" is next June, even after a past verb.
    text = "The board named a new chief, effective June 1."
    assert one(nlp, text, "June 1").value == "2017-06-01"
    # ... but "until" and "through" follow the verb: a past one keeps them behind.
    text = "Sales rose from January through March."
    assert [t.value for t in times_of(nlp, text)] == ["2016-01", "2016-03"]
    assert one(nlp, "The plant stayed shut until March.", "March").value == "2016-03"
    # A perfect progressive or "since" looks back.
    text = "Police have been searching for him after the May 20 attack."
    assert one(nlp, text, "May 20").value == "2016-05-20"
    assert one(nlp, "Prices have risen since the May 20 vote.", "May 20").value == "2016-05-20"
    assert one(nlp, "The rebels left a week or so ago.", "a week or so ago").value == "2016-W49"


@pytest.mark.model
def test_no_times_in_plain_numbers(nlp):
    text = "The fund paid $1990 to 2,500 families and 52-year-old Ms. Diaz may stay."
    assert [t.text for t in times_of(nlp, text)] == []


@pytest.mark.model
def test_offsets_hold_on_a_longer_text(nlp):
    text = (
        "GENEVA — On Monday, Dec. 12, envoys met for three hours. This morning they said a truce\n"
        "would begin at noon Saturday and last 72 hours; talks resume every Tuesday until\n"
        "early next year. Since the 1990s the region has seen fighting most summers."
    )
    found = times_of(nlp, text)
    assert len(found) >= 6
    for t in found:
        assert text[t.start : t.end] == t.text


def test_grammar_runs_without_a_parse():
    # No Doc: no tense and no model entities, but the grammar and the values still work.
    found = find_times("The envoy met the council on December 13th and left yesterday.", PUB)
    assert [(t.text, t.value) for t in found] == [
        ("December 13th", "2016-12-13"),
        ("yesterday", "2016-12-15"),
    ]


@pytest.mark.model
@pytest.mark.shared
def test_seed_times_hold(check_seed):
    ok, output = check_seed("times")
    assert ok, output


def _parsed(nlp, words, tags, pos, deps, heads, lemmas):
    """A Doc with a parse we write ourselves, to test one tense rule whatever the model says."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=words, tags=tags, pos=pos, deps=deps, heads=heads, lemmas=lemmas)


def test_a_singular_subject_makes_a_bare_verb_past(nlp):
    # "hurt" tagged as a plural present after a singular noun can only be the past tense.
    words = ["Weakness", "hurt", "stocks", "on", "Friday", "."]
    doc = _parsed(
        nlp,
        words,
        ["NN", "VBP", "NNS", "IN", "NNP", "."],
        ["NOUN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        [1, 1, 1, 1, 3, 1],
        ["weakness", "hurt", "stock", "on", "Friday", "."],
    )
    (t,) = find_times(doc.text, "2016-12-14", doc)  # a Wednesday
    assert (t.text, t.value) == ("Friday", "2016-12-09")
    # A plural subject keeps the present, which names what is scheduled.
    doc = _parsed(
        nlp,
        ["Traders", "meet", "on", "Friday", "."],
        ["NNS", "VBP", "IN", "NNP", "."],
        ["NOUN", "VERB", "ADP", "PROPN", "PUNCT"],
        ["nsubj", "ROOT", "prep", "pobj", "punct"],
        [1, 1, 1, 2, 1],
        ["trader", "meet", "on", "Friday", "."],
    )
    (t,) = find_times(doc.text, "2016-12-14", doc)
    assert t.value == "2016-12-16"


def test_an_infinitive_after_an_adjective_takes_its_verbs_time(nlp):
    # Friday 2016-12-16: "was able to" and "made it hard to" tell what happened.
    assert one(nlp, "The company was able to close the deal on Wednesday.", "Wednesday").value == (
        "2016-12-14"
    )
    text = "The union made it hard for the firm to ship goods on Wednesday."
    assert one(nlp, text, "Wednesday").value == "2016-12-14"
    assert one(nlp, "The offer had been due to expire on Tuesday.", "Tuesday").value == (
        "2016-12-13"
    )
    # "due to" and "ready to" still look ahead.
    assert one(nlp, "The offer is due to expire on Tuesday.", "Tuesday").value == "2016-12-20"
    assert one(nlp, "The firm is ready to sign the deal on Tuesday.", "Tuesday").value == (
        "2016-12-20"
    )


def test_a_participle_clause_shares_its_verbs_time(nlp):
    # Written in December: May is seven months back, five ahead; the perfect says it is past.
    text = "The stock has swung widely, climbing to a peak in May."
    assert one(nlp, text, "May").value == "2016-05"
    text = "The shares have slipped all year, falling to a low in May."
    assert one(nlp, text, "May").value == "2016-05"


def test_the_future_of_something_is_not_a_time(nlp):
    texts = [t.text for t in times_of(nlp, "The vote will shape the future of the region.")]
    assert "the future" not in texts
    texts = [t.text for t in times_of(nlp, "Nobody can tell the future of the old mill.")]
    assert "the future" not in texts
    # The time itself stays: "in the future", "worried about the future".
    assert one(nlp, "The plant may close in the future.", "the future").value == "FUTURE_REF"
    assert one(nlp, "Farmers are worried about the future.", "the future").value == "FUTURE_REF"


def test_mid_afternoon_written_apart(nlp):
    t = one(nlp, "By mid afternoon the rebels had left the town.", "mid afternoon")
    assert (t.type, t.value) == ("TIME", "2016-12-16TAF")
    t = one(nlp, "Shares recovered by mid morning.", "mid morning")
    assert (t.type, t.value) == ("TIME", "2016-12-16TMO")


def test_until_with_a_past_perfect_looks_back(nlp):
    # Friday 2016-12-16: a past perfect tells what held before "until", so the day is behind.
    text = "Until Wednesday, the police had not named a suspect."
    assert one(nlp, text, "Wednesday").value == "2016-12-14"
    # Otherwise "until" reaches ahead.
    text = "The border will stay closed until Wednesday."
    assert one(nlp, text, "Wednesday").value == "2016-12-21"


def test_a_rate_of_things_is_a_set(nlp):
    # How often: a SET, once per unit.
    t = one(nlp, "The plant ships fifty thousand cars a year to Asia.", "a year")
    assert (t.type, t.value) == ("SET", "P1Y")
    t = one(nlp, "The police hold dozens of interviews a day.", "a day")
    assert (t.type, t.value) == ("SET", "P1D")
    # An amount per unit stays unmarked; a span of time stays a duration.
    assert not [t for t in times_of(nlp, "The deal saves $5 million a year.") if t.text == "a year"]
    t = one(nlp, "The plant will close within a year.", "a year")
    assert (t.type, t.value) == ("DURATION", "P1Y")


def test_frequency_words_inside_names_are_not_times(nlp):
    assert not times_of(nlp, "Clinton told the New York Daily News that taxes would rise.")
    assert not times_of(nlp, "The show Breitbart News Daily airs on satellite radio.")
    # Lower case, or opening a sentence, it is a SET.
    t = one(nlp, "Daily, the buses leave the depot.", "Daily")
    assert (t.type, t.value) == ("SET", "P1D")
    t = one(nlp, "The rebels shell the town daily.", "daily")
    assert (t.type, t.value) == ("SET", "P1D")


def test_a_span_never_ends_inside_a_word(nlp):
    text = "Polls moved between the two six-day stretches of the race."
    t = one(nlp, text, "six-day stretches")
    assert (t.type, t.value) == ("DURATION", "P6D")
    for t in times_of(nlp, text):
        assert not text[t.end : t.end + 1].isalpha()


def test_written_forms_seen_in_news(nlp):
    # "Sept.11" without the space is the day, not the month.
    t = one(nlp, "The attacks of Sept.11, 2001 changed the country.", "Sept.11, 2001")
    assert t.value == "2001-09-11"
    # "this" before "30 years ago" is a pronoun.
    texts = [t.text for t in times_of(nlp, "You said this 30 years ago.")]
    assert texts == ["30 years ago"]
    # "a weeks-long strike": the article is the noun's; the number is unknown.
    t = one(nlp, "The deal ended a weeks-long strike.", "weeks-long")
    assert (t.type, t.value) == ("DURATION", "PXW")


def test_the_quarter_a_results_story_reports_on(nlp):
    # Named as often as an earlier quarter, the later one is the one reported on.
    text = (
        "Acme posted a 20% gain in third-quarter net income. After a flat second quarter, "
        "sales of toys rose. Charges were taken in the year-earlier period."
    )
    assert one(nlp, text, "the year-earlier period").value == "2015-Q3"
    # The quarter still running (a forecast) is not what is reported on.
    text = (
        "Acme posted a drop in third-quarter profit. Analysts expect weak results in the "
        "fourth quarter. Sales fell 11% from a year ago."
    )
    assert one(nlp, text, "a year ago").value == "2015-Q3"


def test_a_year_earlier_than_nine_months_is_the_year(nlp):
    text = (
        "Acme posted a drop in third-quarter profit. Quarterly sales rose 5% from a year "
        "earlier. For the nine months, Acme earned $2 billion, up from $1.7 billion a year "
        "earlier."
    )
    values = [t.value for t in times_of(nlp, text) if t.text == "a year earlier"]
    assert values == ["2015-Q3", "2015"]


def test_the_year_ago_period_of_nine_months_is_the_year(nlp):
    text = (
        "Acme posted a drop in third-quarter profit. In the first nine months, net was "
        "$306 million, compared with a loss of $195 million in the 2015 period."
    )
    assert one(nlp, text, "the 2015 period").value == "2015"


def test_last_year_as_a_quarters_comparison(nlp):
    text = (
        "Acme reported third-quarter results. Its insurance unit earned $24 million, "
        "compared with a loss of $3 million last year."
    )
    assert one(nlp, text, "last year").value == "2015-Q3"
    # Compared with a fiscal year, it stays the year; outside a results story too.
    text = (
        "Acme reported third-quarter results. Net income for the year ended Aug. 31 was "
        "$2.7 million, down from $9.7 million last year."
    )
    assert one(nlp, text, "last year").value == "2015"
    assert one(nlp, "The mayor won $3 million last year.", "last year").value == "2015"


def test_today_after_a_name_is_a_name(nlp):
    assert not times_of(nlp, "She told USA Today that she would run.")
    assert not times_of(nlp, "She told USA TODAY that she would run.")
    assert one(nlp, "WE WON TODAY", "TODAY").value == "2016-12-16"  # a headline in capitals
    assert [t.text for t in times_of(nlp, "He spoke on NBC's Today show.")] == []
    # Opening a sentence or a line, it is the day.
    assert one(nlp, "The talks end. Today the army left.", "Today").value == "2016-12-16"
    assert one(nlp, "WASHINGTON\nToday the Senate voted.", "Today").value == "2016-12-16"


def test_a_clause_of_time_takes_the_tense_it_was_reported_in(nlp):
    # The talks end after the saying: a past tense shifted back by the report.
    t = one(nlp, "They said they would leave when the talks ended Monday.", "Monday")
    assert t.value == "2016-12-19"
    # A finite clause of time under a past verb stays behind; so does a participle.
    t = one(nlp, "He left after the talks ended Monday.", "Monday")
    assert t.value == "2016-12-12"
    t = one(nlp, "Under the terms announced Monday, holders would receive cash.", "Monday")
    assert t.value == "2016-12-12"


def test_a_story_names_one_of_each_weekday(nlp):
    text = (
        "The minister headed Tuesday to Nairobi. Her first stop Tuesday morning will be the "
        "embassy, and she will meet the president on Tuesday."
    )
    values = {t.text: t.value for t in times_of(nlp, text, "2016-12-19")}  # a Monday
    assert values["Tuesday"] == "2016-12-20"
    assert values["Tuesday morning"] == "2016-12-20TMO"
    # Two mentions that disagree one to one are left as the tenses say.
    text = "Talks began Wednesday. They will resume Wednesday."
    assert [t.value for t in times_of(nlp, text)] == ["2016-12-14", "2016-12-21"]


def test_fixed_phrases_of_duration_and_the_future(nlp):
    assert one(nlp, "Islam will one day be the largest faith.", "one day").value == "FUTURE_REF"
    assert one(nlp, "The storm lasted one day.", "one day").value == "P1D"
    t = one(nlp, "They will live without power for a while.", "a while")
    assert (t.type, t.value) == ("DURATION", "PXX")
    assert one(nlp, "After a day-long meeting they left.", "day-long").value == "P1D"
    assert one(nlp, "A year-long inquiry began.", "year-long").value == "P1Y"


def test_a_fiscal_quarter_is_the_calendar_quarter_holding_most_of_it(nlp):
    t = one(nlp, "In the quarter ended July 31, sales rose 5%.", "the quarter")
    assert t.value == "2016-Q2"
    t = one(nlp, "In the quarter ended Sept. 30, sales rose 5%.", "the quarter")
    assert t.value == "2016-Q3"


def test_days_and_ages_named_in_passing(nlp):
    # A plural part of day after two weekdays belongs to both: a schedule.
    text = "Two new flights will leave on Monday and Tuesday nights."
    assert [(t.text, t.type, t.value) for t in times_of(nlp, text)] == [
        ("Monday", "SET", "XXXX-WXX-1TNI"),
        ("Tuesday nights", "SET", "XXXX-WXX-2TNI"),
    ]
    # "later in the day" is the day the story is at, whatever follows it.
    t = one(nlp, "She flew to Nairobi later in the day before returning home.", "later in the day")
    assert t.value == "2016-12-16"
    # "of tomorrow" is an age; "of today's" is still the day.
    assert one(nlp, "He chose the people of tomorrow.", "tomorrow").value == "FUTURE_REF"
    assert one(nlp, "The price of today's shares fell.", "today").value == "2016-12-16"
    assert one(nlp, "As of today, the talks are off.", "today").value == "2016-12-16"
    t = one(nlp, "It was an event of the past century.", "the past century")
    assert (t.type, t.value) == ("DURATION", "P100Y")


def test_a_live_blogs_timestamps_are_of_the_day_of_writing(nlp):
    text = (
        "Voters in Iowa went to the caucuses on Monday.\n\n3:40 p.m.\n\n"
        "The first votes will be counted on Tuesday, and counting ends at 5 p.m.\n\n"
        "2:25 p.m.\n\nThe count goes on."
    )
    values = [(t.text, t.value) for t in times_of(nlp, text, "2016-02-10")]  # a Wednesday
    assert ("3:40 p.m.", "2016-02-10T15:40") in values
    assert ("2:25 p.m.", "2016-02-10T14:25") in values
    # Inside a sentence a clock time stays on the day the story last named.
    assert ("5 p.m.", "2016-02-16T17:00") in values


def test_names_of_shows_are_not_times(nlp):
    text = "Speaking to CBS This Morning on Monday, Rubio said little."
    assert [t.text for t in times_of(nlp, text)] == ["Monday"]


def test_a_gerund_after_a_preposition_shares_its_verbs_time(nlp):
    text = "Hillary Clinton quit giving paid speeches before announcing her run in April."
    assert one(nlp, text, "April", "2015-12-15").value == "2015-04"


def test_present_modals_look_ahead_and_if_is_a_supposition(nlp):
    assert one(nlp, "Voters may turn against him in May.", "May", "2016-01-20").value == ("2016-05")
    text = "He was asked how ties would fare if he won the election on Nov. 8."
    assert one(nlp, text, "Nov. 8", "2016-05-16").value == "2016-11-08"
    # A past modal perfect stays behind.
    assert one(nlp, "They may have met in December.", "December", "2016-02-10").value == ("2015-12")


def test_a_second_month_in_a_sequence_follows_the_first(nlp):
    text = "Most of the ads reserved in December and January attack him."
    values = [t.value for t in times_of(nlp, text, "2015-11-27")]
    assert values == ["2015-12", "2016-01"]


def test_a_clock_time_with_a_full_date_and_that_morning(nlp):
    text = "The doors opened at 6:30 a.m. on March 19, 2002. But that morning, workers came."
    values = {t.text: t.value for t in times_of(nlp, text, "2016-01-20")}
    assert values["6:30 a.m. on March 19, 2002"] == "2002-03-19T06:30"
    assert values["that morning"] == "2002-03-19TMO"


def test_weekdays_joined_share_a_week_and_a_range_runs_forward(nlp):
    published = "2015-11-24"  # a Tuesday
    text = "The decision could come as soon as Tuesday or Wednesday."
    assert [t.value for t in times_of(nlp, text, published)] == ["2015-11-24", "2015-11-25"]
    text = "Following are statements made Friday and Thursday by the lawyer."
    assert [t.value for t in times_of(nlp, text, published)] == ["2015-11-20", "2015-11-19"]
    text = "The poll was taken Thursday through Monday."
    assert [t.value for t in times_of(nlp, text, published)] == ["2015-11-19", "2015-11-23"]
