"""Staging several claimed calls in one INSERT and marking them sent in one UPDATE."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import session_scope
from storage.models import OutboxMessage, utcnow
from storage.outbox import enqueue_claimed_many, mark_sent_many


def _stage(engine, keys: list[str], worker: str = "w1") -> list[int]:
    with session_scope(engine) as session:
        return enqueue_claimed_many(
            session=session,
            team_id="T1",
            calls=[("chat.postMessage", {"channel": "C1", "text": key}, key) for key in keys],
            worker_id=worker,
            now=utcnow(),
            lease_seconds=30,
        )


def _rows(engine) -> dict[int, OutboxMessage]:
    with session_scope(engine) as session:
        return {row.id: row for row in session.scalars(select(OutboxMessage))}


def test_ids_come_back_in_the_order_of_the_calls(engine):
    keys = [f"direct:{index}" for index in range(5)]
    ids = _stage(engine, keys)
    rows = _rows(engine)
    assert [rows[message_id].dedupe_key for message_id in ids] == keys
    assert {row.status for row in rows.values()} == {"sending"}
    assert {row.claimed_by for row in rows.values()} == {"w1"}
    assert rows[ids[0]].payload == {"channel": "C1", "text": "direct:0"}


def test_one_call_stages_one_row(engine):
    (only,) = _stage(engine, ["direct:single"])
    assert _rows(engine)[only].dedupe_key == "direct:single"


def test_mark_sent_many_marks_only_this_workers_claims(engine):
    mine = _stage(engine, ["a", "b"], worker="w1")
    theirs = _stage(engine, ["c"], worker="w2")
    with engine.begin() as connection:
        marked = mark_sent_many(
            connection=connection,
            sent=[(mine[0], {"ts": "1.1"}), (mine[1], {"ts": "1.2"}), (theirs[0], {"ts": "9"})],
            worker_id="w1",
        )
    rows = _rows(engine)
    assert marked == 2
    assert [rows[i].status for i in mine] == ["sent", "sent"]
    assert [rows[i].result for i in mine] == [{"ts": "1.1"}, {"ts": "1.2"}]
    assert all(rows[i].claimed_by is None and rows[i].sent_at is not None for i in mine)
    assert rows[theirs[0]].status == "sending" and rows[theirs[0]].claimed_by == "w2"


def test_mark_sent_many_leaves_sent_messages_alone(engine):
    (message_id,) = _stage(engine, ["once"])
    with engine.begin() as connection:
        first = mark_sent_many(connection=connection, sent=[(message_id, {})], worker_id="w1")
    with engine.begin() as connection:
        again = mark_sent_many(connection=connection, sent=[(message_id, {})], worker_id="w1")
    assert (first, again) == (1, 0)
