"""Routing of hot leads: territory / segment rules first, then round-robin within the pool.

The round-robin pointer lives in the database and moves under a row lock (and a version
check), so several workers routing at once still take turns fairly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.config import RoutingRule, TeamConfig
from storage import handoffs, routing
from storage.models import Handoff, Lead, RoutingDecision

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
    load = handoffs.open_handoff_counts(session=session, team_id=team_id, people=members)
    pointer = routing.lock_pointer(session=session, team_id=team_id, pool=pool_name)
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
        routing.move_pointer(
            session=session, pointer=pointer, position=(chosen_index + 1) % len(members)
        )
    how = f"rule {rule.name}" if rule else "no rule matched"
    reason = f"{how}; round-robin" if chosen else f"{how}; nobody free in the pool"
    return Route(pool_name, tuple(members), chosen, rule.name if rule else None, reason, skipped)


def record(session: Session, *, handoff: Handoff, route: Route) -> RoutingDecision:
    """Store a routing decision next to its handoff and set the handoff's assignee."""
    handoffs.set_route(
        session=session, handoff=handoff, pool=route.pool, assignee_id=route.assignee
    )
    return routing.record_decision(
        session=session,
        handoff=handoff,
        pool=route.pool,
        rule=route.rule,
        assignee_id=route.assignee,
        reason=route.reason,
        detail={"members": list(route.members), "skipped": route.skipped},
    )
