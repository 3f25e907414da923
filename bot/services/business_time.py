"""Business-hours arithmetic for SLA deadlines, in the team calendar's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import BusinessHours, TeamConfig

_MAX_DAYS_SCANNED = 370


def add_business_minutes(hours: BusinessHours, start: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` of business time after ``start``.

    Time outside the opening hours and on closed weekdays does not count, so a lead that
    turns hot on Friday evening is due on Monday morning.

    Args:
        hours: The business calendar.
        start: When the clock starts (aware).
        minutes: Business minutes to add.

    Returns:
        The deadline (aware UTC).
    """
    if hours.open_all_week:
        return (start + timedelta(minutes=minutes)).astimezone(UTC)
    remaining = timedelta(minutes=minutes)
    cursor = start.astimezone(UTC)
    zone = hours.zone
    day = cursor.astimezone(zone).date()
    for _ in range(_MAX_DAYS_SCANNED):
        if day.weekday() in hours.weekdays:
            # Build the opening interval in local wall time, then compare in UTC so that
            # a daylight-saving change inside the interval does not skew the arithmetic.
            opens = datetime.combine(day, hours.start, zone).astimezone(UTC)
            closes = datetime.combine(day, hours.end, zone).astimezone(UTC)
            begin = max(cursor, opens)
            if begin < closes:
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += timedelta(days=1)
    raise ValueError("the business calendar has no opening hours")


def first_deadline(config: TeamConfig, created: datetime) -> datetime:
    """When a new handoff must be accepted before it escalates."""
    return add_business_minutes(config.business_hours, created, config.sla.accept_minutes)
