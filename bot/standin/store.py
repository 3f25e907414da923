"""The stand-in's workspace: channels and their messages, ephemerals, views, Home tabs, files.

All access goes through one lock because the HTTP server's event loop thread writes while tests and
the simulator read from other threads. Every change is appended to a numbered change log and handed
to subscribers, which is how the simulator updates its page.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.standin.ids import TsClock, dm_channel_id

Change = dict[str, Any]
"""One store change: ``{"seq", "kind", ...}`` where ``kind`` names what happened."""

Subscriber = Callable[[Change], None]


@dataclass
class StoredMessage:
    """One message in a channel, as ``conversations.replies`` would show it."""

    channel: str
    ts: str
    text: str
    user: str | None = None
    bot_id: str | None = None
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    reply_count: int = 0
    reply_users: list[str] = field(default_factory=list)
    latest_reply: str | None = None
    updated: bool = False
    reactions: dict[str, list[str]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    subtype: str | None = None

    def to_slack(self, *, with_metadata: bool = False) -> dict[str, Any]:
        """Return the message in Slack's JSON shape.

        Args:
            with_metadata: Include the message ``metadata``, as Slack does only when asked
                with ``include_all_metadata``.
        """
        shaped: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text}
        if self.subtype:
            shaped["subtype"] = self.subtype
        if self.user:
            shaped["user"] = self.user
        if self.bot_id:
            shaped["bot_id"] = self.bot_id
        if self.blocks:
            shaped["blocks"] = copy.deepcopy(self.blocks)
        if self.thread_ts:
            shaped["thread_ts"] = self.thread_ts
        if self.thread_ts == self.ts or self.reply_count:
            shaped["reply_count"] = self.reply_count
            shaped["reply_users"] = list(self.reply_users)
            shaped["latest_reply"] = self.latest_reply
        if self.updated:
            shaped["edited"] = {"user": self.user, "ts": self.ts}
        if self.reactions:
            shaped["reactions"] = [
                {"name": name, "users": list(users), "count": len(users)}
                for name, users in self.reactions.items()
            ]
        if self.files:
            shaped["files"] = copy.deepcopy(self.files)
        if with_metadata and self.metadata:
            shaped["metadata"] = copy.deepcopy(self.metadata)
        shaped["channel"] = self.channel
        return shaped


@dataclass
class Workspace:
    """Everything the stand-in remembers. Use its methods under :attr:`lock`."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    changed: threading.Condition = field(init=False)
    clock: TsClock = field(default_factory=TsClock)
    channels: dict[str, list[StoredMessage]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    dms: dict[str, str] = field(default_factory=dict)
    assistant_threads: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Assistant threads by (DM channel, thread ts): person, context, prompts, status, title."""
    log: list[Change] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def clear(self) -> None:
        """Forget every message, view and file (subscribers stay)."""
        with self.lock:
            for name in ("channels", "homes", "files", "views", "dms", "assistant_threads"):
                getattr(self, name).clear()
            self.ephemerals.clear()
            self.responses.clear()
            self.emit({"kind": "reset"})

    def emit(self, change: Change) -> Change:
        """Record a change, wake waiters and tell subscribers."""
        with self.lock:
            change = {"seq": len(self.log) + 1, "at": time.time(), **change}
            self.log.append(change)
            self.changed.notify_all()
            subscribers = list(self.subscribers)
        for subscriber in subscribers:
            subscriber(change)
        return change

    def changes_since(self, seq: int) -> list[Change]:
        """Return the changes numbered above ``seq``."""
        with self.lock:
            return [copy.deepcopy(c) for c in self.log[seq:]]

    def dm_for(self, user_id: str) -> str:
        """Return (creating it if needed) the bot's DM channel with ``user_id``."""
        with self.lock:
            if user_id not in self.dms:
                self.dms[user_id] = dm_channel_id(user_id)
                self.channels.setdefault(self.dms[user_id], [])
            return self.dms[user_id]

    def find(self, channel: str, ts: str) -> StoredMessage | None:
        """Return the message at ``ts`` in ``channel``, if any."""
        with self.lock:
            for message in self.channels.get(channel, []):
                if message.ts == ts:
                    return message
            return None

    def add_message(self, message: StoredMessage) -> StoredMessage:
        """Store a new message; a reply bumps its thread root's counters."""
        with self.lock:
            self.channels.setdefault(message.channel, []).append(message)
            parent = None
            if message.thread_ts and message.thread_ts != message.ts:
                parent = self.find(message.channel, message.thread_ts)
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.reply_count += 1
                parent.latest_reply = message.ts
                author = message.user or message.bot_id or ""
                if author not in parent.reply_users:
                    parent.reply_users.append(author)
            self.emit({"kind": "message", "message": message.to_slack()})
            return message

    def thread(self, channel: str, thread_ts: str) -> list[StoredMessage]:
        """Return a thread's root (if stored) followed by its replies, oldest first."""
        with self.lock:
            return [
                m
                for m in self.channels.get(channel, [])
                if m.ts == thread_ts or m.thread_ts == thread_ts
            ]
