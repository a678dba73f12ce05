"""The PolNeAR quote scorer on a tiny brat fixture written here."""

from __future__ import annotations

import pytest

from newsgraph.eval.quotes import Prediction, load_polnear, score

TEXT = (
    'Anna Berg said the levee would hold. "We are ready for the flood," she added.\n'
    "The council ''reviewed the plan'' on Friday, officials said.\n"
)


def _offsets(part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return start, start + len(part)


def _ann(attributions: list[tuple[str, str, str]]) -> str:
    """brat lines: T spans for Source/Cue/Content and an E line per attribution."""
    lines, t = [], 0
    for n, (source, cue, content) in enumerate(attributions, 1):
        ids = []
        for label, part in (("Source", source), ("Cue", cue), ("Content", content)):
            t += 1
            s, e = _offsets(part)
            lines.append(f"T{t}\t{label} {s} {e}\t{part}")
            ids.append(f"{label}:T{t}")
        lines.append(f"E{n}\tAttribution:T{t} " + " ".join(ids))
    return "\n".join(lines) + "\n"


@pytest.fixture
def polnear(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    quoted = ("she", "added", '"We are ready for the flood,"')
    indirect = ("Anna Berg", "said", "the levee would hold")
    typed = ("officials", "said", "The council ''reviewed the plan'' on Friday")
    # Two annotators: one marks the quote and the typed-mark one, the other only the quote.
    (tmp_path / "attributions" / "doc_ab12.ann").write_text(
        _ann([indirect, quoted, typed]), encoding="utf-8"
    )
    (tmp_path / "attributions" / "doc_cd34.ann").write_text(_ann([quoted]), encoding="utf-8")
    (tmp_path / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ndev\tdoc\t2016-10-01\n", encoding="utf-8"
    )
    return tmp_path


def test_reads_texts_annotators_and_dates(polnear):
    (gold,) = load_polnear(polnear)
    assert gold.published == "2016-10-01"
    assert len(gold.annotations) == 2
    # The indirect attribution has no quotation mark: it is not gold.
    first = gold.annotations[0]
    assert [a.typed_marks_only for a in first] == [False, True]
    (content,) = first[0].content
    assert TEXT[content[0] : content[1]].startswith('"We are ready')


def test_scores_quote_and_speaker(polnear):
    texts = load_polnear(polnear)
    quote = _offsets("We are ready for the flood,")
    speaker = _offsets("she")
    right = Prediction(*quote, speaker=[speaker, _offsets("Anna Berg")])
    wrong_speaker = Prediction(*quote, speaker=[_offsets("Anna Berg")])
    stray = Prediction(*_offsets("levee"), speaker=[_offsets("Anna Berg")])

    perfect = score(texts, lambda g: [right])
    assert perfect["quote"]["f1"] == 1.0 and perfect["speaker"]["f1"] == 1.0

    no_speaker = score(texts, lambda g: [wrong_speaker])
    assert no_speaker["quote"]["f1"] == 1.0 and no_speaker["speaker"]["f1"] == 0.0

    # A prediction outside every gold Content halves precision, recall stays.
    with_stray = score(texts, lambda g: [right, stray])
    assert with_stray["quote"]["precision"] == 0.5
    assert with_stray["quote"]["recall"] == 1.0


def test_typed_marks_count_only_in_the_wide_table(polnear):
    texts = load_polnear(polnear)
    typed = Prediction(*_offsets("reviewed the plan"), speaker=[_offsets("officials")])
    strict = score(texts, lambda g: [typed])
    wide = score(texts, lambda g: [typed], wide=True)
    assert strict["quote"]["precision"] == 0.0
    # Averaged over the two annotator files: one has the attribution (1/2 gold found) and
    # one does not (a false positive there).
    assert wide["gold"] == 1.5
    assert wide["quote"]["precision"] == 0.5
    assert wide["speaker"]["recall"] == round(0.5 / 1.5, 4)


def test_textacy_baseline_runs_per_paragraph(nlp):
    pytest.importorskip("textacy")
    from newsgraph.eval.quotes import textacy_predictions

    text = (
        'An odd mark " here.\n'
        '"The river will crest tonight near the old mill," Mayor John Carter said.\n'
    )
    doc = nlp(text)
    (pred,) = textacy_predictions(doc)
    # textacy gives up on the first paragraph (odd marks) but not on the second one.
    assert text[pred.start : pred.end].startswith('"The river will crest')
    assert any(text[s:e] == "Carter" or "Carter" in text[s:e] for s, e in pred.speaker)


def test_cli_scores_a_folder(polnear, nlp):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    result = CliRunner().invoke(app, ["eval", "quotes", "--polnear", str(polnear), "--no-baseline"])
    assert result.exit_code == 0, result.output
    assert "PolNeAR: 1 texts, 2 annotator files" in result.output
    assert "newsgraph" in result.output and "baseline skipped" in result.output


def test_cli_refuses_a_folder_without_attributions(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    result = CliRunner().invoke(app, ["eval", "quotes", "--polnear", str(tmp_path)])
    assert result.exit_code == 2
