"""Readers of one clause per answer kind: amount, timeframe, role, text, yes/no, choice.

Each reader looks at one :class:`~flows.cues.Clause` and returns an
:class:`~flows.model.Assessment` (without evidence: the caller adds the whole answer) or
``None`` when the clause says nothing about the criterion. :mod:`flows.understanding` applies
the cues shared by all kinds (knock-outs, not-yet-known, hedges) and combines the clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows import lexicon as lx
from flows.cues import NEGATION, Clause, negated
from flows.model import Assessment, Status, Thresholds
from flows.parsing import parse_amount, parse_magnitude, parse_range
from flows.timeframes import parse_window

SHORT_CLAUSE_WORDS = 3
"""Bare yes / no words decide only in clauses this short; in a sentence they are noise."""


@dataclass
class Context:
    """What a reader knows besides the clause: thresholds, the day, earlier answers."""

    lang: str
    thresholds: Thresholds
    today: date
    key: str = ""
    need: bool = False
    """Whether the criterion asks for a need or pain (severity applies)."""
    deal_amount: float | None = None
    first: bool = True
    """Whether the clause opens the answer: "No, ..." there is the rep's verdict."""
    short: bool = True
    """Whether the whole answer is a few words: a bare "no" decides only there."""
    roles_seen: list[str] = field(default_factory=list)
    whole: str = ""
    """The whole answer, normalised: some clauses are read against the rest of it."""
    unit: str = ""
    """The period unit named last ("this quarter"), for a bare "maybe next" after it."""
    after_unknown: bool = False
    """Whether the clause before said nobody knows yet ("keine Ahnung, ob ...")."""
    decider: str = ""
    """The role said to decide in an earlier clause ("der CFO hat das letzte Wort")."""
    described: bool = False
    """Whether an earlier clause already spoke about the contact ("she's the MD")."""


def make_reading(
    clause: Clause, status: Status, *notes: str, value: Any = None, confidence: float = 0.9
) -> Assessment:
    """A clause's reading, its verbatim words as the span (the caller adds the evidence)."""
    return Assessment(
        status=status, value=value, span=clause.span, confidence=confidence, notes=notes
    )


def word_count(text: str) -> int:
    """Words of a normalised clause."""
    return len(text.split())


_VERDICT_NO = re.compile(
    r"(?:so|also|thus|kurz|in short|bottom line:?|fazit:?|long story short)\s(?:no|nein|nope|nö)\b"
)


def generic(clause: Clause, ctx: Context) -> Assessment | None:
    """Yes / partial / no said in so many words, in a short clause."""
    text = clause.text
    if lx.PARTIAL.search(text) and (ctx.short or word_count(text) <= SHORT_CLAUSE_WORDS):
        # "partly", "jein": the rep's own verdict outweighs the details around it.
        return make_reading(clause, Status.PARTIAL, "said_partial", confidence=0.9)
    if lx.STARTS_NO.match(text) and (ctx.short or ctx.first):
        return make_reading(clause, Status.MISSING, "said_no", confidence=0.8)
    if _VERDICT_NO.match(text):
        # "so no, ..." after a long story is the rep's conclusion.
        return make_reading(clause, Status.MISSING, confidence=0.9)
    # A lone "no" or "yes" decides only as the opening of a short answer; later it is a fragment.
    if word_count(text) > SHORT_CLAUSE_WORDS or not ctx.short or not ctx.first:
        return None
    if lx.NO.search(text):
        return make_reading(clause, Status.MISSING, confidence=0.8)
    if lx.YES.search(text):
        return make_reading(clause, Status.MET, "bare_yes", confidence=0.5)
    return None


def _not_before_amount(text: str, at: int) -> bool:
    """ "not 50k" / "we do not have 50k" negate the amount; "not more than 50k" caps it and
    "not yet approved, 50k" plans it."""
    scope = text[max(text.rfind(",", 0, at), 0) : at]
    scope = _NOT_A_DENIAL.sub(" ", scope)
    return NEGATION.search(scope) is not None


_NOT_A_DENIAL = re.compile(
    r"(?:no|not|nicht|nothing)\s(?:more|mehr)\s(?:than|als)|not (?:yet|sure)|noch nicht|nicht"
    r" sicher"
    r"|no later than|not later than"
)
_NEGATED_AFTER = re.compile(r"(?: \w{1,12}){0,2} (?:nicht|kein\w{0,6}|nie|not|never)\b")
_APPROVAL = re.compile(
    r"approved|signed|freigegeben|genehmigt|abgesegnet|bewilligt|green ?lit|greenlit|final"
)


# "4k/month", "900 pro Monat": the minimum is a yearly sum.
_MONTHLY = re.compile(
    r"(?:/ ?(?:month|mo|monat|mon|mtl)\b|per month|a month|pro monat|im monat|monatlich"
    r"|monthly|p\.? ?m\.?(?!\w))"
)


def amount(clause: Clause, ctx: Context) -> Assessment | None:
    """Budget: an amount, approved / planned / none, and changes ("cut to zero", "doubled")."""
    text = clause.text
    if lx.NO_BUDGET.search(text):
        return make_reading(clause, Status.MISSING, "no_budget")
    money = parse_amount(text, default_currency=ctx.thresholds.currency)
    planned = lx.PLANNED.search(text)
    if planned and negated(text, planned.start()) and money is None:
        # "nothing planned either": no budget, not a planned one.
        return make_reading(clause, Status.MISSING, "negated", "not_planned")
    size = parse_magnitude(text, default_currency=ctx.thresholds.currency)
    if money is None and size is not None:
        money = size[0]
    if money is not None:
        value: dict[str, Any] = money.to_json()
        spread = size or parse_range(text, default_currency=ctx.thresholds.currency)
        if spread is not None:
            value = {**spread[0].to_json(), "max": spread[1].amount}
            money = spread[0]
        where = re.search(r"\d", text)
        if where and _not_before_amount(text, where.start()):
            return make_reading(clause, Status.MISSING, "negated", value=value)
        notes = []
        status = Status.MET
        if planned:
            status = Status.PARTIAL
            notes.append("planned")
        yearly = money.amount * 12 if _MONTHLY.search(text) else money.amount
        if yearly < ctx.thresholds.min_budget:
            status = Status.PARTIAL
            notes.append("below_minimum")
        return make_reading(clause, status, *notes, value=value, confidence=0.95)
    if planned:
        return make_reading(clause, Status.PARTIAL, "planned")
    if _EXISTS.fullmatch(text):
        # "there is budget", "jo, ist vorhanden": a yes that names no sum asks for the amount.
        return make_reading(clause, Status.MET, "bare_yes", confidence=0.5)
    approved = lx.APPROVED.search(text)
    if approved:
        # German puts the negation after the verb: "gibt es nicht", "ist nicht freigegeben".
        after = _NEGATED_AFTER.match(text, approved.end())
        if negated(text, approved.start()) or after:
            # "nothing's signed off yet" says the money is not approved, not that none exists.
            if _APPROVAL.search(approved.group(0)):
                return make_reading(clause, Status.PARTIAL, "not_approved")
            return make_reading(clause, Status.MISSING, "negated")
        return make_reading(clause, Status.MET)
    word = lx.BUDGET_WORD.search(text)
    if word and NEGATION.search(text[: word.start()]):
        return make_reading(clause, Status.MISSING, "negated")
    return generic(clause, ctx)


_EXISTS = re.compile(
    r"(?:(?:yes|yeah|yep|ja|jo|jup),? )?(?:there'?s|there is|we have|they have|es gibt|haben"
    r" sie|sie haben|ist|sind|gibt'?s) (?:a |an |ein |schon |auch )?(?:budget|geld|money)?"
    r"(?: vorhanden| da| available)?"
)


_UNIT_NAMED = re.compile(
    r"\b(?:this|next|diese[snm]?|nächste[snm]?)\s(?P<unit>month|quarter|year|monat|quartal|jahr)"
)
_BARE_NEXT = re.compile(r"\b(?:next|nächste[snm]?|dann)$")
_DEADLINE = re.compile(
    r"spätestens|at the latest|latest by|no later than|not later than|nicht später|hard deadline"
    r"|deadline|must be live|muss (?:\w{1,12} ){0,3}laufen|has to be live"
)
_TIME_NEGATION_FREE = re.compile(
    r"(?:not later than|no later than|not after|nicht später(?: als)?|spätestens|not sure"
    r"|not before|nicht vor|no earlier than|not until|not later|nicht erst|not only)"
)


_LONG_WINDOW_DAYS = 62
"""A named period longer than two months (a half, a season) is partial when it opens in time;
a span counted from today ("in 18 months") and a whole year ("next year") are judged by
their end."""
_YEAR_WINDOW_DAYS = 300


def timeframe(clause: Clause, ctx: Context) -> Assessment | None:
    """Timeline: a date window judged by the team's met / partial days."""
    text = clause.text
    named = _UNIT_NAMED.search(text)
    if named:
        ctx.unit = named["unit"]
    elif ctx.unit and _BARE_NEXT.search(text):
        # "not this quarter, maybe next": the unit carries over.
        text = f"{text} {ctx.unit}"
    if lx.NO_TIMELINE.search(text):
        return make_reading(clause, Status.MISSING, "no_timeline")
    window = parse_window(text, lang=ctx.lang, today=ctx.today, fallback=ctx.short)
    if window is None:
        if lx.VAGUE_TIME.search(text):
            return make_reading(clause, Status.MISSING, "no_timeline", confidence=0.7)
        return generic(clause, ctx)
    days = max(0, (window.when - ctx.today).days)
    value = {
        "date": window.when.isoformat(),
        "days": days,
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
    }
    th = ctx.thresholds
    scope = text[max(text.rfind(",", 0, window.at), 0) : window.at]
    if not window.not_before and NEGATION.search(_TIME_NEGATION_FREE.sub(" ", scope)):
        return make_reading(clause, Status.MISSING, "negated", value=value)
    if days <= th.timeline_met_days:
        status = Status.MET
    elif days <= th.timeline_partial_days:
        status = Status.PARTIAL
    elif (
        ctx.today < window.start
        and (window.start - ctx.today).days <= th.timeline_partial_days
        and _LONG_WINDOW_DAYS < (window.end - window.start).days < _YEAR_WINDOW_DAYS
    ):
        # "second half of next year": a long window that opens inside the partial window.
        status = Status.PARTIAL
    else:
        status = Status.MISSING
    notes: tuple[str, ...] = ()
    confidence = 0.95
    if _DEADLINE.search(text):
        # "at the latest end of January" names the date that counts.
        notes, confidence = ("deadline",), 0.99
    if window.not_before:
        notes = ("not_before",)
        if status is Status.MET:
            status = Status.PARTIAL
    return make_reading(clause, status, *notes, value=value, confidence=confidence)
