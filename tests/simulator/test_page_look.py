"""How the page draws what the bot sends: emoji, modal buttons, confirm dialogs (real chromium)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.simulator import Simulator
from bot.simulator.people import RILEY, SALES
from bot.simulator.runner import BOT_TOKEN

from .conftest import Recorder

pytestmark = pytest.mark.browser
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _client(simulator: Simulator) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=simulator.standin.api_url)


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", css)[:3])


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours."""

    def luminance(css: str) -> float:
        channels = [c / 255 for c in _rgb(css)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_shortcodes_are_drawn_as_emoji_and_unknown_ones_stay(
    recorded_simulator: Simulator, page: Any
) -> None:
    _client(recorded_simulator).chat_postMessage(
        channel=SALES,
        text="fallback",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": ":dart: Next steps"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": ":chart_with_upwards_trend: up, :no_such_code: kept",
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "accept",
                        "text": {"type": "plain_text", "text": ":white_check_mark: Accept"},
                    }
                ],
            },
        ],
    )
    page.goto(recorded_simulator.url)
    messages = page.locator("#messages")
    messages.locator(".bk-header").wait_for()
    assert messages.locator(".bk-header").inner_text() == "\U0001f3af Next steps"
    assert "\U0001f4c8 up, :no_such_code: kept" in messages.inner_text()
    assert messages.get_by_role("button", name="\u2705 Accept").count() == 1


def test_every_shortcode_in_the_templates_has_an_emoji(
    recorded_simulator: Simulator, page: Any
) -> None:
    codes = sorted(
        {
            code
            for path in TEMPLATES.rglob("*.j2")
            for code in re.findall(r":[a-z0-9_+-]+:", path.read_text(encoding="utf-8"))
        }
    )
    assert ":fire:" in codes and ":dart:" in codes
    page.goto(recorded_simulator.url)
    drawn = page.evaluate("(codes) => codes.map((c) => BlockKit.emojify(c))", codes)
    assert [code for code, emoji in zip(codes, drawn, strict=True) if code == emoji] == []


def test_modal_submit_button_is_readable(recorded_simulator: Simulator, page: Any) -> None:
    recorded_simulator.standin.register_trigger("T-look", RILEY)
    _client(recorded_simulator).views_open(
        trigger_id="T-look",
        view={
            "type": "modal",
            "callback_id": "handoff_reject",
            "title": {"type": "plain_text", "text": "Reject handoff"},
            "submit": {"type": "plain_text", "text": "Reject"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [
                {
                    "type": "input",
                    "block_id": "reason",
                    "label": {"type": "plain_text", "text": "Reason"},
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "reason",
                        "multiline": True,
                    },
                }
            ],
        },
    )
    page.goto(recorded_simulator.url)
    submit = page.locator("#modal-submit")
    submit.wait_for()
    assert submit.inner_text() == "Reject"
    colour, background = submit.evaluate(
        "(b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colour != background
    assert _contrast(colour, background) >= 3, (colour, background)


def test_a_button_with_confirm_asks_first(
    recorded_simulator: Simulator, recorder: Recorder, page: Any
) -> None:
    _client(recorded_simulator).chat_postMessage(
        channel=SALES,
        text="Qualifying Acme",
        blocks=[
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "qa_cancel",
                        "style": "danger",
                        "text": {"type": "plain_text", "text": "Cancel"},
                        "confirm": {
                            "title": {"type": "plain_text", "text": "Cancel this qualification?"},
                            "text": {"type": "mrkdwn", "text": "*Acme* keeps its answers."},
                            "confirm": {"type": "plain_text", "text": "Yes, cancel"},
                            "deny": {"type": "plain_text", "text": "Keep going"},
                            "style": "danger",
                        },
                    }
                ],
            }
        ],
    )
    page.goto(recorded_simulator.url)
    page.locator("#messages").get_by_role("button", name="Cancel").click()
    dialog = page.locator("#confirm")
    dialog.wait_for()
    assert dialog.locator(".modal-title").inner_text() == "Cancel this qualification?"
    assert dialog.locator(".modal-body b").inner_text() == "Acme"
    ok = page.locator("#confirm-ok")
    colour, background = ok.evaluate(
        "(b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert _contrast(colour, background) >= 3, (colour, background)
    page.click("#confirm-deny")
    dialog.wait_for(state="hidden")
    page.wait_for_timeout(300)
    assert recorder.requests == []

    page.locator("#messages").get_by_role("button", name="Cancel").click()
    page.click("#confirm-ok")
    recorded_simulator.standin.wait_for(lambda: len(recorder.requests) >= 1, timeout=5)
    assert recorder.requests[0]["body"]["actions"][0]["action_id"] == "qa_cancel"
