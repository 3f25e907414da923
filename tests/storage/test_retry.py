"""run_in_transaction reruns a unit of work that lost a race, and only then."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from storage.db import make_engine, prepare, session_scope
from storage.events import claim_event
from storage.models import AnswerCreate
from storage.qualifications import get_qualification, save_step
from storage.retry import StaleVersion, is_retryable, run_in_transaction

THREAD = {"channel_id": "C_SALES", "thread_ts": "1700000000.000100"}


def test_stale_version_is_retried_with_a_fresh_read(engine, make_qualification):
    make_qualification()
    calls: list[int] = []

    def unit(session) -> int:
        calls.append(1)
        qualification = get_qualification(session=session, team_id="T1", **THREAD)
        # The first attempt acts like a worker that read before someone else's save.
        expected = qualification.version - 1 if len(calls) == 1 else qualification.version
        return save_step(
            session=session,
            qualification=qualification,
            expected_version=expected,
            machine_state="ask_need",
            conversation={"n": len(calls)},
            status="active",
            answer=AnswerCreate(criterion="budget", text="50k", status="met"),
            actor_id="U1",
        ).version

    assert run_in_transaction(engine, unit) == 2
    assert len(calls) == 2


def test_other_errors_are_not_retried(engine):
    calls: list[int] = []

    def unit(session) -> None:
        calls.append(1)
        claim_event(session=session, team_id="T1", event_id="Ev-rolled-back")
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        run_in_transaction(engine, unit)
    assert len(calls) == 1
    # The failed attempt was rolled back: the event id is still free.
    assert run_in_transaction(
        engine, lambda s: claim_event(session=s, team_id="T1", event_id="Ev-rolled-back")
    )


def test_gives_up_after_the_retries(engine):
    calls: list[int] = []

    def unit(session) -> None:
        calls.append(1)
        raise StaleVersion("always behind")

    with pytest.raises(StaleVersion):
        run_in_transaction(engine, unit, retries=3, base_delay=0.001)
    assert len(calls) == 4


def _hold_lock(db, release: threading.Event) -> threading.Thread:
    """Hold a real lock in another connection until ``release`` is set: SQLite's write lock, a
    PG row lock. (Released on an event, not after a fixed time: a loaded machine must not let
    it go before the first attempt has met it.)"""
    ready = threading.Event()

    def hold_sqlite() -> None:
        connection = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        release.wait(30)
        connection.execute("COMMIT")
        connection.close()

    def hold_postgres() -> None:
        engine = make_engine(db.url)
        with engine.begin() as connection:
            connection.execute(text("SELECT id FROM qualification FOR UPDATE"))
            ready.set()
            release.wait(30)
        engine.dispose()

    thread = threading.Thread(target=hold_sqlite if db.kind == "sqlite" else hold_postgres)
    thread.start()
    ready.wait(10)
    return thread


def test_lock_timeouts_are_retried_until_the_lock_is_free(db, make_qualification):
    make_qualification()
    engine = make_engine(db.url, sqlite_busy_timeout_ms=20)
    prepare(engine)
    calls: list[int] = []

    def unit(session) -> int:
        calls.append(1)
        if db.kind == "postgresql":
            session.execute(text("SET LOCAL lock_timeout = '20ms'"))
        qualification = get_qualification(session=session, team_id="T1", for_update=True, **THREAD)
        return qualification.version

    release = threading.Event()
    holder = _hold_lock(db, release)
    try:
        with pytest.raises(DBAPIError) as lost:
            run_in_transaction(engine, unit, retries=0)
        assert is_retryable(lost.value)
        threading.Timer(0.4, release.set).start()  # freed while the next run is retrying
        assert run_in_transaction(engine, unit, retries=100, max_delay=0.05) == 1
    finally:
        release.set()
        holder.join()
        engine.dispose()
    assert len(calls) > 2


def test_a_row_saved_by_another_worker_meanwhile_is_refused_and_retryable(
    engine, make_qualification
):
    make_qualification()
    with session_scope(engine) as session:
        mine = get_qualification(session=session, team_id="T1", **THREAD)
    with session_scope(engine) as session:  # another worker saves a step first
        theirs = get_qualification(session=session, team_id="T1", **THREAD)
        theirs.machine_state = "ask_need"
    assert theirs.version == 2
    with pytest.raises(StaleDataError) as lost, session_scope(engine) as session:
        session.add(mine)
        mine.machine_state = "ask_authority"
        session.flush()  # UPDATE ... WHERE version = 1 finds no row
    assert is_retryable(lost.value)
    with session_scope(engine) as session:
        stored = get_qualification(session=session, team_id="T1", **THREAD)
    assert (stored.version, stored.machine_state) == (2, "ask_need")
