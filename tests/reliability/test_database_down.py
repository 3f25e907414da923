"""Database unavailable: a throwaway PostgreSQL database is closed to connections (its open ones
terminated) while the bot runs, then opened again. Thread replies get no 200 while it is away
(Slack keeps the event and retries), commands tell the user to try again, nothing is
half-written, and a retry after the database is back takes effect once."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import create_web_app
from bot.standin.payloads import SignedRequest
from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn
from tests.e2e.conftest import _start_server, free_port
from tests.reliability.conftest import (
    REP,
    Database,
    bot_settings,
    make_sender,
    postgres_admin,
    rows,
    until,
)

CHANNEL = "CDBDOWN"
pytestmark = pytest.mark.postgres


def _set_open(database: Database, allowed: bool) -> None:
    """Allow or refuse new connections to ``database``; refusing also ends the open ones."""
    admin = postgres_admin()
    try:
        with admin.connect() as connection:
            flag = "true" if allowed else "false"
            connection.execute(text(f'ALTER DATABASE "{database.name}" ALLOW_CONNECTIONS {flag}'))
            if not allowed:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": database.name},
                )
    finally:
        admin.dispose()


@pytest.fixture
def bot_url(standin: SlackStandIn, postgres_database: Database, team_config: Path) -> Iterator[str]:
    port = free_port()
    server, thread = _start_server(
        create_web_app(bot_settings(standin, postgres_database, team_config)), port
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _set_open(postgres_database, True)
        server.should_exit = True
        thread.join(timeout=15)


def _deliver(sender: SlackSender, request: SignedRequest, retry: int) -> int:
    """Send ``request`` as Slack delivery number ``retry`` (0: the first); the status."""
    headers = dict(request.headers)
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_error"}
    return sender.send_raw(request.body, headers).status_code


def _bot_replies_in(standin: SlackStandIn, channel: str, card_ts: str) -> list[dict[str, Any]]:
    return [
        m
        for m in standin.messages(channel, thread_ts=card_ts, include_root=False)
        if m.get("bot_id")
    ]


def test_an_unavailable_database_refuses_replies_fails_commands_loudly_and_recovers(
    standin: SlackStandIn,
    postgres_database: Database,
    bot_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sender = make_sender(bot_url, standin)
    database = postgres_database
    first = sender.command("/qualify", "Before Outage AG", user_id=REP, channel_id=CHANNEL)
    assert first.status_code == 200
    card = until(lambda: standin.messages(CHANNEL))[0]
    until(lambda: _bot_replies_in(standin, CHANNEL, card["ts"]))
    calls_before = len(standin.calls())

    _set_open(database, False)
    ts = standin.post_user_message(CHANNEL, REP, "Budget approved", thread_ts=card["ts"])
    answer = sender.payloads.message(
        "Budget approved", user_id=REP, channel_id=CHANNEL, thread_ts=card["ts"], ts=ts
    )
    # A thread reply gets no 200: Slack keeps it and retries. Its three deliveries here are
    # refused alike, each with one line in the log rather than a traceback.
    caplog.set_level(logging.WARNING)
    refused = [_deliver(sender, answer, retry) for retry in range(3)]
    assert all(status >= 500 for status in refused), refused
    failures = [r for r in caplog.records if "Slack will retry" in r.getMessage()]
    assert len(failures) == 3
    assert not [
        r for r in caplog.records if r.exc_info and r.name.startswith(("slack_bolt", "bot.app"))
    ]
    # /lead answers at once with a line to try again.
    status = sender.command("/lead", "status Before Outage AG", user_id=REP, channel_id=CHANNEL)
    assert status.status_code == 200
    assert "try again" in status.text.lower()
    # /qualify stores before it answers: its answer is the line to try again, and no card.
    started = sender.command("/qualify", "During Outage AG", user_id=REP, channel_id="CDOWN2")
    assert started.status_code == 200
    assert "try again" in started.text.lower()
    assert standin.messages("CDOWN2") == []
    time.sleep(1.5)  # the outbox sender's rounds fail meanwhile and must not post anything
    new_posts = [
        c for c in standin.calls()[calls_before:] if c.method in ("chat.postMessage", "chat.update")
    ]
    assert new_posts == []

    _set_open(database, True)
    # Slack's next retry finds the database back: stored before its 200, and asked on.
    assert _deliver(sender, answer, 3) == 200
    assert rows(database, "SELECT count(*) FROM answer") == [(1,)]
    until(lambda: len(_bot_replies_in(standin, CHANNEL, card["ts"])) >= 2, timeout=30)
    assert "2 of 4" in _bot_replies_in(standin, CHANNEL, card["ts"])[-1]["text"]
    # Nothing of the failed /qualify was written.
    assert rows(database, "SELECT count(*) FROM qualification") == [(1,)]
    assert rows(database, "SELECT count(*) FROM lead") == [(1,)]
    # A later redelivery by Slack does nothing more.
    assert _deliver(sender, answer, 4) == 200
    time.sleep(0.5)
    assert rows(database, "SELECT count(*) FROM answer") == [(1,)]
    assert len(_bot_replies_in(standin, CHANNEL, card["ts"])) == 2
    # And a new /qualify works again.
    sender.command("/qualify", "After Outage AG", user_id=REP, channel_id="CDOWN3")
    card3 = until(lambda: standin.messages("CDOWN3"))[0]
    until(lambda: _bot_replies_in(standin, "CDOWN3", card3["ts"]))
    sender.close()
