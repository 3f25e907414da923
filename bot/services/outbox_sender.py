"""Sends the durable outbox: a loop that wakes on enqueue and every second."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import web_api
from storage import outbox
from storage.db import session_scope
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

DM_METHOD = "sdrbot.dm"
"""Pseudo method: open a DM with ``payload['user']`` and post the rest of the payload there."""
META_KEY = "__meta"
"""Payload key the sender strips before calling Slack; handed to the after-send hook."""

METADATA_EVENT = "sdrbot_outbox"
"""Slack message metadata event type naming the outbox message a post came from."""
LOOKUP_LIMIT = 200
"""How many recent messages of a channel or thread are searched for an earlier copy."""

ADMIN_KEY_PREFIX = "admin:delivery:"
"""Dedupe key prefix of failure reports; a failing report is never reported again."""
AdminText = Callable[[str, str, str], str]
"""Renders a failure report from (method, channel or user, Slack error code)."""

AfterSend = Callable[[Session, OutboxMessage, dict[str, Any], dict[str, Any]], None]
"""Hook run in a transaction after a message was sent: (session, message, meta, result)."""
Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
"""Sends the payload of a non-Slack method (e.g. ``webhook``); raising means retry later."""

_PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "user_not_found",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "message_not_found",
        "cant_update_message",
    }
)


@dataclass(frozen=True, slots=True)
class Staged:
    """An outbox message written claimed by its sender, to be posted after the commit."""

    id: int
    team_id: str
    dedupe_key: str
    method: str
    payload: dict[str, Any]


class OutboxSender:
    """Claims due outbox messages and sends them through the Web API.

    Args:
        engine: Database engine.
        client: Slack Web API client.
        after_send: Optional hook run after each successful send.
        handlers: Senders for methods that are not Slack calls, by method name.
        poll_seconds: How often to look for due messages without being woken.
        admin_channel: Where a permanent delivery failure is reported, once per error and
            target (None: only logged).
        admin_text: Renders that report.
        lease_seconds: How long a claim holds; longer than the slowest Web API call with its
            retries, or another sender would post the message again while it is in flight.
        mark_delay_seconds: How long the first sent staged call waits for others to be marked
            sent with it in one transaction.
        mark_batch_size: Most sent staged calls marked in one transaction; a full batch is
            marked without waiting.
    """

    def __init__(
        self,
        engine: Engine,
        client: AsyncWebClient,
        *,
        after_send: AfterSend | None = None,
        handlers: dict[str, Handler] | None = None,
        poll_seconds: float = 1.0,
        admin_channel: str | None = None,
        admin_text: AdminText | None = None,
        lease_seconds: float = 30.0,
        mark_delay_seconds: float = 0.03,
        mark_batch_size: int = 200,
    ) -> None:
        self.lease_seconds = lease_seconds
        self.mark_delay_seconds = mark_delay_seconds
        self.mark_batch_size = mark_batch_size
        self.admin_channel = admin_channel
        self.admin_text = admin_text
        self.handlers = dict(handlers or {})
        self.engine = engine
        self.client = client
        self.after_send = after_send
        self.poll_seconds = poll_seconds
        self.worker_id = f"outbox-{uuid.uuid4().hex[:12]}"
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._unmarked: list[tuple[int, dict[str, Any]]] = []
        self._batch_full: asyncio.Event | None = None
        self._marker: asyncio.Task[None] | None = None
        self._marking = asyncio.Lock()

    def wake(self) -> None:
        """Ask the loop to look for due messages now."""
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        """Start the loop on the running event loop (idempotent)."""
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop the loop after its current round and mark the sent posts not yet marked."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._marker is not None and not self._marker.done():
            assert self._batch_full is not None
            self._batch_full.set()  # no need to wait for more posts to join the batch
            await self._marker
        await self.flush_marks()

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                while await self.send_due() > 0:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the loop alive; the database may come back
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

    async def send_due(self) -> int:
        """Send what is due now.

        Returns:
            How many messages were claimed.
        """
        claimed = await asyncio.to_thread(self._claim)
        for message in claimed:
            await self._send_one(message)
        return len(claimed)

    def _claim(self) -> list[OutboxMessage]:
        with session_scope(self.engine) as session:
            return outbox.claim_due(
                session=session,
                worker_id=self.worker_id,
                now=datetime.now(UTC),
                lease_seconds=self.lease_seconds,
            )

    def stage(
        self, session: Session, *, team_id: str, method: str, payload: dict[str, Any]
    ) -> Staged:
        """Write a Web API call into the outbox, claimed by this sender, in the caller's
        transaction; send it with :meth:`send_staged` once that transaction committed.

        Returns:
            What :meth:`send_staged` needs to send it.
        """
        return self.stage_many(session, team_id=team_id, calls=[(method, payload)])[0]

    def stage_many(
        self, session: Session, *, team_id: str, calls: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[Staged]:
        """Stage several calls as :meth:`stage` does, with one ``INSERT`` for all of them.

        Args:
            session: The caller's transaction.
            team_id: The workspace.
            calls: ``(method, payload)`` per call, in sending order.

        Returns:
            What :meth:`send_staged` needs to send them, in the order of ``calls``.
        """
        keyed = [(method, payload, f"direct:{uuid.uuid4().hex}") for method, payload in calls]
        ids = outbox.enqueue_claimed_many(
            session=session,
            team_id=team_id,
            calls=keyed,
            worker_id=self.worker_id,
            now=datetime.now(UTC),
            lease_seconds=self.lease_seconds,
        )
        return [
            Staged(message_id, team_id, key, method, payload)
            for message_id, (method, payload, key) in zip(ids, keyed, strict=True)
        ]

    async def send_staged(self, staged: list[Staged]) -> None:
        """Post staged calls in order; the sent ones are marked soon after, in a batch.

        Marking is left to a background flush that marks the sent posts of many steps in one
        transaction; :meth:`flush_marks` waits for it. A call that fails is handed back to the
        outbox for a retry right away, unbatched; one whose worker dies before marking is taken
        over when its lease runs out.

        Args:
            staged: The staged calls, in sending order.
        """
        for call in staged:
            try:
                result = await self._call(call.method, dict(call.payload), key=call.dedupe_key)
            except Exception as error:
                message = OutboxMessage(
                    id=call.id,
                    team_id=call.team_id,
                    method=call.method,
                    payload=call.payload,
                    dedupe_key=call.dedupe_key,
                )
                await asyncio.to_thread(self._failed, message, error)
                continue
            self._mark_later(call.id, result)

    def _mark_later(self, message_id: int, result: dict[str, Any]) -> None:
        """Queue a sent post for the next batch, starting the batch's marker if none runs.

        Losing the queue in a crash is safe: its messages stay claimed until their lease runs
        out, then another round takes them over and ``_earlier_copy`` finds each post already
        made (by the dedupe key in its metadata), so it is marked sent, not posted twice. A
        card update (``chat.update``) is made again, the same edit of the same message.
        """
        self._unmarked.append((message_id, result))
        if self._marker is None or self._marker.done():
            self._batch_full = asyncio.Event()
            self._marker = asyncio.get_running_loop().create_task(self._mark_batches())
        elif len(self._unmarked) >= self.mark_batch_size and self._batch_full is not None:
            self._batch_full.set()

    async def _mark_batches(self) -> None:
        """Mark queued posts a moment after the first arrives (or once a batch is full),
        until none are left."""
        assert self._batch_full is not None
        while self._unmarked:
            if len(self._unmarked) < self.mark_batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._batch_full.wait(), timeout=self.mark_delay_seconds)
            self._batch_full.clear()
            await self.flush_marks()

    async def flush_marks(self) -> None:
        """Mark sent every post sent so far, one transaction per batch.

        One flush runs at a time; a caller arriving during a flush waits for it and then marks
        what came since. A batch whose transaction fails is logged and left claimed: its lease
        runs out and the takeover finds the posts already made, as after a crash.
        """
        async with self._marking:
            while self._unmarked:
                batch = self._unmarked[: self.mark_batch_size]
                del self._unmarked[: self.mark_batch_size]
                try:
                    await asyncio.to_thread(self._mark_sent, batch)
                except Exception:
                    log.exception("marking %d sent outbox messages failed", len(batch))

    def _mark_sent(self, sent: list[tuple[int, dict[str, Any]]]) -> None:
        # A plain connection: the statement runs directly, no ORM session is worth its cost.
        with self.engine.begin() as connection:
            outbox.mark_sent_many(connection=connection, sent=sent, worker_id=self.worker_id)

    async def _send_one(self, message: OutboxMessage) -> None:
        payload = dict(message.payload)
        meta = payload.pop(META_KEY, None) or {}
        try:
            earlier = await self._earlier_copy(message, payload) if message.attempts else None
            result = earlier or await self._call(message.method, payload, key=message.dedupe_key)
        except SlackApiError as error:
            await asyncio.to_thread(self._failed, message, error)
            return
        except Exception as error:  # connection trouble: retry later
            await asyncio.to_thread(self._failed, message, error)
            return
        await asyncio.to_thread(self._sent, message, meta, result)

    async def _earlier_copy(
        self, message: OutboxMessage, payload: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Find a post of ``message`` that an earlier attempt may have made before it died.

        Every post carries its dedupe key in Slack message metadata; the channel's recent
        history (or the thread's replies) is searched for it.

        Returns:
            ``{"ts", "channel"}`` of the copy found, else None.
        """
        if message.method not in ("chat.postMessage", DM_METHOD):
            return None
        channel = payload.get("channel")
        if message.method == DM_METHOD:
            opened = await self.client.conversations_open(users=payload["user"])
            channel = opened["channel"]["id"]
        if not channel:
            return None
        thread_ts = payload.get("thread_ts")
        if thread_ts:
            found = await self.client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=LOOKUP_LIMIT
            )
        else:
            found = await self.client.conversations_history(
                channel=channel, include_all_metadata=True, limit=LOOKUP_LIMIT
            )
        for posted in found.get("messages") or []:
            metadata = posted.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("key") == message.dedupe_key
            ):
                return {"ts": posted["ts"], "channel": posted.get("channel") or channel}
        return None

    async def _call(
        self, method: str, payload: dict[str, Any], *, key: str | None = None
    ) -> dict[str, Any]:
        if method in self.handlers:
            return await self.handlers[method](payload)
        if method == DM_METHOD:
            user = payload.pop("user")
            opened = await self.client.conversations_open(users=user)
            payload["channel"] = opened["channel"]["id"]
            method = "chat.postMessage"
        if method == "chat.postMessage" and key is not None:
            payload["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        response = await web_api.call(self.client, method, payload)
        data = response.data if isinstance(response.data, dict) else {}
        return {key: data[key] for key in ("ts", "channel") if key in data}

    def _sent(self, message: OutboxMessage, meta: dict[str, Any], result: dict[str, Any]) -> None:
        assert message.id is not None
        with session_scope(self.engine) as session:
            outbox.mark_sent(
                session=session, message_id=message.id, result=result, worker_id=self.worker_id
            )
            if self.after_send is not None and meta:
                self.after_send(session, message, meta, result)

    def _failed(self, message: OutboxMessage, error: Exception) -> None:
        assert message.id is not None
        retry_after: float | None = None
        permanent = False
        if isinstance(error, SlackApiError):
            headers = getattr(error.response, "headers", {}) or {}
            raw = headers.get("Retry-After") or headers.get("retry-after")
            if raw:
                with contextlib.suppress(ValueError):
                    retry_after = float(raw[0] if isinstance(raw, list) else raw)
            permanent = error.response.get("error") in _PERMANENT_ERRORS
        now = datetime.now(UTC)
        retry_at = (
            None if permanent else outbox.next_retry_at(message, now, retry_after=retry_after)
        )
        if retry_at is None and not permanent:
            # Out of attempts on a transient error: keep trying at the longest interval rather
            # than drop the message; an outage ends, a lost alert does not come back.
            retry_at = now + outbox.retry_delay(outbox.MAX_ATTEMPTS, retry_after=retry_after)
        log.warning("outbox message %s failed: %s", message.id, error)
        with session_scope(self.engine) as session:
            marked = outbox.mark_failed(
                session=session,
                message_id=message.id,
                error=str(error),
                retry_at=retry_at,
                worker_id=self.worker_id,
            )
            if marked and permanent and isinstance(error, SlackApiError):
                self._tell_admin(session, message, str(error.response.get("error")))

    def _tell_admin(self, session: Session, message: OutboxMessage, code: str) -> None:
        """Report a permanent failure to the admin channel, once per error and target."""
        if not self.admin_channel or message.dedupe_key.startswith(ADMIN_KEY_PREFIX):
            return
        target = str(message.payload.get("channel") or message.payload.get("user") or "?")
        text = (
            self.admin_text(message.method, target, code)
            if self.admin_text is not None
            else f"{message.method} to {target} failed: {code}"
        )
        # Runs on a worker thread: no wake-up here; the next round picks the report up.
        outbox.enqueue(
            session=session,
            team_id=message.team_id,
            method="chat.postMessage",
            payload={"channel": self.admin_channel, "text": text},
            dedupe_key=f"{ADMIN_KEY_PREFIX}{code}:{target}",
        )
