"""The `events` component: who did what to whom, where and when, coded to PLOVER and ACLED.

Writes `doc._.events` (a list of record.Event). Rules over the base model's dependency parse,
driven by data files in `data/events/`:
- `triggers.tsv`: verbs, phrasal verbs ("call out", "take back") and event nouns ("shelling",
  "talks") -> PLOVER type and a trigger class;
- `cues.tsv` + `acled.tsv`: the clause's words and the doer's kind -> ACLED sub-event label;
- `actors.tsv`: generic actors ("military", "rebels") -> label and kind;
- `sets.tsv`: word sets the trigger conditions name ("send" + aid vs "send" + troops).

Each event carries a modality: `asserted` (it happened), `negated` ("did not attack",
"denied attacking"), `hypothetical` (planned, threatened, demanded, conditional) or
`alleged` (the content of an accusation). A stated intent without a speech-act verb ("X
will give aid", "X plans to impose restrictions") is itself PLOVER's AGREE or THREATEN,
emitted beside the hypothetical action. Event nouns that are the content of another event
("called for talks") are not events of their own unless marked with their modality.

Actors come from the parse (subject = actor1, object or "on/against" = actor2; passives
and "by" agents; possessives "Assad's military"), resolved to entity ids with
`entity_at`; the words, a generic label and an affiliation go in `actor1_text` etc.
Place: the clause's place mention, else the sentence's. Time: the clause's TIMEX3 value,
else the sentence's, else the publication date for a present-tense report, else (for a
past-tense report) the last date given earlier in the same paragraph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.pipeline.doc_cache import doc_text, sentence_of
from newsgraph.pipeline.entities import entity_at
from newsgraph.record import Event, Mention

__all__ = ["EventComponent", "extract_events"]

MATERIAL_ACTS = {
    "ASSAULT",
    "COERCE",
    "PROTEST",
    "MOBILIZE",
    "AID",
    "SANCTION",
    "RETREAT",
    "COOPERATE",
    "CONCEDE",
}
COOPERATIVE_ACTS = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
HOSTILE_ACTS = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}
# Verbs through which a clause's event is only intended: "plans to", "is ready to".
INTENT_VERBS = {
    "plan",
    "intend",
    "prepare",
    "want",
    "aim",
    "decide",
    "vow",
    "swear",
    "mean",
    "ready",
    "willing",
    "prepared",
    "determined",
    "going",
    "set",
    "hope",
    "seek",
    "propose",
}
# Verbs under which an event is only foreseen or weighed, nobody's stated intent.
HEDGE_VERBS = {
    "expect",
    "likely",
    "predict",
    "fear",
    "consider",
    "discuss",
    "rule",
    "weigh",
    "simulate",
    "imagine",
    "suggest",
}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo", "may", "might", "could"}
DEMAND_AUX = {"must", "should", "ought"}  # "X must withdraw": demanded, not done
NEGATING_VERBS = {
    "deny",
    "refuse",
    "fail",
    "decline",
    "reject",
    "avoid",
    "stop",
    "halt",
    "cancel",
    "prevent",
    "avert",
    "thwart",
    "foil",
}
# Verbs whose object event is presupposed to have happened: "condemned the attack".
PRESUPPOSING_VERBS = {
    "condemn",
    "denounce",
    "criticize",
    "criticise",
    "deplore",
    "decry",
    "mourn",
    "investigate",
    "probe",
    "protest",
    "survive",
    "witness",
}
# Prepositions that place an event noun beside another event, not inside it as its content.
CIRCUMSTANCE_PREPS = {
    "during",
    "after",
    "before",
    "amid",
    "following",
    "since",
    "despite",
    "at",
    "near",
    "until",
    "throughout",
    "in",
    "over",
}
# Verbs that merely carry an event noun: "held talks", "staged a protest", "launched a raid".
LIGHT_VERBS = {
    "open",
    "complete",
    "announce",
    "issue",
    "lodge",
    "express",
    "voice",
    "file",
    "hold",
    "stage",
    "launch",
    "carry",
    "conduct",
    "mount",
    "begin",
    "continue",
    "start",
    "organize",
    "organise",
    "resume",
    "join",
    "be",
    "have",
    "make",
    "take",
    "lead",
    "undertake",
    "catch",
    "witness",
    "see",
    "report",
    "give",
    "do",
    "go",
    "kill",
    "die",
    "wound",
    "injure",
    "end",
}
SPEECH_VERBS = {
    "say",
    "declare",
    "reiterate",
    "state",
    "announce",
    "tell",
    "conclude",
    "add",
    "write",
    "stress",
    "repeat",
    "confirm",
    "insist",
    "note",
    "affirm",
}
ACTOR_LEFT_DEPS = {
    "det",
    "amod",
    "compound",
    "poss",
    "nummod",
    "nmod",
    "quantmod",
    "case",
    "punct",
    "predet",
    "advmod",
    "npadvmod",
}
ACTOR_RIGHT_DEPS = {"appos", "conj", "cc", "compound", "case"}
STATE_WORDS = {
    "president",
    "minister",
    "government",
    "army",
    "military",
    "police",
    "ministry",
    "authorities",
    "forces",
    "troops",
    "king",
    "emir",
    "parliament",
    "congress",
    "administration",
    "cabinet",
    "court",
    "prime",
    "secretary",
    "regime",
    "council",
    "ambassador",
    "embassy",
    "navy",
    "state",
    "governor",
}
REBEL_WORDS = {
    "rebel",
    "rebels",
    "insurgent",
    "insurgents",
    "militant",
    "militants",
    "front",
    "liberation",
    "guerrilla",
    "guerrillas",
    "taliban",
    "qaeda",
    "hezbollah",
    "hizbollah",
    "hamas",
    "tigers",
    "jihad",
    "isis",
    "isil",
    "army",
}


# ---------------------------------------------------------------------------------------------
# Data files, loaded once per process


@dataclass(frozen=True)
class TriggerRule:
    lemma: str
    more: tuple[str, ...]  # further lemmas that must be dependants ("call out": ("out",))
    pos: str  # "V" or "N"
    type: str
    klass: str | None
    requires: tuple[str, ...]  # alternatives; empty = none


@dataclass(frozen=True)
class AcledRule:
    label: str
    types: frozenset[str]
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[tuple[str, str], tuple[TriggerRule, ...]]
    sets: dict[str, frozenset[str]]
    cues: dict[tuple[str, ...], str]
    cue_max: int
    acled: tuple[AcledRule, ...]
    actors: dict[str, tuple[str, str]]


def _rows(name: str) -> Iterator[list[str]]:
    text = (
        resources.files("newsgraph.pipeline")
        .joinpath("data", "events", name)
        .read_text(encoding="utf-8")
    )
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield [cell.strip() for cell in line.split("\t")]


@functools.cache
def lexicon() -> Lexicon:
    sets = {row[0]: frozenset(row[1].split()) for row in _rows("sets.tsv")}
    grouped: dict[tuple[str, str], list[TriggerRule]] = {}
    for pattern, pos, ptype, klass, requires in _rows("triggers.tsv"):
        words = tuple(pattern.split())
        if pos == "N":  # a noun compound's head is its last word: "hunger strike"
            words = (words[-1], *words[:-1])
        rule = TriggerRule(
            words[0],
            words[1:],
            pos,
            ptype,
            None if klass == "-" else klass,
            () if requires == "-" else tuple(requires.split("|")),
        )
        grouped.setdefault((words[0], pos), []).append(rule)
    # More specific rules first (multi-word, then conditioned); file order otherwise.
    triggers = {
        key: tuple(sorted(rules, key=lambda r: (not r.more, not r.requires)))
        for key, rules in grouped.items()
    }
    cues = {tuple(row[0].lower().split()): row[1] for row in _rows("cues.tsv")}
    acled = tuple(
        AcledRule(
            row[0], frozenset(row[1].split(",")), tuple(row[2].split()) if row[2] != "-" else ()
        )
        for row in _rows("acled.tsv")
    )
    actors = {row[0]: (row[1], row[2]) for row in _rows("actors.tsv")}
    return Lexicon(triggers, sets, cues, max(len(k) for k in cues), acled, actors)


# ---------------------------------------------------------------------------------------------
# The component


@Language.factory(
    "newsgraph_events",
    assigns=["doc._.events"],
    requires=["doc._.entities"],
    default_config={},
)
def make_component(nlp: Language, name: str) -> EventComponent:
    return EventComponent()


class EventComponent:
    def __init__(self) -> None:
        lexicon()  # load the data at pipeline build, not on the first document

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = extract_events(doc)
        return doc


@dataclass
class _Actor:
    entity: str | None
    start: int
    end: int
    text: str
    label: str | None
    affiliation: str | None
    kind: str


@dataclass
class _Found:
    token: Token
    rule: TriggerRule
    tokens: list[Token]  # the trigger's words
    modality: str = "asserted"
    governor: Token | None = None  # the trigger this one is the content of


def extract_events(doc: Doc) -> list[Event]:
    lex = lexicon()
    events: list[Event] = []
    seen: set[tuple[str, str]] = set()  # (lemma, type) of the event nouns met so far
    for sent in doc.sents:
        found = {tok.i: f for tok in sent if (f := _match(tok, lex)) is not None}
        for f in list(found.values()):
            _situate(f, found)
        ours: list[Event] = []
        for i in sorted(found):
            f = found[i]
            key = (_lemma(f.token), f.rule.type)
            if _pos(f.token) == "N":
                if _definite(f.token) and key in seen:
                    continue  # "the ceasefire" again: the same event mentioned anew
                seen.add(key)
            ours.extend(_events_for(doc, sent, f, lex))
        ours.extend(_must_requests(doc, sent, found, lex))
        _share_acled(ours)
        events.extend(ours)
    events.sort(key=lambda e: (e.trigger.start, e.modality != "asserted"))
    return events


def _definite(tok: Token) -> bool:
    return any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
        for c in tok.children
    )


def _share_acled(events: list[Event]) -> None:
    """One attack told in several clauses ("shelled the city, and 12 civilians were killed"):
    the plain ATTACK clauses take the sentence's more specific violence label."""
    specific = [
        e.acled
        for e in events
        if e.type == "ASSAULT" and e.modality == "asserted" and e.acled not in (None, "ATTACK")
    ]
    if len(set(specific)) != 1:
        return
    for e in events:
        if e.type == "ASSAULT" and e.modality == "asserted" and e.acled == "ATTACK":
            e.acled = specific[0]


# ---------------------------------------------------------------------------------------------
# Triggers


def _pos(tok: Token) -> str | None:
    if tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
        return "V"
    if tok.pos_ == "NOUN":
        return "N"
    return None


def _is(tok: Token, words: set[str]) -> bool:
    """Whether `tok` is one of `words`, also when the lemmatizer errs ("staged" -> "stag")."""
    low = tok.lower_
    return (
        _lemma(tok) in words
        or low in words
        or (low.endswith("ed") and (low[:-1] in words or low[:-2] in words))
    )


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _dependant(tok: Token, lemma: str) -> Token | None:
    """A child (or a preposition's object) of `tok` with this lemma."""
    for child in tok.children:
        if _lemma(child) == lemma or child.lower_ == lemma:
            # A particle or preposition belongs to the verb only right after it:
            # "gave in", "called for", not "giving a speech in Toledo".
            if child.dep_ in ("prep", "prt", "advmod") and not 0 < child.i - tok.i <= 2:
                continue
            return child
        if child.dep_ in ("prep", "dobj", "prt") and child.i > tok.i:
            for grand in child.children:
                if grand.dep_ in ("pobj", "compound") and _lemma(grand) == lemma:
                    return grand
    return None


def _objects(tok: Token) -> list[Token]:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "dative", "attr", "oprd")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)  # "rockets fired by militants"
    for child in tok.children:
        if child.dep_ == "prep" and _lemma(child) in ("on", "at", "of"):
            objs += [g for g in child.children if g.dep_ == "pobj"]
    more = []
    for obj in objs:
        more += [c for c in obj.conjuncts]
        more += [c for c in obj.children if c.dep_ == "compound"]
        for prep in obj.children:
            if prep.dep_ == "prep" and _lemma(prep) == "of":
                more += [g for g in prep.children if g.dep_ == "pobj"]
    return objs + more


def _satisfied(tok: Token, cond: str, lex: Lexicon) -> bool:
    if ":" not in cond:
        deps = {cond, "nsubjpass"} if cond == "dobj" else {cond}
        return any(c.dep_ in deps for c in tok.children)
    dep, word = cond.split(":", 1)
    if dep == "obj":
        lemmas = {_lemma(o) for o in _objects(tok)} | {o.lower_ for o in _objects(tok)}
        if word.startswith("@"):
            return bool(lemmas & lex.sets[word[1:]])
        return word in lemmas
    return any(c.dep_ == dep and _lemma(c) == word for c in tok.children)


def _match(tok: Token, lex: Lexicon) -> _Found | None:
    pos = _pos(tok)
    if pos is None or (pos == "V" and tok.dep_ in ("amod", "compound")):
        return None  # "released polls", "wounded families": a modifier, not an event
    if pos == "V" and (
        any(c.dep_ == "det" for c in tok.children)
        or (tok.tag_ == "VBN" and tok.dep_ in ("pobj", "dobj", "nsubj"))
    ):
        return None  # "the wounded", "filled with wounded": a participle used as a noun
    if pos == "N" and tok.dep_ == "compound" and _lemma(tok.head) not in LIGHT_NOUNS:
        return None  # "aid convoys", "protest leaders": a modifier of another noun
    rules = None
    # The lemmatizer errs on a few forms ("raped" -> "rap"): try the word and its stem too.
    for key in (_lemma(tok), tok.lower_, tok.lower_[:-1], tok.lower_[:-2]):
        rules = lex.triggers.get((key, pos))
        if rules and (key == _lemma(tok) or key == tok.lower_ or tok.lower_.endswith("ed")):
            break
        rules = None
    if not rules:
        return None
    for rule in rules:
        extra = []
        for word in rule.more:
            dep = _dependant(tok, word)
            if dep is None:
                break
            extra.append(dep)
        else:
            banned = [c[1:] for c in rule.requires if c.startswith("!")]
            wanted = [c for c in rule.requires if not c.startswith("!")]
            if any(_satisfied(tok, c, lex) for c in banned):
                continue
            if wanted and not any(_satisfied(tok, c, lex) for c in wanted):
                continue
            # A trigger's words must be close together: "held talks", not a distant object.
            if any(abs(t.i - tok.i) > 6 for t in extra):
                continue
            return _Found(tok, rule, [tok, *extra])
    return None


# ---------------------------------------------------------------------------------------------
# Modality: is the event asserted, or the content of another event, negated, intended?


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.dep_ == "det" and c.lower_ in ("no",) for c in tok.children)


def _future(tok: Token) -> Token | None:
    """The auxiliary of a stated future or intent ("will", "would"); not a guess about the
    past ("may have been murdered")."""
    if any(c.dep_ == "aux" and _lemma(c) == "have" for c in tok.children):
        return None
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in FUTURE_AUX:
            return c
    return None


def _imperative(verb: Token) -> bool:
    """ "Donate to ...", "Check out ...": an exhortation, not a report."""
    if verb.tag_ != "VB" or _subject(verb) is not None:
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    cur = verb
    while cur.dep_ in ("conj", "dep") and cur.head is not cur:
        cur = cur.head
    return cur.dep_ == "ROOT" and cur.tag_ == "VB" and _subject(cur) is None


def _obliged(verb: Token) -> bool:
    """ "We are bound to help", "they need to act": an obligation, not a report."""
    head = verb.head
    return verb.dep_ == "xcomp" and _lemma(head) in (
        "bind",
        "bound",
        "oblige",
        "need",
        "ought",
        "have",
    )


def _clause_head(tok: Token) -> Token:
    """The verb whose clause holds `tok` (itself for a verb)."""
    cur = tok
    while _pos(cur) != "V" and cur.head is not cur and cur.dep_ not in ("ROOT",):
        cur = cur.head
    return cur if _pos(cur) == "V" else tok


def _situate(f: _Found, found: dict[int, _Found]) -> None:
    """Set the modality and the governing trigger of `f`."""
    tok = f.token
    # A noun's clause: the verb that carries it ("staged a protest", "killed in a bombing").
    head = _clause_head(tok) if _pos(tok) == "N" else tok
    if _negated(tok) or (head is not tok and _negated(head) and _is(head, LIGHT_VERBS)):
        f.modality = "negated"
    if any(
        c.dep_ == "amod"
        and _lemma(c)
        in ("planned", "plan", "threatened", "possible", "potential", "alleged", "proposed")
        for c in tok.children
    ):
        f.modality = "hypothetical"
    # Walk up to the first trigger that governs this one.
    cur = tok
    steps = 0
    while cur.head is not cur and steps < 6:
        dep, cur = cur.dep_, cur.head
        steps += 1
        if dep in ("conj", "appos") and cur.i in found and _pos(cur) == _pos(tok):
            continue  # "bombing and shelling": coordinated, not governed
        if (
            dep == "pobj"
            and _lemma(cur) in CIRCUMSTANCE_PREPS
            and (cur.head.i not in found or found[cur.head.i].rule.type != f.rule.type)
        ):
            break  # "arrested during a march": the march is an event of its own
        if dep in ("advcl", "relcl", "parataxis", "acl") and _pos(tok) == "V":
            if dep == "advcl" and any(
                c.dep_ == "mark" and _lemma(c) in ("if", "unless") for c in tok.children
            ):
                f.modality = "hypothetical"
            break
        if cur.i in found:
            gov = found[cur.i]
            if _pos(tok) == "V" and dep not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"):
                break
            if (
                _pos(tok) == "V"
                and gov.rule.type in MATERIAL_ACTS
                and not _is(cur, NEGATING_VERBS | {"allow", "order", "force", "help"})
            ):
                break  # "opened fire to disperse them": two acts, not one inside the other
            f.governor = cur
            if f.modality == "asserted":
                if _is(cur, PRESUPPOSING_VERBS):
                    f.governor = None  # an event of its own, which happened
                elif gov.rule.type == "ACCUSE":
                    f.modality = "alleged"
                elif _is(cur, NEGATING_VERBS):
                    f.modality = "negated"
                elif gov.rule.type != f.rule.type:
                    f.modality = "hypothetical"
                # else the same event told twice ("killed in a bombing"): left asserted
            return
        if _pos(cur) == "V":
            if _is(cur, NEGATING_VERBS) and dep in ("xcomp", "ccomp", "pcomp", "dobj"):
                f.modality = "negated"
            elif dep in ("xcomp", "ccomp") and _is(cur, INTENT_VERBS):
                f.modality = "intended" if f.modality == "asserted" else f.modality
            elif dep in ("xcomp", "ccomp", "dobj") and _is(cur, HEDGE_VERBS):
                f.modality = "hypothetical" if f.modality == "asserted" else f.modality
            if _pos(tok) == "V" or not _is(cur, LIGHT_VERBS):
                break
        if cur.pos_ == "ADJ" and _is(cur, INTENT_VERBS) and dep == "xcomp":
            f.modality = "intended"
            break
        if cur.pos_ == "ADJ" and _is(cur, HEDGE_VERBS) and dep == "xcomp":
            f.modality = "hypothetical"
            break
    if f.modality == "asserted" and (
        any(c.dep_ == "aux" and c.lower_ in DEMAND_AUX for c in head.children)
        or _imperative(head)
        or _obliged(head)
    ):
        f.modality = "hypothetical"
    elif (
        f.modality == "asserted"
        and any(c.dep_ == "aux" and _lemma(c) == "have" for c in head.children)
        and any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in head.children)
    ):
        f.modality = "hypothetical"  # "may have been murdered": a guess
    elif f.modality == "asserted" and _future(head) is not None:
        f.modality = "intended"  # "will give", "would hold talks"


# ---------------------------------------------------------------------------------------------
# Events


def _events_for(doc: Doc, sent: Span, f: _Found, lex: Lexicon) -> list[Event]:
    tok = f.token
    if f.governor is not None and f.modality == "asserted":
        return []  # same event as its governor ("killed in a bombing"): one event, not two
    if f.governor is not None and _pos(tok) == "N" and f.modality == "hypothetical":
        gov_type = _lexicon_type(f.governor, lex)
        if gov_type in ("REQUEST", "AGREE", "REJECT", "CONCEDE", "SUPPORT", "CONSULT"):
            return []  # the issue of a request or a deal ("called for talks"), not an event
    actor1, actor2 = _actors(f)
    start, end = _clause_span(sent, f)
    place = _place(doc, sent, start, end, tok)
    time = _time(doc, sent, start, end, tok)
    trig = _trigger_mention(doc, f.tokens)
    classes = _classes(f, start, end, doc, lex, actor1)
    acled = _acled(f.rule.type, classes, actor1, lex)

    def event(ptype: str, modality: str, trigger: Mention, acled_label: str | None) -> Event:
        return Event(
            start=start,
            end=end,
            trigger=trigger,
            type=ptype,
            acled=acled_label,
            actor1=actor1.entity if actor1 else None,
            actor2=actor2.entity if actor2 else None,
            place=place,
            time=time,
            modality=modality,
            actor1_text=actor1.text if actor1 else None,
            actor1_start=actor1.start if actor1 else None,
            actor1_end=actor1.end if actor1 else None,
            actor1_label=actor1.label if actor1 else None,
            actor1_affiliation=actor1.affiliation if actor1 else None,
            actor2_text=actor2.text if actor2 else None,
            actor2_start=actor2.start if actor2 else None,
            actor2_end=actor2.end if actor2 else None,
            actor2_label=actor2.label if actor2 else None,
            actor2_affiliation=actor2.affiliation if actor2 else None,
        )

    if f.modality == "intended":
        # PLOVER codes a stated intent as an act of its own: to cooperate (AGREE) or to
        # use force or pressure (THREATEN). The intended act itself did not happen.
        out = [event(f.rule.type, "hypothetical", trig, acled if acled in _STRATEGIC else None)]
        intent = (
            "AGREE"
            if f.rule.type in COOPERATIVE_ACTS
            else ("THREATEN" if f.rule.type in HOSTILE_ACTS or f.rule.type == "REJECT" else None)
        )
        if intent is not None:
            aux = _future(tok) or _future(_clause_head(tok))
            words = [*f.tokens, aux] if aux is not None and aux.i < tok.i else f.tokens
            out.insert(0, event(intent, "asserted", _trigger_mention(doc, words), None))
        else:
            out[0].modality = "asserted"  # "will accuse", "will demand": said, so done
        return out
    if (
        f.modality == "negated"
        and f.rule.type in COOPERATIVE_ACTS | {"AGREE"}
        and f.governor is None
    ):
        # "will not accept", "did not allow": PLOVER's REJECT, beside the negated act.
        return [event("REJECT", "asserted", trig, None), event(f.rule.type, "negated", trig, None)]
    asserted = f.modality == "asserted"
    ptype = f.rule.type
    if ptype == "AGREE" and _lemma(tok) in ("promise", "pledge", "vow", "swear", "commit"):
        # A promise to use force or pressure ("pledged to ban") is a threat.
        for c in tok.children:
            if c.dep_ == "xcomp" and _lexicon_type(c, lex) in HOSTILE_ACTS:
                ptype = "THREATEN"
    return [event(ptype, f.modality, trig, acled if asserted or acled in _STRATEGIC else None)]


# Labels of things agreed or announced, not of violence: kept on non-asserted events.
_STRATEGIC = {"AGREEMENT"}


def _lexicon_type(tok: Token, lex: Lexicon) -> str | None:
    """The PLOVER type `tok` would trigger, if any."""
    f = _match(tok, lex)
    return f.rule.type if f else None


def _trigger_mention(doc: Doc, tokens: Iterable[Token]) -> Mention:
    toks = sorted(tokens, key=lambda t: t.i)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return Mention(start, end, doc_text(doc)[start:end])


def _clause_span(sent: Span, f: _Found) -> tuple[int, int]:
    head = _clause_head(f.token)
    left, right = head.left_edge, head.right_edge
    left = max(left, sent[0], key=lambda t: t.i)
    right = min(right, sent[-1], key=lambda t: t.i)
    while right.i > left.i and right.is_punct:
        right = right.doc[right.i - 1]
    return left.idx, right.idx + len(right.text)


def _must_requests(doc: Doc, sent: Span, found: dict[int, _Found], lex: Lexicon) -> list[Event]:
    """ "X said that Y must do Z": a demand made through a speech verb."""
    out = []
    for tok in sent:
        if not _is(tok, SPEECH_VERBS) or tok.i in found or _pos(tok) != "V":
            continue
        for comp in tok.children:
            if comp.dep_ != "ccomp":
                continue
            must = any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in comp.children)
            have_to = _lemma(comp) == "have" and any(c.dep_ == "xcomp" for c in comp.children)
            if not (must or have_to):
                continue
            rule = TriggerRule(_lemma(tok), (), "V", "REQUEST", None, ())
            f = _Found(tok, rule, [tok])
            events = _events_for(doc, sent, f, lex)
            subj = _subject(comp)
            if subj is not None and events:
                target = _actor(subj)
                ev = events[0]
                ev.actor2, ev.actor2_text = target.entity, target.text
                ev.actor2_start, ev.actor2_end = target.start, target.end
                ev.actor2_label, ev.actor2_affiliation = target.label, target.affiliation
            out += events
            break
    return out


# ---------------------------------------------------------------------------------------------
# Actors


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    return None


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """The doer of a verb without a subject of its own: "agreed to share", "killed one and
    wounded two", "as X reclaimed" misparsed as a preposition's object."""
    cur = verb
    for _ in range(4):
        if cur.dep_ == "conj":
            # en_core_web_sm often reads "as/while X verbed" as a preposition + object.
            for t in reversed(list(cur.doc[cur.head.i + 1 : cur.i])):
                if t.dep_ == "pobj" and _lemma(t.head) in ("as", "while"):
                    return t
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
            cur = cur.head
            subj = _subject(cur)
            if subj is not None:
                return subj
            if cur.dep_ in ("acl", "relcl"):
                return cur.head
        elif cur.dep_ in ("acl", "relcl"):
            return cur.head
        else:
            return None
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _actors(f: _Found) -> tuple[_Actor | None, _Actor | None]:
    tok = f.token
    doer: Token | None = None
    target: Token | None = None
    skip = {t.i for t in f.tokens}
    if _pos(tok) == "V":
        if _passive(tok):
            doer = _agent(tok)
            target = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if target is None and tok.dep_ == "acl":
                target = tok.head
        else:
            doer = _subject(tok) or _inherited_subject(tok)
            target = _object_of(tok, skip)
    else:
        verb = _clause_head(tok)
        for c in tok.children:
            if c.dep_ == "poss" or (
                c.dep_ in ("amod", "compound")
                and _is_actorish(c)
                and (doer is None or not doer.ent_type_)
            ):
                doer = c
            elif c.dep_ == "prep" and _lemma(c) == "by":
                doer = next((g for g in c.children if g.dep_ == "pobj"), doer)
            elif c.dep_ == "prep" and _lemma(c) in ("of", "on", "against", "with", "in", "at"):
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and target is None and (_lemma(c) != "in" or _is_actorish(obj)):
                    target = obj
        if doer is None and verb is not tok and _is(verb, LIGHT_VERBS):
            if not _passive(verb):
                doer = _subject(verb) or _inherited_subject(verb)
            if target is None and _lemma(verb) not in ("catch",):
                target = next((c for c in verb.children if c.dep_ == "dobj" and c is not tok), None)
    # What is given goes to someone: "offered its troops to Lebanon", "gave Chad aid".
    if f.rule.type in ("AID", "AGREE") and _pos(tok) == "V" and not _passive(tok):
        recipient = _recipient(tok, skip)
        if recipient is not None:
            target = recipient
    # A thing as the object ("rejected an appeal", "threatened to cut off electricity"):
    # look for the party it concerns ("an appeal from X", "to the republic of Y").
    if target is None or not _actorlike(target):
        target = _find_target(tok, target, skip) or target
    doer = _through_quantity(doer)
    target = _through_quantity(target)
    if doer is not None and (doer.i in skip or doer.ent_type_ in NOT_ACTOR_ENTS):
        doer = None
    if target is not None and (target.i in skip or target.ent_type_ in ("DATE", "TIME")):
        target = None
    if doer is not None and target is not None and doer.i == target.i:
        target = None
    # The territory taken: its holder is the one it was taken from ("the city held by rebels").
    if f.rule.klass in ("regain", "seize") and target is not None:
        for t in target.subtree:
            if t.dep_ == "agent" and _lemma(t.head) in ("hold", "control", "occupy"):
                holder = next((g for g in t.children if g.dep_ == "pobj"), None)
                if holder is not None:
                    target = holder
                    break
    return (
        _actor(doer) if doer is not None else None,
        _actor(target) if target is not None else None,
    )


# Nouns that only carry the event noun before them: "a mediation effort", "an aid operation".
LIGHT_NOUNS = {
    "mission",
    "effort",
    "bid",
    "campaign",
    "process",
    "operation",
    "attempt",
    "drive",
    "initiative",
    "round",
    "wave",
    "spree",
}
QUANTITY_HEADS = {
    "thousand",
    "hundred",
    "dozen",
    "million",
    "group",
    "number",
    "member",
    "some",
    "many",
    "several",
    "most",
    "all",
    "part",
    "lot",
    "handful",
}


def _through_quantity(tok: Token | None) -> Token | None:
    """The people in "thousands of people", "a group of diplomats", not the number."""
    if tok is None or not (
        tok.like_num or tok.ent_type_ in ("CARDINAL", "QUANTITY") or _lemma(tok) in QUANTITY_HEADS
    ):
        return tok
    for prep in tok.children:
        if prep.dep_ == "prep" and _lemma(prep) == "of":
            for g in prep.children:
                if g.dep_ == "pobj":
                    return g
    return tok


NOT_ACTOR_ENTS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")
PLACE_PREPS = ("in", "into", "from", "inside")
TARGET_PREPS = ("against", "with", "to", "on", "from", "by", "at", "upon", "toward", "towards")


def _actorlike(tok: Token) -> bool:
    """A word that can name a party: a name, a pronoun, a generic actor ("rebels")."""
    if tok.ent_type_ in NOT_ACTOR_ENTS or tok.like_num:
        return False
    if _is_actorish(tok) or _lemma(tok) in lexicon().actors or tok.lower_ in lexicon().actors:
        return True
    if tok.pos_ == "PRON" and tok.lower_ not in ("it", "that", "this", "which", "what"):
        return True
    return any(c.dep_ in ("amod", "compound", "poss") and _is_actorish(c) for c in tok.children)


def _find_target(tok: Token, obj: Token | None, skip: set[int]) -> Token | None:
    def from_preps(
        head: Token, named_only: bool = False, extra: tuple[str, ...] = ()
    ) -> Token | None:
        preps = PLACE_PREPS if named_only else TARGET_PREPS + extra
        for c in head.children:
            if c.dep_ in ("prep", "dative") and _lemma(c) in preps:
                for g in c.children:
                    if g.dep_ != "pobj" or g.i in skip or not _actorlike(g):
                        continue
                    if not named_only or g.ent_type_ in ("GPE", "LOC", "NORP", "ORG", "PERSON"):
                        return g
        return None

    # The content: "demanded that the US cancel", "refused to meet the king".
    for c in tok.children:
        if c.dep_ == "ccomp":
            subj = _subject(c)
            if subj is not None and _actorlike(subj) and subj.pos_ != "PRON":
                return subj
        if c.dep_ == "xcomp":
            inner = _object_of(c, skip)
            if inner is not None and _actorlike(inner):
                return inner
            found = from_preps(c) or (from_preps(inner) if inner is not None else None)
            if found is not None:
                return found
    # The issue's party: "called for sanctions against X", "demanded the withdrawal of X",
    # "complained over Israeli raids".
    issues = [obj] if obj is not None else []
    for c in tok.children:
        if c.dep_ == "prep" and _lemma(c) in ("for", "over", "about", "of"):
            issues += [g for g in c.children if g.dep_ == "pobj" and g.i not in skip]
    for issue in issues:
        found = from_preps(issue, extra=("of",))
        if found is not None:
            return found
        for c in issue.children:
            if c.dep_ in ("amod", "compound", "poss") and _is_actorish(c):
                return c
    found = from_preps(tok)
    verb = _clause_head(tok)
    if found is None and verb is not tok:  # "held a meeting with X", "gave a welcome to X"
        found = from_preps(verb)
    # Last, a named place the act was aimed at: "lifted the curfew in X", "withdrew from X".
    for head in (tok, obj, verb):
        if found is None and head is not None:
            found = from_preps(head, named_only=True)
    return found


def _recipient(verb: Token, skip: set[int]) -> Token | None:
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ != "ADP" and c.i not in skip and _actorlike(c):
            return c
        if c.dep_ in ("prep", "dative") and _lemma(c) in ("to", "for"):
            for g in c.children:
                if g.dep_ == "pobj" and g.i not in skip and _actorlike(g):
                    return g
    return None


def _is_actorish(tok: Token) -> bool:
    return tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ == "PROPN"


def _object_of(verb: Token, skip: set[int]) -> Token | None:
    skip = skip | {t.i for t in verb.subtree if t.ent_type_ in NOT_ACTOR_ENTS}
    # "gave Tanzania a grant": the recipient, not the thing given.
    has_dobj = any(d.dep_ == "dobj" for d in verb.children)
    for c in verb.children:
        if (
            c.dep_ == "dative"
            and c.i not in skip
            and c.pos_ in ("PROPN", "NOUN", "PRON")
            and has_dobj
        ):
            return c
    for deps in (("dobj",), ("dative",)):
        for c in verb.children:
            if c.dep_ in deps and c.i not in skip:
                return c
    for c in verb.children:
        if c.dep_ == "prep" and _lemma(c) in ("on", "against", "at", "with", "to", "into", "upon"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.i not in skip:
                return obj
    # "called out Iran": the object may hang off the particle or the trigger's object word.
    for c in verb.children:
        if c.i in skip and c.dep_ in ("prt", "dobj"):
            for g in c.children:
                if g.dep_ in ("dobj", "pobj") and g.i not in skip:
                    return g
            for p in c.children:
                if p.dep_ == "prep" and _lemma(p) in ("with", "to", "of"):
                    obj = next((g for g in p.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    return None


def _np_tokens(head: Token) -> tuple[int, int]:
    """The token range of the noun phrase headed by `head` (without relative clauses)."""
    lo, hi = head.i, head.i

    def extend_left(tok: Token) -> None:
        nonlocal lo
        for c in tok.lefts:
            if c.dep_ in ACTOR_LEFT_DEPS:
                lo = min(lo, c.left_edge.i)

    def extend_right(tok: Token) -> None:
        nonlocal hi
        for c in tok.rights:
            if c.dep_ in ACTOR_RIGHT_DEPS or (c.dep_ == "prep" and _lemma(c) == "of"):
                end = c.i
                for t in c.subtree:
                    if t.dep_ in ("relcl", "acl", "punct") and t.head.i < t.i:
                        break
                    end = max(end, t.i)
                hi = max(hi, end)

    extend_left(head)
    extend_right(head)
    doc = head.doc
    sentence = sentence_of(head)
    lo, hi = max(lo, sentence.start), min(hi, sentence.end - 1)
    # Never across a paragraph break (the parser sometimes joins paragraphs).
    for i in range(head.i - 1, lo - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            lo = i + 1
            break
    for i in range(head.i, hi):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i + 1].text:
            hi = i
            break
    while hi > lo and (doc[hi].is_punct or doc[hi].dep_ == "cc"):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ == "cc"):
        lo += 1
    return lo, hi


def _actor(head: Token) -> _Actor:
    doc = head.doc
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        head = head.head.head  # "X, who supports ...": the relative clause's noun
    if head.pos_ == "PRON":
        return _pronoun_actor(head)
    lo, hi = _np_tokens(head)
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    sentence = sentence_of(head)
    # Where the entity is: the head, its apposition ("ambassador Samantha Power"), its
    # possessor ("Assad's military"), its modifiers, its conjuncts, then anything inside.
    order = [head]
    order += [c for c in head.children if c.dep_ == "appos"]
    order += [c for c in head.children if c.dep_ == "poss"]
    order += [c for c in head.children if c.dep_ in ("compound", "amod", "nmod")]
    order += list(head.conjuncts)
    order += [doc[i] for i in range(lo, hi + 1)]
    entity = None
    for tok in order:
        entity = entity_at(doc, tok.idx, tok.idx + len(tok.text))
        if entity is not None:
            break
    # The words cover the whole name the head is part of ("Hand in Hand for Syria").
    ent = _entity_record(doc, entity)
    for m in ent.mentions if ent is not None else ():
        if m.start <= head.idx < m.end and sentence.start_char <= m.start:
            start, end = min(start, m.start), max(end, min(m.end, sentence.end_char))
    actors = lexicon().actors
    generic = actors.get(_lemma(head)) or actors.get(head.lower_)
    # A modifier may say whose forces they are: "rebel forces", "militia fighters".
    for c in head.children:
        mod = actors.get(_lemma(c)) or actors.get(c.lower_)
        if c.dep_ in ("amod", "compound") and mod is not None and mod[1] in ("rebel", "militia"):
            generic = mod
    label, kind = generic if generic is not None else (None, "other")
    own_end = min([c.i for c in head.children if c.dep_ in ("conj", "cc")] + [hi + 1])
    affiliation = _affiliation(doc, entity, doc[lo:own_end])
    if generic is None or kind == "state":
        kind = _entity_kind(doc, entity, doc[lo : hi + 1]) if generic is None else kind
    if affiliation is None and label is not None and kind == "state":
        affiliation = _sentence_country(sentence)
    return _Actor(entity, start, end, doc_text(doc)[start:end], label, affiliation, kind)


def _sentence_country(sent: Span) -> str | None:
    """The one country a sentence's places lie in, for "government forces", "police" with no
    named state ("the army retook Aleppo, Syria" -> SY); None when none or several."""
    doc = sent.doc
    countries = {
        p.country
        for p in doc._.places or []
        if p.country
        and any(sent.start_char <= m.start and m.end <= sent.end_char for m in p.mentions)
    }
    return countries.pop() if len(countries) == 1 else None


def _pronoun_actor(pron: Token) -> _Actor:
    """A pronoun's words, pointing at the entity it most likely stands for: the subject of
    the speech verb it is reported under ("Syria says it will..."), else the nearest entity
    mentioned before it."""
    doc = pron.doc
    entity = None
    cur = pron.head
    for _ in range(4):
        if cur.dep_ in ("ccomp", "xcomp", "conj") and cur.head is not cur:
            cur = cur.head
            subj = _subject(cur)
            if subj is not None and subj.pos_ != "PRON":
                lo, hi = _np_tokens(subj)
                for t in [subj, *doc[lo : hi + 1]]:
                    entity = entity_at(doc, t.idx, t.idx + len(t.text))
                    if entity:
                        break
                break
        else:
            break
    if entity is None and pron.lower_ not in ("i", "we", "you", "me", "us"):
        best = None
        for ent in doc._.entities or []:
            if ent.type not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            for m in ent.mentions:
                if (
                    m.end <= pron.idx
                    and pron.idx - m.end < 600
                    and (best is None or m.end > best[0])
                ):
                    best = (m.end, ent.id)
        entity = best[1] if best else None
    kind = _entity_kind(doc, entity, doc[pron.i : pron.i + 1])
    return _Actor(
        entity,
        pron.idx,
        pron.idx + len(pron.text),
        pron.text,
        None,
        _affiliation(doc, entity, doc[pron.i : pron.i + 1]),
        kind,
    )


def _entity_record(doc: Doc, entity: str | None):
    for ent in doc._.entities or []:
        if ent.id == entity:
            return ent
    return None


def _affiliation(doc: Doc, entity: str | None, span: Span) -> str | None:
    ent = _entity_record(doc, entity)
    if ent is not None and ent.affiliation:
        return ent.affiliation
    try:
        from newsgraph.pipeline.countries import country_code, demonym_country
    except ImportError:  # the country table is another component's; optional here
        return None
    if ent is not None and ent.type == "GPE":
        code = country_code(ent.name)
        if code:
            return code
    for tok in span:
        if tok.pos_ in ("PROPN", "ADJ") or tok.ent_type_ in ("NORP", "GPE"):
            code = demonym_country(tok.text) or (
                country_code(tok.text) if tok.ent_type_ == "GPE" else None
            )
            if code:
                return code
    return None


def _entity_kind(doc: Doc, entity: str | None, span: Span) -> str:
    words = {t.lower_ for t in span}
    ent = _entity_record(doc, entity)
    if words & (REBEL_WORDS - {"army"}) or (
        ent is not None
        and ent.type == "ORG"
        and words & REBEL_WORDS
        and not words & {"national", "government"}
    ):
        return "rebel"
    if words & STATE_WORDS:
        return "state"
    if ent is not None and ent.type in ("GPE",):
        return "state"
    if ent is not None and ent.type == "NORP":
        return "other"
    if ent is not None and ent.type == "PERSON":
        return (
            "state"
            if any(t for t in (ent.titles or []) if set(t.lower().split()) & STATE_WORDS)
            else "other"
        )
    return "other"


# ---------------------------------------------------------------------------------------------
# ACLED


def _classes(
    f: _Found, start: int, end: int, doc: Doc, lex: Lexicon, actor1: _Actor | None
) -> set[str]:
    classes = {f.rule.klass} if f.rule.klass else set()
    span = doc.char_span(start, end, alignment_mode="expand")
    tokens = list(span) if span is not None else [f.token]
    lemmas = [_lemma(t) for t in tokens]
    lowers = [t.lower_ for t in tokens]
    territory = lex.sets["territory"]
    if any(_lemma(o) in lex.sets["weapon"] for o in _objects(f.token)):
        classes.add("weaponobj")  # "destroyed a weapons depot": weapons disrupted
    for i in range(len(tokens)):
        if lemmas[i] in territory:
            classes.add("territory")
        for n in range(1, lex.cue_max + 1):
            if i + n > len(tokens):
                break
            for seq in (tuple(lemmas[i : i + n]), tuple(lowers[i : i + n])):
                cue = lex.cues.get(seq)
                if cue:
                    classes.add(cue)
    if actor1 is not None:
        # The doer's words count too: "the airstrikes that hit a hospital".
        doer = doc.char_span(actor1.start, actor1.end, alignment_mode="expand")
        for tok in doer if doer is not None else ():
            for key in ((_lemma(tok),), (tok.lower_,)):
                if key in lex.cues:
                    classes.add(lex.cues[key])
        if actor1.kind == "protester":
            classes.add("protester")
    return classes


def _acled(ptype: str, classes: set[str], actor1: _Actor | None, lex: Lexicon) -> str | None:
    kind = actor1.kind if actor1 is not None else "unknown"
    for rule in lex.acled:
        if ptype not in rule.types:
            continue
        ok = True
        for cond in rule.conditions:
            neg = cond.startswith("!")
            what, _, value = cond.lstrip("!").partition(":")
            hit = value in classes if what == "c" else kind == value
            if hit == neg:
                ok = False
                break
        if ok:
            return rule.label
    return None


# ---------------------------------------------------------------------------------------------
# Place and time


def _nearest(items: list[tuple[int, int, object]], pos: int) -> object | None:
    if not items:
        return None
    return min(items, key=lambda x: min(abs(x[0] - pos), abs(x[1] - pos)))[2]


def _place(doc: Doc, sent: Span, start: int, end: int, tok: Token) -> str | None:
    spans = [(m.start, m.end, p.id) for p in (doc._.places or []) for m in p.mentions]
    for lo, hi in ((start, end), (sent.start_char, sent.end_char)):
        inside = [s for s in spans if s[0] >= lo and s[1] <= hi]
        if inside:
            return _nearest(inside, tok.idx)  # type: ignore[return-value]
    return None


def _time(doc: Doc, sent: Span, start: int, end: int, tok: Token) -> str | None:
    times = [t for t in (doc._.times or []) if t.type in ("DATE", "TIME")]
    for lo, hi in ((start, end), (sent.start_char, sent.end_char)):
        inside = [(t.start, t.end, t.value) for t in times if t.start >= lo and t.end <= hi]
        if inside:
            return _nearest(inside, tok.idx)  # type: ignore[return-value]
    verb = _clause_head(tok)
    published = doc._.published
    present = verb.tag_ in ("VBZ", "VBP") or (
        verb.tag_ == "VBG"
        and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
    )
    if published and present:
        return str(published)[:10]
    if verb.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in verb.children):
        # A past-tense report with no date of its own: the date the paragraph last gave
        # ("On December 13th, ... gathered. Power called out Iran ...").
        para_start = doc_text(doc).rfind("\n\n", 0, sent.start_char) + 1
        before = [t for t in times if para_start <= t.start and t.end <= sent.start_char]
        if before:
            return max(before, key=lambda t: t.start).value
    return None
