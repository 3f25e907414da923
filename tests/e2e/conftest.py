"""Fixtures: the Slack stand-in and the real bot served by uvicorn on a loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn

from bot.app import create_web_app
from bot.settings import Settings
from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn

SECRET = "e2e-signing-secret"
CHANNEL = "CSALES"
ALERT_CHANNEL = "CALERTS"
MANAGER_CHANNEL = "CMANAGERS"
REP = "UREP1"
OTHER_REP = "UREP2"
MANAGER = "UMGR1"
AE = "UAE1"
AE2 = "UAE2"
TEAM_CONFIG = f"""
people:
  managers: [{MANAGER}]
  account_executives: [{AE}, {AE2}]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Rig:
    """A running bot wired to a running stand-in."""

    standin: SlackStandIn
    sender: SlackSender
    bot_url: str
    database_url: str

    def bot_messages(self, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """The bot's messages in a channel or thread (thread root excluded), oldest first."""
        return (
            [
                m
                for m in self.standin.messages(channel, thread_ts=thread_ts, include_root=False)
                if m.get("bot_id")
            ]
            if thread_ts
            else [m for m in self.standin.messages(channel) if m.get("bot_id")]
        )

    def wait(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        return self.standin.wait_for(predicate, timeout=timeout)

    def qualify(self, text: str, *, user: str = REP, channel: str = CHANNEL) -> str:
        """Run ``/qualify`` and return the card's ts once the first question is in its thread."""
        before = {m["ts"] for m in self.standin.messages(channel)}
        response = self.sender.command("/qualify", text, user_id=user, channel_id=channel)
        assert response.status_code == 200
        card = self.wait(
            lambda: next(
                (
                    m
                    for m in self.standin.messages(channel)
                    if m["ts"] not in before and m.get("bot_id") and not m.get("thread_ts")
                ),
                None,
            )
        )
        self.wait(lambda: self.bot_messages(channel, card["ts"]))
        return str(card["ts"])

    def reply(
        self,
        card_ts: str,
        text: str,
        *,
        user: str = REP,
        channel: str = CHANNEL,
        wait_for_bot: bool = True,
        event_id: str | None = None,
    ) -> Any:
        """Type ``text`` in the thread and deliver the event; wait for the bot's next reply."""
        count = len(self.bot_messages(channel, card_ts))
        ts = self.standin.post_user_message(channel, user, text, thread_ts=card_ts)
        response = self.sender.message(
            text, user_id=user, channel_id=channel, thread_ts=card_ts, ts=ts, event_id=event_id
        )
        assert response.status_code == 200, response.text
        if wait_for_bot:
            self.wait(lambda: len(self.bot_messages(channel, card_ts)) > count)
            # Let the rest of this step's messages (card update, next question) land.
            time.sleep(0.15)
        return response

    def card(self, card_ts: str, channel: str = CHANNEL) -> dict[str, Any]:
        return next(m for m in self.standin.messages(channel) if m["ts"] == card_ts)

    def last_bot_text(self, card_ts: str, channel: str = CHANNEL) -> str:
        return str(self.bot_messages(channel, card_ts)[-1]["text"])


R = TypeVar("R", bound=Rig)


def _start_server(app: Any, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the bot server did not start")
        time.sleep(0.02)
    return server, thread


def make_rig(
    tmp_path: Path,
    *,
    language: str = "en",
    config: str = TEAM_CONFIG,
    rig_class: type[R] = Rig,  # type: ignore[assignment]  # the default rig is an R
    test_clock: bool = False,
    **settings: Any,
) -> Iterator[R]:
    """Start the stand-in and the bot; stop both afterwards.

    Args:
        tmp_path: Folder for the team config and the SQLite database.
        language: The bot's default language.
        config: The team config file's text.
        rig_class: The rig to hand out (a subclass adds helpers).
        test_clock: Deadlines on a manual clock moved by ``POST /test/clock``.
        **settings: More ``Settings`` fields.
    """
    standin = SlackStandIn().start()
    # The people speak the bot's language unless a test gives one a locale of their own.
    standin.set_default_locale("de-DE" if language == "de" else "en-US")
    config_path = tmp_path / "team.yaml"
    config_path.write_text(config, encoding="utf-8")
    database_url = f"sqlite:///{tmp_path / 'bot.db'}"
    bot_settings = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
        language=language,  # type: ignore[arg-type]
        config_path=str(config_path),
        **{"alert_channel": ALERT_CHANNEL, "manager_channel": MANAGER_CHANNEL, **settings},
    )
    port = free_port()
    server, thread = _start_server(create_web_app(bot_settings, test_clock=test_clock), port)
    url = f"http://127.0.0.1:{port}"
    sender = SlackSender(
        url, SECRET, team_id=standin.team_id, response_base=standin.response_url_base
    )
    try:
        yield rig_class(standin=standin, sender=sender, bot_url=url, database_url=database_url)
        # Every message, update and view the bot sent passes slack_sdk's Block Kit models.
        assert standin.block_kit_problems == []
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        standin.stop()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    yield from make_rig(tmp_path)


@pytest.fixture
def rig_de(tmp_path: Path) -> Iterator[Rig]:
    yield from make_rig(tmp_path, language="de")
