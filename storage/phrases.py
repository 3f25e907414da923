"""The workspace phrasebook: phrases whose reading a person corrected, scoped by team."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from flows.model import Criterion, Status
from flows.phrasebook import Phrase, Phrasebook, learnable, phrase_key, topic_of
from storage.models import LearnedPhrase, utcnow

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_PHRASEBOOK = (
    select(LearnedPhrase.topic, LearnedPhrase.phrase, LearnedPhrase.status, LearnedPhrase.value)
    .where(LearnedPhrase.team_id == bindparam("team_id"))
    .order_by(LearnedPhrase.created_at, LearnedPhrase.id)  # type: ignore[arg-type]
)
"""Built once: every answer reads the phrasebook (its four columns, no objects)."""


def learn_phrase(
    *,
    session: Session,
    team_id: str,
    criterion: Criterion,
    text: str,
    status: Status,
    value: Any = None,
    created_by: str | None,
    now: datetime | None = None,
) -> bool:
    """Keep the reading a person chose for ``text``, replacing an older one of the same phrase.

    Args:
        session: The caller's transaction.
        team_id: The workspace that taught it; only its reader uses it.
        criterion: The question the words answered (their topic is its concept).
        text: The rep's original words.
        status: The reading chosen.
        value: The value that goes with it (JSON-able), if any.
        created_by: Who chose it.
        now: When; defaults to the current time.

    Returns:
        Whether the words were learned (a long passage is no phrase and is not).
    """
    if not learnable(text):
        return False
    values = {
        "team_id": team_id,
        "topic": topic_of(criterion),
        "phrase": phrase_key(text),
        "status": Status(status).value,
        "value": value,
        "created_by": created_by,
        "created_at": now or utcnow(),
    }
    insert = _UPSERTS[session.get_bind().dialect.name]
    statement = insert(LearnedPhrase).values(**values)
    # One statement, so two people correcting the same phrase at once cannot collide.
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "topic", "phrase"],
        set_={
            key: statement.excluded[key] for key in ("status", "value", "created_by", "created_at")
        },
    )
    session.execute(statement)
    return True


def list_phrases(
    *, session: Session, team_id: str, topic: str | None = None
) -> list[LearnedPhrase]:
    """The workspace's learned phrases, oldest first (optionally of one topic)."""
    statement = select(LearnedPhrase).where(LearnedPhrase.team_id == team_id)
    if topic is not None:
        statement = statement.where(LearnedPhrase.topic == topic)
    order = (LearnedPhrase.created_at, LearnedPhrase.id)
    return list(session.scalars(statement.order_by(*order)))  # type: ignore[arg-type]


def load_phrasebook(*, session: Session, team_id: str) -> Phrasebook:
    """The workspace's phrasebook for the reader, newest correction last."""
    return Phrasebook(
        tuple(
            Phrase(topic=topic, text=phrase, status=Status(status), value=value)
            for topic, phrase, status, value in session.execute(_PHRASEBOOK, {"team_id": team_id})
        )
    )


def prune_phrases(
    *,
    session: Session,
    team_id: str,
    ids: Sequence[int] = (),
    older_than: datetime | None = None,
    topic: str | None = None,
) -> int:
    """Remove learned phrases of one workspace; the conditions given must all hold.

    Args:
        session: The caller's transaction.
        team_id: The workspace.
        ids: Only these rows.
        older_than: Only phrases learned before this time.
        topic: Only phrases of this topic.

    Returns:
        How many phrases were removed.

    Raises:
        ValueError: when no condition is given (removing everything must be asked for by name).
    """
    if not ids and older_than is None and topic is None:
        raise ValueError("name the phrases to remove: ids, an age or a topic")
    statement = delete(LearnedPhrase).where(LearnedPhrase.team_id == team_id)  # type: ignore[arg-type]
    if ids:
        statement = statement.where(LearnedPhrase.id.in_(list(ids)))  # type: ignore[union-attr]
    if older_than is not None:
        statement = statement.where(LearnedPhrase.created_at < older_than)  # type: ignore[arg-type]
    if topic is not None:
        statement = statement.where(LearnedPhrase.topic == topic)  # type: ignore[arg-type]
    return int(session.execute(statement).rowcount or 0)
