"""Round-robin pointers of the routing pools and the record of each routing decision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import Handoff, RoutingDecision, RoutingPointer
from storage.retry import StaleVersion


def lock_pointer(*, session: Session, team_id: str, pool: str) -> RoutingPointer:
    """The pool's round-robin pointer (created at position 0 when new), row-locked on
    PostgreSQL until the transaction ends, so workers routing at once take turns."""
    session.execute(
        insert_or_ignore(session, RoutingPointer, unique=["team_id", "pool"]).values(
            team_id=team_id, pool=pool, position=0, version=0
        )
    )
    statement = (
        select(RoutingPointer)
        .where(RoutingPointer.team_id == team_id, RoutingPointer.pool == pool)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one()


def move_pointer(*, session: Session, pointer: RoutingPointer, position: int) -> None:
    """Move a locked pointer; its flush is guarded by the row's version counter.

    Raises:
        StaleVersion: another worker moved it first (the caller's transaction is retried).
    """
    pointer.position = position
    session.add(pointer)
    try:
        session.flush()
    except StaleDataError as error:
        raise StaleVersion("routing pointer moved under us") from error


def record_decision(
    *,
    session: Session,
    handoff: Handoff,
    pool: str,
    rule: str | None,
    assignee_id: str | None,
    reason: str,
    detail: dict[str, Any],
) -> RoutingDecision:
    """Store why a handoff went to whom, next to the handoff."""
    assert handoff.id is not None
    decision = RoutingDecision(
        team_id=handoff.team_id,
        handoff_id=handoff.id,
        lead_id=handoff.lead_id,
        pool=pool,
        rule=rule,
        assignee_id=assignee_id,
        reason=reason,
        detail=detail,
    )
    session.add(decision)
    return decision
