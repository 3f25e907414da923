"""Message metadata: the card, the verdict and the alert say a lead was qualified, the messages
of a handoff decision say it was decided, and every post still names its outbox message."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bot.services.message_metadata import HANDOFF_DECIDED, LEAD_QUALIFIED, OUTBOX_EVENT
from tests.e2e.conftest import AE, ALERT_CHANNEL, CHANNEL, MANAGER_CHANNEL, Rig
from tests.e2e.test_handoff_and_commands import _buttons, _hot_lead


def _sent_ids(rig: Rig, ts: str) -> list[int]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT id, method, result FROM outbox_message WHERE status = 'sent'"
        ).fetchall()
    return [
        int(row_id)
        for row_id, method, result in rows
        if method in ("chat.postMessage", "sdrbot.dm")
        and (json.loads(result or "{}") or {}).get("ts") == ts
    ]


def _outbox_id(rig: Rig, channel: str, ts: str) -> int:
    """The outbox row recorded as sent with this message's ts (it is marked just after)."""
    ids = rig.wait(lambda: _sent_ids(rig, ts))
    assert len(ids) == 1, (channel, ts, ids)
    return ids[0]


def _lead_id(rig: Rig, name: str) -> int:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return int(db.execute("SELECT id FROM lead WHERE name = ?", (name,)).fetchone()[0])


def _verdict_message(rig: Rig, card_ts: str) -> dict[str, Any]:
    return rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(CHANNEL, card_ts) if " is hot" in m["text"]), None
        )
    )


def test_card_verdict_and_alert_carry_the_lead_qualified_event(rig: Rig) -> None:
    card_ts, alert = _hot_lead(rig, "Initech")
    lead_id = _lead_id(rig, "Initech")
    verdict = _verdict_message(rig, card_ts)

    posted = rig.standin.metadata(CHANNEL, verdict["ts"])
    assert posted is not None and posted["event_type"] == LEAD_QUALIFIED
    payload = posted["event_payload"]
    assert payload["lead_id"] == lead_id
    assert payload["verdict"] == "hot"
    assert payload["stage"] == "SQL"
    assert isinstance(payload["score"], int) and 0 <= payload["score"] <= 100
    # The outbox id is still there, so a post of unknown outcome can be found.
    assert payload["id"] == _outbox_id(rig, CHANNEL, verdict["ts"])

    on_alert = rig.standin.metadata(ALERT_CHANNEL, alert["ts"])
    assert on_alert is not None and on_alert["event_type"] == LEAD_QUALIFIED
    assert on_alert["event_payload"]["lead_id"] == lead_id
    assert on_alert["event_payload"]["score"] == payload["score"]
    assert on_alert["event_payload"]["id"] == _outbox_id(rig, ALERT_CHANNEL, alert["ts"])

    card = rig.wait(
        lambda: (
            (m := rig.standin.metadata(CHANNEL, card_ts))
            and m["event_type"] == LEAD_QUALIFIED
            and m
        )
    )
    assert card["event_payload"]["verdict"] == "hot"
    assert card["event_payload"]["stage"] == "SQL"
    # The card's update carries it: an update has no outbox id of its own to name.
    updates = [
        c
        for c in rig.standin.calls("chat.update")
        if c.args.get("ts") == card_ts and c.args.get("metadata")
    ]
    assert updates


def test_a_question_keeps_the_plain_outbox_event(rig: Rig) -> None:
    card_ts = rig.qualify("Globex")
    question = rig.bot_messages(CHANNEL, card_ts)[0]
    posted = rig.standin.metadata(CHANNEL, question["ts"])
    assert posted == {
        "event_type": OUTBOX_EVENT,
        "event_payload": {"id": _outbox_id(rig, CHANNEL, question["ts"])},
    }
    card = rig.standin.metadata(CHANNEL, card_ts)
    assert card is not None and card["event_type"] == OUTBOX_EVENT


def test_accepting_a_handoff_posts_the_handoff_decided_event(rig: Rig) -> None:
    card_ts, alert = _hot_lead(rig, "Hooli")
    lead_id = _lead_id(rig, "Hooli")
    accept = _buttons(alert)["handoff_accept"]
    response = rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    assert response.status_code == 200
    summary = rig.wait(lambda: rig.bot_messages(ALERT_CHANNEL, alert["ts"]))[0]
    notice = rig.wait(lambda: rig.bot_messages(MANAGER_CHANNEL))[0]
    in_thread = rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(CHANNEL, card_ts) if f"<@{AE}>" in m["text"]), None
        )
    )
    for channel, ts in (
        (ALERT_CHANNEL, summary["ts"]),
        (MANAGER_CHANNEL, notice["ts"]),
        (CHANNEL, in_thread["ts"]),
    ):
        posted = rig.standin.metadata(channel, ts)
        assert posted is not None and posted["event_type"] == HANDOFF_DECIDED, (channel, posted)
        payload = posted["event_payload"]
        assert payload["lead_id"] == lead_id
        assert payload["decision"] == "accepted"
        assert payload["decided_by"] == AE
        assert payload["stage"] == "SAL"
        assert payload["verdict"] == "hot"
        assert payload["id"] == _outbox_id(rig, channel, ts)
    # The alert, updated with the decision, says so too; the card keeps its lead event,
    # with the stage the decision gave.
    rig.wait(
        lambda: (
            (m := rig.standin.metadata(ALERT_CHANNEL, alert["ts"]))
            and m["event_type"] == HANDOFF_DECIDED
        )
    )
    card = rig.wait(
        lambda: (
            (m := rig.standin.metadata(CHANNEL, card_ts))
            and m["event_payload"].get("stage") == "SAL"
            and m
        )
    )
    assert card["event_type"] == LEAD_QUALIFIED


def test_rejecting_a_handoff_names_the_stage_it_gave(rig: Rig) -> None:
    card_ts, alert = _hot_lead(rig, "Vandelay")
    reject = _buttons(alert)["handoff_reject"]
    rig.sender.block_action(
        "handoff_reject",
        reject["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    opened = rig.wait(lambda: rig.standin.calls("views.open"))
    view = opened[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    done = rig.sender.view_submission(
        "reject_handoff",
        {"reason_block": {"reason_input": "Not a fit"}},
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    assert done.status_code == 200
    told = rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(CHANNEL, card_ts) if "Not a fit" in m["text"]), None
        )
    )
    posted = rig.standin.metadata(CHANNEL, told["ts"])
    assert posted is not None and posted["event_type"] == HANDOFF_DECIDED
    assert posted["event_payload"]["decision"] == "rejected"
    assert posted["event_payload"]["stage"] == "nurture"
