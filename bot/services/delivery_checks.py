"""What a failed send means, and the rare check of a post whose outcome is unknown.

A 429 and a connection that was never made leave Slack untouched: the message is simply sent
again later. A timeout or a 5xx may come after Slack made the post, so before that message is
sent again the channel (or thread) is read for a copy carrying the message's outbox id (its
idempotency key) in its metadata. Slack lets apps outside its Marketplace read history and
replies once a minute, 15 messages at a time: a check reads only the seconds around the
uncertain attempt, each read method at most once a minute per sender, and a check that cannot
be made now is simply made later. Nothing else depends on reading a channel.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import message_metadata
from bot.services.lanes import DM_METHOD
from bot.services.workspaces import NotInstalled
from storage import outbox
from storage.models import OutboxMessage

METADATA_EVENT = message_metadata.OUTBOX_EVENT
"""Slack message metadata event type naming the outbox message a post came from."""
CHECKED_METHODS = frozenset({"chat.postMessage", DM_METHOD})
"""Methods that post anew when repeated; a card update (``chat.update``) is the same edit."""
CHECK_LIMIT = 15
"""Messages per read, Slack's limit for apps outside its Marketplace."""
READ_INTERVAL_SECONDS = 60.0
"""One ``conversations.history`` (and one ``conversations.replies``) call a minute."""
MARGIN_SECONDS = 2.0
"""Slack's clock and ours may differ this much around the uncertain attempt."""
LONG_WAIT = timedelta(minutes=5)
"""How long after an uncertain attempt a message that cannot be checked is sent again."""
TRANSIENT_CODES = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "request_timeout", "service_unavailable"}
)
"""Error codes of an ``ok: false`` answer that are worth another try."""
_CANNOT_CHECK = frozenset(
    {
        "not_in_channel",
        "missing_scope",
        "channel_not_found",
        "is_archived",
        "method_not_supported_for_channel_type",
        "restricted_action",
    }
)


@dataclass(frozen=True, slots=True)
class Permanent:
    """Slack refused the message for good (its error code)."""

    code: str


@dataclass(frozen=True, slots=True)
class Transient:
    """Try again later (not before ``retry_after`` seconds when Slack named them)."""

    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class Unknown(Transient):
    """Try again later; the attempt may have reached Slack."""


class RetryLater(Exception):
    """A handler's receiver said "not now" and when to come back (a 429's ``Retry-After``)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Refused(Exception):
    """A handler's receiver refused the message for good (``code`` names why)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class NotSent(Exception):
    """A step before the post failed (opening a DM): nothing was posted."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class CheckLater(Exception):
    """The check could not be made now; the message waits for it (it is never dropped)."""

    def __init__(self, at: datetime, reason: str) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason


def retry_after_of(error: SlackApiError) -> float | None:
    """Slack's ``Retry-After`` seconds of a 429, if it named them."""
    headers = getattr(error.response, "headers", None) or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    with contextlib.suppress(TypeError, ValueError):
        return max(0.0, float(raw))
    return None


def classify(handled_here: bool, error: Exception) -> Permanent | Transient:
    """What a failed send means.

    Args:
        handled_here: The method is sent by one of the sender's own handlers (a webhook, a
            CRM write): every failure but a :class:`Refused` is worth another try.
        error: What the attempt raised.

    Returns:
        :class:`Permanent`, :class:`Unknown` (the post may exist) or :class:`Transient`.
    """
    if handled_here:
        # A webhook's receiver or a CRM: only a refusal it names is final; the rest retries.
        if isinstance(error, Refused):
            return Permanent(error.code)
        if isinstance(error, RetryLater):
            return Transient(retry_after=error.retry_after)
        return Transient()
    sent = True
    if isinstance(error, NotSent):
        error, sent = error.error, False
    if isinstance(error, NotInstalled):
        return Permanent("not_installed")  # no token for the workspace: nothing was sent
    if isinstance(error, SlackApiError):
        status = int(getattr(error.response, "status_code", 200) or 200)
        code = str(error.response.get("error") or "")
        if status == 429 or code == "ratelimited":
            return Transient(retry_after=retry_after_of(error) or 1.0)
        if status >= 500 or code in TRANSIENT_CODES:
            return Unknown() if sent else Transient()
        return Permanent(code or f"http_{status}")
    if isinstance(error, aiohttp.ClientConnectorError) or not sent:
        return Transient()  # the request never left
    return Unknown()  # a timeout or a connection dropped mid-call


def unknown(message: OutboxMessage) -> bool:
    """Whether the message's last attempt may have reached Slack.

    True after a timeout or a 5xx, and when its sender died after marking the attempt
    (:func:`storage.outbox.mark_attempting`); a sender that died before that never called.
    """
    return bool((message.result or {}).get(outbox.ATTEMPT_KEY))


def attempt_start(started: float) -> float:
    """From when a post of an attempt started at ``started`` may be dated."""
    return started - MARGIN_SECONDS


class Checker:
    """Looks for a copy of an uncertain post, within Slack's limits on reading.

    Args:
        read_interval: Seconds between two reads with one method.
    """

    def __init__(self, read_interval: float = READ_INTERVAL_SECONDS) -> None:
        self.read_interval = read_interval
        self._next_read: dict[str, float] = {}
        self._joined: set[str] = set()

    async def join(self, client: AsyncWebClient, channel: str) -> None:
        """Join a public channel (once per sender), so that it can be read and posted to."""
        if channel not in self._joined:
            await client.conversations_join(channel=channel)
            self._joined.add(channel)

    async def find_copy(
        self, client: AsyncWebClient, message: OutboxMessage, payload: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Look for the post an uncertain attempt of ``message`` may have made.

        Args:
            client: The Web API client (without waits).
            message: The message; ``result["unknown"]`` names the attempt's seconds: from its
                start up to the read itself, unless an earlier read left the rest of a longer
                span to read.
            payload: Its payload without the sender's own keys.

        Returns:
            ``{"ts", "channel"}`` of the copy; None when Slack has none (send it now).

        Raises:
            CheckLater: The check must wait (the read limit, a fault of Slack's).
        """
        now = time.time()
        lo, end = (message.result or {})[outbox.ATTEMPT_KEY]
        # Read up to now, not up to when the attempt gave up: a post Slack made after the
        # caller stopped waiting is stamped later, and a copy missed is a copy posted twice.
        hi = now + MARGIN_SECONDS if end is None else end
        thread_ts = payload.get("thread_ts")
        read = "conversations.replies" if thread_ts else "conversations.history"
        slot = self._next_read.get(read, 0.0)
        if slot > now:
            raise CheckLater(datetime.fromtimestamp(slot, UTC), f"{read} waits for its slot")
        # Taken before any await: lanes check side by side and must not read all at once.
        self._next_read[read] = now + self.read_interval
        try:
            if message.method == DM_METHOD:
                opened = await client.conversations_open(users=payload["user"])
                channel = str(opened["channel"]["id"])
            else:
                channel = str(payload["channel"])
            if channel.startswith("C"):
                # A bot that posts with chat:write.public reads only channels it is in.
                await self.join(client, channel)
            args: dict[str, Any] = {
                "channel": channel,
                "oldest": f"{lo:.6f}",
                "latest": f"{hi:.6f}",
                "inclusive": True,
                "limit": CHECK_LIMIT,
                "include_all_metadata": True,
            }
            if thread_ts:
                found = await client.conversations_replies(ts=str(thread_ts), **args)
            else:
                found = await client.conversations_history(**args)
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            if code in _CANNOT_CHECK:
                return self._cannot_check(hi, now, code)
            if code == "thread_not_found":
                return None  # no thread, no copy in it; the post itself will say why
            wait = retry_after_of(error) if error.response.status_code == 429 else None
            if wait is not None:
                self._next_read[read] = max(self._next_read.get(read, 0.0), now + wait)
            # A check costs nothing to repeat: again at the next read slot, no backoff.
            at = max(self._next_read.get(read, 0.0), now + (wait or 0.0))
            reason = f"{read}: {code or error.response.status_code}"
            raise CheckLater(datetime.fromtimestamp(at, UTC), reason) from error
        except Exception as error:  # timeouts, connections: the check itself is retried
            at = max(self._next_read.get(read, 0.0), now + 1.0)
            reason = f"{read}: {type(error).__name__}"
            raise CheckLater(datetime.fromtimestamp(at, UTC), reason) from error
        for posted in found.get("messages") or []:
            if message_metadata.names_outbox_message(posted.get("metadata"), message.id):
                return {"ts": posted["ts"], "channel": posted.get("channel") or channel}
        messages = found.get("messages") or []
        if found.get("has_more") and messages:
            # More than a page in those seconds: read the rest of them next time (history
            # comes newest first, replies oldest first).
            if thread_ts:
                lo = max(lo, float(messages[-1]["ts"]))
            else:
                end = min(hi, float(messages[-1]["ts"]))
            message.result = {outbox.ATTEMPT_KEY: [lo, end]}
            slot = datetime.fromtimestamp(self._next_read[read], UTC)
            raise CheckLater(slot, f"{read}: more to read")
        return None

    def _cannot_check(self, attempted: float, now: float, why: str) -> None:
        """Send again once a long wait has passed since the uncertain attempt.

        Chosen over giving up: a missing alert is lost for good, while a copy posted twice
        is a visible nuisance. The wait lets a slow post show up in the meantime and keeps
        repeated faults from posting more than one copy every few minutes.
        """
        due = attempted + LONG_WAIT.total_seconds()
        if now < due:
            raise CheckLater(datetime.fromtimestamp(due, UTC), f"cannot check: {why}")
        return None
