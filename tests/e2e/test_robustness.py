"""Durable messages survive Slack rate limits; the ``sdrbot serve`` command answers health."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import AE, ALERT_CHANNEL, SECRET, Rig, free_port
from tests.e2e.test_handoff_and_commands import _buttons, _hot_lead


def test_rate_limited_dm_is_retried_by_the_outbox_and_sent_once(rig: Rig) -> None:
    _card, alert = _hot_lead(rig, "Stark Industries")
    rig.standin.set_faults(rate_limited=1.0, retry_after=1, methods={"conversations.open"})
    accept = _buttons(alert)["handoff_accept"]
    rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    rig.wait(lambda: [c for c in rig.standin.calls("conversations.open") if c.status == 429])
    assert not [c for c in rig.standin.calls("conversations.open") if c.ok]
    rig.standin.set_faults()
    rig.wait(lambda: [c for c in rig.standin.calls("conversations.open") if c.ok], timeout=20)

    def dms() -> list[object]:
        """The account executive's handoff DMs (the rep is told of the accept by DM too)."""
        return [
            c
            for c in rig.standin.calls("chat.postMessage")
            if c.ok
            and str(c.args.get("channel", "")).startswith("D")
            and "Handoff summary" in str(c.args.get("text"))
        ]

    rig.wait(dms, timeout=10)
    time.sleep(1.5)
    assert len(dms()) == 1
    assert "Stark Industries" in json.dumps(dms()[0].args)  # type: ignore[attr-defined]


def test_sdrbot_serve_runs_as_a_process(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Generous: under a parallel test run the interpreter may take a while to import.
        deadline = time.monotonic() + 90
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode()[-2000:]) from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert response.status_code == 200
        unsigned = httpx.post(f"http://127.0.0.1:{port}/slack/events", content=b"{}", timeout=10)
        assert unsigned.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_reply_whose_transaction_fails_gets_no_200_and_takes_effect_on_slacks_retry(
    rig: Rig,
) -> None:
    import sqlite3

    from tests.e2e.conftest import CHANNEL, REP

    card_ts = rig.qualify("Fragile Co")
    database = rig.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        db.execute("ALTER TABLE processed_event RENAME TO processed_event_gone")
    ts = rig.standin.post_user_message(CHANNEL, REP, "Budget approved", thread_ts=card_ts)

    def send(retry_num: int | None = None) -> int:
        return rig.sender.message(
            "Budget approved",
            user_id=REP,
            channel_id=CHANNEL,
            thread_ts=card_ts,
            ts=ts,
            event_id="Ev-db",
            retry_num=retry_num,
        ).status_code

    # The step's transaction cannot commit: Slack gets no 200, and nothing is stored or said.
    assert not 200 <= send() < 300
    time.sleep(0.5)
    assert len(rig.bot_messages(CHANNEL, card_ts)) == 1
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM answer").fetchone() == (0,)
        db.execute("ALTER TABLE processed_event_gone RENAME TO processed_event")
    # Slack's retry comes once the database works: stored before its 200.
    assert send(retry_num=1) == 200
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM answer").fetchone() == (1,)
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) >= 2)
    assert "2 of 4" in rig.last_bot_text(card_ts)
    # Slack delivering the same event once more changes nothing.
    assert send(retry_num=2) == 200
    time.sleep(0.5)
    assert len(rig.bot_messages(CHANNEL, card_ts)) == 2
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM answer").fetchone() == (1,)
