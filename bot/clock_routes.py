"""``POST /test/clock``: move the workflow clock and run the scheduler once (tests only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import ManualClock
from bot.services.scheduler import Scheduler


def test_clock_routes(scheduler: Scheduler) -> list[Route]:
    """The test-clock route when the services run on a manual clock, else nothing.

    The body may hold ``{"advance_minutes": N}`` or ``{"now": "<ISO time>"}``; the answer
    names the new time and what the scheduler's tick queued.
    """
    clock = scheduler.services.clock
    if not isinstance(clock, ManualClock):
        return []

    async def move(request: Request) -> Response:
        data = await request.json() if await request.body() else {}
        if "now" in data:
            clock.set(datetime.fromisoformat(str(data["now"])))
        if "advance_minutes" in data:
            clock.advance(timedelta(minutes=float(data["advance_minutes"])))
        report = await scheduler.tick()
        return JSONResponse(
            {
                "now": clock.now().isoformat(),
                "escalations": report.escalations,
                "reminders": report.reminders,
                "planned_reminders": report.planned_reminders,
                "digests": report.digests,
                "retention": report.retention,
                "pruned_event_keys": report.pruned_event_keys,
            }
        )

    return [Route("/test/clock", move, methods=["POST"])]
