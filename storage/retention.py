"""Keeping data no longer than the team says, and reading the audit trail back out.

Plain functions with a keyword-only ``session``, scoped by team; none commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlmodel import Session

from storage.models import Answer, AuditEvent, EngagementEvent, Qualification
from storage.privacy import without_words

MIN_AUDIT_DAYS = 365
"""Audit entries are kept at least this long, whatever the team config says (SOC 2 practice)."""


def redact_evidence_before(*, session: Session, team_id: str, before: datetime) -> int:
    """Empty the words (and values) of answers given before ``before``; keep their readings.

    The statuses stay, so verdicts, the funnel and back-tests are unchanged. The words kept
    in a finished qualification's conversation are emptied with them.

    Returns:
        How many answers were redacted (an answer redacted earlier is not counted again).
    """
    old = (Answer.team_id == team_id, Answer.answered_at < before, Answer.text != "")
    qualification_ids = set(session.scalars(select(Answer.qualification_id).where(*old)))
    redacted = session.execute(update(Answer).where(*old).values(text="", value=None))
    for qualification in session.scalars(
        select(Qualification).where(
            Qualification.team_id == team_id,
            Qualification.id.in_(qualification_ids),  # type: ignore[union-attr]
            Qualification.updated_at < before,
        )
    ):
        qualification.conversation = without_words(qualification.conversation or {})
    return redacted.rowcount or 0


def delete_engagement_before(*, session: Session, team_id: str, before: datetime) -> int:
    """Delete engagement events that happened before ``before``; returns how many."""
    gone = session.execute(
        delete(EngagementEvent).where(
            EngagementEvent.team_id == team_id, EngagementEvent.occurred_at < before
        )
    )
    return gone.rowcount or 0


def delete_audit_before(*, session: Session, team_id: str, before: datetime) -> int:
    """Delete audit entries written before ``before``; returns how many.

    The caller keeps at least :data:`MIN_AUDIT_DAYS`.
    """
    gone = session.execute(
        delete(AuditEvent).where(AuditEvent.team_id == team_id, AuditEvent.created_at < before)
    )
    return gone.rowcount or 0


def audit_since(*, session: Session, team_id: str, since: datetime) -> Iterator[AuditEvent]:
    """Audit entries written at or after ``since``, oldest first, read in batches."""
    statement = (
        select(AuditEvent)
        .where(AuditEvent.team_id == team_id, AuditEvent.created_at >= since)
        .order_by(AuditEvent.created_at, AuditEvent.id)  # type: ignore[arg-type]
        .execution_options(yield_per=500)
    )
    yield from session.scalars(statement)
