"""The read side of the stand-in: recorded calls, stored messages, waiting and live changes."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from bot.standin.faults import RecordedCall
from bot.standin.store import Change, StoredMessage, Subscriber, Workspace


class WorkspaceQueries:
    """What tests and the simulator ask the stand-in; mixed into ``SlackStandIn``."""

    workspace: Workspace
    team_id: str
    _calls: list[RecordedCall]

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Return recorded calls, oldest first, optionally only those of ``method``."""
        with self.workspace.lock:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(
        self, channel: str, *, thread_ts: str | None = None, include_root: bool = True
    ) -> list[dict[str, Any]]:
        """Return a channel's messages in Slack's shape, oldest first.

        Args:
            channel: The channel id.
            thread_ts: Only this thread (root and replies) when given.
            include_root: With ``thread_ts``, whether to include the thread's root message.
        """
        with self.workspace.lock:
            stored = self.workspace.channels.get(channel, [])
            if thread_ts is not None:
                stored = [
                    m
                    for m in self.workspace.thread(channel, thread_ts)
                    if include_root or m.ts != thread_ts
                ]
            return [m.to_slack() for m in stored]

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        """Return ephemeral messages, optionally only those shown to ``user``."""
        with self.workspace.lock:
            return [
                copy.deepcopy(e)
                for e in self.workspace.ephemerals
                if user is None or e["user"] == user
            ]

    def responses(self) -> list[dict[str, Any]]:
        """Return what was posted to ``response_url`` endpoints, oldest first."""
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.responses)

    def views(self) -> list[dict[str, Any]]:
        """Return opened modals as ``{"view", "user", "open"}``."""
        with self.workspace.lock:
            return copy.deepcopy(list(self.workspace.views.values()))

    def home(self, user: str) -> dict[str, Any] | None:
        """Return the Home tab view last published for ``user``."""
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.homes.get(user))

    def files(self) -> dict[str, dict[str, Any]]:
        """Return uploaded files by id, with their bytes under ``data``."""
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.files)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate()`` returns something truthy and return it.

        Raises:
            TimeoutError: When it stays falsy for ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self.workspace.changed:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout} s")
                # Wake on every change, and poll too in case the predicate reads elsewhere.
                self.workspace.changed.wait(min(remaining, 0.05))

    def start_assistant_thread(
        self, user_id: str, *, context_channel: str | None = None
    ) -> dict[str, Any]:
        """Open the AI-app side panel for ``user_id``: the thread's root in their DM with the
        bot, as Slack adds it, and the ``assistant_thread`` object its events carry."""
        channel = self.workspace.dm_for(user_id)
        with self.workspace.lock:
            ts = self.workspace.clock.next()
            root = StoredMessage(
                channel=channel,
                ts=ts,
                text=f"Chats from {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
                user=user_id,
                thread_ts=ts,
                subtype="assistant_app_thread",
            )
            self.workspace.add_message(root)
            context: dict[str, Any] = {"team_id": self.team_id, "enterprise_id": None}
            if context_channel:
                context["channel_id"] = context_channel
            thread = {
                "user_id": user_id,
                "context": context,
                "channel_id": channel,
                "thread_ts": ts,
            }
            self.workspace.assistant_threads[(channel, ts)] = {
                **copy.deepcopy(thread),
                "prompts": [],
                "status": "",
                "title": "",
            }
            return thread

    def assistant_thread(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        """What the app set on an assistant thread: ``prompts``, ``status``, ``title``."""
        with self.workspace.lock:
            found = self.workspace.assistant_threads.get((channel, thread_ts))
            return copy.deepcopy(found) if found is not None else None

    def metadata(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The metadata stored on a message (None: no such message, or none on it)."""
        with self.workspace.lock:
            message = self.workspace.find(channel, ts)
            return copy.deepcopy(message.metadata) if message is not None else None

    def post_user_message(
        self, channel: str, user: str, text: str, thread_ts: str | None = None
    ) -> str:
        """Store a message a human wrote and return its ts (Slack would then send an event)."""
        with self.workspace.lock:
            message = StoredMessage(
                channel=channel,
                ts=self.workspace.clock.next(),
                text=text,
                user=user,
                thread_ts=thread_ts,
            )
            self.workspace.add_message(message)
            return message.ts

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(change)`` on every store change; returns a function that unsubscribes.

        The callback runs on the thread that made the change: keep it short and thread-safe.
        """
        with self.workspace.lock:
            self.workspace.subscribers.append(callback)

        def unsubscribe() -> None:
            with self.workspace.lock:
                if callback in self.workspace.subscribers:
                    self.workspace.subscribers.remove(callback)

        return unsubscribe

    def changes_since(self, seq: int) -> list[Change]:
        """Return store changes numbered above ``seq`` (for polling)."""
        return self.workspace.changes_since(seq)
