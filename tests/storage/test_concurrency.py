"""Workers racing on one conversation never lose or double an answer."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import func, select

from storage.db import make_engine
from storage.models import Answer, AnswerCreate, AuditEvent
from storage.qualifications import get_qualification, save_step
from storage.retry import run_in_transaction

THREAD = {"channel_id": "C_SALES", "thread_ts": "1700000000.000100"}
STEPS_PER_WORKER = 5


def _one_step(engine, worker: str, step: int) -> int:
    """Append this worker's answer to the conversation log, retrying lost races."""
    criterion = f"{worker}-{step}"

    def unit(session) -> int:
        qualification = get_qualification(session=session, team_id="T1", **THREAD)
        log = [*qualification.conversation.get("log", []), criterion]
        saved = save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state=f"after_{criterion}",
            conversation={**qualification.conversation, "log": log},
            status="active",
            answer=AnswerCreate(criterion=criterion, text=criterion, status="met"),
            actor_id=worker,
        )
        return saved.version

    return run_in_transaction(engine, unit, retries=200, max_delay=0.05)


def _run_steps(engine, worker: str) -> None:
    for step in range(STEPS_PER_WORKER):
        _one_step(engine, worker, step)


def _assert_nothing_lost(engine, workers: list[str]) -> None:
    expected = {f"{w}-{s}" for w in workers for s in range(STEPS_PER_WORKER)}
    from storage.db import session_scope

    with session_scope(engine) as session:
        qualification = get_qualification(session=session, team_id="T1", **THREAD)
        log = qualification.conversation["log"]
        criteria = session.scalars(select(Answer.criterion)).all()
        audits = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action != "qualification.start")
        )
    assert sorted(log) == sorted(expected)  # every step in the log, none twice
    assert sorted(criteria) == sorted(expected)
    assert qualification.version == 1 + len(expected)
    assert audits == len(expected)


def test_threads_racing_on_one_conversation(engine, make_qualification):
    make_qualification()
    workers = [f"w{i}" for i in range(8)]
    errors: list[BaseException] = []

    def run(worker: str) -> None:
        try:
            _run_steps(engine, worker)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _assert_nothing_lost(engine, workers)


def _process_main(url: str, worker: str, failures) -> None:
    engine = make_engine(url)
    try:
        _run_steps(engine, worker)
    except BaseException as error:  # reported to the parent, which asserts on it
        failures.put(repr(error))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_processes_racing_on_one_conversation(db, engine, make_qualification):
    make_qualification()
    # fork: the children inherit the imported test module; each builds its own engine.
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    workers = [f"p{i}" for i in range(4)]
    processes = [context.Process(target=_process_main, args=(db.url, w, failures)) for w in workers]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * len(processes)
    assert failures.empty()
    _assert_nothing_lost(engine, workers)
