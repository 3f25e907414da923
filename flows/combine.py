"""Combining the readings of an answer's clauses into one, or into a conflict.

A later "but" clause decides; a definite reading outweighs a vague one; a yes and a no of equal
weight about the same thing are a conflict, offered back to the rep rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flows import cues
from flows import lexicon_authority as la
from flows.model import Assessment, Status

_ELSEWHERE = re.compile(
    rf"{la.ROLES.pattern}|(?<!\w)(?:woanders|anderswo|elsewhere|somewhere else)(?!\w)"
)
# "the CEO said ..., but procurement told us ...": two sources, each reported.
_REPORTED = re.compile(
    r"(?<!\w)(?:said|says|told|tells|claims?|meinte|meint|sagt|sagte|laut|according to)(?!\w)"
)

WEAK = 0.7
"""Readings at or below this confidence (plain descriptions, bare words) give way to others."""


def weak(reading: Assessment) -> bool:
    """Whether a reading is vague (a plain description, a bare word) and gives way to others."""
    return reading.confidence <= WEAK or "described" in reading.notes


def merge(
    earlier: Assessment, later: Assessment, contrast: bool, later_wins: bool = False
) -> Assessment | tuple[Assessment, Assessment]:
    """Two clauses' readings as one, or both when they conflict (later first)."""
    value = later.value if later.value is not None else earlier.value
    notes = tuple(dict.fromkeys((*earlier.notes, *later.notes)))
    for decisive in ("said_partial", "deadline"):
        for said in (earlier, later):
            if decisive in said.notes:
                return replace(said, value=said.value if said.value is not None else value)
    if (
        contrast
        and {earlier.status, later.status} == {Status.MET, Status.MISSING}
        and _REPORTED.search(earlier.span or "")
        and _REPORTED.search(later.span or "")
    ):
        # Two people told two things: the rep cannot settle it by "but", so neither wins.
        return later, earlier
    if contrast:
        # "50k approved, but not sure when": a later shrug does not undo a reading.
        if later.status is Status.UNKNOWN and earlier.status is not Status.UNKNOWN:
            capped = Status.PARTIAL if earlier.status is Status.MET else earlier.status
            return replace(earlier, status=capped, notes=(*earlier.notes, "contrast"))
        # "Tom likes us, but keeps quiet in meetings": a vague "but" tempers, it does not flip.
        mixed = earlier.status is not later.status and Status.UNKNOWN not in (
            earlier.status,
            later.status,
        )
        tempers = "described" in later.notes or "negated" in later.notes
        if weak(later) and mixed and tempers:
            return replace(later, status=Status.PARTIAL, value=value, notes=notes)
        if weak(later) and not weak(earlier) and not tempers:
            # "she signs, but legal needs to review": a bare mention does not undo a reading.
            return earlier
        if (
            earlier.status is Status.UNKNOWN
            and later.status is Status.MET
            and "not_yet" in earlier.notes
        ):
            # "haven't confirmed the number, but there's budget": yes, with a gap left open.
            return replace(later, status=Status.PARTIAL, notes=(*later.notes, "not_yet"))
        return replace(later, value=value)
    for filler in ("bare_yes", "described"):
        if filler in earlier.notes and earlier.status is Status.MET and filler not in later.notes:
            return later
        if filler in later.notes and later.status is Status.MET and filler not in earlier.notes:
            return earlier
    if earlier.status is later.status:
        # The clause that carried the value (the amount, the date) is the better span.
        base = earlier if later.value is None and earlier.value is not None else later
        return replace(base, value=value, notes=notes)
    # A definite reading outweighs a vague one ("junior analyst, no say in the decision").
    if weak(earlier) != weak(later):
        strong = later if weak(earlier) else earlier
        vague = earlier if strong is later else later
        if strong.status is not Status.UNKNOWN or vague.status is not Status.PARTIAL:
            return replace(strong, value=value)
    pair = {earlier.status, later.status}
    for one, other in ((earlier, later), (later, earlier)):
        if one.status is Status.MISSING and not weak(one) and "negated" not in one.notes:
            # "zero say, the board decides": the contact has none, someone else decides;
            # "the budget holder is at HQ, we have no line to them": known, out of reach.
            elsewhere = _ELSEWHERE.search(cues.normalize(other.span or ""))
            if other.status is Status.PARTIAL and "attributed" in other.notes and elsewhere:
                return replace(one, value=value)
            if other.status is Status.MET and "identified" in other.notes:
                return replace(one, value=value)
    if "said_no" in earlier.notes and later.status is Status.UNKNOWN:
        # "nope, no idea": the "no" answers "do you know", not the question.
        return later
    if Status.UNKNOWN in pair:
        kept = earlier if later.status is Status.UNKNOWN else later
        shrug = later if kept is earlier else earlier
        if kept.status is Status.MET and isinstance(kept.value, dict) and "not_yet" in shrug.notes:
            # "5-stellig, genaue Zahl unklar": an amount whose exact figure is still open.
            return replace(kept, status=Status.PARTIAL, value=value, notes=(*kept.notes, "hedged"))
        return replace(kept, value=value)
    if later_wins:
        return replace(later, value=value)
    if pair == {Status.MET, Status.MISSING}:
        if weak(earlier) and weak(later):
            # Two vague sentences pulling apart: neither a yes nor a no.
            return replace(later, status=Status.PARTIAL, value=value, notes=notes)
        return later, earlier
    for one, other in ((earlier, later), (later, earlier)):
        if "no_need" in one.notes and "minor" in other.notes:
            return replace(one, value=value)
        if one.status is Status.MISSING and (
            "not_approved" in other.notes
            or ("not_planned" in one.notes and "planned" in other.notes)
        ):
            # "nicht freigegeben, nicht geplant": not approved and not planned is no budget.
            return replace(one, value=value)
    kept = earlier if earlier.status is Status.PARTIAL else later
    return replace(kept, value=value, notes=notes)


def combine(
    readings: list[tuple[cues.Clause, Assessment]], later_wins: bool
) -> Assessment | tuple[Assessment, ...]:
    """The answer's reading from its clauses' readings, in order.

    Args:
        readings: Each clause that said something, with its reading.
        later_wins: Whether a later clause simply overrides an earlier one (choices, where
            the rep ends on the verdict).

    Returns:
        One reading, or the competing readings (latest first) of a conflict.
    """
    state: Assessment | tuple[Assessment, ...] | None = None
    for clause, reading in readings:
        if state is None:
            state = reading
        elif isinstance(state, tuple):
            # A conflict stays open until a "but" clause settles it.
            state = reading if clause.contrast else (reading, *state)
        else:
            state = merge(state, reading, clause.contrast, later_wins)
    assert state is not None
    return state
