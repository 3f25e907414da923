"""Queries of the handoff workflow: nurture reminders and the managers' digest figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import (
    Handoff,
    HandoffStatus,
    Lead,
    LeadStage,
    NurtureReminder,
    Qualification,
    QualificationStatus,
    ReminderStatus,
    VerdictRecord,
    utcnow,
)

NURTURE_STAGES = (LeadStage.MQL.value, LeadStage.NURTURE.value)


def add_reminder(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    qualification_id: int,
    rep_id: str,
    verdict: str,
    due_at: datetime,
) -> bool:
    """Plan a reminder for a qualification, once; returns whether a new one was planned."""
    statement = (
        insert_or_ignore(session, NurtureReminder, unique=["team_id", "qualification_id"])
        .values(
            team_id=team_id,
            lead_id=lead_id,
            qualification_id=qualification_id,
            rep_id=rep_id,
            verdict=verdict,
            status=ReminderStatus.PENDING.value,
            due_at=due_at,
            created_at=utcnow(),
        )
        .returning(NurtureReminder.id)
    )
    return session.execute(statement).first() is not None


@dataclass(frozen=True, slots=True)
class Unplanned:
    """A finished warm or cold qualification in nurture that has no reminder yet."""

    team_id: str
    lead_id: int
    qualification_id: int
    rep_id: str
    verdict: str
    finished_at: datetime


def unplanned_nurture(*, session: Session, limit: int = 200) -> list[Unplanned]:
    """Finished warm/cold qualifications whose lead sits in MQL or nurture without a reminder."""
    statement = (
        select(
            Qualification.team_id,
            Qualification.lead_id,
            Qualification.id,
            Qualification.rep_id,
            VerdictRecord.verdict,
            VerdictRecord.created_at,
        )
        .join(VerdictRecord, VerdictRecord.qualification_id == Qualification.id)
        .join(Lead, Lead.id == Qualification.lead_id)
        .outerjoin(
            NurtureReminder,
            and_(
                NurtureReminder.qualification_id == Qualification.id,
                NurtureReminder.team_id == Qualification.team_id,
            ),
        )
        .where(
            Qualification.status == QualificationStatus.DONE.value,
            VerdictRecord.verdict.in_(["warm", "cold"]),  # type: ignore[attr-defined]
            VerdictRecord.stage != LeadStage.DISQUALIFIED.value,
            Lead.stage.in_(NURTURE_STAGES),  # type: ignore[attr-defined]
            NurtureReminder.id.is_(None),  # type: ignore[union-attr]
        )
        .order_by(VerdictRecord.created_at.desc())  # type: ignore[attr-defined]
        .limit(limit)
    )
    seen: set[int] = set()
    found = []
    for team, lead, qualification, rep, verdict, at in session.execute(statement):
        if qualification in seen:  # the newest verdict of a qualification counts
            continue
        seen.add(qualification)
        found.append(Unplanned(team, lead, qualification, rep, verdict, at))
    return found


def take_due_reminders(
    *, session: Session, now: datetime, limit: int = 50
) -> list[NurtureReminder]:
    """Mark due reminders as sent and return them; each is taken by one worker only."""
    candidates = list(
        session.scalars(
            select(NurtureReminder)
            .where(
                NurtureReminder.status == ReminderStatus.PENDING.value,
                NurtureReminder.due_at <= now,
            )
            .order_by(NurtureReminder.due_at, NurtureReminder.id)  # type: ignore[arg-type]
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    taken = []
    for reminder in candidates:
        moved = session.execute(
            update(NurtureReminder)
            .where(
                NurtureReminder.id == reminder.id,
                NurtureReminder.status == ReminderStatus.PENDING.value,
            )
            .values(status=ReminderStatus.SENT.value, sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(reminder)
    return taken


def get_reminder(*, session: Session, team_id: str, reminder_id: int) -> NurtureReminder | None:
    """One reminder of the team."""
    return session.scalars(
        select(NurtureReminder).where(
            NurtureReminder.team_id == team_id, NurtureReminder.id == reminder_id
        )
    ).first()


def mark_requalified(*, session: Session, reminder: NurtureReminder) -> bool:
    """Record that the reminder led to a new qualification; False if that happened before."""
    moved = session.execute(
        update(NurtureReminder)
        .where(
            NurtureReminder.id == reminder.id,
            NurtureReminder.status != ReminderStatus.REQUALIFIED.value,
        )
        .values(status=ReminderStatus.REQUALIFIED.value)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1  # type: ignore[attr-defined]


@dataclass
class DigestFigures:
    """What the managers' daily digest reports for one team and period."""

    new_hot: int = 0
    accepted: int = 0
    rejected: list[tuple[str | None, str | None]] = field(default_factory=list)
    overdue: int = 0


def digest_figures(
    *, session: Session, team_id: str, since: datetime, until: datetime
) -> DigestFigures:
    """Count the period's hot leads, accepts and rejects (with reasons) and what is overdue."""
    figures = DigestFigures()
    in_period = Handoff.team_id == team_id
    figures.new_hot = int(
        session.scalar(
            select(func.count()).where(
                in_period, Handoff.created_at >= since, Handoff.created_at < until
            )
        )
        or 0
    )
    decided = session.execute(
        select(Handoff.status, Handoff.reason_code, Handoff.reason).where(
            in_period,
            Handoff.decided_at >= since,  # type: ignore[operator]
            Handoff.decided_at < until,  # type: ignore[operator]
        )
    )
    for status, code, reason in decided:
        if status == HandoffStatus.ACCEPTED.value:
            figures.accepted += 1
        else:
            figures.rejected.append((code, reason))
    figures.overdue = int(
        session.scalar(
            select(func.count()).where(
                in_period,
                Handoff.status == HandoffStatus.PENDING.value,
                or_(Handoff.escalations > 0, Handoff.sla_due_at <= until),  # type: ignore[operator]
            )
        )
        or 0
    )
    return figures


def active_teams(*, session: Session) -> list[str]:
    """Teams that have ever had a qualification."""
    return [str(t) for t in session.scalars(select(Qualification.team_id).distinct())]
