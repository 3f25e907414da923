"""Nurture: reminders to the owning rep, and a one-click re-qualification that asks only
what is missing or stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot import blocks
from bot.permissions import Action, Actor, Subject, permits, record_refusal
from bot.services import qualify
from bot.services.context import Services
from bot.services.outbox_sender import DM_METHOD
from bot.services.replies import Outcome, deliver
from flows.model import Assessment, Status
from storage import events, leads, outbox, qualifications, workflow
from storage.models import Answer, NurtureReminder


def plan_reminders(services: Services, session: Session) -> int:
    """Give every finished warm or cold qualification in nurture its reminder date.

    Returns:
        How many reminders were planned.
    """
    planned = 0
    for item in workflow.unplanned_nurture(session=session):
        days = services.config.nurture.remind_after_days.get(item.verdict)
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
        lead = leads.get_lead(session=session, team_id=reminder.team_id, lead_id=reminder.lead_id)
        qualification = qualifications.get_qualification_by_id(
            session=session, team_id=reminder.team_id, qualification_id=reminder.qualification_id
        )
        if lead is None or qualification is None:
            continue
        record = qualifications.latest_verdict(
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
            framework=services.frameworks.get(qualification.framework),
        )
        queued = outbox.enqueue(
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
    services: Services, session: Session, *, team_id: str, actor: Actor, reminder_id: int
) -> _Plan | str:
    """The re-qualification of a reminder's lead, or the rendered line why not."""
    t = services.texts()
    reminder = workflow.get_reminder(session=session, team_id=team_id, reminder_id=reminder_id)
    if reminder is None:
        return t("error_generic")
    if not permits(Action.REQUALIFY, actor, Subject(rep_id=reminder.rep_id)):
        record_refusal(
            session, team_id=team_id, actor=actor, action=Action.REQUALIFY, lead_id=reminder.lead_id
        )
        return t("qualify_now_not_owner", rep=reminder.rep_id)
    qualification = qualifications.get_qualification_by_id(
        session=session, team_id=team_id, qualification_id=reminder.qualification_id
    )
    lead = leads.get_lead(session=session, team_id=team_id, lead_id=reminder.lead_id)
    if qualification is None or lead is None or qualification.id is None:
        return t("error_generic")
    if not workflow.mark_requalified(session=session, reminder=reminder):
        return t("requalify_done_already")
    answers = qualifications.current_answers(
        session=session, team_id=team_id, qualification_id=qualification.id
    )
    prefill = fresh_answers(
        answers, now=services.clock.now(), stale_after_days=services.config.nurture.stale_after_days
    )
    events.record_audit(
        session=session,
        team_id=team_id,
        actor_id=actor.user_id,
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
    services: Services,
    *,
    team_id: str,
    user_id: str,
    reminder_id: int,
    channel_id: str | None = None,
) -> str | None:
    """Start a new qualification of a nurtured lead in its original channel, pre-filled.

    The reminder is marked, the new qualification stored and its card staged in one
    transaction, inside the click's request; a line on what is already known and the first
    question follow once the outbox has posted the card (``qualify.card_settled``).

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        user_id: Who clicked Re-qualify (the owning rep or a manager).
        reminder_id: The reminder whose button was clicked.
        channel_id: Where the click was made; told there if the card cannot be posted.

    Returns:
        A line to tell the clicker when nothing was started, else None.
    """

    def begin(session: Session, actor: Actor) -> Outcome | str:
        plan = _prepare(services, session, team_id=team_id, actor=actor, reminder_id=reminder_id)
        if isinstance(plan, str):
            return plan
        return qualify.store_start(
            services,
            session,
            team_id=team_id,
            lead_id=plan.lead_id,
            lead_name=plan.lead_name,
            channel_id=plan.channel_id,
            rep_id=plan.rep_id,
            framework=services.frameworks[plan.framework],
            language=plan.language,
            prefill=plan.prefill,
            requalify=True,
            tell={"channel": channel_id, "user": user_id} if channel_id else None,
        )

    card = await services.transaction_as(team_id, user_id, begin)
    if isinstance(card, str):
        return card
    services.background.spawn(deliver(services, card, team_id=team_id))
    return None
