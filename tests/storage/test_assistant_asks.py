"""What the bot waits to hear in an assistant thread: one ask per thread, a newer one wins,
read once, scoped by workspace, and forgotten when it went unanswered too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from storage import assistant_asks
from storage.db import session_scope
from storage.models import AssistantAsk

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WHERE = {"channel_id": "DREP", "thread_ts": "1700000000.000100"}


def _ask(engine: Engine, awaiting: str, *, team: str = "T1", at: datetime = NOW) -> None:
    with session_scope(engine) as session:
        assistant_asks.ask(
            session=session, team_id=team, user_id="UREP", awaiting=awaiting, now=at, **WHERE
        )


def _take(engine: Engine, *, team: str = "T1", at: datetime = NOW) -> str | None:
    with session_scope(engine) as session:
        return assistant_asks.take(session=session, team_id=team, now=at, **WHERE)


def _rows(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AssistantAsk)) or 0)


def test_an_ask_is_read_once_and_a_newer_one_wins(engine: Engine) -> None:
    assert _take(engine) is None
    _ask(engine, "lead")
    _ask(engine, "status")
    assert _rows(engine) == 1
    assert _take(engine, team="T2") is None  # another workspace's thread of the same ids
    assert _take(engine) == "status"
    assert _take(engine) is None
    assert _rows(engine) == 0


def test_an_ask_left_unanswered_too_long_is_forgotten(engine: Engine) -> None:
    _ask(engine, "lead", at=NOW - assistant_asks.ANSWER_WITHIN - timedelta(minutes=1))
    assert _take(engine) is None
    assert _rows(engine) == 0
    _ask(engine, "lead", at=NOW - assistant_asks.ANSWER_WITHIN + timedelta(minutes=1))
    assert _take(engine) == "lead"


def test_asks_nobody_answered_are_pruned_and_fresh_ones_kept(engine: Engine) -> None:
    _ask(engine, "lead", team="T1", at=NOW - assistant_asks.ANSWER_WITHIN - timedelta(minutes=1))
    _ask(engine, "status", team="T2", at=NOW - timedelta(minutes=5))
    with session_scope(engine) as session:
        assert assistant_asks.prune(session=session, now=NOW) == 1
    assert _rows(engine) == 1
    assert _take(engine, team="T1") is None
    assert _take(engine, team="T2") == "status"
