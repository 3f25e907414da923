"""The AI-app side panel on the simulator page, in chromium, through the real bot."""

from __future__ import annotations

from typing import Any

import pytest

from bot.simulator import Simulator
from bot.simulator.people import RILEY

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_new_chat_shows_the_prompts_and_qualifies_in_its_thread(
    bot_simulator: Simulator, page: Any
) -> None:
    page.goto(bot_simulator.url)
    page.select_option("#user-select", RILEY)
    page.click("#assistant-link")
    chips = page.locator("#assistant-prompts .prompt-chip")
    chips.first.wait_for()
    assert chips.all_inner_texts() == [
        "Qualify a lead",
        "Status of a lead",
        "My open qualifications",
    ]
    thread = page.locator("#thread-messages")
    thread.locator(".message", has_text="I qualify sales leads").wait_for()
    chips.first.click()
    thread.locator(".message", has_text="Which lead").wait_for()
    page.fill("#thread-input", "Soylent Corp")
    page.press("#thread-input", "Enter")
    thread.locator(".message", has_text="Question 1 of 4").wait_for()
    assert "Qualifying Soylent Corp" in thread.inner_text()
    # The chat is listed in the DM with the bot, where Slack keeps the side panel's threads.
    assert page.locator("#channel-title").inner_text() == "sdrbot"
