"""One conversation step: a ``Turn`` becomes one transaction and a list of Slack messages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from bot import blocks, reading_blocks
from bot.crm import outbox as crm_outbox
from bot.permissions import Action, Actor, Subject, permits, record_refusal
from bot.services import (
    adapter,
    message_metadata,
    readings,
    verdict_feedback,
    webhook_events,
    workflow_steps,
)
from bot.services.context import Services
from bot.services.handoffs import enqueue_alert
from bot.services.replies import (
    Outcome,
    ask_question,
    deliver,
    settle_asked_question,
    stage,
)
from bot.services.turns import Command, Turn
from flows.corrections import record_readings
from flows.model import Framework, Verdict
from storage import cards, events, phrases, qualifications
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
    services.background.spawn(deliver(services, outcome, team_id=turn.team_id))


async def handle_turn(services: Services, turn: Turn) -> Outcome:
    """Apply one turn in one transaction and return what to say.

    Retried events, messages outside our threads and stale buttons store nothing.

    Args:
        services: Shared collaborators.
        turn: What the user said or clicked.

    Returns:
        The messages to send once the transaction has committed.
    """
    return await services.transaction_as(
        turn.team_id,
        turn.user_id,
        lambda session, actor: stage(
            services, session, apply_turn(services, session, turn, actor), team_id=turn.team_id
        ),
    )


def apply_turn(services: Services, session: Session, turn: Turn, actor: Actor) -> Outcome:
    """The transactional body of a turn (runs on a worker thread)."""
    outcome = Outcome()
    keys = [turn.event_id] if turn.event_id else []
    if turn.message_ts:
        keys.append(f"msg:{turn.channel_id}:{turn.message_ts}")
    if not events.claim_events(session=session, team_id=turn.team_id, event_ids=keys):
        return outcome
    loaded = qualifications.load_step(
        session=session, team_id=turn.team_id, channel_id=turn.channel_id, thread_ts=turn.thread_ts
    )
    if loaded is None:
        return outcome
    qualification, lead_name = loaded
    t = services.texts(qualification.language)
    is_button = turn.expected_criterion is not None
    correcting = turn.command is Command.CORRECT
    if not permits(Action.STEER, actor, Subject(rep_id=qualification.rep_id)):
        record_refusal(
            session,
            team_id=turn.team_id,
            actor=actor,
            action=Action.STEER,
            lead_id=qualification.lead_id,
            qualification_id=qualification.id,
        )
        outcome.ephemeral(
            turn.channel_id,
            turn.user_id,
            t("not_owner_reading" if correcting else "not_owner", rep=qualification.rep_id),
            thread_ts=turn.thread_ts,
        )
        return outcome
    if turn.command is Command.HELP:
        outcome.post(
            turn.channel_id, blocks.text_message(t("thread_help")), thread_ts=turn.thread_ts
        )
        return outcome
    # A finished qualification's readings may still be changed: its verdict follows them.
    # After the verdict, `edit budget` (or `back`) asks again and the verdict follows.
    done = qualification.status == QualificationStatus.DONE.value
    reopening = done and turn.command in (Command.EDIT, Command.BACK)
    if qualification.status in _FINISHED and not (correcting and done) and not reopening:
        # Talk in a finished thread is not answered; a command or a click is.
        if is_button or correcting or turn.command is not Command.ANSWER:
            outcome.ephemeral(
                turn.channel_id, turn.user_id, t("finished_already"), thread_ts=turn.thread_ts
            )
        return outcome

    framework = services.frameworks[qualification.framework]
    conversation = adapter.load_conversation(qualification.conversation)
    asked = adapter.current_key(conversation)
    if is_button and asked != turn.expected_criterion:
        outcome.ephemeral(
            turn.channel_id, turn.user_id, t("stale_button"), thread_ts=turn.thread_ts
        )
        return outcome
    if correcting:
        return _apply_reading(
            services, session, outcome, turn, qualification, framework, conversation, lead_name
        )
    thread = qualification.thread_ts
    if conversation.state == "paused" and turn.command is Command.ANSWER:
        # Kept, not dropped: the answer is applied when the rep types `resume`.
        cards.hold_answer(session=session, qualification=qualification, text=turn.text)
        outcome.post(turn.channel_id, blocks.text_message(t("held_while_paused")), thread_ts=thread)
        return outcome

    command, text = turn.command, turn.text
    phrasebook = None
    noted = {}
    if command is Command.ANSWER:
        phrasebook = phrases.load_phrasebook(session=session, team_id=qualification.team_id)
        noted = readings.notes_in_reply(services, framework, conversation, text or "", phrasebook)
    if noted:
        result = record_readings(services.conversations, conversation, noted)
    else:
        result = services.conversations.step(
            conversation, command.value, text, phrasebook=phrasebook
        )
    if command is Command.RESUME and qualification.held_answer and str(result.kind) == "resumed":
        outcome.post(turn.channel_id, blocks.text_message(t("resumed")), thread_ts=thread)
        command, text = Command.ANSWER, qualification.held_answer
        cards.hold_answer(session=session, qualification=qualification, text=None)
        phrasebook = phrases.load_phrasebook(session=session, team_id=qualification.team_id)
        result = services.conversations.step(conversation, "answer", text, phrasebook=phrasebook)
    if str(result.kind) == "invalid":
        outcome.ephemeral(
            turn.channel_id,
            turn.user_id,
            t("invalid", command=turn.text or turn.command.value),
            thread_ts=turn.thread_ts,
        )
        return outcome

    recorded = adapter.recorded(result)
    answers = [
        AnswerCreate.from_assessment(key, assessment, answered_by=turn.user_id)
        for key, assessment in noted.items()
    ]
    echo = None
    if noted:
        echo = readings.notes_message(
            t, framework=framework, noted=noted, thread_ts=qualification.thread_ts
        )
    elif recorded is not None:
        key, assessment = recorded
        answers.append(
            AnswerCreate.from_assessment(
                key,
                assessment,
                answered_by=turn.user_id,
                text=text if command is Command.ANSWER else None,
            )
        )
        if command is Command.ANSWER:
            echo = reading_blocks.readings_message(
                t,
                framework=framework,
                readings={key: assessment},
                thread_ts=qualification.thread_ts,
            )
    closing = noted if noted else dict([recorded]) if recorded is not None else {}
    settle_asked_question(
        outcome,
        t,
        framework=framework,
        channel=qualification.channel_id,
        thread_ts=thread,
        asked=asked,
        question_ts=turn.question_ts
        if is_button
        else qualification.question_ts
        if qualification.question_key == asked
        else None,
        answered=closing if command in (Command.ANSWER, Command.SKIP) else {},
        asked_again=str(result.kind) == "clarify",
        user=turn.user_id,
    )
    save_and_render(
        services,
        session,
        outcome,
        qualification,
        framework,
        conversation,
        result,
        lead_name,
        answers=answers,
        actor_id=turn.user_id,
        echo=echo,
        audit_action=_command_audit(turn.command, result),
    )
    return outcome


def _command_audit(command: Command, result: Any) -> str | None:
    """The audit name of a control step (``qualification.edit``, ``.back``, ``.resume``...),
    so the trail tells an edit from a resume; answers and verdicts keep their own names."""
    if command is Command.ANSWER or str(result.kind) == "verdict":
        return None
    return f"qualification.{command.value}"


def _apply_reading(
    services: Services,
    session: Session,
    outcome: Outcome,
    turn: Turn,
    qualification: Qualification,
    framework: Framework,
    conversation: Any,
    lead_name: str,
) -> Outcome:
    """Store a reading a person chose, teach it to the phrasebook and say what changed."""
    t = services.texts(qualification.language)
    chosen = readings.chosen_reading(turn.reading or {}, conversation, framework)
    if chosen is None:
        outcome.ephemeral(
            turn.channel_id, turn.user_id, t("stale_reading"), thread_ts=turn.thread_ts
        )
        return outcome
    key, assessment = chosen
    finished = conversation.state == "done"
    before = services.conversations.verdict(conversation) if finished else None
    result = record_readings(services.conversations, conversation, {key: assessment})
    if str(result.kind) == "invalid":
        outcome.ephemeral(
            turn.channel_id,
            turn.user_id,
            t("invalid", command=turn.command.value),
            thread_ts=turn.thread_ts,
        )
        return outcome
    learned = phrases.learn_phrase(
        session=session,
        team_id=qualification.team_id,
        criterion=framework.criterion(key),
        text=assessment.evidence,
        status=assessment.status,
        value=assessment.value,
        created_by=turn.user_id,
    )
    echo = reading_blocks.readings_message(
        t,
        framework=framework,
        readings={key: assessment},
        thread_ts=qualification.thread_ts,
        note=t("reading_changed", user=turn.user_id, learned=learned),
    )
    save_and_render(
        services,
        session,
        outcome,
        qualification,
        framework,
        conversation,
        result,
        lead_name,
        answers=[AnswerCreate.from_assessment(key, assessment, answered_by=turn.user_id)],
        actor_id=turn.user_id,
        echo=echo,
        audit_action="qualification.correction",
        # A verdict that was hot already has its handoff; only a newly hot one is announced.
        alert=before is None or before.verdict is not Verdict.HOT,
        card_changed=finished,
    )
    return outcome


def save_and_render(
    services: Services,
    session: Session,
    outcome: Outcome,
    qualification: Qualification,
    framework: Framework,
    conversation: Any,
    result: Any,
    lead_name: str,
    *,
    answers: Sequence[AnswerCreate],
    actor_id: str,
    echo: blocks.Message | None = None,
    audit_action: str | None = None,
    alert: bool = True,
    card_changed: bool = False,
) -> None:
    """Save a step (each answer, the state and the verdict) and stage what to say about it.

    Args:
        services: Shared collaborators.
        session: The step's transaction.
        outcome: Where the replies go.
        qualification: The row as loaded (its version moves on with every save).
        framework: The qualification's framework.
        conversation: The conversation after the step.
        result: The engine's step result.
        lead_name: The lead's name, for the verdict.
        answers: The answers the step recorded (notes record several).
        actor_id: Who made the step.
        echo: What the bot understood, put in front of its next message.
        audit_action: Audit action name; derived from the step when None.
        alert: Whether a hot verdict raises a handoff alert.
        card_changed: Update the card even if the status stayed (a finished verdict changed).
    """
    kind = str(result.kind)
    verdict = result.verdict if kind == "verdict" else None
    verdict = crm_outbox.with_firmographics(services, session, qualification, verdict)
    status = _STATUS_BY_KIND.get(kind, QualificationStatus.ACTIVE.value)
    status_before = qualification.status
    was_hot = verdict is not None and _was_hot(session, qualification)
    if was_hot:
        # Its handoff exists already: a verdict that is hot again is not announced twice.
        alert = False
    pending: list[AnswerCreate | None] = list(answers) or [None]
    for index, answer in enumerate(pending):
        qualifications.save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state=adapter.machine_state(conversation),
            conversation=conversation.to_json(),
            status=status,
            answer=answer,
            verdict=verdict if index == len(pending) - 1 else None,
            actor_id=actor_id,
            audit_action=audit_action,
        )
    webhook_events.emit_verdict(services, session, qualification, lead_name, verdict)
    workflow_steps.qualification_finished(
        services,
        session,
        outcome,
        qualification,
        lead_name=lead_name,
        verdict=verdict,
        failed="step_cancelled" if kind == "cancelled" else None,
    )
    outcome.outbox_enqueued |= crm_outbox.stage_verdict(services, session, qualification, verdict)
    render_step(
        services,
        session,
        outcome,
        qualification,
        framework,
        conversation,
        result,
        lead_name,
        status_changed=status != status_before or card_changed,
        echo=echo,
        alert=alert,
    )
    if was_hot and verdict is not None and verdict.verdict is not Verdict.HOT:
        t = services.texts(qualification.language)
        line = t("no_longer_hot", lead=lead_name, verdict=verdict.verdict.value)
        outcome.post(
            qualification.channel_id, blocks.text_message(line), thread_ts=qualification.thread_ts
        )


def _was_hot(session: Session, qualification: Qualification) -> bool:
    """Whether this qualification's last verdict, before the one being saved, was hot."""
    last = qualifications.latest_verdict(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    return (
        last is not None
        and last.qualification_id == qualification.id
        and last.verdict == Verdict.HOT.value
    )


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
    echo: blocks.Message | None = None,
    alert: bool = True,
) -> None:
    """Add the thread replies, and the card update when the card's status changed.

    ``echo`` (what the bot understood) goes in front of the next question or the verdict;
    ``alert`` off keeps a hot verdict from raising a second handoff.

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
        paused = blocks.text_message(t("paused"))
        outcome.post(channel, reading_blocks.preceded_by(echo, paused), thread_ts=thread)
    elif kind == "cancelled":
        outcome.post(channel, blocks.text_message(t("cancelled")), thread_ts=thread)
    elif kind == "resumed":
        outcome.post(channel, blocks.text_message(t("resumed")), thread_ts=thread)
    if kind in ("ask", "clarify", "resumed") and ask_question(
        outcome,
        t,
        framework=framework,
        conversation=conversation,
        result=result,
        channel=channel,
        thread_ts=thread,
        before=echo,
        qualification_id=qualification.id,
    ):
        echo = None
    verdict = result.verdict if kind == "verdict" else None
    metadata = (
        message_metadata.lead_qualified(
            lead_id=qualification.lead_id, qualification_id=qualification.id, verdict=verdict
        )
        if verdict is not None
        else None
    )
    if verdict is not None:
        body = blocks.verdict_message(t, lead=lead_name, verdict=verdict, framework=framework)
        body["metadata"] = metadata
        record = qualifications.latest_verdict(
            session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
        )
        if record is not None and record.id is not None:
            body["blocks"].append(verdict_feedback.feedback_block(t, record.id))
        outcome.post(channel, reading_blocks.preceded_by(echo, body), thread_ts=thread)
        echo = None
        if verdict.verdict.value == "hot" and alert:
            outcome.outbox_enqueued |= enqueue_alert(
                services,
                session,
                qualification=qualification,
                lead_name=lead_name,
                framework=framework,
                verdict=verdict,
            )
    if qualification.card_ts and status_changed:
        card = blocks.card_message(
            t,
            blocks.CardState(
                lead=lead_name,
                framework_name=framework.name,
                rep_id=qualification.rep_id,
                answered=adapter.answered_count(conversation),
                total=len(framework.criteria),
                status=qualification.status,
                verdict=verdict,
                crm_link=crm_outbox.record_link(
                    session, qualification.team_id, qualification.lead_id
                ),
            ),
        )
        if metadata is not None:
            card["metadata"] = metadata
        outcome.update(channel, qualification.card_ts, card)
