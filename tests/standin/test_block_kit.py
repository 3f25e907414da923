"""The stand-in records what slack_sdk's Block Kit models find wrong in a call."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.standin.blockkit import block_problems, view_problems
from bot.standin.server import SlackStandIn


def _button(label: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": "a"}


def test_a_valid_message_records_nothing_and_a_too_long_button_is_recorded() -> None:
    with SlackStandIn(members={"C_SALES"}) as standin:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        client.chat_postMessage(
            channel="C_SALES",
            text="ok",
            blocks=[{"type": "actions", "elements": [_button("Yes")]}],
        )
        assert standin.block_kit_problems == []
        client.chat_postMessage(
            channel="C_SALES",
            text="long",
            blocks=[{"type": "actions", "elements": [_button("x" * 80)]}],
        )
        problems = standin.block_kit_problems
        assert len(problems) == 1
        assert problems[0].startswith("chat.postMessage: block 0 (actions)")
        standin.reset()
        assert standin.block_kit_problems == []


def test_nested_objects_are_checked_too() -> None:
    confirm = {
        "title": {"type": "plain_text", "text": "t" * 101},
        "text": {"type": "plain_text", "text": "sure?"},
        "confirm": {"type": "plain_text", "text": "Yes"},
        "deny": {"type": "plain_text", "text": "No"},
    }
    button = {**_button("Cancel"), "confirm": confirm}
    assert block_problems([{"type": "actions", "elements": [button]}])
    assert block_problems([{"type": "nonsense"}])


def test_a_view_without_blocks_is_recorded() -> None:
    title = {"type": "plain_text", "text": "Reject"}
    assert view_problems({"type": "modal", "title": title, "blocks": []})
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    assert view_problems({"type": "modal", "title": title, "blocks": [section]}) == []
