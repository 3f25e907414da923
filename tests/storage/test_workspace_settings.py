"""Workspace settings and the role views of handoffs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage.db import session_scope
from storage.handoffs import top_reject_reasons, waiting_for
from storage.leads import get_or_create_lead
from storage.models import Handoff
from storage.workspace_settings import get_settings, save_settings

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_settings_are_saved_replaced_and_scoped_by_team(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert get_settings(session=session, team_id="T1") is None
        save_settings(
            session=session,
            team_id="T1",
            values={"alert_channel": "CNEW", "account_executives": ["S1", "U2"]},
            updated_by="U9",
        )
    with session_scope(engine) as session:
        row = get_settings(session=session, team_id="T1")
        assert row is not None and row.alert_channel == "CNEW"
        assert row.account_executives == ["S1", "U2"] and row.language is None
        assert get_settings(session=session, team_id="T2") is None
        # A second save replaces the row; what it leaves out is cleared.
        save_settings(session=session, team_id="T1", values={"language": "de"}, updated_by="U8")
    with session_scope(engine) as session:
        row = get_settings(session=session, team_id="T1")
        assert row is not None
        assert (row.alert_channel, row.language, row.updated_by) == (None, "de", "U8")


def _handoff(session, team: str, name: str, **fields) -> Handoff:
    lead, _ = get_or_create_lead(session=session, team_id=team, name=name, owner_id="U1")
    assert lead.id is not None
    handoff = Handoff(team_id=team, lead_id=lead.id, **fields)
    session.add(handoff)
    session.flush()
    return handoff


def test_waiting_handoffs_and_reject_reasons(engine: Engine) -> None:
    with session_scope(engine) as session:
        _handoff(session, "T1", "Late", assignee_id="UAE", sla_due_at=T0 + timedelta(hours=2))
        _handoff(session, "T1", "Soon", assignee_id="UAE", sla_due_at=T0 + timedelta(hours=1))
        _handoff(session, "T1", "Nobody", sla_due_at=T0 + timedelta(hours=3))
        _handoff(session, "T1", "Other", assignee_id="UAE2", sla_due_at=T0)
        _handoff(session, "T2", "Elsewhere", assignee_id="UAE", sla_due_at=T0)
        for code in ("no_budget", "no_budget", None):
            _handoff(session, "T1", f"R{code}", status="rejected", reason_code=code, decided_at=T0)
        _handoff(
            session,
            "T1",
            "Old",
            status="rejected",
            reason_code="bad_timing",
            decided_at=T0 - timedelta(days=40),
        )
    with session_scope(engine) as session:
        mine = waiting_for(session=session, team_id="T1", user_id="UAE", unassigned=False)
        assert [h.sla_due_at for h in mine] == [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
        with_pool = waiting_for(session=session, team_id="T1", user_id="UAE", unassigned=True)
        assert len(with_pool) == 3
        reasons = top_reject_reasons(session=session, team_id="T1", since=T0 - timedelta(days=30))
        assert reasons == [("no_budget", 2), (None, 1)]
