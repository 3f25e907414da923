"""CRM links and the CRM writes' status on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from storage import crm, outbox
from storage.db import session_scope
from storage.models import Qualification


def test_a_link_is_kept_once_per_lead_and_vendor_and_updated(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    lead_id = make_qualification().lead_id
    with session_scope(engine) as session:
        crm.save_link(
            session=session, team_id="T1", lead_id=lead_id, vendor="hubspot",
            record_id="101", record_url="https://app/101", details={"industry": "SOFTWARE"},
        )  # fmt: skip
    with session_scope(engine) as session:
        crm.save_link(
            session=session, team_id="T1", lead_id=lead_id, vendor="hubspot",
            record_id="202", record_url=None,
        )  # fmt: skip
    with session_scope(engine) as session:
        link = crm.get_link(session=session, team_id="T1", lead_id=lead_id, vendor="hubspot")
        assert link is not None
        assert (link.record_id, link.record_url, link.details) == (
            "202",
            "https://app/101",
            {"industry": "SOFTWARE"},
        )
        assert (
            crm.get_link(session=session, team_id="T2", lead_id=lead_id, vendor="hubspot") is None
        )
        assert [
            x.lead_id
            for x in crm.links_of_record(session=session, vendor="hubspot", record_id="202")
        ] == [lead_id]
        assert crm.links_of_record(session=session, vendor="hubspot", record_id="101") == []


def test_writes_count_by_status_and_list_the_open_ones(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n, method in enumerate(
            ["hubspot.write_verdict", "hubspot.set_stage", "chat.postMessage"]
        ):
            outbox.enqueue(
                session=session, team_id="T1", method=method, payload={}, dedupe_key=f"k{n}"
            )
    with session_scope(engine) as session:
        (first, *_) = outbox.claim_due(session=session, worker_id="w", now=datetime.now(UTC))
    with session_scope(engine) as session:
        outbox.mark_failed(
            session=session, message_id=first.id, error="hubspot_unauthorized", retry_at=None
        )
    with session_scope(engine) as session:
        found = crm.writes(session=session, method_prefixes=("hubspot.",))
        assert found["counts"] == {"failed": 1, "sending": 1}
        assert [m.method for m in found["open"]] == ["hubspot.set_stage", "hubspot.write_verdict"]
        assert found["open"][1].last_error == "hubspot_unauthorized"
        assert (
            crm.writes(session=session, method_prefixes=("hubspot.",), team_id="T2")["counts"] == {}
        )
