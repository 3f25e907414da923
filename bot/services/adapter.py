"""The few facts the bot reads off a ``flows`` conversation and step result, in one place."""

from __future__ import annotations

from typing import Any

from flows.model import Assessment, Criterion, Framework


def load_conversation(data: dict[str, Any]) -> Any:
    """Rebuild the engine's conversation object from its stored JSON."""
    from flows.conversation import Conversation

    return Conversation.from_json(data)


def machine_state(conversation: Any) -> str:
    """The state machine's state, as stored on the qualification row."""
    return str(conversation.state)


def current_key(conversation: Any) -> str | None:
    """Key of the criterion being asked now (the one before a pause, while paused)."""
    state = str(conversation.state)
    if state == "paused":
        paused_from = getattr(conversation, "paused_from", None)
        return str(paused_from) if paused_from else None
    return state


def answered_count(conversation: Any) -> int:
    """How many criteria have an answer so far."""
    return len(getattr(conversation, "answers", {}) or {})


def recorded(result: Any) -> tuple[str, Assessment] | None:
    """The ``(criterion key, assessment)`` a step stored, if any."""
    value = getattr(result, "recorded", None)
    if value is None:
        return None
    if isinstance(value, tuple):
        key, assessment = value
        return str(key), assessment
    return str(value.criterion), value.assessment


def criterion_of(framework: Framework, result: Any, conversation: Any) -> Criterion | None:
    """The criterion a step result asks about (falls back to the conversation's state)."""
    value = getattr(result, "criterion", None)
    if isinstance(value, Criterion):
        return value
    key = value if isinstance(value, str) else current_key(conversation)
    if key is None:
        return None
    try:
        return framework.criterion(key)
    except KeyError:
        return None
