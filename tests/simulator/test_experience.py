"""What a person sees of the bot's wording, typed and clicked in chromium through the real bot."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from bot.simulator import Simulator
from bot.simulator.people import HOT_LEADS, RILEY

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _start_qualification(page: Any, simulator: Simulator, lead: str, user: str = RILEY) -> None:
    page.goto(simulator.url)
    page.select_option("#user-select", user)
    page.fill("#composer-input", f"/qualify {lead}")
    page.press("#composer-input", "Enter")
    root = page.locator("#messages .message", has_text=lead).last
    root.locator(".thread-link").click()
    page.locator("#thread-messages .message").nth(1).wait_for()


def _question(page: Any, number: int, word: str = "Question") -> Any:
    question = page.locator("#thread-messages .message", has_text=f"{word} {number} ").last
    question.wait_for()
    return question


def _reply(page: Any, text: str) -> None:
    page.fill("#thread-input", text)
    page.press("#thread-input", "Enter")


def test_an_answered_question_closes_to_one_line_without_buttons(
    bot_simulator: Simulator, page: Any
) -> None:
    _start_qualification(page, bot_simulator, "Initech")
    assert _question(page, 1).get_by_role("button").count() > 0
    _reply(page, "80k EUR are approved for this")
    _question(page, 2).get_by_role("button", name="Contact decides").click()
    _question(page, 3)
    # The first two bot messages after the root were the questions; each is now one line.
    bot_lines = page.locator("#thread-messages .message", has_text="· met ·")
    expect(bot_lines).to_have_count(2)
    for closed, criterion in zip(bot_lines.all(), ("Budget", "Authority"), strict=True):
        text = closed.inner_text()
        assert criterion in text and "Question" not in text, text
        expect(closed.get_by_role("button")).to_have_count(0)


def _answer_all(page: Any, need: str, timeline: str) -> None:
    _reply(page, "80k EUR are approved for this")
    _question(page, 2).get_by_role("button", name="Contact decides").click()
    _question(page, 3).get_by_role("button", name=need).click()
    _question(page, 4)
    _reply(page, timeline)


def _open_channel(page: Any, channel: str) -> None:
    page.locator(f'[data-channel="{channel}"]').click()


def test_an_edit_after_the_verdict_makes_the_lead_hot_and_alerts_once(
    bot_simulator: Simulator, page: Any
) -> None:
    _start_qualification(page, bot_simulator, "Hooli")
    _answer_all(page, "Clear pain", "No timeline at all")
    page.locator("#thread-messages .message", has_text="Hooli is warm").wait_for()
    _reply(page, "edit timeline")
    page.locator("#thread-messages .message", has_text="Timeline").last.wait_for()
    _reply(page, "They sign within two weeks")
    page.locator("#thread-messages .message", has_text="Hooli is hot").wait_for()
    _open_channel(page, HOT_LEADS)
    alerts = page.locator("#messages .message", has_text="Hot lead: Hooli")
    alerts.first.wait_for()
    page.wait_for_timeout(1500)  # a second alert would have arrived by now
    expect(alerts).to_have_count(1)
