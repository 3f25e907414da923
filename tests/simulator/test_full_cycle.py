"""Whole qualifications clicked and typed in chromium, through the real bot."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.simulator import Simulator
from bot.simulator.people import ALEX, HOT_LEADS, RILEY, SAM

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "simulator.png"


def _screenshot_path(tmp_path: Path) -> Path:
    """docs/simulator.png when SDRBOT_UPDATE_SCREENSHOT is set, so runs keep the tree clean."""
    return DOCS_SCREENSHOT if os.environ.get("SDRBOT_UPDATE_SCREENSHOT") else tmp_path / "sim.png"


def _start_qualification(page: Any, simulator: Simulator, lead: str) -> None:
    page.goto(simulator.url)
    page.select_option("#user-select", RILEY)
    page.fill("#composer-input", f"/qualify {lead}")
    page.press("#composer-input", "Enter")
    root = page.locator("#messages .message", has_text=lead).last
    root.locator(".thread-link").click()
    page.locator("#thread-messages .message", has_text="Question 1 of 4").wait_for()


def _question(page: Any, number: int) -> Any:
    question = page.locator("#thread-messages .message", has_text=f"Question {number} of 4").last
    question.wait_for()
    return question


def _reply(page: Any, text: str) -> None:
    page.fill("#thread-input", text)
    page.press("#thread-input", "Enter")


def test_hot_lead_by_text_and_buttons_then_reject_in_a_modal(
    bot_simulator: Simulator, page: Any, tmp_path: Path
) -> None:
    _start_qualification(page, bot_simulator, "Umbrella Corp")
    _reply(page, "80k EUR are approved for this")
    _question(page, 2).get_by_role("button", name="Contact decides").click()
    _question(page, 3)
    _reply(page, "Manual lead routing loses them deals every week")
    _question(page, 4).get_by_role("button", name="This quarter").click()
    verdict = page.locator("#thread-messages .message", has_text="Umbrella Corp is hot")
    verdict.wait_for()
    card = page.locator("#messages .message", has_text="Umbrella Corp").last
    assert "hot" in card.inner_text()
    screenshot = _screenshot_path(tmp_path)
    page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    page.select_option("#user-select", ALEX)
    page.locator(f'[data-channel="{HOT_LEADS}"]').click()
    alert = page.locator("#messages .message", has_text="Umbrella Corp").last
    alert.get_by_role("button", name="Reject").click()
    modal = page.locator("#modal")
    modal.locator("textarea").wait_for()
    assert "Reject handoff" in modal.locator(".modal-title").inner_text()
    colour, background = page.locator("#modal-submit").evaluate(
        "(b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colour != background, "the submit button's text is invisible"
    page.click("#modal-submit")
    assert modal.locator(".field-error").inner_text() == "Please give a reason."
    modal.locator("textarea").fill("No budget until next year")
    page.click("#modal-submit")
    page.locator("#modal-backdrop").wait_for(state="hidden")
    page.locator("#messages .message", has_text="Rejected by @Alex").wait_for()
    assert alert.get_by_role("button", name="Reject").count() == 0


def test_another_rep_is_told_privately_that_the_thread_is_not_theirs(
    bot_simulator: Simulator, page: Any
) -> None:
    _start_qualification(page, bot_simulator, "Stark Industries")
    page.select_option("#user-select", SAM)
    _reply(page, "50k EUR")
    note = page.locator("#thread-messages .ephemeral")
    note.wait_for()
    assert "Only @Riley" in note.inner_text()
    page.select_option("#user-select", RILEY)
    page.locator("#thread-messages .message", has_text="50k EUR").wait_for()
    # The page redraws for the new user asynchronously: wait for Sam's note to go.
    expect(page.locator("#thread-messages .ephemeral")).to_have_count(0)
    assert _question(page, 1).is_visible()


def test_app_home_shows_what_the_bot_published(bot_simulator: Simulator, page: Any) -> None:
    page.goto(bot_simulator.url)
    page.select_option("#user-select", RILEY)
    page.click("#home-link")
    page.locator("#home .bk-header").wait_for()
    assert "Your lead qualifications" in page.locator("#home").inner_text()
    assert bot_simulator.standin.home(RILEY) is not None
    assert page.locator("#composer").is_hidden()
