"""What decides who may see or change a lead: where it was qualified, who owns it, who
accepted it (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from storage.db import session_scope
from storage.handoffs import accepted_by, create_handoff, decide_handoff
from storage.leads import get_or_create_lead, list_leads, qualified_channels
from storage.models import Qualification


def _names(leads) -> list[str]:
    return sorted(lead.name for lead in leads)


def test_a_rep_lists_own_leads_and_those_of_their_channels(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    make_qualification(lead_name="Acme Corp", rep_id="U_REP", thread_ts="1.1")  # in C_SALES
    make_qualification(team_id="T2", lead_name="Other Team", rep_id="U_REP", thread_ts="1.2")
    with session_scope(engine) as session:
        get_or_create_lead(session=session, team_id="T1", name="Own Import", owner_id="U_OTHER")
        get_or_create_lead(session=session, team_id="T1", name="Unseen", owner_id="U_REP")
    with session_scope(engine) as session:
        assert qualified_channels(session=session, team_id="T1") == {"C_SALES"}
        mine = list_leads(session=session, team_id="T1", visible_to=("U_OTHER", []))
        assert _names(mine) == ["Own Import"]
        channel = list_leads(session=session, team_id="T1", visible_to=("U_OTHER", ["C_SALES"]))
        assert _names(channel) == ["Acme Corp", "Own Import"]
        everyone = list_leads(session=session, team_id="T1")
        assert _names(everyone) == ["Acme Corp", "Own Import", "Unseen"]


def test_accepted_by_names_who_accepted_the_lead(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    qualification = make_qualification()
    assert qualification.id is not None
    with session_scope(engine) as session:
        handoff = create_handoff(
            session=session,
            team_id="T1",
            lead_id=qualification.lead_id,
            qualification_id=qualification.id,
            alert_channel="C_ALERT",
        )
        assert accepted_by(session=session, team_id="T1", lead_id=qualification.lead_id) is None
        decide_handoff(session=session, handoff=handoff, status="accepted", decided_by="U_AE")
    with session_scope(engine) as session:
        assert accepted_by(session=session, team_id="T1", lead_id=qualification.lead_id) == "U_AE"
        assert accepted_by(session=session, team_id="T2", lead_id=qualification.lead_id) is None
        lead_channels = qualified_channels(
            session=session, team_id="T1", lead_id=qualification.lead_id
        )
        assert lead_channels == {"C_SALES"}
