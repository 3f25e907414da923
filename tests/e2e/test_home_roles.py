"""App Home per role: a rep's Qualify a lead, an account executive's waiting handoffs with
their SLA clocks, a manager's funnel and reject reasons; end to end."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import AE, ALERT_CHANNEL, CHANNEL, MANAGER, REP, Rig
from tests.e2e.test_handoff_and_commands import _buttons, _hot_lead
from tests.e2e.test_settings import _home


def _opened_after(rig: Rig, count: int) -> dict[str, Any]:
    opened = rig.wait(lambda: rig.standin.calls("views.open")[count:])
    view = opened[0].args["view"]
    return json.loads(view) if isinstance(view, str) else view


def _accessory(view: dict[str, Any], action_id: str) -> dict[str, Any] | None:
    return next(
        (
            b["accessory"]
            for b in view["blocks"]
            if (b.get("accessory") or {}).get("action_id") == action_id
        ),
        None,
    )


def test_a_rep_qualifies_a_lead_from_app_home_in_the_channel_they_pick(rig: Rig) -> None:
    home = _home(rig, REP)
    button = _accessory(home, "qualify_open")
    assert button is not None
    assert "Handoffs waiting" not in json.dumps(home) and "Team funnel" not in json.dumps(home)
    count = len(rig.standin.calls("views.open"))
    rig.sender.block_action(
        "qualify_open", button["value"], user_id=REP, channel_id=None, message_ts=None
    )
    modal = _opened_after(rig, count)
    assert modal["callback_id"] == "qualify_lead"

    empty = rig.sender.view_submission("qualify_lead", {"lead": {"value": ""}}, user_id=REP)
    assert set(empty.json()["errors"]) == {"lead", "channel"}

    values = {
        "lead": {"value": "Modal Co"},
        "framework": {
            "value": {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "MEDDIC"},
                    "value": "meddic",
                },
            }
        },
        "channel": {"value": {"type": "conversations_select", "selected_conversation": CHANNEL}},
        "notes": {"value": "Budget is 50k EUR approved"},
    }
    started = rig.sender.view_submission("qualify_lead", values, user_id=REP)
    assert started.status_code == 200 and "errors" not in started.text
    card = rig.wait(
        lambda: next((m for m in rig.bot_messages(CHANNEL) if "Modal Co" in m["text"]), None)
    )
    assert "MEDDIC" in json.dumps(card)
    home = json.dumps(_home(rig, REP))
    assert "Modal Co" in home


def test_an_account_executive_sees_the_handoffs_waiting_with_their_sla(rig: Rig) -> None:
    _hot_lead(rig, "Waiting Co")
    home = json.dumps(_home(rig, AE))
    assert "Handoffs waiting for you" in home
    assert "Waiting Co" in home and "min left on the SLA" in home


def test_a_manager_sees_the_funnel_and_the_top_reject_reasons(rig: Rig) -> None:
    assert "No handoff rejected in the last 30 days" in json.dumps(_home(rig, MANAGER))
    _card, alert = _hot_lead(rig, "Rejected Co")
    reject = _buttons(alert)["handoff_reject"]
    count = len(rig.standin.calls("views.open"))
    rig.sender.block_action(
        "handoff_reject",
        reject["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    modal = _opened_after(rig, count)
    code = {
        "type": "static_select",
        "selected_option": {
            "text": {"type": "plain_text", "text": "No budget"},
            "value": "no_budget",
        },
    }
    rig.sender.view_submission(
        "reject_handoff",
        {"reason_code_block": {"reason_code_input": code}, "reason_block": {"reason_input": ""}},
        user_id=AE,
        private_metadata=modal["private_metadata"],
    )
    home = rig.wait(
        lambda: "No budget: 1" in json.dumps(_home(rig, MANAGER)) and rig.standin.home(MANAGER)
    )
    text = json.dumps(home)
    assert "Team funnel" in text and "Top reject reasons" in text
