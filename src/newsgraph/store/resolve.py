"""Cross-article entities: the mentions that name one person or organisation across
articles become one corpus entity.

Evidence, in order of strength:
1. the user's alias file (kept in the `aliases` table): an alias joins its canonical name;
2. the same normalized name and type ("UN" in two articles);
3. an acronym of an organisation's name ("UN" = "United Nations", "U.N." too);
4. a spelling variant: persons whose first and last names each match or differ by one
   edit in a name of five letters or more ("Vladamir Putin" = "Vladimir Putin"), or a
   first initial ("V. Putin"); organisations with long names one edit apart;
5. a bare surname ("Putin") joins the one full name with that surname; when several
   people share it, only the person whose titles or affiliation match joins, and without
   such evidence the surname stays its own entity;
6. the same name labelled with different types by the NER (see resolve()).
Two names whose affiliations are both known and differ are never merged.

Like the duplicates, the result is rebuilt from all articles after every run, so it is
the same whatever order the articles were stored in.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jellyfish

from newsgraph.store.writer import normalize_name

# Words dropped before comparing names: honorifics and common titles written into names.
_HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "prime",
    "minister",
    "general",
    "gen",
    "col",
    "colonel",
    "sir",
    "sheikh",
    "king",
    "queen",
    "prince",
    "lt",
    "sgt",
    "capt",
    "captain",
}
_ORG_STOP = {"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "le", "al"}
_ORG_PREFIX = {"the"}
# Types whose names may be mislabelled for one another by the NER.
_NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


@dataclass
class NameGroup:
    """All entities (across articles) written with one normalized name and type."""

    key: tuple[str, str]
    rows: list[tuple[str, str]] = field(default_factory=list)  # (article_id, entity_id)
    names: Counter = field(default_factory=Counter)
    titles: Counter = field(default_factory=Counter)
    affiliations: Counter = field(default_factory=Counter)
    mentions: int = 0

    @property
    def affiliation(self) -> str | None:
        return self.affiliations.most_common(1)[0][0] if self.affiliations else None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key wins, so the result does not depend on the order of unions.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def person_tokens(name: str) -> list[str]:
    return [t for t in normalize_name(name).split() if t not in _HONORIFICS]


def org_key(name: str) -> str:
    words = normalize_name(name).split()
    while len(words) > 1 and words[0] in _ORG_PREFIX:
        words = words[1:]
    return " ".join(words)


def acronym(name: str) -> str | None:
    """'un' for 'United Nations'; None for one-word names."""
    words = [w for w in org_key(name).split() if w not in _ORG_STOP]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def _close(a: str, b: str) -> bool:
    """The same word, or one edit apart in a word of five letters or more."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return jellyfish.damerau_levenshtein_distance(a, b) <= 1


def same_person(a: list[str], b: list[str]) -> bool:
    """Full names (two or more words) that name the same person, allowing one typo."""
    if len(a) < 2 or len(b) < 2 or not _close(a[-1], b[-1]):
        return False
    first_a, first_b = a[0], b[0]
    if len(first_a) == 1 or len(first_b) == 1:  # "v putin"
        return first_a[0] == first_b[0]
    return _close(first_a, first_b)


def _compatible(a: NameGroup, b: NameGroup) -> bool:
    return a.affiliation is None or b.affiliation is None or a.affiliation == b.affiliation


def load_alias_entries(path: str | Path) -> list[tuple[str, str, str | None, str | None]]:
    """(alias, canonical, type, country) rows from the user's alias file.

    Uses the entities component's `load_aliases` when it exists (one reader for the
    format); otherwise reads the documented CSV/JSONL columns itself.
    """
    try:
        from newsgraph.pipeline.entities import load_aliases  # type: ignore[attr-defined]
    except ImportError:
        load_aliases = None
    entries = load_aliases(path) if load_aliases else _read_alias_file(Path(path))
    entries = getattr(entries, "entries", entries)  # the component's AliasTable
    return list(_alias_rows(entries))


def _get(entry: Any, *names: str) -> Any:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value not in (None, ""):
            return value
    return None


def _alias_rows(entries: Any) -> Iterable[tuple[str, str, str | None, str | None]]:
    if isinstance(entries, dict):  # {alias: canonical} or {alias: entry}
        for alias, target in entries.items():
            if isinstance(target, str):
                yield alias, target, None, None
            else:
                canonical = _get(target, "name", "canonical", "canonical_name")
                if canonical:
                    yield alias, canonical, _get(target, "type"), _get(target, "country")
        return
    for entry in entries:
        canonical = _get(entry, "name", "canonical", "canonical_name")
        if not canonical:
            continue
        aliases = _get(entry, "aliases") or []
        if isinstance(aliases, str):
            aliases = [a.strip() for a in aliases.replace("|", ";").split(";") if a.strip()]
        kind, country = _get(entry, "type"), _get(entry, "country", "affiliation")
        for alias in [canonical, *aliases]:
            yield str(alias), str(canonical), kind, country


def _read_alias_file(path: Path) -> list[dict[str, Any]]:
    import csv

    with path.open(encoding="utf-8") as stream:
        if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
            return [json.loads(line) for line in stream if line.strip()]
        return list(csv.DictReader(stream))


def store_aliases(conn: sqlite3.Connection, path: str | Path) -> int:
    """Replace the stored aliases with those of `path` (inside one transaction)."""
    rows = sorted(set(load_alias_entries(path)))
    with conn:
        conn.execute("DELETE FROM aliases")
        conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?, ?, ?)", rows)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('derived_stale', '1')")
    return len(rows)


def _load_groups(conn: sqlite3.Connection) -> dict[tuple[str, str], NameGroup]:
    counts = {
        (a, o): n
        for a, o, n in conn.execute(
            "SELECT article_id, owner_id, count(*) FROM mentions WHERE kind = 'entity' "
            "GROUP BY article_id, owner_id"
        )
    }
    groups: dict[tuple[str, str], NameGroup] = {}
    for article_id, entity_id, name, kind, titles, affiliation in conn.execute(
        "SELECT article_id, entity_id, name, type, titles, affiliation FROM entities"
    ):
        norm = org_key(name) if kind == "ORG" else normalize_name(name)
        if kind == "PERSON":
            norm = " ".join(person_tokens(name)) or norm
        key = (kind, norm or name.lower())
        group = groups.setdefault(key, NameGroup(key))
        group.rows.append((article_id, entity_id))
        group.names[name] += 1
        group.titles.update(json.loads(titles or "[]"))
        if affiliation:
            group.affiliations[affiliation] += 1
        group.mentions += counts.get((article_id, entity_id), 1)
    return groups


def resolve(conn: sqlite3.Connection) -> list[list[NameGroup]]:
    """Clusters of name groups, each one corpus entity."""
    groups = _load_groups(conn)
    uf = _UnionFind()
    for key in groups:
        uf.find(key)
    by_norm: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in groups:
        by_norm[key[1]].append(key)

    # 1. The user's aliases: alias and canonical name are one entity (type permitting).
    for alias, canonical, kind, _country in conn.execute("SELECT * FROM aliases"):
        a_keys = [k for k in by_norm.get(normalize_name(alias), []) if not kind or k[0] == kind]
        c_keys = [k for k in by_norm.get(normalize_name(canonical), []) if not kind or k[0] == kind]
        for a in a_keys:
            for c in c_keys or a_keys:
                if a[0] == c[0]:
                    uf.union(a, c)

    # 3. Organisation acronyms, and long names one edit apart.
    orgs = sorted(k for k in groups if k[0] == "ORG")
    org_norms = {k[1]: k for k in orgs}
    for key in orgs:
        short = acronym(key[1])
        if short and short in org_norms and short != key[1]:
            uf.union(key, org_norms[short])
    for a, b in _blocked_pairs(orgs, lambda k: k[1][:2]):
        if (
            min(len(a[1]), len(b[1])) >= 8
            and _close(a[1], b[1])
            and _compatible(groups[a], groups[b])
        ):
            uf.union(a, b)

    # 4. Persons: full names that are spelling variants of each other.
    persons = sorted(k for k in groups if k[0] == "PERSON")
    full = [k for k in persons if len(k[1].split()) >= 2]
    single = [k for k in persons if len(k[1].split()) == 1]
    for a, b in _blocked_pairs(full, lambda k: k[1].split()[-1][0]):
        if same_person(a[1].split(), b[1].split()) and _compatible(groups[a], groups[b]):
            uf.union(a, b)

    # 5. Bare surnames join the one person with that surname, or the one with matching
    #    evidence (titles, affiliation) when several share it.
    people_by_surname: dict[str, set] = defaultdict(set)
    for key in full:
        people_by_surname[key[1].split()[-1]].add(uf.find(key))
    members: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for key in full:
        members[uf.find(key)].append(key)
    for key in single:
        candidates = sorted(people_by_surname.get(key[1], set()))
        group = groups[key]
        fitting = [c for c in candidates if all(_compatible(group, groups[m]) for m in members[c])]
        if len(fitting) > 1:
            fitting = [c for c in fitting if _evidence(group, [groups[m] for m in members[c]])]
        if len(fitting) == 1:
            uf.union(key, fitting[0])

    # 6. The same name under different types is one referent the NER labelled
    #    inconsistently ("Helena Brandt" as PERSON and as ORG): a name of several words
    #    always, a single word only when one type has at least twice the others' entities
    #    (so "Jordan" the country and "Jordan" a person stay apart unless one dominates).
    for norm, keys in by_norm.items():
        keys = sorted(k for k in keys if k[0] in _NAME_TYPES)
        if len(keys) < 2:
            continue
        sizes = {k: len(groups[k].rows) for k in keys}
        top = max(keys, key=lambda k: (sizes[k], k[0] == "PERSON", k))
        if len(norm.split()) > 1 or sizes[top] >= 2 * (sum(sizes.values()) - sizes[top]):
            for k in keys:
                uf.union(top, k)

    clusters: dict[Any, list[NameGroup]] = defaultdict(list)
    for key, group in groups.items():
        clusters[uf.find(key)].append(group)
    return list(clusters.values())


def _evidence(group: NameGroup, people: list[NameGroup]) -> bool:
    """Does a bare surname share a title or an affiliation with this person?"""
    titles = {normalize_name(t) for t in group.titles}
    their_titles = {normalize_name(t) for p in people for t in p.titles}
    their_affiliations = {p.affiliation for p in people if p.affiliation}
    return bool(titles & their_titles) or (
        group.affiliation is not None and group.affiliation in their_affiliations
    )


def _blocked_pairs(keys: list, block) -> Iterable[tuple]:
    """Pairs of keys within the same block (avoids comparing every name with every name)."""
    blocks: dict[Any, list] = defaultdict(list)
    for key in keys:
        blocks[block(key)].append(key)
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b


def _canonical(cluster: list[NameGroup]) -> dict[str, Any]:
    names: Counter = Counter()
    for group in cluster:
        names.update(group.names)
    kinds: Counter = Counter()
    for group in cluster:
        kinds[group.key[0]] += len(group.rows)
    kind = max(kinds.items(), key=lambda i: (i[1], i[0] == "PERSON", i[0]))[0]

    def rank(item: tuple[str, int]) -> tuple:
        # The most used multi-word spelling; then the longest; then alphabetical.
        name, count = item
        return (len(name.split()) > 1, count, len(name), [-ord(c) for c in name])

    name = max(names.items(), key=rank)[0]
    affiliations: Counter = Counter()
    titles: Counter = Counter()
    for group in cluster:
        affiliations.update(group.affiliations)
        titles.update(group.titles)
    return {
        "name": name,
        "type": kind,
        "affiliation": min(affiliations.items(), key=lambda i: (-i[1], i[0]))[0]
        if affiliations
        else None,
        "titles": [t for t, _ in sorted(titles.items(), key=lambda i: (-i[1], i[0]))[:8]],
        "aliases": sorted(names),
        "articles": len({a for g in cluster for a, _ in g.rows}),
        "mentions": sum(g.mentions for g in cluster),
        "rows": sorted(r for g in cluster for r in g.rows),
    }


def stable_corpus_id(kind: str, name: str, taken: set[int]) -> int:
    """An id from the entity's type and canonical name, so links to an entity (the
    explorer's pages) survive rebuilding the corpus tables; two entities that share a name
    and type take the next free number, in their deterministic order."""
    digest = hashlib.sha1(f"{kind}\t{name}".encode()).hexdigest()
    corpus_id = int(digest[:13], 16)  # 52 bits: exact in JavaScript and in SQLite
    while corpus_id in taken:
        corpus_id += 1
    taken.add(corpus_id)
    return corpus_id


def link_entities(conn: sqlite3.Connection) -> int:
    """Rebuild corpus_entities and entity_links (inside the caller's transaction)."""
    entities = [_canonical(c) for c in resolve(conn)]
    entities.sort(key=lambda e: (e["type"], e["name"], e["rows"][0]))
    conn.execute("DELETE FROM entity_links")
    conn.execute("DELETE FROM corpus_entities")
    taken: set[int] = set()
    for e in entities:
        corpus_id = stable_corpus_id(e["type"], e["name"], taken)
        conn.execute(
            "INSERT INTO corpus_entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                corpus_id,
                e["name"],
                e["type"],
                e["affiliation"],
                json.dumps(e["titles"], ensure_ascii=False),
                json.dumps(e["aliases"], ensure_ascii=False),
                e["articles"],
                e["mentions"],
            ),
        )
        conn.executemany(
            "INSERT INTO entity_links VALUES (?, ?, ?)", [(a, x, corpus_id) for a, x in e["rows"]]
        )
    return len(entities)
