"""Processed event keys (idempotency) and the audit trail, scoped by team.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import AuditEvent, ProcessedEvent, utcnow


def claim_event(*, session: Session, team_id: str, event_id: str) -> bool:
    """Record a Slack event id in the current transaction; False if it was seen before.

    Uses ``INSERT ... ON CONFLICT DO NOTHING``, so a duplicate never raises and never
    poisons the caller's transaction.
    """
    return claim_events(session=session, team_id=team_id, event_ids=[event_id])


def claim_events(*, session: Session, team_id: str, event_ids: Sequence[str]) -> bool:
    """Record the idempotency keys of one delivery in one statement.

    A message event carries two keys (Slack's event id and the message ts); a retry repeats
    the first, a re-delivery under a new event id the second.

    Args:
        session: the caller's session.
        team_id: Slack team id.
        event_ids: the keys (duplicates are claimed once).

    Returns:
        True when every key was new; False when any had been claimed before (the new ones
        are still recorded, so a later retry finds them all).
    """
    keys = list(dict.fromkeys(event_ids))
    if not keys:
        return True
    now = utcnow()
    dialect = session.get_bind().dialect.name
    statement = _CLAIMS.get(dialect)
    if statement is None:
        table = ProcessedEvent.__table__
        statement = insert_or_ignore(session, table, unique=["team_id", "event_id"])
        statement = _CLAIMS[dialect] = statement.returning(table.c.event_id)
    rows = [{"team_id": team_id, "event_id": key, "received_at": now} for key in keys]
    # One parameter set per key: SQLAlchemy sends them as one multi-row INSERT (its
    # "insertmanyvalues"), compiled once; VALUES lists in the statement would be compiled anew
    # every time. RETURNING lists the rows actually inserted.
    claimed = session.scalars(statement, rows).all()
    return len(claimed) == len(keys)


_CLAIMS: dict[str, Any] = {}
"""The claiming INSERT of each dialect, built once, on the table (no ORM bookkeeping)."""


KEEP_EVENT_KEYS = timedelta(hours=1)
"""How long a processed-event key is kept: Slack retries an event three times within about
half an hour, and a replayed request is refused after five minutes by its signature's age."""


def prune_events(*, session: Session, now: datetime, keep: timedelta = KEEP_EVENT_KEYS) -> int:
    """Delete the idempotency keys older than ``keep``, in every workspace.

    Maintenance over the whole table rather than one team's rows: the keys of every team
    expire by the same rule, and one indexed range delete is cheaper than one per team.

    Returns:
        How many keys were deleted.
    """
    statement = delete(ProcessedEvent).where(ProcessedEvent.received_at < now - keep)
    return int(session.execute(statement).rowcount or 0)


def record_audit(
    *,
    session: Session,
    team_id: str,
    actor_id: str | None,
    action: str,
    lead_id: int | None = None,
    qualification_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an audit event (who did what to which lead), written at once.

    The trail is only ever appended to and read back by queries, never as objects of the
    session that writes it: the row goes in with a statement built once, without the ORM's
    object and flush (every conversation step writes one).

    Args:
        session: the caller's session.
        team_id: Slack team id.
        actor_id: Slack user id (or ``cli``, ``import``...) of who did it; None for the bot.
        action: what, e.g. ``handoff.accepted``.
        lead_id: the lead concerned.
        qualification_id: the qualification concerned.
        detail: anything else worth keeping, as JSON.
    """
    row = {
        "team_id": team_id,
        "actor_id": actor_id,
        "action": action,
        "lead_id": lead_id,
        "qualification_id": qualification_id,
        "detail": detail,
        "created_at": utcnow(),
    }
    session.execute(_AUDIT, row)


_AUDIT = insert(AuditEvent.__table__)
