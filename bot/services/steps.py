"""One conversation step: a ``Turn`` becomes one transaction and a list of Slack messages."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session

from bot import blocks
from bot.services import adapter, webhook_events
from bot.services.context import Services
from bot.services.handoffs import enqueue_alert
from bot.services.replies import Outcome, ask_question, deliver, stage
from bot.services.turns import Command, Turn
from flows.model import Framework
from storage import repo
from storage.models import AnswerCreate, Qualification, QualificationStatus

log = logging.getLogger(__name__)

_FINISHED = {QualificationStatus.DONE.value, QualificationStatus.CANCELLED.value}
_STATUS_BY_KIND = {
    "verdict": QualificationStatus.DONE.value,
    "cancelled": QualificationStatus.CANCELLED.value,
    "paused": QualificationStatus.PAUSED.value,
}


async def take_turn(services: Services, turn: Turn) -> None:
    """Apply ``turn`` inside the request and send what it staged once the response is out.

    The listener returns (and Slack gets its 200) only after the step committed; if the
    transaction fails, the error reaches Bolt, Slack gets a non-2xx and delivers the event
    again, and the idempotency keys claimed with the step make that redelivery take effect once.

    Args:
        services: Shared collaborators.
        turn: What the user said or clicked.
    """
    outcome = await handle_turn(services, turn)
    services.background.spawn(deliver(services, outcome))


async def handle_turn(services: Services, turn: Turn) -> Outcome:
    """Apply one turn in one transaction and return what to say.

    Retried events, messages outside our threads and stale buttons store nothing.

    Args:
        services: Shared collaborators.
        turn: What the user said or clicked.

    Returns:
        The messages to send once the transaction has committed.
    """
    return await services.transaction(
        lambda session: stage(
            services, session, apply_turn(services, session, turn), team_id=turn.team_id
        )
    )


def apply_turn(services: Services, session: Session, turn: Turn) -> Outcome:
    """The transactional body of a turn (runs on a worker thread)."""
    outcome = Outcome()
    keys = [turn.event_id] if turn.event_id else []
    if turn.message_ts:
        keys.append(f"msg:{turn.channel_id}:{turn.message_ts}")
    if not repo.claim_events(session=session, team_id=turn.team_id, event_ids=keys):
        return outcome
    loaded = repo.load_step(
        session=session, team_id=turn.team_id, channel_id=turn.channel_id, thread_ts=turn.thread_ts
    )
    if loaded is None:
        return outcome
    qualification, lead_name = loaded
    t = services.texts(qualification.language)
    is_button = turn.expected_criterion is not None
    if turn.user_id != qualification.rep_id and not services.people.is_manager(turn.user_id):
        outcome.ephemeral(
            turn.channel_id,
            turn.user_id,
            t("not_owner", rep=qualification.rep_id),
            thread_ts=turn.thread_ts,
        )
        return outcome
    if turn.command is Command.HELP:
        outcome.post(
            turn.channel_id, blocks.text_message(t("thread_help")), thread_ts=turn.thread_ts
        )
        return outcome
    if qualification.status in _FINISHED:
        if is_button:
            outcome.ephemeral(
                turn.channel_id, turn.user_id, t("finished_already"), thread_ts=turn.thread_ts
            )
        return outcome

    framework = services.frameworks[qualification.framework]
    conversation = adapter.load_conversation(qualification.conversation)
    if is_button and adapter.current_key(conversation) != turn.expected_criterion:
        outcome.ephemeral(
            turn.channel_id, turn.user_id, t("stale_button"), thread_ts=turn.thread_ts
        )
        return outcome

    text = turn.text
    if turn.command is Command.EDIT and text:
        text = criterion_key_from_name(services, framework, text)
    result = services.conversations.step(conversation, turn.command.value, text)
    kind = str(result.kind)
    if kind == "invalid":
        outcome.ephemeral(
            turn.channel_id,
            turn.user_id,
            t("invalid", command=turn.text or turn.command.value),
            thread_ts=turn.thread_ts,
        )
        return outcome

    recorded = adapter.recorded(result)
    answer = None
    if recorded is not None:
        key, assessment = recorded
        answer = AnswerCreate.from_assessment(
            key,
            assessment,
            answered_by=turn.user_id,
            text=turn.text if turn.command is Command.ANSWER else None,
        )
    verdict = result.verdict if kind == "verdict" else None
    status = _STATUS_BY_KIND.get(kind, QualificationStatus.ACTIVE.value)
    status_before = qualification.status
    repo.save_step(
        session=session,
        qualification=qualification,
        expected_version=qualification.version,
        machine_state=adapter.machine_state(conversation),
        conversation=conversation.to_json(),
        status=status,
        answer=answer,
        verdict=verdict,
        actor_id=turn.user_id,
    )
    webhook_events.emit_verdict(services, session, qualification, lead_name, verdict)
    render_step(
        services,
        session,
        outcome,
        qualification,
        framework,
        conversation,
        result,
        lead_name,
        status_changed=status != status_before,
    )
    return outcome


def criterion_key_from_name(services: Services, framework: Framework, typed: str) -> str:
    """Map ``edit zeitrahmen`` or ``edit economic buyer`` to the criterion key it names.

    Args:
        services: Shared collaborators (for the criterion names of every language).
        framework: The qualification's framework.
        typed: What followed ``edit``, spaces already turned into underscores.

    Returns:
        The matching criterion key, or ``typed`` unchanged when nothing matches.
    """
    wanted = typed.casefold().replace("_", " ")
    for key in framework.keys:
        for lang in ("en", "de"):
            if services.texts(lang)("criterion_name", key=key).casefold() == wanted:
                return key
    return typed


def render_step(
    services: Services,
    session: Session,
    outcome: Outcome,
    qualification: Qualification,
    framework: Framework,
    conversation: Any,
    result: Any,
    lead_name: str,
    *,
    status_changed: bool,
) -> None:
    """Add the thread replies, and the card update when the card's status changed.

    The card (the thread root) is updated only when the step changed the qualification's
    status, that is on a pause, resume, cancel or verdict (a verdict finishes it): an
    ordinary answer would spend one ``chat.update`` per step against Slack's Tier 3 limit
    (about 50 a minute per workspace), and the question in the thread already says how far
    the qualification got. The progress on the card is the count at its last status change.
    """
    t = services.texts(qualification.language)
    channel, thread = qualification.channel_id, qualification.thread_ts
    kind = str(result.kind)
    if kind == "paused":
        outcome.post(channel, blocks.text_message(t("paused")), thread_ts=thread)
    elif kind == "cancelled":
        outcome.post(channel, blocks.text_message(t("cancelled")), thread_ts=thread)
    elif kind == "resumed":
        outcome.post(channel, blocks.text_message(t("resumed")), thread_ts=thread)
    if kind in ("ask", "clarify", "resumed"):
        ask_question(
            outcome,
            t,
            framework=framework,
            conversation=conversation,
            result=result,
            channel=channel,
            thread_ts=thread,
        )
    verdict = result.verdict if kind == "verdict" else None
    if verdict is not None:
        outcome.post(
            channel, blocks.verdict_message(t, lead=lead_name, verdict=verdict), thread_ts=thread
        )
        if verdict.verdict.value == "hot":
            outcome.outbox_enqueued |= enqueue_alert(
                services,
                session,
                qualification=qualification,
                lead_name=lead_name,
                framework_name=framework.name,
                verdict=verdict,
            )
    if qualification.card_ts and status_changed:
        outcome.update(
            channel,
            qualification.card_ts,
            blocks.card_message(
                t,
                blocks.CardState(
                    lead=lead_name,
                    framework_name=framework.name,
                    rep_id=qualification.rep_id,
                    answered=adapter.answered_count(conversation),
                    total=len(framework.criteria),
                    status=qualification.status,
                    verdict=verdict,
                ),
            ),
        )
