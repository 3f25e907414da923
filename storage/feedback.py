"""Thumbs up or down on verdicts: one vote per person per verdict, the latest click counts.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import Qualification, VerdictFeedback, VerdictRecord, utcnow


def record_vote(
    *, session: Session, team_id: str, verdict_id: int, user_id: str, right: bool
) -> bool | None:
    """Store ``user_id``'s vote on a verdict of the team.

    Returns:
        The vote it replaced (None: the first vote), or raises ``LookupError`` when the
        team has no such verdict.
    """
    verdict = session.get(VerdictRecord, verdict_id)
    if verdict is None or verdict.team_id != team_id:
        raise LookupError(verdict_id)
    vote = session.scalars(
        select(VerdictFeedback)
        .where(
            VerdictFeedback.team_id == team_id,
            VerdictFeedback.verdict_id == verdict_id,
            VerdictFeedback.user_id == user_id,
        )
        .with_for_update()
    ).first()
    if vote is None:
        session.add(
            VerdictFeedback(
                team_id=team_id,
                verdict_id=verdict_id,
                lead_id=verdict.lead_id,
                user_id=user_id,
                right=right,
            )
        )
        session.flush()
        return None
    before = vote.right
    vote.right = right
    vote.updated_at = utcnow()
    session.flush()
    return before


def verdict_language(*, session: Session, team_id: str, verdict_id: int) -> str | None:
    """The language of the thread a verdict was drawn in (None: no such verdict)."""
    return session.scalars(
        select(Qualification.language)
        .join(VerdictRecord, VerdictRecord.qualification_id == Qualification.id)
        .where(VerdictRecord.id == verdict_id, VerdictRecord.team_id == team_id)
    ).first()


def votes(*, session: Session, team_id: str, verdict_id: int) -> list[tuple[str, bool]]:
    """``(user, right)`` of every vote on a verdict."""
    rows = session.execute(
        select(VerdictFeedback.user_id, VerdictFeedback.right)
        .where(VerdictFeedback.team_id == team_id, VerdictFeedback.verdict_id == verdict_id)
        .order_by(VerdictFeedback.id)
    )
    return [(user, bool(right)) for user, right in rows]


def tally(
    *,
    session: Session,
    team_id: str,
    framework: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, tuple[int, int]]:
    """Votes per verdict bucket (hot / warm / cold): ``(right, wrong)``; with ``start`` and
    ``end``, the votes on verdicts drawn in that window."""
    statement = (
        select(VerdictRecord.verdict, VerdictFeedback.right, func.count())
        .join(VerdictRecord, VerdictRecord.id == VerdictFeedback.verdict_id)
        .where(VerdictFeedback.team_id == team_id)
        .group_by(VerdictRecord.verdict, VerdictFeedback.right)
    )
    if framework is not None:
        statement = statement.where(VerdictRecord.framework == framework)
    if start is not None:
        statement = statement.where(VerdictRecord.created_at >= start)
    if end is not None:
        statement = statement.where(VerdictRecord.created_at < end)
    counts: dict[str, list[int]] = {}
    for bucket, right, n in session.execute(statement):
        counts.setdefault(bucket, [0, 0])[0 if right else 1] += n
    return {bucket: (up, down) for bucket, (up, down) in counts.items()}
