"""What a service decided to say, sent after its transaction committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.services.context import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackCall:
    """One Web API call to make directly (re-derivable messages such as questions)."""

    method: str
    args: dict[str, Any]


@dataclass
class Outcome:
    """The result of a service step: direct calls, and whether the outbox got new messages."""

    calls: list[SlackCall] = field(default_factory=list)
    outbox_enqueued: bool = False

    def add(self, method: str, **args: Any) -> None:
        """Queue a direct Web API call."""
        self.calls.append(SlackCall(method, args))

    def post(self, channel: str, body: dict[str, Any], *, thread_ts: str | None = None) -> None:
        """Queue ``chat.postMessage`` of ``body`` (``text`` and ``blocks``)."""
        args: dict[str, Any] = {"channel": channel, **body}
        if thread_ts:
            args["thread_ts"] = thread_ts
        self.add("chat.postMessage", **args)

    def ephemeral(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> None:
        """Queue ``chat.postEphemeral`` of a plain line to ``user``."""
        args: dict[str, Any] = {"channel": channel, "user": user, "text": text}
        if thread_ts:
            args["thread_ts"] = thread_ts
        self.add("chat.postEphemeral", **args)

    def update(self, channel: str, ts: str, body: dict[str, Any]) -> None:
        """Queue ``chat.update`` of the message at ``ts``."""
        self.add("chat.update", channel=channel, ts=ts, **body)


async def deliver(services: Services, outcome: Outcome) -> None:
    """Make the outcome's calls in order and wake the outbox if it got messages.

    A failing call is logged and the rest still go out: each message stands on its own.
    """
    if outcome.outbox_enqueued:
        services.wake_outbox()
    for call in outcome.calls:
        try:
            await services.client.api_call(call.method, json=call.args)
        except SlackApiError as error:
            log.warning("%s failed: %s", call.method, error.response.get("error"))
        except Exception:
            log.exception("%s failed", call.method)
