"""The qualification conversation: one ``transitions`` machine per framework, plain state objects.

A :class:`Conversation` is plain data that storage keeps as JSON. For each step the engine
fires one trigger of the framework's cached machine on it, without attaching it to the machine
(no helper methods are bound onto it), so no conversation is ever bound to a machine (or to a
database row).
Understanding the answer happens before the machine is touched, so an invalid command or an
unclear answer leaves the conversation exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from transitions import Machine, MachineError

from flows.adaptive import most_decisive
from flows.config import Icp
from flows.model import Assessment, Clarification, Criterion, Framework, Status, VerdictResult
from flows.phrasebook import Phrasebook
from flows.scoring import evaluate
from flows.state import (
    CANCELLED,
    COMMANDS,
    DONE,
    PAUSED,
    Conversation,
    StepKind,
    StepResult,
)
from flows.steps import run_command
from flows.understanding import understand

__all__ = [
    "CANCELLED",
    "COMMANDS",
    "DONE",
    "PAUSED",
    "Conversation",
    "Engine",
    "StepKind",
    "StepResult",
    "build_machine",
    "carry_over",
]


def build_machine(framework: Framework) -> Machine:
    """The state machine of a framework: one state per criterion plus done/paused/cancelled."""
    questions = list(framework.keys)
    transitions: list[dict[str, Any]] = []
    for key in questions:
        transitions.append({"trigger": f"ask_{key}", "source": [*questions, DONE], "dest": key})
        transitions.append({"trigger": f"resume_{key}", "source": PAUSED, "dest": key})
    transitions += [
        {"trigger": "finish", "source": questions, "dest": DONE},
        {"trigger": "pause", "source": questions, "dest": PAUSED},
        {"trigger": "cancel", "source": [*questions, PAUSED], "dest": CANCELLED},
    ]
    return Machine(
        model=None,
        states=[*questions, DONE, PAUSED, CANCELLED],
        transitions=transitions,
        initial=questions[0],
        auto_transitions=False,
    )


def carry_over(
    from_answers: Mapping[str, Assessment], from_framework: Framework, to_framework: Framework
) -> dict[str, Assessment]:
    """Reuse answers of one framework for another through their shared concepts.

    Args:
        from_answers: Assessments of the earlier qualification by criterion key.
        from_framework: The framework they were given in.
        to_framework: The framework of the new qualification.

    Returns:
        Assessments for ``to_framework`` keys whose concept (budget, authority, need,
        timeline) was answered before; unknown answers are not carried.
    """
    by_concept: dict[str, Assessment] = {}
    for criterion in from_framework.criteria:
        answer = from_answers.get(criterion.key)
        if criterion.concept and answer is not None and answer.status is not Status.UNKNOWN:
            by_concept.setdefault(criterion.concept, answer)
    return {
        c.key: by_concept[c.concept]
        for c in to_framework.criteria
        if c.concept is not None and c.concept in by_concept
    }


class Engine:
    """Runs conversation steps for a set of frameworks; safe to share between threads."""

    def __init__(
        self,
        frameworks: Mapping[str, Framework],
        *,
        icp: Icp | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.frameworks: dict[str, Framework] = dict(frameworks)
        self._icp = icp
        self._today = today
        self._machines: dict[str, tuple[Machine, threading.Lock]] = {}
        self._cache_lock = threading.Lock()

    def _machine(self, framework: Framework) -> tuple[Machine, threading.Lock]:
        with self._cache_lock:
            if framework.key not in self._machines:
                self._machines[framework.key] = (build_machine(framework), threading.Lock())
            return self._machines[framework.key]

    def framework(self, key: str) -> Framework:
        """The framework by key; raises ``KeyError`` naming the known keys."""
        try:
            return self.frameworks[key]
        except KeyError:
            raise KeyError(f"unknown framework {key!r}; known: {sorted(self.frameworks)}") from None

    def verdict(
        self, conversation: Conversation, *, firmographics: Mapping[str, Any] | None = None
    ) -> VerdictResult:
        """The verdict for the answers so far (unanswered criteria count as unknown)."""
        framework = self.framework(conversation.framework)
        return evaluate(framework, conversation.answers, icp=self._icp, firmographics=firmographics)

    def next_criterion(self, framework: Framework, answers: Mapping[str, Assessment]) -> str | None:
        """The next question: framework order, or the most decisive one when adaptive."""
        open_keys = [k for k in framework.keys if k not in answers]
        if not open_keys:
            return None
        if framework.adaptive:
            return most_decisive(framework, answers, open_keys)
        return open_keys[0]

    def start(
        self, framework_key: str, *, lang: str, prefill: Mapping[str, Assessment] | None = None
    ) -> tuple[Conversation, StepResult]:
        """Begin a qualification.

        Args:
            framework_key: Which framework to run, e.g. ``bant``.
            lang: Conversation language, ``en`` or ``de``.
            prefill: Known assessments by criterion key (see :func:`carry_over`); these
                criteria are not asked.

        Returns:
            The new conversation and the first step (ask, or verdict if all was prefilled).
        """
        framework = self.framework(framework_key)
        answers = {k: a for k, a in (prefill or {}).items() if k in framework.keys}
        first = self.next_criterion(framework, answers)
        conversation = Conversation(
            framework=framework.key,
            lang=lang,
            state=first or DONE,
            answers=answers,
            prefilled=[k for k in framework.keys if k in answers],
        )
        if first is None:
            return conversation, StepResult(
                StepKind.VERDICT, DONE, verdict=self.verdict(conversation)
            )
        return conversation, StepResult(StepKind.ASK, first, criterion=framework.criterion(first))

    def fire(self, framework: Framework, conversation: Conversation, trigger: str) -> bool:
        """Move the conversation through the machine; ``False`` when the trigger is not allowed."""
        machine, lock = self._machine(framework)
        with lock:
            try:
                # An event reads and sets only ``state`` of the model it is given, so the
                # conversation is stepped without ``add_model``: that would bind a method per
                # trigger and state onto it (and unbind them after), costing more than the
                # transition itself on every step.
                machine.events[trigger].trigger(conversation)
            except (MachineError, KeyError):
                return False
        return True

    def step(
        self,
        conversation: Conversation,
        command: str,
        text: str | None = None,
        *,
        phrasebook: Phrasebook | None = None,
    ) -> StepResult:
        """Apply one command to a conversation, changing it in place unless refused.

        Args:
            conversation: The conversation, restored with :meth:`Conversation.from_json`.
            command: One of ``answer``, ``skip``, ``back``, ``edit``, ``pause``, ``resume``,
                ``cancel``.
            text: The answer for ``answer``; the criterion key for ``edit``.
            phrasebook: The workspace's learned phrases, consulted before the rules.

        Returns:
            What happened and what to ask next. ``invalid`` results leave the conversation
            unchanged.
        """
        framework = self.framework(conversation.framework)
        if command not in COMMANDS:
            return StepResult(StepKind.INVALID, conversation.state, reason="unknown_command")
        return run_command(self, framework, conversation, command, text, phrasebook=phrasebook)

    def understand(
        self,
        framework: Framework,
        criterion: Criterion,
        text: str,
        lang: str,
        *,
        known: Mapping[str, Assessment] | None = None,
        phrasebook: Phrasebook | None = None,
    ) -> Assessment | Clarification:
        """Classify an answer with the framework's thresholds and the engine's clock.

        Args:
            framework: The conversation's framework (its thresholds apply).
            criterion: The question answered.
            text: The rep's words.
            lang: The conversation language.
            known: The conversation's other answers (a budget amount meets a signing limit).
            phrasebook: The workspace's learned phrases, consulted before the rules.

        Returns:
            The reading, or a clarification to ask again.
        """
        return understand(
            criterion,
            text,
            lang=lang,
            thresholds=framework.thresholds,
            today=self._today(),
            known=known,
            phrasebook=phrasebook,
        )
