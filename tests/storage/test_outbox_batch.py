"""Staging several claimed calls of one step together."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import session_scope
from storage.models import OutboxMessage, utcnow
from storage.outbox import enqueue_claimed_many


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
