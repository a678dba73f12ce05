"""Readers for .txt, .html/.htm, .jsonl files, directories of them, and standard input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from newsgraph import settings
from newsgraph.ingest.article import (
    Article,
    InputError,
    PublishedDateError,
    article_id,
    check_text,
    parse_published,
)

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES

ReadResult = Article | InputError


def read_inputs(
    inputs: Iterable[str | Path],
    published: str | None = None,
    source: str | None = None,
    stdin: IO[str] | None = None,
) -> Iterator[ReadResult]:
    """Articles (or errors) from paths, directories (recursively) and "-" for stdin JSON Lines.

    `published` and `source` apply to articles that carry none of their own.
    """
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from read_jsonl_lines(stream, "<stdin>", published, source)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in SUFFIXES)
            if not files:
                yield InputError(str(path), "directory holds no .txt, .html, .jsonl or .warc files")
            for file in files:
                yield from read_file(file, published, source)
        elif not path.exists():
            yield InputError(str(path), "no such file or directory")
        else:
            yield from read_file(path, published, source)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def read_file(path: Path, published: str | None, source: str | None) -> Iterator[ReadResult]:
    suffix = _suffix(path)
    if suffix in WARC_SUFFIXES:
        yield from read_warc(path, published, source)
        return
    if suffix in JSONL_SUFFIXES:
        try:
            with path.open(encoding="utf-8", errors="surrogateescape", newline="") as stream:
                yield from read_jsonl_lines(stream, str(path), published, source)
        except OSError as exc:
            yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    data = _read_bytes(path)
    if isinstance(data, InputError):
        yield data
        return
    text = _decode(data, str(path))
    if isinstance(text, InputError):
        yield text
    elif suffix in HTML_SUFFIXES:
        yield read_html_article(text, str(path), published, source)
    else:
        yield read_text_article(text, str(path), published, source)


def _read_bytes(path: Path) -> bytes | InputError:
    try:
        size = path.stat().st_size
        if size > settings.MAX_INPUT_BYTES:
            return InputError(
                str(path),
                f"file is {size:,} bytes; the limit is {settings.MAX_INPUT_BYTES:,} "
                "(split it into articles, e.g. as JSON Lines)",
            )
        return path.read_bytes()
    except OSError as exc:
        return InputError(str(path), f"cannot read: {exc.strerror or exc}")


def _decode(data: bytes, name: str) -> str | InputError:
    if b"\x00" in data[:8192]:
        return InputError(name, "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(
            name, f"invalid UTF-8 at byte {exc.start}: {data[exc.start : exc.start + 4]!r}"
        )


def read_text_article(
    text: str,
    name: str,
    published: str | None = None,
    source: str | None = None,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> ReadResult:
    """One Article from its text and metadata, or the reason it cannot be one."""
    reason = check_text(text)
    if reason:
        return InputError(name, reason)
    try:
        published_iso = parse_published(published)
    except PublishedDateError as exc:
        return InputError(name, str(exc))
    return Article(
        id=id or article_id(text),
        text=text,
        published=published_iso,
        source=source,
        url=url,
        title=title,
        origin=name,
    )


def read_html_article(
    html: str, name: str, published: str | None, source: str | None, url: str | None = None
) -> ReadResult:
    """The main text of a page (boilerplate removed), with its title and date when present."""
    import trafilatura  # heavy import, only for HTML inputs

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return InputError(name, f"cannot parse HTML: {exc}")
    if doc is None or not (doc.text or "").strip():
        return InputError(name, "HTML page has no main text")
    return read_text_article(
        doc.text,
        name,
        doc.date or published,
        doc.sitename or source,
        url=doc.url or url,
        title=doc.title,
    )


def read_warc(path: Path, published: str | None, source: str | None) -> Iterator[ReadResult]:
    """One Article per HTML response record of a WARC file (web archives, Common Crawl)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                pages += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                name = f"{path}#{url}"
                charset = _charset(content_type)
                # Web pages often carry stray bytes; trafilatura copes with replaced ones.
                html = record.content_stream().read().decode(charset, errors="replace")
                yield read_html_article(html, name, published, source, url=url)
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        yield InputError(str(path), f"cannot read WARC: {exc}")
        return
    if not pages:
        yield InputError(str(path), "cannot read WARC: no HTML response records in it")


def _charset(content_type: str) -> str:
    import codecs

    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip("\"' ")).name
            except LookupError:
                break
    return "utf-8"


def read_jsonl_lines(
    stream: IO[str], name: str, published: str | None = None, source: str | None = None
) -> Iterator[ReadResult]:
    """One Article per JSON line: {"id", "text", "published"?, "url"?, "source"?, "title"?}."""
    for number, line in enumerate(stream, start=1):
        where = f"{name}:{number}"
        if not line.strip():
            continue
        if len(line) > settings.MAX_ARTICLE_CHARS * 2:
            yield InputError(
                where, f"line is {len(line):,} characters, over twice the article limit"
            )
            continue
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            yield InputError(where, "invalid UTF-8")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, f"expected a JSON object, got {type(obj).__name__}")
            continue
        text = obj.get("text")
        if not isinstance(text, str):
            yield InputError(where, 'no "text" string')
            continue
        fields = {}
        for key in ("id", "url", "title", "source"):
            value = obj.get(key)
            fields[key] = None if value is None else str(value)
        yield read_text_article(
            text,
            where,
            obj.get("published") or published,
            fields["source"] or source,
            id=fields["id"],
            url=fields["url"],
            title=fields["title"],
        )
