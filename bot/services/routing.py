"""Routing of hot leads: territory / segment rules first, then round-robin within the pool.

The round-robin pointer lives in the database and moves under a row lock (and a version
check), so several workers routing at once still take turns fairly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from bot.config import RoutingRule, TeamConfig
from storage.models import (
    Handoff,
    HandoffStatus,
    Lead,
    RoutingDecision,
    RoutingPointer,
    utcnow,
)
from storage.retry import StaleVersion
from storage.sql import Direct, core_connection, detached, dialect_insert, prepared

DEFAULT_POOL = "default"


@dataclass(frozen=True, slots=True)
class Route:
    """The outcome of routing one handoff.

    Attributes:
        pool: Name of the pool (the matching rule's name, or ``default``).
        members: Everyone of the pool; any of them may still claim the lead.
        assignee: The chosen account executive, or None when nobody is free.
        rule: The rule that matched, if any.
        reason: Why, in a few words, for the audit trail.
        skipped: Pool members passed over, with why (``away`` or ``at_cap``).
    """

    pool: str
    members: tuple[str, ...]
    assignee: str | None
    rule: str | None
    reason: str
    skipped: dict[str, str] = field(default_factory=dict)


def _matches(condition: Any, value: Any) -> bool:
    if isinstance(condition, dict):
        if value is None:
            return False
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        low, high = condition.get("min"), condition.get("max")
        return (low is None or number >= float(low)) and (high is None or number <= float(high))
    accepted = condition if isinstance(condition, list) else [condition]
    return value is not None and str(value).casefold() in {str(a).casefold() for a in accepted}


def matching_rule(rules: Sequence[RoutingRule], lead: Lead) -> RoutingRule | None:
    """The first rule whose every condition holds for the lead's fields."""
    for rule in rules:
        if all(_matches(cond, getattr(lead, key, None)) for key, cond in rule.when.items()):
            return rule
    return None


def open_handoffs(session: Session, team_id: str, people: Sequence[str]) -> dict[str, int]:
    """Pending handoffs assigned to each of ``people``."""
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


def _lock_pointer(session: Session, team_id: str, pool: str) -> RoutingPointer:
    session.execute(
        dialect_insert(session, RoutingPointer)
        .values(team_id=team_id, pool=pool, position=0, version=0)
        .on_conflict_do_nothing(index_elements=["team_id", "pool"])
    )
    pointer = session.scalars(
        select(RoutingPointer)
        .where(RoutingPointer.team_id == team_id, RoutingPointer.pool == pool)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return pointer


def choose(
    session: Session, config: TeamConfig, *, team_id: str, lead: Lead, fallback: Sequence[str]
) -> Route:
    """Pick the pool and, by round-robin, the account executive for a lead.

    Args:
        session: The transaction (the pool's pointer row stays locked until it ends).
        config: The team config.
        team_id: Workspace id.
        lead: The hot lead.
        fallback: Pool used when no rule matches and no ``default_pool`` is configured
            (the team's account executives).

    Returns:
        The route; ``assignee`` is None when everyone is away or at the cap.
    """
    rule = matching_rule(config.routing.rules, lead)
    if rule is not None:
        pool_name, members = rule.name, rule.pool
    else:
        pool_name, members = DEFAULT_POOL, config.routing.default_pool or tuple(sorted(fallback))
    if not members:
        return Route(pool_name, (), None, rule.name if rule else None, "empty pool")
    load = open_handoffs(session, team_id, members)
    pointer = _lock_pointer(session, team_id, pool_name)
    skipped: dict[str, str] = {}
    chosen: str | None = None
    chosen_index = pointer.position
    for step in range(len(members)):
        index = (pointer.position + step) % len(members)
        person = members[index]
        if person in config.people.away:
            skipped[person] = "away"
        elif load.get(person, 0) >= config.routing.max_open_per_person:
            skipped[person] = "at_cap"
        else:
            chosen, chosen_index = person, index
            break
    if chosen is not None:
        moved = session.execute(
            update(RoutingPointer)
            .where(
                RoutingPointer.team_id == team_id,
                RoutingPointer.pool == pool_name,
                RoutingPointer.version == pointer.version,
            )
            .values(position=(chosen_index + 1) % len(members), version=pointer.version + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleVersion("routing pointer moved under us")
    how = f"rule {rule.name}" if rule else "no rule matched"
    reason = f"{how}; round-robin" if chosen else f"{how}; nobody free in the pool"
    return Route(pool_name, tuple(members), chosen, rule.name if rule else None, reason, skipped)


def record(session: Session, *, handoff: Handoff, route: Route) -> RoutingDecision:
    """Store a routing decision next to its handoff and set the handoff's assignee.

    Runs as two direct prepared statements; the decision comes back outside the session.
    """
    assert handoff.id is not None
    statements = prepared(session, _RecordStatements)
    connection = core_connection(session)
    statements.set_route.execute(
        connection,
        {
            "id_": handoff.id,
            "team_id_": handoff.team_id,
            "assignee_id": route.assignee,
            "routing_pool": route.pool,
        },
    )
    # The row has them now: the handoff must not look changed, or a flush would write them again.
    set_committed_value(handoff, "assignee_id", route.assignee)
    set_committed_value(handoff, "routing_pool", route.pool)
    values: dict[str, Any] = {
        "team_id": handoff.team_id,
        "handoff_id": handoff.id,
        "lead_id": handoff.lead_id,
        "pool": route.pool,
        "rule": route.rule,
        "assignee_id": route.assignee,
        "reason": route.reason,
        "detail": {"members": list(route.members), "skipped": route.skipped},
        "created_at": utcnow(),
    }
    decision_id = statements.insert_decision.scalar(connection, values)
    return detached(RoutingDecision, {"id": decision_id, **values})


class _RecordStatements:
    """The statements of :func:`record`, run directly (:class:`storage.sql.Direct`)."""

    def __init__(self, _dialect: str) -> None:
        handoff: Table = Handoff.__table__  # type: ignore[attr-defined]
        decisions: Table = RoutingDecision.__table__  # type: ignore[attr-defined]
        self.set_route = Direct(
            update(handoff)
            .where(handoff.c.id == bindparam("id_"), handoff.c.team_id == bindparam("team_id_"))
            .values(
                assignee_id=bindparam("assignee_id", type_=handoff.c.assignee_id.type),
                routing_pool=bindparam("routing_pool", type_=handoff.c.routing_pool.type),
            )
        )
        self.insert_decision = Direct(insert(decisions).returning(decisions.c.id))
