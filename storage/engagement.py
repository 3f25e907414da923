"""Engagement events of leads and the stored engagement score, scoped by team.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from storage.models import EngagementEvent, Lead, LeadStage, utcnow

_EARLY_STAGES = frozenset({LeadStage.PROSPECT.value, LeadStage.LEAD.value})
"""Stages an engagement-driven MQL may replace; later stages were reached by qualification."""


def lock_lead(*, session: Session, team_id: str, lead_id: int) -> Lead | None:
    """Load a lead of the team and lock its row until the transaction ends.

    Two events of the same lead arriving together then recompute the score one after the
    other, so exactly one of them sees the threshold crossed. (SQLite serialises writers with
    ``BEGIN IMMEDIATE`` already; PostgreSQL needs the row lock.)
    """
    statement = (
        select(Lead)
        .where(Lead.team_id == team_id, Lead.id == lead_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).first()


def add_event(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    event_type: str,
    points: float,
    occurred_at: datetime,
) -> EngagementEvent:
    """Record one engagement event of a lead.

    Args:
        session: the caller's transaction.
        team_id: Slack team id.
        lead_id: the lead.
        event_type: what happened, e.g. ``pricing_page_view``.
        points: its undecayed points.
        occurred_at: when it happened (aware datetime).

    Returns:
        The stored event.
    """
    event = EngagementEvent(
        team_id=team_id,
        lead_id=lead_id,
        type=event_type,
        points=points,
        occurred_at=occurred_at,
    )
    session.add(event)
    session.flush()
    return event


def lead_events(*, session: Session, team_id: str, lead_id: int) -> list[EngagementEvent]:
    """Every engagement event of a lead, oldest first."""
    statement = (
        select(EngagementEvent)
        .where(EngagementEvent.team_id == team_id, EngagementEvent.lead_id == lead_id)
        .order_by(EngagementEvent.occurred_at, EngagementEvent.id)  # type: ignore[arg-type]
    )
    return list(session.scalars(statement))


def store_score(*, session: Session, lead: Lead, points: int, mql: bool = False) -> None:
    """Save the lead's current engagement score; ``mql`` also moves an early lead to MQL.

    Args:
        session: the caller's transaction.
        lead: the (locked) lead.
        points: the decayed score, rounded.
        mql: whether the score has just crossed the MQL threshold.
    """
    lead.engagement_points = points
    if mql and lead.stage in _EARLY_STAGES:
        lead.stage = LeadStage.MQL.value
    lead.updated_at = utcnow()
    session.add(lead)
    session.flush()
