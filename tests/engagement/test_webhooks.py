"""Verdict and handoff webhooks from the running bot reach a local receiver, signed."""

from __future__ import annotations

import json
from typing import Any

from bot.services import webhooks
from tests.e2e.conftest import AE, ALERT_CHANNEL, REP
from tests.engagement.conftest import HOOK_SECRET
from tests.reporting.test_webhooks import Receiver
from tests.workflow.conftest import WARM_BANT, WorkflowRig
from tests.workflow.test_handoff_workflow import _buttons, _reject


def _deliveries(receiver: Receiver, event: str) -> list[tuple[dict[str, str], dict[str, Any]]]:
    found = []
    for headers, body, _status in receiver.received:
        assert webhooks.verify(
            HOOK_SECRET, headers["X-Sdrbot-Timestamp"], body, headers["X-Sdrbot-Signature"]
        ), "every delivery carries a valid signature"
        payload = json.loads(body)
        if payload["event"] == event:
            found.append((headers, payload))
    return found


def test_a_verdict_and_an_accepted_handoff_are_delivered(
    erig: WorkflowRig, receiver: Receiver
) -> None:
    _card, alert = erig.hot_lead("Acme")
    (headers, verdict), *rest = erig.wait(lambda: _deliveries(receiver, "verdict"))
    assert not rest
    assert headers["X-Sdrbot-Event"] == "verdict"
    assert verdict["team_id"] == erig.standin.team_id
    data = verdict["data"]
    assert (data["lead"], data["verdict"], data["framework"], data["rep_id"]) == (
        "Acme", "hot", "bant", REP,
    )  # fmt: skip
    assert data["stage"] == "SQL" and data["score"] >= 70
    assert set(data["criteria"]) == {"budget", "authority", "need", "timeline"}

    erig.sender.block_action(
        "handoff_accept", _buttons(alert)["handoff_accept"]["value"],
        user_id=AE, channel_id=ALERT_CHANNEL, message_ts=alert["ts"],
    )  # fmt: skip
    [(_, accepted)] = erig.wait(lambda: _deliveries(receiver, "handoff.accepted"))
    assert accepted["data"]["lead"] == "Acme" and accepted["data"]["decided_by"] == AE
    assert accepted["data"]["stage"] == "SAL"
    assert accepted["data"]["lead_id"] == data["lead_id"]
    assert not _deliveries(receiver, "handoff.rejected")


def test_a_rejected_handoff_names_the_reason_and_a_warm_verdict_is_delivered(
    erig: WorkflowRig, receiver: Receiver
) -> None:
    _card, alert = erig.hot_lead("Umbrella")
    _reject(erig, alert, "wrong_contact")
    [(_, rejected)] = erig.wait(lambda: _deliveries(receiver, "handoff.rejected"))
    assert rejected["data"]["reason_code"] == "wrong_contact"
    assert rejected["data"]["stage"] == "disqualified"
    assert rejected["data"]["decided_by"] == AE

    card = erig.qualify("Wayne")
    for answer in WARM_BANT:
        erig.reply(card, answer)
    verdicts = erig.wait(
        lambda: [p for _, p in _deliveries(receiver, "verdict") if p["data"]["lead"] == "Wayne"]
    )
    assert verdicts[0]["data"]["verdict"] == "warm"
    assert "timeline" in verdicts[0]["data"]["gaps"]
