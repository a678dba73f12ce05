"""The `figures` component: reported counts of people (and households, houses), with what
they count, what happened to them, who reported them, where and when.

Writes `doc._.figures` (a list of record.Figure). Reads the base model's parse and NER,
`doc._.entities` (for sources, through `entity_at`), `doc._.quotes` (a figure inside a
quote is its speaker's), `doc._.places` and `doc._.times` (each may be an empty list or
None when its component is absent).

How a figure is read, in order:
1. numbers: digits ("6000", "50,000", "9 300", "1.2 million", "2.14 lakh"), words
   ("six thousand", "a dozen"), ranges ("between 200 and 300", "100,000 to 120,000") and
   plural quantities ("hundreds of", "tens of thousands"), with the bound before them
   ("at least" -> min, "up to" -> max, "about" -> approx);
2. not figures: numbers inside dates, times, money, percentages, measures, ages, phone
   numbers, years, or names (the model's entities and `doc._.times` mark most of them);
3. what is counted: the noun the number modifies, looked up in `units.tsv`; a number with
   no noun ("close to 1,000 were evacuated") takes the unit of a figure coordinated with it,
   else people when something happened to it. Counts of anything else ("130 cities", "a
   ten-point lead") are no figures, nor are small counts of people that nothing happened
   to ("the two women spoke");
4. the category: from the governing verb or noun in the parse (`categories.tsv`), looking
   through light verbs ("were left homeless", "remained displaced");
5. the source: "according to X", the subject of a reporting verb governing the figure,
   else a reporting construction in the previous sentence of the same paragraph;
6. place and time: those in the counted noun's phrase, else in the figure's clause, else
   the sentence's nearest; with no place in the sentence, the article's only place, or the
   last one named when the sentence points back ("there", "the city").

All word lists are the data files in `data/figures/`, loaded once per process.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.pipeline.doc_cache import doc_text, entity_span_of
from newsgraph.pipeline.entities import entity_at
from newsgraph.record import Figure

DATA_DIR = Path(__file__).resolve().parent / "data" / "figures"

# NER labels whose numbers are never counts of people.
NOT_COUNT_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
# Named entities a number can be part of ("Resolution 2334", "Route 157").
NAME_LABELS = {"PERSON", "ORG", "FAC", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART"}
WEAK = {"affected", "other"}
CURRENCY = {"$", "€", "£", "¥", "₹", "us$", "usd", "eur", "gbp", "rs", "rs.", "inr", "yuan", "rmb"}
CURRENCY_WORDS = {
    "dollar",
    "dollars",
    "euro",
    "euros",
    "pound",
    "pounds",
    "yuan",
    "rupee",
    "rupees",
    "yen",
    "franc",
    "francs",
    "peso",
    "pesos",
    "naira",
    "shilling",
    "shillings",
    "rand",
    "riyal",
    "dinar",
    "dinars",
    "lira",
    "ruble",
    "rubles",
    "won",
    "real",
    "reais",
    "cents",
}
PERCENT_WORDS = {"%", "percent", "per", "pc", "pct", "percentage"}
PRONOUN_ONE_BEFORE = {"the", "any", "every", "each", "this", "that", "which", "no", "only"}
PERSONAL = {"my", "his", "her", "our", "your"}
AGE_BEFORE = {"aged", "age", "ages", "ageing"}
PHONE_BEFORE = {"tel", "tel.", "phone", "telephone", "call", "hotline", "fax", "mobile", "whatsapp"}
CLOCK_AFTER = {"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "hrs", "h", "gmt", "utc", "o'clock"}
ABBREV_SCALES = {"m", "mn", "bn", "k"}
# Agent nouns ("climbers", "journalists", "guardsmen"): people when something that happens
# to people (killed, missing, evacuated...) happened to them, though not in units.tsv.
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "man", "men", "woman", "women")
RANGE_JOIN = {"to", "-", "–", "—", "and", "or"}
RISE_VERBS = {"rise", "climb", "increase", "jump", "grow", "soar", "go", "fall", "drop", "stand"}
DIGITS = re.compile(r"^[+-]?(\d+(?:[,\u00a0\u202f\u2009]\d{3})*(?:\.\d+)?|\d*\.\d+)$")
DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
THREE_DIGITS = re.compile(r"^\d{3}$")
SHORT_GROUP = re.compile(r"^\d{1,3},?$")
TOKEN_RANGE = re.compile(r"^(\d[\d,.]*)[-–—](\d[\d,.]*)$")


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, float]
    scales: dict[str, float]
    groups: dict[str, float]
    vague: dict[str, float]
    bounds: dict[tuple[str, ...], str]
    units: dict[str, tuple[str, str | None]]
    categories: dict[str, tuple[str, str | None]]
    cues: dict[str, set[str]] = field(default_factory=dict)
    states: frozenset[str] = frozenset()

    def cue(self, kind: str) -> set[str]:
        return self.cues.get(kind, set())


def _rows(path: Path) -> Iterable[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield [part.strip() for part in line.split("\t")]


@functools.cache
def load_lexicon(data_dir: str | None = None) -> Lexicon:
    """The figures word lists, read once per process."""
    root = Path(data_dir) if data_dir else DATA_DIR
    kinds: dict[str, dict[str, float]] = {"word": {}, "scale": {}, "group": {}, "vague": {}}
    for word, value, kind in _rows(root / "numbers.tsv"):
        kinds[kind][word] = float(value)
    bounds = {tuple(phrase.split()): kind for phrase, kind in _rows(root / "bounds.tsv")}

    def pairs(name: str) -> dict[str, tuple[str, str | None]]:
        return {row[0]: (row[1], row[2] if len(row) > 2 else None) for row in _rows(root / name)}

    cues: dict[str, set[str]] = {}
    for word, kind in _rows(root / "cues.tsv"):
        cues.setdefault(kind, set()).add(word)
    return Lexicon(
        words=kinds["word"],
        scales=kinds["scale"],
        groups=kinds["group"],
        vague=kinds["vague"],
        bounds=bounds,
        units=pairs("units.tsv"),
        categories=pairs("categories.tsv"),
        cues=cues,
        states=frozenset(row[0] for row in _rows(root / "units.tsv") if row[3:] == ["state"]),
    )


@Language.factory(
    "newsgraph_figures",
    assigns=["doc._.figures"],
    requires=["doc.ents", "token.dep", "token.lemma"],
    default_config={"data_dir": None, "main_place_fallback": True},
)
def make_component(
    nlp: Language, name: str, data_dir: str | None, main_place_fallback: bool
) -> FigureComponent:
    return FigureComponent(data_dir, main_place_fallback)


@dataclass
class Number:
    """A number expression: tokens [start, end) of the doc, bound words included."""

    start: int
    end: int
    num_start: int  # first token of the number itself (after the bound words)
    value: float
    bound: str | None = None
    value_max: float | None = None
    vague: bool = False
    score: bool = False  # "a 4-4 ruling", "won 3-2": a score, no count


def _key(token: Token) -> tuple[str, ...]:
    """The forms a token is looked up by: as written, its lemma, then crude stems (the
    model's lemmas fail on auxiliaries and unknown words: "remained", "desplazados")."""
    low = token.lower_
    keys = [low, token.lemma_.lower()]
    for suffix in ("ed", "d", "s", "ing"):
        if low.endswith(suffix) and len(low) > len(suffix) + 3:
            keys.append(low[: -len(suffix)])
    return tuple(keys)


class FigureComponent:
    def __init__(self, data_dir: str | None = None, main_place_fallback: bool = True) -> None:
        self.lex = load_lexicon(data_dir)
        self.main_place_fallback = main_place_fallback
        self._bound_words = {w for phrase in self.lex.bounds for w in phrase}

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = self.figures(doc)
        return doc

    # -- the whole doc ------------------------------------------------------------------

    def figures(self, doc: Doc) -> list[Figure]:
        blocked = self._blocked_tokens(doc)
        places = _place_mentions(doc)
        times = [t for t in (doc._.times or []) if t.type in ("DATE", "TIME") and t.value]
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        sents = [part for sent in sents for part in _segments(sent)]
        text = doc_text(doc)
        out: list[Figure] = []
        for s_index, sent in enumerate(sents):
            # The previous sentence lends its source only within the paragraph.
            previous = sents[s_index - 1] if s_index else None
            if (
                previous is not None
                and "\n"
                in text[
                    _content_end(previous) : sent.start_char
                    + len(sent.text)
                    - len(sent.text.lstrip())
                ]
            ):
                previous = None
            found: list[tuple[Number, Token | None, str, str]] = []
            for number in self._numbers(sent, blocked):
                reading = self._reading(number, sent, found)
                if reading is None:
                    continue
                noun, unit, category, cue = reading
                found.append((number, noun, unit, category))
                out.append(
                    self._figure(
                        doc, sent, previous, number, noun, unit, category, cue, places, times
                    )
                )
        return out

    def _blocked_tokens(self, doc: Doc) -> set[int]:
        """Tokens inside dates, times, money, percentages and the times component's spans."""
        blocked: set[int] = set()
        for ent in doc.ents:
            # The model often calls a bare count DATE or MONEY ("Population Evacuated
            # 116129"): trust the label only when the entity holds more than numbers
            # ("1 February", "70 km", "three days"); years and money are checked apart.
            if ent.label_ in NOT_COUNT_LABELS and any(
                not (
                    t.like_num
                    or t.is_punct
                    or t.is_space
                    or t.lower_ in self._bound_words
                    or t.lower_ in RANGE_JOIN
                    or t.lower_ in ("between", "from")
                )
                for t in ent
            ):
                blocked.update(range(ent.start, ent.end))
        for item in doc._.times or []:
            span = doc.char_span(item.start, item.end, alignment_mode="expand")
            if span is not None:
                blocked.update(range(span.start, span.end))
        return blocked

    # -- 1. numbers ---------------------------------------------------------------------

    def _is_num_word(self, token: Token) -> bool:
        low = token.lower_
        return (
            low in self.lex.words
            or low in self.lex.vague
            or low in self.lex.groups
            or (low in self.lex.scales and low not in ABBREV_SCALES)
        )

    def _numbers(self, sent: Span, blocked: set[int]) -> list[Number]:
        doc = sent.doc
        numbers: list[Number] = []
        i = sent.start
        while i < sent.end:
            parsed = self._parse_number(doc, i, sent.end)
            if parsed is None:
                i += 1
                continue
            end, value, vague = parsed
            number = Number(i, end, i, value, vague=vague)
            self._extend_range(doc, number, sent.end)
            self._attach_bound(doc, number, sent.start)
            if vague:
                number.bound = number.bound or "min"
            if not self._excluded(doc, number, blocked):
                numbers.append(number)
            i = number.end
        return numbers

    def _parse_number(self, doc: Doc, i: int, limit: int) -> tuple[int, float, bool] | None:
        """(end token, value, vague) of the number starting at token i, or None."""
        lex = self.lex
        tok = doc[i]
        low = tok.lower_
        # "a dozen", "a hundred", "a million": the article counts as one.
        if low in ("a", "an") and i + 1 < limit:
            nxt = doc[i + 1].lower_
            if nxt in lex.groups or (nxt in lex.scales and nxt not in ABBREV_SCALES):
                parsed = self._parse_number(doc, i + 1, limit)
                return parsed if parsed else None
            return None
        if low in lex.vague:
            value = lex.vague[low]
            end = i + 1
            # "tens of thousands", "hundreds of thousands"
            if end + 1 < limit and doc[end].lower_ == "of" and doc[end + 1].lower_ in lex.vague:
                base = lex.scales.get(doc[end + 1].lower_.rstrip("s"), 0)
                if base:
                    value *= base
                    end += 2
            return end, value, True
        if not (
            self._digits(tok) is not None
            or low in lex.words
            or low in lex.groups
            or (low in lex.scales and low not in ABBREV_SCALES)
        ):
            return None
        total = 0.0
        current = 0.0
        seen = False
        end = i
        j = i
        while j < limit:
            t = doc[j]
            low = t.lower_
            digits = self._digits(t)
            if digits is not None:
                if seen and not self._joins_group(doc, j, current):
                    break
                if seen:  # "9 300": a thousands group after a space
                    current = current * 1000 + digits
                else:
                    current += digits
            elif low in lex.words:
                word = lex.words[low]
                tens = current % 100
                after_scale = tens == 0  # "two hundred five", "a thousand ten"
                after_tens = tens >= 20 and tens % 10 == 0 and word < 10  # "twenty five"
                if seen and (doc[j - 1].is_digit or not (after_scale or after_tens)):
                    break  # "two three", "5 five" are not one number
                current += word
            elif low in lex.groups:
                current = (current or 1) * lex.groups[low]
            elif low in lex.scales and (
                low not in ABBREV_SCALES or (seen and not doc[j - 1].whitespace_)
            ):
                scale = lex.scales[low]
                if scale == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * scale
                    current = 0.0
            elif (
                seen
                and low in ("a", "an")
                and doc[j - 1].lower_ == "half"
                and j + 1 < limit
                and doc[j + 1].lower_ in lex.scales
            ):
                j += 1
                continue  # "half a million"
            elif seen and low == "," and j + 1 < limit and self._joins_group(doc, j + 1, current):
                j += 1
                continue  # "61, 000"
            elif (
                seen
                and low in ("-", "and")
                and j + 1 < limit
                and self._is_num_word(doc[j + 1])
                and doc[j + 1].lower_ not in lex.vague
                and (low == "-" or doc[j - 1].lower_ in lex.scales)
            ):
                j += 1
                continue  # "twenty-five", "two hundred and fifty"
            else:
                break
            seen = True
            j += 1
            end = j
        if not seen:
            return None
        return end, total + current, False

    def _digits(self, token: Token) -> float | None:
        text = token.text
        if DOT_THOUSANDS.match(text):
            nxt = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
            if nxt not in self.lex.scales:
                return float(text.replace(".", ""))  # "2.000 mineros"
        if not DIGITS.match(text) or text.startswith(("+", "-")):
            return None
        try:
            return float(re.sub(r"[,\u00a0\u202f\u2009]", "", text))
        except ValueError:
            return None

    def _joins_group(self, doc: Doc, j: int, current: float) -> bool:
        """Is token j the next 3-digit group of the number before it ("9 300", "61, 000")?"""
        prev = doc[j - 1]
        if not THREE_DIGITS.match(doc[j].text):
            return False
        if prev.text == ",":
            return j >= 2 and bool(SHORT_GROUP.match(doc[j - 2].text)) and doc[j].text == "000"
        if prev.whitespace_ != " ":
            return False
        if current < 1000:
            return bool(SHORT_GROUP.match(prev.text)) and "," not in prev.text
        return bool(THREE_DIGITS.match(prev.text))

    def _extend_range(self, doc: Doc, number: Number, limit: int) -> None:
        """ "100,000 to 120,000", "200-300", "between 200 and 300": value is the low end."""
        token = doc[number.num_start]
        m = TOKEN_RANGE.match(token.text) if number.end - number.num_start == 1 else None
        if m:
            try:
                low, high = (float(g.replace(",", "")) for g in m.groups())
            except ValueError:
                return
            if high > low:
                number.value, number.value_max, number.bound = low, high, "range"
            return
        j = number.end
        if j + 1 < limit and doc[j].lower_ in RANGE_JOIN:
            before = doc[number.num_start - 1].lower_ if number.num_start > 0 else ""
            between = before in ("between", "from")
            if doc[j].lower_ in ("and",) and not between:
                return
            if doc[j].lower_ == "or" and not between and doc[j + 1].lower_ in ("more",):
                return
            parsed = self._parse_number(doc, j + 1, limit)
            if parsed is None:
                return
            end, high, vague = parsed
            if vague:
                return
            if (
                doc[j].text == "-"
                and not doc[j - 1].whitespace_
                and not doc[j].whitespace_
                and high <= number.value
            ):
                number.score, number.end = True, end
                return
            low = number.value
            # "between 2 and 3 million": the scale of the high end applies to both ends.
            scales = [t.lower_ for t in doc[j + 1 : end] if t.lower_ in self.lex.scales]
            if scales and not any(t.lower_ in self.lex.scales for t in doc[number.num_start : j]):
                low *= self.lex.scales[scales[-1]]
            # "the toll rose from 20 to 35" is a change, not a range: the figure is 35.
            if (
                before == "from"
                and number.num_start > 1
                and doc[number.num_start - 2].lemma_.lower() in RISE_VERBS
            ):
                number.value, number.num_start, number.end = high, j + 1, end
                number.start = number.num_start
                return
            if high > low:
                number.value, number.value_max, number.bound = low, high, "range"
                number.end = end
                if between:
                    number.start = number.num_start - 1

    def _attach_bound(self, doc: Doc, number: Number, sent_start: int) -> None:
        for size in (3, 2, 1):
            start = number.start - size
            if start < sent_start:
                continue
            words = tuple(t.lower_ for t in doc[start : number.start])
            kind = self.lex.bounds.get(words)
            if kind:
                if number.bound != "range":
                    number.bound = kind
                number.start = start
                return

    def _excluded(self, doc: Doc, number: Number, blocked: set[int]) -> bool:
        first, last = doc[number.num_start], doc[number.end - 1]  # the number's own tokens
        toks = doc[number.num_start : number.end]
        nxt = doc[number.end] if number.end < len(doc) else None
        prv = doc[number.num_start - 1] if number.num_start > 0 else None
        counted = nxt is not None and self._unit_of(nxt) is not None
        if any(t.i in blocked for t in toks):
            # A count the model took for a date stays ("12,754 individuals displaced in
            # January"), unless a word of the date comes first ("the Feb. 13 death").
            dated = (
                prv is not None
                and prv.i in blocked
                and not prv.like_num
                and any(c.isalpha() for c in prv.text)
                and prv.lower_ not in self._bound_words
            )
            if dated or not counted:
                return True
        # a modifier, not a count: "a ten-point lead", "a 4-4 ruling", "3-day"
        if (
            nxt is not None
            and nxt.text in ("-", "–")
            and not last.whitespace_
            and not nxt.whitespace_
            and number.end + 1 < len(doc)
            and doc[number.end + 1].is_alpha
        ):
            return True
        if number.score or (
            len(toks) == 1 and TOKEN_RANGE.match(first.text) and number.value_max is None
        ):
            return True
        # names that hold a number ("Resolution 2334", "G20", "Route 157")
        if (
            first.like_num
            and first.ent_type_ in NAME_LABELS
            and not counted
            and (
                (prv is not None and prv.ent_type_ == first.ent_type_ and prv.is_title)
                or (nxt is not None and nxt.ent_type_ == first.ent_type_ and nxt.is_title)
            )
        ):
            return True
        if any(":" in t.text or "/" in t.text for t in toks):
            return True
        if nxt is not None:
            nlow = nxt.lower_
            if nlow in PERCENT_WORDS or nlow in CURRENCY_WORDS or nlow in CLOCK_AFTER:
                return True
            if nlow in ("-", "year", "years", "yr", "yrs") and not counted:
                after = doc[number.end + 1 : number.end + 4].text.lower()
                if (nlow != "-" or after.startswith(("year", "yr"))) and (
                    "old" in after or nlow == "-" or "of age" in after
                ):
                    return True
        if prv is not None:
            plow = prv.lower_
            if plow in CURRENCY or prv.tag_ == "$" or plow in AGE_BEFORE or plow in PHONE_BEFORE:
                return True
            if plow in ("no", "no.", "number", "#", "page", "p.", "room", "flight", "route"):
                return True
            if (
                plow == "."
                and number.num_start > 1
                and doc[number.num_start - 2].lower_ in ("no", "nos", "vol", "art", "p", "pp")
            ):
                return True  # "Report No. 4"
            # "the one who", "each one": a pronoun, not a count
            if first.lower_ == "one" and len(toks) == 1 and plow in PRONOUN_ONE_BEFORE:
                return True
        # phone numbers: "+44 ...", or three or more digit groups that are no thousands
        if first.text.startswith("+") or (
            len(toks) > 2
            and number.value_max is None
            and sum(c.isdigit() for c in toks.text) >= 9
            and re.search(r"\d[\s-]\d", toks.text)
        ):
            return True
        # a year ("in 2015", "the 1951 Refugee Convention") unless it counts something
        if (
            len(toks) == 1
            and re.fullmatch(r"1[89]\d\d|20\d\d", first.text)
            and (not counted or (nxt is not None and nxt.is_title))
        ):
            return True
        # an age limit: "people under 30", "children over five"
        if (
            number.bound
            and 0 < number.start < number.num_start
            and doc[number.start].lower_ in ("under", "over", "above", "below")
            and self._unit_of(doc[number.start - 1])
        ):
            return True
        # "John Smith, 34, said": an age after a name
        return (
            prv is not None
            and prv.text == ","
            and nxt is not None
            and nxt.text == ","
            and number.num_start >= 2
            and doc[number.num_start - 2].ent_type_ == "PERSON"
        )

    # -- 3./4. what is counted and what happened ----------------------------------------

    def _lookup_unit(self, token: Token) -> tuple[str, str | None] | None:
        units = self.lex.units
        for key in _key(token)[:2] + ((token.lower_[:-1],) if token.lower_.endswith("s") else ()):
            if key in units:
                return units[key]
        return None

    def _unit_of(self, token: Token) -> tuple[str, str | None] | None:
        hit = self._lookup_unit(token)
        if hit and (
            token.pos_ != "ADJ"
            or token.tag_ == "NNS"
            or token.lower_ in self.lex.states
            or token.lemma_.lower() in self.lex.states
        ):
            return hit  # not the adjective of "two national conventions"
        if token.ent_type_ == "NORP" and token.pos_ in ("PROPN", "NOUN"):
            return ("people", None)  # "300 Syrians", "35,326 Brus"
        return None

    def _counted_noun(self, number: Number, sent: Span) -> tuple[Token | None, Token]:
        """(the counted noun or None, the number's anchor token in the parse)."""
        doc = sent.doc
        toks = doc[number.num_start : number.end]
        anchor = toks.root
        if number.end < sent.end and self._unit_of(doc[number.end]):
            return doc[number.end], anchor  # "6000 people", whatever the parse says
        # "thousands of people", "a total of 1,964 households" is handled via the head below
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "de"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and self._unit_of(pobj):
                        return pobj, anchor
        head = anchor.head
        # "120,000 ... the number of people": the carrier's "of" phrase
        if head.lemma_.lower() in self.lex.cue("carrier") and head.pos_ == "NOUN":
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and self._unit_of(pobj):
                            return pobj, anchor
        if (
            anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod")
            and head.i >= number.end
            and head.i < sent.end
            and head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "X")
        ):
            return head, anchor
        # The parser missed the noun: take a listed word right after the number.
        for j in range(number.end, min(number.end + 4, sent.end)):
            tok = doc[j]
            if self._unit_of(tok):
                return tok, anchor
            if tok.pos_ not in ("ADJ", "ADV", "NOUN", "PROPN", "PUNCT") or tok.text in ",;:":
                break
        if head.i >= number.end and head.pos_ in ("NOUN", "PROPN") and anchor.dep_ == "nummod":
            return head, anchor
        return None, anchor

    def _reading(
        self, number: Number, sent: Span, found: list[tuple[Number, Token | None, str, str]]
    ) -> tuple[Token | None, str, str, str | None] | None:
        """(counted noun, unit, category, cue word) of a number, or None when no figure."""
        reading = self._read(number, sent, found)
        if reading is None:
            return None
        _, unit, category, _ = reading
        # Small counts of people that nothing happened to are narrative, not reported
        # figures ("two women spoke", "one official"); so is "one" with a weak category.
        if category in WEAK and (number.value <= 1 or (unit == "people" and number.value < 10)):
            return None
        return reading

    def _read(
        self, number: Number, sent: Span, found: list[tuple[Number, Token | None, str, str]]
    ) -> tuple[Token | None, str, str, str | None] | None:
        doc = sent.doc
        # "dozens of cars", "thousands of shootings": the "of" phrase says what is counted
        if number.end + 1 < sent.end and doc[number.end].lower_ == "of":
            pobj = next(
                (
                    t
                    for t in doc[number.end + 1 : min(number.end + 5, sent.end)]
                    if t.pos_ in ("NOUN", "PROPN", "PRON")
                ),
                None,
            )
            if (
                pobj is not None
                and pobj.pos_ != "PRON"
                and self._unit_of(pobj) is None
                and pobj.lemma_.lower() not in self.lex.cue("carrier")
            ):
                return None
        noun, anchor = self._counted_noun(number, sent)
        unit_hit = self._unit_of(noun) if noun is not None else None
        if noun is not None and unit_hit is None:
            if noun.pos_ in ("NOUN", "PROPN") and self._word_category(noun, None) is None:
                # "130 cities", "173 mm": counts of something else, unless something that
                # happens to people happened to them ("51 peole were evacuated"; "35,326
                # Brus took shelter": a named group is people).
                lemma = noun.lemma_.lower()
                if not (noun.tag_ in ("NNPS", "NNP") or lemma.endswith(PERSON_SUFFIXES)):
                    return None
                category, cue = self._category(noun, anchor, sent)
                if category is None or category in WEAK:
                    return None
                return noun, "people", category, cue
            noun = None  # a participle the parser took for the head ("628,000 relocated")
        category, cue = self._category(noun, anchor, sent)
        before = sent.doc[number.start - 1].lower_ if number.start > sent.start else ""
        if before in PERSONAL and (category is None or category in WEAK):
            return None  # "her three children": a life story, not a reported count
        if unit_hit is not None:
            unit, implied = unit_hit
            # A state named by the counted word itself ("120 injured", "30 dead") wins over
            # the verb of a clause it is coordinated into ("47 killed and 120 injured").
            state = noun.lower_ in self.lex.states or noun.lemma_.lower() in self.lex.states
            if implied and (state or category is None or category in WEAK):
                category, cue = implied, noun.text
            return noun, unit, category or "other", cue
        # A bare number: it borrows the unit of a figure coordinated with it
        # ("31 houses were destroyed and 36 damaged"), else it counts people.
        if found and self._coordinated(found[-1][0], number, sent):
            return None, found[-1][2], category or found[-1][3], cue
        window_unit = self._window_unit(number, sent, table=category is None or category in WEAK)
        if window_unit is None and (
            category is None
            or category == "other"
            or any(child.dep_ == "prep" and child.lower_ == "of" for child in anchor.children)
        ):
            return None  # "hundreds of cars were destroyed", "about 300 were built"
        if category is None:
            category, cue = self._window_category(number, sent)
        return None, window_unit or "people", category or "other", cue

    def _coordinated(self, previous: Number, number: Number, sent: Span) -> bool:
        """Is `number` in the same list as `previous` (no sentence-level break between)?"""
        between = sent.doc[previous.end : number.start]
        return len(between) <= 12 and not any(t.text in (";", ":", ".") for t in between)

    def _window_unit(self, number: Number, sent: Span, table: bool = False) -> str | None:
        """A unit named just before a bare number, as in tables ("Evacuation total people: 36").
        With `table`, nothing but the row's words may stand between ("turns 18" is no row)."""
        doc = sent.doc
        for j in range(number.start - 1, max(sent.start, number.start - 5) - 1, -1):
            tok = doc[j]
            hit = self._unit_of(tok)
            if hit and tok.dep_ != "compound":  # "fighter aircraft" counts no fighters
                return hit[0]
            if (
                table
                and tok.pos_ in ("VERB", "AUX")
                and self._word_category(tok, None) is None
                and tok.lemma_.lower() not in self.lex.cue("carrier")
            ):
                return None
        return None

    def _window_category(self, number: Number, sent: Span) -> tuple[str | None, str | None]:
        doc = sent.doc
        best: tuple[int, str, str] | None = None
        for j in range(max(sent.start, number.start - 6), min(sent.end, number.end + 4)):
            if number.start <= j < number.end:
                continue
            cat = self._word_category(doc[j], None)
            if cat and (best is None or abs(j - number.start) < best[0]):
                best = (abs(j - number.start), cat, doc[j].text)
        return (best[1], best[2]) if best else (None, None)

    def _word_category(self, token: Token, role: str | None) -> str | None:
        for key in _key(token):
            hit = self.lex.categories.get(key)
            if hit and (hit[1] is None or role is None or hit[1] == role):
                if hit[1] is not None and role is None:
                    continue
                return hit[0]
        hit = self._lookup_unit(token)
        if hit and hit[1] and token.pos_ in ("NOUN", "ADJ", "PROPN"):
            return hit[1]
        return None

    def _category(
        self, noun: Token | None, anchor: Token, sent: Span
    ) -> tuple[str | None, str | None]:
        """The category and the word it comes from, read from the parse around the figure."""
        weak: tuple[str, str] | None = None

        def take(result: tuple[str, str] | None) -> tuple[str, str] | None:
            nonlocal weak
            if result is None:
                return None
            if result[0] in WEAK:
                weak = weak or result
                return None
            return result

        base = noun if noun is not None else anchor
        # 1. a clause on the counted noun: "people displaced by the storm"
        for child in base.children:
            participle = child.dep_ == "amod" and child.tag_ in ("VBN", "VBD")
            if child.dep_ in ("acl", "relcl") or participle:
                hit = take(self._verb_category(child, "subject"))
                if hit:
                    return hit
        # 2. up the tree to the governing verb or noun
        h = base
        for _ in range(6):
            dep = h.dep_
            if dep in (
                "nsubj",
                "nsubjpass",
                "dobj",
                "attr",
                "oprd",
                "appos",
                "conj",
                "npadvmod",
                "ROOT",
                "acomp",
                "advcl",
                "ccomp",
                "xcomp",
                "dep",
                "csubj",
            ):
                if dep in ("conj", "appos") and h.head.pos_ in ("NOUN", "PROPN", "NUM"):
                    h = h.head  # "people and children were killed": the first conjunct's verb
                    continue
                verb = h.head if dep != "ROOT" else h
                if verb.dep_ in ("aux", "auxpass") and verb.head.i != verb.i:
                    verb = verb.head  # "civilians remained displaced" parsed with an auxiliary
                if dep == "ROOT" and h.pos_ not in ("VERB", "AUX", "ADJ"):
                    break
                role = "object" if dep in ("dobj", "attr", "oprd") else "subject"
                if dep == "nsubjpass":
                    role = "object"
                hit = take(self._verb_category(verb, role, exclude=h))
                if hit:
                    return hit
                # "The number of displaced families is estimated to be 349"
                if dep in ("attr", "oprd", "dobj"):
                    hit = take(self._subject_category(verb))
                    if hit:
                        return hit
                break
            if dep == "pobj":
                prep = h.head
                governor = prep.head
                if governor.pos_ in ("NOUN", "PROPN", "NUM", "PRON", "ADJ"):
                    hit = take(self._token_category(governor, None))
                    if hit:
                        return hit  # "the evacuation of 60 families"
                    # "a total of", "the number of", "hundreds of": read on from there
                    carrier = governor.lemma_.lower() in self.lex.cue("carrier")
                    if carrier or governor.pos_ == "NUM" or governor.i == anchor.i:
                        h = governor
                        continue
                    break
                if prep.lower_ in ("of", "for"):  # not "moved to the 447 members"
                    hit = take(self._verb_category(governor, "object", exclude=prep))
                    if hit:
                        return hit
                if prep.lower_ in ("to", "at", "from") and governor.lemma_.lower() in RISE_VERBS:
                    hit = take(self._subject_category(governor))  # "the death toll rose to 57"
                    if hit:
                        return hit
                break
            if dep in ("nummod", "quantmod", "compound", "amod", "nmod", "prep", "advmod"):
                if dep == "compound" and h.head.pos_ == "NOUN":
                    hit = take(self._token_category(h.head, None))  # "30 passengers hostage"
                    if hit:
                        return hit
                h = h.head
                continue
            break
        # 3. what the counted noun is: "refugees", "deaths"
        hit = take(self._token_category(base, None)) if noun is not None else None
        if hit:
            return hit
        for child in base.children:
            if child.dep_ in ("amod", "compound"):
                hit = take(self._token_category(child, None))
                if hit:
                    return hit
        return weak if weak else (None, None)

    def _token_category(self, token: Token, role: str | None) -> tuple[str, str] | None:
        cat = self._word_category(token, role)
        return (cat, token.text) if cat else None

    def _subject_category(self, verb: Token) -> tuple[str, str] | None:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                for tok in child.subtree:
                    hit = self._token_category(tok, None)
                    if hit:
                        return hit
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.i != verb.i:
            return self._subject_category(verb.head)
        return None

    def _verb_category(
        self, verb: Token, role: str, exclude: Token | None = None, depth: int = 0
    ) -> tuple[str, str] | None:
        """The category a verb (with its complements) gives a figure in `role`."""
        own = self._token_category(verb, role)
        light = verb.lemma_.lower() in self.lex.cue("light")
        comps: list[tuple[str, str]] = []
        weak_comps: list[tuple[str, str]] = []
        if depth < 3:
            for child in verb.children:
                if exclude is not None and child.i == exclude.i:
                    continue
                hit = None
                if child.dep_ in ("acomp", "oprd", "attr"):
                    hit = self._token_category(child, None) or self._phrase_category(child)
                elif child.dep_ in ("xcomp", "conj") and child.pos_ in ("VERB", "ADJ", "AUX"):
                    sub_role = role if child.dep_ == "conj" else "subject"
                    hit = self._verb_category(child, sub_role, depth=depth + 1)
                elif child.dep_ in ("dobj", "npadvmod", "ccomp") and light and role == "object":
                    hit = self._token_category(child, None)  # "took 30 passengers hostage"
                elif child.dep_ == "dobj" and role == "subject" and light:
                    hit = self._token_category(child, None)
                    if (
                        hit is None
                        and child.lemma_.lower() in self.lex.cue("home")
                        and verb.lemma_.lower() in ("leave", "abandon", "lose", "flee")
                    ):
                        hit = (
                            "displaced" if verb.lemma_.lower() != "lose" else "homeless",
                            verb.text,
                        )
                elif child.dep_ == "prep":
                    hit = self._prep_category(child, verb)
                if hit:
                    (weak_comps if hit[0] in WEAK else comps).append(hit)
        if light:
            order = [*comps, *([own] if own else []), *weak_comps]
        else:
            order = [*([own] if own else []), *comps, *weak_comps]
        strong = [h for h in order if h[0] not in WEAK]
        if strong:
            return strong[0]
        return order[0] if order else None

    def _prep_category(self, prep: Token, verb: Token) -> tuple[str, str] | None:
        """ "out of their homes" -> displaced, "in relief camps" -> sheltered."""
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            low = prep.lower_
            if low in ("out", "from", "of") and pobj.lemma_.lower() in self.lex.cue("home"):
                return ("displaced", verb.text)
            if low == "out":
                for sub in pobj.children:
                    if sub.lemma_.lower() in self.lex.cue("home"):
                        return ("displaced", verb.text)
            if low in ("in", "into", "at", "to", "without", "among"):
                if low == "without" and pobj.lemma_.lower() in ("shelter", "home", "house", "roof"):
                    return ("homeless", pobj.text)
                hit = self._phrase_category(pobj)
                if hit:
                    return hit
        if prep.lower_ == "out":
            for child in prep.children:
                if child.dep_ == "prep":
                    return self._prep_category(child, verb)
        return None

    def _phrase_category(self, token: Token) -> tuple[str, str] | None:
        weak = None
        for tok in token.subtree:
            hit = self._token_category(tok, None)
            if hit and hit[0] not in WEAK:
                return hit  # "in need of emergency shelter": sheltered before affected
            if hit and hit[0] != "other":
                weak = weak or hit
        return weak

    # -- 5./6. source, place and time ---------------------------------------------------

    def _figure(
        self,
        doc: Doc,
        sent: Span,
        previous: Span | None,
        number: Number,
        noun: Token | None,
        unit: str,
        category: str,
        cue: str | None,
        places: list[tuple[int, int, str, Token]],
        times: list,
    ) -> Figure:
        end_tok = number.end
        # The counted noun joins the span when the number sits in its phrase
        # ("25,000 mud-and-thatch homes", "thousands of people").
        if (
            noun is not None
            and noun.i >= number.end
            and (noun.i < number.end + 3 or noun.left_edge.i <= number.num_start)
            and noun.i < sent.end
        ):
            end_tok = noun.i + 1
        span = doc[number.start : end_tok]
        value: float | int = number.value
        if float(value).is_integer():
            value = int(value)
        value_max = number.value_max
        if value_max is not None and float(value_max).is_integer():
            value_max = int(value_max)
        source = self._source(doc, sent, previous, number, noun)
        # A figure inside a direct quote is its speaker's (the quotes component found them).
        quote = next(
            (
                q
                for q in doc._.quotes or []
                if q.speaker
                and q.speaker_start is not None
                and q.start <= span.start_char
                and span.end_char <= q.end
            ),
            None,
        )
        if quote is not None and (source is None or source[3] != quote.speaker):
            source = (quote.speaker_start, quote.speaker_end, quote.speaker_text, quote.speaker)
        anchor = noun if noun is not None else doc[number.num_start : number.end].root
        skip = (source[0], source[1]) if source else None
        place = self._place(doc, sent, anchor, places, skip)
        time = self._time(doc, sent, anchor, times)
        return Figure(
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            value=value,
            approximate=number.bound is not None,
            unit=unit,
            category=category,
            source=source[3] if source else None,
            source_text=source[2] if source else None,
            source_start=source[0] if source else None,
            source_end=source[1] if source else None,
            place=place,
            time=time,
            bound=number.bound,
            value_max=value_max,
            cue=cue,
        )

    def _source(
        self, doc: Doc, sent: Span, previous: Span | None, number: Number, noun: Token | None
    ) -> tuple[int, int, str, str | None] | None:
        anchor = noun if noun is not None else doc[number.num_start : number.end].root
        # "according to X": the nearest one before the figure, else after it
        accordings = [t for t in sent if t.lower_ == "according"]
        if accordings:
            before = [t for t in accordings if t.i < number.start]
            tok = before[-1] if before else accordings[0]
            hit = self._according(tok)
            if hit:
                return hit
        # "X said/reported/estimated ...": a reporting verb above the figure, or beside it
        h = anchor
        seen: set[int] = set()
        while h.i not in seen:
            seen.add(h.i)
            if h.pos_ in ("VERB", "AUX", "NOUN"):
                hit = self._reporter(h, previous)
                if hit:
                    return hit
                for child in h.children:
                    if child.dep_ in ("parataxis", "advcl", "conj", "ccomp") and child.i > anchor.i:
                        hit = self._reporter(child, previous)
                        if hit:
                            return hit
            if h.head.i == h.i:
                break
            h = h.head
        if previous is not None:
            for tok in reversed(list(previous)):
                if tok.lower_ == "according":
                    hit = self._according(tok)
                    if hit:
                        return hit
                if tok.pos_ == "VERB":
                    hit = self._reporter(tok)
                    if hit:
                        return hit
        return None

    def _according(self, tok: Token) -> tuple[int, int, str, str | None] | None:
        for child in tok.children:
            if child.lower_ == "to":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and not pobj.is_punct:
                        return self._source_span(pobj)
        nxt = tok.nbor(1) if tok.i + 2 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ == "to" and tok.nbor(2).is_alpha:
            return self._source_span(tok.nbor(2))
        return None

    def _reporter(
        self, verb: Token, previous: Span | None = None
    ) -> tuple[int, int, str, str | None] | None:
        """The source of a reporting verb: its subject, the agent of its passive, or, for a
        pronoun ("It said"), the subject of the previous sentence."""
        if verb.lemma_.lower() not in self.lex.cue("report") or verb.pos_ not in ("VERB", "AUX"):
            return None
        # The subject nearest the verb: "GENEVA - The UN agency said" has two.
        subjects = sorted((c for c in verb.children if c.dep_ == "nsubj"), key=lambda c: -c.i)
        children = [*subjects[:1], *(c for c in verb.children if c.dep_ == "agent")]
        if not subjects and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i != verb.i:
            # "The government denied it, saying only 12 soldiers had died"
            children = [c for c in verb.head.children if c.dep_ == "nsubj"][-1:]
        for child in children:
            if child.dep_ == "nsubj" and child.pos_ == "PRON":
                if previous is None or child.lower_ not in ("he", "she", "it", "they"):
                    return None
                subject = next(
                    (
                        t
                        for t in previous.root.children
                        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ != "PRON"
                    ),
                    None,
                )
                return self._source_span(subject) if subject is not None else None
            if child.dep_ == "nsubj":
                # "UNHCR figures show", "OCHA's data show": the named owner of the figures
                if child.lemma_.lower() in self.lex.cue("data"):
                    for sub in child.children:
                        if sub.dep_ in ("poss", "compound") and sub.ent_type_:
                            return self._source_span(sub)
                return self._source_span(child)
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return self._source_span(pobj)
        return None

    def _source_span(self, head: Token) -> tuple[int, int, str, str | None]:
        doc = head.doc
        # The entity that names the source, if the head belongs to one or its phrase holds one.
        if head.ent_type_:
            ent = entity_span_of(head)
            if ent is not None:
                ent = _balanced(ent)
                ident = entity_at(doc, ent.start_char, ent.end_char)
                return ent.start_char, ent.end_char, ent.text, ident
        left = head.left_edge.i
        right = head.i + 1
        # keep the noun phrase: modifiers and "of"/"for" phrases, not clauses after a comma
        for child in head.rights:
            if child.dep_ in ("prep", "compound", "appos", "pobj") and not any(
                t.text in (",", "(") for t in doc[head.i : child.i]
            ):
                right = child.right_edge.i + 1
            else:
                break
        while left < head.i and doc[left].dep_ in ("det", "punct", "cc"):
            left += 1
        span = doc[left:right]
        while len(span) > 1 and span[-1].is_punct:
            span = span[:-1]
        span = _balanced(span)
        # An entity that names the reporter itself ("news agency ANGOP", "the Kenyan Red
        # Cross"), not one merely in its phrase ("officials in Kenya" are not Kenya).
        ident = None
        for child in head.children:
            if child.dep_ in ("compound", "poss", "appos", "nmod") and child.ent_type_ in (
                "ORG",
                "PERSON",
            ):
                ident = entity_at(doc, child.idx, child.idx + len(child.text))
                if ident:
                    break
        return span.start_char, span.end_char, span.text, ident

    def _place(
        self,
        doc: Doc,
        sent: Span,
        anchor: Token,
        places: list[tuple[int, int, str, Token]],
        skip: tuple[int, int] | None,
    ) -> str | None:
        if not places:
            return None
        in_sent = [
            p
            for p in places
            if sent.start_char <= p[0] < sent.end_char and not (skip and skip[0] <= p[0] < skip[1])
        ]
        if in_sent:
            return _attached(anchor, [(p[3], p[2]) for p in in_sent])
        if not self.main_place_fallback:
            return None
        distinct = {p[2] for p in places}
        if len(distinct) == 1:
            return next(iter(distinct))  # the article names one place only
        # "there", "the city": the place named last before the sentence
        deixis = self.lex.cue("deixis")
        pointing = ("the", "this", "that")
        if any(
            t.lower_ in deixis
            and t.dep_ != "expl"  # not "there were 300 people"
            and (
                t.lower_ == "there"
                or any(
                    c.dep_ == "det" and c.lower_ in pointing
                    for c in t.children  # "the old city"
                )
            )
            for t in sent
        ):
            before = [p for p in places if p[0] < sent.start_char]
            if before:
                return before[-1][2]
        return None

    def _time(self, doc: Doc, sent: Span, anchor: Token, times: list) -> str | None:
        hits = []
        for item in times:
            if sent.start_char <= item.start < sent.end_char:
                span = doc.char_span(item.start, item.end, alignment_mode="expand")
                if span is not None:
                    hits.append((item, span))
        # A date in brackets is a dateline or an aside ("KABUL (March 3) -"): used only
        # when the sentence has no other.
        plain = [
            h
            for h in hits
            if not (
                h[1].start > 0
                and doc[h[1].start - 1].text == "("
                and h[1].end < len(doc)
                and doc[h[1].end].text == ")"
            )
        ]
        if not (plain or hits):
            return None
        return _attached(anchor, [(span.root, item.value) for item, span in plain or hits])


BULLETS = {"•", "·", "▪", "◦", "‣", "-", "*", "–", "—"}


def _segments(sent: Span) -> list[Span]:
    """A sentence cut at blank lines and bullets: the parser runs a heading and the list
    under it together ("Situation Report No. 4\n\n• 400,000 people displaced")."""
    doc = sent.doc
    cuts = [sent.start]
    for tok in sent[:-1]:
        breaks = "\n\n" in tok.text if tok.is_space else False
        bullet = (
            "\n" in tok.text_with_ws[len(tok.text) if not tok.is_space else 0 :]
            and doc[tok.i + 1].text in BULLETS
        )
        if breaks or bullet:
            cuts.append(tok.i + 1)
    cuts.append(sent.end)
    return [doc[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def _balanced(span: Span) -> Span:
    """A span with its open bracket closed: "Disaster Management (INGC" -> "... (INGC)"."""
    doc = span.doc
    if (
        span.text.count("(") > span.text.count(")")
        and span.end < len(doc)
        and doc[span.end].text == ")"
    ):
        return doc[span.start : span.end + 1]
    return span


def _content_end(span: Span) -> int:
    """The end of a span's text without its trailing whitespace."""
    return span.start_char + len(span.text.rstrip())


def _attached(anchor: Token, candidates: list[tuple[Token, str]]) -> str:
    """The candidate (a place or time mention's root token, and its payload) that belongs to
    the figure: within the counted noun's phrase ("people in Aleppo"), else within the
    figure's clause and the clauses under it ("killed ... when floods hit on Saturday"),
    else the nearest in the sentence."""
    phrase = {t.i for t in anchor.subtree}
    clause = {t.i for t in _clause_verb(anchor).subtree}
    for tier in (phrase, clause):
        pool = [c for c in candidates if c[0].i in tier]
        if pool:
            return min(pool, key=lambda c: abs(c[0].i - anchor.i))[1]
    return min(candidates, key=lambda c: abs(c[0].i - anchor.i))[1]


def _clause_verb(token: Token) -> Token:
    """The nearest verb above a token (the token's clause), else the sentence root."""
    h = token
    for _ in range(12):
        if h.pos_ in ("VERB", "AUX") and h.i != token.i:
            return h
        if h.head.i == h.i:
            return h
        h = h.head
    return h


def _place_mentions(doc: Doc) -> list[tuple[int, int, str, Token]]:
    """(start, end, place id, root token) of every place mention, in text order."""
    out = []
    for place in doc._.places or []:
        for m in place.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                out.append((m.start, m.end, place.id, span.root))
    return sorted(out)
