"""The Article every reader yields, and the error a bad input becomes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from newsgraph import settings


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    published: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    # Where the article came from ("file.jsonl:12"), for error messages and the store.
    origin: str | None = None


@dataclass(frozen=True)
class InputError:
    """A bad input: which one, and what is wrong with it."""

    input: str
    reason: str

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


class PublishedDateError(ValueError):
    pass


def article_id(text: str) -> str:
    """A stable id for an article that has none: a hash of its text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_published(value: object) -> str | None:
    """Normalise a publication date to ISO (date, or datetime when a time is given).

    Accepts ISO dates and datetimes, and the usual feed formats (RFC 2822, "16 Dec 2016")
    through dateparser. Raises PublishedDateError for anything that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise PublishedDateError(f"published date {value!r} is not a string")
    text = value.strip()
    if _ISO_PREFIX.match(text):
        try:
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError as exc:
            raise PublishedDateError(
                f"published date {value!r} is not a valid date: {exc}"
            ) from exc
    parsed = _parse_loose_date(text)
    if parsed is None:
        raise PublishedDateError(f"published date {value!r} is not a date (expected YYYY-MM-DD)")
    return parsed


def _parse_loose_date(text: str) -> str | None:
    if not re.search(r"\d", text) or len(text) > 64:
        return None
    import dateparser  # slow to import; only needed for non-ISO dates

    parsed = dateparser.parse(
        text, languages=["en"], settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["year"]}
    )
    if parsed is None:
        return None
    if parsed.hour == parsed.minute == parsed.second == 0 and ":" not in text:
        return parsed.date().isoformat()
    return parsed.isoformat()


def check_text(text: str) -> str | None:
    """The reason an article's text cannot be processed, or None when it can."""
    if not text.strip():
        return "empty text"
    if "\x00" in text:
        return "binary data (NUL bytes), not text"
    if len(text) > settings.MAX_ARTICLE_CHARS:
        return (
            f"article is {len(text):,} characters; the limit is {settings.MAX_ARTICLE_CHARS:,} "
            "(split it, or raise newsgraph.settings.MAX_ARTICLE_CHARS)"
        )
    return None
