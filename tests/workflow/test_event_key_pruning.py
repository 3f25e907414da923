"""Processed-event keys are kept for Slack's retry window and pruned by the scheduler after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import events
from storage.db import session_scope
from storage.models import ProcessedEvent
from tests.e2e.conftest import CHANNEL, REP
from tests.workflow.conftest import WorkflowRig


def test_event_keys_outlive_the_retry_window_and_are_pruned_after_an_hour(
    wrig: WorkflowRig,
) -> None:
    card_ts = wrig.qualify("Pruned Keys GmbH")
    wrig.reply(card_ts, "Budget approved", event_id="EvPrune1")
    keys = {key for (key,) in wrig.sql("SELECT event_id FROM processed_event")}
    assert "EvPrune1" in keys
    assert any(key.startswith("trigger:") for key in keys)

    assert wrig.tick(advance_minutes=30)["pruned_event_keys"] == 0
    assert {key for (key,) in wrig.sql("SELECT event_id FROM processed_event")} == keys
    # Inside the window a retry of the event is still recognised and changes nothing.
    asked = len(wrig.bot_messages(CHANNEL, card_ts))
    wrig.reply(card_ts, "Budget approved", event_id="EvPrune1", wait_for_bot=False)
    wrig.reply(card_ts, "Contact decides", user=REP)
    assert len(wrig.bot_messages(CHANNEL, card_ts)) == asked + 1

    report = wrig.tick(advance_minutes=31)
    assert report["pruned_event_keys"] >= len(keys)
    assert not {key for (key,) in wrig.sql("SELECT event_id FROM processed_event")} & keys


def test_prune_events_deletes_only_keys_older_than_the_window(engine: Engine) -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    with session_scope(engine) as session:
        for key, age in (("old", 61), ("edge", 59), ("new", 1)):
            session.add(
                ProcessedEvent(team_id="T1", event_id=key, received_at=now - timedelta(minutes=age))
            )
        session.add(
            ProcessedEvent(team_id="T2", event_id="old", received_at=now - timedelta(days=2))
        )
    with session_scope(engine) as session:
        assert events.prune_events(session=session, now=now) == 2
    with Session(engine) as session:
        left = sorted((e.team_id, e.event_id) for e in session.exec(select(ProcessedEvent)))
    assert left == [("T1", "edge"), ("T1", "new")]
