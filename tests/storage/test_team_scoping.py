"""A team sees only its own rows, whatever function it goes through."""

from __future__ import annotations

import pytest

from storage.db import session_scope
from storage.handoffs import create_handoff, get_handoff, pending_handoffs
from storage.leads import (
    find_lead,
    get_lead,
    get_or_create_lead,
    list_leads,
    recent_hot_leads,
    update_lead,
)
from storage.models import AnswerCreate
from storage.qualifications import (
    active_qualifications,
    current_answers,
    get_qualification,
    get_qualification_by_id,
    latest_verdict,
    save_step,
)
from storage.retry import StaleVersion

THREAD = {"channel_id": "C_SALES", "thread_ts": "1700000000.000100"}


def test_team_one_rows_are_invisible_to_team_two(engine, make_qualification, verdict_factory):
    qualification = make_qualification(team_id="T1")
    with session_scope(engine) as session:
        update_lead(
            session=session,
            team_id="T1",
            lead_id=qualification.lead_id,
            email="ceo@acme.com",
            domain="acme.com",
        )
        loaded = get_qualification(session=session, team_id="T1", **THREAD)
        save_step(
            session=session,
            qualification=loaded,
            expected_version=loaded.version,
            machine_state="done",
            conversation={},
            status="active",
            answer=AnswerCreate(criterion="budget", text="50k", status="met"),
            verdict=verdict_factory(),
            actor_id="U_REP",
        )
        handoff = create_handoff(
            session=session,
            team_id="T1",
            lead_id=qualification.lead_id,
            qualification_id=qualification.id,
            alert_channel="C_ALERT",
        )

    with session_scope(engine) as session:
        for query in ("Acme Corp", "acme corp", "ceo@acme.com", "acme.com", "Acme Crop"):
            found = find_lead(session=session, team_id="T2", query=query)
            assert found.lead is None and found.suggestions == [], query
        assert get_lead(session=session, team_id="T2", lead_id=qualification.lead_id) is None
        assert (
            update_lead(session=session, team_id="T2", lead_id=qualification.lead_id, region="EU")
            is None
        )
        assert list_leads(session=session, team_id="T2") == []
        assert list_leads(session=session, team_id="T2", verdict="hot") == []
        assert recent_hot_leads(session=session, team_id="T2") == []
        assert get_qualification(session=session, team_id="T2", **THREAD) is None
        assert (
            get_qualification_by_id(
                session=session, team_id="T2", qualification_id=qualification.id
            )
            is None
        )
        assert active_qualifications(session=session, team_id="T2", rep_id="U_REP") == []
        assert (
            current_answers(session=session, team_id="T2", qualification_id=qualification.id) == []
        )
        assert latest_verdict(session=session, team_id="T2", lead_id=qualification.lead_id) is None
        assert get_handoff(session=session, team_id="T2", handoff_id=handoff.id) is None
        assert pending_handoffs(session=session, team_id="T2") == []
        # The same name in another team is another lead.
        other, created = get_or_create_lead(session=session, team_id="T2", name="Acme Corp")
        assert created and other.id != qualification.lead_id

    with session_scope(engine) as session:
        # Sanity: team one still sees all of it.
        assert find_lead(session=session, team_id="T1", query="acme.com").lead is not None
        assert (
            len(current_answers(session=session, team_id="T1", qualification_id=qualification.id))
            == 1
        )
        assert (
            latest_verdict(session=session, team_id="T1", lead_id=qualification.lead_id) is not None
        )
        assert get_handoff(session=session, team_id="T1", handoff_id=handoff.id) is not None


def test_a_step_cannot_be_saved_under_another_team(engine, make_qualification):
    make_qualification(team_id="T1")
    with session_scope(engine) as session:
        loaded = get_qualification(session=session, team_id="T1", **THREAD)
        loaded.team_id = "T2"  # a forged row must not reach team one's data
        session.expunge(loaded)
        with pytest.raises(StaleVersion):
            save_step(
                session=session,
                qualification=loaded,
                expected_version=loaded.version,
                machine_state="x",
                conversation={},
                status="active",
                actor_id="U_X",
            )
    with session_scope(engine) as session:
        assert get_qualification(session=session, team_id="T1", **THREAD).version == 1
