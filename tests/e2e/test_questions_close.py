"""Answered questions close in place; stale clicks are told; Back and Cancel are safe."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import CHANNEL, REP, Rig


def _buttons(message: dict) -> dict[str, dict]:
    return {
        element["action_id"]: element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    }


def _remembered(rig: Rig, card_ts: str) -> str:
    """The ts of the thread's open question once its post is recorded as sent.

    A person answers seconds after a question shows; the test waits for the record instead.
    """

    def read() -> str | None:
        with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
            row = db.execute(
                "SELECT question_ts FROM qualification WHERE thread_ts = ?", (card_ts,)
            ).fetchone()
        return row[0] if row and row[0] else None

    return str(rig.wait(read))


def _closed(rig: Rig, card_ts: str, ts: str) -> dict:
    """The question at ``ts`` once it has no buttons left."""

    def find() -> dict | None:
        message = next(m for m in rig.bot_messages(CHANNEL, card_ts) if m["ts"] == ts)
        return None if _buttons(message) else message

    return rig.wait(find)


def test_a_typed_answer_closes_its_question_in_one_line(rig: Rig) -> None:
    card_ts = rig.qualify("Closing Co")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    controls = _buttons(first)
    assert "qa_back" not in controls  # nothing to go back to on the first question
    assert controls["qa_cancel"]["confirm"]["style"] == "danger"
    assert _remembered(rig, card_ts) == first["ts"]
    rig.reply(card_ts, "€40,000 set aside")
    closed = _closed(rig, card_ts, first["ts"])
    line = json.dumps(closed, ensure_ascii=False)
    assert "✅" in line and "Budget" in line and "€40,000 set aside" in line
    assert f"<@{REP}>" in closed["text"] and len(closed["blocks"]) == 1
    second = rig.bot_messages(CHANNEL, card_ts)[-1]
    assert "qa_back" in _buttons(second)


def test_a_clicked_answer_closes_its_question_and_a_stale_click_is_told(rig: Rig) -> None:
    card_ts = rig.qualify("Clicking Co")
    question = rig.bot_messages(CHANNEL, card_ts)[0]
    answer = next(b for key, b in _buttons(question).items() if key.startswith("qa_answer_"))
    click = {"user_id": REP, "channel_id": CHANNEL, "message_ts": question["ts"]}
    rig.sender.block_action(answer["action_id"], answer["value"], thread_ts=card_ts, **click)
    closed = _closed(rig, card_ts, question["ts"])
    assert answer["text"]["text"] in closed["text"]
    # The same button, clicked again from a copy of the old message, does nothing but say so.
    rig.sender.block_action(answer["action_id"], answer["value"], thread_ts=card_ts, **click)
    assert rig.wait(lambda: rig.standin.ephemerals(REP))


def test_a_skip_closes_the_question_as_skipped_and_does_not_count_as_answered(rig: Rig) -> None:
    card_ts = rig.qualify("Skipping Co")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    _remembered(rig, card_ts)
    rig.reply(card_ts, "skip")
    closed = _closed(rig, card_ts, first["ts"])
    assert "⏭" in closed["text"] and "skipped" in closed["text"]
    rig.reply(card_ts, "pause")
    card = rig.wait(lambda: "aused" in json.dumps(rig.card(card_ts)) and rig.card(card_ts))
    assert "0 of 4" in json.dumps(card)


def test_a_question_asked_again_keeps_buttons_only_on_its_newest_copy(rig: Rig) -> None:
    card_ts = rig.qualify("Unclear Co")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    _remembered(rig, card_ts)
    rig.reply(card_ts, "yes")  # a bare yes to "how much": the bot asks for the amount
    retired = _closed(rig, card_ts, first["ts"])
    assert "Asked again below" in json.dumps(retired)
    follow_up = rig.bot_messages(CHANNEL, card_ts)[-1]
    assert _buttons(follow_up)
    assert rig.wait(lambda: _remembered(rig, card_ts) == follow_up["ts"])
    rig.reply(card_ts, "50k EUR approved")
    closed = _closed(rig, card_ts, follow_up["ts"])
    assert "50k EUR approved" in closed["text"]
