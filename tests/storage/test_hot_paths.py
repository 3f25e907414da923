"""What a step costs: few statements, each one compiled once (SQLAlchemy's statement cache)
and shown in SQLAlchemy's echo log; idempotency keys in one statement; indexed suggestions."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.engine.interfaces import CacheStats

from flows.model import Assessment, Status
from storage.db import session_scope
from storage.events import claim_events
from storage.handoffs import create_handoff, start_sla_clock
from storage.leads import find_lead, get_lead, get_or_create_lead
from storage.models import (
    Answer,
    AnswerCreate,
    AuditEvent,
    Handoff,
    Lead,
    OutboxMessage,
    ProcessedEvent,
    utcnow,
)
from storage.outbox import enqueue
from storage.qualifications import latest_verdict, load_step, save_step, start_qualification
from storage.retry import StaleVersion

THREAD = {"channel_id": "C_SALES", "thread_ts": "1700000000.000100"}
ECHO = "sqlalchemy.engine.Engine"


def _executed_during(engine, work) -> list[tuple[str, CacheStats]]:
    """The statements ``work`` ran (BEGIN and COMMIT aside) and how each got its compiled form."""
    seen: list[tuple[str, CacheStats]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            seen.append((statement, context.cache_hit))

    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _statements_during(engine, work) -> list[str]:
    return [statement for statement, _ in _executed_during(engine, work)]


def _verbs(executed: list[tuple[str, CacheStats]]) -> list[str]:
    return [statement.split(None, 1)[0].upper() for statement, _ in executed]


def _all_cached(executed: list[tuple[str, CacheStats]]) -> bool:
    return all(served is CacheStats.CACHE_HIT for _, served in executed)


def _answer(criterion: str = "budget") -> AnswerCreate:
    assessment = Assessment(status=Status.MET, value="50K", evidence="50k")
    return AnswerCreate.from_assessment(criterion, assessment, answered_by="U_REP")


def _one_step(engine, event_id: str, criterion: str) -> None:
    """What a conversation step stores: claim its keys, load the thread, save the answer."""
    with session_scope(engine) as session:
        assert claim_events(session=session, team_id="T1", event_ids=[event_id, f"msg:{event_id}"])
        qualification, _ = load_step(session=session, team_id="T1", **THREAD)
        save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state=f"after_{criterion}",
            conversation={"state": f"after_{criterion}"},
            status="active",
            answer=_answer(criterion),
            actor_id="U_REP",
        )


def test_a_step_runs_six_cached_statements_all_in_the_echo_log(
    engine, make_qualification, caplog: pytest.LogCaptureFixture
):
    make_qualification()
    _one_step(engine, "Ev1", "budget")  # fills the statement cache
    caplog.set_level(logging.INFO, logger=ECHO)
    executed = _executed_during(engine, lambda: _one_step(engine, "Ev2", "authority"))
    # claim, load (row-locked on PostgreSQL), guarded UPDATE, supersede, answer, audit
    assert _verbs(executed) == ["INSERT", "SELECT", "UPDATE", "UPDATE", "INSERT", "INSERT"]
    assert _all_cached(executed)
    echoed = {record.getMessage() for record in caplog.records if record.name == ECHO}
    assert [statement for statement, _ in executed if statement not in echoed] == []
    guarded = executed[2][0]
    assert "qualification.version = " in guarded and "WHERE" in guarded


def test_claiming_both_keys_takes_one_statement_and_refuses_any_repeat(engine):
    def first() -> None:
        with session_scope(engine) as session:
            assert claim_events(session=session, team_id="T1", event_ids=["Ev1", "msg:C:1.1"])

    assert len(_statements_during(engine, first)) == 1
    with session_scope(engine) as session:
        # A retry carries the same event id; a re-delivery under a new id the same message ts.
        assert not claim_events(session=session, team_id="T1", event_ids=["Ev1", "msg:C:1.1"])
        assert not claim_events(session=session, team_id="T1", event_ids=["Ev2", "msg:C:1.1"])
        assert claim_events(session=session, team_id="T2", event_ids=["Ev1", "msg:C:1.1"])
        assert claim_events(session=session, team_id="T1", event_ids=[])
    with session_scope(engine) as session:
        keys = set(session.execute(select(ProcessedEvent.team_id, ProcessedEvent.event_id)))
    # The new key of the partly repeated delivery is kept, so its own retry is refused too.
    assert keys == {
        ("T1", "Ev1"),
        ("T1", "msg:C:1.1"),
        ("T1", "Ev2"),
        ("T2", "Ev1"),
        ("T2", "msg:C:1.1"),
    }


def test_load_step_returns_the_row_and_lead_name_in_one_query(engine, make_qualification):
    started = make_qualification(lead_name="Initech")
    loaded: list = []

    def load() -> None:
        with session_scope(engine) as session:
            loaded.append(load_step(session=session, team_id="T1", **THREAD))
            loaded.append(load_step(session=session, team_id="T2", **THREAD))

    assert len(_statements_during(engine, load)) == 2
    found, other_team = loaded
    assert other_team is None
    qualification, lead_name = found
    assert lead_name == "Initech"
    assert (qualification.id, qualification.version) == (started.id, 1)
    assert qualification.conversation["framework"] == "bant"
    assert qualification.started_at.tzinfo is not None


def test_a_loaded_step_saves_and_a_stale_one_is_refused(engine, make_qualification):
    make_qualification()
    with session_scope(engine) as session:
        qualification, _ = load_step(session=session, team_id="T1", **THREAD)
        stale_version = qualification.version
        save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state="ask_authority",
            conversation={"state": "ask_authority"},
            status="active",
            answer=_answer(),
            actor_id="U_REP",
        )
    assert qualification.version == stale_version + 1
    with session_scope(engine) as session:
        again, _ = load_step(session=session, team_id="T1", **THREAD)
        assert again.machine_state == "ask_authority" and again.version == stale_version + 1
        stored = session.execute(select(Answer.value, Answer.answered_at)).one()
        assert stored.value == "50K" and stored.answered_at.tzinfo is not None
        with pytest.raises(StaleVersion):
            save_step(
                session=session,
                qualification=again,
                expected_version=stale_version,
                machine_state="ask_need",
                conversation={},
                status="active",
                actor_id="U_REP",
            )


def test_suggestions_reach_past_the_newest_names_at_scale(engine):
    with session_scope(engine) as session:
        for number in range(400):
            get_or_create_lead(session=session, team_id="T1", name=f"Filler {number:04d}")
        get_or_create_lead(session=session, team_id="T1", name="Quartermaster Logistics")
        # Make the wanted lead the oldest, so only the name-ordered reads can find it.
        session.execute(
            update(Lead)
            .where(Lead.name_key == "quartermaster logistics")
            .values(updated_at=utcnow() - timedelta(days=400))
        )
    with session_scope(engine) as session:
        typo = find_lead(session=session, team_id="T1", query="Quartermaster Logistcs")
        start = find_lead(session=session, team_id="T1", query="quarterm")
        count = session.scalar(select(func.count()).select_from(Lead))
    assert count == 401
    assert typo.lead is None and typo.suggestions[0] == "Quartermaster Logistics"
    assert start.lead is None and start.suggestions == ["Quartermaster Logistics"]


def test_a_new_lead_is_one_read_and_one_insert_and_stays_in_the_session(engine):
    def create(name: str) -> None:
        with session_scope(engine) as session:
            lead, created = get_or_create_lead(
                session=session, team_id="T1", name=name, owner_id="U1", email="Ops@Hooli.com"
            )
            assert created and lead.id is not None

    create("Warm Up Ltd")  # fills the statement cache
    executed = _executed_during(engine, lambda: create("Hooli"))
    assert _verbs(executed) == ["SELECT", "INSERT"] and _all_cached(executed)
    with session_scope(engine) as session:
        read: list = []
        executed = _executed_during(
            engine,
            lambda: read.append(get_or_create_lead(session=session, team_id="T1", name="HOOLI")),
        )
        lead, created = read[0]
        assert _verbs(executed) == ["SELECT"] and not created
        assert (lead.name, lead.owner_id, lead.email, lead.stage) == (
            "Hooli",
            "U1",
            "ops@hooli.com",
            "lead",
        )
        assert lead.created_at.tzinfo is not None and lead.engagement_points == 0
        # The session holds the lead as an ORM load gives it: the same object again, and a
        # change to it is flushed with the transaction (the CSV import relies on that).
        assert get_lead(session=session, team_id="T1", lead_id=lead.id) is lead
        lead.verdict = "warm"
    with session_scope(engine) as session:
        assert session.get(Lead, lead.id).verdict == "warm"


def test_a_lead_added_but_not_flushed_is_found_not_inserted_twice(engine):
    with session_scope(engine) as session:
        session.add(Lead(team_id="T1", name="Pending Co", name_key="pending co"))
        lead, created = get_or_create_lead(session=session, team_id="T1", name="pending co")
        assert not created and lead.name == "Pending Co"
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 1


def test_a_qualification_starts_with_two_inserts(engine, make_qualification):
    make_qualification()  # fills the statement cache
    with session_scope(engine) as session:
        lead, _ = get_or_create_lead(session=session, team_id="T1", name="Globex")
    started: list = []

    def start() -> None:
        with session_scope(engine) as session:
            started.append(
                start_qualification(
                    session=session,
                    team_id="T1",
                    lead_id=lead.id,
                    channel_id="C_SALES",
                    thread_ts="1700000000.000200",
                    rep_id="U_REP",
                    framework="bant",
                    language="de",
                    machine_state="ask_budget",
                    conversation={"framework": "bant"},
                    card_ts="1700000000.000200",
                )
            )

    executed = _executed_during(engine, start)
    assert _verbs(executed) == ["INSERT", "INSERT"] and _all_cached(executed)
    qualification = started[0]
    assert (qualification.version, qualification.status, qualification.language) == (
        1,
        "active",
        "de",
    )
    assert qualification.started_at.tzinfo is not None and qualification.finished_at is None
    with session_scope(engine) as session:
        loaded, lead_name = load_step(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts="1700000000.000200"
        )
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.qualification_id == qualification.id)
        ).one()
    assert (loaded.id, loaded.card_ts, lead_name) == (
        qualification.id,
        "1700000000.000200",
        "Globex",
    )
    assert (audit.action, audit.actor_id, audit.lead_id) == (
        "qualification.start",
        "U_REP",
        lead.id,
    )


def test_a_hot_lead_handoff_and_its_alert_take_four_statements(engine, make_qualification):
    qualification = make_qualification()
    due = utcnow() + timedelta(minutes=15)

    def hand_off(key: str) -> tuple[Handoff, OutboxMessage | None]:
        with session_scope(engine) as session:
            handoff = create_handoff(
                session=session,
                team_id="T1",
                lead_id=qualification.lead_id,
                qualification_id=qualification.id,
                alert_channel="C_ALERT",
            )
            start_sla_clock(session=session, handoff=handoff, due_at=due)
            message = enqueue(
                session=session,
                team_id="T1",
                method="chat.postMessage",
                payload={"channel": "C_ALERT", "text": "hot"},
                dedupe_key=key,
            )
            assert latest_verdict(session=session, team_id="T1", lead_id=handoff.lead_id) is None
            return handoff, message

    hand_off("alert:1")  # fills the statement cache
    done: list = []
    executed = _executed_during(engine, lambda: done.append(hand_off("alert:2")))
    # The SLA deadline is flushed before the outbox INSERT; nothing is left for the commit.
    assert _verbs(executed) == ["INSERT", "UPDATE", "INSERT", "SELECT"] and _all_cached(executed)
    handoff, message = done[0]
    assert (handoff.status, handoff.sla_due_at, handoff.escalations) == ("pending", due, 0)
    assert message is not None and (message.status, message.attempts) == ("pending", 0)
    with session_scope(engine) as session:
        stored = session.get(Handoff, handoff.id)
        queued = session.get(OutboxMessage, message.id)
        again = enqueue(
            session=session,
            team_id="T1",
            method="chat.postMessage",
            payload={},
            dedupe_key="alert:2",
        )
    assert (stored.status, stored.sla_due_at, stored.alert_channel) == ("pending", due, "C_ALERT")
    assert (queued.dedupe_key, queued.payload["text"], queued.next_attempt_at) == (
        "alert:2",
        "hot",
        message.next_attempt_at,
    )
    assert again is None
