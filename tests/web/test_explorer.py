"""The explorer in headless Chromium against `newsgraph serve` on loopback."""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]


def _quoted_speaker(db) -> tuple[str, str]:
    """An article of the sample corpus with a direct quote whose speaker is a corpus entity."""
    conn = sqlite3.connect(db)
    row = conn.execute(
        """select q.article_id, c.name from quotes q
           join entity_links l on l.article_id = q.article_id and l.entity_id = q.speaker_id
           join corpus_entities c on c.corpus_id = l.corpus_id
           where q.kind = 'direct' and q.speaker_start is not null and c.type = 'PERSON'
           order by q.article_id, q.idx limit 1"""
    ).fetchone()
    assert row, "the sample corpus has an attributed quote"
    return row


def test_article_speaker_highlight_hover_and_entity_link(page, server, sample_db, artifacts):
    article_id, speaker = _quoted_speaker(sample_db)
    page.goto(f"{server}/-/newsgraph/article/{urllib.parse.quote(article_id, safe='')}")
    speaker_spans = page.locator(".ng-text .hl-speaker")
    assert speaker_spans.count() >= 1
    first = speaker_spans.first
    first.hover()
    tooltip = page.locator("#ng-tooltip")
    tooltip.wait_for(state="visible")
    assert speaker in tooltip.inner_text()
    # Focus shows it too (keyboard users).
    page.mouse.move(0, 0)
    first.focus()
    assert speaker in tooltip.inner_text() and tooltip.is_visible()
    page.screenshot(path=str(artifacts / "article.png"), full_page=True)

    page.locator(".ng-speaker-link", has_text=speaker).first.click()
    page.wait_for_url("**/-/newsgraph/entity/*")
    assert page.locator("h1.ng-entity-name").inner_text() == speaker
    assert page.locator("text=Quotes").count() >= 1


def test_disputes_page_shows_planted_dispute_side_by_side(page, server):
    page.goto(f"{server}/-/newsgraph/disputes")
    groups = page.locator(".ng-dispute")
    assert groups.count() >= 1
    rows = groups.first.locator(".ng-dispute-row")
    assert rows.count() >= 2
    values = {rows.nth(i).locator(".ng-value").inner_text() for i in range(rows.count())}
    assert len(values) >= 2, "a dispute shows different values side by side"


def test_place_map_draws_points_without_tiles(page, server):
    page.goto(f"{server}/-/newsgraph/places")
    assert page.locator("svg.ng-map circle.ng-point").count() >= 1
    page.locator("svg.ng-map a").first.click()
    page.wait_for_url("**/-/newsgraph/place/*")
    assert page.locator("svg.ng-map circle.ng-point").count() == 1


def test_article_markup_is_shown_as_text(page, server):
    page.goto(f"{server}/-/newsgraph/article/hostile-markup")
    assert "<script>window.__pwned = 1</script>" in page.locator("#ng-text").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "Markup <b>in</b> a title" in page.locator("h1").inner_text()


def _get(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_nothing_can_write_to_the_database(server, sample_db):
    before = hashlib.sha256(sample_db.read_bytes()).hexdigest()
    name = sample_db.stem
    for sql in (
        "delete from articles",
        "update articles set title = 'x'",
        "drop table quotes",
        "insert into errors values ('a', 'b', 'c')",
    ):
        assert _get(f"{server}/{name}?sql={urllib.parse.quote(sql)}") == 400
    request = urllib.request.Request(
        f"{server}/{name}/articles/-/insert", data=b"{}", method="POST"
    )
    try:
        status = urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 405
    assert hashlib.sha256(sample_db.read_bytes()).hexdigest() == before


def test_disputes_page_pages_through_groups(server, sample_db):
    import sqlite3

    total = (
        sqlite3.connect(sample_db)
        .execute("select count(distinct dispute) from disputes")
        .fetchone()[0]
    )
    html = (
        urllib.request.urlopen(f"{server}/-/newsgraph/disputes?page=999", timeout=10)
        .read()
        .decode()
    )
    assert f"{total:,} disputes" in html and "No disputed figures." in html
    html = (
        urllib.request.urlopen(f"{server}/-/newsgraph/disputes?page=1", timeout=10).read().decode()
    )
    assert html.count('class="ng-dispute"') == min(total, 25)
