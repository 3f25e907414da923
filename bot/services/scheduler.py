"""The worker's periodic task: SLA escalations, nurture reminders, daily digests, retention and
the pruning of old processed-event keys.

It runs inside each worker (no extra service). Every job claims its work with row locks and
guarded updates, and every message it queues carries a dedupe key, so several workers ticking
at once fire each deadline once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.services import digest, nurture, privacy, sla
from bot.services.context import Services
from storage import assistant_asks, events

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one tick did."""

    escalations: int = 0
    planned_reminders: int = 0
    reminders: int = 0
    digests: int = 0
    retention: int = 0
    pruned_event_keys: int = 0
    pruned_assistant_asks: int = 0

    @property
    def queued(self) -> int:
        """Messages put in the outbox."""
        return self.escalations + self.reminders + self.digests


class Scheduler:
    """Runs :meth:`tick` every ``interval`` seconds on the running event loop.

    Args:
        services: Shared collaborators (the clock among them).
        interval: Seconds between ticks; the team config's ``scheduler_seconds`` by default.
    """

    def __init__(self, services: Services, *, interval: float | None = None) -> None:
        self.services = services
        self.interval = interval if interval is not None else services.config.scheduler_seconds
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Retention runs once a day per worker; it is idempotent, so workers need not agree.
        self._retention_day: date | None = None

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Run every job once at ``now`` (the services' clock by default).

        Each job has its own transaction, so one that fails does not hold back the others.

        Returns:
            What was done.
        """
        when = now or self.services.clock.now()
        report = TickReport()
        services = self.services
        jobs: list[tuple[str, Callable[[Session], int]]] = [
            ("escalations", lambda s: sla.escalate_due(services, s, services.config, when)),
            ("planned_reminders", lambda s: nurture.plan_reminders(services, s)),
            ("reminders", lambda s: nurture.send_due_reminders(services, s, when)),
            ("digests", lambda s: digest.send_digests(services, s, when)),
            ("pruned_event_keys", lambda s: events.prune_events(session=s, now=when)),
            ("pruned_assistant_asks", lambda s: assistant_asks.prune(session=s, now=when)),
        ]
        if self._retention_day != when.date():
            jobs.append(
                (
                    "retention",
                    lambda s: privacy.apply_retention(s, config=services.config, now=when),
                )
            )
        async with self._lock:
            for name, job in jobs:
                try:
                    setattr(report, name, await services.transaction(job))
                    if name == "retention":
                        self._retention_day = when.date()
                except Exception:  # the next tick tries again; the others still run
                    log.exception("scheduled job %s failed", name)
        if report.queued:
            services.wake_outbox()
        return report

    def start(self) -> None:
        """Start ticking on the running loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop ticking."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.interval)
