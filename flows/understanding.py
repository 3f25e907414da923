"""Understanding a rep's free-text answer to one criterion, in English or German.

An answer is read clause by clause (:mod:`flows.cues`), each clause by the reader of the
criterion's kind (:mod:`flows.readers`), and the readings are combined: a later "but" clause
decides, a yes and a no about the same thing are a conflict. The rule is "never guess": an
answer the rules cannot place, or whose signals conflict, returns a
:class:`~flows.model.Clarification` and the bot asks again. Evidence is always the rep's own
words, and ``span`` the words that decided.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from flows import cues, stances
from flows import lexicon as lx
from flows.combine import combine, weak
from flows.knockouts import knockout_code
from flows.model import AnswerKind, Assessment, Clarification, Criterion, Status, Thresholds
from flows.phrasebook import Phrasebook
from flows.readers import Context, amount, timeframe
from flows.readers_people import role, yesno
from flows.readers_text import choice, description
from flows.slacktext import plain
from flows.topics import echoed, settle_by_topic

MAX_LABEL = 80
"""Longer answers are never a quick-answer button's label."""

SHORT_ANSWER_WORDS = 8
"""Up to this many words an answer is short: a bare "no" in it is the answer."""

MIN_DESCRIPTION_WORDS = 3
"""A described problem has at least this many words; "yes" or "CRM" alone is too vague."""

normalize = cues.normalize

_READERS: dict[AnswerKind, Callable[[cues.Clause, Context], Assessment | None]] = {
    AnswerKind.AMOUNT: amount,
    AnswerKind.TIMEFRAME: timeframe,
    AnswerKind.ROLE: role,
    AnswerKind.TEXT: description,
    AnswerKind.YESNO: yesno,
    AnswerKind.CHOICE: choice,
}
_NO_READING = {
    AnswerKind.AMOUNT: "no_amount",
    AnswerKind.TIMEFRAME: "no_timeframe",
    AnswerKind.ROLE: "no_role",
    AnswerKind.TEXT: "too_vague",
    AnswerKind.YESNO: "ambiguous_yesno",
    AnswerKind.CHOICE: "unknown_choice",
}
_ASKS_FOR_VALUE = (AnswerKind.AMOUNT, AnswerKind.TIMEFRAME, AnswerKind.ROLE)


_LABEL = re.compile(r"^\w{2,20}\s?:\s?")
_QUESTION = re.compile(
    r"(?:who|whom|whether|which|wer|wen|wem|ob|welche[rs]?|wann|when|wie viel|how much)\b"
)


def quick_answer_value(criterion: Criterion, label: str) -> Assessment | None:
    """The assessment a quick-answer button stands for.

    Args:
        criterion: The question the button belongs to.
        label: The button's label (either language) or its choice value.

    Returns:
        The assessment, or ``None`` when the text is not one of the criterion's quick answers.
    """
    wanted = normalize(label)
    for choice_ in criterion.choices:
        names = {normalize(choice_.value), *(normalize(v) for v in choice_.label.values())}
        if wanted in names:
            # A button such as "No need" rules the lead out just as the typed words would.
            code = next(
                (c for v in choice_.label.values() if (c := knockout_code(normalize(v)))), None
            )
            return Assessment(
                status=choice_.status,
                value=choice_.value,
                evidence=label.strip(),
                knockout=code is not None,
                span=label.strip(),
                notes=(f"knockout:{code}",) if code else (),
            )
    return None


def _clarify(
    criterion: Criterion,
    reason: str,
    evidence: str,
    lang: str,
    readings: tuple[Assessment, ...] = (),
) -> Clarification:
    return Clarification(
        criterion=criterion.key,
        reason=reason,
        quick_answers=tuple(criterion.quick_answers.get(lang, ())),
        evidence=evidence,
        readings=readings,
    )


def _learned(
    phrasebook: Phrasebook | None, criterion: Criterion, evidence: str
) -> Assessment | None:
    phrase = phrasebook.lookup(criterion, evidence) if phrasebook is not None else None
    if phrase is None:
        return None
    # The span is the phrase as the rep wrote it this time, found word by word.
    words = [re.escape(w) for w in phrase.text.split()]
    found = re.search(r"[^\w]{1,5}".join(words), evidence, re.IGNORECASE) if words else None
    return Assessment(
        status=phrase.status,
        value=phrase.value,
        evidence=evidence,
        span=found.group(0) if found else phrase.text,
        confidence=1.0,
        notes=("learned",),
    )


def _shrug(text: str) -> bool:
    return bool(stances.NOT_YET_KNOWN.search(text) or lx.DONT_KNOW.search(text))


def _cue_reading(clause: cues.Clause, criterion: Criterion, ctx: Context) -> Assessment | None:
    """The clause's reading: knock-outs and not-yet-known first, then the kind, then hedges."""
    text = clause.text
    if _QUESTION.match(text) and (ctx.after_unknown or _shrug(ctx.whole)):
        # "not sure, haven't asked who signs": the question repeated answers nothing, unless
        # the clause carries its own shrug ("wer unterschreibt, wissen wir noch nicht").
        if stances.NOT_YET_KNOWN.search(text):
            return Assessment(status=Status.UNKNOWN, span=clause.span, notes=("not_yet",))
        return None
    code = knockout_code(text)
    if code is not None:
        return Assessment(
            status=Status.MISSING,
            span=clause.span,
            knockout=True,
            confidence=0.95,
            notes=(f"knockout:{code}",),
        )
    # "Budget: offen" is a non-answer under a label.
    unlabelled = _LABEL.sub("", text)
    if stances.NON_ANSWER.fullmatch(unlabelled) or stances.META.search(text):
        return Assessment(status=Status.UNKNOWN, span=clause.span, notes=("non_answer",))
    reading = _READERS[criterion.kind](clause, ctx)
    not_yet = stances.NOT_YET_KNOWN.search(text) or lx.DONT_KNOW.search(text)
    kept = ("attributed", "no_access_yet")
    if not_yet and not (reading is not None and any(n in reading.notes for n in kept)):
        if reading is not None and isinstance(reading.value, dict) and reading.status is Status.MET:
            return replace(reading, status=Status.PARTIAL, notes=(*reading.notes, "hedged"))
        return Assessment(status=Status.UNKNOWN, span=clause.span, notes=("not_yet",))
    if reading is not None and reading.status is Status.MET and _hedge_in(text, criterion.key):
        reading = replace(
            reading,
            status=Status.PARTIAL,
            notes=(*reading.notes, "hedged"),
            confidence=min(reading.confidence, 0.8),
        )
    return reading


def _deal_amount(known: Mapping[str, Assessment] | None) -> float | None:
    for assessment in (known or {}).values():
        value = assessment.value
        if isinstance(value, dict) and isinstance(value.get("amount"), int | float):
            return float(value["amount"])
    return None


def understand(
    criterion: Criterion,
    text: str,
    *,
    lang: str,
    thresholds: Thresholds,
    today: date | None = None,
    known: Mapping[str, Assessment] | None = None,
    phrasebook: Phrasebook | None = None,
) -> Assessment | Clarification:
    """Classify a rep's answer to one criterion.

    Args:
        criterion: The question that was answered.
        text: The rep's words, as typed (Slack formatting allowed) or a quick-answer label.
        lang: Conversation language (``en`` or ``de``); both languages are understood, this
            picks the language of the quick answers in a clarification.
        thresholds: Minimum budget and timeline limits of the team.
        today: Reference day for timeframes; defaults to the current date.
        known: The conversation's other answers by criterion key; the budget's amount is
            compared with a signing limit ("signs anything up to 25k").
        phrasebook: The workspace's learned phrases, consulted before the rules.

    Returns:
        An assessment with the rep's words as evidence, the deciding words as ``span`` and
        ``notes`` saying what shaped it (``knockout`` set when the answer rules the lead out),
        or a clarification: ``needs_value`` for a bare yes to a how-much / who / when question
        (with the provisional partial reading), ``conflicting`` with the likely readings, or a
        reason why the answer could not be placed.
    """
    evidence = text.strip()
    if not evidence:
        return _clarify(criterion, "empty", evidence, lang)
    quick = quick_answer_value(criterion, evidence) if len(evidence) <= MAX_LABEL else None
    if quick is not None:
        return quick
    learned = _learned(phrasebook, criterion, evidence)
    if learned is not None:
        return learned
    # "Q2 – no wait, Q1": what the rep corrected to is the answer; the evidence keeps it all.
    read = stances.after_correction(evidence)
    whole = normalize(plain(read[: cues.READ_LIMIT]))
    ctx = Context(
        lang=lang,
        thresholds=thresholds,
        today=today or date.today(),
        key=criterion.key,
        need=criterion.concept == "need",
        deal_amount=_deal_amount(known),
        short=len(whole.split()) <= SHORT_ANSWER_WORDS,
        whole=whole,
    )
    if not re.search(r"\w", whole) or stances.NON_ANSWER.fullmatch(whole):
        return Assessment(
            status=Status.UNKNOWN, evidence=evidence, span=evidence, notes=("non_answer",)
        )
    if criterion.kind in _ASKS_FOR_VALUE and lx.BARE_YES.fullmatch(whole):
        return _needs_value(criterion, evidence, lang)
    readings = []
    parts = cues.clauses(read)
    silent: list[cues.Clause] = []
    for index, clause in enumerate(parts):
        ctx.first = index == 0
        if len(parts) > 1 and echoed(clause, evidence):
            # "does he decide? he can't even pick the office coffee": the rep repeats the
            # question before answering it; the repeated question says nothing.
            continue
        reading = _cue_reading(clause, criterion, ctx)
        if reading is not None:
            readings.append((clause, reading))
            ctx.after_unknown = reading.status is Status.UNKNOWN
        # A hedge in a clause without a definite reading of its own ("50k, I'd say",
        # "..., if all goes well") hedges the whole answer.
        if reading is None or reading.status is Status.UNKNOWN or weak(reading):
            silent.append(clause)
    knocked = next((i for i, (_, r) in enumerate(readings) if r.knockout), None)
    overridden = knocked is not None and any(
        clause.contrast and r.status is Status.MET and "described" not in r.notes
        for clause, r in readings[knocked + 1 :]
    )
    if knocked is not None and not overridden:
        return replace(readings[knocked][1], evidence=evidence)
    if overridden:
        # "no interest in the add-on, but the core pain is real": the "but" takes it back.
        readings = [(c, replace(r, knockout=False)) for c, r in readings]
    code = None if overridden else knockout_code(whole)
    if code is not None:
        # A knock-out told across a comma ("just signed with X, 3 years").
        return Assessment(
            status=Status.MISSING,
            evidence=evidence,
            span=evidence,
            knockout=True,
            confidence=0.9,
            notes=(f"knockout:{code}",),
        )
    if not readings:
        return settle_by_topic(
            criterion.key, parts, _fallback(criterion, whole, evidence, lang), whole
        )
    result = combine(readings, later_wins=criterion.kind is AnswerKind.CHOICE)
    if isinstance(result, tuple):
        ordered = tuple(sorted(result, key=lambda r: -r.confidence))
        return _clarify(
            criterion,
            "conflicting",
            evidence,
            lang,
            tuple(replace(r, evidence=evidence) for r in ordered),
        )
    if "bare_yes" in result.notes:
        if criterion.kind in _ASKS_FOR_VALUE:
            return _needs_value(criterion, evidence, lang)
        result = replace(result, notes=tuple(n for n in result.notes if n != "bare_yes"))
    if result.status is Status.MET and _hedged(silent, whole, criterion.key):
        # A condition anywhere ("asap, once legal is done") keeps the whole answer partial.
        result = replace(result, status=Status.PARTIAL, notes=(*result.notes, "hedged"))
    opening = _VERDICT_LABEL.match(whole)
    if opening and lx.PARTIAL.fullmatch(opening["label"]) and result.status is not Status.UNKNOWN:
        # "halb-halb: Tom mag uns, bewegt aber nichts": the rep says the reading, then why.
        result = replace(result, status=Status.PARTIAL, notes=(*result.notes, "said_partial"))
    if (
        criterion.kind is AnswerKind.TEXT
        and "described" in result.notes
        and result.span != evidence
    ):
        # A plain description is the whole answer, not the clause it happened to end in.
        result = replace(result, value=evidence)
    return settle_by_topic(criterion.key, parts, replace(result, evidence=evidence), whole)


_VERDICT_LABEL = re.compile(r"(?P<label>[\w/ -]{1,14}):\s")

_HYPOTHETICAL = ("consequences", "implications")


def _hedged(parts: list[cues.Clause], whole: str, key: str) -> bool:
    """Whether a hedge or a condition anywhere in the answer keeps it at most partial."""
    whole = stances.OTHER_CONDITION.sub(" ", whole)
    if key not in _HYPOTHETICAL and stances.CONDITION.search(whole):
        return True
    return any(_hedge_in(c.text, key) for c in parts)


def _hedge_in(text: str, key: str) -> bool:
    text = stances.OTHER_CONDITION.sub(" ", text)
    if key in _HYPOTHETICAL:
        text = stances.MODAL.sub(" ", text)
    return stances.HEDGE.search(text) is not None


def _needs_value(criterion: Criterion, evidence: str, lang: str) -> Clarification:
    provisional = Assessment(
        status=Status.PARTIAL,
        evidence=evidence,
        span=evidence,
        confidence=0.5,
        notes=("needs_value",),
    )
    return _clarify(criterion, "needs_value", evidence, lang, (provisional,))


def _fallback(
    criterion: Criterion, whole: str, evidence: str, lang: str
) -> Assessment | Clarification:
    """No clause said anything definite: a description counts for described answers."""
    if criterion.kind is AnswerKind.TEXT and len(re.findall(r"\w+", whole)) >= (
        MIN_DESCRIPTION_WORDS
    ):
        return Assessment(
            status=Status.MET, value=evidence, evidence=evidence, span=evidence, confidence=0.6
        )
    if criterion.kind is AnswerKind.TEXT and lx.YES.fullmatch(whole):
        return Assessment(status=Status.MET, evidence=evidence, span=evidence, confidence=0.5)
    return _clarify(criterion, _NO_READING[criterion.kind], evidence, lang)
