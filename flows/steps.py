"""What each conversation command does; the engine supplies the machine and the clock.

Every handler first works out the outcome without touching the conversation, then fires the
machine trigger, and only when the machine accepts it updates the conversation. That keeps
refused commands side-effect free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.model import Assessment, Clarification, Framework, Status, name_form
from flows.phrasebook import Phrasebook
from flows.state import CANCELLED, DONE, PAUSED, Conversation, StepKind, StepResult

if TYPE_CHECKING:
    from flows.conversation import Engine
    from flows.phrasebook import Phrasebook

NEEDS_VALUE = "needs_value"

_STATE_REASON = {DONE: "finished", PAUSED: "paused", CANCELLED: "cancelled"}


def criterion_named(framework: Framework, name: str) -> str | None:
    """The criterion key a rep means by a name such as ``budget``, ``Zeitrahmen`` or ``pain``.

    A key is tried first, then the criteria's names in every language, then their further
    words; all of them come from the framework file.

    Args:
        framework: The framework of the conversation.
        name: The word(s) after ``edit`` / ``ändere``.

    Returns:
        The key, or ``None`` when the name fits no criterion of this framework.
    """
    wanted = name_form(name)
    if wanted in framework.keys:
        return wanted
    for criterion in framework.criteria:
        if wanted in {name_form(shown) for shown in criterion.name.values()}:
            return criterion.key
    for criterion in framework.criteria:
        if wanted in criterion.words:
            return criterion.key
    return None


def _invalid(conversation: Conversation, reason: str | None = None) -> StepResult:
    reason = reason or _STATE_REASON.get(conversation.state, "not_allowed")
    return StepResult(StepKind.INVALID, conversation.state, reason=reason)


def _ask(engine: Engine, framework: Framework, key: str, kind: StepKind) -> StepResult:
    return StepResult(kind, key, criterion=framework.criterion(key))


def _record(
    engine: Engine,
    framework: Framework,
    conversation: Conversation,
    key: str,
    assessment: Assessment,
) -> StepResult:
    answers = {**conversation.answers, key: assessment}
    nxt = engine.next_criterion(framework, answers)
    if not engine.fire(framework, conversation, f"ask_{nxt}" if nxt else "finish"):
        return _invalid(conversation)
    conversation.answers = answers
    conversation.history = [k for k in conversation.history if k != key] + [key]
    conversation.clarifying = None
    conversation.pending = None
    recorded = (key, assessment)
    if nxt is None:
        verdict = engine.verdict(conversation)
        return StepResult(StepKind.VERDICT, DONE, verdict=verdict, recorded=recorded)
    return StepResult(StepKind.ASK, nxt, criterion=framework.criterion(nxt), recorded=recorded)


def _answer(
    engine: Engine,
    framework: Framework,
    conversation: Conversation,
    text: str | None,
    phrasebook: Phrasebook | None,
) -> StepResult:
    key = conversation.state
    if key not in framework.keys:
        return _invalid(conversation)
    criterion = framework.criterion(key)
    known = {k: a for k, a in conversation.answers.items() if k != key}
    result = engine.understand(
        framework, criterion, text or "", conversation.lang, known=known, phrasebook=phrasebook
    )
    if isinstance(result, Clarification):
        asked_before = conversation.clarifying == NEEDS_VALUE and conversation.pending is not None
        if result.reason == NEEDS_VALUE and asked_before and conversation.pending is not None:
            # The value is asked for once; a second bare "yes" keeps the provisional reading.
            return _record(engine, framework, conversation, key, conversation.pending)
        conversation.clarifying = result.reason
        conversation.pending = (
            result.readings[0] if result.reason == NEEDS_VALUE and result.readings else None
        )
        return StepResult(StepKind.CLARIFY, key, criterion=criterion, clarification=result)
    return _record(engine, framework, conversation, key, result)


def _skip(engine: Engine, framework: Framework, conversation: Conversation) -> StepResult:
    key = conversation.state
    if key not in framework.keys:
        return _invalid(conversation)
    # Skipping the follow-up to a bare "yes" records what the "yes" said: partial.
    pending = conversation.pending if conversation.clarifying == NEEDS_VALUE else None
    assessment = pending if pending is not None else Assessment(status=Status.UNKNOWN)
    return _record(engine, framework, conversation, key, assessment)


def _back(engine: Engine, framework: Framework, conversation: Conversation) -> StepResult:
    if conversation.state not in (*framework.keys, DONE):
        return _invalid(conversation)
    earlier = [k for k in conversation.history if k != conversation.state]
    if not earlier:
        return _invalid(conversation, "no_previous")
    target = earlier[-1]
    if not engine.fire(framework, conversation, f"ask_{target}"):
        return _invalid(conversation)
    conversation.history = [k for k in conversation.history if k != target]
    conversation.clarifying = None
    conversation.pending = None
    return _ask(engine, framework, target, StepKind.ASK)


def _edit(
    engine: Engine, framework: Framework, conversation: Conversation, text: str | None
) -> StepResult:
    if conversation.state not in (*framework.keys, DONE):
        return _invalid(conversation)
    target = criterion_named(framework, text or "")
    if target is None:
        return _invalid(conversation, "unknown_criterion")
    if not engine.fire(framework, conversation, f"ask_{target}"):
        return _invalid(conversation)
    conversation.clarifying = None
    conversation.pending = None
    return _ask(engine, framework, target, StepKind.ASK)


def _pause(engine: Engine, framework: Framework, conversation: Conversation) -> StepResult:
    where = conversation.state
    if where not in framework.keys or not engine.fire(framework, conversation, "pause"):
        return _invalid(conversation)
    conversation.paused_from = where
    return StepResult(StepKind.PAUSED, PAUSED)


def _resume(engine: Engine, framework: Framework, conversation: Conversation) -> StepResult:
    where = conversation.paused_from
    if conversation.state != PAUSED or where is None:
        return _invalid(conversation, "not_paused" if conversation.state != CANCELLED else None)
    if not engine.fire(framework, conversation, f"resume_{where}"):
        return _invalid(conversation)
    conversation.paused_from = None
    return _ask(engine, framework, where, StepKind.RESUMED)


def _cancel(engine: Engine, framework: Framework, conversation: Conversation) -> StepResult:
    if not engine.fire(framework, conversation, "cancel"):
        return _invalid(conversation)
    conversation.paused_from = None
    conversation.clarifying = None
    conversation.pending = None
    return StepResult(StepKind.CANCELLED, CANCELLED)


def run_command(
    engine: Engine,
    framework: Framework,
    conversation: Conversation,
    command: str,
    text: str | None,
    *,
    phrasebook: Phrasebook | None = None,
) -> StepResult:
    """Dispatch one command (already checked to be known) to its handler.

    Args:
        engine: Supplies the machine, the clock and the reader.
        framework: The conversation's framework.
        conversation: Changed in place unless the command is refused.
        command: One of :data:`flows.state.COMMANDS`.
        text: The answer, or the criterion name for ``edit``.
        phrasebook: The workspace's learned phrases, read before the rules.

    Returns:
        What happened and what to ask next.
    """
    match command:
        case "answer":
            return _answer(engine, framework, conversation, text, phrasebook)
        case "skip":
            return _skip(engine, framework, conversation)
        case "back":
            return _back(engine, framework, conversation)
        case "edit":
            return _edit(engine, framework, conversation, text)
        case "pause":
            return _pause(engine, framework, conversation)
        case "resume":
            return _resume(engine, framework, conversation)
        case "cancel":
            return _cancel(engine, framework, conversation)
    return _invalid(conversation, "unknown_command")
