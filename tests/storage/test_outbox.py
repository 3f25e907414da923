"""The outbox: idempotent enqueue, disjoint claims, lease expiry, backoff, kept failures."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.db import make_engine, session_scope
from storage.models import OutboxMessage, utcnow
from storage.outbox import (
    claim_due,
    enqueue,
    get_message,
    mark_attempting,
    mark_failed,
    mark_posted,
    mark_sent,
    next_retry_at,
    retry_delay,
)
from storage.retry import run_in_transaction


def _enqueue_many(engine, count: int, team_id: str = "T1") -> None:
    with session_scope(engine) as session:
        for index in range(count):
            enqueue(
                session=session,
                team_id=team_id,
                method="chat.postMessage",
                payload={"channel": "C1", "text": f"message {index}"},
                dedupe_key=f"msg:{index}",
            )


def test_enqueue_is_idempotent_on_the_dedupe_key(engine):
    with session_scope(engine) as session:
        first = enqueue(
            session=session,
            team_id="T1",
            method="chat.postMessage",
            payload={"channel": "C1", "text": "hot lead"},
            dedupe_key="alert:lead:1",
        )
        second = enqueue(
            session=session,
            team_id="T1",
            method="chat.postMessage",
            payload={"channel": "C1", "text": "hot lead again"},
            dedupe_key="alert:lead:1",
        )
        other_team = enqueue(
            session=session,
            team_id="T2",
            method="chat.postMessage",
            payload={},
            dedupe_key="alert:lead:1",
        )
    assert first is not None and first.id is not None
    assert first.status == "pending" and first.attempts == 0
    assert second is None
    assert other_team is not None
    with session_scope(engine) as session:
        team_two = claim_due(session=session, worker_id="w", now=utcnow(), team_id="T2")
    assert [m.id for m in team_two] == [other_team.id]
    with session_scope(engine) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.team_id == "T1")).all()
    assert [row.payload["text"] for row in rows] == ["hot lead"]


def test_claim_send_and_not_before(engine):
    now = utcnow()
    with session_scope(engine) as session:
        later = enqueue(
            session=session,
            team_id="T1",
            method="chat.postMessage",
            payload={"text": "reminder"},
            dedupe_key="reminder:1",
            not_before=now + timedelta(hours=1),
        )
        due = enqueue(
            session=session,
            team_id="T1",
            method="chat.postMessage",
            payload={"text": "now"},
            dedupe_key="now:1",
        )
    with session_scope(engine) as session:
        claimed = claim_due(session=session, worker_id="w1", now=now + timedelta(seconds=1))
    assert [m.id for m in claimed] == [due.id]
    assert claimed[0].status == "sending" and claimed[0].claimed_by == "w1"
    with session_scope(engine) as session:
        assert mark_sent(session=session, message_id=due.id, result={"ts": "1.23"}, worker_id="w1")
        assert not mark_sent(session=session, message_id=due.id, result=None)
        sent = get_message(session=session, message_id=due.id)
    assert (sent.status, sent.result, sent.claimed_by) == ("sent", {"ts": "1.23"}, None)
    assert sent.sent_at is not None
    with session_scope(engine) as session:
        claimed_later = claim_due(session=session, worker_id="w1", now=now + timedelta(hours=2))
    assert [m.id for m in claimed_later] == [later.id]


def test_expired_lease_is_reclaimed(engine):
    _enqueue_many(engine, 1)
    now = utcnow()
    with session_scope(engine) as session:
        crashed = claim_due(session=session, worker_id="crashed", now=now, lease_seconds=30)
    with session_scope(engine) as session:
        too_early = claim_due(session=session, worker_id="w2", now=now + timedelta(seconds=10))
    with session_scope(engine) as session:
        reclaimed = claim_due(session=session, worker_id="w2", now=now + timedelta(seconds=31))
    assert len(crashed) == 1 and too_early == []
    assert [m.id for m in reclaimed] == [crashed[0].id]
    assert reclaimed[0].claimed_by == "w2"
    with session_scope(engine) as session:
        # The crashed worker's late report must not override the new holder's claim.
        assert not mark_sent(
            session=session, message_id=crashed[0].id, result={}, worker_id="crashed"
        )
        assert mark_sent(session=session, message_id=crashed[0].id, result={}, worker_id="w2")


def test_an_attempt_mark_is_kept_for_the_next_holder_and_refused_to_a_former_one(engine):
    _enqueue_many(engine, 1)
    now = utcnow()
    with session_scope(engine) as session:
        (first,) = claim_due(session=session, worker_id="w1", now=now, lease_seconds=30)
    with session_scope(engine) as session:
        assert mark_attempting(session=session, message_id=first.id, worker_id="w1", since=5.0)
    with session_scope(engine) as session:
        (taken,) = claim_due(session=session, worker_id="w2", now=now + timedelta(seconds=31))
    # The one who takes it over learns that an attempt started, and since when.
    assert taken.result == {"unknown": [5.0, None]}
    with session_scope(engine) as session:
        assert not mark_attempting(session=session, message_id=first.id, worker_id="w1", since=9.0)
        assert mark_attempting(session=session, message_id=first.id, worker_id="w2", since=9.0)
        assert get_message(session=session, message_id=first.id).result == {"unknown": [9.0, None]}


def test_a_post_known_from_a_click_is_sent_and_its_holder_may_not_post_it_again(engine):
    _enqueue_many(engine, 2)
    with session_scope(engine) as session:
        first, _ = claim_due(session=session, worker_id="w1", now=utcnow(), lease_seconds=30)
        session.commit()
        assert mark_attempting(session=session, message_id=first.id, worker_id="w1", since=5.0)
    where = {"ts": "1.000100", "channel": "C1"}
    with session_scope(engine) as session:
        assert mark_posted(session=session, team_id="T1", dedupe_key="msg:0", result=where)
        assert not mark_posted(session=session, team_id="T1", dedupe_key="msg:0", result=where)
        assert not mark_posted(session=session, team_id="T2", dedupe_key="msg:1", result=where)
        assert not mark_posted(session=session, team_id="T1", dedupe_key="msg:9", result=where)
    with session_scope(engine) as session:
        # The sender still holding it neither calls again nor overwrites where the post is.
        assert not mark_attempting(session=session, message_id=first.id, worker_id="w1", since=9.0)
        assert not mark_sent(session=session, message_id=first.id, result={}, worker_id="w1")
        stored = get_message(session=session, message_id=first.id)
        assert (stored.status, stored.result, stored.claimed_by) == ("sent", where, None)


def test_failure_backs_off_then_fails_for_good_and_is_kept(engine):
    _enqueue_many(engine, 1)
    now = utcnow()
    with session_scope(engine) as session:
        (message,) = claim_due(session=session, worker_id="w1", now=now)
        retry_at = next_retry_at(message, now)
        assert retry_at == now + retry_delay(0)
        assert mark_failed(
            session=session, message_id=message.id, error="ratelimited", retry_at=retry_at
        )
    with session_scope(engine) as session:
        assert claim_due(session=session, worker_id="w1", now=retry_at - timedelta(seconds=1)) == []
        (again,) = claim_due(session=session, worker_id="w1", now=retry_at)
        assert (again.attempts, again.last_error) == (1, "ratelimited")
        assert mark_failed(
            session=session, message_id=again.id, error="channel_not_found", retry_at=None
        )
    with session_scope(engine) as session:
        kept = get_message(session=session, message_id=message.id)
        assert claim_due(session=session, worker_id="w1", now=now + timedelta(days=1)) == []
    assert (kept.status, kept.attempts, kept.last_error) == ("failed", 2, "channel_not_found")
    assert kept.payload == {"channel": "C1", "text": "message 0"}


def test_retry_delay_grows_and_respects_retry_after():
    delays = [retry_delay(n).total_seconds() for n in range(12)]
    assert delays[:3] == [2.0, 4.0, 8.0]
    assert delays == sorted(delays) and max(delays) == 300.0
    assert retry_delay(0, base_seconds=30).total_seconds() == 30.0
    # A transient failure never ends the retries: after many, the delay stays at its cap.
    now = utcnow()
    tried_often = OutboxMessage(team_id="T1", method="m", dedupe_key="k", attempts=40)
    assert next_retry_at(tried_often, now) == now + timedelta(seconds=300)


def _claim_all(engine, worker: str, now) -> list[int]:
    """Keep claiming small batches until nothing is left; returns the ids this worker got."""
    got: list[int] = []
    while True:
        batch = run_in_transaction(
            engine,
            lambda session: [
                m.id for m in claim_due(session=session, worker_id=worker, now=now, limit=3)
            ],
            retries=50,
        )
        if not batch:
            return got
        got.extend(batch)


def test_concurrent_claimers_never_share_a_message(engine):
    _enqueue_many(engine, 60)
    now = utcnow()
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def run(worker: str) -> None:
        try:
            results[worker] = _claim_all(engine, worker, now)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claimed = [message_id for ids in results.values() for message_id in ids]
    assert len(claimed) == 60 and len(set(claimed)) == 60


def _claimer_process(url: str, worker: str, now, out) -> None:
    engine = make_engine(url)
    try:
        out.put((worker, _claim_all(engine, worker, now)))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_concurrent_claiming_processes_never_share_a_message(db, engine):
    _enqueue_many(engine, 80)
    now = utcnow()
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    processes = [
        context.Process(target=_claimer_process, args=(db.url, f"p{i}", now, out)) for i in range(3)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    claimed = [message_id for _, ids in results for message_id in ids]
    assert len(claimed) == 80 and len(set(claimed)) == 80
    with session_scope(engine) as session:
        owners = {m.claimed_by for m in session.scalars(select(OutboxMessage))}
    assert owners <= {"p0", "p1", "p2"}
