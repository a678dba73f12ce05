import io
import json

from newsgraph.ingest import Article, InputError, read_inputs, read_jsonl_lines


def _only(results):
    (result,) = list(results)
    return result


def test_txt_file_becomes_article_with_stable_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rebels shelled the town on Monday.", encoding="utf-8")
    first = _only(read_inputs([path], published="2020-01-02", source="Wire"))
    second = _only(read_inputs([path]))
    assert isinstance(first, Article)
    assert first.id == second.id and len(first.id) == 16
    assert first.published == "2020-01-02" and first.source == "Wire"
    assert second.published is None


def test_bad_inputs_are_named_and_do_not_stop_the_batch(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "empty.html").write_text("<html><body><script>var x;</script></body></html>")
    (tmp_path / "good.txt").write_text("The army withdrew from the city.", encoding="utf-8")
    results = list(read_inputs(sorted(tmp_path.iterdir())))
    errors = {r.input.rsplit("/", 1)[-1]: r.reason for r in results if isinstance(r, InputError)}
    assert errors["empty.txt"] == "empty text"
    assert "binary" in errors["binary.txt"]
    assert "invalid UTF-8 at byte 3" in errors["latin1.txt"]
    assert "no main text" in errors["empty.html"]
    assert [r.text for r in results if isinstance(r, Article)] == [
        "The army withdrew from the city."
    ]


def test_jsonl_malformed_line_is_reported_with_its_line_number():
    lines = [
        json.dumps({"id": "a", "text": "First story.", "published": "2021-03-04"}),
        "{not json",
        json.dumps({"id": "c", "text": "Third story.", "published": "notadate"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "e", "title": "no text"}),
        json.dumps({"id": "f", "text": "Sixth story.", "published": "Fri, 16 Dec 2016 10:00:00"}),
    ]
    results = list(read_jsonl_lines(io.StringIO("\n".join(lines)), "feed.jsonl", source="Default"))
    assert [type(r).__name__ for r in results] == [
        "Article",
        "InputError",
        "InputError",
        "InputError",
        "InputError",
        "Article",
    ]
    assert results[1].input == "feed.jsonl:2" and "malformed JSON" in results[1].reason
    assert results[2].input == "feed.jsonl:3" and "not a date" in results[2].reason
    assert results[0].id == "a" and results[0].source == "Default"
    assert results[5].published == "2016-12-16T10:00:00"


def test_html_main_text_title_and_date(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Floods in the valley</title>"
        '<meta property="article:published_time" content="2019-05-06T08:00:00Z"></head>'
        "<body><nav>Home | Sport | Weather</nav><article><h1>Floods in the valley</h1>"
        "<p>Heavy rain forced more than 2,000 families to leave their homes in the valley on "
        "Sunday, "
        "the regional governor said in a statement.</p>"
        "<p>Rescue teams evacuated a hospital and two schools as the river rose overnight.</p>"
        "</article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    article = _only(read_inputs([page]))
    assert isinstance(article, Article)
    assert "2,000 families" in article.text and "Copyright" not in article.text
    assert article.title == "Floods in the valley"
    assert article.published == "2019-05-06"


def test_oversized_article_is_refused(tmp_path, monkeypatch):
    from newsgraph import settings

    monkeypatch.setattr(settings, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    error = _only(read_inputs([big]))
    assert isinstance(error, InputError) and "limit is 1,000" in error.reason


def test_missing_path_and_empty_directory(tmp_path):
    results = list(read_inputs([tmp_path / "nope.txt", tmp_path]))
    assert [r.reason for r in results] == [
        "no such file or directory",
        "directory holds no .txt, .html, .jsonl or .warc files",
    ]


def test_warc_yields_one_article_per_html_response(tmp_path, write_warc):
    page = (
        "<html><head><title>Dam breaks</title></head><body><article>"
        "<p>A dam broke upstream of Lorvik on Sunday night and water reached the lower town "
        "before dawn, the mayor said. Around 900 residents spent the night in the sports hall.</p>"
        "</article></body></html>"
    ).encode("iso-8859-1")
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            ("http://example.org/dam", "text/html; charset=iso-8859-1", page),
            ("http://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
            ("http://example.org/empty", "text/html", b"<html><body></body></html>"),
        ],
    )
    results = list(read_inputs([tmp_path]))
    assert [type(r).__name__ for r in results] == ["Article", "InputError"]
    assert results[0].url == "http://example.org/dam" and results[0].title == "Dam breaks"
    assert "900 residents" in results[0].text
    assert results[1].input.endswith("#http://example.org/empty")


def test_broken_warc_is_an_error(tmp_path):
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a web archive\r\n\r\n")
    (error,) = list(read_inputs([bad]))
    assert isinstance(error, InputError) and "cannot read WARC" in error.reason
