"""The sender's requests, checked by a real Bolt app verifying signatures over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qs

from bot.standin.ids import TsClock
from bot.standin.sender import AsyncSlackSender, SlackSender, events_url
from bot.standin.signing import sign

from .conftest import SECRET, BoltRecorder

SLACK_EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibI"
    "GlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def test_sign_matches_slacks_published_example() -> None:
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, SLACK_EXAMPLE_BODY) == expected
    assert sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", SLACK_EXAMPLE_BODY.encode()) == (
        expected
    )


def test_sign_changes_with_secret_and_body() -> None:
    base = sign("a", 1, b"x")
    assert sign("b", 1, b"x") != base
    assert sign("a", 1, b"y") != base
    assert sign("a", 2, b"x") != base


def test_ts_clock_is_unique_and_increasing() -> None:
    clock = TsClock()
    stamps = [clock.next() for _ in range(2000)]
    assert len(set(stamps)) == len(stamps)
    assert [float(s) for s in stamps] == sorted(float(s) for s in stamps)
    assert all(len(s.split(".")[1]) == 6 for s in stamps)


def test_events_url_appends_path_only_to_a_bare_base() -> None:
    assert events_url("http://h:1") == "http://h:1/slack/events"
    assert events_url("http://h:1/") == "http://h:1/slack/events"
    assert events_url("http://h:1/custom") == "http://h:1/custom"


def test_command_reaches_bolt_with_response_url(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET, response_base="http://127.0.0.1:9/response") as sender:
        response = sender.command("/qualify", "Acme Corp", user_id="U_REP1", channel_id="C_SALES")
    assert response.status_code == 200
    assert "got Acme Corp" in response.text
    kind, body, _ = bolt_app.received[0]
    assert kind == "command"
    assert body["user_id"] == "U_REP1"
    assert body["channel_id"] == "C_SALES"
    assert body["response_url"].startswith("http://127.0.0.1:9/response/")


def test_message_event_in_thread_with_retry_headers(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        first = sender.message("50k EUR", user_id="U_REP1", channel_id="C_SALES", thread_ts="1.2")
        assert first.status_code == 200
        assert sender.last_request is not None
        sent = sender.last_request.info
        again = sender.message(
            "50k EUR",
            user_id="U_REP1",
            channel_id="C_SALES",
            thread_ts="1.2",
            ts=sent["ts"],
            event_id=sent["event_id"],
            retry_num=1,
        )
    assert again.status_code == 200
    (_, body1, headers1), (_, body2, headers2) = bolt_app.received
    assert body1["event"]["thread_ts"] == "1.2"
    assert body1["event"]["channel_type"] == "channel"
    assert body1["event_id"] == body2["event_id"] == sent["event_id"]
    assert body1["event"]["ts"] == body2["event"]["ts"]
    assert "x-slack-retry-num" not in headers1
    assert headers2["x-slack-retry-num"] == ["1"]
    assert headers2["x-slack-retry-reason"] == ["http_timeout"]


def test_messages_get_distinct_ids(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        for n in range(3):
            sender.message(f"m{n}", user_id="U1", channel_id="DU1")
    bodies = [body for _, body, _ in bolt_app.received]
    assert len({b["event_id"] for b in bodies}) == 3
    assert len({b["event"]["ts"] for b in bodies}) == 3
    assert {b["event"]["channel_type"] for b in bodies} == {"im"}


def test_block_action_carries_message_and_thread(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        response = sender.block_action(
            "answer",
            "yes",
            user_id="U_REP1",
            channel_id="C_SALES",
            message_ts="100.000002",
            thread_ts="100.000001",
            block_id="q_budget",
        )
    assert response.status_code == 200
    kind, body, _ = bolt_app.received[0]
    assert kind == "action"
    assert body["actions"][0]["value"] == "yes"
    assert body["actions"][0]["block_id"] == "q_budget"
    assert body["message"]["ts"] == "100.000002"
    assert body["message"]["thread_ts"] == "100.000001"
    assert body["container"]["thread_ts"] == "100.000001"
    assert body["channel"]["id"] == "C_SALES"
    assert body["user"]["id"] == "U_REP1"
    assert body["trigger_id"]


def test_select_action_sends_selected_option(bolt_app: BoltRecorder) -> None:
    option = {"text": {"type": "plain_text", "text": "Q3"}, "value": "q3"}
    with SlackSender(bolt_app.url, SECRET) as sender:
        sender.block_action(
            "answer",
            None,
            user_id="U1",
            channel_id="C1",
            message_ts="1.1",
            selected_option=option,
        )
    action = bolt_app.received[0][1]["actions"][0]
    assert action["type"] == "static_select"
    assert action["selected_option"]["value"] == "q3"


def test_view_submission_wraps_plain_values(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        response = sender.view_submission(
            "reject",
            {"reason": {"reason_input": "no budget"}},
            user_id="U_AE1",
            private_metadata='{"lead": 7}',
        )
    assert response.status_code == 200
    _, body, _ = bolt_app.received[0]
    assert body["view"]["private_metadata"] == '{"lead": 7}'
    state = body["view"]["state"]["values"]["reason"]["reason_input"]
    assert state == {"type": "plain_text_input", "value": "no budget"}


def test_app_home_opened_goes_to_the_dm_channel(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        assert sender.app_home_opened("U_MGR").status_code == 200
    _, body, _ = bolt_app.received[0]
    assert body["event"]["tab"] == "home"
    assert body["event"]["channel"].startswith("D")


def test_url_verification_is_echoed(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        response = sender.url_verification("abc123")
    assert response.status_code == 200
    assert response.json() == {"challenge": "abc123"}


def test_stale_wrong_and_tampered_requests_are_refused(bolt_app: BoltRecorder) -> None:
    with SlackSender(bolt_app.url, SECRET) as sender:
        request = sender.payloads.command("/qualify", "Acme", user_id="U1", channel_id="C1")
        stale = sender.signed_headers(
            request.body,
            timestamp=int(time.time()) - 600,
            content_type="application/x-www-form-urlencoded",
        )
        assert sender.send_raw(request.body, stale).status_code == 401
        assert sender.send_raw(request.body + b"&x=1", request.headers).status_code == 401
    with SlackSender(bolt_app.url, "another-secret") as wrong:
        assert wrong.command("/qualify", "Acme", user_id="U1", channel_id="C1").status_code == 401
    assert bolt_app.received == []


def test_command_body_is_form_encoded_like_slack() -> None:
    sender = SlackSender("http://127.0.0.1:9", SECRET)
    request = sender.payloads.command("qualify", "Acme BANT", user_id="U1", channel_id="C1")
    fields = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    assert fields["command"] == "/qualify"
    assert fields["text"] == "Acme BANT"
    assert request.headers["X-Slack-Signature"] == sign(
        SECRET, request.headers["X-Slack-Request-Timestamp"], request.body
    )
    payload = sender.payloads.block_action("a", "v", user_id="U1", channel_id="C1", message_ts="1")
    assert json.loads(parse_qs(payload.body.decode())["payload"][0])["type"] == "block_actions"
    sender.close()


def test_async_sender_delivers_concurrently(bolt_app: BoltRecorder) -> None:
    async def run() -> list[int]:
        async with AsyncSlackSender(bolt_app.url, SECRET) as sender:
            replies = await asyncio.gather(
                *(sender.message(f"m{n}", user_id="U1", channel_id="C1") for n in range(20))
            )
        return [r.status_code for r in replies]

    assert asyncio.run(run()) == [200] * 20
    assert sorted(b["event"]["text"] for _, b, _ in bolt_app.received) == sorted(
        f"m{n}" for n in range(20)
    )
