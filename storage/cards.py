"""A qualification stored before its card is posted, and its thread key once the card is up.

A qualification is keyed by its thread, the ts of its card, which Slack assigns only when the
card is posted; the card is posted after the command's transaction committed. Until then the
row holds a placeholder key and the status ``starting``, which no list, check or report counts.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlmodel import Session

from storage.models import Qualification, QualificationStatus, utcnow

PLACEHOLDER_PREFIX = "starting:"
"""Thread key of a qualification whose card is not posted yet (Slack's ts are digits)."""


def placeholder_thread() -> str:
    """A thread key no Slack message has, unique per qualification."""
    return f"{PLACEHOLDER_PREFIX}{uuid.uuid4().hex}"


def hold(*, session: Session, team_id: str, qualification_id: int) -> None:
    """Mark a qualification just created as waiting for its card."""
    session.execute(
        update(Qualification)
        .where(Qualification.team_id == team_id, Qualification.id == qualification_id)
        .values(status=QualificationStatus.STARTING.value)
    )


def attach_card(
    *, session: Session, team_id: str, qualification_id: int, channel_id: str, card_ts: str
) -> bool:
    """Key a waiting qualification by its posted card and make it active.

    Returns:
        False when the qualification is no longer waiting (it was given up).
    """
    result = session.execute(
        update(Qualification)
        .where(
            Qualification.team_id == team_id,
            Qualification.id == qualification_id,
            Qualification.status == QualificationStatus.STARTING.value,
        )
        .values(
            channel_id=channel_id,
            thread_ts=card_ts,
            card_ts=card_ts,
            status=QualificationStatus.ACTIVE.value,
            updated_at=utcnow(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def give_up(*, session: Session, team_id: str, qualification_id: int) -> None:
    """Cancel a waiting qualification whose card could not be posted."""
    now = utcnow()
    session.execute(
        update(Qualification)
        .where(
            Qualification.team_id == team_id,
            Qualification.id == qualification_id,
            Qualification.status == QualificationStatus.STARTING.value,
        )
        .values(status=QualificationStatus.CANCELLED.value, updated_at=now, finished_at=now)
    )
