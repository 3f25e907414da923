"""Readings that people chose: a corrected answer, a clarification's choice, pasted notes.

The reader's own answers go through :meth:`flows.conversation.Engine.step`; a reading chosen by
a person (or taken from call notes) is already an :class:`~flows.model.Assessment`, so it is
recorded as it is, with the same machine and the same rules about what is asked next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flows.model import Assessment
from flows.state import DONE, PAUSED, Conversation, StepKind, StepResult

if TYPE_CHECKING:
    from flows.conversation import Engine


def record_readings(
    engine: Engine, conversation: Conversation, readings: Mapping[str, Assessment]
) -> StepResult:
    """Store chosen readings as the answers of their criteria, changing ``conversation``.

    The question being asked moves on only when it is among ``readings`` (a clarification's
    choice, or notes that answer it); a correction of an earlier answer leaves it where it is.
    A finished conversation keeps its state and gets its verdict again; a paused one stays
    paused.

    Args:
        engine: The engine of the conversation's framework.
        conversation: The conversation, restored from storage.
        readings: Assessments by criterion key; keys the framework lacks are ignored.

    Returns:
        ``verdict`` (finished, or finished by this step), ``ask`` with the question to ask now,
        ``paused``, or ``invalid`` (cancelled, or nothing applicable) leaving the conversation
        as it was. ``recorded`` holds the last reading stored.
    """
    framework = engine.framework(conversation.framework)
    chosen = {key: a for key, a in readings.items() if key in framework.keys}
    state = conversation.state
    if not chosen or (state not in (DONE, PAUSED) and state not in framework.keys):
        return StepResult(StepKind.INVALID, state, reason="not_allowed")
    answers = {**conversation.answers, **chosen}
    recorded = list(chosen.items())[-1]
    if state in (DONE, PAUSED) or state not in chosen:
        conversation.answers = answers
        asked = conversation.paused_from if state == PAUSED else state
        conversation.history = _remember(conversation.history, chosen, before=asked)
        if state == DONE:
            return StepResult(
                StepKind.VERDICT, DONE, verdict=engine.verdict(conversation), recorded=recorded
            )
        if state == PAUSED:
            return StepResult(StepKind.PAUSED, PAUSED, recorded=recorded)
        return StepResult(
            StepKind.ASK, state, criterion=framework.criterion(state), recorded=recorded
        )
    nxt = engine.next_criterion(framework, answers)
    if not engine.fire(framework, conversation, f"ask_{nxt}" if nxt else "finish"):
        return StepResult(StepKind.INVALID, state, reason="not_allowed")
    conversation.answers = answers
    conversation.history = _remember(conversation.history, chosen, before=None)
    conversation.clarifying = None
    conversation.pending = None
    if nxt is None:
        return StepResult(
            StepKind.VERDICT, DONE, verdict=engine.verdict(conversation), recorded=recorded
        )
    return StepResult(StepKind.ASK, nxt, criterion=framework.criterion(nxt), recorded=recorded)


def _remember(
    history: list[str], chosen: Mapping[str, Assessment], before: str | None
) -> list[str]:
    """History with the chosen keys as the latest answered, kept out of ``back``'s way of the
    question still open (``before``), which is not answered yet."""
    kept = [key for key in history if key not in chosen]
    return kept + [key for key in chosen if key != before]
