"""Handoffs of hot leads to sales: creation, decision, alert, SLA clock and escalation.

Plain functions taking a keyword-only ``session``, scoped by team; none of them commits.
A handoff is read and changed as an ORM object; the decision and the escalation change a
row the caller has locked (``for_update``), so two workers never both take it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlmodel import Session

from storage.events import record_audit
from storage.models import Handoff, HandoffStatus, Lead, LeadStage, utcnow


def accepted_by(*, session: Session, team_id: str, lead_id: int) -> str | None:
    """Who accepted the lead's most recent accepted handoff (None: nobody)."""
    statement = (
        select(Handoff.decided_by)
        .where(
            Handoff.team_id == team_id,
            Handoff.lead_id == lead_id,
            Handoff.status == HandoffStatus.ACCEPTED.value,
        )
        .order_by(Handoff.id.desc())  # type: ignore[union-attr]
        .limit(1)
    )
    return session.scalars(statement).first()


def create_handoff(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    qualification_id: int | None,
    alert_channel: str | None,
    assignee_id: str | None = None,
) -> Handoff:
    """Open a pending handoff of a lead to sales.

    Returns:
        The new handoff, in the session (with its id).
    """
    handoff = Handoff(
        team_id=team_id,
        lead_id=lead_id,
        qualification_id=qualification_id,
        alert_channel=alert_channel,
        assignee_id=assignee_id,
    )
    session.add(handoff)
    session.flush()  # its id goes into the alert's buttons
    return handoff


def get_handoff(
    *, session: Session, team_id: str, handoff_id: int, for_update: bool = False
) -> Handoff | None:
    """Load a handoff within the team; ``for_update`` row-locks it on PostgreSQL."""
    statement = select(Handoff).where(Handoff.team_id == team_id, Handoff.id == handoff_id)
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).first()


def pending_handoffs(*, session: Session, team_id: str, limit: int = 20) -> list[Handoff]:
    """Handoffs still waiting for a decision, oldest first."""
    statement = (
        select(Handoff)
        .where(Handoff.team_id == team_id, Handoff.status == HandoffStatus.PENDING.value)
        .order_by(Handoff.created_at, Handoff.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(session.scalars(statement))


def open_handoff_counts(*, session: Session, team_id: str, people: Sequence[str]) -> dict[str, int]:
    """Pending handoffs assigned to each of ``people`` (those with none are left out)."""
    if not people:
        return {}
    rows = session.execute(
        select(Handoff.assignee_id, func.count())
        .where(
            Handoff.team_id == team_id,
            Handoff.status == HandoffStatus.PENDING.value,
            Handoff.assignee_id.in_(list(people)),  # type: ignore[union-attr]
        )
        .group_by(Handoff.assignee_id)
    )
    return {str(who): int(count) for who, count in rows}


def decide_handoff(
    *,
    session: Session,
    handoff: Handoff,
    status: str,
    decided_by: str,
    reason: str | None = None,
    reason_code: str | None = None,
    rejected_stage: LeadStage = LeadStage.NURTURE,
) -> bool:
    """Accept or reject a pending handoff; the lead moves to SAL, or nurture / disqualified.

    Args:
        session: the caller's session.
        handoff: the handoff, loaded with ``get_handoff(for_update=True)`` so that a second
            click waits for this one and then finds it decided; changed in place.
        status: ``accepted`` or ``rejected``.
        decided_by: Slack user id of the deciding account executive.
        reason: why, for a rejection (the rep's words).
        reason_code: the structured reason of a rejection (e.g. ``no_budget``).
        rejected_stage: where a rejected lead goes.

    Returns:
        False when the handoff was already decided (by this or another click).
    """
    status = HandoffStatus(status).value
    if status == HandoffStatus.PENDING.value:
        raise ValueError("a decision must accept or reject")
    if handoff.status != HandoffStatus.PENDING.value:
        return False
    now = utcnow()
    handoff.status = status
    handoff.decided_by = decided_by
    handoff.reason = reason
    handoff.reason_code = reason_code
    handoff.decided_at = now
    handoff.sla_due_at = None
    lead = session.get(Lead, handoff.lead_id)
    if lead is not None and lead.team_id == handoff.team_id:
        stage = LeadStage.SAL if status == HandoffStatus.ACCEPTED.value else rejected_stage
        lead.stage = stage.value
        lead.updated_at = now
    record_audit(
        session=session,
        team_id=handoff.team_id,
        actor_id=decided_by,
        action=f"handoff.{status}",
        lead_id=handoff.lead_id,
        qualification_id=handoff.qualification_id,
        detail={"handoff_id": handoff.id, "reason": reason, "reason_code": reason_code},
    )
    return True


def start_sla_clock(*, session: Session, handoff: Handoff, due_at: datetime) -> None:
    """Set when a pending handoff escalates unless someone accepts or rejects it first."""
    handoff.sla_due_at = due_at
    session.add(handoff)


def set_handoff_alert(
    *, session: Session, handoff: Handoff, alert_channel: str, alert_ts: str
) -> None:
    """Remember where the handoff's alert was posted, so it can be updated later."""
    handoff.alert_channel = alert_channel
    handoff.alert_ts = alert_ts
    session.add(handoff)


def set_route(*, session: Session, handoff: Handoff, pool: str, assignee_id: str | None) -> None:
    """Record the routing pool and the account executive a handoff went to."""
    handoff.routing_pool = pool
    handoff.assignee_id = assignee_id
    session.add(handoff)


def due_for_escalation(*, session: Session, now: datetime, limit: int = 50) -> list[Handoff]:
    """Pending handoffs of every team whose SLA deadline has passed, soonest due first.

    They are row-locked with ``SKIP LOCKED`` on PostgreSQL, so workers ticking together take
    disjoint sets; SQLite's write transactions are exclusive anyway.
    """
    statement = (
        select(Handoff)
        .where(
            Handoff.status == HandoffStatus.PENDING.value,
            Handoff.sla_due_at.is_not(None),  # type: ignore[union-attr]
            Handoff.sla_due_at <= now,  # type: ignore[operator]
        )
        .order_by(Handoff.sla_due_at, Handoff.id)  # type: ignore[arg-type]
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def escalate(*, session: Session, handoff: Handoff, level: int, next_due: datetime | None) -> None:
    """Count an escalation of a handoff from :func:`due_for_escalation` and set the next
    deadline (None: no further escalation)."""
    handoff.escalations = level
    handoff.sla_due_at = next_due
    session.add(handoff)


def waiting_for(
    *, session: Session, team_id: str, user_id: str, unassigned: bool, limit: int = 20
) -> list[Handoff]:
    """Pending handoffs assigned to ``user_id`` (and, ``unassigned``, those nobody was routed
    to), the nearest SLA deadline first."""
    mine = Handoff.assignee_id == user_id
    if unassigned:
        mine = or_(mine, Handoff.assignee_id.is_(None))  # type: ignore[union-attr]
    statement = (
        select(Handoff)
        .where(Handoff.team_id == team_id, Handoff.status == HandoffStatus.PENDING.value, mine)
        .order_by(Handoff.sla_due_at, Handoff.created_at, Handoff.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(session.scalars(statement))


def top_reject_reasons(
    *, session: Session, team_id: str, since: datetime, limit: int = 5
) -> list[tuple[str | None, int]]:
    """The commonest reason codes of handoffs rejected since ``since`` (None: no code given),
    most frequent first."""
    rows = session.execute(
        select(Handoff.reason_code, func.count())
        .where(
            Handoff.team_id == team_id,
            Handoff.status == HandoffStatus.REJECTED.value,
            Handoff.decided_at >= since,  # type: ignore[operator]
        )
        .group_by(Handoff.reason_code)
        .order_by(func.count().desc(), Handoff.reason_code)
        .limit(limit)
    )
    return [(code, int(count)) for code, count in rows]
