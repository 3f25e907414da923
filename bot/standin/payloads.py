"""Request bodies shaped like the ones Slack sends to an app's request URL.

Each builder returns a :class:`SignedRequest` (raw body plus signed headers) so that a sync and an
async sender can share them, and so tests can tamper with a request before sending it.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.standin import ids
from bot.standin.signing import signed_headers

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """A request body and the headers that go with it."""

    body: bytes
    headers: dict[str, str]
    info: dict[str, Any] = field(default_factory=dict)
    """What the builder generated (``ts``, ``event_id``, ``response_url``...), for the caller."""


def channel_type(channel_id: str) -> str:
    """Return the Events API ``channel_type`` for a channel id (``im``, ``group``, ``channel``)."""
    if channel_id.startswith("D"):
        return "im"
    if channel_id.startswith("G"):
        return "group"
    return "channel"


def _state_values(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Accept Slack's ``state.values`` shape, with bare strings taken as text input values."""
    shaped: dict[str, dict[str, Any]] = {}
    for block_id, actions in values.items():
        shaped[block_id] = {}
        for action_id, value in actions.items():
            if isinstance(value, str):
                value = {"type": "plain_text_input", "value": value}
            shaped[block_id][action_id] = dict(value)
    return shaped


class PayloadBuilder:
    """Builds signed Slack requests for one app in one workspace."""

    def __init__(
        self,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        response_base: str | None = None,
        team_domain: str = "sdrbot-local",
    ) -> None:
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.response_base = response_base.rstrip("/") if response_base else None
        self.team_domain = team_domain
        self.clock = ids.TsClock()

    def response_url(self) -> str:
        """Return a fresh ``response_url``, served by the stand-in when ``response_base`` is set."""
        token = uuid.uuid4().hex
        if self.response_base:
            return f"{self.response_base}/{token}"
        return f"https://hooks.slack.com/actions/{self.team_id}/{token}"

    def _signed(
        self, body: bytes, content_type: str, timestamp: str | int | None, **info: Any
    ) -> SignedRequest:
        headers = signed_headers(
            self.signing_secret, body, timestamp=timestamp, content_type=content_type
        )
        return SignedRequest(body=body, headers=headers, info=info)

    def _form_payload(
        self, payload: Mapping[str, Any], timestamp: str | int | None, **info: Any
    ) -> SignedRequest:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._signed(body, FORM, timestamp, payload=payload, **info)

    def _user(self, user_id: str, user_name: str | None) -> dict[str, str]:
        name = user_name or user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def command(
        self,
        command: str,
        text: str,
        *,
        user_id: str,
        channel_id: str,
        user_name: str | None = None,
        trigger_id: str | None = None,
        channel_name: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build a slash command request (form-encoded, as Slack sends it)."""
        response_url = self.response_url()
        fields = {
            "token": "verification-token-unused",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name or channel_id.lower(),
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command if command.startswith("/") else "/" + command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or ids.trigger_id(),
        }
        body = urlencode(fields).encode()
        return self._signed(body, FORM, timestamp, response_url=response_url, fields=fields)

    def event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Wrap an inner event in an ``event_callback`` envelope."""
        eid = event_id or ids.event_id()
        envelope = {
            "token": "verification-token-unused",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": dict(event),
            "type": "event_callback",
            "event_id": eid,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{eid}",
        }
        body = json.dumps(envelope).encode()
        return self._signed(body, JSON, timestamp, event_id=eid, envelope=envelope)

    def message(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str,
        thread_ts: str | None = None,
        ts: str | None = None,
        event_id: str | None = None,
        bot_id: str | None = None,
        subtype: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build a ``message`` event as a human (or, with ``bot_id``, a bot) posted it."""
        message_ts = ts or self.clock.next()
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel_id,
            "user": user_id,
            "text": text,
            "ts": message_ts,
            "event_ts": message_ts,
            "channel_type": channel_type(channel_id),
            "team": self.team_id,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
            event["parent_user_id"] = user_id
        if bot_id:
            event["bot_id"] = bot_id
        if subtype:
            event["subtype"] = subtype
        request = self.event(event, event_id=event_id, timestamp=timestamp)
        request.info["ts"] = message_ts
        return request

    def assistant_thread(
        self,
        assistant_thread: Mapping[str, Any],
        *,
        changed: bool = False,
        event_id: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build ``assistant_thread_started`` (``changed``: ``assistant_thread_context_changed``)
        for an ``assistant_thread`` object as ``SlackStandIn.start_assistant_thread`` gives it."""
        event = {
            "type": "assistant_thread_context_changed" if changed else "assistant_thread_started",
            "assistant_thread": copy.deepcopy(dict(assistant_thread)),
            "event_ts": self.clock.next(),
        }
        return self.event(event, event_id=event_id, timestamp=timestamp)

    def function_executed(
        self,
        run: Mapping[str, Any],
        *,
        event_id: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build ``function_executed`` for a run of a step (``SlackStandIn.start_function``)."""
        event = {
            "type": "function_executed",
            "function": copy.deepcopy(dict(run["function"])),
            "inputs": copy.deepcopy(dict(run.get("inputs") or {})),
            "function_execution_id": run["function_execution_id"],
            "workflow_execution_id": run.get("workflow_execution_id") or ids.random_id("Wx", 10),
            "event_ts": self.clock.next(),
            "bot_access_token": run["bot_access_token"],
        }
        return self.event(event, event_id=event_id, timestamp=timestamp)

    def app_home_opened(self, user_id: str, *, timestamp: str | int | None = None) -> SignedRequest:
        """Build an ``app_home_opened`` event for the Home tab."""
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": ids.dm_channel_id(user_id),
            "tab": "home",
            "event_ts": self.clock.next(),
        }
        return self.event(event, timestamp=timestamp)

    def app_uninstalled(self, *, timestamp: str | int | None = None) -> SignedRequest:
        """Build the ``app_uninstalled`` event: the workspace removed the app."""
        return self.event(
            {"type": "app_uninstalled", "event_ts": self.clock.next()}, timestamp=timestamp
        )

    def tokens_revoked(
        self,
        *,
        bot: list[str] | None = None,
        oauth: list[str] | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build ``tokens_revoked``: the user ids whose bot (or user) tokens were revoked."""
        event = {
            "type": "tokens_revoked",
            "tokens": {"oauth": list(oauth or []), "bot": list(bot or [])},
            "event_ts": self.clock.next(),
        }
        return self.event(event, timestamp=timestamp)

    def block_action(
        self,
        action_id: str,
        value: str | None,
        *,
        user_id: str,
        channel_id: str | None,
        message_ts: str | None,
        thread_ts: str | None = None,
        block_id: str | None = None,
        trigger_id: str | None = None,
        selected_option: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        container: Mapping[str, Any] | None = None,
        message: Mapping[str, Any] | None = None,
        user_name: str | None = None,
        timestamp: str | int | None = None,
        element_type: str = "button",
    ) -> SignedRequest:
        """Build a ``block_actions`` interaction (a button click or a select choice)."""
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id or "block",
            "action_ts": self.clock.next(),
        }
        if selected_option is not None:
            action["type"] = "static_select"
            action["selected_option"] = dict(selected_option)
        else:
            # ``feedback_buttons`` sends the clicked button's value like a button does.
            action["type"] = element_type
            action["value"] = value
        response_url = self.response_url()
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": "verification-token-unused",
            "trigger_id": trigger_id or ids.trigger_id(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": {}},
            "actions": [action],
        }
        if view is not None:
            payload["view"] = dict(view)
            payload["container"] = dict(container or {"type": "view", "view_id": view.get("id")})
        else:
            shown: dict[str, Any] = dict(message or {})
            shown.setdefault("type", "message")
            shown.setdefault("ts", message_ts)
            shown.setdefault("bot_id", BOT_ID)
            shown.setdefault("user", BOT_USER_ID)
            if thread_ts:
                shown.setdefault("thread_ts", thread_ts)
            payload["message"] = shown
            payload["channel"] = {"id": channel_id, "name": (channel_id or "").lower()}
            payload["response_url"] = response_url
            default_container: dict[str, Any] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": False,
            }
            if thread_ts:
                default_container["thread_ts"] = thread_ts
            payload["container"] = dict(container or default_container)
        return self._form_payload(payload, timestamp, response_url=response_url)

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[str, Mapping[str, Any]],
        *,
        user_id: str,
        private_metadata: str = "",
        view_id: str | None = None,
        view: Mapping[str, Any] | None = None,
        user_name: str | None = None,
        timestamp: str | int | None = None,
    ) -> SignedRequest:
        """Build a ``view_submission`` (a modal's Submit), ``values`` as in ``state.values``.

        ``view`` is the modal as opened (its title, blocks...); the submitted fields override it.
        """
        payload: dict[str, Any] = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": "verification-token-unused",
            "trigger_id": ids.trigger_id(),
            "view": {
                "id": view_id or (view or {}).get("id") or "V" + uuid.uuid4().hex[:10].upper(),
                "team_id": self.team_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": _state_values(values)},
                "hash": uuid.uuid4().hex[:16],
                "app_id": self.api_app_id,
                "bot_id": BOT_ID,
                "blocks": [],
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        if view is not None:
            payload["view"] = {**copy.deepcopy(dict(view)), **payload["view"]}
            payload["view"]["blocks"] = copy.deepcopy(list(view.get("blocks") or []))
        return self._form_payload(payload, timestamp)

    def url_verification(
        self, challenge: str | None = None, *, timestamp: str | int | None = None
    ) -> SignedRequest:
        """Build the ``url_verification`` handshake Slack sends when the request URL is set."""
        value = challenge or uuid.uuid4().hex
        body = json.dumps(
            {"token": "verification-token-unused", "challenge": value, "type": "url_verification"}
        ).encode()
        return self._signed(body, JSON, timestamp, challenge=value)
