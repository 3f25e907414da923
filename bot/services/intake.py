"""Thread replies accepted at once: journaled, acknowledged, then applied.

Slack wants its acknowledgement within 3 s, and under load a step's transaction may wait its
turn for longer. So a reply is written to the local journal (``storage.journal``) before the
ack and applied right after it; a transaction that fails for a reason that passes (the database
is down, a lost race) is tried again until it commits, and a process that dies first leaves its
journal to the next one that starts. The step claims the event's idempotency keys in its own
transaction, so a reply applied twice, or delivered again by Slack, takes effect once.

Replies that queue up while a transaction runs are applied together in the next one (one
commit for all of them), so a busy bot spends its time on the steps, not on transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from typing import Any

from bot.services import steps
from bot.services.context import Services
from bot.services.replies import deliver
from bot.services.turns import Command, Turn
from storage.journal import Journal
from storage.retry import is_unavailable

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.2
LAST_RETRY_SECONDS = 5.0
ATTEMPTS_ON_A_FAULT = 5
"""Tries of a reply whose transaction fails for a reason that does not pass by itself
(a fault of ours); the database being unreachable is waited out however long it takes."""

MAX_BATCH = 64
"""Replies applied in one transaction at most."""

RECOVERY_INTERVAL_SECONDS = 30.0
"""How often a running process looks for the journals of processes that died beside it."""


_TURN_FIELDS = tuple(field.name for field in dataclasses.fields(Turn))


def turn_record(turn: Turn) -> dict[str, Any]:
    """The journal record of ``turn`` (its fields are flat, so no deep copy as ``asdict``
    would make: this runs before every ack)."""
    record = {name: getattr(turn, name) for name in _TURN_FIELDS}
    record["command"] = turn.command.value
    return record


def turn_from_record(record: dict[str, Any]) -> Turn:
    """The ``Turn`` written by :func:`turn_record`."""
    fields = {f.name for f in dataclasses.fields(Turn)}
    values = {key: value for key, value in record.items() if key in fields}
    return Turn(**{**values, "command": Command(values["command"])})


class Intake:
    """Accepts thread replies before the ack and applies them after it.

    Args:
        services: Shared collaborators.
        journal: Where accepted replies wait until their transaction committed.
        appliers: How many transactions of replies may run at once (one for SQLite, which
            has a single writer anyway).
    """

    def __init__(self, services: Services, journal: Journal, *, appliers: int = 1) -> None:
        self.services = services
        self.journal = journal
        self.appliers = appliers
        self._queue: asyncio.Queue[tuple[Turn, int]] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def accept(self, turn: Turn) -> None:
        """Journal ``turn`` and have it applied after the ack; return once it is journaled.

        Raises:
            OSError: the journal could not be written; Slack must get a non-2xx and retry.
        """
        seq = self.journal.append(turn_record(turn))
        if self._queue is None:  # not started (no lifespan): apply it on its own
            self.services.background.spawn(self._apply(turn, seq))
        else:
            self._queue.put_nowait((turn, seq))

    async def _drain_queue(self) -> None:
        assert self._queue is not None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._apply_batch(batch)
            except Exception:
                # This loop must outlive any one batch (the journal keeps what was not done).
                log.exception("applying %d replies failed", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _apply_batch(self, batch: list[tuple[Turn, int]]) -> None:
        if len(batch) == 1:
            await self._apply(*batch[0])
            return
        try:
            outcomes = await steps.handle_turns(self.services, [turn for turn, _ in batch])
        except Exception as error:
            # One of them may be at fault: each goes on its own, with its own retries.
            log.warning("%d replies not applied together: %s", len(batch), error)
            for turn, seq in batch:
                self.services.background.spawn(self._apply(turn, seq))
            return
        for (_, seq), outcome in zip(batch, outcomes, strict=True):
            self.journal.done(seq)
            self.services.background.spawn(deliver(self.services, outcome))

    async def _apply(self, turn: Turn, seq: int | None) -> None:
        delay = FIRST_RETRY_SECONDS
        faults = 0
        while True:
            try:
                outcome = await steps.handle_turn(self.services, turn)
                break
            except Exception as error:
                if not is_unavailable(error):
                    faults += 1
                    if faults >= ATTEMPTS_ON_A_FAULT:
                        log.exception("gave up on a reply in %s", turn.channel_id)
                        self._done(seq)
                        return
                log.warning("reply in %s not applied yet: %s", turn.channel_id, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, LAST_RETRY_SECONDS)
        self._done(seq)
        await deliver(self.services, outcome)

    def _done(self, seq: int | None) -> None:
        if seq is not None:
            self.journal.done(seq)

    def start(self) -> None:
        """Open this process's journal, start applying, and recover dead processes' journals."""
        self.journal.open()
        if self._tasks:
            return
        self._queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._drain_queue()) for _ in range(self.appliers)]
        self._tasks.append(loop.create_task(self._recover_forever()))

    async def stop(self, timeout: float = 10.0) -> None:
        """Apply what is queued (for at most ``timeout``), stop, and close the journal; replies
        still pending stay in it for the next process."""
        if self._queue is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), timeout)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self._queue = None
        self.journal.close()

    async def recover(self) -> int:
        """Apply the pending replies of every dead process's journal, in their order.

        Returns:
            How many replies were replayed.
        """
        replayed = 0
        for orphan in self.journal.orphans():
            log.info("replaying %d replies from %s", len(orphan.pending), orphan.path.name)
            for _, record in orphan.pending:
                try:
                    turn = turn_from_record(record)
                except (KeyError, TypeError, ValueError):
                    log.warning("skipped an unreadable journal record in %s", orphan.path.name)
                    continue
                await self._apply(turn, None)
                replayed += 1
            orphan.release()
        return replayed

    async def _recover_forever(self) -> None:
        while True:
            try:
                await self.recover()
            except Exception:
                log.exception("journal recovery failed")
            await asyncio.sleep(RECOVERY_INTERVAL_SECONDS)
