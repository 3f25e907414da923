"""What a person sees of the bot's wording, typed and clicked in chromium through the real bot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.simulator import Simulator
from bot.simulator.people import ALEX, HOT_LEADS, PEOPLE, RILEY, SALES, SAM

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


def test_a_german_rep_in_an_english_workspace_is_asked_in_german(page: Any) -> None:
    with Simulator() as simulator:
        sam = next(person for person in PEOPLE if person.id == SAM)
        simulator.standin.set_user(SAM, **sam.profile(), locale="de-DE")
        _start_qualification(page, simulator, "Müller Maschinenbau", user=SAM)
        _question(page, 1, word="Frage")
        _reply(page, "80k EUR sind freigegeben")
        _question(page, 2, word="Frage")
        _reply(page, "Der Ansprechpartner entscheidet selbst")
        _question(page, 3, word="Frage")
        _reply(page, "Das manuelle Routing kostet sie jede Woche Deals")
        _question(page, 4, word="Frage").get_by_role("button", name="Dieses Quartal").click()
        verdict = page.locator("#thread-messages .message", has_text="Nächster Schritt")
        verdict.wait_for()
        assert "Müller Maschinenbau ist" in verdict.inner_text()
        thread = page.locator("#thread-messages").inner_text()
        assert "Question" not in thread and "Next step" not in thread


def test_the_account_executive_gets_the_handoff_brief_in_a_dm(
    bot_simulator: Simulator, page: Any
) -> None:
    _start_qualification(page, bot_simulator, "Globex")
    _answer_all(page, "Clear pain", "They sign by 2026-12-18, the CFO signs")
    page.locator("#thread-messages .message", has_text="Globex is hot").wait_for()
    page.select_option("#user-select", ALEX)
    _open_channel(page, HOT_LEADS)
    alert = page.locator("#messages .message", has_text="Hot lead: Globex").last
    alert.get_by_role("button", name="Accept").click()
    page.locator("#messages .message", has_text="Accepted by @Alex").wait_for()
    page.locator("#dm-list .nav-item", has_text="sdrbot").click()
    brief = page.locator("#messages .message", has_text="Handoff: Globex").last
    brief.wait_for()
    text = brief.inner_text()
    assert "Open the qualification thread" in text
    assert brief.get_by_role("link", name="Open the qualification thread").count() == 1
    assert "budget €80,000 · target date 2026-12-18 · signs Contact decides" in text
    assert "Ask on the first call" in text
    assert "What has to happen before you can sign" in text


TRICKY_LEAD = "Procter & Gamble <EU>"


def _shows_the_name_right(text: str) -> None:
    assert TRICKY_LEAD in text, text
    assert "&amp;" not in text and "&lt;" not in text and "&gt;" not in text, text


def test_a_lead_name_with_markup_characters_reads_right_everywhere(
    bot_simulator: Simulator, page: Any
) -> None:
    _start_qualification(page, bot_simulator, TRICKY_LEAD)
    _answer_all(page, "Clear pain", "This quarter")
    verdict = page.locator("#thread-messages .message", has_text=f"{TRICKY_LEAD} is hot")
    verdict.wait_for()
    _shows_the_name_right(verdict.inner_text())
    _shows_the_name_right(
        page.locator("#messages .message", has_text="Qualifying").last.inner_text()
    )
    _open_channel(page, HOT_LEADS)
    alert = page.locator("#messages .message", has_text=f"Hot lead: {TRICKY_LEAD}")
    _shows_the_name_right(alert.last.inner_text())

    _open_channel(page, SALES)
    answers = page.locator("#messages .ephemeral")
    for command in (f"/lead status {TRICKY_LEAD}", "/lead list"):
        before = answers.count()
        page.fill("#composer-input", command)
        page.press("#composer-input", "Enter")
        expect(answers).to_have_count(before + 1)
        _shows_the_name_right(answers.last.inner_text())

    page.click("#home-link")
    page.locator("#home", has_text=TRICKY_LEAD).wait_for()
    _shows_the_name_right(page.locator("#home").inner_text())

    sdrbot = Path(sys.executable).with_name("sdrbot")
    environment = {**os.environ, "DATABASE_URL": bot_simulator.database_url}
    exported = subprocess.run(
        [str(sdrbot), "export", "--what", "leads"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    _shows_the_name_right(exported)
