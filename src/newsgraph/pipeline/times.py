"""The `times` component: TIMEX3 expressions, normalized against the publication date.

Writes `doc._.times` (a list of record.Time). Expressions are found by our own grammar of
compiled regular expressions over the text (built once per process from the word lists in
`data/times/lexicon.json`); the base model's DATE/TIME entities confirm ambiguous candidates
(a bare "May", a bare four-digit number) and the dependency parse gives the tense that decides
which "Friday" or which "April" is meant. Values follow TimeML/TIMEX3:

    DATE      2016-12-13, 2016-W50, 2016-12, 2016-Q4, 2016-SU, 2016, 199 (1990s), 19 (20th c.),
              PAST_REF / PRESENT_REF / FUTURE_REF, XXXX-12-13 when the year cannot be known
    TIME      2016-12-16TMO, 2016-12-16T15:00
    DURATION  P3D, P10Y, PT5H30M, PXY (an unspecified number of years)
    SET       P1W ("every week"), XXXX-WXX-2 ("Tuesdays")

Without a publication date nothing relative is resolved: what the text says is kept
("XXXX-12-13", "XXXX-WXX-5") and no year is invented.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.pipeline.doc_cache import doc_text, token_starts
from newsgraph.record import Time

DATA = Path(__file__).resolve().parent / "data" / "times" / "lexicon.json"

__all__ = ["TimeComponent", "find_times"]


# ---------------------------------------------------------------------------------------
# Lexicon and grammar, built once per process
# ---------------------------------------------------------------------------------------


@functools.cache
def lexicon() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _alt(words, capital: bool = False) -> str:
    """An alternation, longest first; `capital` requires an initial capital (month names)."""
    ws = sorted(set(words), key=len, reverse=True)
    if capital:
        return "(?:" + "|".join(rf"(?-i:{w[0].upper()}){re.escape(w[1:])}" for w in ws) + ")"
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ws) + ")"


@dataclass
class Rule:
    name: str
    regex: re.Pattern[str]
    # (type, value), or (type, value, start) when the span starts later than the match.
    handler: Callable[[re.Match[str], Context], tuple[Any, ...] | None]
    anchors: frozenset[str]


@dataclass
class Context:
    doc: Doc | None
    dct: date | None
    text: str
    last_quarter: tuple[int, int] | None = None
    last_quarter_at: int = -(10**9)
    match_start: int = 0
    match_end: int = 0
    quarters: dict[tuple[int, int], int] = field(default_factory=dict)
    # The story's own reference points, for "that year", "the next day": the last day and
    # the last year the text named.
    last_day: date | None = None
    last_year: int | None = None
    last_month: tuple[int, int] | None = None
    last_month_end: int = 0
    last_weekday: tuple[date, int] | None = None  # its date, and where its match ended
    model_dates: list[tuple[int, int]] | None = None  # the model's DATE/TIME entities
    # Where weekdays were written bare ("on Friday"), resolved from the tense alone.
    bare_weekdays: set[int] = field(default_factory=set)


# ---------------------------------------------------------------------------------------
# Date arithmetic and formatting
# ---------------------------------------------------------------------------------------


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y = d.year + m // 12
    return date(y, m % 12 + 1, 1)


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _shift_quarter(y: int, q: int, n: int) -> tuple[int, int]:
    k = y * 4 + (q - 1) + n
    return k // 4, k % 4 + 1


def _shift(dct: date, n: int, unit: str) -> str:
    """The value `n` units away from the DCT, at the unit's granularity."""
    if unit == "D":
        return (dct + timedelta(days=n)).isoformat()
    if unit in ("W", "WE"):
        return _week(dct + timedelta(weeks=n)) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return _add_months(dct, n).strftime("%Y-%m")
    if unit == "Q":
        y, q = _shift_quarter(*_quarter(dct), n)
        return f"{y}-Q{q}"
    if unit == "Y":
        return str(dct.year + n)
    if unit == "10Y":
        return str((dct.year + 10 * n) // 10)
    if unit == "100Y":
        return f"{(dct.year + 100 * n) // 100:02d}"
    if unit in ("H", "MIN", "S"):
        return dct.isoformat()
    return str(dct.year + n)


_UNKNOWN = {
    "D": "XXXX-XX-XX",
    "W": "XXXX-WXX",
    "WE": "XXXX-WXX-WE",
    "M": "XXXX-XX",
    "Q": "XXXX-QX",
    "Y": "XXXX",
}


def _duration(n: float | None, unit: str) -> str:
    """P3D, PT5H30M, P2Y6M, P10Y (decade), PXY (unspecified)."""
    time_unit = unit in ("H", "MIN", "S")
    code = {"MIN": "M"}.get(unit, unit)
    prefix = "PT" if time_unit else "P"
    if n is None:
        if code.endswith("0Y"):
            return "P" + {"10Y": "XE", "100Y": "XC", "1000Y": "XL"}[code]
        return prefix + "X" + code
    mult = 1
    if code in ("10Y", "100Y", "1000Y"):
        mult, code = int(code[:-1]), "Y"
    if code == "2W":
        mult, code = 2, "W"
    if code == "WE":
        return f"P{n:g}WE"
    n = n * mult
    if n != int(n):
        whole = int(n)
        frac = n - whole
        sub = {
            "Y": (12, "M"),
            "M": (30, "D"),
            "W": (7, "D"),
            "D": (24, "H"),
            "H": (60, "M"),
            "MIN": (60, "S"),
        }
        key = "MIN" if unit == "MIN" else code
        if key in sub:
            k, c2 = sub[key]
            second = f"{round(frac * k)}{c2}"
            if code == "D":
                return f"P{whole}DT{second}" if whole else f"PT{second}"
            return f"{prefix}{whole}{code}{second}" if whole else f"{prefix}{second}"
    return f"{prefix}{int(n)}{code}"


# ---------------------------------------------------------------------------------------
# Tense from the parse
# ---------------------------------------------------------------------------------------

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would"}
# Present modals before a bare verb point ahead as well; "could" is as often a past.
_MODALS = {"may", "might", "can", "ca", "should", "must"}
# Verbs whose complement lies ahead even in the past tense ("planned to leave on Thursday").
_FUTURE_VERBS = {
    "plan",
    "schedule",
    "set",
    "expect",
    "due",
    "intend",
    "hope",
    "aim",
    "prepare",
    "propose",
    "want",
    "promise",
    "threaten",
    "vow",
    "pledge",
    "postpone",
    "delay",
    "adjourn",
    "likely",
}
# Adjectives whose infinitive lies ahead ("ready to sign", "poised to win").
_FUTURE_ADJ = {"ready", "poised", "about", "eager", "certain", "sure", "unlikely", "bound"}


# Conjunctions that open a clause of time ("when the talks ended", "as soon as it opened").
_TIME_CLAUSE_MARKS = {"when", "whenever", "as", "once", "after", "before", "until", "till"}
_MARKS = ("mark", "advmod")


def _tense(ctx: Context, char: int) -> str | None:
    """past / future / present for the verb governing the token at `char`, or None."""
    doc = ctx.doc
    if doc is None or not len(doc):
        return None
    i = max(0, bisect.bisect_right(token_starts(doc), char) - 1)
    tok = doc[i]
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod",):
            return _verb_tense(tok)
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _verb_tense(tok: Any, depth: int = 0) -> str | None:
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or tok.lower_ in ("will", "'ll", "shall"):
        return "future"
    if words & _MODALS and tok.tag_ == "VB" and "have" not in words:
        return "future"  # "may vote in November" (not "may have voted")
    if tok.lemma_ in ("plan", "schedule", "postpone"):
        return "future"
    if tok.tag_ == "VB" and "to" in words:
        # An infinitive takes its time from the verb it complements ("was due to expire").
        head = tok.head
        if depth < 3 and head.i != tok.i and head.pos_ in ("VERB", "AUX", "ADJ"):
            head_aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if "had" in head_aux:
                return "past"  # "had been scheduled to expire Friday"
            if head.pos_ == "ADJ":
                # "was able to", "made it difficult to": the adjective's verb gives the time;
                # "due to", "likely to" look ahead unless that verb is a past perfect.
                verb = head.head
                if verb.i == head.i or verb.pos_ not in ("VERB", "AUX"):
                    return "future"
                verb_aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
                if "had" in verb_aux:
                    return "past"  # "had been due to expire Friday"
                if head.lemma_ in _FUTURE_VERBS or head.lemma_ in _FUTURE_ADJ:
                    return "future"
                return _verb_tense(verb, depth + 1) or "future"
            if head.lemma_ not in _FUTURE_VERBS and _verb_tense(head, depth + 1) == "past":
                return "past"
        return "future"
    if tok.tag_ == "VBG" and "going" in words:
        return "future"
    if (
        tok.tag_ in ("VBD", "VBN")
        and tok.dep_ == "advcl"
        and depth < 3
        and any(c.lower_ in _TIME_CLAUSE_MARKS for c in tok.children if c.dep_ in _MARKS)
    ):
        # A clause of time takes the tense of the clause it modifies, which a report may
        # have shifted back: "they would leave as soon as the talks ended Friday".
        head = tok.head
        if head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head  # "as soon as": the clause hangs on "soon"
        if (
            head.i != tok.i
            and head.pos_ in ("VERB", "AUX")
            and _verb_tense(head, depth + 1) == "future"
        ):
            return "future"
    if tok.tag_ == "VBD" and any(c.lower_ == "if" and c.dep_ == "mark" for c in tok.children):
        return None  # "if he won the election on Nov. 8": a supposition, not a past
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if tok.tag_ == "VBN" and (words & {"has", "have", "'ve", "'s", "had", "having"} or not auxes):
        return "past"
    if tok.tag_ == "VBG" and words & {"is", "are", "'re", "'m", "am"}:
        return "future"
    if tok.tag_ == "VBP" and any(
        c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in tok.children
    ):
        # A singular noun cannot take a plural present: "Weakness hurt stocks on Friday" is
        # a past tense the tagger read as present (hurt, cut, set, put, hit, ...).
        return "past"
    if tok.tag_ in ("VBZ", "VBP"):
        return "present"
    if tok.tag_ == "VBG" and words & {"has", "have", "'ve", "had"}:
        return "past"  # "have been searching since ...": begun in the past
    if (
        tok.tag_ == "VBG"
        and not auxes
        and depth < 3
        and tok.dep_ in ("advcl", "conj", "xcomp", "pcomp")
    ):
        # A bare participle clause shares its verb's time ("has fluctuated, rising ... in
        # March"; "quit giving speeches before announcing her run in April").
        head = tok.head
        if tok.dep_ == "pcomp" and head.head.i != head.i:
            head = head.head  # past the preposition
        if head.i != tok.i and head.pos_ in ("VERB", "AUX"):
            return _verb_tense(head, depth + 1) or "progressive"
    if tok.tag_ == "VBG":
        return "progressive"
    return None


# ---------------------------------------------------------------------------------------
# Resolution helpers
# ---------------------------------------------------------------------------------------


_AHEAD_WORDS = re.compile(
    r"\b(?:effective|expires?|expiring|due|scheduled\s+for|set\s+for)\s+(?:on\s+|in\s+)?$"
)


def _year_for(ctx: Context, month: int, day: int | None, char: int) -> int:
    """The year of a month (and day) written without one: the nearest such date, the window
    leaning back for a verb in the past tense and forward for one in the future."""
    dct = ctx.dct
    assert dct is not None
    before = ctx.text[max(0, char - 24) : char].lower()
    if _AHEAD_WORDS.search(before):
        tense = "future"  # "a pact effective June 1", "loans through January"
    elif re.search(r"\bsince\s+(?:the\s+)?$", before):
        tense = "past"
    else:
        tense = _tense(ctx, char)
    back, ahead = {"past": (11, 2), "future": (3, 9)}.get(tense or "", (6, 6))
    for year in (dct.year, dct.year - 1, dct.year + 1):
        months = (year - dct.year) * 12 + (month - dct.month)
        offset = months + (day - dct.day) / 31 if day is not None else months
        if -back <= offset <= ahead:
            return year
    return dct.year


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def back_date(dct: date, delta: int) -> date:
    return dct + timedelta(days=delta - 7 if delta > 0 else delta)


def _past_perfect(ctx: Context, char: int) -> bool:
    """Is the verb governing the token at `char` a past perfect ("had not called")?"""
    doc = ctx.doc
    if doc is None or not len(doc):
        return False
    tok = doc[max(0, bisect.bisect_right(token_starts(doc), char) - 1)]
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            return tok.tag_ == "VBN" and any(
                c.lower_ in ("had", "'d") and c.dep_ in ("aux", "auxpass") for c in tok.children
            )
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _weekday_date(ctx: Context, wd: int, char: int, direction: str | None) -> date:
    dct = ctx.dct
    assert dct is not None
    delta = wd - dct.isoweekday()
    if direction == "last":
        return dct + timedelta(days=(delta - 7) if delta >= 0 else delta)
    if direction == "next":
        return dct + timedelta(days=(delta + 7) if delta <= 0 else delta)
    if direction == "this":
        return dct + timedelta(days=delta)
    if delta == 0:
        return dct
    # "Wednesday's ruling": a possessive weekday names something that has happened.
    possessive = (
        ctx.text.startswith("'s", char + len(_WEEKDAY_NAMES[wd - 1])) if char >= 0 else False
    )
    before = ctx.text[max(0, char - 16) : char].lower()
    if possessive:
        return back_date(dct, delta)
    until = re.search(
        r"\b(until|till|as soon as|as early as|as late as|starting|beginning)\s+(?:on\s+)?$", before
    )
    if until and until.group(1) in ("until", "till") and _past_perfect(ctx, char):
        tense = "past"  # "Until Thursday, they had not called him a suspect."
    elif until:
        tense = "future"
    elif re.search(r"\bsince\s+$", before):
        tense = "past"
    else:
        tense = _tense(ctx, char)
    back = dct + timedelta(days=delta - 7 if delta > 0 else delta)
    ahead = dct + timedelta(days=delta + 7 if delta < 0 else delta)
    if tense == "future" or (tense == "present" and not possessive):
        return ahead  # "the talks resume Monday": a simple present names what is scheduled
    return back


def _season_year(ctx: Context, code: str, shift: int, char: int) -> int:
    dct = ctx.dct
    assert dct is not None
    first, last = lexicon()["season_months"][code]
    months = list(range(first, last + 1)) if first <= last else [12, 1, 2]
    current = dct.month in months
    year = dct.year - (1 if code == "WI" and dct.month <= 2 else 0)
    if shift == 0:
        if current:
            return year
        tense = _tense(ctx, char)
        started = dct.month > max(months) if code != "WI" else False
        if tense == "past" and not started:
            return year - 1
        if tense == "future" and started:
            return year + 1
        return year
    if shift < 0:
        if current or dct.month < min(months) or code == "WI":
            return year - 1
        return year
    # next
    if current or dct.month > max(months):
        return year + 1
    return year


def _num(text: str | None) -> float | None:
    """The value of a number written in digits or words; None for vague (few, several)."""
    if text is None:
        return None
    t = re.sub(r"\s+", " ", text.lower().strip())
    lex = lexicon()
    if t in lex["numbers"]:
        return float(lex["numbers"][t])
    if t in lex["vague_numbers"]:
        return None
    m = re.fullmatch(r"(\d+)(?: (\d)/(\d))?", t.replace(",", ""))
    if m:
        v = float(m.group(1))
        if m.group(2):
            v += int(m.group(2)) / int(m.group(3))
        return v
    try:
        return float(t.replace(",", ""))
    except ValueError:
        pass
    if t.endswith(" and a half"):
        base = _num(t[: -len(" and a half")])
        return None if base is None else base + 0.5
    total = 0.0
    for part in re.split(r"[- ]", t):
        if part in ("and",):
            continue
        v = lex["numbers"].get(part)
        if v is None:
            return None
        if v in (100.0, 1000.0) and total:
            total *= v
        else:
            total += v
    return total


# ---------------------------------------------------------------------------------------
# The grammar
# ---------------------------------------------------------------------------------------


@functools.cache
def grammar() -> list[Rule]:
    lex = lexicon()
    months = lex["months"]
    full_months = [m for m in months if len(m) > 3 or m == "may"]
    abbr = [m for m in months if len(m) <= 4 and m not in ("june", "july", "may")]
    # "Dec." or "Dec 13"; full names stand alone; "May"/"March" alone are checked later.
    MONTH = (
        "(?P<month>"
        + _alt(full_months, capital=True)
        + "|"
        + _alt(abbr, capital=True)
        + r"(?:\.(?!\w)|\.(?=\d)|(?=\s+\d))"
        + ")"
    )
    WD = "(?P<wd>" + _alt([w for w in lex["weekdays"] if len(w) > 4], capital=True) + ")"
    DAY = (
        r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d,]\d)"
        r"(?!\s*(?:%|percent|million|billion|[ap]\.?m\b))"
    )
    ORD_DAY = "(?P<oday>" + _alt([*lex["ordinals"], "thirty-first"]) + ")"
    YEAR = r"(?P<year>(?<![\$\d.,])(?:1[0-9]|20)\d\d(?!\d|,\d|\.\d|\s*%|\s+percent))"
    NUMWORD = _alt([k for k in lex["numbers"] if k not in ("a", "an", "both", "single")])
    TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
    NUM = (
        r"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|"
        + TENS
        + r"(?:[- ]"
        + ONES
        + r")?|"
        + NUMWORD
        + r"(?:\s+and\s+a\s+half)?|a|an|"
        + _alt(lex["vague_numbers"])
        + ")"
    )
    UNIT = r"(?P<unit>" + _alt([u for u in lex["units"] if u not in ("night", "nights")]) + r")\b"
    SPOKEN_YEAR = (
        r"(?P<syear>(?:nineteen|eighteen)[- ](?:hundred|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|"
        + TENS
        + r"(?:[- ]"
        + ONES
        + r")?|oh[- ]"
        + ONES
        + r")"
        r"|two[- ]thousand(?:[- ](?:and[- ])?(?:"
        + ONES
        + r"|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|" + TENS + r"(?:[- ]" + ONES + r")?))?)"
    )
    # Which modifiers a span takes follows the annotation of TimeBank and AQUAINT together:
    # "nearly", "at least", "more than" in; "about", "almost", "over", "within" out.
    APPROX = r"(?:around|approximately|roughly|nearly|circa)"
    QMOD = (
        r"(?:at\s+least|at\s+most|nearly|roughly|approximately|around|more\s+than|less\s+than|"
        r"fewer\s+than|no\s+more\s+than|no\s+less\s+than|not\s+more\s+than|under|up\s+to|"
        r"close\s+to|upwards\s+of|in\s+excess\s+of)"
    )
    POS = (
        r"(?P<pos>(?:the\s+)?(?:very\s+)?(?:early|earlier|late|later|mid|middle|end|beginning|start|close|"
        r"turn|rest|remainder|balance|first\s+half|second\s+half|last\s+half|latter\s+half|"
        r"first\s+part|latter\s+part|last\s+part|good\s+part|better\s+part)"
        r"(?:\s+(?:of|in))?(?:\s+|-))"
    )
    DET_REL = (
        r"(?P<rel>this\s+past|this\s+coming|this|that|these|last|next|past|coming|previous|current|present|"
        r"the\s+(?:past|last|next|current|coming|previous|following|same|latest|full|whole|entire|prior|"
        r"preceding|ensuing|present)|the|its|their|the\s+fiscal|its\s+fiscal)"
    )
    TZ = (
        r"(?:\s+(?:[ECMP][SD]T|GMT|UTC|BST|CET|local\s+time|Eastern|Pacific|Central|Mountain)\b"
        r"(?:\s+time)?)?"
    )
    PART = _alt(list(lex["parts_of_day"]))
    HOLIDAY = (
        "(?P<hol>"
        + "|".join(
            r"(?-i:" + re.escape(h.title()).replace(r"\ ", r"\s+").replace("'S", "'s") + r")"
            for h in sorted(lex["holidays"], key=len, reverse=True)
        )
        + ")"
    )

    IC = re.I
    R: list[Rule] = []

    def add(name: str, pattern: str, handler) -> None:
        R.append(Rule(name, re.compile(pattern, IC), handler, frozenset(ANCHORS[name])))

    # Each rule runs only near its anchor words (words it cannot match without), found in one
    # pass over the text's words, which keeps the grammar a small fraction of the parse.
    units = list(lex["units"])
    weekdays = list(lex["weekdays"])
    ANCHORS = {
        "clock": [
            "noon",
            "midnight",
            "midday",
            "clock",
            "morning",
            "afternoon",
            "evening",
            "<clock>",
        ],
        "iso": ["<iso>"],
        "numeric": ["<slash>"],
        "mdy": list(months),
        "dmy": list(months),
        "my": list(months),
        "month": list(months),
        "year": ["<year>", "nineteen", "eighteen", "thousand"],
        "decade": [
            "<decade>",
            "twenties",
            "thirties",
            "forties",
            "fifties",
            "sixties",
            "seventies",
            "eighties",
            "nineties",
        ],
        "century": ["century", "centuries"],
        "quarter": ["quarter", "quarters"],
        "qcode": ["q"],
        "half": ["half", "quarters"],
        "period": ["period", "winter", "summer", "spring", "fall", "autumn"],
        "ago": ["ago", "earlier", "now", "hence"],
        "duration": units,
        "vague_plural": [
            "years",
            "months",
            "weeks",
            "days",
            "decades",
            "centuries",
            "hours",
            "minutes",
            "long",
        ],
        "set": ["every", "each", "per"],
        "set_adv": list(lex["sets"]),
        "set_plural_wd": [w + "s" for w in weekdays],
        "weekday": weekdays,
        "holiday": sorted({h.split()[0].split("'")[0] for h in lex["holidays"]}),
        "dayword": ["today", "tonight", "tomorrow", "yesterday"],
        "daypart": ["morning", "afternoon", "evening", "night"],
        "overnight": ["overnight", "mid", "midafternoon", "midmorning"],
        "relunit": [
            "week",
            "weekend",
            "month",
            "year",
            "decade",
            "century",
            "spring",
            "summer",
            "fall",
            "autumn",
            "winter",
        ],
        "yearend": ["end"],
        "yearago": ["ago", "earlier"],
        "anaday": ["day", "morning", "afternoon", "evening", "night"],
        "weekof": ["week"],
        "ref": [
            "now",
            "current",
            "currently",
            "days",
            "nowadays",
            "present",
            "presently",
            "recent",
            "recently",
            "lately",
            "past",
            "future",
            "term",
            "formerly",
            "times",
            "possible",
            "date",
            "while",
        ],
    }

    # Clock times, with an optional day ("10 p.m. Wednesday", "noon Saturday").
    DAYREF = (
        r"(?:,?\s+(?:on\s+)?(?:(?P<tdayword>today|tonight|tomorrow|yesterday)|(?P<twd>"
        + _alt([w for w in lex["weekdays"] if len(w) > 4], capital=True)
        + r")|(?P<tmonth>"
        + _alt(full_months, capital=True)
        + "|"
        + _alt(abbr, capital=True)
        + r"\.)\s+(?P<tmday>[0-3]?\d)\b(?:,?\s+(?P<tyear>(?:1[89]|20)\d\d)\b)?))?"
    )
    add(
        "clock",
        r"\b(?:"
        + APPROX
        + r"\s+)?(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)"
        r"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?!\d|:\d)(?!\s*(?:%|percent))"
        r"|(?P<noon>noon|midnight|midday)|(?P<h2>[01]?\d|" + ONES + r"|ten|eleven|twelve)\s+o'clock"
        r"|(?P<h3>[01]?\d|"
        + ONES
        + r"|ten|eleven|twelve)\s+in\s+the\s+(?P<h3p>morning|afternoon|evening))"
        + TZ
        + DAYREF,
        _clock,
    )
    # ISO and numeric dates.
    add(
        "iso", r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>\d\d):(?P<mm>\d\d))?\b", _iso
    )
    add("numeric", r"(?<![\d/])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{4}|\d\d)(?![\d/])", _numeric)
    # Month + day (+ year), optionally after a weekday; day + month (+ year).
    WDPRE = (
        r"(?:(?P<pwd>"
        + _alt([w for w in lex["weekdays"] if len(w) > 4], capital=True)
        + r"),?\s+(?:the\s+)?)?"
    )
    add(
        "mdy",
        r"\b(?:"
        + APPROX
        + r"\s+)?(?:(?P<mrel>this\s+coming|this\s+past|this|last|next)\s+)?"
        + WDPRE
        + MONTH
        + r"(?:\.(?=\d))?\s*(?:"  # "Sept.11", the space left out
        + DAY
        + "|"
        + ORD_DAY
        + r"\b)"
        r"(?:,?\s+(?:" + YEAR + "|" + SPOKEN_YEAR + r"))?",
        _mdy,
    )
    add(
        "dmy",
        r"\b"
        + WDPRE
        + r"(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + MONTH
        + r"(?:,?\s+"
        + YEAR
        + r")?",
        _mdy,
    )
    # Month + year, month (+ this/last/next year).
    add(
        "my",
        r"\b(?:"
        + POS
        + r"\s*)?"
        + MONTH
        + r",?\s+(?:of\s+)?(?:"
        + YEAR
        + "|"
        + SPOKEN_YEAR
        + r"|(?P<yrel>this|last|next)\s+year)\b",
        _month_year,
    )
    add(
        "month",
        r"\b(?:"
        + POS
        + r"\s*)?(?:(?P<mrel>this\s+past|this\s+coming|this|last|next|each|every)\s+)?"
        + MONTH
        + r"(?![\w-])",
        _month,
    )
    # Years, decades, centuries.
    add(
        "year",
        r"(?:\b(?P<fy>fiscal|calendar|the\s+year|model)\s+|\b"
        + POS
        + r"\s*|\b(?:"
        + APPROX
        + r"|post|pre)[- ]?)?"
        + r"(?:"
        + YEAR
        + r"|(?:(?<=\bthe\syear\s)|(?<=\bin\s)|(?<=\bof\s)|(?<=\bsince\s))"
        + SPOKEN_YEAR
        + r"|(?P<syear19>nineteen[- ]"
        + TENS
        + r"[- ]"
        + ONES
        + r")(?!\s+(?:years?|dollars|people|percent|million|billion|times)\b)"
        + ")"
        + r"(?!-\d)(?:\s+(?P<beyond>and\s+beyond|or\s+later|or\s+earlier))?",
        _year,
    )
    add(
        "decade",
        r"\b(?:the\s+)?(?:"
        + POS
        + r"\s*)?(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<dec2>\d0)'?s|(?P<decw>twenties|thirties|"
        r"forties|fifties|sixties|seventies|eighties|nineties))\b",
        _decade,
    )
    add(
        "century",
        r"\b(?:the\s+)?(?:"
        + POS
        + r"\s*)?(?:(?P<cn>\d{1,2})(?:st|nd|rd|th)|(?P<cw>"
        + _alt(list(lex["ordinals"]))
        + r"))[- ]century\b",
        _century,
    )
    # Quarters and halves ("the third quarter of 1990", "the year-ago quarter", "Q3").
    QPRE = (
        r"(?P<qpre>(?:(?:the|its|their|a|an|this|that|last|next|past|year-ago|year-earlier|comparable|"
        r"corresponding|same|latest|recent|current|fiscal|calendar|flat|strong|weak|disappointing|record|"
        r"(?:19|20)\d\d|this\s+year's|last\s+year's|next\s+year's|year's|company's|firm's|bank's|"
        r"final)[- ]+)*)"
    )
    add(
        "quarter",
        r"\b"
        + QPRE
        + r"(?:(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|"
        r"next|previous|prior|same|recent)[- ](?:fiscal[- ])?|(?P<qonly>))"
        r"(?P<qnoun>quarters?)\b(?!-|\s+(?:of\s+(?:a|an|the|one|its|their|his|her)\b|point|percent))"
        r"(?:\s+of\s+(?:fiscal\s+)?(?:" + YEAR + r"|(?P<qyrel>this|last|next)\s+year))?"
        r"(?:\s+(?P<qago>a\s+year\s+(?:ago|earlier)|last\s+year|this\s+year|next\s+year))?",
        _quarter_rule,
    )
    add("qcode", r"\b(?P<qn>Q[1-4])(?:\s+(?:of\s+)?" + YEAR + r")?\b", _qcode)
    add(
        "half",
        r"\b(?:the\s+)?(?:(?P<half>first|second|last|latter)[- ]half"
        r"|(?P<half2>first|last)\s+two\s+quarters)"
        r"(?:\s+of\s+(?:fiscal\s+)?(?:" + YEAR + r"|(?P<hrel>this|last|next|the)\s+year))?\b",
        _half,
    )
    # Periods of a report and seasons of a year: "the 1988 period", "the latest period",
    # "the same period last year", "the winter of 1994", "the early summer".
    add(
        "period",
        r"\b(?:(?P<pdet>the)\s+(?:(?P<pyear>(?:19|20)\d\d)|(?P<plate>latest|current|comparable|"
        r"corresponding|same|year-ago|year-earlier|prior-year|year-before))\s+period\b"
        r"(?:\s+(?:of\s+|in\s+)?(?P<pago>last\s+year|a\s+year\s+(?:ago|earlier)))?"
        r"|(?:(?P<sdet>the)\s+)?(?:(?P<spos>early|late|mid)[- ])?"
        r"(?P<season>spring|summer|fall|autumn|winter)"
        r"(?:\s+of\s+(?:" + YEAR + "|" + SPOKEN_YEAR + r"))?\b)",
        _period,
    )
    # Durations and "N units ago".
    DUR = (
        r"\b(?P<dpre>(?:(?:the|its|their|his|her|our|a|an|this|that|these|those)\s+)?(?:(?:past|last|next|first|final|latest|"
        r"previous|coming|following|remaining|initial|additional|prior|ensuing|preceding|full|entire|whole|same|"
        r"recent|other)\s+)*)"
        r"(?:(?P<qmod>"
        + QMOD
        + r")\s+)?(?P<n>"
        + NUM
        + r")(?:\s+(?:to|or|-)\s+(?P<n2>"
        + NUM
        + r"))?"
        r"(?:\s+(?:more|additional|straight|consecutive|full|trading|business|calendar|working|long|"
        r"extra|further|short))?[- ]"
        + UNIT
        + r"(?P<half>\s+and\s+a\s+half)?(?:[- ](?P<dsuf>long|old|plus))?"
    )
    add(
        "ago",
        DUR + r"(?:\s+or\s+so)?\s+(?P<ago>ago|earlier|from\s+now|hence)\b",
        _ago,
    )
    add(
        "duration",
        DUR + r"(?:\s+(?P<period>periods?|spans?|stretch(?:es)?|terms?|windows?)\b)?"
        r"(?:\s+(?P<orso>or\s+so|or\s+more|or\s+longer))?",
        _dur,
    )
    add(
        "vague_plural",
        r"\b(?:(?P<vdet>the|these|those|its|their)\s+)?(?:(?P<vrel>past|last|next|coming|recent|early|first|ensuing|"
        r"intervening|following|previous|final|few|several|many|some|subsequent|later)\s+)?"
        r"(?P<vunit>years|months|weeks|days|decades|centuries|hours|minutes|"
        r"(?:year|month|week|day|hour)(?=-long))(?P<vlong>-long)?\b"
        r"(?!\s+(?:ago|old|earlier|of\s+(?:the|a|an|his|her|their|its)\b))",
        _vague_plural,
    )
    # Sets.
    add(
        "set",
        r"\b(?P<every>every|each|per)\s+(?:other\s+|single\s+)?(?:(?P<sn>" + NUM + r")\s+)?"
        r"(?P<sunit>"
        + _alt([u for u in lex["units"]] + list(lex["parts_of_day"]))
        + r"|"
        + WD
        + r"|"
        + MONTH
        + r")\b",
        _set,
    )
    add(
        "set_adv",
        r"\b(?P<adv>" + _alt([k for k in lex["sets"] if k != "annual"]) + r")\b",
        _set_adv,
    )
    add(
        "set_plural_wd",
        r"\b(?:on\s+)?" + WD + r"s(?:\s+(?P<spart>mornings|afternoons|evenings|nights))?\b",
        _set_wd,
    )
    # Weekdays, with part of day, direction words and a possessive.
    add(
        "weekday",
        r"\b(?:(?P<early>early|late|earlier|later)\s+)?(?:(?P<wrel>this\s+past|this\s+coming|this|last|next|past|coming|"
        r"the\s+previous|the\s+following|the\s+next|previous|following)\s+)?"
        + WD
        + r"(?:\s+(?P<wpart>"
        + PART
        + r"))?\b",
        _weekday,
    )
    add(
        "holiday",
        r"\b(?:(?P<hrel>last|next|this)\s+)?"
        + HOLIDAY
        + r"(?:\s+(?:"
        + YEAR
        + r"))?\b(?!\s+(?:Parade|Massacre))",
        _holiday,
    )
    # Relative days and parts of day.
    add(
        "dayword",
        r"\b(?:(?P<pre>earlier|later|late|early|the\s+day\s+before|the\s+day\s+after)\s+)?(?P<dw>today|tonight|"
        r"tomorrow|yesterday)(?!'s\s+(?:[a-z]+\s+)?(?:world|society|youth|people|women|men|kids|standards|market|economy|young|children|"
        r"generation|computers|technology|terms|dollars))(?:\s+(?P<dpart>" + PART + r"))?\b",
        _dayword,
    )
    add(
        "daypart",
        r"\b(?:(?P<pre>earlier|later|early|late)\s+)?(?P<prel>this|last|that|tomorrow|yesterday|early\s+this|"
        r"late\s+this|later\s+this|earlier\s+this)\s+(?P<part>morning|afternoon|evening|night)\b",
        _daypart,
    )
    add(
        "overnight",
        r"\b(?P<ov>overnight|mid[- ]?afternoon|mid[- ]?morning)\b"
        r"(?!\s+(?:trading|session|rate|loans?))"
        r"(?:\s+(?P<ovday>yesterday|today|tomorrow)\b)?",
        _overnight,
    )
    # this/last/next + unit or season.
    add(
        "relunit",
        r"\b(?:(?P<pos2>earlier|later|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
        r"the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of|the\s+first\s+half\s+of|"
        r"the\s+second\s+half\s+of|end\s+of)[- ](?:in\s+)?)?"
        + DET_REL
        + r"\s+(?P<fisc>fiscal\s+|calendar\s+|financial\s+)?(?P<ru>week|weekend|month|year|decade|"
        r"century|spring|summer|fall|autumn|winter)(?!-)\b",
        _relunit,
    )
    add("yearend", r"\b(?:the\s+)?(?P<ye>year[- ]end|year's\s+end|end[- ]of[- ]year)\b", _yearend)
    add(
        "yearago",
        r"\b(?:the\s+)?(?P<ya>year-ago|year-earlier)(?:\s+(?P<ya2>period|quarter|nine\s+months|six\s+months|"
        r"third\s+quarter|second\s+quarter|first\s+quarter|fourth\s+quarter))?\b",
        _yearago,
    )
    # "the week of March 6": the week of a date.
    add(
        "weekof",
        r"\b(?:the\s+)?week\s+of\s+" + MONTH + r"\s*" + DAY + r"(?:,?\s+" + YEAR + ")?",
        _week_of,
    )
    # Days of the story: "that day", "the next morning", "the day after".
    add(
        "anaday",
        r"\b(?:(?P<pre>earlier|later|early|late)\s+(?:in\s+|on\s+)?)?"
        r"(?P<adet>that\s+same|the\s+same|that|the\s+next|the\s+following|the\s+previous|"
        r"the\s+preceding|the)\s+(?P<aunit>day|morning|afternoon|evening|night)\b"
        r"(?P<aafter>\s+(?:before|after)\b)?",
        _anaday,
    )
    # Vague references.
    add(
        "ref",
        r"\b(?P<ref>right\s+now|now|currently|current(?!\s+(?:account|affairs|events|and|assets|liabilities|"
        r"liability|ratio|yield))|these\s+days|nowadays|at\s+present|presently|the\s+present|"
        r"more\s+recently|recently|lately|recent(?=\s+(?:years?|past|times?|history|decades?))|recent|"
        r"the\s+past(?!\s+(?:"
        + NUM
        + r"|few|several|year|month|week|decade|day|quarter|century)\b)|"
        r"the\s+(?:near|distant|foreseeable|immediate)\s+future|the\s+future|in\s+future(?!\s+[a-z])|"
        r"the\s+(?:near|short|long)[- ]term(?![- ])|then[- ]current|formerly|earlier\s+times|"
        r"as\s+soon\s+as\s+possible|a\s+later\s+date|(?<=\bfor\s)a\s+while|future(?=\s+(?:quarters|years|months))|recent\s+years)\b",
        _ref,
    )
    return R


# ---------------------------------------------------------------------------------------
# Handlers: (match, context) -> (type, value) or None to drop the match
# ---------------------------------------------------------------------------------------


def _month_no(name: str) -> int:
    return lexicon()["months"][name.lower().rstrip(".")]


def _clock(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    hour: int
    minute = 0
    lex = lexicon()
    if g["h"] is not None:
        hour = int(g["h"])
        minute = int(g["mi"] or 0)
        ap = g["ap"].lower()[0]
        if hour > 12:
            return None
        if ap == "p" and hour != 12:
            hour += 12
        if ap == "a" and hour == 12:
            hour = 0
    elif g["h24"] is not None:
        hour, minute = int(g["h24"]), int(g["mi24"])
        # "at 10:30" is a time; a bare "3:2" ratio is not (minutes need two digits, already).
    elif g["noon"] is not None:
        hour = {"noon": 12, "midday": 12, "midnight": 24}[g["noon"].lower()]
    else:
        raw = (g["h2"] or g["h3"]).lower()
        hour = int(raw) if raw.isdigit() else int(lex["numbers"].get(raw, 0))
        if g["h3p"] and g["h3p"].lower() in ("afternoon", "evening") and hour < 12:
            hour += 12
    hhmm = f"T{hour:02d}:{minute:02d}"
    day = _clock_day(m, ctx)
    return "TIME", day + hhmm


def _clock_day(m: re.Match[str], ctx: Context) -> str:
    g = m.groupdict()
    if g.get("tyear"):
        return f"{g['tyear']}-{_month_no(g['tmonth']):02d}-{int(g['tmday']):02d}"
    if ctx.dct is None:
        if g.get("tmonth"):
            return f"XXXX-{_month_no(g['tmonth']):02d}-{int(g['tmday']):02d}"
        return "XXXX-XX-XX"
    if g.get("tdayword"):
        off = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[g["tdayword"].lower()]
        return (ctx.dct + timedelta(days=off)).isoformat()
    if g.get("twd"):
        wd = lexicon()["weekdays"][g["twd"].lower()]
        return _weekday_date(ctx, wd, m.start(), None).isoformat()
    if g.get("tmonth"):
        mo, d = _month_no(g["tmonth"]), int(g["tmday"])
        return f"{_year_for(ctx, mo, d, m.start()):04d}-{mo:02d}-{d:02d}"
    # A clock time on a line of its own heads an entry of a live blog, written that day.
    line_start = ctx.text.rfind("\n", 0, m.start()) + 1
    line_end = ctx.text.find("\n", m.end())
    rest = ctx.text[m.end() : line_end if line_end >= 0 else len(ctx.text)]
    if not ctx.text[line_start : m.start()].strip() and not rest.strip():
        return ctx.dct.isoformat()
    # Else it is on the day the story last named, if any.
    return (ctx.last_day or ctx.dct).isoformat()


def _iso(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if m["hh"]:
        return "TIME", f"{y:04d}-{mo:02d}-{d:02d}T{m['hh']}:{m['mm']}"
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"


def _numeric(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    mo, d, y = int(m["m"]), int(m["d"]), int(m["y"])
    if mo > 12 and d <= 12:
        mo, d = d, mo  # day/month/year
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if y < 100:
        y += 1900 if y > 30 else 2000
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"


def _spoken_year(text: str) -> int | None:
    t = text.lower().replace("-", " ")
    words = t.split()
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        v = _num(" ".join(rest)) if rest else 0
        return None if v is None else 2000 + int(v)
    century = _num(words[0])
    if century is None:
        return None
    rest = words[1:]
    if rest == ["hundred"]:
        return int(century) * 100
    if rest and rest[0] == "oh":
        rest = rest[1:]
    v = _num(" ".join(rest))
    return None if v is None else int(century) * 100 + int(v)


def _year_of(m: re.Match[str]) -> int | None:
    g = m.groupdict()
    if g.get("year"):
        return int(g["year"])
    if g.get("syear"):
        return _spoken_year(g["syear"])
    if g.get("syear19"):
        return _spoken_year(g["syear19"])
    return None


def _mdy(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    mo = _month_no(g["month"])
    if g.get("day") is not None:
        d = int(g["day"])
    else:
        d = lexicon()["ordinals"].get(g["oday"].lower().replace(" ", "-"), 0)
    if not 1 <= d <= 31:
        return None
    year = _year_of(m)
    if year is None:
        if g.get("pwd") and ctx.dct is not None:
            # A weekday pins the year: the nearest year in which the date falls on it.
            wd = lexicon()["weekdays"][g["pwd"].lower()]
            for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1):
                try:
                    if date(y, mo, d).isoweekday() == wd:
                        year = y
                        break
                except ValueError:
                    pass
        if year is None:
            if ctx.dct is None:
                return "DATE", f"XXXX-{mo:02d}-{d:02d}"
            year = _year_for(ctx, mo, d, m.start())
    try:
        date(year, mo, d)
    except ValueError:
        return None
    return "DATE", f"{year:04d}-{mo:02d}-{d:02d}"


def _month_year(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    mo = _month_no(m["month"])
    year = _year_of(m)
    if year is None:
        if ctx.dct is None:
            return "DATE", f"XXXX-{mo:02d}"
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["yrel"].lower()]
    return "DATE", f"{year:04d}-{mo:02d}"


def _month(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    name = m["month"]
    mo = _month_no(name)
    rel = (m["mrel"] or "").lower()
    rel = re.sub(r"\s+", " ", rel)
    if rel in ("each", "every"):
        return "SET", f"XXXX-{mo:02d}"
    after = ctx.text[m.end() : m.end() + 9]
    before = ctx.text[max(0, m.start() - 8) : m.start()]
    if (
        name == "March"
        and re.match(r"\s+(?:for|on|against)\b", after)
        and re.search(r"\b(?:the|a|an|annual)\s+$", before)
    ):
        return None  # "the annual March for Life"
    if name in ("May", "March") and not rel and not m["pos"]:
        # "May" is also a modal and "March" a verb: alone, they need a preposition of time
        # before them or the model's word for it.
        before = ctx.text[max(0, m.start() - 10) : m.start()].lower()
        preposition = re.search(
            r"\b(in|since|by|until|till|of|during|through|from|to|before|after)\s+$", before
        )
        if not preposition and not _model_says_date(ctx, m.start("month"), m.end("month")):
            return None
    if ctx.dct is None:
        return "DATE", f"XXXX-{mo:02d}"
    dct = ctx.dct
    if rel == "last":
        # "last February", written in March, is a year ago: last month would be "last month".
        year = dct.year if mo < dct.month - 1 else dct.year - 1
    elif rel == "this past":
        year = dct.year if mo < dct.month else dct.year - 1
    elif rel in ("next", "this coming"):
        year = dct.year if mo > dct.month else dct.year + 1
    elif rel == "this":
        year = dct.year
    elif ctx.last_month is not None and _SEQUENCE.fullmatch(
        ctx.text, ctx.last_month_end, m.start("month")
    ):
        # "ads reserved in December and January": the second month follows the first.
        prev_year, prev_mo = ctx.last_month
        year = prev_year if mo >= prev_mo else prev_year + 1
    else:
        year = _year_for(ctx, mo, None, m.start("month"))
    return "DATE", f"{year:04d}-{mo:02d}"


# What joins two months of one sequence: "December and January", "May through July".
_SEQUENCE = re.compile(r",?\s*(?:and|or|to|through|until|till|-|–)\s*(?:in\s+)?", re.I)


def _model_says_date(ctx: Context, start: int, end: int) -> bool:
    """Does a DATE or TIME entity of the model overlap [start, end)?"""
    if ctx.doc is None:
        return False
    if ctx.model_dates is None:  # built once per text: doc.ents makes a Span per entity
        ctx.model_dates = sorted(
            (e.start_char, e.end_char) for e in ctx.doc.ents if e.label_ in ("DATE", "TIME")
        )
    i = bisect.bisect_left(ctx.model_dates, (end, -1))  # the first entity starting at end
    return i > 0 and ctx.model_dates[i - 1][1] > start


def _year(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    year = _year_of(m)
    if year is None or not 1000 <= year <= 2100:
        return None
    pos = (m["pos"] or "").lower()
    half = re.search(r"(first|second|last|latter)\s+half", pos)
    if half:
        return "DATE", f"{year}-H{1 if half.group(1) == 'first' else 2}"
    if m["year"] and not m["fy"] and not pos:
        # A bare four-digit number: a year only when the context or the model says so.
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        cue = re.search(
            r"\b(in|since|by|of|until|till|from|to|through|before|after|during|early|late|mid|"
            r"year|and|or|between|for|circa|c\.|the|'s|in\s+late|in\s+early)\s*-?$",
            before,
        )
        if not cue and not _model_says_date(ctx, m.start("year"), m.end("year")):
            return None
    return "DATE", str(year)


def _decade(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    if m["dec"]:
        return "DATE", m["dec"][:3]
    words = {
        "twenties": 2,
        "thirties": 3,
        "forties": 4,
        "fifties": 5,
        "sixties": 6,
        "seventies": 7,
        "eighties": 8,
        "nineties": 9,
    }
    digit = int(m["dec2"][0]) if m["dec2"] else words[m["decw"].lower()]
    if ctx.dct is None:
        return "DATE", f"XX{digit}"
    century = ctx.dct.year // 100
    if century * 10 + digit > ctx.dct.year // 10:
        century -= 1
    return "DATE", f"{century}{digit}"


def _century(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    n = int(m["cn"]) if m["cn"] else lexicon()["ordinals"].get(m["cw"].lower())
    if not n:
        return None
    return "DATE", f"{n - 1:02d}"


_QORD = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}


def _saw_quarter(ctx: Context, yq: tuple[int, int], at: int) -> None:
    ctx.last_quarter, ctx.last_quarter_at = yq, at
    # A forecast, or the quarter still running, is not what a report is about.
    if ctx.dct is None or yq < _quarter(ctx.dct):
        ctx.quarters[yq] = ctx.quarters.get(yq, 0) + 1


def _main_quarter(ctx: Context) -> tuple[int, int]:
    """The quarter a report is about: the one it names most ("a year earlier" compares with it)."""
    assert ctx.last_quarter is not None
    if not ctx.quarters:
        return ctx.last_quarter
    # A tie goes to the latest quarter: the one reported on is the last one closed ("a 20%
    # gain in third-quarter net ... after a flat second quarter").
    return max(ctx.quarters, key=lambda k: (ctx.quarters[k], k))


def _reference_quarter(ctx: Context) -> tuple[int, int]:
    """The quarter a bare "the quarter" means: the last one named, else the one before the DCT's."""
    assert ctx.dct is not None
    ended = _ended_date(ctx, ctx.match_end)
    if ended is not None:
        # A fiscal quarter is named by the calendar quarter holding most of it: the one
        # "ended July 31" ran May to July, which is mostly the second quarter.
        return _quarter(ended - timedelta(days=45))
    if ctx.last_quarter and ctx.match_start - ctx.last_quarter_at < 600:
        return ctx.last_quarter
    return _shift_quarter(*_quarter(ctx.dct), -1)


_ENDED = re.compile(
    r"\s+(?:ended|ending|that\s+ended|through)\s+(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<d>[0-3]?\d)\b"
)


def _ended_date(ctx: Context, end: int) -> date | None:
    """The closing date of a period named right after it: "the quarter ended Sept. 30"."""
    m = _ENDED.match(ctx.text, end, end + 30)
    if not m or ctx.dct is None:
        return None
    try:
        mo = _month_no(m["mon"])
        d = int(m["d"])
        year = ctx.dct.year if (mo, d) <= (ctx.dct.month, ctx.dct.day) else ctx.dct.year - 1
        return date(year, mo, d)
    except (KeyError, ValueError):
        return None


def _quarter_rule(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    pre = re.sub(r"\s+", " ", (g["qpre"] or "").lower())
    ordw = (g["qord"] or "").lower()
    plural = g["qnoun"].lower() == "quarters"
    if not ordw and pre.strip() in ("", "a", "an"):
        return None  # "quarter" alone, "a quarter" (a fraction)
    if plural:
        if ordw in _QORD:
            return "SET", f"XXXX-Q{_QORD[ordw]}"
        if re.search(r"\b(next|coming)\b", pre):
            return "DATE", "FUTURE_REF"
        if re.search(r"\b(past|last|recent)\b", pre):
            return "DATE", "PAST_REF"
        return None
    start = m.start()
    lead = re.match(r"((?:(?:the|a|an|its|their|that|this|\w+'s)\s+)+)", m.group(0), re.I)
    if lead and ordw and m.group(0)[m.start("qnoun") - m.start() - 1] == "-":
        start += len(lead.group(1))  # "a third-quarter loss": the adjective alone
    elif lead:
        poss = re.match(r"((?:its|their|\w+'s)\s+)", m.group(0), re.I)
        if poss:
            start += len(poss.group(1))
    if ctx.dct is None:
        q = _QORD.get(ordw)
        year = _year_of(m)
        return "DATE", f"{year or 'XXXX'}-Q{q or 'X'}", start
    dct_y, dct_q = _quarter(ctx.dct)
    ago = (g["qago"] or "").lower()
    yshift = 0
    if re.search(r"year-ago|year-earlier|last year's|comparable|corresponding", pre) or re.match(
        r"a\s+year|last", ago
    ):
        yshift = -1
    elif "next year's" in pre or ago.startswith("next"):
        yshift = 1
    year = _year_of(m)
    if year is None and g.get("qyrel"):
        year = dct_y + {"this": 0, "last": -1, "next": 1}[g["qyrel"].lower()]
    inline = re.search(r"\b((?:19|20)\d\d)\b", pre)
    if year is None and inline:
        year = int(inline.group(1))
    if ordw in _QORD:
        q = _QORD[ordw]
        if year is None:
            year = dct_y + yshift
            # An earnings report names the quarter just ended: "the fourth quarter" in January.
            if (
                yshift == 0
                and q > dct_q
                and not re.search(r"\b(next|coming|this)\b", pre)
                and _tense(ctx, m.start()) == "past"
            ):
                year -= 1
        _saw_quarter(ctx, (year - yshift if not _year_of(m) else year, q), m.start())
        return "DATE", f"{year}-Q{q}", start
    if (
        pre.strip() == "this"
        and not ordw
        and ctx.last_quarter is not None
        and _tense(ctx, m.start()) != "future"
    ):
        y, q = _main_quarter(ctx)  # "This quarter's loss includes ...": the one reported on
    elif ordw in ("current",) or re.search(r"\b(this|current)\b", pre):
        y, q = dct_y, dct_q
    elif ordw in ("next",) or re.search(r"\bnext\b", pre):
        y, q = _shift_quarter(dct_y, dct_q, 1)
    elif (
        ordw in ("last", "previous", "prior")
        or re.search(r"\b(last|previous|past)\b", pre)
        or ((ordw == "latest" or "latest" in pre) and _ended_date(ctx, m.end()) is None)
    ):
        y, q = _shift_quarter(dct_y, dct_q, -1)
    else:
        y, q = _reference_quarter(ctx)
    if year is not None:
        y = year
    if not yshift:
        _saw_quarter(ctx, (y, q), m.start())
    return "DATE", f"{y + yshift}-Q{q}", start


def _qcode(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    q = int(m["qn"][1])
    year = _year_of(m)
    if year is None and ctx.dct is not None:
        year = ctx.dct.year
        if q > _quarter(ctx.dct)[1] and _tense(ctx, m.start()) == "past":
            year -= 1  # "profits fell in Q3", written in the spring: last year's
    return "DATE", f"{year or 'XXXX'}-Q{q}"


def _half(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    h = 1 if (m["half"] or m["half2"]).lower() == "first" else 2
    year = _year_of(m)
    if year is None:
        if not m["hrel"]:
            # "the first half" alone is too often a match or a game.
            return None
        if ctx.dct is None:
            return "DATE", f"XXXX-H{h}"
        year = ctx.dct.year + {"this": 0, "the": 0, "last": -1, "next": 1}[m["hrel"].lower()]
    return "DATE", f"{year}-H{h}"


def _period(m: re.Match[str], ctx: Context) -> tuple[Any, ...] | None:
    g = m.groupdict()
    if g["season"]:
        code = lexicon()["seasons"][g["season"].lower()]
        year = _year_of(m)
        if year is not None:
            return "DATE", f"{year}-{code}"
        if not (g["sdet"] and g["spos"]):
            return None  # "summer" and "the summer" alone: the relunit rule's reading
        if ctx.dct is None:
            return "DATE", f"XXXX-{code}"
        return "DATE", f"{_season_year(ctx, code, 0, m.start())}-{code}"
    # A report's period is the quarter it reports on, once a quarter has been named.
    if ctx.last_quarter is None or ctx.dct is None:
        if g["pyear"] and not g["pago"]:
            return "DATE", g["pyear"], m.start("pyear"), m.end("pyear")
        return None
    y, q = _main_quarter(ctx)
    late = (g["plate"] or "").lower()
    if g["pyear"]:
        y = int(g["pyear"])
    elif g["pago"] or late in ("year-ago", "year-earlier", "prior-year", "year-before"):
        y -= 1
    elif late in ("comparable", "corresponding", "same"):
        return None
    if _long_period_compared(ctx, m.start()):
        return "DATE", str(y)  # "In the first nine months, ... in the 1988 period"
    return "DATE", f"{y}-Q{q}"


def _unit_code(unit: str) -> str:
    code = lexicon()["units"][unit.lower()]
    return {"M": "MIN"}.get(code, code) if unit.lower().startswith("minute") else code


_SENT_END = re.compile(r"[.!?][\"']?\s+(?=[\"'`]*[A-Z])")
_LONG_PERIOD = re.compile(
    r"\b(?:nine|six|first\s+nine|first\s+six|latest\s+nine|12|twelve)[- ]months?\b|"
    r"\bfirst\s+half\b|\bthe\s+year\s+to\s+date\b|\bfiscal\s+year\b|"
    r"\bthe\s+year\s+(?:ended|ending)\b",
    re.I,
)
_QUARTER_WORD = re.compile(r"\bquarter|\bperiod\b", re.I)


def _long_period_compared(ctx: Context, at: int) -> bool:
    """Is "a year earlier" at `at` compared with a period longer than a quarter ("For the nine
    months, ... compared with $48.7 million a year earlier")? Then it is the year before."""
    start = at
    for _ in range(2):  # this sentence, then the one before it
        ends = [e.end() for e in _SENT_END.finditer(ctx.text, max(0, start - 400), start)]
        begin = ends[-1] if ends else max(0, start - 400)
        sentence = ctx.text[begin:start]
        if _QUARTER_WORD.search(sentence):
            return False
        if _LONG_PERIOD.search(sentence):
            return True
        start = begin - 1
        if start <= 0:
            return False
    return False


def _ago(m: re.Match[str], ctx: Context) -> tuple[Any, ...] | None:
    g = m.groupdict()
    word = g["ago"].lower().split()[0]
    if g["dsuf"]:
        return None
    n = _num(g["n"])
    unit = _unit_code(g["unit"])
    sign = 1 if word in ("from", "hence") else -1
    if re.match(r"(?:this|that|these|those)\b", (g["dpre"] or "").lower()):
        # "you said this 30 years ago": the demonstrative is a pronoun, not part of the time.
        inner = m.start("qmod") if g["qmod"] else m.start("n")
        return (*_ago_value(m, ctx, n, unit, sign), inner)
    return _ago_value(m, ctx, n, unit, sign)


def _ago_value(
    m: re.Match[str], ctx: Context, n: float | None, unit: str, sign: int
) -> tuple[str, str]:
    if ctx.dct is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if unit in ("H", "MIN", "S"):
        return "DATE", ctx.dct.isoformat()
    if unit == "Y" and n == 1 and ctx.last_quarter and m.start() - ctx.last_quarter_at < 1500:
        y, q = _main_quarter(ctx)
        if _long_period_compared(ctx, m.start()):
            return "DATE", str(y - 1)
        return "DATE", f"{y - 1}-Q{q}"
    if unit == "10Y":
        return "DATE", str(ctx.dct.year - 10 * int(n))
    if unit == "100Y":
        return "DATE", f"{(ctx.dct.year - 100 * int(n)) // 100:02d}"
    if unit == "2W":
        unit, n = "W", n * 2
    if unit == "WE":
        unit = "W"
    if n != int(n):
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    return "DATE", _shift(ctx.dct, sign * int(n), unit)


_RATE_AMOUNT = re.compile(
    r"(?:\d|%|percent|cents?|dollars?|times|shares|barrels|tons|units|million|billion|"
    r"flights|hours|days)\s*$",
    re.I,
)


def _rate(ctx: Context, start: int, end: int) -> str | None:
    """What "a year" after a quantity is: "amount" for "$5 million a year", "4 flights a
    week" (a rate of a measure, which news annotation leaves alone), "count" for a plural
    noun ("fifty thousand CDs a year", "interviews a day": how often, a TimeML SET)."""
    if re.match(r"\s+(?:earlier|ago|later|before|after|old|from)\b", ctx.text[end : end + 8]):
        return None
    if _RATE_AMOUNT.search(ctx.text[max(0, start - 25) : start].lower()):
        return "amount"
    doc = ctx.doc
    if doc is None or not len(doc):
        return None
    i = bisect.bisect_right(token_starts(doc), start - 1) - 1
    if i >= 0 and doc[i].idx + len(doc[i]) <= start and doc[i].tag_ in ("NNS", "NNPS"):
        return "count"
    return None


_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|might|may|can|shall|should|must)\s+$", re.I)


def _dur(m: re.Match[str], ctx: Context) -> tuple[Any, ...] | None:
    g = m.groupdict()
    n_text = g["n"].lower()
    unit_raw = g["unit"].lower()
    unit = _unit_code(unit_raw)
    if unit_raw in ("second",) and not re.match(r"\d", n_text):
        return None  # "a second term"
    if unit == "Q" and (
        n_text in ("a", "an") or re.match(r"\s+of\b", ctx.text[m.end() : m.end() + 4])
    ):
        return None  # "a quarter of the votes", "three-quarters of its food"
    n = _num(n_text)
    if g.get("half") and n is not None:
        n += 0.5
    if g["n2"] and n is not None:
        n2 = _num(g["n2"])
        if n2 is None:
            n = None
    dpre = (g["dpre"] or "").lower()
    if g["dsuf"] == "old" or re.match(r"\s+old\b", ctx.text[m.end() : m.end() + 5]):
        return None  # an age ("a 52-year-old", "52 years old")
    if n_text in ("a", "an") and g["dsuf"] == "long" and not unit_raw.endswith("s"):
        return "DURATION", _duration(1, unit), m.start("unit")  # "a year-long inquiry"
    if n_text in ("a", "an") and unit_raw.endswith("s") and not g["n2"]:
        # "a weeks-long strike": the article is the noun's, the number is unknown.
        return "DURATION", _duration(None, unit), m.start("unit")
    if n_text in ("a", "an") and not dpre.strip() and not g["qmod"]:
        # "$5 million a year", "fifty thousand CDs a year": a rate, which TimeML makes a SET
        # (P1Y: once per year), not a duration.
        rate = _rate(ctx, m.start(), m.end())
        if rate == "amount":
            return None
        if rate == "count":
            return "SET", _duration(1, unit), m.start()
    if unit == "WE":
        return None
    before = ctx.text[max(0, m.start() - 10) : m.start()]
    if n_text == "one" and unit == "D" and _MODAL_BEFORE.search(before):
        return "DATE", "FUTURE_REF"  # "Islam will one day be ...": some day ahead, not a span
    start = m.start()
    # "a few days", "a couple of years": the article belongs to the number.
    a_number = dpre.split()[-1:] == ["a"] and re.match(r"(?:few|couple)\b", n_text)
    if g["dpre"] and not g["qmod"] and n_text not in ("a", "an") and not a_number:
        words = dpre.split()
        # An article before an adjectival duration ("a two-year plan") is not part of it.
        if (
            words and words[-1] in ("a", "an", "its", "their", "his", "her", "our", "this", "that")
        ) or (words == ["the"] and m.group(0)[m.start("unit") - m.start() - 1] == "-"):
            start = m.start("n")
    return "DURATION", _duration(n, unit), start


def _vague_plural(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    vunit = m["vunit"].lower()
    if not vunit.endswith("s"):
        return "DURATION", _duration(1, _unit_code(vunit)), m.start("vunit")  # "a day-long meeting"
    unit = _unit_code(vunit[:-1] if vunit != "centuries" else "century")
    rel = (m["vrel"] or "").lower()
    det = (m["vdet"] or "").lower()
    if det == "these" and not rel:
        return None  # "these days" is PRESENT_REF (the ref rule)
    start = m.start() if rel else m.start("vunit")
    if rel == "recent" and m["vunit"].lower() == "years":
        return "DATE", "PAST_REF"
    if rel in ("coming", "next") and m["vunit"].lower() == "months" and not det:
        return "DATE", "FUTURE_REF"
    if not rel and not det and not m["vlong"]:
        # Bare "years": only as the object of a preposition of time ("for years", "in years").
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(
            r"\b(for|in|over|within|after|before|from|of|take|takes|took|taken|last|lasted|"
            r"spend|spent|'s)\s+$",
            before,
        ):
            return None
    return "DURATION", _duration(None, unit), start


def _set(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    lex = lexicon()
    if g["wd"]:
        return "SET", f"XXXX-WXX-{lex['weekdays'][g['wd'].lower()]}"
    if g["month"]:
        return "SET", f"XXXX-{_month_no(g['month']):02d}"
    unit_raw = g["sunit"].lower()
    if unit_raw in lex["parts_of_day"] and unit_raw not in lex["units"]:
        return "SET", f"XXXX-XX-XXT{lex['parts_of_day'][unit_raw]}"
    n = _num(g["sn"]) if g["sn"] else 1
    if g["every"].lower() == "per" and unit_raw not in (
        "day",
        "week",
        "month",
        "year",
        "hour",
        "quarter",
    ):
        return None
    return "SET", _duration(n or 1, _unit_code(unit_raw))


def _set_adv(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "SET", lexicon()["sets"][m["adv"].lower()]


def _set_wd(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    wd = lexicon()["weekdays"][m["wd"].lower()]
    part = m["spart"]
    suffix = "T" + lexicon()["parts_of_day"][part.lower()] if part else ""
    return "SET", f"XXXX-WXX-{wd}{suffix}"


_SHARED_PLURAL_PART = re.compile(
    r"\s+(?:and|or|&)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\s+"
    r"(?P<part>mornings|afternoons|evenings|nights)\b"
)


def _weekday(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    lex = lexicon()
    wd = lex["weekdays"][g["wd"].lower()]
    rel = re.sub(r"\s+", " ", (g["wrel"] or "").lower())
    part = g["wpart"]
    suffix = "T" + lex["parts_of_day"][part.lower()] if part else ""
    typ = "TIME" if part else "DATE"
    if part and part.lower().endswith("s"):
        return "SET", f"XXXX-WXX-{wd}{suffix}"  # "flights leave on Tuesday nights"
    shared = _SHARED_PLURAL_PART.match(ctx.text, m.end(), m.end() + 40)
    if not part and shared:
        # "on Monday and Tuesday nights": the plural part of day is Monday's too.
        return "SET", f"XXXX-WXX-{wd}T{lex['parts_of_day'][shared['part'].lower()]}"
    if ctx.dct is None:
        return typ, f"XXXX-WXX-{wd}{suffix}"
    direction = {
        "last": "last",
        "this past": "last",
        "past": "last",
        "the previous": "last",
        "previous": "last",
        "next": "next",
        "this coming": "next",
        "coming": "next",
        "the following": "next",
        "the next": "next",
        "following": "next",
        "this": None,
    }.get(rel)
    if rel == "this":
        direction = None
    if rel in ("the previous", "previous"):
        day = _weekday_date(ctx, wd, m.start("wd"), "last") - timedelta(days=7)
    elif (
        ctx.last_weekday is not None
        and not rel
        and (joined := _SEQUENCE.fullmatch(ctx.text, ctx.last_weekday[1], m.start("wd")))
    ):
        # A day joined to the one before is of the same week ("as soon as Tuesday or
        # Wednesday", "remarks made Friday and Thursday"); a range runs forward from it
        # ("taken Thursday through Monday").
        first = ctx.last_weekday[0]
        if re.search(r"\band\b|\bor\b|,", joined.group(), re.I):
            day = first + timedelta(days=wd - first.isoweekday())
        else:
            day = first + timedelta(days=(wd - first.isoweekday()) % 7)
    else:
        day = _weekday_date(ctx, wd, m.start("wd"), direction)
    if not rel and not g["early"]:
        ctx.bare_weekdays.add(m.start("wd"))
    ctx.last_weekday = (day, m.end())
    return typ, day.isoformat() + suffix


def _holiday_date(name: str, year: int) -> date | None:
    code = lexicon()["holidays"][name]

    def nth_weekday(month: int, wd: int, n: int) -> date:
        d = date(year, month, 1)
        d += timedelta(days=(wd - d.isoweekday()) % 7)
        return d + timedelta(weeks=n - 1)

    if code == "THANKSGIVING":
        return nth_weekday(11, 4, 4)
    if code == "LABOR":
        return nth_weekday(9, 1, 1)
    if code == "MEMORIAL":
        d = nth_weekday(5, 1, 4)
        return d + timedelta(weeks=1) if (d + timedelta(weeks=1)).month == 5 else d
    if code == "ELECTION":
        return nth_weekday(11, 1, 1) + timedelta(days=1)
    mo, d = map(int, code.split("-"))
    return date(year, mo, d)


def _holiday(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    name = re.sub(r"\s+", " ", m["hol"].lower())
    year = _year_of(m)
    rel = (m["hrel"] or "").lower()
    if year is None:
        if ctx.dct is None:
            code = lexicon()["holidays"][name]
            return "DATE", f"XXXX-{code}" if code[0].isdigit() else "XXXX-XX-XX"
        this = _holiday_date(name, ctx.dct.year)
        assert this is not None
        if rel == "last":
            year = ctx.dct.year - (1 if this >= ctx.dct else 0)
        elif rel == "next":
            year = ctx.dct.year + (1 if this <= ctx.dct else 0)
        else:
            year = _year_for(ctx, this.month, this.day, m.start())
    d = _holiday_date(name, year)
    return "DATE", d.isoformat() if d else str(year)


def _dayword(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    word = m["dw"].lower()
    part = m["dpart"]
    pre = (m["pre"] or "").lower()
    off = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
    if "day before" in pre:
        off -= 1
    elif "day after" in pre:
        off += 1
    # "the people of tomorrow", "the Europe of today": an age, not a calendar day ("as of
    # today" and "of today's" are the day).
    generic = re.search(r"(?i)(?<!\bas\s)\bof\s+$", ctx.text[max(0, m.start() - 7) : m.start()])
    if (
        generic
        and word in ("today", "tomorrow")
        and not part
        and not pre
        and not ctx.text.startswith("'s", m.end())
    ):
        return "DATE", "PRESENT_REF" if word == "today" else "FUTURE_REF"
    lex = lexicon()
    suffix = ""
    if part:
        suffix = "T" + lex["parts_of_day"][part.lower()]
    elif word == "tonight":
        suffix = "TNI"
    typ = "TIME" if suffix else "DATE"
    if ctx.dct is None:
        if word in ("today",) and not suffix:
            return "DATE", "PRESENT_REF"
        return typ, "XXXX-XX-XX" + suffix
    return typ, (ctx.dct + timedelta(days=off)).isoformat() + suffix


def _daypart(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    rel = re.sub(r"\s+", " ", m["prel"].lower()).split()[-1]
    part = m["part"].lower()
    code = lexicon()["parts_of_day"][part]
    if ctx.dct is None:
        return "TIME", "XXXX-XX-XXT" + code
    off = {"this": 0, "the": 0, "that": 0, "last": -1, "tomorrow": 1, "yesterday": -1}[rel]
    if rel == "last" and part != "night":
        off = -1
    # "that morning" is of the day the story last named, as "that day" is.
    base = (ctx.last_day or ctx.dct) if rel == "that" else ctx.dct
    return "TIME", (base + timedelta(days=off)).isoformat() + "T" + code


def _overnight(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    w = re.sub(r"[- ]", "", m["ov"].lower())  # "mid-afternoon", "mid afternoon"
    code = {"overnight": "NI", "midafternoon": "AF", "midmorning": "MO"}[w]
    off = -1 if code == "NI" else 0
    if m["ovday"]:
        off = {"yesterday": -1, "today": 0, "tomorrow": 1}[m["ovday"].lower()]
    day = (ctx.dct + timedelta(days=off)).isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{code}"


_REL_SHIFT = {
    "this": 0,
    "current": 0,
    "present": 0,
    "the current": 0,
    "the present": 0,
    "the same": 0,
    "the full": 0,
    "the whole": 0,
    "the entire": 0,
    "the": 0,
    "its": 0,
    "their": 0,
    "the fiscal": 0,
    "its fiscal": 0,
    "that": 0,
    "these": 0,
    "last": -1,
    "past": -1,
    "previous": -1,
    "the past": -1,
    "the last": -1,
    "the previous": -1,
    "this past": -1,
    "the prior": -1,
    "the preceding": -1,
    "the latest": -1,
    "next": 1,
    "coming": 1,
    "the next": 1,
    "the coming": 1,
    "the following": 1,
    "this coming": 1,
    "the ensuing": 1,
}


def _relunit(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    g = m.groupdict()
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    ru = g["ru"].lower()
    shift = _REL_SHIFT.get(rel)
    if shift is None:
        return None
    lex = lexicon()
    if rel in ("the", "its", "their", "these") and ru == "decade":
        return None
    if ru in lex["seasons"]:
        code = lex["seasons"][ru]
        if ctx.dct is None:
            return "DATE", f"XXXX-{code}"
        return "DATE", f"{_season_year(ctx, code, shift, m.start())}-{code}"
    if ru == "weekend":
        if ctx.dct is None:
            return "DATE", "XXXX-WXX-WE"
        dct = ctx.dct
        if shift == 0 and dct.isoweekday() < 6:
            tense = _tense(ctx, m.start())
            shift = -1 if tense == "past" else 0
        elif shift == 0:
            shift = 0
        return "DATE", _week(dct + timedelta(weeks=shift)) + "-WE"
    unit = {"week": "W", "month": "M", "year": "Y", "decade": "10Y", "century": "100Y"}[ru]
    anaphoric = {
        "that": 0,
        "the same": 0,
        "the following": 1,
        "the ensuing": 1,
        "the previous": -1,
        "the preceding": -1,
        "the prior": -1,
    }
    if rel in anaphoric and ru == "year" and ctx.last_year is not None:
        # "returned to Cuba later that year": the year the story last named.
        return "DATE", str(ctx.last_year + anaphoric[rel])
    if rel in anaphoric and ru == "month" and ctx.last_month is not None:
        # "It sued in March. The following month, ...": the month the story last named.
        y, mo = ctx.last_month
        return "DATE", _add_months(date(y, mo, 1), anaphoric[rel]).strftime("%Y-%m")
    if rel in ("the", "its", "the fiscal", "its fiscal") and re.match(
        r"\s+(?:ended|ending|through)\b", ctx.text[m.end() : m.end() + 9]
    ):
        return "DURATION", "P1" + unit[-1]  # "the year ended Sept. 30": a span of a year
    if unit in ("10Y", "100Y") and rel in ("past", "the past"):
        return "DURATION", f"P{unit}"  # "the past century": the last hundred years
    if ctx.dct is None:
        return "DATE", _UNKNOWN.get(unit, "XXXX")
    if rel == "the latest" and unit == "Y":
        shift = -1
    if rel == "last" and unit == "Y" and _quarter_compared(ctx, m.start(), m.end()):
        y, q = _main_quarter(ctx)  # "earnings of $24 million, against a loss of $3 million
        return "DATE", f"{y - 1}-Q{q}"  # last year": the same quarter a year before
    return "DATE", _shift(ctx.dct, shift, unit)


_AMOUNT_BEFORE = re.compile(r"(?:\d|million|billion|cents|a\s+share)\s*$", re.I)


def _quarter_compared(ctx: Context, start: int, end: int) -> bool:
    """Is "last year" the amount a quarter's figure is compared with ("$3 million last
    year", "from last year's $1.55 billion") in a story about a quarter?"""
    if ctx.last_quarter is None or start - ctx.last_quarter_at >= 1500:
        return False
    amount = _AMOUNT_BEFORE.search(ctx.text[max(0, start - 20) : start]) or re.match(
        r"'s\s+(?:\$|C\$|#)?\d", ctx.text[end : end + 8]
    )
    return bool(amount) and not _long_period_compared(ctx, start)


def _yearend(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "DATE", str(ctx.dct.year) if ctx.dct else "XXXX"


def _yearago(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    if ctx.dct is None:
        return "DATE", "XXXX"
    second = (m["ya2"] or "").lower()
    if "months" in second:
        return "DURATION", "P9M" if second.startswith("nine") else "P6M"
    q = re.match(r"(first|second|third|fourth)", second)
    if q:
        return "DATE", f"{ctx.dct.year - 1}-Q{_QORD[q.group(1)]}"
    if ctx.last_quarter and m.start() - ctx.last_quarter_at < 1500:
        y, qq = _main_quarter(ctx)
        if _long_period_compared(ctx, m.start()):
            return "DATE", str(y - 1)
        return "DATE", f"{y - 1}-Q{qq}"
    return "DATE", str(ctx.dct.year - 1)


def _week_of(m: re.Match[str], ctx: Context) -> tuple[Any, ...] | None:
    result = _mdy(m, ctx)
    if result is None:
        return None
    value = result[1]
    if value.startswith("XXXX"):
        return "DATE", "XXXX-WXX"
    return "DATE", _week(date.fromisoformat(value))


# A date right before, set off by a comma: "Oct. 12, the day before the crash" is Oct. 12.
_APPOSITION = re.compile(r"(?:\d|day)\s*,\s*$")


def _anaday(m: re.Match[str], ctx: Context) -> tuple[Any, ...] | None:
    det = re.sub(r"\s+", " ", m["adet"].lower())
    unit = m["aunit"].lower()
    after = (m["aafter"] or "").strip().lower()
    if m["pre"] and det == "the":
        after = ""  # "later in the day (before returning)": the day the story is at
    elif det == "the" and not (after and unit == "day"):
        return None  # "the day" alone is too often not a date ("the day's trading")
    # "Oct. 12, the day before the crash": the day last named (the crash is not dated).
    shift = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}.get(det, 0)
    apposition = _APPOSITION.search(ctx.text, max(0, m.start() - 25), m.start())
    if after and det == "the" and not apposition:
        shift = 1 if after == "after" else -1
    end = m.end("aunit")
    base = ctx.last_day or ctx.dct
    suffix = "" if unit == "day" else "T" + lexicon()["parts_of_day"][unit]
    typ = "TIME" if suffix else "DATE"
    if base is None:
        return typ, "XXXX-XX-XX" + suffix, m.start(), end
    return typ, (base + timedelta(days=shift)).isoformat() + suffix, m.start(), end


def _future_as_fate(m: re.Match[str], ctx: Context) -> bool:
    """True for "the future of our peoples": what will become of something, not a time.

    TimeML marks the time ("in the future", "what the future holds"), not a noun's fate.
    """
    return re.match(r"\s+of\b", ctx.text[m.end() : m.end() + 4]) is not None


def _ref(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    w = re.sub(r"\s+", " ", m["ref"].lower())
    if w in (
        "right now",
        "now",
        "currently",
        "current",
        "these days",
        "nowadays",
        "at present",
        "presently",
        "the present",
    ):
        return "DATE", "PRESENT_REF"
    if w == "a while":
        return "DURATION", "PXX"  # "for a while": a span of unknown length and unit
    if w == "the future" and _future_as_fate(m, ctx):
        return None
    if "future" in w or w in ("as soon as possible", "a later date") or w.endswith("term"):
        return "DATE", "FUTURE_REF"
    return "DATE", "PAST_REF"


# ---------------------------------------------------------------------------------------
# Finding and resolving
# ---------------------------------------------------------------------------------------

# Words the spans never end with (a match may swallow a trailing period of an abbreviation
# at a sentence end: that one stays).
_TRAIL = re.compile(r"[\s,;:]+$")


def find_times(text: str, published: str | None = None, doc: Doc | None = None) -> list[Time]:
    """Every time expression in `text`, normalized against `published` (ISO date or None).

    `doc` (the parsed text) gives tenses and the model's entities; without it the grammar
    still runs and partial dates take the nearest year.
    """
    dct = _parse_dct(published)
    ctx = Context(doc=doc, dct=dct, text=text)
    found: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    windows = _windows(text)
    for order, rule in enumerate(grammar()):
        if order not in windows:
            continue
        for m in _matches(rule, text, windows[order]):
            start, end = m.start(), m.end()
            trimmed = _TRAIL.search(text, start, end)
            if trimmed:
                end = trimmed.start()
            if end > start:
                found.append((start, end, order, rule, m))
    # Longest first, then the earlier rule; keep those that overlap nothing kept.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int]] = []  # sorted, and never overlapping one another
    chosen = []
    for f in found:
        s, e = f[0], f[1]
        i = bisect.bisect_left(taken, (s, s))
        if (i > 0 and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e):
            continue
        chosen.append(f)
        taken.insert(i, (s, e))
    chosen.sort(key=lambda f: f[0])
    times: list[Time] = []
    for start, end, _, rule, m in chosen:
        ctx.match_start, ctx.match_end = start, end
        try:
            result = rule.handler(m, ctx)
        except (KeyError, ValueError, OverflowError):
            result = None
        if result is None:
            # The longest reading failed: let a shorter one inside the span stand.
            times.extend(_fallback(text, start, end, ctx, rule))
            continue
        typ, value = result[0], result[1]
        if len(result) > 2:
            start = result[2]
        if len(result) > 3:
            end = result[3]
        if _is_title(text, start, end, rule.name):
            continue
        times.append(Time(start, end, text[start:end], typ, value))
        _remember(ctx, rule.name, value, end)
    return _join_days(text, _one_date_per_weekday(ctx, times))


def _one_date_per_weekday(ctx: Context, times: list[Time]) -> list[Time]:
    """A story names one Friday: bare weekdays whose tenses disagree take the date most of
    their mentions resolved to ("Albright headed Tuesday to Africa ... her first stop
    Tuesday morning")."""
    if len(ctx.bare_weekdays) < 2:
        return times
    mentions: dict[str, list[int]] = {}
    for i, t in enumerate(times):
        if t.start in ctx.bare_weekdays:  # a bare weekday's span starts with its name
            day = t.value[:10]
            mentions.setdefault(date.fromisoformat(day).strftime("%a"), []).append(i)
    for indices in mentions.values():
        votes = Counter(times[i].value[:10] for i in indices)
        if len(votes) < 2:
            continue
        (best, n1), (_, n2) = votes.most_common(2)
        if n1 == n2:
            continue
        for i in indices:
            t = times[i]
            if t.value[:10] != best:
                times[i] = Time(t.start, t.end, t.text, t.type, best + t.value[10:])
    return times


_DAY_VALUE = re.compile(r"(\d{4})-(\d\d)-(\d\d)$")
_AND_DAY = re.compile(
    r"\s*(?:and|or|to|through|-|–)\s*(?P<d>[0-3]?\d)\b"
    # ... and then no noun: "on May 3 and 25 people died" has one date.
    r"(?=\s*(?:[.,;:)'\"]|$)|\s+(?:in|at|on|and|or|when|while|with|as|during|for|from|of|to|"
    r"respectively|this|last|next)\b)(?![.,:]\d)"
)


def _join_days(text: str, times: list[Time]) -> list[Time]:
    """Two readings the grammar finds apart: "the day before last Tuesday's hearing" is one
    date, a day before Tuesday; in "April 24 and 25" the 25 is a date too."""
    out: list[Time] = []
    for i, t in enumerate(times):
        bare_day = out and re.fullmatch(r"(?:the\s+)?day", out[-1].text, re.I)
        if bare_day and _DAY_VALUE.match(t.value):
            link = re.fullmatch(r"\s+(before|after)\s+", text[out[-1].end : t.start])
            if link:
                shift = 1 if link.group(1) == "after" else -1
                d = date.fromisoformat(t.value) + timedelta(days=shift)
                prev = out.pop()
                span = text[prev.start : t.end]
                out.append(Time(prev.start, t.end, span, "DATE", d.isoformat()))
                continue
        out.append(t)
        day = _DAY_VALUE.match(t.value)
        if day and t.text[-1:].isdigit():
            m = _AND_DAY.match(text, t.end)
            nxt = times[i + 1].start if i + 1 < len(times) else len(text)
            if m and m.end() <= nxt and int(day[3]) < int(m["d"]) <= 31:
                with contextlib.suppress(ValueError):
                    d = date(int(day[1]), int(day[2]), int(m["d"]))
                    out.append(Time(m.start("d"), m.end("d"), m["d"], "DATE", d.isoformat()))
    return out


# Capitalized mid-sentence, these are names ("Daily News", "Breitbart News Daily", "This Week").
_CAPITAL_UNIT = re.compile(
    r"\b(?:Week|Month|Year|Minutes|Hours|Noon|Midnight|Days|Morning|Afternoon|Evening|Night|"
    r"Daily|Weekly|Monthly|Nightly|Yearly|Hourly)\b"
)


_EXPLICIT = {"mdy", "dmy", "my", "year", "iso", "numeric", "holiday"}


def _remember(ctx: Context, rule: str, value: str, end: int) -> None:
    day = re.match(r"(\d{4})-(\d\d)-(\d\d)", value)
    if day:
        with contextlib.suppress(ValueError):
            ctx.last_day = date(int(day[1]), int(day[2]), int(day[3]))
    if rule in _EXPLICIT and re.match(r"\d{4}", value):
        ctx.last_year = int(value[:4])
    month = re.match(r"(\d{4})-(\d\d)(?:-\d\d)?$", value)
    if rule in _EXPLICIT | {"month"} and month:
        ctx.last_month = (int(month[1]), int(month[2]))
        ctx.last_month_end = end


_NAMED_DAYWORDS = {w for d in ("Today", "Tonight", "Tomorrow", "Yesterday") for w in (d, d.upper())}


def _is_title(text: str, start: int, end: int, rule: str) -> bool:
    """Words of time that are not times: titles such as "This Week" or "60 Minutes"."""
    span = text[start:end]
    shouting = span.isupper() and not re.search(r"[a-z]", text[max(0, start - 30) : start])
    if (
        span in _NAMED_DAYWORDS
        and not shouting
        and re.search(
            r"(?<![.!?]\s)\b(?:[A-Z]{2,}|[A-Z][a-z]+)(?:'s)?[ \t]+$",
            text[max(0, start - 20) : start],
        )
    ):
        return True  # after a name, a name: "USA Today", "VOA Today", "NBC's Today show"
    if _CAPITAL_UNIT.search(span) and not span.isupper():
        # A capitalized unit word mid-sentence is part of a name.
        before = text[max(0, start - 12) : start].rstrip(" \"'`")
        if before and before[-1] not in ".!?\n" and start > 0:
            return True
    return False


_BEFORE, _AFTER = 80, 60
_WORD = re.compile(r"[A-Za-z]+|\d+")


@functools.cache
def _anchor_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, rule in enumerate(grammar()):
        for word in rule.anchors:
            index.setdefault(word, []).append(i)
    return {w: tuple(ids) for w, ids in index.items()}


def _windows(text: str) -> dict[int, list[list[int]]]:
    """For each rule, the stretches of text around its anchor words (merged when they touch)."""
    index = _anchor_index()
    out: dict[int, list[list[int]]] = {}
    n = len(text)
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word[0].isdigit():
            after = text[m.end() : m.end() + 4]
            keys = []
            if len(word) == 4:
                keys.append("<year>")
                if after[:1] == "-":
                    keys.append("<iso>")
            if after[:1] in ("s", "'"):
                keys.append("<decade>")
            if after[:1] in ("/",):
                keys.append("<slash>")
            if after[:1] == ":" or after.lstrip()[:1] in ("a", "p", "A", "P", "i"):
                keys.append("<clock>")
            rules = [i for k in keys for i in index.get(k, ())]
            rules.extend(index.get("<number>", ()))
        else:
            rules = index.get(word, ())
        if not rules:
            continue
        lo, hi = max(0, m.start() - _BEFORE), min(n, m.end() + _AFTER)
        for i in rules:
            spans = out.setdefault(i, [])
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
    return out


def _matches(rule: Rule, text: str, windows: list[list[int]]):
    """The rule's matches, searched only in the windows around its anchors."""
    for lo, hi in windows:
        yield from rule.regex.finditer(text, lo, hi)


def _fallback(text: str, start: int, end: int, ctx: Context, failed: Rule) -> list[Time]:
    out: list[Time] = []
    for rule in grammar():
        if rule is failed:
            continue
        for m in rule.regex.finditer(text, start, end):
            if m.end() > end:
                continue
            try:
                result = rule.handler(m, ctx)
            except (KeyError, ValueError, OverflowError):
                result = None
            if result and not any(m.start() < t.end and t.start < m.end() for t in out):
                e = m.end()
                trimmed = _TRAIL.search(text, m.start(), e)
                if trimmed:
                    e = trimmed.start()
                out.append(Time(m.start(), e, text[m.start() : e], *result))
    return sorted(out, key=lambda t: t.start)


def _parse_dct(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(published).date()
        except ValueError:
            return None


# ---------------------------------------------------------------------------------------
# The spaCy component
# ---------------------------------------------------------------------------------------


@Language.factory(
    "newsgraph_times",
    assigns=["doc._.times"],
    requires=["token.dep", "token.tag"],
    default_config={},
)
def make_component(nlp: Language, name: str) -> TimeComponent:
    return TimeComponent()


class TimeComponent:
    def __init__(self) -> None:
        grammar()  # compile once, at pipeline build time

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = find_times(doc_text(doc), doc._.published, doc)
        return doc
