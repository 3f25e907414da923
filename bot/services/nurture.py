"""Nurture: reminders to the owning rep, and a one-click re-qualification that asks only
what is missing or stale."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks
from bot.services import adapter
from bot.services.context import Services
from bot.services.outbox_sender import DM_METHOD
from bot.services.replies import Outcome, deliver, stage
from flows.model import Assessment, Status
from storage import repo, workflow
from storage.models import Answer, NurtureReminder

log = logging.getLogger(__name__)


def plan_reminders(services: Services, session: Session) -> int:
    """Give every finished warm or cold qualification in nurture its reminder date.

    Returns:
        How many reminders were planned.
    """
    planned = 0
    for item in workflow.unplanned_nurture(session=session):
        days = services.workflow.remind_after_days.get(item.verdict)
        if days is None:
            continue
        planned += workflow.add_reminder(
            session=session,
            team_id=item.team_id,
            lead_id=item.lead_id,
            qualification_id=item.qualification_id,
            rep_id=item.rep_id,
            verdict=item.verdict,
            due_at=item.finished_at + timedelta(days=days),
        )
    return planned


def send_due_reminders(services: Services, session: Session, now: datetime) -> int:
    """Queue a DM with a Re-qualify button for each reminder that is due.

    Returns:
        How many reminders were queued.
    """
    sent = 0
    for reminder in workflow.take_due_reminders(session=session, now=now):
        assert reminder.id is not None
        lead = repo.get_lead(session=session, team_id=reminder.team_id, lead_id=reminder.lead_id)
        qualification = repo.get_qualification_by_id(
            session=session, team_id=reminder.team_id, qualification_id=reminder.qualification_id
        )
        if lead is None or qualification is None:
            continue
        record = repo.latest_verdict(
            session=session, team_id=reminder.team_id, lead_id=lead.id or 0
        )
        days = max(0, (now - reminder.created_at).days)
        body = blocks.reminder_message(
            services.texts(qualification.language),
            reminder_id=reminder.id,
            lead=lead.name,
            verdict=reminder.verdict,
            days=days,
            gaps=list(record.gaps) if record else [],
        )
        queued = repo.enqueue(
            session=session,
            team_id=reminder.team_id,
            method=DM_METHOD,
            payload={"user": reminder.rep_id, **body},
            dedupe_key=f"nurture:reminder:{reminder.id}",
        )
        sent += queued is not None
    return sent


def fresh_answers(
    answers: list[Answer], *, now: datetime, stale_after_days: int
) -> dict[str, Assessment]:
    """Earlier answers worth keeping: met, and given within ``stale_after_days``.

    Gaps (partial, missing, unknown) are what a re-qualification is for, so they are asked
    again, as are answers older than the staleness limit.
    """
    cutoff = now - timedelta(days=stale_after_days)
    kept: dict[str, Assessment] = {}
    for answer in answers:
        if answer.status != Status.MET.value or answer.answered_at < cutoff:
            continue
        kept[answer.criterion] = Assessment(
            status=Status.MET, value=answer.value, evidence=answer.text, knockout=answer.knockout
        )
    return kept


@dataclass(frozen=True, slots=True)
class _Plan:
    reminder: NurtureReminder
    lead_id: int
    lead_name: str
    framework: str
    channel_id: str
    language: str
    rep_id: str
    prefill: dict[str, Assessment]


def _prepare(
    services: Services, session: Session, *, team_id: str, user_id: str, reminder_id: int
) -> _Plan | str:
    reminder = workflow.get_reminder(session=session, team_id=team_id, reminder_id=reminder_id)
    if reminder is None:
        return "error_generic"
    if user_id != reminder.rep_id and not services.people.is_manager(user_id):
        return "not_allowed_to_decide"
    qualification = repo.get_qualification_by_id(
        session=session, team_id=team_id, qualification_id=reminder.qualification_id
    )
    lead = repo.get_lead(session=session, team_id=team_id, lead_id=reminder.lead_id)
    if qualification is None or lead is None or qualification.id is None:
        return "error_generic"
    if not workflow.mark_requalified(session=session, reminder=reminder):
        return "requalify_done_already"
    answers = repo.current_answers(
        session=session, team_id=team_id, qualification_id=qualification.id
    )
    prefill = fresh_answers(
        answers, now=services.clock.now(), stale_after_days=services.workflow.stale_after_days
    )
    repo.record_audit(
        session=session,
        team_id=team_id,
        actor_id=user_id,
        action="nurture.requalify",
        lead_id=lead.id,
        qualification_id=qualification.id,
        detail={"reminder_id": reminder.id, "kept": sorted(prefill)},
    )
    return _Plan(
        reminder=reminder,
        lead_id=lead.id or 0,
        lead_name=lead.name,
        framework=qualification.framework,
        channel_id=qualification.channel_id,
        language=qualification.language,
        rep_id=qualification.rep_id,
        prefill=prefill,
    )


async def requalify(
    services: Services, *, team_id: str, user_id: str, reminder_id: int
) -> str | None:
    """Start a new qualification of a nurtured lead in its original channel, pre-filled.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        user_id: Who clicked Re-qualify (the owning rep or a manager).
        reminder_id: The reminder whose button was clicked.

    Returns:
        A line to tell the clicker when nothing was started, else None.
    """
    plan = await services.transaction(
        lambda session: _prepare(
            services, session, team_id=team_id, user_id=user_id, reminder_id=reminder_id
        )
    )
    if isinstance(plan, str):
        return services.texts()(plan)
    t = services.texts(plan.language)
    framework = services.frameworks[plan.framework]
    conversation, first = services.conversations.start(
        plan.framework, lang=plan.language, prefill=plan.prefill
    )
    if str(first.kind) == "verdict":
        # Every answer is fresh and met: ask everything again rather than decide unasked.
        conversation, first = services.conversations.start(plan.framework, lang=plan.language)
    card = blocks.card_message(
        t,
        blocks.CardState(
            lead=plan.lead_name,
            framework_name=framework.name,
            rep_id=plan.rep_id,
            answered=adapter.answered_count(conversation),
            total=len(framework.criteria),
        ),
    )
    try:
        posted = await services.client.api_call(
            "chat.postMessage", json={"channel": plan.channel_id, **card}
        )
    except SlackApiError as error:
        log.warning("could not post the re-qualification card: %s", error.response.get("error"))
        return t("qualify_failed")
    card_ts = str(posted["ts"])
    channel = str(posted.get("channel") or plan.channel_id)

    def store(session: Session) -> Outcome:
        repo.start_qualification(
            session=session,
            team_id=team_id,
            lead_id=plan.lead_id,
            channel_id=channel,
            thread_ts=card_ts,
            rep_id=plan.rep_id,
            framework=framework.key,
            language=plan.language,
            machine_state=adapter.machine_state(conversation),
            conversation=conversation.to_json(),
            card_ts=card_ts,
        )
        # The intro and the first question commit with the qualification: a crash after the
        # commit cannot lose them.
        return stage(services, session, outcome, team_id=team_id)

    outcome = Outcome()
    intro = t("requalify_intro", rep=plan.rep_id, known=len(conversation.answers))
    outcome.post(channel, blocks.text_message(intro), thread_ts=card_ts)
    criterion = adapter.criterion_of(framework, first, conversation)
    if criterion is not None:
        outcome.post(
            channel,
            blocks.question_message(
                t,
                framework=framework,
                criterion=criterion,
                thread_ts=card_ts,
            ),
            thread_ts=card_ts,
        )
    outcome = await services.transaction(store)
    await deliver(services, outcome)
    return None
