"""A thread reply that Slack saw acknowledged is never lost: a worker killed before the reply's
transaction committed leaves it in its journal, and the next worker to start applies it, once."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import REP, BotProcess, Database, make_sender, rows, until

CHANNEL = "CJOURNAL"


def test_a_reply_acknowledged_by_a_worker_killed_before_its_commit_is_applied_on_restart(
    standin: SlackStandIn,
    sqlite_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    bot = bot_processes(sqlite_database)
    sender = make_sender(bot.url, standin)
    sender.command("/qualify", "Journal GmbH", user_id=REP, channel_id=CHANNEL)
    card = until(lambda: standin.messages(CHANNEL))[0]

    def bot_replies() -> list[dict[str, Any]]:
        replies = standin.messages(CHANNEL, thread_ts=card["ts"], include_root=False)
        return [m for m in replies if m.get("bot_id")]

    until(bot_replies)
    # The step's transaction cannot commit while the idempotency table is away.
    path = sqlite_database.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE processed_event RENAME TO processed_event_away")
    ts = standin.post_user_message(CHANNEL, REP, "Budget approved", thread_ts=card["ts"])
    answer = sender.payloads.message(
        "Budget approved", user_id=REP, channel_id=CHANNEL, thread_ts=card["ts"], ts=ts
    )
    assert sender.send(answer).status_code == 200
    time.sleep(0.5)  # the worker tries, fails, and waits to try again
    bot.kill()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE processed_event_away RENAME TO processed_event")
    assert rows(sqlite_database, "SELECT count(*) FROM answer") == [(0,)]
    assert len(bot_replies()) == 1

    bot.start()
    until(lambda: len(bot_replies()) >= 2, timeout=30)
    assert "2 of 4" in bot_replies()[-1]["text"]
    assert rows(sqlite_database, "SELECT count(*) FROM answer") == [(1,)]
    # Slack delivering it again, and another restart, change nothing.
    headers = {**answer.headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert sender.send_raw(answer.body, headers).status_code == 200
    bot.stop()
    bot.start()
    time.sleep(1.0)
    assert rows(sqlite_database, "SELECT count(*) FROM answer") == [(1,)]
    assert len(bot_replies()) == 2
    # The replayed journal was removed; the running worker keeps only its own, until it stops.
    assert len(list(bot.workdir.glob("*.turns/*.jsonl"))) == 1
    bot.stop()
    assert list(bot.workdir.glob("*.turns/*.jsonl")) == []
    sender.close()
