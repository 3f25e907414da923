"""What the bot may do in the stand-in, as Slack decides it: scopes, membership, read limits.

Slack grants an app the scopes of its manifest; a method needing another answers
``missing_scope``. The bot is a member only of the channels it was invited to or joined (and
of its DMs). It may post to a public channel it is not in only with ``chat:write.public``; it
may read only channels it is in. Apps outside Slack's Marketplace may call
``conversations.history`` and ``conversations.replies`` once a minute, 15 messages a call.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from bot.manifest import bot_scopes as manifest_scopes
from bot.standin.apicommon import ApiError
from bot.standin.assistant import SCOPES as ASSISTANT_SCOPES

READ_METHODS = ("conversations.history", "conversations.replies")


def _kind(channel: str) -> str:
    if channel.startswith("D"):
        return "im"
    if channel.startswith("G"):
        return "groups"
    return "channels"


def scope_needed(method: str, channel: str = "", *, users: int = 1) -> str | None:
    """The scope ``method`` needs on ``channel`` (None: none)."""
    kind = _kind(channel)
    if method.startswith("chat.") and method != "chat.getPermalink":
        return "chat:write"
    if method in READ_METHODS:
        return f"{kind}:history"
    if method in ("conversations.info", "conversations.members"):
        return f"{kind}:read"
    if method == "conversations.open":
        return "im:write" if users <= 1 else "mpim:write"
    return {
        "conversations.join": "channels:join",
        "users.info": "users:read",
        "usergroups.list": "usergroups:read",
        "usergroups.users.list": "usergroups:read",
        "reactions.add": "reactions:write",
        "files.getUploadURLExternal": "files:write",
        "files.completeUploadExternal": "files:write",
        # functions.completeSuccess / completeError need no scope: the run's own token or
        # the bot token may end it.
    }.get(method)


@dataclass
class ReadLimit:
    """Calls per window per read method, and messages per call."""

    calls: int = 1
    per_seconds: float = 60.0
    messages: int = 15


@dataclass
class Access:
    """The bot's scopes, its channels and its reads so far.

    Attributes:
        scopes: Granted bot scopes.
        members: Channels the bot is in (its DMs count without being listed).
        read_limit: The limit on history and replies.
    """

    scopes: frozenset[str] = field(default_factory=manifest_scopes)
    members: set[str] = field(default_factory=set)
    read_limit: ReadLimit = field(default_factory=ReadLimit)
    _reads: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def require(self, method: str, channel: str = "", *, users: int = 1) -> None:
        """Refuse with ``missing_scope`` when the method needs a scope not granted."""
        if method.startswith("assistant.threads."):
            # Slack takes assistant:write, or chat:write for the time being.
            if not ASSISTANT_SCOPES & self.scopes:
                raise ApiError("missing_scope")
            return
        needed = scope_needed(method, channel, users=users)
        if needed is not None and needed not in self.scopes:
            raise ApiError("missing_scope")

    def is_member(self, channel: str) -> bool:
        """Whether the bot is in ``channel``."""
        return channel.startswith("D") or channel in self.members

    def may_post(self, channel: str) -> None:
        """Refuse a post the bot may not make in ``channel``."""
        if self.is_member(channel):
            return
        if channel.startswith("G"):
            raise ApiError("channel_not_found")  # a private channel it is not in is invisible
        if "chat:write.public" not in self.scopes:
            raise ApiError("not_in_channel")

    def may_read(self, channel: str) -> None:
        """Refuse a read of a channel the bot is not in."""
        if not self.is_member(channel):
            raise ApiError("not_in_channel" if channel.startswith("C") else "channel_not_found")

    def take_read(self, method: str) -> float | None:
        """Count a read call; returns the seconds to wait when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            recent = [
                t for t in self._reads.get(method, []) if now - t < self.read_limit.per_seconds
            ]
            if len(recent) >= self.read_limit.calls:
                self._reads[method] = recent
                return max(1.0, self.read_limit.per_seconds - (now - recent[0]))
            recent.append(now)
            self._reads[method] = recent
            return None
