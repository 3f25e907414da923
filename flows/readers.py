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
from flows.parsing import parse_amount, parse_range
from flows.timeframes import parse_window

SHORT_CLAUSE_WORDS = 3
"""Bare yes / no words decide only in clauses this short; in a sentence they are noise."""


@dataclass
class Context:
    """What a reader knows besides the clause: thresholds, the day, earlier answers."""

    lang: str
    thresholds: Thresholds
    today: date
    deal_amount: float | None = None
    roles_seen: list[str] = field(default_factory=list)


def _reading(
    clause: Clause, status: Status, *notes: str, value: Any = None, confidence: float = 0.9
) -> Assessment:
    return Assessment(
        status=status, value=value, span=clause.span, confidence=confidence, notes=notes
    )


def _words(text: str) -> int:
    return len(text.split())


def generic(clause: Clause) -> Assessment | None:
    """Yes / partial / no said in so many words, in a short clause."""
    text = clause.text
    if lx.STARTS_NO.match(text):
        return _reading(clause, Status.MISSING, confidence=0.8)
    if _words(text) > SHORT_CLAUSE_WORDS:
        return None
    if lx.PARTIAL.search(text):
        return _reading(clause, Status.PARTIAL, confidence=0.7)
    if lx.NO.search(text):
        return _reading(clause, Status.MISSING, confidence=0.8)
    if lx.YES.search(text):
        return _reading(clause, Status.MET, "bare_yes", confidence=0.5)
    return None


def _not_before_amount(text: str, at: int) -> bool:
    """ "not 50k" negates the amount; "not more than 50k" only caps it."""
    before = text[max(0, at - 24) : at]
    if re.search(r"(?:no|not|nicht)\s(?:more|mehr)\s(?:than|als)\s?$", before):
        return False
    return negated(text, at) and bool(
        re.search(r"(?:not|nicht|no|kein\w{0,2})\s{1,2}(?:even\s|mal\s)?[€$£]?\s?$", before)
    )


def amount(clause: Clause, ctx: Context) -> Assessment | None:
    """Budget: an amount, approved / planned / none, and changes ("cut to zero", "doubled")."""
    text = clause.text
    found = lx.NO_BUDGET.search(text)
    if found and not negated(text, found.start()):
        return _reading(clause, Status.MISSING, "no_budget")
    money = parse_amount(text, default_currency=ctx.thresholds.currency)
    planned = lx.PLANNED.search(text)
    if money is not None:
        value: dict[str, Any] = money.to_json()
        spread = parse_range(text, default_currency=ctx.thresholds.currency)
        if spread is not None:
            value = {**spread[0].to_json(), "max": spread[1].amount}
            money = spread[0]
        where = re.search(r"\d", text)
        if where and _not_before_amount(text, where.start()):
            return _reading(clause, Status.MISSING, "negated", value=value)
        notes = []
        status = Status.MET
        if planned:
            status = Status.PARTIAL
            notes.append("planned")
        if money.amount < ctx.thresholds.min_budget:
            status = Status.PARTIAL
            notes.append("below_minimum")
        return _reading(clause, status, *notes, value=value, confidence=0.95)
    if planned:
        return _reading(clause, Status.PARTIAL, "planned")
    approved = lx.APPROVED.search(text)
    if approved:
        if negated(text, approved.start()):
            return _reading(clause, Status.MISSING, "negated")
        return _reading(clause, Status.MET)
    word = lx.BUDGET_WORD.search(text)
    if word and NEGATION.search(text[: word.start()]):
        return _reading(clause, Status.MISSING, "negated")
    return generic(clause)


_TIME_NEGATION_FREE = re.compile(
    r"(?:not later than|no later than|not after|nicht später als|spätestens|no rush|not sure"
    r"|keine eile|not before|nicht vor|no earlier than|not until)"
)


def timeframe(clause: Clause, ctx: Context) -> Assessment | None:
    """Timeline: a date window judged by the team's met / partial days."""
    text = clause.text
    if lx.NO_TIMELINE.search(text):
        return _reading(clause, Status.MISSING, "no_timeline")
    window = parse_window(text, lang=ctx.lang, today=ctx.today)
    if window is None:
        return generic(clause)
    days = max(0, (window.when - ctx.today).days)
    value = {
        "date": window.when.isoformat(),
        "days": days,
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
    }
    th = ctx.thresholds
    if NEGATION.search(_TIME_NEGATION_FREE.sub(" ", text)):
        return _reading(clause, Status.MISSING, "negated", value=value)
    if days <= th.timeline_met_days:
        status = Status.MET
    elif days <= th.timeline_partial_days:
        status = Status.PARTIAL
    else:
        status = Status.MISSING
    notes: tuple[str, ...] = ()
    if window.not_before:
        notes = ("not_before",)
        if status is Status.MET:
            status = Status.PARTIAL
    return _reading(clause, status, *notes, value=value, confidence=0.95)


def _limit(clause: Clause, ctx: Context, role: str | None) -> Assessment | None:
    """A signing limit compared with the deal's amount from the budget answer."""
    match = lx.SIGN_LIMIT.search(clause.text)
    if match is None:
        return None
    limit = parse_amount(match["amount"], default_currency=ctx.thresholds.currency)
    if limit is None or limit.amount < 100:
        return None
    if ctx.deal_amount is None:
        return _reading(clause, Status.PARTIAL, "signing_limit_unknown_amount", value=role)
    if ctx.deal_amount <= limit.amount:
        return _reading(clause, Status.MET, "within_signing_limit", value=role)
    return _reading(clause, Status.PARTIAL, "above_signing_limit", value=role)


def role(clause: Clause, ctx: Context) -> Assessment | None:
    """Authority: who decides, whether someone else signs, signing limits."""
    text = clause.text
    found = lx.ROLES.search(text)
    name = found.group(0) if found else None
    earlier = list(ctx.roles_seen)
    if name is not None:
        ctx.roles_seen.append(name)
    value = name or (earlier[0] if earlier else None)
    if lx.NO_AUTHORITY.search(text) or re.search(r"\b(?:intern|praktikant\w{0,2})\b", text):
        return _reading(clause, Status.MISSING, value=value)
    decides = lx.DECIDES.search(text)
    if decides or lx.PARTIAL_AUTHORITY.search(text):
        limited = _limit(clause, ctx, value)
        if limited is not None:
            return limited
    if lx.PARTIAL_AUTHORITY.search(text):
        self_decides = decides and re.search(
            r"(?:^|\b)(?:i|she|he|ich|sie|er)\s(?:\w{1,12}\s)?(?:has|have|hat|habe)\s(?:the\s|das\s)?"
            r"(?:final|letzte)",
            text,
        )
        if not self_decides:
            return _reading(clause, Status.PARTIAL, "attributed", value=value)
    if decides:
        if negated(text, decides.start()):
            return _reading(clause, Status.MISSING, "negated", value=value)
        # "Head of IT, the CEO decides": the contact is the first role named, the one who
        # decides another.
        subject = _subject(text, decides.start())
        contact = earlier[0] if earlier else None
        if contact is None and found is not None and found.start() < decides.start():
            contact = name
        if subject is not None and contact is not None and subject != contact:
            return _reading(clause, Status.PARTIAL, "attributed", value=contact)
        return _reading(clause, Status.MET, value=value)
    if name is not None:
        if lx.TOP_ROLES.fullmatch(name):
            negation = NEGATION.search(text[: found.start()]) if found else None
            if negation:
                return _reading(clause, Status.PARTIAL, "negated", value=name)
            return _reading(clause, Status.MET, value=name)
        return _reading(clause, Status.PARTIAL, value=name, confidence=0.7)
    return generic(clause)


def _subject(text: str, at: int) -> str | None:
    """The role named just before a verb ("the CFO signs"), if any."""
    before = text[max(0, at - 40) : at]
    roles = list(lx.ROLES.finditer(before))
    if not roles:
        return None
    last = roles[-1]
    if lx.SELF.search(before[last.end() :]):
        return None
    return last.group(0)


def description(clause: Clause, ctx: Context) -> Assessment | None:
    """Needs, pains and other described answers: severity and negated needs."""
    text = clause.text
    if lx.NICE_TO_HAVE.search(text):
        return _reading(clause, Status.PARTIAL, "minor")
    none = lx.NO_PAIN.search(text)
    if none and not negated(text, none.start()):
        return _reading(clause, Status.MISSING, "no_need")
    need = lx.NEED_WORD.search(text)
    if need and negated(text, need.start()):
        return _reading(clause, Status.MISSING, "negated")
    strong = lx.STRONG_NEED.search(text)
    if strong:
        if negated(text, strong.start()):
            return _reading(clause, Status.PARTIAL, "negated")
        return _reading(clause, Status.MET, "severe", value=clause.span, confidence=0.95)
    if lx.STARTS_NO.match(text):
        return _reading(clause, Status.MISSING)
    if need:
        return _reading(clause, Status.MET, value=clause.span, confidence=0.7)
    return None


def yesno(clause: Clause, ctx: Context) -> Assessment | None:
    """Yes / partial / no, or a sentence about the person or the step."""
    said = generic(clause)
    if said is not None:
        if "bare_yes" in said.notes:
            return _reading(clause, Status.MET, confidence=0.8)
        return said
    text = clause.text
    if lx.PARTIAL.search(text):
        return _reading(clause, Status.PARTIAL, confidence=0.7)
    if _words(text) >= 3:
        if NEGATION.search(text):
            return _reading(clause, Status.MISSING, "negated", value=clause.span, confidence=0.7)
        return _reading(clause, Status.MET, value=clause.span, confidence=0.7)
    return None


def choice(clause: Clause, ctx: Context) -> Assessment | None:
    """Priority and competition words."""
    text = clause.text
    for pattern, status in (
        (lx.CHOICE_MISSING, Status.MISSING),
        (lx.CHOICE_PARTIAL, Status.PARTIAL),
        (lx.CHOICE_MET, Status.MET),
    ):
        hit = pattern.search(text)
        if hit:
            if status is Status.MET and negated(text, hit.start()):
                return _reading(clause, Status.PARTIAL, "negated", value=clause.span)
            return _reading(clause, status, value=clause.span)
    said = generic(clause)
    if said is not None and "bare_yes" not in said.notes:
        return said
    return None
