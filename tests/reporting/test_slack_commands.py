"""``/lead won``, ``/lead lost`` and ``/lead report`` through the real endpoint and stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import make_engine, session_scope
from storage.models import AuditEvent, Lead
from tests.e2e.conftest import CHANNEL, MANAGER, REP, Rig, make_rig

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    yield from make_rig(tmp_path)


def _lead(rig: Rig, name: str) -> tuple[Lead, list[AuditEvent]]:
    engine = make_engine(rig.database_url)
    try:
        with session_scope(engine) as session:
            lead = session.scalars(select(Lead).where(Lead.name == name)).one()
            audits = list(
                session.scalars(
                    select(AuditEvent).where(
                        AuditEvent.lead_id == lead.id, AuditEvent.action == "lead.outcome"
                    )
                )
            )
            return lead, audits
    finally:
        engine.dispose()


def test_won_and_lost_record_the_outcome(rig: Rig) -> None:
    rig.qualify("Acme Corp")
    rig.qualify("Globex")
    won = rig.sender.command("/lead", "won acme corp", user_id=REP, channel_id=CHANNEL)
    assert "won" in won.text and "Acme Corp" in won.text
    lead, audits = _lead(rig, "Acme Corp")
    assert lead.stage == "customer"
    assert [a.detail["outcome"] for a in audits] == ["won"]
    assert audits[0].actor_id == REP

    lost = rig.sender.command(
        "/lead", "lost Globex went with a competitor", user_id=REP, channel_id=CHANNEL
    )
    assert "lost" in lost.text
    lead, audits = _lead(rig, "Globex")
    assert lead.stage == "lost"
    assert audits[0].detail["reason"] == "went with a competitor"


def test_lost_needs_a_reason_and_a_known_lead(rig: Rig) -> None:
    rig.qualify("Initech")
    no_reason = rig.sender.command("/lead", "lost Initech", user_id=REP, channel_id=CHANNEL)
    assert "/lead lost" in no_reason.text
    assert _lead(rig, "Initech")[0].stage != "lost"
    unknown = rig.sender.command("/lead", "won Inytech", user_id=REP, channel_id=CHANNEL)
    assert "Initech" in unknown.text  # offered as a suggestion


def test_a_shared_report_posts_text_and_uploads_a_png_chart(rig: Rig) -> None:
    rig.qualify("Acme Corp")
    rig.sender.command("/lead", "won Acme Corp", user_id=REP, channel_id=CHANNEL)
    response = rig.sender.command("/lead", "report 7d share", user_id=MANAGER, channel_id=CHANNEL)
    assert "7d" in response.text and "1 new leads" in response.text
    assert response.json()["response_type"] == "in_channel"
    files = rig.wait(
        lambda: [f for f in rig.standin.files().values() if f["completed"]], timeout=20
    )
    assert files[0]["data"].startswith(PNG_MAGIC)
    shared = rig.wait(lambda: [m for m in rig.standin.messages(CHANNEL) if m.get("files")])
    assert shared[0]["files"][0]["id"] == files[0]["id"]


def test_report_rejects_a_bad_period(rig: Rig) -> None:
    response = rig.sender.command("/lead", "report someday", user_id=MANAGER, channel_id=CHANNEL)
    assert "someday" in response.text and "30d" in response.text
    assert rig.standin.files() == {}
