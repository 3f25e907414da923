"""The page in a real browser, against the stand-in and a recording endpoint in place of the bot."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.simulator import Simulator
from bot.simulator.bridge import as_typed_in_slack
from bot.simulator.people import RILEY, SALES, SAM
from bot.simulator.runner import BOT_TOKEN

from .conftest import Recorder

pytestmark = pytest.mark.browser


def _client(simulator: Simulator) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=simulator.standin.api_url)


def test_messages_render_mrkdwn_safely(recorded_simulator: Simulator, page: Any) -> None:
    text = (
        "*Acme* is _hot_ `score 90` <https://example.com/acme|the CRM record> for <@U_REP2> "
        "&lt;script&gt;window.pwned=1&lt;/script&gt; <javascript:alert(1)|click>"
    )
    _client(recorded_simulator).chat_postMessage(
        channel=SALES,
        text="fallback",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "Lead <b>alert</b>"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "divider"},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": ":fire: by <@U_REP1> at 10:30:00"}],
            },
        ],
    )
    recorded_simulator.standin.post_user_message(
        SALES, SAM, as_typed_in_slack("<img src=x onerror=alert(1)> hi")
    )
    page.goto(recorded_simulator.url)
    messages = page.locator("#messages")
    messages.locator(".bk-header").wait_for()
    assert messages.locator(".bk-header").inner_text() == "Lead <b>alert</b>"
    assert messages.locator("b").first.inner_text() == "Acme"
    assert messages.locator("i").first.inner_text() == "hot"
    assert messages.locator("code").first.inner_text() == "score 90"
    link = messages.locator("a")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://example.com/acme"
    assert link.inner_text() == "the CRM record"
    assert "@Sam" in messages.inner_text()
    assert "\U0001f525 by @Riley at 10:30:00" in messages.inner_text()
    assert "<script>window.pwned=1</script>" in messages.inner_text()
    assert "<img src=x onerror=alert(1)> hi" in messages.inner_text()
    assert messages.locator("script, img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_click_sends_a_signed_block_action(
    recorded_simulator: Simulator, recorder: Recorder, page: Any
) -> None:
    buttons = {
        "type": "actions",
        "block_id": "qa_answers",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Budget approved"},
                "action_id": "qa_answer_0",
                "value": "approved",
            },
            {
                "type": "static_select",
                "action_id": "pick",
                "options": [{"text": {"type": "plain_text", "text": "Q3"}, "value": "q3"}],
            },
        ],
    }
    client = _client(recorded_simulator)
    root = client.chat_postMessage(channel=SALES, text="Qualifying Acme")
    question = client.chat_postMessage(
        channel=SALES, thread_ts=root["ts"], text="Budget?", blocks=[buttons]
    )
    page.goto(recorded_simulator.url)
    page.locator("#messages .thread-link").click()
    page.locator("#thread-messages >> text=Budget approved").click()
    page.locator("#thread-messages select").select_option("q3")
    page.wait_for_function("true")
    recorded_simulator.standin.wait_for(lambda: len(recorder.requests) >= 2, timeout=5)
    click, choice = recorder.requests
    assert click["valid"] and choice["valid"]
    body = click["body"]
    assert body["actions"][0]["action_id"] == "qa_answer_0"
    assert body["actions"][0]["value"] == "approved"
    assert body["actions"][0]["block_id"] == "qa_answers"
    assert body["container"]["message_ts"] == question["ts"]
    assert body["container"]["thread_ts"] == root["ts"]
    assert body["user"]["id"] == RILEY
    assert choice["body"]["actions"][0]["selected_option"]["value"] == "q3"


def test_composer_and_slash_commands_go_to_the_bot(
    recorded_simulator: Simulator, recorder: Recorder, page: Any
) -> None:
    page.goto(recorded_simulator.url)
    page.fill("#composer-input", "anyone seen Acme?")
    page.press("#composer-input", "Enter")
    page.locator("#messages >> text=anyone seen Acme?").wait_for()
    page.fill("#composer-input", "/qualify Acme Corp meddic")
    page.click("#composer-send")
    recorded_simulator.standin.wait_for(lambda: len(recorder.requests) >= 2, timeout=5)
    message, command = recorder.requests
    assert message["body"]["event"]["text"] == "anyone seen Acme?"
    assert message["body"]["event"]["ts"] == recorded_simulator.standin.messages(SALES)[0]["ts"]
    assert (command["body"]["command"], command["body"]["text"]) == ("/qualify", "Acme Corp meddic")
    assert page.input_value("#composer-input") == ""


def test_ephemerals_show_only_to_their_user(recorded_simulator: Simulator, page: Any) -> None:
    client = _client(recorded_simulator)
    client.chat_postMessage(channel=SALES, text="Qualifying Acme")
    client.chat_postEphemeral(channel=SALES, user=SAM, text="Only Riley can answer this one")
    page.goto(recorded_simulator.url)
    page.locator("#messages >> text=Qualifying Acme").wait_for()
    assert page.locator("#messages .ephemeral").count() == 0
    page.select_option("#user-select", SAM)
    note = page.locator("#messages .ephemeral")
    note.wait_for()
    assert "Only Riley can answer this one" in note.inner_text()
    assert "Only visible to you" in note.inner_text()
