"""Thread replies are acknowledged before their transaction and applied together afterwards."""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.conftest import REP, Rig

LEADS = 10


def test_replies_are_acked_while_the_database_is_busy_and_each_lands_in_its_own_thread(
    rig: Rig,
) -> None:
    cards = {
        f"CBATCH{n}": rig.qualify(f"Batch Lead {n}", channel=f"CBATCH{n}") for n in range(LEADS)
    }
    replies = {
        channel: rig.standin.post_user_message(channel, REP, "Budget approved", thread_ts=card)
        for channel, card in cards.items()
    }
    # Another writer holds SQLite's write lock: no step can commit meanwhile.
    writer = sqlite3.connect(rig.database_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")

    def send(channel: str) -> tuple[int, float]:
        started = time.monotonic()
        response = rig.sender.message(
            "Budget approved",
            user_id=REP,
            channel_id=channel,
            thread_ts=cards[channel],
            ts=replies[channel],
        )
        return response.status_code, time.monotonic() - started

    try:
        with ThreadPoolExecutor(max_workers=LEADS) as pool:
            answered = list(pool.map(send, cards))
        time.sleep(0.5)
        assert [status for status, _ in answered] == [200] * LEADS
        # Answered while the lock is still held (it is let go only below), within Slack's 3 s.
        assert max(seconds for _, seconds in answered) < 3.0
        assert all(len(rig.bot_messages(c, card)) == 1 for c, card in cards.items())
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    # The queued replies are applied (together) once the lock is free, each in its own thread.
    for channel, card in cards.items():
        rig.wait(lambda channel=channel, card=card: len(rig.bot_messages(channel, card)) >= 2)
        assert "2 of 4" in rig.last_bot_text(card, channel)
    time.sleep(0.3)
    assert all(len(rig.bot_messages(c, card)) == 2 for c, card in cards.items())
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        stored = db.execute(
            "SELECT q.channel_id, count(a.id) FROM qualification q "
            "JOIN answer a ON a.qualification_id = q.id GROUP BY q.channel_id"
        ).fetchall()
    assert dict(stored) == dict.fromkeys(cards, 1)
