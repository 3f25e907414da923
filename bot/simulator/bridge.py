"""Turns what a person does on the simulator page into signed Slack requests to the bot.

A typed message is first stored in the stand-in (as Slack would show it) and then sent as a
``message`` event; a slash command, a click and a modal submission go out as Slack sends them, with
their ``response_url`` tied to the channel and person so the bot's answers show up in the right
place. Everything goes through :class:`AsyncSlackSender`, so the bot sees real signed requests.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from bot.simulator.people import CHANNELS, DM_TOPIC, PEOPLE
from bot.standin import ids
from bot.standin.responses import ResponseTarget
from bot.standin.sender import AsyncSlackSender
from bot.standin.server import SlackStandIn

WORKFLOW_COMMAND = "/workflow"
"""What the composer takes to run a workflow step, as a link trigger in Slack would start it."""


def as_typed_in_slack(text: str) -> str:
    """Encode typed text the way Slack delivers it: ``&<>`` escaped, ``@first-name`` as a mention.

    The bot then sees the same text it would get from Slack, live mention tokens included.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for person in PEOPLE:
        first = person.real_name.split(" ")[0]
        text = re.sub(rf"@(?:{first}|{person.name})\b", f"<@{person.id}>", text, flags=re.I)
    return text


def _ack_body(response: httpx.Response) -> dict[str, Any] | None:
    """Read what the bot put in its acknowledgement: nothing, plain text or a JSON message."""
    if response.status_code != 200 or not response.content.strip():
        return None
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        return body if isinstance(body, dict) else None
    return {"text": response.text}


class Bridge:
    """What the page can do, as Slack would deliver it to the bot.

    Args:
        standin: The Slack stand-in holding the workspace.
        sender: Signs and sends requests to the bot.
        language: The workspace's language, for the channel topics.
    """

    def __init__(
        self, standin: SlackStandIn, sender: AsyncSlackSender, *, language: str = "en"
    ) -> None:
        self.standin = standin
        self.sender = sender
        self.language = language

    async def send_text(
        self, user: str, channel: str, text: str, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """Post what ``user`` typed: a slash command, or a message (in a thread when given).

        Returns:
            ``{"status": <bot's HTTP status>, "ts": <message ts, for messages>}``.
        """
        if text.strip().casefold().startswith(WORKFLOW_COMMAND + " "):
            return await self.run_step(user, channel, text.strip()[len(WORKFLOW_COMMAND) :])
        text = as_typed_in_slack(text.strip())
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            request = self.sender.payloads.command(
                command, rest.strip(), user_id=user, channel_id=channel, user_name=user.lower()
            )
            url = request.info["response_url"]
            target = ResponseTarget(channel=channel, user=user, thread_ts=thread_ts)
            self.standin.register_response_url(url, target)
            response = await self.sender.send(request)
            ack = _ack_body(response)
            if ack is not None:
                self.standin.deliver_response(url, ack)
            return {"status": response.status_code}
        ts = self.standin.post_user_message(channel, user, text, thread_ts)
        response = await self.sender.message(
            text, user_id=user, channel_id=channel, thread_ts=thread_ts, ts=ts
        )
        return {"status": response.status_code, "ts": ts}

    async def run_step(self, user: str, channel: str, text: str) -> dict[str, Any]:
        """Run one of the app's Workflow Builder steps as a workflow started by ``user`` would.

        ``qualify <lead> [-- <framework>]`` runs "Qualify a lead" with ``user`` as the rep, in
        ``channel``; ``won <lead>`` and ``lost <lead> -- <reason>`` run "Record an outcome".

        Returns:
            ``{"status": <bot's HTTP status>, "run": <function_execution_id>}``, or
            ``{"status": 400}`` for text that names no step.
        """
        head, _, extra = text.partition(" -- ")
        kind, _, lead = head.strip().partition(" ")
        kind = kind.casefold()
        if kind == "qualify":
            callback_id = "qualify_lead"
            inputs = {"lead": lead.strip(), "rep": user, "channel": channel, "requested_by": user}
            if extra.strip():
                inputs["framework"] = extra.strip()
        elif kind in ("won", "lost"):
            callback_id = "record_outcome"
            inputs = {"lead": lead.strip(), "outcome": kind, "requested_by": user}
            if extra.strip():
                inputs["reason"] = extra.strip()
        else:
            return {"status": 400}
        run = self.standin.start_function(callback_id, inputs)
        response = await self.sender.function_executed(run)
        return {"status": response.status_code, "run": run["function_execution_id"]}

    async def click(self, user: str, action: dict[str, Any]) -> dict[str, Any]:
        """Send a ``block_actions`` for a button or select on a message, ephemeral or modal.

        Args:
            user: Who clicked.
            action: From the page: ``action_id``, ``block_id``, ``value`` or
                ``selected_option``, and where it sits: ``channel`` + ``message_ts`` (+
                ``thread_ts``, ``ephemeral_ts``) or ``view_id``.
        """
        trigger = ids.trigger_id()
        self.standin.register_trigger(trigger, user)
        view = None
        if action.get("view_id"):
            known = [v for v in self.standin.views() if v["view"]["id"] == action["view_id"]]
            view = known[0]["view"] if known else {"id": action["view_id"], "type": "modal"}
        channel = action.get("channel")
        message_ts = action.get("message_ts")
        message = None
        if channel and message_ts and not action.get("ephemeral_ts"):
            found = [m for m in self.standin.messages(channel) if m["ts"] == message_ts]
            message = found[0] if found else None
        request = self.sender.payloads.block_action(
            str(action["action_id"]),
            action.get("value"),
            user_id=user,
            user_name=user.lower(),
            channel_id=channel,
            message_ts=message_ts,
            thread_ts=action.get("thread_ts"),
            block_id=action.get("block_id"),
            trigger_id=trigger,
            selected_option=action.get("selected_option"),
            view=view,
            message=message,
        )
        if view is None and channel:
            target = ResponseTarget(
                channel=channel,
                user=user,
                thread_ts=action.get("thread_ts"),
                message_ts=message_ts,
                ephemeral_ts=action.get("ephemeral_ts"),
            )
            self.standin.register_response_url(request.info["response_url"], target)
        response = await self.sender.send(request)
        return {"status": response.status_code}

    async def submit(self, user: str, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit a modal; the bot may answer with field errors, which keep it open.

        Returns:
            ``{"status", "errors"}`` with the bot's ``response_action: errors`` map, if any.
        """
        known = [v for v in self.standin.views() if v["view"]["id"] == view_id]
        if not known:
            return {"status": 404, "errors": {}}
        view = known[0]["view"]
        response = await self.sender.view_submission(
            str(view.get("callback_id") or ""),
            values,
            user_id=user,
            private_metadata=str(view.get("private_metadata") or ""),
            view_id=view_id,
            view=view,
        )
        ack = _ack_body(response) or {}
        if ack.get("response_action") == "errors":
            return {"status": response.status_code, "errors": ack.get("errors") or {}}
        if response.status_code == 200:
            self.standin.close_view(view_id)
        return {"status": response.status_code, "errors": {}}

    def close(self, view_id: str) -> dict[str, Any]:
        """Dismiss a modal without submitting it."""
        self.standin.close_view(view_id)
        return {"status": 200}

    async def open_home(self, user: str) -> dict[str, Any]:
        """Open the App Home tab: the bot hears ``app_home_opened``."""
        response = await self.sender.app_home_opened(user)
        return {"status": response.status_code}

    async def open_assistant(self, user: str, context_channel: str | None) -> dict[str, Any]:
        """Open the AI-app side panel: a new assistant thread in ``user``'s DM with the bot,
        started as Slack starts it (the bot hears ``assistant_thread_started``).

        Returns:
            ``{"status", "channel", "thread_ts"}`` of the new thread.
        """
        known = {c.id for c in CHANNELS}
        thread = self.standin.start_assistant_thread(
            user, context_channel=context_channel if context_channel in known else None
        )
        response = await self.sender.assistant_thread_started(thread)
        return {
            "status": response.status_code,
            "channel": thread["channel_id"],
            "thread_ts": thread["thread_ts"],
        }

    def state(self, user: str) -> dict[str, Any]:
        """Everything the page shows to ``user``: channels, their DM, ephemerals, modal, Home."""
        dm = self.standin.workspace.dm_for(user)
        channels = [
            {
                "id": c.id,
                "name": c.name,
                "topic": c.topic_in(self.language),
                "messages": self.standin.messages(c.id),
            }
            for c in CHANNELS
        ]
        channels.append(
            {
                "id": dm,
                "name": "sdrbot",
                "topic": DM_TOPIC.get(self.language, DM_TOPIC["en"]),
                "dm": True,
                "messages": self.standin.messages(dm),
            }
        )
        views = [v for v in self.standin.views() if v["open"] and v["user"] in (user, None)]
        return {
            "seq": len(self.standin.workspace.log),
            "user": user,
            "people": [
                {"id": p.id, "name": p.name, "real_name": p.real_name, "role": p.role}
                for p in PEOPLE
            ],
            "channels": channels,
            "ephemerals": self.standin.ephemerals(user),
            "modal": views[-1]["view"] if views else None,
            "home": self.standin.home(user),
            "assistant_threads": [
                thread
                for message in self.standin.messages(dm)
                if message.get("subtype") == "assistant_app_thread"
                and (thread := self.standin.assistant_thread(dm, message["ts"])) is not None
            ],
        }


def dumps(data: Any) -> str:
    """JSON for the page."""
    return json.dumps(data, ensure_ascii=False)
