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
from flows.cues import HEDGE, NEGATION, Clause, negated
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
    described: bool = False
    """Whether an earlier clause already spoke about the contact ("she's the MD")."""


def _reading(
    clause: Clause, status: Status, *notes: str, value: Any = None, confidence: float = 0.9
) -> Assessment:
    return Assessment(
        status=status, value=value, span=clause.span, confidence=confidence, notes=notes
    )


def _words(text: str) -> int:
    return len(text.split())


_VERDICT_NO = re.compile(
    r"(?:so|also|thus|kurz|in short|bottom line:?|fazit:?|long story short)\s(?:no|nein|nope|nö)\b"
)


def generic(clause: Clause, ctx: Context) -> Assessment | None:
    """Yes / partial / no said in so many words, in a short clause."""
    text = clause.text
    if lx.PARTIAL.search(text) and (ctx.short or _words(text) <= SHORT_CLAUSE_WORDS):
        # "partly", "jein": the rep's own verdict outweighs the details around it.
        return _reading(clause, Status.PARTIAL, "said_partial", confidence=0.9)
    if lx.STARTS_NO.match(text) and (ctx.short or ctx.first):
        return _reading(clause, Status.MISSING, "said_no", confidence=0.8)
    if _VERDICT_NO.match(text):
        # "so no, ..." after a long story is the rep's conclusion.
        return _reading(clause, Status.MISSING, confidence=0.9)
    # A lone "no" or "yes" decides only as the opening of a short answer; later it is a fragment.
    if _words(text) > SHORT_CLAUSE_WORDS or not ctx.short or not ctx.first:
        return None
    if lx.NO.search(text):
        return _reading(clause, Status.MISSING, confidence=0.8)
    if lx.YES.search(text):
        return _reading(clause, Status.MET, "bare_yes", confidence=0.5)
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


def amount(clause: Clause, ctx: Context) -> Assessment | None:
    """Budget: an amount, approved / planned / none, and changes ("cut to zero", "doubled")."""
    text = clause.text
    if lx.NO_BUDGET.search(text):
        return _reading(clause, Status.MISSING, "no_budget")
    money = parse_amount(text, default_currency=ctx.thresholds.currency)
    planned = lx.PLANNED.search(text)
    if planned and negated(text, planned.start()) and money is None:
        # "nothing planned either": no budget, not a planned one.
        return _reading(clause, Status.MISSING, "negated")
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
        # German puts the negation after the verb: "gibt es nicht", "ist nicht freigegeben".
        after = _NEGATED_AFTER.match(text, approved.end())
        if negated(text, approved.start()) or after:
            # "nothing's signed off yet" says the money is not approved, not that none exists.
            if _APPROVAL.search(approved.group(0)):
                return _reading(clause, Status.PARTIAL, "not_approved")
            return _reading(clause, Status.MISSING, "negated")
        return _reading(clause, Status.MET)
    word = lx.BUDGET_WORD.search(text)
    if word and NEGATION.search(text[: word.start()]):
        return _reading(clause, Status.MISSING, "negated")
    return generic(clause, ctx)


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
        return _reading(clause, Status.MISSING, "no_timeline")
    window = parse_window(text, lang=ctx.lang, today=ctx.today, fallback=ctx.short)
    if window is None:
        if lx.VAGUE_TIME.search(text):
            return _reading(clause, Status.MISSING, "no_timeline", confidence=0.7)
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
    if NEGATION.search(_TIME_NEGATION_FREE.sub(" ", scope)):
        return _reading(clause, Status.MISSING, "negated", value=value)
    if days <= th.timeline_met_days:
        status = Status.MET
    elif days <= th.timeline_partial_days:
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
    return _reading(clause, status, *notes, value=value, confidence=confidence)


_WITHIN = re.compile(
    r"\b(?:within (?:his|her|their|the) (?:limit|budget|authority)|im rahmen (?:seine[rs]|ihre[rs])"
    r"|innerhalb (?:seine[rs]|ihre[rs]) (?:limits|grenze|freigabe)|unter (?:seine[mr]|ihre[mr])"
    r" (?:limit|grenze))"
)


def _limit(clause: Clause, ctx: Context, role: str | None) -> Assessment | None:
    """A signing limit compared with the deal's amount from the budget answer."""
    match = lx.SIGN_LIMIT.search(clause.text)
    if match is None or not (
        lx.DECIDES.search(clause.text)
        or lx.PARTIAL_AUTHORITY.search(clause.text)
        or lx.ROLES.search(clause.text)
        or re.search(r"limit|authority|grenze|bestellen|order|kaufen|buy", clause.text)
    ):
        return None
    limit = parse_amount(match["amount"], default_currency=ctx.thresholds.currency)
    if limit is None or limit.amount < 100:
        return None
    if ctx.deal_amount is None:
        if _WITHIN.search(ctx.whole):
            # "... so this is within his limit": the rep compared it already.
            return _reading(clause, Status.MET, "within_signing_limit", value=role)
        return _reading(clause, Status.PARTIAL, "signing_limit_unknown_amount", value=role)
    if ctx.deal_amount <= limit.amount:
        return _reading(clause, Status.MET, "within_signing_limit", value=role)
    return _reading(clause, Status.PARTIAL, "above_signing_limit", value=role)


# People who carry a message, not a decision.
_NO_SAY_ROLE = re.compile(
    r"\b(?:intern|praktikant\w{0,2}|werkstudent\w{0,2}|assistant|assistent\w{0,2}|sekretär\w{0,2}"
    r"|secretary)\b"
)


def role(clause: Clause, ctx: Context) -> Assessment | None:
    """Authority: who decides, whether someone else signs, signing limits, access."""
    text = clause.text
    found = lx.ROLES.search(text)
    name = found.group(0) if found else None
    earlier = list(ctx.roles_seen)
    described = ctx.described
    if name is not None:
        ctx.roles_seen.append(name)
    if found or lx.SELF.search(text):
        ctx.described = True
    # The value is the contact's role: the first one the answer names.
    value = earlier[0] if earlier else name
    if lx.NO_AUTHORITY.search(text) or _NO_SAY_ROLE.search(text):
        return _reading(clause, Status.MISSING, value=value)
    limited = _limit(clause, ctx, value)
    if limited is not None:
        return limited
    if lx.ACCESS_PENDING.search(text):
        return _reading(clause, Status.PARTIAL, "no_access_yet", value=value)
    decides = lx.DECIDES.search(text)
    attribution = lx.PARTIAL_AUTHORITY.search(text)
    if attribution and not negated(text, attribution.start()):
        self_decides = decides and re.search(
            r"(?:^|\b)(?:i|she|he|ich|sie|er)\s(?:\w{1,12}\s)?(?:has|have|hat|habe)\s(?:the\s"
            r"|das\s)?"
            r"(?:final|letzte)",
            text,
        )
        if not self_decides:
            return _reading(clause, Status.PARTIAL, "attributed", value=value)
    if decides:
        if negated(text, decides.start()) and not attribution:
            return _reading(clause, Status.MISSING, "negated", value=value, confidence=0.7)
        # "Head of IT, the CEO decides": the contact is the first role named, the one who
        # decides another.
        subject = _subject(text, decides.start())
        contact = earlier[0] if earlier else None
        if (
            contact is None
            and found is not None
            and found.start() < decides.start()
            and name != subject
        ):
            contact = name
        if subject is not None and subject != contact and (contact is not None or described):
            return _reading(clause, Status.PARTIAL, "attributed", value=contact or subject)
        return _reading(clause, Status.MET, value=value)
    if name is not None:
        if lx.TOP_ROLES.fullmatch(name):
            negation = NEGATION.search(text[: found.start()]) if found else None
            if negation:
                return _reading(clause, Status.PARTIAL, "negated", value=name)
            return _reading(clause, Status.MET, value=name, confidence=0.7)
        return _reading(clause, Status.PARTIAL, value=name, confidence=0.7)
    return generic(clause, ctx)


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


_ABSENT = re.compile(
    r"^(?:gar |überhaupt |absolutely |really |simply |just )?(?:there'?s |there is |there are "
    r"|es gibt )?(?:no|none|nothing|zero|null|kein\w{0,2}"
    r"|nichts)\b"
    r"|\bgibt es (?:noch )?kein\w{0,2}\b|\b(?:there are|there is|there'?s) (?:no|none)\b"
)


_ABOUT_PAIN = ("consequences", "implications")
_VAGUE_AIM = re.compile(
    r"\b(?:(?:be )?more efficient|efficiency|effizienter|effizienz|keep the lights on|survive"
    r"|überleben|better processes|bessere prozesse|digitali[sz]ation|digitalisierung)\b"
)
# Negated words of definition: "haven't defined any KPIs", "nichts entschieden".
_UNDEFINED = re.compile(
    r"(?:n't|not|no|never|nothing|none|kein\w{0,4}|nicht|nichts|nie)(?: \w{1,12}){0,2}"
    r" (?:defined|set|agreed"
    r"|measured?|track(?:ed)?|numbers|kpis?|metrics|targets|goals|criteria|plans?|ideas?|thought"
    r"|decided|ziele|kennzahlen|kriterien|definiert|festgelegt|gemessen|entschieden|überlegt"
    r"|gedanken|vorstellung)\b"
)


def description(clause: Clause, ctx: Context) -> Assessment | None:
    """Needs, pains and other described answers: severity, negated needs, plain descriptions."""
    text = clause.text
    # "all good, works fine" answers a question about pain or its consequences, not about goals.
    none = lx.NO_PAIN.search(text) if ctx.need or ctx.key in _ABOUT_PAIN else None
    if none and not negated(text, none.start()):
        return _reading(clause, Status.MISSING, "no_need")
    if lx.NICE_TO_HAVE.search(text):
        return _reading(clause, Status.PARTIAL, "minor")
    need = lx.NEED_WORD.search(text)
    if need and negated(text, need.start()):
        return _reading(clause, Status.MISSING, "negated")
    strong = lx.STRONG_NEED.search(text)
    if strong:
        if negated(text, strong.start()):
            return _reading(clause, Status.PARTIAL, "negated")
        return _reading(clause, Status.MET, "severe", value=clause.span, confidence=0.95)
    if not ctx.need and _VAGUE_AIM.search(text):
        # "be more efficient" names no number and no step.
        return _reading(clause, Status.PARTIAL, "vague", value=clause.span)
    if not ctx.need and _ABSENT.search(text):
        # "no criteria at all", "keine Kennzahlen": the thing asked for does not exist.
        return _reading(clause, Status.MISSING, "negated")
    if not ctx.need and _UNDEFINED.search(text):
        # "they haven't defined any KPIs": a described absence, as vague as a description.
        return _reading(clause, Status.MISSING, "negated", "described", confidence=0.6)
    if lx.STARTS_NO.match(text) and (ctx.short or ctx.first):
        return _reading(clause, Status.MISSING, confidence=0.8)
    if need:
        return _reading(clause, Status.MET, value=clause.span, confidence=0.7)
    if _words(text) >= 3:
        return _reading(clause, Status.MET, "described", value=clause.span, confidence=0.6)
    return None


_GONE = re.compile(
    r"\b(?:left the company|has left|no longer (?:there|with them|at \w+)|(?:hat|haben) (?:das"
    r" unternehmen"
    r"|die firma) verlassen|ist nicht mehr (?:da|dabei|im unternehmen)|ist weg)\b"
)
_LUKEWARM = lx.phrases([r"neutral", r"indifferent", r"lukewarm", r"lauwarm", r"gleichgültig"])


def yesno(clause: Clause, ctx: Context) -> Assessment | None:
    """Yes / partial / no, or a sentence about the person or the step."""
    if _GONE.search(clause.text):
        # "we had a champion but she left the company": there is none now.
        return _reading(clause, Status.MISSING, "negated", confidence=0.9)
    said = generic(clause, ctx)
    if said is not None:
        if "bare_yes" in said.notes:
            return _reading(clause, Status.MET, confidence=0.8)
        return said
    text = clause.text
    if lx.PARTIAL.search(text):
        return _reading(clause, Status.PARTIAL, confidence=0.7)
    if 2 <= _words(text) < 3 and HEDGE.search(text):
        # "maybe Tim": a hedged name is a possible champion.
        return _reading(clause, Status.PARTIAL, "hedged", value=clause.span, confidence=0.7)
    if _words(text) >= 3:
        if NEGATION.search(text) or lx.NO.search(text) or _LUKEWARM.search(text):
            return _reading(
                clause, Status.MISSING, "negated", "described", value=clause.span, confidence=0.7
            )
        return _reading(clause, Status.MET, "described", value=clause.span, confidence=0.7)
    return None


def choice(clause: Clause, ctx: Context) -> Assessment | None:
    """Priority and competition words; the earliest in the clause decides."""
    text = clause.text
    hits = []
    for pattern, status in (
        (lx.CHOICE_MISSING, Status.MISSING),
        (lx.CHOICE_PARTIAL, Status.PARTIAL),
        (lx.CHOICE_MET, Status.MET),
    ):
        hit = pattern.search(text)
        if hit:
            hits.append((hit.start(), -len(hit.group(0)), status, hit))
    if hits:
        _, _, status, hit = min(hits, key=lambda h: (h[0], h[1]))
        if status is Status.MET and negated(text, hit.start()):
            # "not the favourite" loses a race; "not top priority" is still on the list.
            lower = Status.MISSING if ctx.key == "competition" else Status.PARTIAL
            return _reading(clause, lower, "negated", value=clause.span)
        if status is Status.MISSING and ctx.key != "competition" and hit.group(0) == "behind":
            # A priority "behind the ERP project" is still on the list.
            return _reading(clause, Status.PARTIAL, value=clause.span)
        return _reading(clause, status, value=clause.span)
    said = generic(clause, ctx)
    if said is not None and "bare_yes" not in said.notes:
        return said
    return None
