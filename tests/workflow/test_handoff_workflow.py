"""End to end through signed HTTP and the stand-in: routing, SLA escalation, structured rejects,
nurture reminders and re-qualification, on the bot's test clock."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import AE, AE2, ALERT_CHANNEL, CHANNEL, MANAGER, MANAGER_CHANNEL, REP
from tests.workflow.conftest import AE3, AWAY_AE, WARM_BANT, WorkflowRig


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def _assignee(rig: WorkflowRig, lead: str) -> str | None:
    rows = rig.sql(
        "SELECT h.assignee_id FROM handoff h JOIN lead l ON l.id = h.lead_id WHERE l.name = ?",
        lead,
    )
    return rows[0][0]


def _reject(rig: WorkflowRig, alert: dict[str, Any], code: str, text: str = "") -> None:
    before = len(rig.standin.calls("views.open"))
    rig.sender.block_action(
        "handoff_reject",
        _buttons(alert)["handoff_reject"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    # The modal opens right after the click's response: wait for this click's own.
    opened = rig.wait(lambda: rig.standin.calls("views.open")[before:])
    view = opened[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    # The modal names the lead first; the reason menu follows.
    select = next(b for b in view["blocks"] if b.get("block_id") == "reason_code_block")["element"]
    assert select["type"] == "static_select"
    assert code in {o["value"] for o in select["options"]}
    done = rig.sender.view_submission(
        "reject_handoff",
        {
            "reason_code_block": {
                "reason_code_input": {"type": "static_select", "selected_option": {"value": code}}
            },
            "reason_block": {"reason_input": text},
        },
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    assert done.status_code == 200
    assert not done.content or "errors" not in done.json()


def test_round_robin_skips_away_people_and_respects_the_cap_and_rules_win(
    wrig: WorkflowRig,
) -> None:
    # Default pool: AE, (away), AE2 with a cap of 2 open handoffs each.
    names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    assignees = []
    for name in names:
        _card, alert = wrig.hot_lead(name)
        assignees.append(_assignee(wrig, name))
        if assignees[-1]:
            assert f"<@{assignees[-1]}>" in json.dumps(alert["blocks"])
    assert assignees == [AE, AE2, AE, AE2, None]
    assert AWAY_AE not in assignees
    reasons = wrig.sql("SELECT reason, detail FROM routing_decision ORDER BY id")
    assert len(reasons) == len(names)
    assert json.loads(reasons[0][1])["skipped"] == {}
    assert json.loads(reasons[1][1])["skipped"] == {AWAY_AE: "away"}
    assert "nobody free" in reasons[4][0]
    # A DACH lead goes to the rule's pool, whatever the round-robin pointer says.
    wrig.sql(
        "INSERT INTO lead (name, name_key, team_id, region, stage, engagement_points, "
        "created_at, updated_at) VALUES ('Zeta GmbH', 'zeta gmbh', ?, 'DACH', 'lead', 0, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        wrig.standin.team_id,
    )
    wrig.hot_lead("Zeta GmbH")
    assert _assignee(wrig, "Zeta GmbH") == AE3
    rule = wrig.sql("SELECT rule, pool FROM routing_decision ORDER BY id DESC LIMIT 1")
    assert rule == [("dach", "dach")]


def test_sla_breach_escalates_twice_and_an_accepted_lead_never(wrig: WorkflowRig) -> None:
    _card, slow = wrig.hot_lead("Slowpoke")
    _card, quick = wrig.hot_lead("Quickly")
    wrig.sender.block_action(
        "handoff_accept",
        _buttons(quick)["handoff_accept"]["value"],
        user_id=AE2,
        channel_id=ALERT_CHANNEL,
        message_ts=quick["ts"],
    )
    wrig.wait(lambda: wrig.bot_messages(MANAGER_CHANNEL))  # the accept notice
    assert wrig.tick(advance_minutes=10)["escalations"] == 0
    assert wrig.tick(advance_minutes=6)["escalations"] == 1

    def escalations() -> list[dict[str, Any]]:
        return [m for m in wrig.bot_messages(MANAGER_CHANNEL) if ":rotating_light:" in m["text"]]

    first = wrig.wait(lambda: escalations())
    assert "Slowpoke" in first[0]["text"] and f"<@{MANAGER}>" in first[0]["text"]
    assert "handoff_accept" in _buttons(first[0])  # managers can still hand it out from here
    assert wrig.tick(advance_minutes=30)["escalations"] == 0  # the second deadline is 60 min
    assert wrig.tick(advance_minutes=31)["escalations"] == 1
    second = wrig.wait(lambda: escalations()[1:])
    assert "escalation 2" in second[0]["text"]
    assert wrig.tick(advance_minutes=600)["escalations"] == 0
    assert all("Quickly" not in m["text"] for m in escalations())
    assert len(escalations()) == 2
    # Accepting from the escalation stops the clock for good.
    wrig.sender.block_action(
        "handoff_accept",
        _buttons(slow)["handoff_accept"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=slow["ts"],
    )
    wrig.wait(
        lambda: wrig.sql(
            "SELECT 1 FROM handoff WHERE status = 'accepted' AND sla_due_at "
            "IS NULL AND escalations = 2"
        )
    )


def test_reject_reasons_send_the_lead_to_nurture_or_disqualified(wrig: WorkflowRig) -> None:
    card_a, alert_a = wrig.hot_lead("Budgetless")
    _reject(wrig, alert_a, "no_budget", "maybe next year")
    told = wrig.wait(
        lambda: [m for m in wrig.bot_messages(CHANNEL, card_a) if "No budget" in m["text"]]
    )
    assert "maybe next year" in told[0]["text"] and "nurture" in told[0]["text"]
    _card_b, alert_b = wrig.hot_lead("Misfit")
    _reject(wrig, alert_b, "not_a_fit")
    wrig.wait(
        lambda: wrig.sql("SELECT 1 FROM lead WHERE name = 'Misfit' AND stage = 'disqualified'")
    )
    assert wrig.sql("SELECT stage FROM lead WHERE name = 'Budgetless'") == [("nurture",)]
    assert wrig.sql("SELECT reason_code, reason FROM handoff ORDER BY id") == [
        ("no_budget", "maybe next year"),
        ("not_a_fit", None),
    ]
    # The rep hears it in a DM too.
    dms = wrig.wait(
        lambda: [c for c in wrig.standin.calls("conversations.open") if c.args.get("users") == REP]
    )
    assert dms
    # Only the nurtured lead gets a reminder.
    assert wrig.sql("SELECT l.name FROM nurture_reminder r JOIN lead l ON l.id = r.lead_id") == [
        ("Budgetless",)
    ]


def test_other_needs_words(wrig: WorkflowRig) -> None:
    _card, alert = wrig.hot_lead("Wordless")
    wrig.sender.block_action(
        "handoff_reject",
        _buttons(alert)["handoff_reject"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    view = wrig.wait(lambda: wrig.standin.calls("views.open"))[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    answer = wrig.sender.view_submission(
        "reject_handoff",
        {
            "reason_code_block": {
                "reason_code_input": {
                    "type": "static_select",
                    "selected_option": {"value": "other"},
                }
            },
            "reason_block": {"reason_input": ""},
        },
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    assert "reason_block" in answer.json()["errors"]
    assert wrig.sql("SELECT status FROM handoff") == [("pending",)]


def test_warm_lead_reminder_and_requalification_asks_only_missing_or_stale(
    wrig: WorkflowRig,
) -> None:
    card_ts = wrig.qualify("Tepid Inc")
    for answer in WARM_BANT:
        wrig.reply(card_ts, answer)
    assert "warm" in wrig.last_bot_text(card_ts)
    assert wrig.tick()["planned_reminders"] == 1
    assert wrig.tick(advance_minutes=13 * 24 * 60)["reminders"] == 0
    assert wrig.tick(advance_minutes=2 * 24 * 60)["reminders"] == 1
    assert wrig.tick(advance_minutes=60)["reminders"] == 0  # once
    # Budget was answered long ago: it counts as stale and is asked again.
    wrig.sql("UPDATE answer SET answered_at = '2020-01-01 00:00:00' WHERE criterion = 'budget'")
    dm = wrig.wait(
        lambda: [
            c
            for c in wrig.standin.calls("chat.postMessage")
            if "Re-qualify" in json.dumps(c.args.get("blocks"))
        ]
    )
    button = _buttons(dm[0].args)["nurture_requalify"]
    before = {m["ts"] for m in wrig.standin.messages(CHANNEL)}
    wrig.sender.block_action(
        "nurture_requalify", button["value"], user_id=REP, channel_id="D1", message_ts="1.1"
    )
    card = wrig.wait(
        lambda: next(
            (
                m
                for m in wrig.standin.messages(CHANNEL)
                if m["ts"] not in before
                and m.get("bot_id")
                and m.get("thread_ts") in (None, m["ts"])
            ),
            None,
        )
    )
    thread = wrig.wait(lambda: wrig.bot_messages(CHANNEL, card["ts"])[1:])
    card_text = json.dumps(card["blocks"], ensure_ascii=False)
    assert "4 questions · 2 already answered when it started" in card_text  # authority, need
    assert "budget" in thread[0]["text"].lower()  # the stale one comes first
    wrig.reply(card["ts"], "Budget approved")
    assert "when" in wrig.last_bot_text(card["ts"]).lower()  # then the gap: timeline
    wrig.reply(card["ts"], "This quarter")
    assert "hot" in wrig.last_bot_text(card["ts"])
    # A second click does not start another one.
    wrig.sender.block_action(
        "nurture_requalify", button["value"], user_id=REP, channel_id="D1", message_ts="1.1"
    )
    wrig.wait(lambda: wrig.standin.ephemerals(REP))
    assert len(wrig.sql("SELECT id FROM qualification")) == 2
