"""What the bot asked in an assistant thread and waits to hear, one ask per thread.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import AssistantAsk, utcnow

ANSWER_WITHIN = timedelta(hours=12)
"""How long an ask waits for its answer."""


def ask(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    user_id: str,
    awaiting: str,
    now: datetime | None = None,
) -> None:
    """Remember that the thread waits for ``awaiting`` from ``user_id`` (a newer ask wins)."""
    session.execute(
        delete(AssistantAsk).where(
            AssistantAsk.team_id == team_id,
            AssistantAsk.channel_id == channel_id,
            AssistantAsk.thread_ts == thread_ts,
        )
    )
    statement = insert_or_ignore(
        session, AssistantAsk, unique=["team_id", "channel_id", "thread_ts"]
    )
    session.execute(
        statement,
        [
            {
                "team_id": team_id,
                "channel_id": channel_id,
                "thread_ts": thread_ts,
                "user_id": user_id,
                "awaiting": awaiting,
                "updated_at": now or utcnow(),
            }
        ],
    )


def take(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    now: datetime,
    within: timedelta = ANSWER_WITHIN,
) -> str | None:
    """What the thread waits for (None: nothing), forgotten as it is read: one answer each.

    An ask older than ``within`` is forgotten unanswered: words typed a day later are not
    taken for a lead's name.
    """
    row = session.execute(
        select(AssistantAsk.awaiting, AssistantAsk.updated_at)
        .where(
            AssistantAsk.team_id == team_id,
            AssistantAsk.channel_id == channel_id,
            AssistantAsk.thread_ts == thread_ts,
        )
        .with_for_update()
    ).first()
    if row is None:
        return None
    awaiting, asked_at = row
    if awaiting is not None:
        session.execute(
            delete(AssistantAsk).where(
                AssistantAsk.team_id == team_id,
                AssistantAsk.channel_id == channel_id,
                AssistantAsk.thread_ts == thread_ts,
            )
        )
    return awaiting if asked_at >= now - within else None


def prune(*, session: Session, now: datetime, within: timedelta = ANSWER_WITHIN) -> int:
    """Forget the asks nobody answered within ``within``, in every workspace.

    :func:`take` would ignore them anyway; without this, every assistant thread left with a
    question open would keep its row.

    Returns:
        How many were forgotten.
    """
    statement = delete(AssistantAsk).where(AssistantAsk.updated_at < now - within)
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
