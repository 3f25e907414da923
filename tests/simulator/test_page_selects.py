"""The page draws the selects of the Settings modal and sends them back as Slack's
``view.state.values`` (real chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.simulator import Simulator
from bot.simulator.people import ALEX, HOT_LEADS, RILEY, SAM
from bot.simulator.runner import BOT_TOKEN

from .conftest import Recorder

pytestmark = pytest.mark.browser


def _input(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": block_id},
        "element": {"action_id": "value", **element},
    }


def test_settings_selects_are_drawn_and_submitted_in_slacks_shape(
    recorded_simulator: Simulator, recorder: Recorder, page: Any
) -> None:
    recorded_simulator.standin.register_trigger("T-settings", RILEY)
    groups = [
        {"text": {"type": "plain_text", "text": "@ae-team"}, "value": "S_AE"},
        {"text": {"type": "plain_text", "text": "@leads"}, "value": "S_LEADS"},
    ]
    WebClient(token=BOT_TOKEN, base_url=recorded_simulator.standin.api_url).views_open(
        trigger_id="T-settings",
        view={
            "type": "modal",
            "callback_id": "workspace_settings",
            "title": {"type": "plain_text", "text": "Settings"},
            "submit": {"type": "plain_text", "text": "Save"},
            "blocks": [
                _input("alert_channel", {"type": "conversations_select"}),
                _input("groups", {"type": "multi_static_select", "options": groups}),
                _input("people", {"type": "multi_users_select", "initial_users": [ALEX]}),
                _input(
                    "language",
                    {
                        "type": "static_select",
                        "options": [
                            {"text": {"type": "plain_text", "text": "English"}, "value": "en"},
                            {"text": {"type": "plain_text", "text": "German"}, "value": "de"},
                        ],
                    },
                ),
            ],
        },
    )
    page.goto(recorded_simulator.url)
    page.locator("#modal-submit").wait_for()
    page.locator("#input-alert_channel").select_option(HOT_LEADS)
    page.locator("#input-groups").select_option(["S_AE"])
    page.locator("#input-people").select_option([ALEX, SAM])
    page.locator("#input-language").select_option("de")
    page.locator("#modal-submit").click()
    recorded_simulator.standin.wait_for(lambda: recorder.requests, timeout=5)
    values = recorder.requests[-1]["body"]["view"]["state"]["values"]
    assert values["alert_channel"]["value"] == {
        "type": "conversations_select",
        "selected_conversation": HOT_LEADS,
    }
    assert [o["value"] for o in values["groups"]["value"]["selected_options"]] == ["S_AE"]
    assert sorted(values["people"]["value"]["selected_users"]) == sorted([ALEX, SAM])
    assert values["language"]["value"]["selected_option"]["value"] == "de"
