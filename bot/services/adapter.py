"""The few facts the bot reads off a ``flows`` conversation and step result, in one place."""

from __future__ import annotations

from typing import Any

from flows.conversation import Conversation, StepResult
from flows.model import Assessment, Criterion, Framework, Status


def load_conversation(data: dict[str, Any]) -> Conversation:
    """Rebuild the engine's conversation object from its stored JSON."""
    return Conversation.from_json(data)


def machine_state(conversation: Conversation) -> str:
    """The state machine's state, as stored on the qualification row."""
    return conversation.state


def current_key(conversation: Conversation) -> str | None:
    """Key of the criterion being asked now (the one before a pause, while paused)."""
    if conversation.state == "paused":
        return conversation.paused_from
    return conversation.state


def answered_count(conversation: Conversation) -> int:
    """How many criteria have an answer so far; a skip (nothing known) is no answer."""
    return sum(
        1 for a in conversation.answers.values() if a.status is not Status.UNKNOWN or a.evidence
    )


def recorded(result: StepResult) -> tuple[str, Assessment] | None:
    """The ``(criterion key, assessment)`` a step stored, if any."""
    return result.recorded


def criterion_of(
    framework: Framework, result: StepResult, conversation: Conversation
) -> Criterion | None:
    """The criterion a step result asks about (falls back to the conversation's state)."""
    if result.criterion is not None:
        return result.criterion
    key = current_key(conversation)
    if key is None or key not in framework.keys:
        return None
    return framework.criterion(key)
