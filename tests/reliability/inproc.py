"""A rep, a manager and account executives talking to the in-process bot, step by step."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from bot.standin.payloads import PayloadBuilder, SignedRequest
from bot.standin.server import SlackStandIn
from tests.reliability.conftest import ALERT_CHANNEL, REP, SECRET, AsgiBot, Database, rows

HOT = ["Budget approved", "Contact decides", "Clear pain", "This quarter"]


class Workspace:
    """Sends signed requests to an :class:`AsgiBot` and reads what the stand-in recorded.

    Args:
        bot: The in-process bot.
        standin: The Slack stand-in.
        database: The bot's database.
        team_id: The workspace the requests claim to come from.
    """

    def __init__(
        self, bot: AsgiBot, standin: SlackStandIn, database: Database, team_id: str | None = None
    ) -> None:
        self.bot = bot
        self.standin = standin
        self.database = database
        self.payloads = PayloadBuilder(
            SECRET, team_id=team_id or standin.team_id, response_base=standin.response_url_base
        )

    def send(self, request: SignedRequest) -> httpx.Response:
        response = self.bot.post(request.body, request.headers)
        self.bot.settle(0.02)
        return response

    def wait(self, predicate: Any, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            assert time.monotonic() < deadline, "timed out"
            self.bot.settle(0.05)

    def qualify(self, lead: str, channel: str, user: str = REP) -> str:
        """``/qualify lead`` and return the thread's ts once the first question is there."""
        response = self.send(
            self.payloads.command("/qualify", lead, user_id=user, channel_id=channel)
        )
        assert response.status_code == 200
        card = self.wait(
            lambda: next(
                (
                    m
                    for m in self.standin.messages(channel)
                    if m.get("bot_id") and m.get("thread_ts") in (None, m["ts"])
                ),
                None,
            )
        )
        self.wait(lambda: self.thread(channel, card["ts"]))
        return str(card["ts"])

    def thread(self, channel: str, card_ts: str) -> list[dict[str, Any]]:
        """The bot's replies in a thread."""
        return [
            m
            for m in self.standin.messages(channel, thread_ts=card_ts, include_root=False)
            if m.get("bot_id")
        ]

    def reply(self, channel: str, card_ts: str, text: str, user: str = REP) -> httpx.Response:
        ts = self.standin.post_user_message(channel, user, text, thread_ts=card_ts)
        return self.send(
            self.payloads.message(text, user_id=user, channel_id=channel, thread_ts=card_ts, ts=ts)
        )

    def click(
        self, message: dict[str, Any], action_id: str, user: str, channel: str
    ) -> httpx.Response:
        """Click the button ``action_id`` on ``message``."""
        element = next(
            e
            for block in message["blocks"]
            if block["type"] == "actions"
            for e in block["elements"]
            if e["action_id"] == action_id
        )
        return self.send(
            self.payloads.block_action(
                action_id,
                element["value"],
                user_id=user,
                channel_id=channel,
                message_ts=message["ts"],
                thread_ts=message.get("thread_ts"),
            )
        )

    def hot_lead(self, lead: str, channel: str) -> tuple[str, dict[str, Any]]:
        """Qualify ``lead`` as hot and return its thread ts and the alert."""
        card_ts = self.qualify(lead, channel)
        for number, answer in enumerate(HOT):
            self.wait(lambda n=number: len(self.thread(channel, card_ts)) > n)
            self.reply(channel, card_ts, answer)
        alert = self.wait(
            lambda: next(
                (
                    m
                    for m in self.standin.messages(ALERT_CHANNEL)
                    if m.get("bot_id")
                    and m.get("thread_ts") in (None, m["ts"])
                    and lead in m["text"]
                ),
                None,
            )
        )
        return card_ts, alert

    def state(self, channel: str) -> tuple[Any, ...]:
        """(status, machine_state, version, answers) of the thread's qualification."""
        found = rows(
            self.database,
            "SELECT q.status, q.machine_state, q.version, "
            "(SELECT count(*) FROM answer a WHERE a.qualification_id = q.id) "
            "FROM qualification q WHERE q.channel_id = :c",
            c=channel,
        )
        assert len(found) == 1
        return found[0]


def button_ids(message: dict[str, Any]) -> list[str]:
    """Action ids of the buttons on ``message``."""
    return [
        e["action_id"]
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for e in block["elements"]
    ]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
