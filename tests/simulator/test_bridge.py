"""The simulator's bridge: what people do becomes signed Slack requests, answers land in place."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient

from bot.simulator import Simulator
from bot.simulator.bridge import as_typed_in_slack
from bot.simulator.demo import play_demo
from bot.simulator.people import ALEX, HOT_LEADS, MANAGERS, RILEY, SALES, SAM
from bot.simulator.runner import BOT_TOKEN

from .conftest import Recorder


def test_typed_text_is_encoded_as_slack_delivers_it() -> None:
    assert as_typed_in_slack("a<b & c>d") == "a&lt;b &amp; c&gt;d"
    assert as_typed_in_slack("ask @riley and @Alex") == "ask <@U_REP1> and <@U_AE1>"
    assert as_typed_in_slack("mail@rileyx.com") == "mail@rileyx.com"


def test_typed_message_is_stored_then_sent_signed(
    recorded_simulator: Simulator, recorder: Recorder
) -> None:
    bridge = recorded_simulator.bridge
    assert bridge is not None
    result = recorded_simulator.run(bridge.send_text(RILEY, SALES, "hello team")).result(10)
    assert result["status"] == 200
    stored = recorded_simulator.standin.messages(SALES)
    assert [(m["user"], m["text"]) for m in stored] == [(RILEY, "hello team")]
    (sent,) = recorder.requests
    assert sent["valid"] is True
    event = sent["body"]["event"]
    assert (event["type"], event["user"], event["ts"]) == ("message", RILEY, stored[0]["ts"])


def test_slash_command_answers_reach_only_the_typist(
    recorded_simulator: Simulator, recorder: Recorder
) -> None:
    bridge = recorded_simulator.bridge
    assert bridge is not None
    recorded_simulator.run(bridge.send_text(SAM, SALES, "/lead status Acme")).result(10)
    (sent,) = recorder.requests
    assert sent["valid"] and sent["kind"] == "command"
    assert (sent["body"]["command"], sent["body"]["text"]) == ("/lead", "status Acme")
    reply = httpx.post(sent["body"]["response_url"], json={"text": "No lead called Acme"})
    assert reply.text == "ok"
    assert [e["text"] for e in recorded_simulator.standin.ephemerals(SAM)] == [
        "No lead called Acme"
    ]
    assert recorded_simulator.standin.ephemerals(RILEY) == []


def test_click_carries_the_message_and_ties_the_trigger_to_the_user(
    recorded_simulator: Simulator, recorder: Recorder
) -> None:
    standin = recorded_simulator.standin
    client = WebClient(token=BOT_TOKEN, base_url=standin.api_url)
    alert = client.chat_postMessage(
        channel=HOT_LEADS, text="Hot lead", blocks=[{"type": "divider"}]
    )
    bridge = recorded_simulator.bridge
    assert bridge is not None
    action = {
        "action_id": "handoff_reject",
        "block_id": "handoff",
        "value": '{"h":1}',
        "channel": HOT_LEADS,
        "message_ts": alert["ts"],
    }
    recorded_simulator.run(bridge.click(ALEX, action)).result(10)
    (sent,) = recorder.requests
    body = sent["body"]
    assert sent["valid"] and body["type"] == "block_actions"
    assert body["user"]["id"] == ALEX
    assert body["message"]["text"] == "Hot lead"
    assert body["container"]["message_ts"] == alert["ts"]
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Why"}, "blocks": []}
    client.views_open(trigger_id=body["trigger_id"], view=modal)
    assert standin.views()[0]["user"] == ALEX
    state = bridge.state(ALEX)
    assert state["modal"]["title"]["text"] == "Why"
    assert bridge.state(RILEY)["modal"] is None


def test_page_api_refuses_unknown_users(recorded_simulator: Simulator) -> None:
    answer = httpx.post(
        recorded_simulator.url + "api/send",
        json={"user": "U_NOBODY", "channel": SALES, "text": "hi"},
    )
    assert answer.status_code == 400
    assert recorded_simulator.standin.messages(SALES) == []


@pytest.mark.timeout(120)
def test_demo_plays_hot_warm_and_cold_through_the_real_bot(bot_simulator: Simulator) -> None:
    assert bot_simulator.bridge is not None
    verdicts = bot_simulator.run(play_demo(bot_simulator.bridge, pause=0)).result(90)
    words = [next(w for w in ("hot", "warm", "cold") if w in v["text"]) for v in verdicts]
    assert words == ["hot", "warm", "cold"]
    standin = bot_simulator.standin
    accepted = standin.wait_for(
        lambda: [m for m in standin.messages(MANAGERS) if "Acme Corp" in m["text"]], timeout=10
    )
    assert "<@U_AE1>" in accepted[0]["text"]
    assert any(
        c.method == "chat.postMessage" and c.args.get("channel") == HOT_LEADS
        for c in standin.calls()
    )


def test_workflow_text_runs_a_step_as_slack_sends_it(
    recorded_simulator: Simulator, recorder: Recorder
) -> None:
    bridge = recorded_simulator.bridge
    assert bridge is not None
    started = recorded_simulator.run(
        bridge.send_text(RILEY, SALES, "/workflow qualify Acme Corp -- meddic")
    ).result(10)
    outcome = recorded_simulator.run(
        bridge.send_text(SAM, SALES, "/workflow lost Acme Corp -- price")
    ).result(10)
    assert recorded_simulator.run(bridge.send_text(SAM, SALES, "/workflow dance")).result(10) == {
        "status": 400
    }
    qualify, lost = (sent["body"]["event"] for sent in recorder.requests)
    assert started["run"] == qualify["function_execution_id"]
    assert qualify["type"] == "function_executed"
    assert qualify["function"]["callback_id"] == "qualify_lead"
    assert qualify["inputs"] == {
        "lead": "Acme Corp",
        "rep": RILEY,
        "channel": SALES,
        "requested_by": RILEY,
        "framework": "meddic",
    }
    assert outcome["run"] == lost["function_execution_id"]
    assert lost["inputs"] == {
        "lead": "Acme Corp",
        "outcome": "lost",
        "requested_by": SAM,
        "reason": "price",
    }
    # Nothing was posted: a step is no message.
    assert recorded_simulator.standin.messages(SALES) == []


def test_a_workflow_step_runs_through_the_real_bot(bot_simulator: Simulator) -> None:
    bridge = bot_simulator.bridge
    assert bridge is not None
    standin = bot_simulator.standin
    started = bot_simulator.run(
        bridge.send_text(RILEY, SALES, "/workflow qualify Workflow Widgets")
    ).result(10)
    assert started["status"] == 200
    card = standin.wait_for(
        lambda: next(
            (m for m in standin.messages(SALES) if "Workflow Widgets" in str(m.get("text"))), None
        ),
        timeout=10,
    )
    standin.wait_for(lambda: standin.messages(SALES, thread_ts=card["ts"], include_root=False))
    assert standin.function_run(started["run"])["state"] == "running"
    refused = bot_simulator.run(bridge.send_text(SAM, SALES, "/workflow won Nobody Inc")).result(10)
    ended = standin.wait_for(
        lambda: (run := standin.function_run(refused["run"]))["state"] != "running" and run
    )
    assert ended["state"] == "failed" and "Nobody Inc" in ended["error"]
