"""Never silent: edits after the verdict, answers while paused, direct messages and mentions."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import ALERT_CHANNEL, CHANNEL, REP, Rig

WARM_BANT = ["No budget this year", "Contact decides", "Clear pain", "This quarter"]


def _everything(message: dict) -> str:
    return json.dumps({"text": message.get("text"), "blocks": message.get("blocks")})


def _verdict_word(rig: Rig, card_ts: str) -> str:
    return _everything(rig.card(card_ts)).lower()


def test_an_edit_after_the_verdict_turns_a_warm_lead_hot_and_alerts_once(rig: Rig) -> None:
    card_ts = rig.qualify("Warm Co")
    for answer in WARM_BANT:
        rig.reply(card_ts, answer)
    rig.wait(lambda: "warm" in _verdict_word(rig, card_ts))
    assert rig.bot_messages(ALERT_CHANNEL) == []

    rig.reply(card_ts, "edit budget")
    assert "budget" in rig.last_bot_text(card_ts).lower()
    rig.reply(card_ts, "Budget approved, 50k EUR")
    rig.wait(lambda: "hot" in _verdict_word(rig, card_ts))
    assert "hot" in rig.last_bot_text(card_ts).lower()
    alerts = rig.wait(lambda: rig.bot_messages(ALERT_CHANNEL))
    assert len(alerts) == 1 and "Warm Co" in alerts[0]["text"]

    # Back to no budget: the thread says the lead is no longer hot, and no second alert.
    rig.reply(card_ts, "edit budget")
    rig.reply(card_ts, "No budget this year")
    rig.wait(lambda: "no longer hot" in rig.last_bot_text(card_ts))
    rig.reply(card_ts, "edit budget")
    rig.reply(card_ts, "Budget approved, 50k EUR")
    rig.wait(lambda: "hot" in _verdict_word(rig, card_ts))
    assert len(rig.bot_messages(ALERT_CHANNEL)) == 1


def test_a_command_after_the_verdict_is_answered(rig: Rig) -> None:
    card_ts = rig.qualify("Done Co")
    for answer in WARM_BANT:
        rig.reply(card_ts, answer)
    rig.reply(card_ts, "cancel", wait_for_bot=False)
    note = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert "edit budget" in note[-1]["text"]


def test_an_answer_typed_while_paused_is_kept_for_the_resume(rig: Rig) -> None:
    card_ts = rig.qualify("Paused Co")
    rig.reply(card_ts, "pause")
    rig.reply(card_ts, "Budget approved, 50k EUR")
    assert "`resume`" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "resume")
    rig.wait(lambda: "Question 2 of 4" in rig.last_bot_text(card_ts))
    texts = [m["text"] for m in rig.bot_messages(CHANNEL, card_ts)]
    assert any("Welcome back" in text for text in texts)
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        answered = db.execute("SELECT criterion, status FROM answer").fetchall()
    assert ("budget", "met") in answered


def test_a_direct_message_gets_a_short_help_with_buttons(rig: Rig) -> None:
    dm = rig.standin.workspace.dm_for(REP)
    response = rig.sender.message("hello?", user_id=REP, channel_id=dm)
    assert response.status_code == 200
    help_post = rig.wait(lambda: rig.bot_messages(dm))[0]
    assert "/qualify" in help_post["text"]
    buttons = {
        e["action_id"]: e
        for b in help_post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }
    commands = buttons["help_commands"]
    rig.sender.block_action(
        "help_commands", commands["value"], user_id=REP, channel_id=dm, message_ts=help_post["ts"]
    )
    shown = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert "/lead status" in shown[-1]["text"]


def test_a_mention_in_a_channel_gets_the_help_to_the_person_alone(rig: Rig) -> None:
    event = {
        "type": "app_mention",
        "channel": CHANNEL,
        "user": REP,
        "text": "<@UBOT> what can you do?",
        "ts": "1700000000.000100",
        "event_ts": "1700000000.000100",
    }
    response = rig.sender.send(rig.sender.payloads.event(event))
    assert response.status_code == 200
    shown = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert "/qualify" in shown[-1]["text"] and shown[-1]["blocks"]
    assert rig.bot_messages(CHANNEL) == []
