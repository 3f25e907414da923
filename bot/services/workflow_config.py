"""The handoff workflow's part of the team config: routing, SLA, calendar, rejects, nurture."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """Leads whose fields match ``when`` go to ``pool``.

    Attributes:
        name: Name recorded with every decision the rule makes.
        when: Lead field -> accepted values (a list, matched case-insensitively) or a range
            ``{min, max}`` for numbers (e.g. ``employees``).
        pool: User ids of the account executives of this rule.
    """

    name: str
    when: dict[str, Any]
    pool: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    """How hot leads find an account executive."""

    rules: tuple[RoutingRule, ...] = ()
    default_pool: tuple[str, ...] = ()
    max_open_per_person: int = 5


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """When SLA clocks run: weekdays and opening hours in one time zone.

    ``open_all_week`` (no ``business_hours`` section) makes every minute count.
    """

    timezone: str = "UTC"
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    start: time = time(0, 0)
    end: time = time(23, 59, 59, 999999)
    open_all_week: bool = True

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class RejectReason:
    """One choice of the reject modal and where it sends the lead (nurture/disqualified)."""

    code: str
    outcome: str
    label: dict[str, str] = field(default_factory=dict)


DEFAULT_REJECT_REASONS: tuple[RejectReason, ...] = (
    RejectReason("no_budget", "nurture"),
    RejectReason("wrong_contact", "disqualified"),
    RejectReason("not_a_fit", "disqualified"),
    RejectReason("bad_timing", "nurture"),
    RejectReason("duplicate", "disqualified"),
    RejectReason("other", "nurture"),
)


@dataclass(frozen=True, slots=True)
class WorkflowConfig:
    """Everything the handoff workflow reads from the team config file."""

    routing: RoutingConfig = field(default_factory=RoutingConfig)
    away: frozenset[str] = frozenset()
    accept_minutes: int = 15
    escalate_again_minutes: int | None = 60
    hours: BusinessHours = field(default_factory=BusinessHours)
    reject_reasons: tuple[RejectReason, ...] = DEFAULT_REJECT_REASONS
    remind_after_days: dict[str, int] = field(default_factory=lambda: {"warm": 14, "cold": 60})
    stale_after_days: int = 90
    digest_hour: int = 8
    digest_channels: tuple[str, ...] = ()
    admin_channel: str | None = None
    scheduler_seconds: float = 30.0

    def reject_outcome(self, code: str) -> str:
        """Where a rejection with ``code`` sends the lead; unknown codes go to nurture."""
        for reason in self.reject_reasons:
            if reason.code == code:
                return reason.outcome
        return "nurture"


def _ids(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(item) for item in raw)


def _section(data: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{path}: '{key}' must be a mapping")
    return value


def _clock_time(raw: Any, where: str) -> time:
    try:
        hours, minutes = str(raw).split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise ValueError(f"{where}: expected HH:MM, got {raw!r}") from error


def _hours(raw: dict[str, Any], path: str) -> BusinessHours:
    if not raw:
        return BusinessHours()
    days = raw.get("weekdays") or list(_WEEKDAYS[:5])
    try:
        weekdays = tuple(sorted(_WEEKDAYS.index(str(d).lower()[:3]) for d in days))
    except ValueError as error:
        raise ValueError(f"{path}: business_hours.weekdays: {days!r}") from error
    hours = BusinessHours(
        timezone=str(raw.get("timezone") or "UTC"),
        weekdays=weekdays,
        start=_clock_time(raw.get("start", "09:00"), f"{path}: business_hours.start"),
        end=_clock_time(raw.get("end", "17:00"), f"{path}: business_hours.end"),
        open_all_week=False,
    )
    hours.zone  # noqa: B018 - fail at load time on an unknown zone name
    if hours.end <= hours.start:
        raise ValueError(f"{path}: business_hours.end must come after start")
    return hours


def _routing(raw: dict[str, Any], path: str) -> RoutingConfig:
    rules = []
    for index, item in enumerate(raw.get("rules") or []):
        if not isinstance(item, dict) or not isinstance(item.get("when"), dict):
            raise ValueError(f"{path}: routing.rules[{index}] needs 'when' and 'pool'")
        rules.append(
            RoutingRule(
                name=str(item.get("name") or f"rule{index + 1}"),
                when=dict(item["when"]),
                pool=_ids(item.get("pool")),
            )
        )
    return RoutingConfig(
        rules=tuple(rules),
        default_pool=_ids(raw.get("default_pool")),
        max_open_per_person=int(raw.get("max_open_per_person", 5)),
    )


def _reject_reasons(raw: Any, path: str) -> tuple[RejectReason, ...]:
    if not raw:
        return DEFAULT_REJECT_REASONS
    reasons = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or "code" not in item:
            raise ValueError(f"{path}: reject_reasons[{index}] needs a 'code'")
        outcome = str(item.get("outcome", "nurture"))
        if outcome not in ("nurture", "disqualified"):
            raise ValueError(f"{path}: reject_reasons[{index}].outcome: {outcome!r}")
        label = item.get("label") or {}
        reasons.append(
            RejectReason(
                code=str(item["code"]),
                outcome=outcome,
                label={"en": label} if isinstance(label, str) else dict(label),
            )
        )
    return tuple(reasons)


def load_workflow_config(path: str | Path | None) -> WorkflowConfig:
    """Read the workflow sections of the team config YAML (see ``docs/config.example.yaml``).

    Args:
        path: The team config file; None gives the defaults.

    Returns:
        The workflow configuration.

    Raises:
        ValueError: When a section is not shaped as expected (the message names the field).
    """
    if path is None:
        return WorkflowConfig()
    where = str(path)
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the team config must be a mapping")
    people = _section(data, "people", where)
    sla = _section(data, "sla", where)
    nurture = _section(data, "nurture", where)
    digest = _section(data, "digest", where)
    again = sla.get("escalate_again_minutes", 60)
    return WorkflowConfig(
        routing=_routing(_section(data, "routing", where), where),
        away=frozenset(_ids(people.get("away")) + _ids(data.get("away"))),
        accept_minutes=int(sla.get("accept_minutes", 15)),
        escalate_again_minutes=int(again) if again else None,
        hours=_hours(_section(data, "business_hours", where), where),
        reject_reasons=_reject_reasons(data.get("reject_reasons"), where),
        remind_after_days={
            str(k): int(v)
            for k, v in (nurture.get("remind_after_days") or {"warm": 14, "cold": 60}).items()
        },
        stale_after_days=int(nurture.get("stale_after_days", 90)),
        digest_hour=int(digest.get("hour", 8)),
        digest_channels=_ids(digest.get("channels")),
        admin_channel=str(data["admin_channel"]) if data.get("admin_channel") else None,
        scheduler_seconds=float(data.get("scheduler_seconds", 30)),
    )
