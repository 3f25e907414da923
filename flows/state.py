"""Plain data of a conversation and of a step's result; no machine, no parsing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from flows.model import Assessment, Clarification, Criterion, VerdictResult

DONE = "done"
PAUSED = "paused"
CANCELLED = "cancelled"
COMMANDS = ("answer", "skip", "back", "edit", "pause", "resume", "cancel")


class StepKind(StrEnum):
    """What a step asks the service to do next; compares equal to its plain string."""

    ASK = "ask"
    CLARIFY = "clarify"
    VERDICT = "verdict"
    PAUSED = "paused"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What the service should do after a step.

    Attributes:
        kind: ask / clarify / verdict / paused / resumed / cancelled / invalid.
        state: The conversation's state after the step.
        criterion: The question to ask now (ask, clarify, resumed).
        clarification: Why the answer was not understood (clarify).
        verdict: The verdict once every criterion is answered (verdict).
        recorded: The criterion key and assessment stored by this step, if any.
        reason: Machine code of why a command was refused (invalid).
    """

    kind: StepKind
    state: str
    criterion: Criterion | None = None
    clarification: Clarification | None = None
    verdict: VerdictResult | None = None
    recorded: tuple[str, Assessment] | None = None
    reason: str | None = None


# Not slotted: ``transitions`` binds trigger methods onto the model while it is attached.
@dataclass
class Conversation:
    """One lead's qualification in progress, as plain JSON-able data."""

    framework: str
    lang: str
    state: str
    answers: dict[str, Assessment] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    """Criteria answered or skipped, oldest first; ``back`` walks it backwards."""
    paused_from: str | None = None
    clarifying: str | None = None
    """Reason code of the last clarification, while the same question is re-asked."""
    prefilled: list[str] = field(default_factory=list)
    pending: Assessment | None = None
    """The provisional reading of a bare "yes" while its value is asked for; a skip records it."""

    def to_json(self) -> dict[str, Any]:
        """Everything needed to resume the conversation later, as JSON-able data."""
        return {
            "framework": self.framework,
            "lang": self.lang,
            "state": self.state,
            "answers": {key: a.to_json() for key, a in self.answers.items()},
            "history": list(self.history),
            "paused_from": self.paused_from,
            "clarifying": self.clarifying,
            "prefilled": list(self.prefilled),
            "pending": self.pending.to_json() if self.pending is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conversation:
        """Rebuild a conversation from :meth:`to_json` output."""
        return cls(
            framework=data["framework"],
            lang=data["lang"],
            state=data["state"],
            answers={k: Assessment.from_json(v) for k, v in data.get("answers", {}).items()},
            history=list(data.get("history", [])),
            paused_from=data.get("paused_from"),
            clarifying=data.get("clarifying"),
            prefilled=list(data.get("prefilled", [])),
            # Conversations stored before pending readings existed have none.
            pending=Assessment.from_json(data["pending"]) if data.get("pending") else None,
        )


_FIELDS = frozenset(f.name for f in fields(Conversation))


def detach(conversation: Conversation) -> None:
    """Drop the helper methods ``transitions`` bound onto the object while attached."""
    for name in [n for n in vars(conversation) if n not in _FIELDS]:
        delattr(conversation, name)
