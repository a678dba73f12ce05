"""Near-duplicates: syndicated copies of the same story, linked to their original.

MinHash signatures (computed when each article is written) go into a datasketch LSH
index in publication order; an article whose estimated Jaccard similarity with an
earlier one reaches the threshold is a copy of that one's original. The result is
rebuilt from scratch after every run, so it depends only on the set of articles,
never on the order or the number of runs that stored them.
"""

from __future__ import annotations

import sqlite3

from datasketch import MinHashLSH

from newsgraph.store.writer import NUM_PERM, signature_minhash

# Estimated Jaccard similarity of word 3-gram sets above which two articles are copies.
DUPLICATE_THRESHOLD = 0.7


def find_duplicates(
    conn: sqlite3.Connection, threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[str, str, float]]:
    """(copy, original, similarity) for every near-duplicate article."""
    rows = conn.execute(
        "SELECT a.article_id, m.signature FROM articles a "
        "JOIN article_minhash m USING (article_id) "
        "ORDER BY a.published_date IS NULL, a.published_date, a.article_id"
    ).fetchall()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = {}
    original_of: dict[str, str] = {}
    links: list[tuple[str, str, float]] = []
    for article_id, blob in rows:
        m = signature_minhash(blob)
        best: tuple[float, str] | None = None
        for candidate in lsh.query(m):
            similarity = m.jaccard(signatures[candidate])
            if similarity >= threshold and (best is None or (similarity, candidate) > best):
                best = (similarity, candidate)
        if best is not None:
            original = original_of.get(best[1], best[1])
            original_of[article_id] = original
            links.append((article_id, original, round(best[0], 4)))
        signatures[article_id] = m
        lsh.insert(article_id, m)
    return links


def link_duplicates(conn: sqlite3.Connection, threshold: float = DUPLICATE_THRESHOLD) -> int:
    """Rebuild the duplicates table (inside the caller's transaction); the number of copies."""
    links = find_duplicates(conn, threshold)
    conn.execute("DELETE FROM duplicates")
    conn.executemany(
        "INSERT INTO duplicates (article_id, original_id, similarity) VALUES (?, ?, ?)", links
    )
    return len(links)
