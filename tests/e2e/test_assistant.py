"""The AI-app side panel: an assistant thread gets its prompts, runs a qualification in the
same thread (with a status line while it scores), and answers the other prompts."""

from __future__ import annotations

import sqlite3
from importlib import resources
from typing import Any

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.message_metadata import LEAD_QUALIFIED
from bot.standin.access import manifest_scopes
from bot.standin.server import SlackStandIn
from tests.e2e.conftest import ALERT_CHANNEL, CHANNEL, REP, Rig
from tests.e2e.test_qualification import HOT_BANT

PROMPTS_EN = ["Qualify a lead", "Status of a lead", "My open qualifications"]


def _open(rig: Rig, user: str = REP) -> tuple[str, str]:
    """Open the side panel for ``user``; return its DM and thread once the bot greeted."""
    thread = rig.standin.start_assistant_thread(user, context_channel=CHANNEL)
    response = rig.sender.assistant_thread_started(thread)
    assert response.status_code == 200, response.text
    channel, thread_ts = thread["channel_id"], thread["thread_ts"]
    rig.wait(lambda: rig.bot_messages(channel, thread_ts))
    rig.wait(lambda: (rig.standin.assistant_thread(channel, thread_ts) or {}).get("prompts"))
    return channel, thread_ts


def _statuses(rig: Rig, channel: str, thread_ts: str) -> list[str]:
    return [
        str(call.args.get("status"))
        for call in rig.standin.calls("assistant.threads.setStatus")
        if call.args.get("channel_id") == channel and call.args.get("thread_ts") == thread_ts
    ]


def _qualification(rig: Rig, lead: str) -> tuple[str, str, str | None, str]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        row = db.execute(
            "SELECT q.channel_id, q.thread_ts, q.card_ts, q.status FROM qualification q "
            "JOIN lead l ON l.id = q.lead_id WHERE l.name = ?",
            (lead,),
        ).fetchone()
    assert row is not None
    return row


def test_an_assistant_thread_gets_its_prompts_and_runs_a_qualification(rig: Rig) -> None:
    channel, thread_ts = _open(rig)
    assert channel.startswith("D")
    shown = rig.standin.assistant_thread(channel, thread_ts)
    assert shown is not None
    assert [p["title"] for p in shown["prompts"]] == PROMPTS_EN
    assert [p["message"] for p in shown["prompts"]] == PROMPTS_EN
    greeting = rig.bot_messages(channel, thread_ts)[0]
    assert "qualify" in greeting["text"].lower()

    rig.reply(thread_ts, "Qualify a lead", channel=channel)
    assert "Which lead" in rig.last_bot_text(thread_ts, channel)

    rig.reply(thread_ts, "Initech", channel=channel)
    rig.wait(lambda: "Question 1" in rig.last_bot_text(thread_ts, channel))
    texts = [m["text"] for m in rig.bot_messages(channel, thread_ts)]
    assert any("Qualifying Initech" in text for text in texts), texts
    # The qualification runs in the assistant thread: keyed by it, its card a reply in it.
    q_channel, q_thread, card_ts, _ = _qualification(rig, "Initech")
    assert (q_channel, q_thread) == (channel, thread_ts)
    assert card_ts and card_ts != thread_ts

    for answer in HOT_BANT:
        rig.reply(thread_ts, answer, channel=channel)
    verdict = rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(channel, thread_ts) if " is hot" in m["text"]), None
        )
    )
    assert _qualification(rig, "Initech")[3] == "done"
    assert rig.wait(lambda: rig.bot_messages(ALERT_CHANNEL))
    metadata = rig.standin.metadata(channel, verdict["ts"])
    assert metadata is not None and metadata["event_type"] == LEAD_QUALIFIED

    # A status line showed while each answer was scored, and was cleared after.
    statuses = rig.wait(
        lambda: (s := _statuses(rig, channel, thread_ts)) and s.count("") == len(HOT_BANT) and s
    )
    assert statuses.count("is scoring the lead…") == len(HOT_BANT)
    assert statuses[-1] == ""
    # A clear never comes before the status line it clears.
    for end in range(len(statuses)):
        shown = statuses[: end + 1]
        assert shown.count("") <= len(shown) - shown.count("")
    assert rig.standin.assistant_thread(channel, thread_ts)["status"] == ""


def test_the_other_prompts_answer_in_the_thread(rig: Rig) -> None:
    rig.qualify("Globex")
    channel, thread_ts = _open(rig)

    rig.reply(thread_ts, "My open qualifications", channel=channel)
    assert "Globex" in rig.last_bot_text(thread_ts, channel)

    rig.reply(thread_ts, "Status of a lead", channel=channel)
    assert "Which lead" in rig.last_bot_text(thread_ts, channel)
    rig.reply(thread_ts, "Globex", channel=channel)
    status = rig.last_bot_text(thread_ts, channel)
    assert "Globex" in status
    # Only the answer to the question is taken as a lead: the next line is not.
    rig.reply(thread_ts, "Globex", channel=channel)
    assert "did not get that" in rig.last_bot_text(thread_ts, channel)
    # Nothing was started in the thread.
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        count = db.execute(
            "SELECT COUNT(*) FROM qualification WHERE channel_id = ?", (channel,)
        ).fetchone()[0]
    assert count == 0
    assert _statuses(rig, channel, thread_ts) == []


def test_a_typed_shortcut_starts_at_once_and_a_second_lead_needs_a_new_chat(rig: Rig) -> None:
    channel, thread_ts = _open(rig)
    rig.reply(thread_ts, "qualify Hooli meddic", channel=channel)
    rig.wait(lambda: "Question 1" in rig.last_bot_text(thread_ts, channel))
    assert "MEDDIC" in " ".join(m["text"] for m in rig.bot_messages(channel, thread_ts))
    rig.reply(thread_ts, "cancel", channel=channel)
    rig.wait(lambda: _qualification(rig, "Hooli")[3] == "cancelled")
    rig.reply(thread_ts, "Qualify a lead", channel=channel)
    assert "new chat" in rig.last_bot_text(thread_ts, channel)


def test_a_redelivered_start_greets_once_and_a_context_change_is_taken(rig: Rig) -> None:
    thread = rig.standin.start_assistant_thread(REP)
    first = rig.sender.assistant_thread_started(thread, event_id="EvSAME")
    again = rig.sender.assistant_thread_started(thread, event_id="EvSAME")
    assert first.status_code == again.status_code == 200
    channel, thread_ts = thread["channel_id"], thread["thread_ts"]
    rig.wait(lambda: rig.bot_messages(channel, thread_ts))
    assert rig.sender.assistant_thread_context_changed(thread).status_code == 200
    rig.wait(lambda: rig.standin.calls("assistant.threads.setSuggestedPrompts"))
    assert len(rig.bot_messages(channel, thread_ts)) == 1
    assert len(rig.standin.calls("assistant.threads.setSuggestedPrompts")) == 1


def test_german_prompts_and_answers(rig_de: Rig) -> None:
    channel, thread_ts = _open(rig_de)
    prompts = rig_de.standin.assistant_thread(channel, thread_ts)["prompts"]
    assert [p["title"] for p in prompts] == [
        "Lead qualifizieren",
        "Stand eines Leads",
        "Meine offenen Qualifizierungen",
    ]
    rig_de.reply(thread_ts, "Lead qualifizieren", channel=channel)
    assert "Welchen Lead" in rig_de.last_bot_text(thread_ts, channel)


def test_the_manifest_declares_the_side_panel_and_the_metadata_events() -> None:
    text = resources.files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")
    manifest: dict[str, Any] = yaml.safe_load(text)
    view = manifest["features"]["assistant_view"]
    assert [p["message"] for p in view["suggested_prompts"]] == PROMPTS_EN
    assert view["assistant_description"]
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"assistant_thread_started", "assistant_thread_context_changed", "message.im"} <= set(
        events
    )
    assert "assistant:write" in manifest_scopes()
    declared = manifest["events"]
    for name in ("sdrbot_lead_qualified", "sdrbot_handoff_decided"):
        assert {"lead_id", "stage", "id"} <= set(declared[name]["properties"])


def test_the_standin_answers_the_assistant_methods_as_slack_does() -> None:
    standin = SlackStandIn().start()
    try:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        thread = standin.start_assistant_thread("UONE")
        where = {"channel_id": thread["channel_id"], "thread_ts": thread["thread_ts"]}
        client.assistant_threads_setStatus(**where, status="thinking")
        assert (
            standin.assistant_thread(where["channel_id"], where["thread_ts"])["status"]
            == "thinking"
        )
        client.chat_postMessage(channel=where["channel_id"], thread_ts=where["thread_ts"], text="x")
        assert (
            standin.assistant_thread(where["channel_id"], where["thread_ts"])["status"] == ""
        )  # a reply clears it
        with pytest.raises(SlackApiError) as invalid:
            client.assistant_threads_setStatus(
                channel_id=where["channel_id"], thread_ts="1.000001", status="x"
            )
        assert invalid.value.response["error"] == "invalid_thread_ts"
        with pytest.raises(SlackApiError) as unknown:
            client.assistant_threads_setStatus(channel_id="DNOPE", thread_ts="1.1", status="x")
        assert unknown.value.response["error"] == "channel_not_found"
        with pytest.raises(SlackApiError) as too_many:
            client.assistant_threads_setSuggestedPrompts(
                **where, prompts=[{"title": "a", "message": "b"}] * 5
            )
        assert too_many.value.response["error"] == "invalid_arguments"
        standin.set_scopes(manifest_scopes() - {"assistant:write", "chat:write"})
        with pytest.raises(SlackApiError) as scope:
            client.assistant_threads_setStatus(**where, status="x")
        assert scope.value.response["error"] == "missing_scope"
    finally:
        standin.stop()
