from newsgraph.extract import extract
from newsgraph.ingest import Article, InputError, read_text_article


def _articles():
    texts = [
        "The army shelled Kessa on Monday, killing 12 civilians, officials said.",
        "",
        "Maria Lindqvist of the Red Cross said 4,500 people had fled since Friday.",
        "Protesters gathered outside parliament in Nordland to demand new elections.",
    ]
    return [read_text_article(t, f"doc{i}", "2021-03-05") for i, t in enumerate(texts)]


def test_errors_pass_through_in_input_order(nlp):
    outcomes = list(extract(_articles(), nlp=nlp, batch_size=2))
    assert [type(o).__name__ for o in outcomes] == ["dict", "InputError", "dict", "dict"]
    assert outcomes[1].input == "doc1" and outcomes[1].reason == "empty text"
    assert outcomes[2]["text"].startswith("Maria Lindqvist")


def test_an_article_that_breaks_the_pipeline_does_not_lose_the_batch(nlp, monkeypatch):
    from newsgraph import extract as extract_module

    real = extract_module.build_record

    def flaky(doc, article):
        if "Nordland" in doc.text:
            raise RuntimeError("boom")
        return real(doc, article)

    monkeypatch.setattr(extract_module, "build_record", flaky)
    outcomes = list(extract(_articles(), nlp=nlp, batch_size=4))
    assert isinstance(outcomes[3], InputError)
    assert (
        outcomes[3].input == "doc3" and "pipeline failed: RuntimeError: boom" in outcomes[3].reason
    )
    assert isinstance(outcomes[0], dict) and isinstance(outcomes[2], dict)


def test_two_workers_give_the_same_records_as_one(nlp):
    articles = [
        Article(
            id=f"a{i}",
            text=f"Officials in Kessa said {i + 2} houses were destroyed on Monday.",
            published="2021-03-05",
        )
        for i in range(12)
    ]
    one = list(extract(articles, nlp=nlp, batch_size=3))
    two = list(extract(articles, workers=2, batch_size=3))
    assert one == two
    assert [r["id"] for r in two] == [f"a{i}" for i in range(12)]


def test_a_lone_article_that_breaks_the_pipeline_is_an_error(nlp, monkeypatch):
    from newsgraph import extract as extract_module

    def broken(doc, article):
        raise ValueError("no good")

    monkeypatch.setattr(extract_module, "build_record", broken)
    (outcome,) = extract_module.extract_batch(nlp, [read_text_article("Alone.", "solo", None)])
    assert isinstance(outcome, InputError)
    assert outcome.input == "solo" and "pipeline failed: ValueError: no good" in outcome.reason
