"""The stand-in answered over real HTTP by slack_sdk's own clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.standin.access import manifest_scopes
from bot.standin.responses import ResponseTarget
from bot.standin.server import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(missing_channels={"C_GONE"}, members={"C_SALES"}) as server:
        server.set_user("U_REP1", name="riley", real_name="Riley Rep", tz="America/New_York")
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url)


def test_urls_point_at_the_running_server(standin: SlackStandIn) -> None:
    assert standin.api_url.endswith("/api/")
    assert standin.api_url.startswith("http://127.0.0.1:")
    assert standin.port > 0
    assert standin.response_url_base == standin.api_url.replace("/api/", "/response")


def test_auth_test_names_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == "UBOT"
    assert answer["bot_id"] == "BBOT"
    assert answer["team_id"] == "T0001"


def test_post_message_and_thread_replies(client: WebClient, standin: SlackStandIn) -> None:
    root = client.chat_postMessage(channel="C_SALES", text="Qualifying Acme")
    assert root["channel"] == "C_SALES"
    assert root["message"]["bot_id"] == "BBOT"
    first = client.chat_postMessage(channel="C_SALES", text="Budget?", thread_ts=root["ts"])
    human = standin.post_user_message("C_SALES", "U_REP1", "50k", thread_ts=root["ts"])
    assert float(root["ts"]) < float(first["ts"]) < float(human)

    replies = client.conversations_replies(channel="C_SALES", ts=root["ts"])["messages"]
    assert [m["text"] for m in replies] == ["Qualifying Acme", "Budget?", "50k"]
    assert replies[0]["reply_count"] == 2
    assert replies[0]["reply_users"] == ["UBOT", "U_REP1"]
    only_replies = standin.messages("C_SALES", thread_ts=root["ts"], include_root=False)
    assert [m["text"] for m in only_replies] == ["Budget?", "50k"]
    assert len(standin.messages("C_SALES")) == 3


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_errors(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as missing:
        client.chat_postMessage(channel="C_GONE", text="hi")
    assert missing.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as empty:
        client.chat_postMessage(channel="C_SALES", text="")
    assert empty.value.response["error"] == "no_text"
    too_many = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError) as blocks:
        client.chat_postMessage(channel="C_SALES", text="x", blocks=too_many)
    assert blocks.value.response["error"] == "invalid_blocks"


def test_update_ephemeral_permalink(client: WebClient, standin: SlackStandIn) -> None:
    card = client.chat_postMessage(
        channel="C_SALES",
        text="card",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme*"}}],
    )
    updated = client.chat_update(channel="C_SALES", ts=card["ts"], text="card v2", blocks=[])
    assert updated["message"]["text"] == "card v2"
    assert standin.messages("C_SALES")[0]["text"] == "card v2"
    assert "edited" in standin.messages("C_SALES")[0]

    ephemeral = client.chat_postEphemeral(channel="C_SALES", user="U_REP2", text="not yours")
    assert ephemeral["message_ts"]
    assert [e["text"] for e in standin.ephemerals("U_REP2")] == ["not yours"]
    assert standin.ephemerals("U_REP1") == []

    link = client.chat_getPermalink(channel="C_SALES", message_ts=card["ts"])["permalink"]
    assert card["ts"].replace(".", "") in link
    with pytest.raises(SlackApiError) as gone:
        client.chat_update(channel="C_SALES", ts="1.000001", text="x")
    assert gone.value.response["error"] == "message_not_found"


def test_human_messages_cannot_be_updated_or_deleted_by_the_bot(
    client: WebClient, standin: SlackStandIn
) -> None:
    ts = standin.post_user_message("C_SALES", "U_REP1", "hello")
    with pytest.raises(SlackApiError) as refused:
        client.chat_update(channel="C_SALES", ts=ts, text="edited")
    assert refused.value.response["error"] == "cant_update_message"
    with pytest.raises(SlackApiError) as refused:
        client.chat_delete(channel="C_SALES", ts=ts)
    assert refused.value.response["error"] == "cant_delete_message"
    assert [m["ts"] for m in standin.messages("C_SALES")] == [ts]


def test_dm_users_and_conversation_info(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_scopes(manifest_scopes() | {"im:read"})  # the bot itself never asks for info
    dm = client.conversations_open(users="U_REP1")["channel"]["id"]
    assert dm.startswith("D")
    assert client.conversations_open(users=["U_REP1"])["channel"]["id"] == dm
    assert client.conversations_open(users="U_MGR")["channel"]["id"] != dm
    client.chat_postMessage(channel="U_REP1", text="a DM")
    assert [m["text"] for m in standin.messages(dm)] == ["a DM"]
    info = client.conversations_info(channel=dm)["channel"]
    assert info["is_im"] is True
    assert info["user"] == "U_REP1"
    user = client.users_info(user="U_REP1")["user"]
    assert (user["name"], user["real_name"], user["tz"]) == (
        "riley",
        "Riley Rep",
        "America/New_York",
    )


def test_views_open_update_push_publish(client: WebClient, standin: SlackStandIn) -> None:
    modal = {
        "type": "modal",
        "callback_id": "reject",
        "title": {"type": "plain_text", "text": "Reject"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": "Why"},
                "element": {"type": "plain_text_input", "action_id": "text"},
            }
        ],
        "private_metadata": "7",
    }
    standin.register_trigger("111.222.abc", "U_AE1")
    opened = client.views_open(trigger_id="111.222.abc", view=modal)["view"]
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "reject"
    assert standin.views()[0]["user"] == "U_AE1"
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id="111.222.abc", view=modal)
    assert reused.value.response["error"] == "expired_trigger_id"

    changed = dict(modal, title={"type": "plain_text", "text": "Reject lead"})
    updated = client.views_update(view_id=opened["id"], view=changed)["view"]
    assert updated["id"] == opened["id"]
    assert standin.views()[0]["view"]["title"]["text"] == "Reject lead"
    pushed = client.views_push(trigger_id="333.444.def", view=modal)["view"]
    assert pushed["id"] != opened["id"]

    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    first = client.views_publish(user_id="U_MGR", view=home)["view"]
    second = client.views_publish(user_id="U_MGR", view=home)["view"]
    assert first["id"] == second["id"]
    assert standin.home("U_MGR")["blocks"][0]["text"]["text"] == "Hi"
    assert standin.home("U_REP1") is None


def test_reactions_and_files_upload_v2(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_scopes(manifest_scopes() | {"reactions:write"})  # the bot never reacts
    root = client.chat_postMessage(channel="C_MGR", text="handoff")
    client.reactions_add(channel="C_MGR", timestamp=root["ts"], name="fire")
    with pytest.raises(SlackApiError) as again:
        client.reactions_add(channel="C_MGR", timestamp=root["ts"], name="fire")
    assert again.value.response["error"] == "already_reacted"

    content = b"lead,verdict\nAcme,hot\n"
    upload = client.files_upload_v2(
        channel="C_MGR",
        thread_ts=root["ts"],
        filename="leads.csv",
        content=content,
        title="Leads",
        initial_comment="the export",
    )
    file_id = upload["file"]["id"]
    stored = standin.files()[file_id]
    assert stored["data"] == content
    assert stored["title"] == "Leads"
    reply = standin.messages("C_MGR", thread_ts=root["ts"], include_root=False)[0]
    assert reply["text"] == "the export"
    assert reply["files"][0]["id"] == file_id


def test_wrong_token_missing_token_and_unknown_method(standin: SlackStandIn) -> None:
    bad = WebClient(token="xoxb-wrong", base_url=standin.api_url)
    with pytest.raises(SlackApiError) as denied:
        bad.chat_postMessage(channel="C_SALES", text="hi")
    assert denied.value.response["error"] == "invalid_auth"
    assert standin.messages("C_SALES") == []

    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    with pytest.raises(SlackApiError) as unknown:
        client.api_call("admin.teams.create")
    assert unknown.value.response["error"] == "unknown_method"

    raw = httpx.post(standin.api_url + "auth.test")
    assert raw.json() == {"ok": False, "error": "not_authed"}
    form = httpx.post(
        standin.api_url + "chat.postMessage",
        data={"token": "xoxb-test", "channel": "C_SALES", "text": "form body"},
    )
    assert form.json()["ok"] is True
    assert standin.calls("chat.postMessage")[-1].args == {"channel": "C_SALES", "text": "form body"}


def test_rate_limits_are_retried_to_exactly_one_message(standin: SlackStandIn) -> None:
    standin.set_faults(rate_limited=0.6, retry_after=0, methods={"chat.postMessage"}, seed=3)
    client = WebClient(
        token="xoxb-test",
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=20)],
    )
    for n in range(5):
        client.chat_postMessage(channel="C_SALES", text=f"message {n}")
    texts = [m["text"] for m in standin.messages("C_SALES")]
    assert texts == [f"message {n}" for n in range(5)]
    faulted = [c for c in standin.calls("chat.postMessage") if c.fault]
    assert faulted, "the seed should have produced at least one 429"
    assert all(c.status == 429 and c.response["error"] == "ratelimited" for c in faulted)
    assert len(standin.calls("chat.postMessage")) == 5 + len(faulted)


def test_server_errors_apply_nothing(standin: SlackStandIn, client: WebClient) -> None:
    standin.set_faults(server_error=1.0, methods={"chat.postMessage"})
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C_SALES", text="lost")
    assert standin.messages("C_SALES") == []
    assert client.auth_test()["ok"] is True  # other methods unaffected
    assert standin.calls("chat.postMessage")[0].fault == "server_error"


def test_hang_outlasts_the_client_timeout(standin: SlackStandIn) -> None:
    standin.set_faults(hang=1.0, hang_seconds=2.0, methods={"chat.postMessage"})
    client = WebClient(token="xoxb-test", base_url=standin.api_url, timeout=0.3)
    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="C_SALES", text="slow")
    assert standin.messages("C_SALES") == []


def test_response_url_records_and_limits_uses(standin: SlackStandIn) -> None:
    url = f"{standin.response_url_base}/abc"
    answer = httpx.post(url, json={"text": "status", "response_type": "ephemeral"})
    assert (answer.status_code, answer.text) == (200, "ok")
    assert standin.responses()[0]["text"] == "status"
    assert standin.responses()[0]["replace_original"] is False
    for _ in range(4):
        httpx.post(url, json={"text": "again"})
    assert httpx.post(url, json={"text": "sixth"}).status_code == 404
    assert len(standin.responses()) == 5


def test_latency_does_not_serialise_concurrent_calls(standin: SlackStandIn) -> None:
    standin.latency = 0.5

    async def burst() -> float:
        client = AsyncWebClient(token="xoxb-test", base_url=standin.api_url)
        started = time.monotonic()
        await asyncio.gather(
            *(client.chat_postMessage(channel="C_LOAD", text=str(n)) for n in range(200))
        )
        return time.monotonic() - started

    elapsed = asyncio.run(burst())
    assert elapsed < 5.0, f"200 calls of 0.5 s took {elapsed:.1f} s"
    stamps = [m["ts"] for m in standin.messages("C_LOAD")]
    assert len(stamps) == len(set(stamps)) == 200


def test_wait_for_subscribe_and_reset(standin: SlackStandIn, client: WebClient) -> None:
    seen: list[str] = []
    unsubscribe = standin.subscribe(lambda change: seen.append(change["kind"]))
    client.chat_postMessage(channel="C_SALES", text="ping")
    found = standin.wait_for(lambda: standin.messages("C_SALES"), timeout=2)
    assert found[0]["text"] == "ping"
    assert seen == ["message"]
    unsubscribe()
    client.chat_postMessage(channel="C_SALES", text="pong")
    assert seen == ["message"]
    assert [c["kind"] for c in standin.changes_since(0)] == ["message", "message"]
    with pytest.raises(TimeoutError):
        standin.wait_for(lambda: standin.messages("C_NOTHING"), timeout=0.2)
    standin.reset()
    assert standin.messages("C_SALES") == []
    assert standin.calls() == []


def test_response_targets_show_posts_where_slack_would(
    standin: SlackStandIn, client: WebClient
) -> None:
    question = client.chat_postMessage(
        channel="C_SALES", text="Budget?", blocks=[{"type": "divider"}]
    )
    base = standin.response_url_base
    standin.register_response_url(f"{base}/eph", ResponseTarget(channel="C_SALES", user="U_REP2"))
    standin.register_response_url(f"{base}/pub", ResponseTarget(channel="C_SALES", user="U_REP1"))
    standin.register_response_url(
        f"{base}/rep", ResponseTarget(channel="C_SALES", user="U_REP1", message_ts=question["ts"])
    )
    httpx.post(f"{base}/eph", json={"text": "only you"})
    httpx.post(f"{base}/pub", json={"text": "for all", "response_type": "in_channel"})
    httpx.post(f"{base}/rep", json={"text": "answered", "replace_original": True})

    assert [e["text"] for e in standin.ephemerals("U_REP2")] == ["only you"]
    texts = [m["text"] for m in standin.messages("C_SALES")]
    assert texts == ["answered", "for all"]
    standin.deliver_response(f"{base}/eph", {"text": "ack body"})
    assert [e["text"] for e in standin.ephemerals("U_REP2")] == ["only you", "ack body"]
