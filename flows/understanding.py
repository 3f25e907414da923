"""Understanding a rep's free-text answer to one criterion, in English or German.

The rule is "never guess": an answer that the rules cannot place returns a
:class:`~flows.model.Clarification` with a reason code and the quick answers, and the bot asks
again. Evidence is always the rep's own words.
"""

from __future__ import annotations

import re
from datetime import date

from flows.lexicon import (
    APPROVED,
    CHOICE_MET,
    CHOICE_MISSING,
    CHOICE_PARTIAL,
    DECIDES,
    DONT_KNOW,
    HEDGE,
    KNOCKOUT,
    NEGATION,
    NICE_TO_HAVE,
    NO,
    NO_AUTHORITY,
    NO_BUDGET,
    NO_PAIN,
    NO_TIMELINE,
    PARTIAL,
    PARTIAL_AUTHORITY,
    PLANNED,
    ROLES,
    STARTS_NO,
    TOP_ROLES,
    YES,
)
from flows.model import (
    AnswerKind,
    Assessment,
    Clarification,
    Criterion,
    Status,
    Thresholds,
)
from flows.parsing import parse_amount, parse_timeframe
from flows.phrasebook import Phrasebook

MIN_DESCRIPTION_WORDS = 3
"""A described problem has at least this many words; "yes" or "CRM" alone is too vague."""


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes and whitespace, drop trailing punctuation."""
    text = text.replace("’", "'").replace("‘", "'").casefold()
    return re.sub(r"\s+", " ", text).strip(" .!?;:")


def quick_answer_value(criterion: Criterion, label: str) -> Assessment | None:
    """The assessment a quick-answer button stands for.

    Args:
        criterion: The question the button belongs to.
        label: The button's label (either language) or its choice value.

    Returns:
        The assessment, or ``None`` when the text is not one of the criterion's quick answers.
    """
    wanted = normalize(label)
    for choice in criterion.choices:
        names = {normalize(choice.value), *(normalize(v) for v in choice.label.values())}
        if wanted in names:
            # A button such as "No need" rules the lead out just as the typed words would.
            knockout = any(KNOCKOUT.search(normalize(v)) for v in choice.label.values())
            return Assessment(
                status=choice.status,
                value=choice.value,
                evidence=label.strip(),
                knockout=knockout,
            )
    return None


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _generic(text: str) -> Status | None:
    """Yes / partial / no / don't know, in that order of precedence."""
    if DONT_KNOW.search(text):
        return Status.UNKNOWN
    if PARTIAL.search(text):
        return Status.PARTIAL
    if NO.search(text):
        return Status.MISSING
    if YES.search(text):
        return Status.MET
    return None


def _clarify(criterion: Criterion, reason: str, evidence: str, lang: str) -> Clarification:
    return Clarification(
        criterion=criterion.key,
        reason=reason,
        quick_answers=tuple(criterion.quick_answers.get(lang, ())),
        evidence=evidence,
    )


def _amount(
    criterion: Criterion, text: str, evidence: str, lang: str, thresholds: Thresholds
) -> Assessment | Clarification:
    amount = parse_amount(text, default_currency=thresholds.currency)
    planned = bool(PLANNED.search(text))
    if amount is not None:
        # Currencies are compared as written: no exchange rates inside the domain.
        below = amount.amount < thresholds.min_budget
        unsure = planned or below or bool(HEDGE.search(text))
        status = Status.PARTIAL if unsure else Status.MET
        return Assessment(status=status, value=amount.to_json(), evidence=evidence)
    if planned:
        return Assessment(status=Status.PARTIAL, evidence=evidence)
    if NO_BUDGET.search(text):
        return Assessment(status=Status.MISSING, evidence=evidence)
    if APPROVED.search(text):
        return Assessment(status=Status.MET, evidence=evidence)
    generic = _generic(text)
    if generic is not None:
        return Assessment(status=generic, evidence=evidence)
    return _clarify(criterion, "no_amount", evidence, lang)


def _timeframe(
    criterion: Criterion,
    text: str,
    evidence: str,
    lang: str,
    thresholds: Thresholds,
    today: date,
) -> Assessment | Clarification:
    if NO_TIMELINE.search(text):
        return Assessment(status=Status.MISSING, evidence=evidence)
    when = parse_timeframe(text, lang=lang, today=today)
    if when is None:
        generic = _generic(text)
        if generic in (Status.UNKNOWN, Status.MISSING):
            return Assessment(status=generic, evidence=evidence)
        return _clarify(criterion, "no_timeframe", evidence, lang)
    days = max(0, (when - today).days)
    if days <= thresholds.timeline_met_days:
        status = Status.PARTIAL if HEDGE.search(text) else Status.MET
    elif days <= thresholds.timeline_partial_days:
        status = Status.PARTIAL
    else:
        status = Status.MISSING
    return Assessment(
        status=status, value={"date": when.isoformat(), "days": days}, evidence=evidence
    )


def _role(criterion: Criterion, text: str, evidence: str, lang: str) -> Assessment | Clarification:
    found = ROLES.search(text)
    role = found.group(0) if found else None
    if DONT_KNOW.search(text):
        return Assessment(status=Status.UNKNOWN, value=role, evidence=evidence)
    if NO_AUTHORITY.search(text):
        return Assessment(status=Status.MISSING, value=role, evidence=evidence)
    if PARTIAL_AUTHORITY.search(text) or PARTIAL.search(text):
        return Assessment(status=Status.PARTIAL, value=role, evidence=evidence)
    if DECIDES.search(text) or (role is not None and TOP_ROLES.fullmatch(role)):
        return Assessment(status=Status.MET, value=role, evidence=evidence)
    if role is not None:
        return Assessment(status=Status.PARTIAL, value=role, evidence=evidence)
    generic = _generic(text)
    if generic is not None:
        return Assessment(status=generic, evidence=evidence)
    return _clarify(criterion, "no_role", evidence, lang)


def _description(
    criterion: Criterion, text: str, evidence: str, lang: str
) -> Assessment | Clarification:
    if DONT_KNOW.search(text):
        return Assessment(status=Status.UNKNOWN, evidence=evidence)
    if NICE_TO_HAVE.search(text) or PARTIAL.search(text):
        return Assessment(status=Status.PARTIAL, value=evidence, evidence=evidence)
    if NO_PAIN.search(text) or STARTS_NO.match(text):
        return Assessment(status=Status.MISSING, evidence=evidence)
    if _words(text) >= MIN_DESCRIPTION_WORDS:
        return Assessment(status=Status.MET, value=evidence, evidence=evidence)
    if YES.fullmatch(text):
        return Assessment(status=Status.MET, evidence=evidence)
    return _clarify(criterion, "too_vague", evidence, lang)


def _yesno(criterion: Criterion, text: str, evidence: str, lang: str) -> Assessment | Clarification:
    generic = _generic(text)
    if generic is not None:
        return Assessment(status=generic, evidence=evidence)
    # A sentence about the person or the step ("Maria in IT pushes for us") answers yes,
    # unless it is negated ("we haven't found anyone").
    if _words(text) >= MIN_DESCRIPTION_WORDS + 1:
        status = Status.MISSING if NEGATION.search(text) else Status.MET
        return Assessment(status=status, value=evidence, evidence=evidence)
    return _clarify(criterion, "ambiguous_yesno", evidence, lang)


def _choice(
    criterion: Criterion, text: str, evidence: str, lang: str
) -> Assessment | Clarification:
    if DONT_KNOW.search(text):
        return Assessment(status=Status.UNKNOWN, evidence=evidence)
    for pattern, status in (
        (CHOICE_MISSING, Status.MISSING),
        (CHOICE_PARTIAL, Status.PARTIAL),
        (CHOICE_MET, Status.MET),
    ):
        if pattern.search(text):
            return Assessment(status=status, value=evidence, evidence=evidence)
    return _clarify(criterion, "unknown_choice", evidence, lang)


def understand(
    criterion: Criterion,
    text: str,
    *,
    lang: str,
    thresholds: Thresholds,
    today: date | None = None,
    phrasebook: Phrasebook | None = None,
) -> Assessment | Clarification:
    """Classify a rep's answer to one criterion.

    Args:
        criterion: The question that was answered.
        text: The rep's words, as typed or as a quick-answer label.
        lang: Conversation language (``en`` or ``de``); both languages are understood, this
            picks the language of the quick answers in a clarification.
        thresholds: Minimum budget and timeline limits of the team.
        today: Reference day for timeframes; defaults to the current date.
        phrasebook: The workspace's learned readings, consulted before the rules: a phrase
            found there gives its status and value.

    Returns:
        An assessment with the rep's words as evidence (``knockout`` set when the answer rules
        the lead out), or a clarification when the answer cannot be classified.
    """
    evidence = text.strip()
    if not evidence:
        return _clarify(criterion, "empty", evidence, lang)
    learned = phrasebook.lookup(criterion, evidence) if phrasebook is not None else None
    if learned is not None:
        return Assessment(status=learned.status, value=learned.value, evidence=evidence)
    quick = quick_answer_value(criterion, evidence)
    if quick is not None:
        return quick
    normalized = normalize(evidence)
    if KNOCKOUT.search(normalized):
        return Assessment(status=Status.MISSING, evidence=evidence, knockout=True)
    match criterion.kind:
        case AnswerKind.AMOUNT:
            return _amount(criterion, normalized, evidence, lang, thresholds)
        case AnswerKind.TIMEFRAME:
            day = today or date.today()
            return _timeframe(criterion, normalized, evidence, lang, thresholds, day)
        case AnswerKind.ROLE:
            return _role(criterion, normalized, evidence, lang)
        case AnswerKind.TEXT:
            return _description(criterion, normalized, evidence, lang)
        case AnswerKind.YESNO:
            return _yesno(criterion, normalized, evidence, lang)
        case AnswerKind.CHOICE:
            return _choice(criterion, normalized, evidence, lang)
    raise AssertionError(criterion.kind)
