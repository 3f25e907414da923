"""The stand-in grants what Slack grants: the manifest's scopes, membership by invitation or
``conversations.join``, and the read limits of apps outside Slack's Marketplace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin.access import ReadLimit, manifest_scopes
from bot.standin.server import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(members={"C_SALES"}) as server:
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url)


def _error(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_granted_scopes_are_the_manifests() -> None:
    scopes = manifest_scopes()
    assert {"chat:write", "chat:write.public", "channels:join", "im:history"} <= scopes
    assert "reactions:write" not in scopes


def test_posting_to_a_public_channel_not_joined_needs_chat_write_public(
    client: WebClient, standin: SlackStandIn
) -> None:
    assert client.chat_postMessage(channel="C_ALERT", text="hot")["ok"]
    assert not standin.is_member("C_ALERT")
    standin.set_scopes(manifest_scopes() - {"chat:write.public"})
    assert _error(lambda: client.chat_postMessage(channel="C_ALERT", text="hot")) == (
        "not_in_channel"
    )
    assert client.chat_postMessage(channel="C_SALES", text="invited")["ok"]
    assert _error(lambda: client.chat_postMessage(channel="G_PRIVATE", text="x")) == (
        "channel_not_found"
    )


def test_reading_needs_membership_and_joining_gives_it(
    client: WebClient, standin: SlackStandIn
) -> None:
    ts = client.chat_postMessage(channel="C_ALERT", text="hot")["ts"]
    assert _error(lambda: client.conversations_replies(channel="C_ALERT", ts=ts)) == (
        "not_in_channel"
    )
    client.conversations_join(channel="C_ALERT")
    assert standin.is_member("C_ALERT")
    assert [m["text"] for m in client.conversations_history(channel="C_ALERT")["messages"]] == [
        "hot"
    ]
    standin.set_scopes(manifest_scopes() - {"channels:join"})
    assert _error(lambda: client.conversations_join(channel="C_MGR")) == "missing_scope"


def test_a_call_without_its_scope_answers_missing_scope(
    client: WebClient, standin: SlackStandIn
) -> None:
    dm = client.conversations_open(users="U_REP")["channel"]["id"]
    client.chat_postMessage(channel=dm, text="hello")
    assert client.conversations_history(channel=dm)["messages"][0]["text"] == "hello"
    standin.set_scopes(manifest_scopes() - {"im:history"})
    assert _error(lambda: client.conversations_replies(channel=dm, ts="1.0")) == "missing_scope"
    assert _error(lambda: client.reactions_add(channel=dm, timestamp="1.0", name="x")) == (
        "missing_scope"
    )


def test_history_and_replies_are_limited_to_one_call_a_minute_and_15_messages(
    client: WebClient, standin: SlackStandIn
) -> None:
    root = client.chat_postMessage(channel="C_SALES", text="root")["ts"]
    for n in range(20):
        client.chat_postMessage(channel="C_SALES", text=f"reply {n}", thread_ts=root)
    replies = client.conversations_replies(channel="C_SALES", ts=root, limit=200)
    assert len(replies["messages"]) == 15 and replies["has_more"] is True
    with pytest.raises(SlackApiError) as limited:
        client.conversations_replies(channel="C_SALES", ts=root)
    assert limited.value.response.status_code == 429
    assert 1 <= int(limited.value.response.headers["Retry-After"]) <= 60
    # Each method has its own minute.
    assert client.conversations_history(channel="C_SALES")["messages"][0]["text"] == "root"


def test_reads_take_a_window_of_time(standin: SlackStandIn) -> None:
    with SlackStandIn(members={"C1"}, read_limit=ReadLimit(calls=100)) as server:
        client = WebClient(token="xoxb-test", base_url=server.api_url)
        stamps = [client.chat_postMessage(channel="C1", text=f"m{n}")["ts"] for n in range(5)]
        page = client.conversations_history(
            channel="C1", oldest=stamps[1], latest=stamps[3], inclusive=True
        )
        assert [m["text"] for m in page["messages"]] == ["m3", "m2", "m1"]
        page = client.conversations_history(channel="C1", oldest=stamps[1], latest=stamps[3])
        assert [m["text"] for m in page["messages"]] == ["m2"]


def test_faults_can_target_channels_and_come_after_the_effect(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.set_faults(server_error=1.0, channels={"C_ALERT"}, after_effect=1.0)
    assert client.chat_postMessage(channel="C_SALES", text="clean")["ok"]
    with pytest.raises(SlackApiError) as failed:
        client.chat_postMessage(channel="C_ALERT", text="made anyway")
    assert failed.value.response.status_code == 500
    assert [m["text"] for m in standin.messages("C_ALERT")] == ["made anyway"]
    assert [c.fault for c in standin.calls("chat.postMessage")] == [
        None,
        "server_error_after_effect",
    ]
