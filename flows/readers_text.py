"""Readers of described answers (needs, goals, metrics...) and of choices (priority, race)."""

from __future__ import annotations

import re

from flows import lexicon as lx
from flows import lexicon_needs as ln
from flows.cues import NEGATION, Clause, negated
from flows.model import Assessment, Status
from flows.readers import Context, generic, make_reading, word_count

_ABSENT = re.compile(
    r"^(?:gar |überhaupt |absolutely |really |simply |just |noch |still |yet )?(?:there'?s "
    r"|there is |there are "
    r"|es gibt )?(?:no|none|nothing|zero|null|kein\w{0,2}"
    r"|nichts)\b"
    r"|\bgibt es (?:noch )?kein\w{0,2}\b|\b(?:there are|there is|there'?s) (?:no|none)\b"
    r"|^(?:they|we|sie|wir|die) (?:have|haben) (?:none|nothing|nichts|keine?n?)\b"
)


_ABOUT_PAIN = ("consequences", "implications")
_VAGUE_AIM = re.compile(
    r"\b(?:(?:be )?more efficient|efficiency|effizienter|effizienz|keep the lights on|survive"
    r"|überleben|better processes|bessere prozesse|digitali[sz]ation|digitalisierung|wachsen|grow"
    r"|growth|wachstum|mehr umsatz|more revenue)\b"
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
    if ctx.short and ctx.first and lx.PARTIAL.search(text):
        return make_reading(clause, Status.PARTIAL, "said_partial", confidence=0.9)
    # "all good, works fine" answers a question about pain or its consequences, not about goals.
    none = ln.NO_PAIN.search(text) if ctx.need or ctx.key in _ABOUT_PAIN else None
    if none and not negated(text, none.start()):
        return make_reading(clause, Status.MISSING, "no_need")
    if ln.NICE_TO_HAVE.search(text):
        return make_reading(clause, Status.PARTIAL, "minor")
    need = ln.NEED_WORD.search(text)
    if need and negated(text, need.start()):
        return make_reading(clause, Status.MISSING, "negated")
    strong = ln.STRONG_NEED.search(text)
    if strong:
        if negated(text, strong.start()):
            return make_reading(clause, Status.PARTIAL, "negated")
        return make_reading(clause, Status.MET, "severe", value=clause.span, confidence=0.95)
    if not ctx.need and _VAGUE_AIM.search(text) and not re.search(r"\d", text):
        # "be more efficient" names no number and no step.
        return make_reading(clause, Status.PARTIAL, "vague", value=clause.span, confidence=0.7)
    if not ctx.need and re.search(r"\d", text) and not NEGATION.search(text):
        # "double ARR to 20M", "cut quote time from 5 days to 1": a number makes it concrete.
        return make_reading(clause, Status.MET, "concrete", value=clause.span)
    if not ctx.need and _ABSENT.search(text):
        # "no criteria at all", "keine Kennzahlen": the thing asked for does not exist. After
        # a described aim ("'better visibility', no actual numbers") it only says the aim is
        # vague: the two weak readings make a partial.
        if ctx.first:
            return make_reading(clause, Status.MISSING, "negated")
        return make_reading(clause, Status.MISSING, "negated", "described", confidence=0.6)
    if not ctx.need and _UNDEFINED.search(text):
        # "they haven't defined any KPIs": a described absence, as vague as a description.
        return make_reading(clause, Status.MISSING, "negated", "described", confidence=0.6)
    if lx.STARTS_NO.match(text) and (ctx.short or ctx.first):
        return make_reading(clause, Status.MISSING, confidence=0.8)
    if need:
        return make_reading(clause, Status.MET, value=clause.span, confidence=0.7)
    if word_count(text) >= 3:
        return make_reading(clause, Status.MET, "described", value=clause.span, confidence=0.6)
    return None


def choice(clause: Clause, ctx: Context) -> Assessment | None:
    """Priority and competition words; the earliest in the clause decides."""
    text = clause.text
    hits = []
    for pattern, status in (
        (ln.CHOICE_MISSING, Status.MISSING),
        (ln.CHOICE_PARTIAL, Status.PARTIAL),
        (ln.CHOICE_MET, Status.MET),
    ):
        hit = pattern.search(text)
        if hit:
            hits.append((hit.start(), -len(hit.group(0)), status, hit))
    if hits:
        _, _, status, hit = min(hits, key=lambda h: (h[0], h[1]))
        if status is Status.MET and negated(text, hit.start()):
            # "not the favourite" loses a race; "not top priority" is still on the list.
            lower = Status.MISSING if ctx.key == "competition" else Status.PARTIAL
            return make_reading(clause, lower, "negated", value=clause.span)
        if status is Status.MISSING and ctx.key != "competition" and hit.group(0) == "behind":
            # A priority "behind the ERP project" is still on the list.
            return make_reading(clause, Status.PARTIAL, value=clause.span)
        return make_reading(clause, status, value=clause.span)
    said = generic(clause, ctx)
    if said is not None and "bare_yes" not in said.notes:
        return said
    return None
