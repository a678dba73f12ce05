"""The `quotes` component: who said what. Writes `doc._.quotes` (a list of record.Quote).

Two steps:
1. Quotation marks are paired per paragraph on the characters (straight, curly, single
   where they are quotes and not apostrophes, guillemets), outermost pairs only; a paragraph
   that opens a quote without closing it continues into the next paragraph when that one
   opens with a mark (one Quote per paragraph piece, sharing the speaker).
2. Each quote is attributed with the dependency parse: the cue verb (data/quotes/cue_verbs.txt)
   that governs the quote, or that the quote's own clause attaches to ("...", she said), and
   that verb's subject; then "- Name" after a quote, "Name: '...'", "according to X", the
   nearest cue verb in the neighbouring sentences, and finally the previous quote's speaker for
   a quote paragraph that continues it. Pronoun speakers point at the most recent person;
   short names at the full name's entity.

A short quoted term that no cue verb governs (celebrates the "liberation") is `scare`.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import re
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.pipeline.doc_cache import doc_text, entity_span_of, sentence_of, sentences_between
from newsgraph.pipeline.entities import entity_at
from newsgraph.record import Quote

# ---------------------------------------------------------------------------------------
# Lexicons


@functools.cache
def cue_lexicon() -> dict[str, frozenset[str]]:
    """lemma -> particles it needs ("fire" -> {"back", "off"}); an empty set: none needed."""
    text = (
        resources.files("newsgraph.pipeline")
        .joinpath("data/quotes/cue_verbs.txt")
        .read_text(encoding="utf-8")
    )
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if not line:
            continue
        lemma, _, particle = line.partition(" ")
        table.setdefault(lemma, set())
        if particle:
            table[lemma].add(particle)
    # A lemma listed both bare and with a particle needs none.
    bare = {ln.split("#", 1)[0].strip().lower() for ln in text.splitlines()}
    return {k: frozenset() if k in bare else frozenset(v) for k, v in table.items()}


@functools.cache
def cue_nouns() -> frozenset[str]:
    text = (
        resources.files("newsgraph.pipeline")
        .joinpath("data/quotes/cue_nouns.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        w for line in text.splitlines() if (w := line.split("#", 1)[0].strip().lower())
    )


def is_cue_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and token.lemma_.lower() in cue_nouns()


PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "we", "it"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Relations a quote may sit under and still be the cue verb's words: complements, objects,
# their modifiers. Clause links that start another proposition (advcl, relcl, acl) stop the
# walk unless the clause's own verb is a cue.
# fmt: off
GOVERNED_DEPS = {
    "ccomp", "xcomp", "dobj", "obj", "attr", "acomp", "oprd", "prep", "pobj", "pcomp", "amod",
    "compound", "nmod", "appos", "conj", "cc", "advmod", "npadvmod", "dative", "nsubj",
    "nsubjpass", "poss", "det", "nummod", "quantmod", "punct", "dep", "neg", "aux", "auxpass",
    "mark", "intj", "parataxis", "agent", "expl", "predet", "case",
}
# fmt: on
DASHES = "-–—―"
SHORT_WORDS = 4  # a quote of at most this many words may be a scare quote

# ---------------------------------------------------------------------------------------
# Step 1: quotation marks

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹‚"
SINGLE_CLOSE = "’›"
_SAY = r"(?:said|says|added|adds|asked|asks|told|tells|wrote|writes|explained|continued)"
_FORGOTTEN_CLOSE = re.compile(
    r",[^\S\n]+(?:" + _SAY + r"[^\S\n]+[A-Z]|(?:[A-Z][\w.'’-]*[^\S\n]+){1,4}" + _SAY + r"\b"
    r"|(?:he|she|they)[^\S\n]+" + _SAY + r"\b)"
)
_MARK_CHARS = re.compile("[\"'`“”„‟«»‘’‹›‚]")
OPEN_CONTEXT = "([{/—–―-:;,…"
CLOSE_CONTEXT = ")]}.,;:!?…—–―-/"


@dataclass
class _Mark:
    pos: int
    family: str  # "d" double, "s" single
    role: str  # "open", "close", "either"


@dataclass
class Piece:
    """One quote, or one paragraph's piece of a quote running over several paragraphs."""

    open: int  # offset of the opening mark (or the paragraph start when it has none)
    close: int  # offset of the closing mark (or the paragraph end when it has none)
    start: int  # the quoted words, trimmed of spaces
    end: int
    group: int  # pieces of one multi-paragraph quote share it
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    governed: bool = False
    kind: str = "direct"
    extra: dict = field(default_factory=dict)


def _is_mark_char(ch: str) -> bool:
    return (
        ch in DOUBLE_OPEN
        or ch in DOUBLE_CLOSE
        or ch in SINGLE_OPEN
        or ch in SINGLE_CLOSE
        or ch in "\"'"
    )


def _classify(text: str, i: int) -> _Mark | None:
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    # Two apostrophes ('') or backticks (``) typed for a double quotation mark: one mark, read
    # at its first character with the context around both.
    if ch in "'`" and nxt == ch:
        ch = '"'
        nxt = text[i + 2] if i + 2 < len(text) else " "
    elif ch in "'`" and prev == ch:
        return None
    left_open = prev.isspace() or prev in OPEN_CONTEXT or _is_mark_char(prev)
    right_close = nxt.isspace() or nxt in CLOSE_CONTEXT or _is_mark_char(nxt)
    if ch == '"':
        if left_open and not right_close:
            return _Mark(i, "d", "open")
        if right_close and not left_open:
            return _Mark(i, "d", "close")
        return _Mark(i, "d", "either")
    if ch in DOUBLE_OPEN:
        # A mark typed the wrong way round ("word“ ") still closes.
        role = "close" if right_close and not left_open else "open"
        return _Mark(i, "d", role)
    if ch in DOUBLE_CLOSE:
        role = "open" if left_open and not right_close else "close"
        return _Mark(i, "d", role)
    # Single marks: an apostrophe between letters (don't, O'Brien) is never a quote.
    if prev.isalnum() and nxt.isalnum():
        return None
    if ch in SINGLE_OPEN:
        return _Mark(i, "s", "open") if left_open else None
    if ch in SINGLE_CLOSE or ch == "'":
        if left_open and not right_close:
            return _Mark(i, "s", "open")
        if right_close and not left_open:
            return _Mark(i, "s", "close")
    return None


def _pair_paragraph(
    text: str, start: int, end: int
) -> tuple[list[tuple[int, int]], int | None, int | None]:
    """Outermost (open, close) mark pairs in text[start:end]; the offset of a double quote left
    open at the paragraph's end; the offset of a stray closing double mark with no opening."""
    marks = [m for x in _MARK_CHARS.finditer(text, start, end) if (m := _classify(text, x.start()))]
    stack: list[_Mark] = []
    pairs: list[tuple[int, int, int]] = []  # (open, close, depth)
    stray_close: int | None = None
    for n, m in enumerate(marks):
        opened = [k for k, s in enumerate(stack) if s.family == m.family]
        if (
            m.family == "s"
            and m.role == "close"
            and opened
            and text[m.pos - 1] in "sz"
            and any(x.family == "s" and x.role == "close" for x in marks[n + 1 :])
        ):
            continue  # a plural possessive (the farmers' fields) before the real closing mark
        if m.role in ("close", "either") and opened:
            k = opened[-1]
            pairs.append((stack[k].pos, m.pos, k))
            del stack[k:]  # inner marks left open are dropped
        elif m.role in ("open", "either"):
            if m.family == "s" and not _single_closes(text, m.pos, end):
                continue  # an elision ('16, 'em), not a quote
            stack.append(m)
        elif m.family == "d" and not pairs and not stack and stray_close is None:
            stray_close = m.pos
    outer = [(o, c) for o, c, depth in pairs if depth == 0]
    outer = [p for p in outer if not any(o < p[0] and p[1] < c for o, c in outer)]
    unclosed = next((s.pos for s in stack if s.family == "d"), None)
    return sorted(outer), unclosed, stray_close


def _single_closes(text: str, pos: int, end: int) -> bool:
    for j in range(pos + 1, end):
        m = _classify(text, j) if text[j] in SINGLE_CLOSE or text[j] == "'" else None
        if m is not None and m.family == "s" and m.role == "close":
            return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Piece]:
    """Every quotation in `text` as pieces (a multi-paragraph quote gives one per paragraph)."""
    pieces: list[Piece] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry: int | None = None  # the group of a quote left open by the previous paragraph
    group = 0
    for p_start, p_end in paragraphs:
        pairs, unclosed, stray = _pair_paragraph(text, p_start, p_end)
        first = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
        continues_open = (carry is not None and any(o == first for o, _ in pairs)) or (
            carry is not None and unclosed == first
        )
        if carry is not None and stray is not None and (not pairs or stray < pairs[0][0]):
            # The previous paragraph's quote closes here without reopening.
            pieces.append(_piece(text, p_start - 1, stray, carry))
            pairs = [p for p in pairs if p[0] > stray]
            carry = None
        for o, c in pairs:
            g = carry if (carry is not None and o == first and continues_open) else None
            if g is None:
                group += 1
                g = group
            carry = None
            pieces.append(_piece(text, o, c, g))
        if unclosed is not None:
            g = carry if (carry is not None and unclosed == first) else None
            if g is None:
                group += 1
                g = group
            # A closing mark forgotten before the attribution ('"... to keep, said Kessel.'):
            # the quote ends at that comma and does not run on.
            forgot = _FORGOTTEN_CLOSE.search(text, unclosed + 1, p_end)
            if forgot:
                pieces.append(_piece(text, unclosed, forgot.start() + 1, g))
                carry = None
                continue
            pieces.append(_piece(text, unclosed, p_end, g))
            carry = g
        else:
            carry = None
    # Not quotations: HTML attribute values (id="7834...") and marks around no words at all.
    return [
        p
        for p in pieces
        if p.end > p.start
        and text[p.open - 1 : p.open] != "="
        and any(ch.isalpha() for ch in text[p.start : p.end])
    ]


def _piece(text: str, open_: int, close: int, group: int) -> Piece:
    width = 2 if text[open_ : open_ + 2] in ("''", "``") else 1
    start, end = _trim(text, open_ + width, close)
    return Piece(open_, close, start, end, group)


# ---------------------------------------------------------------------------------------
# Step 2: attribution


def is_cue(token: Token) -> bool:
    """A cue verb: its lemma is in the lexicon, with the particle it needs ("fire back")."""
    if token.pos_ not in ("VERB", "AUX") and token.tag_[:2] != "VB":
        return False
    particles = cue_lexicon().get(token.lemma_.lower())
    if particles is None:
        return False
    if not particles:
        return True
    return any(c.lower_ in particles for c in token.children if c.i > token.i)


def cue_text(token: Token) -> str:
    particles = cue_lexicon().get(token.lemma_.lower()) or frozenset()
    parts = [token] + [c for c in token.children if c.lower_ in particles and c.i > token.i]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


@dataclass
class _Speaker:
    start: int
    end: int
    text: str
    entity: str | None
    cue: str | None


class _Attributor:
    def __init__(self, doc: Doc, pieces: list[Piece]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.pieces = pieces
        # Token index -> inside some quote (marks included).
        self.quoted = [False] * len(doc)
        self.tok_spans: list[tuple[int, int] | None] = []
        for p in pieces:
            span = doc.char_span(p.open, min(p.close + 1, len(self.text)), alignment_mode="expand")
            inner = doc.char_span(p.start, p.end, alignment_mode="expand")
            self.tok_spans.append((inner.start, inner.end) if inner is not None else None)
            if span is not None:
                for i in range(span.start, span.end):
                    self.quoted[i] = True
        self.person_mentions = sorted(
            (m.start, m.end, e.id)
            for e in doc._.entities or []
            if e.type == "PERSON"
            for m in e.mentions
        )
        # The furthest end so far, at each mention: the first mention ending after a
        # pronoun is found by bisection.
        self.mention_ends = list(itertools.accumulate((e for _, e, _ in self.person_mentions), max))
        self.entities = {e.id: e for e in doc._.entities or []}
        self._genders: dict[str, str | None] = {}

    # --- speakers -----------------------------------------------------------------------

    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, inherited through conj/xcomp/advcl ("..., adding" / "and said").
        For a cue noun: its possessor ("Trump's claim"), else the subject of its verb."""
        if verb.pos_ == "NOUN":
            poss = next((c for c in verb.children if c.dep_ == "poss"), None)
            if poss is not None and not self.quoted[poss.i]:
                return poss
            head = verb.head
            for _ in range(3):
                if head.pos_ in ("VERB", "AUX") or head is head.head:
                    break
                head = head.head
            if head is verb or head.pos_ not in ("VERB", "AUX"):
                return None
            verb = head
        # Passive: "the phrase was uttered by Mr. Cruz" -- the agent spoke.
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            by = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if by is not None and not self.quoted[by.i]:
                return by
        node = verb
        for _ in range(4):
            subj = next(
                (
                    c
                    for c in node.children
                    if c.dep_ in SUBJECT_DEPS
                    and not self.quoted[c.i]
                    and self.same_paragraph(c, verb)
                ),
                None,
            )
            if subj is not None:
                return subj
            if node.dep_ in ("conj", "xcomp", "advcl", "ccomp") and node.head is not node:
                if node.dep_ == "ccomp" and node.head.i > node.i:
                    break
                node = node.head
                continue
            break
        return self.surface_subject(verb)

    def same_paragraph(self, a: Token, b: Token) -> bool:
        lo, hi = sorted((a.idx, b.idx))
        return "\n" not in self.text[lo:hi]

    def surface_subject(self, verb: Token) -> Token | None:
        """When the parse gives the cue verb no subject, the name or pronoun right beside it:
        '"...," Chief Jane Doe said' (before it) or '"...," said Jane Doe' (after it)."""
        doc = self.doc
        for i in range(verb.i - 1, max(verb.i - 10, -1), -1):
            tok = doc[i]
            if self.quoted[i] or "\n" in tok.text or tok.text in ".;:!?":
                break
            if self._names(tok):
                return tok
        for i in range(verb.i + 1, min(verb.i + 8, len(doc))):
            tok = doc[i]
            if self.quoted[i] or "\n" in tok.text or tok.text in ".;:!?,":
                break
            if self._names(tok):
                return tok
        # No name: a common noun just before the verb ('"...," the email read').
        for i in range(verb.i - 1, max(verb.i - 4, -1), -1):
            tok = doc[i]
            if self.quoted[i] or tok.is_punct or "\n" in tok.text:
                break
            if tok.pos_ == "NOUN":
                return tok
        return None

    def _names(self, tok: Token) -> bool:
        if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return True
        if tok.pos_ == "PROPN" and tok.ent_type_ not in ("DATE", "TIME"):
            return True
        return tok.lower_ in PERSON_PRONOUNS | {"they", "we", "i"} and tok.pos_ == "PRON"

    def speaker_from(self, head: Token, cue: str | None) -> _Speaker | None:
        if self.quoted[head.i]:
            return None
        doc = self.doc
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl":
            # A relative pronoun names its antecedent: "Smith, who said ...".
            named = self.speaker_from(head.head.head, cue)
            entity = named.entity if named is not None else None
            return _Speaker(head.idx, head.idx + len(head), head.text, entity, cue)
        if head.pos_ == "PRON" or head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            entity = self.resolve_pronoun(head)
            return _Speaker(head.idx, head.idx + len(head), head.text, entity, cue)
        span = self.entity_span(head)
        if span is None:
            # The nominal head and its left modifiers ("a campaign spokesman"), or an
            # apposition naming it ("the spokesman, Jason Miller,").
            for child in head.children:
                if child.dep_ == "appos" and (ent := self.entity_span(child)) is not None:
                    span = ent
                    break
        if span is None:
            left = head.left_edge
            # Not across a paragraph break (a dateline or a time stamp above the sentence).
            for tok in doc[left.i : head.i]:
                if "\n" in tok.text:
                    left = doc[tok.i + 1]
            while left.i < head.i and (left.is_punct or left.dep_ == "det"):
                left = doc[left.i + 1]
            span = doc[left.i : head.i + 1]
            # A description ("the Vermont senator"): the person it titles, not a name in it.
            return _Speaker(span.start_char, span.end_char, span.text, self.titled(head), cue)
        entity = self.resolve_name(span)
        return _Speaker(span.start_char, span.end_char, span.text, entity, cue)

    def titled(self, head: Token) -> str | None:
        """The person most recently named before `head` whose titles hold its noun
        ("the senator" -> Senator Bernie Sanders), if any."""
        if head.pos_ != "NOUN":
            return None
        noun = head.lower_
        best: tuple[int, str] | None = None
        for entity in self.entities.values():
            if entity.type != "PERSON" or not any(
                noun in title.lower().split() for title in entity.titles
            ):
                continue
            before = [m.start for m in entity.mentions if m.start < head.idx]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), entity.id)
        return best[1] if best else None

    def entity_span(self, token: Token) -> Span | None:
        ent = entity_span_of(token)
        if ent is not None and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            return ent
        # A proper-noun head the model missed: its flat name.
        if token.pos_ == "PROPN":
            start = token.i
            while (
                start > 0
                and self.doc[start - 1].pos_ == "PROPN"
                and self.doc[start - 1].dep_ == "compound"
            ):
                start -= 1
            return self.doc[start : token.i + 1]
        return None

    def resolve_name(self, span: Span) -> str | None:
        """The entity behind a name; a surname alone points at the full name's entity."""
        entity = entity_at(self.doc, span.start_char, span.end_char)
        found = self.entities.get(entity) if entity else None
        words = [t.text for t in span if t.pos_ == "PROPN"] or [span[-1].text]
        last = words[-1]
        if found is not None and found.type == "PERSON" and len(found.name.split()) > 1:
            return entity
        # A surname (or a name the model did not tag as a person): the person it ends.
        for e in self.entities.values():
            if e.type == "PERSON" and len(e.name.split()) > 1 and e.name.split()[-1] == last:
                return e.id
        return entity

    def resolve_pronoun(self, token: Token) -> str | None:
        lower = token.lower_
        if lower not in PERSON_PRONOUNS:
            return None
        # The most recent person mentioned outside quotes before the pronoun, preferring one
        # that is a subject in the last few sentences ("Rubio said ... Trump, whom he called").
        recent = None
        window_start = sentence_of(self.doc[max(sentence_of(token).start - 1, 0)]).start
        wrong = "f" if lower in ("he", "him") else "m"
        # Back from the pronoun: the first fit is the most recent; a subject among the
        # fits is looked for only as far back as the window.
        last = bisect.bisect_right(self.mention_ends, token.idx)
        for start, end, eid in reversed(self.person_mentions[:last]):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or self.quoted[span.start] or self.gender(eid) == wrong:
                continue
            if span.start < window_start:
                return recent or eid
            recent = recent or eid
            if span.root.dep_ in ("nsubj", "nsubjpass"):
                return eid
        return recent

    def gender(self, eid: str) -> str | None:
        """'m' or 'f' when a mention of the person carries an honorific (Mr., Mrs., Ms.)."""
        if eid not in self._genders:
            found = None
            for m in self.entities[eid].mentions:
                before = self.text[max(m.start - 6, 0) : m.end].lower()
                if re.search(r"\bmr\.?\s", before):
                    found = "m"
                elif re.search(r"\b(?:mrs|ms|miss)\.?\s", before):
                    found = "f"
                if found:
                    break
            self._genders[eid] = found
        return self._genders[eid]

    # --- strategies ---------------------------------------------------------------------

    def governing_cue(self, t0: int, t1: int) -> Token | None:
        """The cue verb the quote's clause hangs from, or that hangs from the quote."""
        doc = self.doc
        for i in range(t0, t1):
            tok = doc[i]
            # A cue verb attached to the quote's own root: "...," she said / said Y.
            for child in tok.children:
                if (
                    not (t0 <= child.i < t1)
                    and not self.quoted[child.i]
                    and is_cue(child)
                    and self.same_paragraph(child, tok)
                ):
                    return child
            if t0 <= tok.head.i < t1 or tok.head is tok:
                continue
            if not tok.is_punct:
                self.embedded = True
            node = tok
            for _ in range(8):
                head = node.head
                if (
                    head is node
                    or node.dep_ not in GOVERNED_DEPS
                    or not self.same_paragraph(head, tok)
                ):
                    break
                if not self.quoted[head.i] and (is_cue(head) or is_cue_noun(head)):
                    return self._outer_cue(head)
                node = head
        return None

    def _outer_cue(self, cue: Token) -> Token:
        """A cue whose subject is a thing ("it underscores", "the ad suggests") inside the
        words of a person ("She says it underscores..."): the person's cue."""
        subj = self.subject_of(cue)
        if subj is None or self._names(subj):
            return cue
        node = cue
        for _ in range(4):
            if node.dep_ not in ("ccomp", "xcomp", "conj") or node.head is node:
                break
            node = node.head
            if is_cue(node) and (outer := self.subject_of(node)) is not None and self._names(outer):
                return node
        return cue

    def according_to(self, t0: int, t1: int) -> Token | None:
        """'according to X' in the quote's sentence: X."""
        sent = sentence_of(self.doc[t0])
        for tok in self.doc[sent.start : max(sent.end, t1)]:
            if tok.lower_ == "according" and not self.quoted[tok.i]:
                to = next((c for c in tok.children if c.lower_ == "to"), None)
                if to is None and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                    to = self.doc[tok.i + 1]
                if to is not None:
                    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
        return None

    def dash_speaker(self, piece: Piece) -> _Speaker | None:
        """A name after the closing mark and a dash: '...' - Jane Doe."""
        # The dash follows the closing mark, or opens the next (short) paragraph.
        m = re.match(r"[^\S\n]*\n*[^\S\n]*[" + DASHES + r"][^\S\n]*", self.text[piece.close + 1 :])
        if not m:
            return None
        start = piece.close + 1 + m.end()
        name = re.match(r"(?:[A-Z][\w.'’-]*\.?[^\S\n]?){1,4}", self.text[start:])
        if not name:
            return None
        if "\n" in m.group(0):
            # On a line of its own, the dash must sign the quote, not start a list item.
            line_end = self.text.find("\n", start)
            line = self.text[start : line_end if line_end >= 0 else len(self.text)]
            if len(line.split()) > 10 or line.rstrip(" .").endswith(tuple(DASHES)):
                return None
            span = self.doc.char_span(
                start, start + len(name.group(0).rstrip()), alignment_mode="expand"
            )
            if span is None or not any(t.ent_type_ == "PERSON" for t in span):
                return None  # a credit line ("- Reuters") or a heading
        span = self.doc.char_span(
            start, start + len(name.group(0).rstrip()), alignment_mode="expand"
        )
        if span is None:
            return None
        return _Speaker(span.start_char, span.end_char, span.text, self.resolve_name(span), None)

    def colon_speaker(self, piece: Piece, t0: int) -> _Speaker | None:
        """'Name: "..."' with no verb between the name and the colon."""
        doc = self.doc
        i = t0 - 1
        while i >= 0 and (doc[i].is_space or doc[i].idx >= piece.open):
            i -= 1  # back over the opening mark
        if i < 1 or doc[i].text != ":":
            return None
        if (found := self.clause_speaker(doc[i])) is not None:
            return found
        j = i - 1
        if j < 0 or self.quoted[j]:
            return None
        ent = entity_span_of(doc[j])
        if ent is not None and ent.end == j + 1 and ent.label_ in ("PERSON", "ORG"):
            return _Speaker(ent.start_char, ent.end_char, ent.text, self.resolve_name(ent), None)
        if doc[j].pos_ == "PROPN" or (doc[j].is_upper and doc[j].is_alpha):
            start = j
            while (
                start > 0
                and (doc[start - 1].pos_ == "PROPN" or doc[start - 1].is_upper)
                and doc[start - 1].is_alpha
            ):
                start -= 1
            span = doc[start : j + 1]
            if span.start == 0 or "\n" in doc[span.start - 1].text or doc[span.start - 1].is_punct:
                return _Speaker(
                    span.start_char, span.end_char, span.text, self.resolve_name(span), None
                )
        return None

    def window_cue(self, k: int, piece: Piece, t0: int, t1: int) -> Token | None:
        """The nearest cue verb with a subject in the quote's sentences or right beside them,
        not beyond the quotes before and after it in the paragraph."""
        doc = self.doc
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        para_end = self.text.find("\n", piece.close)
        para_end = len(self.text) if para_end < 0 else para_end
        if k > 0 and self.pieces[k - 1].close >= para_start:
            para_start = self.pieces[k - 1].close + 1
        if k + 1 < len(self.pieces) and self.pieces[k + 1].open < para_end:
            para_end = self.pieces[k + 1].open
        sents = []
        for sent in sentences_between(doc, para_start, para_end):
            if sent.end_char <= para_start or sent.start_char >= para_end:
                continue
            if (
                sent.start <= t0 < sent.end
                or sent.start < t1 <= sent.end
                or (sent.end >= t0 - 1 and sent.start < t0)
                or (sent.start <= t1 + 1 and sent.end > t1)
            ):
                sents.append(sent)
        candidates = [
            tok
            for sent in sents
            for tok in sent
            if not self.quoted[tok.i] and is_cue(tok) and para_start <= tok.idx < para_end
        ]
        candidates.sort(key=lambda tok: min(abs(tok.i - t0), abs(tok.i - t1)))
        for tok in candidates:
            if self.subject_of(tok) is not None:
                return tok
        return None

    def attribute(self, k: int, piece: Piece) -> _Speaker | None:
        span = self.tok_spans[k]
        if span is None:
            return None
        t0, t1 = span
        if (found := self.dash_speaker(piece)) is not None:
            piece.governed = True
            return found
        if (found := self.transcript_speaker(piece)) is not None:
            piece.governed = True
            return found
        self.embedded = False
        cue = self.governing_cue(t0, t1)
        piece.extra["embedded"] = self.embedded
        if (
            cue is not None
            and cue.tag_ == "VBN"
            and (cue.dep_ in ("acl", "amod") or any(c.dep_ == "auxpass" for c in cue.children))
            and not any(c.dep_ == "agent" for c in cue.children)
        ):
            cue = None  # a name, not words: a film called "X", what is typically called "Y"
        if cue is not None:
            piece.governed = True
            piece.extra["cue_lemma"] = cue.lemma_.lower()
            subj = self.subject_of(cue)
            if subj is not None:
                return self.speaker_from(subj, cue_text(cue))
        obj = self.according_to(t0, t1)
        if obj is not None:
            piece.governed = True
            return self.speaker_from(obj, "according to")
        if (found := self.colon_speaker(piece, t0)) is not None:
            piece.governed = True
            return found
        cue = self.window_cue(k, piece, t0, t1)
        if cue is not None:
            subj = self.subject_of(cue)
            if subj is not None:
                piece.extra["window"] = True
                piece.extra["own_clause"] = self.own_clause(t0, t1, subj)
                piece.extra["cue_lemma"] = cue.lemma_.lower()
                return self.speaker_from(subj, cue_text(cue))
        return self.introduced_speaker(piece)

    def own_clause(self, t0: int, t1: int, speaker: Token) -> bool:
        """Whether the quoted words sit in a clause with a subject of its own, other than the
        speaker ("..., while Assad celebrates the 'liberation'")."""
        node = self.doc[t0:t1].root
        for _ in range(6):
            if node.pos_ in ("VERB", "AUX") and not (t0 <= node.i < t1):
                subj = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
                return bool(subj) and speaker not in subj
            if node.head is node:
                return False
            node = node.head
        return False

    def transcript_speaker(self, piece: Piece) -> _Speaker | None:
        """A transcript line inside the marks: '"WALLACE: ...' or '"Mr. Pence: ...'."""
        name = r"((?:[A-Z][A-Za-z.'’-]*\s){0,2}[A-Z][A-Za-z.'’-]*):\s"
        m = re.match(name, self.text[piece.start :])
        if not m:
            return None
        start, end = piece.start, piece.start + len(m.group(1))
        span = self.doc.char_span(start, end, alignment_mode="expand")
        # Transcripts set speakers in capitals; otherwise the name must be a person's.
        if not m.group(1).isupper() and (
            span is None or not any(t.ent_type_ == "PERSON" for t in span)
        ):
            return None
        entity = self.resolve_name(span) if span is not None else None
        return _Speaker(start, end, self.text[start:end], entity, None)

    def introduced_speaker(self, piece: Piece) -> _Speaker | None:
        """A quote opening its paragraph after a paragraph that ends with a colon
        ('Sanders made the following comment:'): the subject of that last sentence."""
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        if self.text[para_start : piece.open].strip():
            return None
        before = self.text[:para_start].rstrip()
        last = self.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if last is None or self.quoted[last[0].i]:
            return None
        if before.endswith(":"):
            return self.clause_speaker(last[0])
        # A paragraph ending with a sentence of speech ("Clinton spoke to the crowd on Monday.")
        sent = sentence_of(last[0])
        for tok in sent:
            if is_cue(tok) and not self.quoted[tok.i]:
                subj = self.subject_of(tok)
                if subj is not None and self._names(subj) and subj.ent_type_ == "PERSON":
                    return self.speaker_from(subj, cue_text(tok))
        return None

    def clause_speaker(self, colon: Token) -> _Speaker | None:
        """The subject of the clause a colon ends ('Trump issued this statement:'), when it
        names someone."""
        doc = self.doc
        start = sentence_of(colon).start
        for tok in doc[start : colon.i]:
            if "\n" in tok.text:
                start = tok.i + 1
        verbs = [
            t
            for t in doc[start : colon.i]
            if t.pos_ in ("VERB", "AUX")
            and any(c.dep_ in SUBJECT_DEPS and start <= c.i < colon.i for c in t.children)
        ]
        if not verbs:
            return None
        # The main clause's subject; failing that, a cue verb's ("as X observed, ...:").
        verbs.sort(key=lambda t: (len(list(t.ancestors)), not is_cue(t)))
        verbs = verbs[:1] + [t for t in verbs[1:] if is_cue(t)]
        for verb in verbs:
            subj = next(c for c in verb.children if c.dep_ in SUBJECT_DEPS and start <= c.i)
            if self._names(subj) and not self.quoted[subj.i]:
                return self.speaker_from(subj, cue_text(verb) if is_cue(verb) else None)
        return None


# fmt: off
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
               "from", "de", "la", "vs", "vs.", "&"}
# fmt: on
NAMING_VERBS = {"call", "dub", "nickname", "label", "brand", "term", "name", "refer", "chant"}


def _is_title(text: str, embedded: bool) -> bool:
    """Title-case words (a show, a book, a slogan): at least two, or one inside a sentence."""
    if text.rstrip().endswith(("!", "?")):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or len(words) > 8 or (len(words) == 1 and not embedded):
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def attribute_quotes(doc: Doc, pieces: list[Piece]) -> list[Quote]:
    """Kind, speaker and cue for every piece found by :func:`find_quotes` in `doc.text`."""
    at = _Attributor(doc, pieces)
    text = at.text  # Doc.text is rebuilt on every access: read it once
    speakers: list[_Speaker | None] = [at.attribute(k, p) for k, p in enumerate(pieces)]
    # A multi-paragraph quote: every piece gets the speaker found for any of them.
    by_group: dict[int, _Speaker] = {}
    group_size = collections.Counter(p.group for p in pieces)
    for p, s in zip(pieces, speakers, strict=True):
        if s is not None and p.group not in by_group:
            by_group[p.group] = s
    # Paragraph index of every piece (blank lines do not count), for continuing speakers.
    starts = [m.start() for m in re.finditer(r"[^\n]+", text)]
    quotes = []
    last: tuple[int, _Speaker] | None = None  # (paragraph index, speaker) of the last quote
    for p, s in zip(pieces, speakers, strict=True):
        para = bisect.bisect_right(starts, p.open) - 1
        # A short quote inside a sentence that no cue verb governs is a scare-quote candidate;
        # a short quote that is a sentence of its own ("You winning?" she asked) is not.
        words = _words(text[p.start : p.end])
        # A quote running over paragraphs is somebody's words, however short a piece is.
        multi = group_size[p.group] > 1
        scare_candidate = (
            not multi and words <= SHORT_WORDS and not p.governed and p.extra.get("embedded", True)
        )
        if s is None and p.group in by_group:
            s = by_group[p.group]
        elif s is None and not scare_candidate and last is not None and para - last[0] <= 1:
            # A quote with no attribution of its own continues the previous speaker when it
            # is in the same paragraph or the next one.
            s = last[1]
        if (
            not multi
            and _is_title(text[p.start : p.end], p.extra.get("embedded", True))
            and p.extra.get("cue_lemma") not in NAMING_VERBS
            and (words > 1 or not p.governed)  # said "Yes" is an answer, not a title
        ):
            # A title ("Fox News Sunday", "The Apprentice") is nobody's words.
            kind = "scare"
            s = None
        elif scare_candidate and (s is None or p.extra.get("own_clause", False)):
            kind = "scare"
            s = None
        else:
            kind = "direct"
        quote = Quote(p.start, p.end, text[p.start : p.end], kind)
        if s is not None:
            quote.speaker = s.entity
            quote.speaker_text = s.text
            quote.speaker_start = s.start
            quote.speaker_end = s.end
            quote.cue = s.cue
            last = (para, s)
        quotes.append(quote)
    return quotes


@Language.factory(
    "newsgraph_quotes",
    assigns=["doc._.quotes"],
    requires=["doc._.entities", "token.dep", "token.lemma"],
    default_config={},
)
def make_component(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent()


class QuoteComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = attribute_quotes(doc, find_quotes(doc_text(doc)))
        return doc
