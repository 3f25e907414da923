"""The outbox's lanes: one per channel and thread (one per DM), each sending in order.

Lanes run side by side, so a rate limit or a hang in the alert channel never holds up a question
in a rep's thread. Within a lane a message waits for the one before it: when that one must wait
(a retry, a check), the messages behind it, and those that come while it waits, go back to the
outbox due when it is, so none overtakes it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from storage.models import OutboxMessage

log = logging.getLogger(__name__)

DM_METHOD = "sdrbot.dm"
"""Pseudo method: open a DM with ``payload['user']`` and post the rest of the payload there."""

Lane = tuple[str, str]
Attempt = Callable[[OutboxMessage], Awaitable[datetime | None]]
"""Sends one message; returns None when done with it, else when it is due again."""
Release = Callable[[list[OutboxMessage], datetime], Awaitable[None]]
"""Hands claimed messages back to the outbox, due at the given time."""


def lane_of(method: str, payload: dict[str, Any]) -> Lane:
    """The lane of a message: its channel and thread, a DM's user, or itself for webhooks."""
    if method == DM_METHOD:
        return ("dm", str(payload.get("user") or ""))
    channel = payload.get("channel")
    if not channel:
        return (method, str(uuid.uuid4()))  # no order to keep: a lane of its own
    # A card update goes with its thread: ``ts`` of the updated message is the thread's root.
    return (str(channel), str(payload.get("thread_ts") or payload.get("ts") or ""))


@dataclass
class _Job:
    message: OutboxMessage
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)


class Lanes:
    """Runs one task per busy lane.

    Args:
        attempt: Sends one message.
        release: Hands messages back to the outbox.
    """

    def __init__(self, attempt: Attempt, release: Release) -> None:
        self.attempt = attempt
        self.release = release
        self._queues: dict[Lane, deque[_Job]] = {}
        self._runners: dict[Lane, asyncio.Task[None]] = {}
        self._held: dict[Lane, datetime] = {}

    def queue(self, message: OutboxMessage) -> asyncio.Future[None]:
        """Queue a claimed message in its lane.

        Returns:
            Done once the message was sent, failed for good or handed back.
        """
        lane = lane_of(message.method, message.payload)
        job = _Job(message)
        self._queues.setdefault(lane, deque()).append(job)
        runner = self._runners.get(lane)
        if runner is None or runner.done():
            self._runners[lane] = asyncio.get_running_loop().create_task(self._drain(lane))
        return job.done

    async def stop(self, grace_seconds: float) -> None:
        """Give the lanes ``grace_seconds`` to finish, then cancel them.

        A message cut off here stays claimed until its lease runs out; whoever takes it over
        checks it against Slack before sending it again.
        """
        runners = [task for task in self._runners.values() if not task.done()]
        if runners:
            _, pending = await asyncio.wait(runners, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _drain(self, lane: Lane) -> None:
        queue = self._queues[lane]
        try:
            while queue:
                held = self._held.get(lane)
                if held is not None and held > datetime.now(UTC):
                    rest = list(queue)
                    queue.clear()
                    await self.release([job.message for job in rest], held)
                    for job in rest:
                        job.finish()
                    continue
                job = queue[0]
                try:
                    wait_until = await self.attempt(job.message)
                except Exception:  # the database is away: the lease hands it on later
                    log.exception("outbox message %s could not be handled", job.message.id)
                    wait_until = None
                queue.popleft()
                job.finish()
                if wait_until is not None:
                    self._held[lane] = wait_until
        finally:
            for job in queue:
                job.finish()
            if not queue:
                self._queues.pop(lane, None)
                self._runners.pop(lane, None)
