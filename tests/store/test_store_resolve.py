"""Cross-article entities: spellings, acronyms and surnames, never a merge without evidence."""

from __future__ import annotations

import json

from store_records import make_record

from newsgraph.store import connect, write_record
from newsgraph.store.resolve import acronym, link_entities, same_person, store_aliases


def build(tmp_path, articles):
    """articles: [(text, [(name, type, [mention words])], {name: affiliation}, {name: titles})]"""
    conn = connect(tmp_path / "kb.db")
    for n, (text, entities, affiliations, titles) in enumerate(articles):
        write_record(
            conn,
            make_record(f"a{n}", text, entities=entities, affiliations=affiliations, titles=titles),
        )
    with conn:
        link_entities(conn)
    return conn


def corpus_of(conn, name):
    """The set of names written for the corpus entity that `name` belongs to."""
    row = conn.execute(
        "SELECT c.aliases FROM entities e JOIN entity_links l USING (article_id, entity_id) "
        "JOIN corpus_entities c USING (corpus_id) WHERE e.name = ?",
        (name,),
    ).fetchone()
    return set(json.loads(row[0]))


def test_spelling_variants_and_surname_join_one_person(tmp_path):
    conn = build(
        tmp_path,
        [
            (
                "Vladimir Putin met envoys.",
                [("Vladimir Putin", "PERSON", ["Vladimir Putin"])],
                {},
                {},
            ),
            ("Vladamir Putin spoke.", [("Vladamir Putin", "PERSON", ["Vladamir Putin"])], {}, {}),
            ("Putin left early.", [("Putin", "PERSON", ["Putin"])], {}, {}),
            (
                "Vladimir Putin returned.",
                [("Vladimir Putin", "PERSON", ["Vladimir Putin"])],
                {},
                {},
            ),
        ],
    )
    assert corpus_of(conn, "Putin") == {"Vladimir Putin", "Vladamir Putin", "Putin"}
    (name,) = conn.execute("SELECT name FROM corpus_entities WHERE type = 'PERSON'").fetchone()
    assert name == "Vladimir Putin"  # the most used full spelling names the entity


def test_acronym_joins_the_full_name_and_not_a_longer_acronym(tmp_path):
    conn = build(
        tmp_path,
        [
            ("The UN said so.", [("UN", "ORG", ["UN"])], {}, {}),
            ("The United Nations agreed.", [("United Nations", "ORG", ["United Nations"])], {}, {}),
            ("UNHCR counted.", [("UNHCR", "ORG", ["UNHCR"])], {}, {}),
            (
                "The ICRC and the International Committee of the Red Cross.",
                [
                    ("ICRC", "ORG", ["ICRC"]),
                    (
                        "International Committee of the Red Cross",
                        "ORG",
                        ["International Committee of the Red Cross"],
                    ),
                ],
                {},
                {},
            ),
        ],
    )
    assert corpus_of(conn, "UN") == {"UN", "United Nations"}
    assert corpus_of(conn, "UNHCR") == {"UNHCR"}
    assert corpus_of(conn, "ICRC") == {"ICRC", "International Committee of the Red Cross"}


def test_two_people_sharing_a_surname_stay_apart(tmp_path):
    conn = build(
        tmp_path,
        [
            ("Karim Nasser spoke.", [("Karim Nasser", "PERSON", ["Karim Nasser"])], {}, {}),
            ("Leila Nasser spoke.", [("Leila Nasser", "PERSON", ["Leila Nasser"])], {}, {}),
            ("Nasser said nothing.", [("Nasser", "PERSON", ["Nasser"])], {}, {}),
        ],
    )
    assert corpus_of(conn, "Karim Nasser") == {"Karim Nasser"}
    assert corpus_of(conn, "Leila Nasser") == {"Leila Nasser"}
    assert corpus_of(conn, "Nasser") == {"Nasser"}  # ambiguous, no evidence: alone


def test_a_bare_surname_joins_the_person_whose_title_matches(tmp_path):
    conn = build(
        tmp_path,
        [
            (
                "Karim Nasser spoke.",
                [("Karim Nasser", "PERSON", ["Karim Nasser"])],
                {},
                {"Karim Nasser": ["defence minister"]},
            ),
            (
                "Leila Nasser spoke.",
                [("Leila Nasser", "PERSON", ["Leila Nasser"])],
                {},
                {"Leila Nasser": ["shelter coordinator"]},
            ),
            (
                "Minister Nasser said.",
                [("Nasser", "PERSON", ["Nasser"])],
                {},
                {"Nasser": ["defence minister"]},
            ),
        ],
    )
    assert corpus_of(conn, "Nasser") == {"Karim Nasser", "Nasser"}
    assert corpus_of(conn, "Leila Nasser") == {"Leila Nasser"}


def test_different_affiliations_are_never_merged(tmp_path):
    conn = build(
        tmp_path,
        [
            (
                "Ali Hassan spoke.",
                [("Ali Hassan", "PERSON", ["Ali Hassan"])],
                {"Ali Hassan": "IQ"},
                {},
            ),
            ("Ali Hasan spoke.", [("Ali Hasan", "PERSON", ["Ali Hasan"])], {"Ali Hasan": "EG"}, {}),
        ],
    )
    assert corpus_of(conn, "Ali Hassan") == {"Ali Hassan"}


def test_alias_file_joins_names_nothing_else_would(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,type,aliases,country\nVladimir Putin,PERSON,The Kremlin Chief,RU\n")
    conn = build(
        tmp_path,
        [
            (
                "Vladimir Putin met envoys.",
                [("Vladimir Putin", "PERSON", ["Vladimir Putin"])],
                {},
                {},
            ),
            (
                "The Kremlin Chief spoke.",
                [("The Kremlin Chief", "PERSON", ["The Kremlin Chief"])],
                {},
                {},
            ),
        ],
    )
    assert corpus_of(conn, "The Kremlin Chief") == {"The Kremlin Chief"}
    store_aliases(conn, aliases)
    with conn:
        link_entities(conn)
    assert corpus_of(conn, "The Kremlin Chief") == {"Vladimir Putin", "The Kremlin Chief"}


def test_name_rules():
    assert acronym("United Nations") == "un"
    assert acronym("the World Food Programme") == "wfp"
    assert acronym("Reuters") is None
    assert same_person(["vladimir", "putin"], ["vladamir", "putin"])
    assert same_person(["v", "putin"], ["vladimir", "putin"])
    assert not same_person(["karim", "nasser"], ["leila", "nasser"])
    assert not same_person(["omar", "khan"], ["omar", "khal"])  # short names: no typo allowance


def test_one_name_under_two_types_is_one_entity_when_evidence_allows(tmp_path):
    conn = build(
        tmp_path,
        [
            ("Helena Brandt spoke.", [("Helena Brandt", "PERSON", ["Helena Brandt"])], {}, {}),
            ("Helena Brandt arrived.", [("Helena Brandt", "ORG", ["Helena Brandt"])], {}, {}),
            ("In Kessa it rained.", [("Kessa", "GPE", ["Kessa"])], {}, {}),
            ("Kessa was quiet.", [("Kessa", "GPE", ["Kessa"])], {}, {}),
            ("Kessa governor spoke.", [("Kessa", "PERSON", ["Kessa"])], {}, {}),
            ("Jordan spoke.", [("Jordan", "PERSON", ["Jordan"])], {}, {}),
            ("In Jordan it rained.", [("Jordan", "GPE", ["Jordan"])], {}, {}),
        ],
    )
    kinds = dict(conn.execute("SELECT name, type FROM corpus_entities WHERE name != 'Jordan'"))
    assert kinds == {"Helena Brandt": "PERSON", "Kessa": "GPE"}
    # One person and one country called Jordan, neither dominant: kept apart.
    assert (
        conn.execute("SELECT count(*) FROM corpus_entities WHERE name = 'Jordan'").fetchone()[0]
        == 2
    )


def test_corpus_ids_are_stable_across_rebuilds_and_distinct_for_namesakes():
    from newsgraph.store.resolve import stable_corpus_id

    taken: set[int] = set()
    first = stable_corpus_id("PERSON", "Karim Nasser", taken)
    namesake = stable_corpus_id("PERSON", "Karim Nasser", taken)
    org = stable_corpus_id("ORG", "Karim Nasser", taken)
    assert len({first, namesake, org}) == 3
    assert stable_corpus_id("PERSON", "Karim Nasser", set()) == first  # a rebuild gives it again
    assert 0 < first < 2**53
