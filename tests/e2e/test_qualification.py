"""From ``/qualify`` to the verdict through the real HTTP endpoint and the Slack stand-in."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import CHANNEL, MANAGER, OTHER_REP, REP, Rig

HOT_BANT = ["Budget approved", "Contact decides", "Clear pain", "This quarter"]
COLD_BANT = ["No budget", "No say at all", "No need", "Later or never"]
QUESTION_WORDS = {
    "budget": "budget",
    "authority": "signs off",
    "need": "problem",
    "timeline": "When",
}


def _answers(database_url: str) -> list[tuple[str, str, str]]:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT criterion, text, answered_by FROM answer WHERE superseded = 0 ORDER BY id"
        ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def _card_blocks(rig: Rig, card_ts: str) -> str:
    """The card's blocks as JSON with their characters kept (the wording uses "·")."""
    return json.dumps(rig.card(card_ts)["blocks"], ensure_ascii=False)


def test_full_bant_hot_lead_asks_every_question_and_updates_the_card(rig: Rig) -> None:
    card_ts = rig.qualify("Acme Corp")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    assert "budget" in first["text"].lower()
    assert any(block["type"] == "actions" for block in first["blocks"])
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    # Each answered question closes in place, so the questions asked are read from the posts.
    texts = [
        str(c.args.get("text"))
        for c in rig.standin.calls("chat.postMessage")
        if c.args.get("thread_ts") == card_ts
    ]
    for key, word in QUESTION_WORDS.items():
        assert any(word.lower() in t.lower() for t in texts), (key, texts)
    verdict = rig.wait(lambda: next((t for t in texts if " is hot" in t), None))
    assert "Acme Corp" in verdict
    card = rig.card(card_ts)
    assert "hot" in json.dumps(card["blocks"]).lower()
    assert [a[0] for a in _answers(rig.database_url)] == ["budget", "authority", "need", "timeline"]
    assert _answers(rig.database_url)[0][1:] == ("Budget approved", REP)


def test_full_bant_cold_lead(rig: Rig) -> None:
    card_ts = rig.qualify("Tiny Shop")
    for answer in COLD_BANT:
        rig.reply(card_ts, answer)
    assert "cold" in rig.last_bot_text(card_ts)
    assert "cold" in json.dumps(rig.card(card_ts)["blocks"]).lower()
    assert not rig.bot_messages("CALERTS")


def test_full_meddic_qualification_reaches_a_verdict(rig: Rig) -> None:
    card_ts = rig.qualify("Globex meddic")
    first = rig.bot_messages(CHANNEL, card_ts)[0]["text"]
    assert "1 of 6" in first
    answers = [
        "They want to cut onboarding time by 40%",
        "The CFO, Jane, owns the budget and we met her",
        "Security, SSO and price matter most",
        "Pilot in May, then procurement signs in June",
        "Manual reporting costs them two days a week",
        "Our champion is the head of ops who pushes hard for us",
    ]
    for answer in answers:
        rig.reply(card_ts, answer, wait_for_bot=True)
        # A clarification asks again: answer it with its first quick answer.
        last = rig.bot_messages(CHANNEL, card_ts)[-1]
        if "of 6" not in last["text"] and not any(
            w in last["text"] for w in ("hot", "warm", "cold")
        ):
            label = last["blocks"][1]["elements"][0]["text"]["text"]
            rig.reply(card_ts, label)
    final = rig.last_bot_text(card_ts)
    assert any(word in final for word in ("hot", "warm", "cold")), final
    assert {a[0] for a in _answers(rig.database_url)} == {
        "metrics",
        "economic_buyer",
        "decision_criteria",
        "decision_process",
        "identify_pain",
        "champion",
    }


def test_retried_event_is_processed_once(rig: Rig) -> None:
    card_ts = rig.qualify("Retry Inc")
    ts = rig.standin.post_user_message(CHANNEL, REP, "Budget approved", thread_ts=card_ts)
    for attempt in range(3):
        response = rig.sender.message(
            "Budget approved",
            user_id=REP,
            channel_id=CHANNEL,
            thread_ts=card_ts,
            ts=ts,
            event_id="Ev-retry-1",
            retry_num=attempt or None,
        )
        assert response.status_code == 200
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) >= 2)
    import time

    time.sleep(0.5)
    questions = rig.bot_messages(CHANNEL, card_ts)
    assert len(questions) == 2, [q["text"] for q in questions]
    assert len(_answers(rig.database_url)) == 1


def test_same_message_under_a_new_event_id_is_processed_once(rig: Rig) -> None:
    card_ts = rig.qualify("Dupe Ltd")
    ts = rig.standin.post_user_message(CHANNEL, REP, "Budget approved", thread_ts=card_ts)
    for event_id in ("Ev-a", "Ev-b"):
        rig.sender.message(
            "Budget approved",
            user_id=REP,
            channel_id=CHANNEL,
            thread_ts=card_ts,
            ts=ts,
            event_id=event_id,
        )
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) >= 2)
    import time

    time.sleep(0.5)
    assert len(rig.bot_messages(CHANNEL, card_ts)) == 2
    assert len(_answers(rig.database_url)) == 1


def test_other_users_get_an_ephemeral_note_and_nothing_is_stored(rig: Rig) -> None:
    card_ts = rig.qualify("Owned Co")
    rig.reply(card_ts, "Budget approved", user=OTHER_REP, wait_for_bot=False)
    note = rig.wait(lambda: rig.standin.ephemerals(OTHER_REP))
    assert f"<@{REP}>" in json.dumps(note)
    assert _answers(rig.database_url) == []
    assert len(rig.bot_messages(CHANNEL, card_ts)) == 1
    rig.reply(card_ts, "Budget approved", user=MANAGER)
    assert _answers(rig.database_url)[0][2] == MANAGER


def test_bot_messages_and_edits_are_ignored(rig: Rig) -> None:
    card_ts = rig.qualify("Quiet Co")
    rig.sender.message(
        "Budget approved", user_id=REP, channel_id=CHANNEL, thread_ts=card_ts, bot_id="B999"
    )
    rig.sender.message(
        "Budget approved",
        user_id=REP,
        channel_id=CHANNEL,
        thread_ts=card_ts,
        subtype="message_changed",
    )
    import time

    time.sleep(0.4)
    assert _answers(rig.database_url) == []


def test_thread_commands_skip_back_pause_resume_help_and_cancel(rig: Rig) -> None:
    card_ts = rig.qualify("Command Co")
    rig.reply(card_ts, "skip")
    assert "2 of 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "back")
    assert "1 of 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "help")
    assert "skip" in json.dumps(rig.bot_messages(CHANNEL, card_ts)[-1]["blocks"])
    rig.reply(card_ts, "pause")
    assert "resume" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "resume")
    assert "1 of 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "Budget approved")
    rig.reply(card_ts, "edit budget")
    assert "1 of 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "No budget")
    assert "2 of 4" in rig.last_bot_text(card_ts)
    assert _answers(rig.database_url)[0][:2] == ("budget", "No budget")
    rig.reply(card_ts, "cancel")
    assert "cancel" in rig.last_bot_text(card_ts).lower()
    assert "Cancelled" in json.dumps(rig.card(card_ts)["blocks"])


def test_the_card_changes_with_the_status_not_with_every_answer(rig: Rig) -> None:
    card_ts = rig.qualify("Steady Card Co")

    def card_updates() -> list[dict[str, object]]:
        return [c.args for c in rig.standin.calls("chat.update") if c.args.get("ts") == card_ts]

    # Answers and moves within the questions leave the card alone (Slack allows about 50
    # chat.update calls a minute per workspace); the thread says "Question n of m".
    moves = ("Budget approved", "Contact decides", "edit budget", "Budget approved", "skip", "back")
    for text in moves:
        rig.reply(card_ts, text)
    assert "3 of 4" in rig.last_bot_text(card_ts)
    assert card_updates() == []
    # The running card therefore claims no count of answers.
    started = _card_blocks(rig, card_ts)
    assert "4 questions · the thread shows how far it got" in started
    assert "answered" not in started

    rig.reply(card_ts, "pause")
    rig.wait(lambda: len(card_updates()) == 1)
    paused = _card_blocks(rig, card_ts)  # the skipped need is no answer
    assert "Paused" in paused and "Progress: 2 of 4 questions answered" in paused
    rig.reply(card_ts, "resume")
    rig.wait(lambda: len(card_updates()) == 2)
    resumed = _card_blocks(rig, card_ts)
    assert "Paused" not in resumed and "Progress" not in resumed
    assert "4 questions · 2 already answered when it started or last resumed" in resumed

    rig.reply(card_ts, HOT_BANT[2])
    assert len(card_updates()) == 2
    rig.reply(card_ts, HOT_BANT[3])
    rig.wait(lambda: len(card_updates()) == 3)
    assert " is hot" in rig.last_bot_text(card_ts)
    assert "hot" in json.dumps(rig.card(card_ts)["blocks"]).lower()


def test_quick_answer_button_answers_and_a_stale_button_does_nothing(rig: Rig) -> None:
    card_ts = rig.qualify("Button Co")
    question = rig.bot_messages(CHANNEL, card_ts)[0]
    button = question["blocks"][1]["elements"][0]
    response = rig.sender.block_action(
        button["action_id"],
        button["value"],
        user_id=REP,
        channel_id=CHANNEL,
        message_ts=question["ts"],
        thread_ts=card_ts,
    )
    assert response.status_code == 200
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) >= 2)
    rig.sender.block_action(
        button["action_id"],
        button["value"],
        user_id=REP,
        channel_id=CHANNEL,
        message_ts=question["ts"],
        thread_ts=card_ts,
    )
    rig.wait(lambda: rig.standin.ephemerals(REP))
    assert len(_answers(rig.database_url)) == 1


def test_a_second_framework_reuses_what_bant_already_learned(rig: Rig) -> None:
    card_ts = rig.qualify("Carry Co")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    second = rig.qualify("Carry Co meddic")
    # BANT's authority and need answer MEDDIC's economic buyer and pain: neither is asked.
    assert "6 questions · 2 already answered when it started" in _card_blocks(rig, second)
    assert "1 of 6" in rig.last_bot_text(second)
    rig.reply(second, "They want to cut onboarding time by 40%", channel=CHANNEL)
    asked = rig.last_bot_text(second)
    assert "3 of 6" in asked, asked
