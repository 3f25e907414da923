"""What the bot asked in an assistant thread and waits to hear, one ask per thread.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import AssistantAsk, utcnow


def ask(
    *, session: Session, team_id: str, channel_id: str, thread_ts: str, user_id: str, awaiting: str
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
                "updated_at": utcnow(),
            }
        ],
    )


def take(*, session: Session, team_id: str, channel_id: str, thread_ts: str) -> str | None:
    """What the thread waits for (None: nothing), forgotten as it is read: one answer each."""
    awaiting = session.scalars(
        select(AssistantAsk.awaiting)
        .where(
            AssistantAsk.team_id == team_id,
            AssistantAsk.channel_id == channel_id,
            AssistantAsk.thread_ts == thread_ts,
        )
        .with_for_update()
    ).first()
    if awaiting is not None:
        session.execute(
            delete(AssistantAsk).where(
                AssistantAsk.team_id == team_id,
                AssistantAsk.channel_id == channel_id,
                AssistantAsk.thread_ts == thread_ts,
            )
        )
    return awaiting
