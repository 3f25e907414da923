"""Round-robin under concurrent workers, and the daily digest going out once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event, select

from bot.app import build_services
from bot.config import RoutingConfig, TeamConfig
from bot.services import digest, routing
from bot.settings import Settings
from storage import handoffs, leads, qualifications
from storage.db import session_scope
from storage.models import Handoff, OutboxMessage, RoutingDecision
from storage.retry import run_in_transaction

POOL = ("UA", "UB", "UC")


def _handoff(engine: Engine, name: str) -> tuple[int, int]:
    with session_scope(engine) as session:
        lead, _ = leads.get_or_create_lead(session=session, team_id="T1", name=name)
        assert lead.id is not None
        handoff = handoffs.create_handoff(
            session=session, team_id="T1", lead_id=lead.id, qualification_id=None, alert_channel="C"
        )
        assert handoff.id is not None
        return lead.id, handoff.id


def _route(engine: Engine, config: TeamConfig, handoff_id: int) -> str | None:
    def work(session):  # type: ignore[no-untyped-def]
        handoff = session.get(Handoff, handoff_id)
        lead = leads.get_lead(session=session, team_id="T1", lead_id=handoff.lead_id)
        route = routing.choose(session, config, team_id="T1", lead=lead, fallback=())
        routing.record(session, handoff=handoff, route=route)
        return route.assignee

    return run_in_transaction(engine, work)


def test_concurrent_workers_take_turns_fairly(engine: Engine) -> None:
    config = TeamConfig(routing=RoutingConfig(default_pool=POOL, max_open_per_person=100))
    handoffs = [_handoff(engine, f"Lead {i}")[1] for i in range(12)]
    chosen: list[str | None] = []
    lock = threading.Lock()

    def worker(ids: list[int]) -> None:
        for handoff_id in ids:
            who = _route(engine, config, handoff_id)
            with lock:
                chosen.append(who)

    threads = [threading.Thread(target=worker, args=(handoffs[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The pointer moved under a lock: twelve turns over three people give four each.
    assert Counter(chosen) == Counter({"UA": 4, "UB": 4, "UC": 4})
    with session_scope(engine) as session:
        decisions = list(session.scalars(select(RoutingDecision)))
    assert len(decisions) == 12 and all("round-robin" in d.reason for d in decisions)


def test_recording_a_route_writes_the_handoff_once(engine: Engine) -> None:
    config = TeamConfig(routing=RoutingConfig(default_pool=POOL, max_open_per_person=100))
    _, handoff_id = _handoff(engine, "Routed Ltd")
    updates: list[str] = []

    def count_updates(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE HANDOFF"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", count_updates)
    try:
        assignee = _route(engine, config, handoff_id)
    finally:
        event.remove(engine, "before_cursor_execute", count_updates)
    # The handoff the session holds is not left looking changed: the flush writes nothing more.
    assert len(updates) == 1
    with session_scope(engine) as session:
        handoff = session.get(Handoff, handoff_id)
        decision = session.scalars(select(RoutingDecision)).one()
    assert (handoff.assignee_id, handoff.routing_pool) == (assignee, routing.DEFAULT_POOL)
    assert (decision.handoff_id, decision.assignee_id, decision.pool) == (
        handoff_id,
        assignee,
        routing.DEFAULT_POOL,
    )
    assert decision.detail == {"members": list(POOL), "skipped": {}}
    assert decision.created_at.tzinfo is not None


def test_digest_goes_out_once_a_day_after_its_hour(engine: Engine, tmp_path: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text(
        "digest: {hour: 8}\nbusiness_hours: {timezone: Europe/Berlin}\n", encoding="utf-8"
    )
    settings = Settings(manager_channel="CMGR", config_path=str(config))
    services = build_services(settings, engine=engine)
    lead_id, _handoff_id = _handoff(engine, "Digest Co")
    with session_scope(engine) as session:
        qualification = qualifications.start_qualification(
            session=session,
            team_id="T1",
            lead_id=lead_id,
            channel_id="C",
            thread_ts="1.0",
            rep_id="UREP",
            framework="bant",
            language="en",
            machine_state="budget",
            conversation={},
        )
        assert qualification.id is not None
    early = datetime(2030, 5, 6, 5, 0, tzinfo=UTC)  # 07:00 in Berlin: not yet
    late = datetime(2030, 5, 6, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    with session_scope(engine) as session:
        assert digest.send_digests(services, session, early) == 0
        assert digest.send_digests(services, session, late) == 1
        assert digest.send_digests(services, session, late) == 0
    with session_scope(engine) as session:
        keys = list(session.scalars(select(OutboxMessage.dedupe_key)))
    assert keys == ["digest:CMGR:2030-05-06"]
