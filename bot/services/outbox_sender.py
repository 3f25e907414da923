"""Sends the durable outbox: one road for every message the bot must not lose.

A message is a row written in the transaction of the step that decided it. After the commit it
is sent by the sender that staged it (:meth:`OutboxSender.send_staged`) or, if that one died or
the send must wait, by the loop that claims due rows (any worker, under a lease).

Messages travel in lanes (:mod:`bot.services.lanes`): one per channel and thread, side by
side. Waiting is never a sleep: a 429 closes its method and channel until ``Retry-After`` has
passed and the message (with the rest of its lane) goes back to the outbox, due then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.services import delivery_checks, message_metadata
from bot.services.delivery_checks import CheckLater, Permanent, Unknown, classify
from bot.services.lanes import DM_METHOD, Lanes
from bot.services.workspaces import Workspaces
from storage import outbox
from storage.db import session_scope
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

META_KEY = "__meta"
"""Payload key the sender strips before calling Slack; handed to the after-send hook."""
METADATA_EVENT = delivery_checks.METADATA_EVENT
"""Slack message metadata event type naming the outbox message a post came from."""

ADMIN_KEY_PREFIX = "admin:delivery:"
"""Dedupe key prefix of failure reports; a failing report is never reported again."""
AdminText = Callable[[str, str, str], str]
"""Renders a failure report from (method, channel or user, Slack error code)."""

AfterSend = Callable[
    [Session, OutboxMessage, dict[str, Any], dict[str, Any] | None], list["Staged"]
]
"""Hook run in the transaction that records a message with ``__meta`` as sent (result: what
Slack answered) or as failed for good (result None): (session, message, meta, result). It
returns the messages it staged in that transaction, which the sender then sends."""
Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
"""Sends the payload of a non-Slack method (e.g. ``webhook``); raising means retry later."""


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
        client: Slack Web API client; the sender calls Slack through a sibling of it (same
            token, URL and HTTP session) whose only retry is a connection never made, so a
            429 or a 5xx comes back at once to be scheduled here instead of waited out.
        after_send: Optional hook run when a message with ``__meta`` is sent or failed for
            good (:data:`AfterSend`).
        handlers: Senders for methods that are not Slack calls, by method name.
        poll_seconds: How often to look for due messages without being woken.
        admin_channel: Where a permanent delivery failure is reported, once per error and
            target (None: only logged).
        admin_text: Renders that report.
        lease_seconds: How long a claim holds; longer than the slowest Web API call, or
            another sender would take the message over while it is in flight.
        read_interval: Seconds between two reads of a channel (or of threads) when checking
            posts whose outcome is unknown; Slack allows one a minute.
        workspaces: Each workspace's bot token: a message is sent with the token of the
            workspace it belongs to (its ``team_id``); by default ``client``'s for all.
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
        read_interval: float = delivery_checks.READ_INTERVAL_SECONDS,
        workspaces: Workspaces | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.after_send = after_send
        self.handlers = dict(handlers or {})
        self.poll_seconds = poll_seconds
        self.admin_channel = admin_channel
        self.admin_text = admin_text
        self.lease_seconds = lease_seconds
        self.workspaces = workspaces or Workspaces()
        self.worker_id = f"outbox-{uuid.uuid4().hex[:12]}"
        self.checks = delivery_checks.Checker(read_interval)
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._sibling: AsyncWebClient | None = None
        self._lanes = Lanes(self._attempt, self._release)
        # Method and channel closed by a 429, until this wall-clock time.
        self._closed: dict[tuple[str, str], float] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask the loop to look for due messages now."""
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        """Start the loop on the running event loop (idempotent)."""
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Stop the loop, give the lanes a moment to finish what they send, then stop them."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._lanes.stop(grace_seconds)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                await self._claim_and_queue()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the loop alive; the database may come back
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

    async def _claim_and_queue(self) -> list[asyncio.Future[None]]:
        claimed = await asyncio.to_thread(self._claim)
        return [self._lanes.queue(message) for message in claimed]

    async def send_due(self) -> int:
        """Claim what is due now and wait until each claimed message was handled.

        Returns:
            How many messages were claimed.
        """
        handled = await self._claim_and_queue()
        await asyncio.gather(*handled)
        return len(handled)

    def _claim(self) -> list[OutboxMessage]:
        with session_scope(self.engine) as session:
            return outbox.claim_due(
                session=session,
                worker_id=self.worker_id,
                now=datetime.now(UTC),
                lease_seconds=self.lease_seconds,
            )

    # -- staging -----------------------------------------------------------------------------

    def stage_many(
        self, session: Session, *, team_id: str, calls: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[Staged]:
        """Write Web API calls into the outbox, claimed by this sender, in the caller's
        transaction; send them with :meth:`send_staged` once that transaction committed.

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
        """Send staged calls in their lanes and wait until each was sent or handed back.

        Each is marked sent by its own transaction once Slack took it; one that must wait
        (a rate limit, a fault) goes back to the outbox, due when it may be tried again.

        Args:
            staged: The staged calls, in sending order.
        """
        await asyncio.gather(*self._queue_staged(staged))

    def _queue_staged(self, staged: list[Staged]) -> list[asyncio.Future[None]]:
        now = datetime.now(UTC)
        # Built without validation: every field was just written by ``stage_many``.
        return [
            self._lanes.queue(
                OutboxMessage.model_construct(
                    id=call.id,
                    team_id=call.team_id,
                    method=call.method,
                    payload=call.payload,
                    dedupe_key=call.dedupe_key,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            for call in staged
        ]

    async def _release(self, messages: list[OutboxMessage], at: datetime) -> None:
        ids = [message.id for message in messages if message.id is not None]

        def release() -> None:
            with session_scope(self.engine) as session:
                outbox.release(session=session, message_ids=ids, at=at, worker_id=self.worker_id)

        await asyncio.to_thread(release)

    # -- one attempt -------------------------------------------------------------------------

    async def _attempt(self, message: OutboxMessage) -> datetime | None:
        """Send (or check, then send) one message and record what happened.

        Returns:
            None when the message is done with (sent, or failed for good); else when it is
            due again.
        """
        payload = dict(message.payload)
        meta = payload.pop(META_KEY, None) or {}
        gate = self._gate(message.method, payload)
        closed_until = self._closed.get(gate, 0.0)
        if closed_until > time.time():
            at = datetime.fromtimestamp(closed_until, UTC)
            await self._release([message], at)
            return at
        started = time.time()
        try:
            found = None
            checked = message.method in delivery_checks.CHECKED_METHODS
            if checked and delivery_checks.unknown(message):
                found = await self.checks.find_copy(self._slack(message.team_id), message, payload)
            if found is None:
                started = time.time()
                if checked and not await asyncio.to_thread(self._attempting, message, started):
                    return None  # no longer ours: whoever took it over sends it
            result = found or await self._call(
                message.method, payload, key=message.id, team_id=message.team_id
            )
        except CheckLater as later:
            return await asyncio.to_thread(self._check_later, message, later)
        except Exception as error:
            verdict = classify(message.method in self.handlers, error)
            retry_after = getattr(verdict, "retry_after", None)
            if retry_after is not None:
                # Slack limits the method in this channel: nothing goes there before then.
                self._closed[gate] = max(self._closed.get(gate, 0.0), time.time() + retry_after)
            retry_at, staged = await asyncio.to_thread(
                self._failed, message, meta, error, verdict, started
            )
            self._follow(staged)
            return retry_at
        self._follow(await asyncio.to_thread(self._sent, message, meta, result))
        return None

    def _follow(self, staged: list[Staged]) -> None:
        """Send what the after-send hook staged, in their own lanes (not waited for here)."""
        self._queue_staged(staged)

    def _gate(self, method: str, payload: dict[str, Any]) -> tuple[str, str]:
        """What a 429 closes: Slack limits each method per channel."""
        if method == DM_METHOD:
            return ("chat.postMessage", f"dm:{payload.get('user')}")
        return (method, str(payload.get("channel") or ""))

    def _slack(self, team_id: str) -> AsyncWebClient:
        """The app's client without its waits: same token (the workspace's), base URL and HTTP
        session.

        Its only retry is a connection that was never made (nothing reached Slack). A 429, a
        5xx or a timeout comes back at once: the sender schedules the next attempt (and
        checks first when the post may have been made) rather than sleep or post twice.
        """
        session = self.client.session
        if self._sibling is None or self._sibling.session is not session:
            self._sibling = AsyncWebClient(
                token=self.client.token,
                base_url=self.client.base_url,
                timeout=self.client.timeout,
                session=session,
                retry_handlers=[
                    AsyncConnectionErrorRetryHandler(
                        max_retry_count=2, error_types=[aiohttp.ClientConnectorError]
                    )
                ],
            )
        return self.workspaces.client(team_id, self._sibling)

    async def _call(
        self, method: str, payload: dict[str, Any], *, key: int | None = None, team_id: str = ""
    ) -> dict[str, Any]:
        """Make the call; a post carries its outbox id (its idempotency key) in its metadata,
        next to the event its staging service put there (:mod:`message_metadata`)."""
        if method in self.handlers:
            return await self.handlers[method](payload)
        client = self._slack(team_id)
        if method == DM_METHOD:
            user = payload.pop("user")
            try:
                opened = await client.conversations_open(users=user)
            except Exception as error:  # nothing was posted, whatever happened to the open
                raise delivery_checks.NotSent(error) from error
            payload["channel"] = opened["channel"]["id"]
            method = "chat.postMessage"
        if method == "chat.postMessage" and key is not None:
            payload["metadata"] = message_metadata.with_outbox_id(payload.get("metadata"), key)
        try:
            response = await client.api_call(method, json=payload)
        except SlackApiError as error:
            channel = str(payload.get("channel") or "")
            if error.response.get("error") != "not_in_channel" or not channel.startswith("C"):
                raise
            # Posting to a public channel without chat:write.public needs membership: join
            # (channels:join) and post again; a join that fails is the permanent error.
            await self.checks.join(client, channel)
            response = await client.api_call(method, json=payload)
        data = response.data if isinstance(response.data, dict) else {}
        return {key: data[key] for key in ("ts", "channel", "permalink") if key in data}

    # -- recording ---------------------------------------------------------------------------

    def _attempting(self, message: OutboxMessage, started: float) -> bool:
        """Mark the attempt in the row before the call (False: the claim is gone).

        Only a post can be made twice; a sender that dies before this mark never called, so
        whoever takes the message over sends it at once instead of reading Slack first.
        """
        assert message.id is not None
        since = delivery_checks.attempt_start(started)
        with session_scope(self.engine) as session:
            return outbox.mark_attempting(
                session=session, message_id=message.id, worker_id=self.worker_id, since=since
            )

    def _sent(
        self, message: OutboxMessage, meta: dict[str, Any], result: dict[str, Any]
    ) -> list[Staged]:
        assert message.id is not None
        with session_scope(self.engine) as session:
            marked = outbox.mark_sent(
                session=session, message_id=message.id, result=result, worker_id=self.worker_id
            )
            if marked and self.after_send is not None and meta:
                return self.after_send(session, message, meta, result)
        return []

    def _check_later(self, message: OutboxMessage, later: CheckLater) -> datetime:
        assert message.id is not None
        with session_scope(self.engine) as session:
            outbox.mark_failed(
                session=session,
                message_id=message.id,
                error=f"{outbox.OUTCOME_UNKNOWN}: check later: {later.reason}"[:500],
                retry_at=later.at,
                worker_id=self.worker_id,
                result=message.result,
                count_attempt=False,
            )
        return later.at

    def _failed(
        self,
        message: OutboxMessage,
        meta: dict[str, Any],
        error: Exception,
        verdict: Permanent | delivery_checks.Transient,
        started: float,
    ) -> tuple[datetime | None, list[Staged]]:
        assert message.id is not None
        now = datetime.now(UTC)
        log.warning("outbox message %s failed: %r", message.id, error)
        result = None
        # A 429 says "not now", not "this message fails": it does not grow the backoff.
        counted = True
        if isinstance(verdict, Permanent):
            retry_at = None
            text = str(error)
        else:
            if verdict.retry_after is not None:
                # Slack said when: that, not a backoff that grows with every 429.
                retry_at = now + outbox.retry_delay(0, base_seconds=verdict.retry_after)
                counted = False
            else:
                retry_at = outbox.next_retry_at(message, now)
            text = f"{type(error).__name__}: {error}"
            if isinstance(verdict, Unknown) and message.method in delivery_checks.CHECKED_METHODS:
                # The post may have been made: say so, and when, for the check before resending.
                text = f"{outbox.OUTCOME_UNKNOWN}: {text}"
                result = outbox.attempt_mark(delivery_checks.attempt_start(started))
        with session_scope(self.engine) as session:
            marked = outbox.mark_failed(
                session=session,
                message_id=message.id,
                error=text,
                retry_at=retry_at,
                worker_id=self.worker_id,
                result=result,
                count_attempt=counted,
            )
            if marked and isinstance(verdict, Permanent):
                self._tell_admin(session, message, verdict.code)
                if self.after_send is not None and meta:
                    return retry_at, self.after_send(session, message, meta, None)
        return retry_at, []

    def _tell_admin(self, session: Session, message: OutboxMessage, code: str) -> None:
        """Report a permanent failure to the admin channel, once per error and target."""
        if not self.admin_channel or message.dedupe_key.startswith(ADMIN_KEY_PREFIX):
            return
        payload = message.payload
        target = str(payload.get("channel") or payload.get("user") or payload.get("target") or "?")
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
