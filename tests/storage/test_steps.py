"""Conversation steps: versioned saves, answer history, verdicts, event dedupe, handoffs."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from flows.model import Assessment, Status
from storage.db import session_scope
from storage.events import claim_event
from storage.handoffs import (
    create_handoff,
    decide_handoff,
    get_handoff,
    pending_handoffs,
    set_handoff_alert,
)
from storage.models import (
    Answer,
    AnswerCreate,
    AuditEvent,
    Lead,
    ProcessedEvent,
    Qualification,
    VerdictRecord,
)
from storage.qualifications import (
    active_qualifications,
    current_answers,
    get_qualification,
    latest_verdict,
    save_step,
)
from storage.retry import StaleVersion

THREAD = {"channel_id": "C_SALES", "thread_ts": "1700000000.000100"}


def _answer(criterion: str, words: str, status: Status = Status.MET) -> AnswerCreate:
    assessment = Assessment(status=status, value=words.upper(), evidence=words)
    return AnswerCreate.from_assessment(criterion, assessment, answered_by="U_REP")


def _step(engine, *, answer=None, verdict=None, status="active", state="ask_next"):
    with session_scope(engine) as session:
        qualification = get_qualification(session=session, team_id="T1", **THREAD)
        assert qualification is not None
        conversation = dict(qualification.conversation, state=state)
        return save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state=state,
            conversation=conversation,
            status=status,
            answer=answer,
            verdict=verdict,
            actor_id="U_REP",
        )


def test_start_and_load_by_thread(engine, make_qualification):
    started = make_qualification()
    with session_scope(engine) as session:
        loaded = get_qualification(session=session, team_id="T1", **THREAD)
        locked = get_qualification(session=session, team_id="T1", for_update=True, **THREAD)
        other_thread = get_qualification(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts="1.2"
        )
    assert loaded is not None and loaded.id == started.id
    assert locked is not None and locked.id == started.id
    assert other_thread is None
    assert (loaded.version, loaded.status, loaded.machine_state) == (1, "active", "ask_budget")
    assert loaded.conversation["framework"] == "bant"
    assert loaded.started_at.tzinfo is not None


def test_save_step_bumps_version_and_keeps_the_conversation(engine, make_qualification):
    make_qualification()
    saved = _step(engine, answer=_answer("budget", "50k approved"), state="ask_authority")
    assert saved.version == 2
    with session_scope(engine) as session:
        loaded = get_qualification(session=session, team_id="T1", **THREAD)
        answers = current_answers(session=session, team_id="T1", qualification_id=loaded.id)
    assert (loaded.version, loaded.machine_state) == (2, "ask_authority")
    assert loaded.conversation["state"] == "ask_authority"
    assert [(a.criterion, a.text, a.value, a.status) for a in answers] == [
        ("budget", "50k approved", "50K APPROVED", "met")
    ]


def test_stale_version_is_refused_and_changes_nothing(engine, make_qualification):
    make_qualification()
    with session_scope(engine) as session:
        stale = get_qualification(session=session, team_id="T1", **THREAD)
    _step(engine, answer=_answer("budget", "50k"))
    with pytest.raises(StaleVersion), session_scope(engine) as session:
        save_step(
            session=session,
            qualification=stale,
            expected_version=stale.version,
            machine_state="ask_need",
            conversation={"lost": True},
            status="active",
            answer=_answer("budget", "no money"),
            actor_id="U_REP",
        )
    with session_scope(engine) as session:
        loaded = get_qualification(session=session, team_id="T1", **THREAD)
        texts = session.scalars(select(Answer.text)).all()
    assert loaded.version == 2 and "lost" not in loaded.conversation
    assert texts == ["50k"]


def test_editing_an_answer_keeps_history(engine, make_qualification):
    qualification = make_qualification()
    _step(engine, answer=_answer("budget", "maybe 5k", Status.PARTIAL))
    _step(engine, answer=_answer("need", "urgent"))
    _step(engine, answer=_answer("budget", "actually 80k"))
    with session_scope(engine) as session:
        rows = session.scalars(select(Answer).order_by(Answer.id)).all()
        in_force = current_answers(session=session, team_id="T1", qualification_id=qualification.id)
    assert [(a.criterion, a.text, a.superseded) for a in rows] == [
        ("budget", "maybe 5k", True),
        ("need", "urgent", False),
        ("budget", "actually 80k", False),
    ]
    assert {a.criterion: a.text for a in in_force} == {"budget": "actually 80k", "need": "urgent"}


def test_verdict_updates_the_lead_and_is_recorded(engine, make_qualification, verdict_factory):
    qualification = make_qualification()
    saved = _step(engine, verdict=verdict_factory(score=91), status="done", state="done")
    assert saved.finished_at is not None
    with session_scope(engine) as session:
        lead = session.get(Lead, qualification.lead_id)
        record = latest_verdict(session=session, team_id="T1", lead_id=lead.id)
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        active = active_qualifications(session=session, team_id="T1", rep_id="U_REP")
    assert (lead.verdict, lead.score, lead.fit_score, lead.stage) == ("hot", 91, 70, "SQL")
    assert record is not None and record.qualification_id == qualification.id
    assert record.gaps == ["timeline"]
    assert record.reasons == [{"code": "need_met", "criterion": "need"}]
    assert record.flip == {"to": None, "criteria": []}
    assert actions == ["qualification.start", "qualification.verdict"]
    assert active == []


def test_active_qualifications_lists_open_threads_of_the_rep(engine, make_qualification):
    make_qualification(thread_ts="1.1", lead_name="A")
    make_qualification(thread_ts="1.2", lead_name="B")
    make_qualification(thread_ts="1.3", lead_name="C", rep_id="U_OTHER")
    with session_scope(engine) as session:
        mine = active_qualifications(session=session, team_id="T1", rep_id="U_REP")
    assert sorted(q.thread_ts for q in mine) == ["1.1", "1.2"]


def test_duplicate_event_id_changes_nothing(engine):
    with session_scope(engine) as session:
        assert claim_event(session=session, team_id="T1", event_id="Ev1")
        # A duplicate inside the same transaction must not poison it either.
        assert not claim_event(session=session, team_id="T1", event_id="Ev1")
        assert claim_event(session=session, team_id="T2", event_id="Ev1")
    with session_scope(engine) as session:
        assert not claim_event(session=session, team_id="T1", event_id="Ev1")
        assert claim_event(session=session, team_id="T1", event_id="Ev2")
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(ProcessedEvent))
    assert count == 3


def test_load_and_save_step_uses_few_statements(engine, make_qualification):
    make_qualification()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with session_scope(engine) as session:
            claim_event(session=session, team_id="T1", event_id="Ev-count")
            qualification = get_qualification(session=session, team_id="T1", **THREAD)
            save_step(
                session=session,
                qualification=qualification,
                expected_version=qualification.version,
                machine_state="ask_authority",
                conversation={"state": "ask_authority"},
                status="active",
                answer=_answer("budget", "50k"),
                actor_id="U_REP",
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # event claim, load, guarded update, supersede, answer insert, audit insert
    assert len(statements) <= 6, statements


def test_handoff_accept_moves_the_lead_to_sal_once(engine, make_qualification):
    qualification = make_qualification()
    with session_scope(engine) as session:
        handoff = create_handoff(
            session=session,
            team_id="T1",
            lead_id=qualification.lead_id,
            qualification_id=qualification.id,
            alert_channel=None,
        )
        set_handoff_alert(session=session, handoff=handoff, alert_channel="C_ALERT", alert_ts="9.9")
    with session_scope(engine) as session:
        loaded = get_handoff(session=session, team_id="T1", handoff_id=handoff.id, for_update=True)
        assert (loaded.alert_channel, loaded.alert_ts, loaded.status) == (
            "C_ALERT",
            "9.9",
            "pending",
        )
        assert [h.id for h in pending_handoffs(session=session, team_id="T1")] == [handoff.id]
        assert decide_handoff(session=session, handoff=loaded, status="accepted", decided_by="U_AE")
    with session_scope(engine) as session:
        again = get_handoff(session=session, team_id="T1", handoff_id=handoff.id)
        assert not decide_handoff(
            session=session, handoff=again, status="rejected", decided_by="U2"
        )
    with session_scope(engine) as session:
        final = get_handoff(session=session, team_id="T1", handoff_id=handoff.id)
        lead = session.get(Lead, qualification.lead_id)
        assert pending_handoffs(session=session, team_id="T1") == []
    assert (final.status, final.decided_by) == ("accepted", "U_AE")
    assert final.decided_at is not None
    assert lead.stage == "SAL"


def test_handoff_reject_moves_the_lead_to_nurture(engine, make_qualification):
    qualification = make_qualification()
    with session_scope(engine) as session:
        handoff = create_handoff(
            session=session,
            team_id="T1",
            lead_id=qualification.lead_id,
            qualification_id=qualification.id,
            alert_channel="C_ALERT",
        )
        assert decide_handoff(
            session=session, handoff=handoff, status="rejected", decided_by="U_AE", reason="no fit"
        )
        with pytest.raises(ValueError):
            decide_handoff(session=session, handoff=handoff, status="pending", decided_by="U_AE")
    with session_scope(engine) as session:
        lead = session.get(Lead, qualification.lead_id)
        stored = get_handoff(session=session, team_id="T1", handoff_id=handoff.id)
    assert lead.stage == "nurture"
    assert (stored.status, stored.reason) == ("rejected", "no fit")


def test_rows_belong_to_their_qualification(engine, make_qualification, verdict_factory):
    make_qualification()
    _step(engine, answer=_answer("budget", "50k"), verdict=verdict_factory(), status="done")
    with session_scope(engine) as session:
        qualification = session.scalars(select(Qualification)).one()
        answer = session.scalars(select(Answer)).one()
        record = session.scalars(select(VerdictRecord)).one()
    assert answer.qualification_id == record.qualification_id == qualification.id
    assert answer.team_id == record.team_id == "T1"
