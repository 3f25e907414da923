"""Readers of who decides and who sells for us: authority and yes/no answers.

Signing limits are compared with the deal's amount from the budget answer (``Context``);
someone else who signs or approves makes authority partial.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flows import lexicon as lx
from flows import lexicon_authority as la
from flows.cues import NEGATION, Clause, negated
from flows.model import Assessment, Status
from flows.parsing import parse_amount
from flows.readers import Context, generic, make_reading, word_count
from flows.stances import HEDGE

_WITHIN = re.compile(
    r"\b(?:within (?:his|her|their|the) (?:limit|budget|authority)|im rahmen (?:seine[rs]|ihre[rs])"
    r"|innerhalb (?:seine[rs]|ihre[rs]) (?:limits|grenze|freigabe)|unter (?:seine[mr]|ihre[mr])"
    r" (?:limit|grenze)|(?:liegt|liegen|is|are|sind) (?:\w{1,12} )?(?:drunter|darunter|below it"
    r"|under it|within it)"
    r"|(?:limit|grenze)\w{0,2},? (?:and|which|und) (?:it|we|das|wir)"
    r" (?:is|are|ist|sind|liegt|liegen)(?: drunter| darunter| below| under)?\W*$)"
)


# The deal's amount told beside the limit: "our quote is 18k", "unser Angebot liegt bei 32k",
# "we're at 42k", "ours is 150k".
_DEAL_IN_ANSWER = re.compile(
    r"\b(?:(?:our|the|unser|das|der) (?:quote|offer|proposal|deal|price|angebot|auftrag|preis)"
    r"(?: \w{1,12})? (?:is|ist|liegt|comes to|amounts to|of|von|at|bei)(?: bei| at)?"
    r"|(?:we'?re|we are|wir sind|wir liegen) (?:at|bei)|ours is|unseres? (?:ist|liegt bei)"
    r"|(?:this one|this deal|this|dieser|das hier|der deal) (?:is|ist|liegt bei|comes to)"
    r"|this one'?s|deal (?:on the table|size|value)?:|wir reden (?:hier )?(?:über|von)"
    r"|we'?re talking (?:about )?)"
    r"\s{0,3}(?:~|ca\.?|about|around|rund|etwa)?\s{0,3}"
    r"(?P<amount>[€$£]?\s?\d[\d.,']{0,12}\s?(?:k|tsd\.?|mio\.?|m|eur|euro|€|usd|\$)?)"
)


def _deal_amount(ctx: Context) -> float | None:
    """The deal's amount: from the budget answer, else as the rep states it in this one."""
    if ctx.deal_amount is not None:
        return ctx.deal_amount
    match = _DEAL_IN_ANSWER.search(ctx.whole)
    if match is None:
        return None
    told = parse_amount(match["amount"], default_currency=ctx.thresholds.currency)
    return told.amount if told is not None and told.amount >= 100 else None


_SELF_SIGNS = re.compile(r"\b(?:himself|herself|selbst|selber|personally|persönlich)\b")


def _limit(clause: Clause, ctx: Context, role: str | None) -> Assessment | None:
    """A signing limit compared with the deal's amount from the budget answer."""
    match = la.SIGN_LIMIT.search(clause.text)
    if match is None or not (
        la.DECIDES.search(clause.text)
        or la.PARTIAL_AUTHORITY.search(clause.text)
        or la.ROLES.search(clause.text)
        or re.search(r"limit|authority|grenze|bestellen|order|kaufen|buy", clause.text)
    ):
        return None
    if la.EXCEPT_ABOVE.fullmatch(match["dir"].split()[-1]) and _SELF_SIGNS.search(clause.text):
        # "signs everything over 5k himself": above the sum it is the contact who signs.
        return make_reading(clause, Status.MET, "signs_above_limit", value=role)
    limit = parse_amount(match["amount"], default_currency=ctx.thresholds.currency)
    if limit is None or limit.amount < 100:
        return None
    deal_amount = _deal_amount(ctx)
    if deal_amount is None:
        if _WITHIN.search(ctx.whole):
            # "... so this is within his limit": the rep compared it already.
            return make_reading(clause, Status.MET, "within_signing_limit", value=role)
        return make_reading(clause, Status.PARTIAL, "signing_limit_unknown_amount", value=role)
    if deal_amount <= limit.amount:
        return make_reading(clause, Status.MET, "within_signing_limit", value=role)
    return make_reading(clause, Status.PARTIAL, "above_signing_limit", value=role)


# People who carry a message, not a decision.
_CONTACT_IS = re.compile(
    r"\b(?:our |unser |my |mein |the )?(?:contact|kontakt|ansprechpartner\w{0,2}) (?:is|ist)\b"
)
_NO_SAY_ROLE = re.compile(
    # English "an intern", not German "intern" (internally).
    r"(?:(?:\b(?:an?|the|our|their|just an?|only an?|summer|unpaid) )intern\b|^intern$)|"
    r"\b(?:praktikant\w{0,2}|werkstudent\w{0,2}"
    r"|assistant|assistent\w{0,2}|sekretär\w{0,2}"
    r"|secretary|receptionist|empfang|lehrling|azubi|auszubildende\w?)\b"
)


def role(clause: Clause, ctx: Context) -> Assessment | None:
    """Authority: who decides, whether someone else signs, signing limits, access.

    Asked for the economic buyer, naming the person who holds the money answers the question:
    "the board decides" identifies the buyer (met) where, asked whether the contact decides,
    it would be someone else's decision (partial). Access is read as for any role.
    """
    reading = _role(clause, ctx)
    if (
        ctx.key == "economic_buyer"
        and reading is not None
        and "attributed" in reading.notes
        and la.ROLES.search(clause.text)
    ):
        return replace(reading, status=Status.MET, notes=("identified",))
    return reading


# "no formal process", "kein Gremium": nobody else is involved, which says nothing against
# the contact.
_NO_OTHERS = re.compile(
    r"(?:no|kein\w{0,2}|without|ohne) (?:formal\w{0,2} |formelle[rn]? |real |echte[rn]? )?"
    r"(?:process|prozess|committee|gremium|board|approval process|freigabeprozess|steerco)$"
)


def _role(clause: Clause, ctx: Context) -> Assessment | None:
    text = clause.text
    if _NO_OTHERS.match(text):
        return None
    found = la.ROLES.search(text)
    name = found.group(0) if found else None
    earlier = list(ctx.roles_seen)
    described = ctx.described
    if name is not None:
        ctx.roles_seen.append(name)
    if found or la.SELF.search(text):
        ctx.described = True
    # The value is the contact's role: the first one the answer names.
    value = earlier[0] if earlier else name
    if la.ACCESS_PENDING.search(text) and not la.NO_AUTHORITY.search(text):
        # "we've only spoken to her assistant": the assistant is whom we reached, not the
        # contact's own role.
        return make_reading(clause, Status.PARTIAL, "no_access_yet", value=value)
    if la.NO_AUTHORITY.search(text) or _NO_SAY_ROLE.search(text):
        return make_reading(clause, Status.MISSING, value=value)
    limited = _limit(clause, ctx, value)
    if limited is not None:
        return limited
    if la.ACCESS_PENDING.search(text):
        return make_reading(clause, Status.PARTIAL, "no_access_yet", value=value)
    decides = la.DECIDES.search(text)
    attribution = la.PARTIAL_AUTHORITY.search(text)
    # "can never sign without the board": the "never ... without" is one double negative.
    double = attribution is not None and attribution.group(0).startswith(("without", "ohne"))
    if attribution and (double or not negated(text, attribution.start())):
        self_decides = decides and re.search(
            r"(?:^|\b)(?:i|she|he|ich|sie|er)\s(?:\w{1,12}\s)?(?:has|have|hat|habe)\s(?:the\s"
            r"|das\s)?"
            r"(?:final|letzte)",
            text,
        )
        if not self_decides:
            return make_reading(clause, Status.PARTIAL, "attributed", value=value)
    if decides:
        if negated(text, decides.start()) and not attribution:
            return make_reading(clause, Status.MISSING, "negated", value=value, confidence=0.7)
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
            return make_reading(clause, Status.PARTIAL, "attributed", value=contact or subject)
        ctx.decider = subject or ""
        return make_reading(clause, Status.MET, value=value)
    if name is not None and _CONTACT_IS.search(text):
        # "unser Kontakt ist IT-Leiter": the contact's own role, said outright.
        if ctx.decider and ctx.decider != name:
            # "der CFO hat das letzte Wort, unser Kontakt ist IT-Leiter": someone else decides.
            return make_reading(clause, Status.PARTIAL, "attributed", value=name, confidence=0.95)
        status = Status.MET if la.TOP_ROLES.fullmatch(name) else Status.PARTIAL
        return make_reading(clause, status, "contact_role", value=name, confidence=0.7)
    if name is not None:
        if la.TOP_ROLES.fullmatch(name):
            negation = NEGATION.search(text[: found.start()]) if found else None
            if negation:
                return make_reading(clause, Status.PARTIAL, "negated", value=name)
            return make_reading(clause, Status.MET, value=name, confidence=0.7)
        return make_reading(clause, Status.PARTIAL, value=name, confidence=0.7)
    return generic(clause, ctx)


def _subject(text: str, at: int) -> str | None:
    """The role named just before a verb ("the CFO signs"), if any."""
    before = text[max(0, at - 40) : at]
    roles = list(la.ROLES.finditer(before))
    if not roles:
        return None
    last = roles[-1]
    if la.SELF.search(before[last.end() :]):
        return None
    return last.group(0)


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
        return make_reading(clause, Status.MISSING, "negated", confidence=0.9)
    said = generic(clause, ctx)
    if said is not None:
        if "bare_yes" in said.notes:
            return make_reading(clause, Status.MET, confidence=0.8)
        return said
    text = clause.text
    if lx.PARTIAL.search(text):
        return make_reading(clause, Status.PARTIAL, confidence=0.7)
    if 2 <= word_count(text) < 3 and HEDGE.search(text):
        # "maybe Tim": a hedged name is a possible champion.
        return make_reading(clause, Status.PARTIAL, "hedged", value=clause.span, confidence=0.7)
    if word_count(text) >= 3:
        if NEGATION.search(text) or lx.NO.search(text) or _LUKEWARM.search(text):
            return make_reading(
                clause, Status.MISSING, "negated", "described", value=clause.span, confidence=0.7
            )
        return make_reading(clause, Status.MET, "described", value=clause.span, confidence=0.7)
    return None
