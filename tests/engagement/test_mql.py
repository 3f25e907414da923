"""Crossing the MQL threshold: one announcement with a "Qualify now" button that starts it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, select

from bot.standin.ids import dm_channel_id
from storage.db import session_scope
from storage.models import Lead, OutboxMessage, Qualification
from tests.e2e.conftest import MANAGER_CHANNEL, OTHER_REP, REP
from tests.engagement.conftest import add_lead
from tests.engagement.test_api import NOW, post
from tests.workflow.conftest import WorkflowRig


def _announcements(rig: WorkflowRig, channel: str) -> list[dict[str, Any]]:
    return [
        m
        for m in rig.bot_messages(channel)
        if any(b.get("block_id") == "mql" for b in m.get("blocks") or [])
    ]


def _qualify_now_value(message: dict[str, Any]) -> str:
    actions = next(b for b in message["blocks"] if b.get("block_id") == "mql")
    button = actions["elements"][0]
    assert button["action_id"] == "engagement_qualify_now"
    return str(button["value"])


def test_two_events_crossing_together_announce_once_to_the_owner(
    erig: WorkflowRig, db: Engine
) -> None:
    erig.tick(now=NOW)
    lead_id = add_lead(db, erig.standin.team_id, "Globex", REP)
    below = post(erig, lead_id, {"type": "x", "points": 40, "at": NOW})
    assert below.json()["announced"] is False
    # Two events at once, each enough to cross from 40 to at least 50.
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(
            pool.map(lambda _: post(erig, lead_id, {"type": "pricing_page_view"}), range(2))
        )
    assert [r.status_code for r in responses] == [201, 201]
    assert sorted(r.json()["announced"] for r in responses) == [False, True]
    assert post(erig, lead_id, {"type": "demo_request"}).json()["announced"] is False

    dm = dm_channel_id(REP)
    message = erig.wait(lambda: _announcements(erig, dm))[0]
    assert "Globex" in message["text"] and "65 points" in message["text"]
    time.sleep(0.5)  # room for a wrongly doubled delivery to land
    assert len(_announcements(erig, dm)) == 1
    assert not _announcements(erig, MANAGER_CHANNEL)
    with session_scope(db) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.stage == "MQL" and lead.engagement_points == 130
        keys = session.scalars(select(OutboxMessage.dedupe_key)).all()
    assert keys.count(f"engagement:mql:lead:{lead_id}") == 1


def test_a_lead_without_owner_is_announced_to_the_managers(erig: WorkflowRig, db: Engine) -> None:
    lead_id = add_lead(db, erig.standin.team_id, "Soylent", None)
    assert post(erig, lead_id, {"type": "demo_request", "points": 60}).json()["announced"]
    message = erig.wait(lambda: _announcements(erig, MANAGER_CHANNEL))[0]
    assert "Soylent" in message["text"] and "no owner" in message["text"]


def test_qualify_now_starts_the_qualification_in_the_dm(erig: WorkflowRig, db: Engine) -> None:
    lead_id = add_lead(db, erig.standin.team_id, "Hooli", REP)
    post(erig, lead_id, {"type": "demo_request", "points": 55})
    dm = dm_channel_id(REP)
    announcement = erig.wait(lambda: _announcements(erig, dm))[0]
    value = _qualify_now_value(announcement)
    assert json.loads(value) == {"lead": lead_id}

    # Someone else's lead: refused, nothing started.
    erig.sender.block_action(
        "engagement_qualify_now", value, user_id=OTHER_REP, channel_id=dm,
        message_ts=announcement["ts"],
    )  # fmt: skip
    assert "belongs to" in erig.wait(lambda: erig.standin.ephemerals(OTHER_REP))[0]["text"]

    response = erig.sender.block_action(
        "engagement_qualify_now", value, user_id=REP, channel_id=dm, message_ts=announcement["ts"]
    )
    assert response.status_code == 200
    card = erig.wait(
        lambda: next(
            (
                m
                for m in erig.bot_messages(dm)
                if "Hooli" in m["text"] and m["ts"] != announcement["ts"]
            ),
            None,
        )
    )
    question = erig.wait(lambda: erig.bot_messages(dm, card["ts"]))[0]
    assert "budget" in question["text"].lower()
    with session_scope(db) as session:
        started = session.scalars(select(Qualification)).one()
    assert (started.lead_id, started.rep_id, started.channel_id) == (lead_id, REP, dm)
    assert started.framework == "bant" and started.thread_ts == card["ts"]

    # A second click while it runs starts nothing new.
    erig.sender.block_action(
        "engagement_qualify_now", value, user_id=REP, channel_id=dm, message_ts=announcement["ts"]
    )
    assert "already being qualified" in erig.wait(lambda: erig.standin.ephemerals(REP))[0]["text"]
    with session_scope(db) as session:
        assert len(session.scalars(select(Qualification)).all()) == 1
