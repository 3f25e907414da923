"""Request signatures: anything not signed now with our secret is refused with 401 and no effect."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.standin.payloads import PayloadBuilder
from bot.standin.server import SlackStandIn
from bot.standin.signing import sign, signed_headers
from tests.reliability.conftest import REP, SECRET, AsgiBot, Database, rows

SLACK_EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_EXAMPLE_TS = 1531420618
SLACK_EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
SLACK_EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibI"
    "GlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SIX_MINUTES = 6 * 60

Tamper = Callable[[bytes, dict[str, str]], tuple[bytes, dict[str, str]]]


def _drop(name: str) -> Tamper:
    def tamper(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        return body, {k: v for k, v in headers.items() if k != name}

    return tamper


def _set(name: str, value: str) -> Tamper:
    def tamper(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        return body, {**headers, name: value}

    return tamper


def _resign(secret: str = SECRET, shift: int = 0) -> Tamper:
    def tamper(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        stamp = int(time.time()) + shift
        return body, signed_headers(secret, body, timestamp=stamp, content_type=_ct(headers))

    return tamper


def _ct(headers: dict[str, str]) -> str:
    return headers["Content-Type"]


def _alter_body(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    altered = body.replace(b"T0001", b"T0002", 1)
    assert altered != body
    return altered, headers


def _wrong_version(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    good = headers["X-Slack-Signature"]
    return body, {**headers, "X-Slack-Signature": "v1=" + good.removeprefix("v0=")}


TAMPERS: dict[str, Tamper] = {
    "missing signature": _drop("X-Slack-Signature"),
    "missing timestamp": _drop("X-Slack-Request-Timestamp"),
    "empty signature": _set("X-Slack-Signature", ""),
    "malformed signature": _set("X-Slack-Signature", "v0=not-hex"),
    "unversioned signature": _set("X-Slack-Signature", "a2114d57b48eac39b9ad189dd8316235"),
    "other version": _wrong_version,
    "malformed timestamp": _set("X-Slack-Request-Timestamp", "yesterday"),
    "wrong secret": _resign(secret="not-our-secret"),
    "six minutes old": _resign(shift=-SIX_MINUTES),
    "six minutes ahead": _resign(shift=SIX_MINUTES),
    "body altered after signing": _alter_body,
    "example vector replayed": _set("X-Slack-Signature", SLACK_EXAMPLE_SIGNATURE),
}


def _requests(payloads: PayloadBuilder) -> dict[str, tuple[bytes, dict[str, str]]]:
    command = payloads.command("/qualify", "Evil Corp", user_id=REP, channel_id="CSIG")
    event = payloads.message("Evil answer", user_id=REP, channel_id="CSIG", thread_ts="1.000001")
    click = payloads.block_action(
        "handoff_accept", '{"h":1}', user_id=REP, channel_id="CSIG", message_ts="1.000001"
    )
    return {
        "command": (command.body, command.headers),
        "event": (event.body, event.headers),
        "click": (click.body, click.headers),
    }


def _no_effect(standin: SlackStandIn, database: Database) -> None:
    assert standin.calls() == []
    for table in ("lead", "qualification", "processed_event", "audit_event", "outbox_message"):
        assert rows(database, f"SELECT count(*) FROM {table}") == [(0,)], table


@pytest.mark.parametrize("tamper", list(TAMPERS), ids=list(TAMPERS))
def test_bad_signatures_are_refused_with_no_effect(
    tamper: str, asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn
) -> None:
    bot, database = asgi_bot
    payloads = PayloadBuilder(SECRET, team_id=standin.team_id)
    for kind, (body, headers) in _requests(payloads).items():
        sent_body, sent_headers = TAMPERS[tamper](body, dict(headers))
        response = bot.post(sent_body, sent_headers)
        assert response.status_code == 401, (kind, response.status_code)
        assert "Traceback" not in response.text
    bot.settle(0.3)
    _no_effect(standin, database)


def test_an_old_request_replayed_is_refused_and_a_recent_duplicate_does_nothing_twice(
    asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn
) -> None:
    bot, database = asgi_bot
    payloads = PayloadBuilder(SECRET, team_id=standin.team_id)
    captured = payloads.command(
        "/qualify", "Replay Ltd", user_id=REP, channel_id="CSIG", timestamp=int(time.time()) - 301
    )
    assert bot.post(captured.body, captured.headers).status_code == 401
    bot.settle(0.3)
    _no_effect(standin, database)
    # A genuine request still works after the refusals: the bot is not wedged.
    fresh = payloads.command("/qualify", "Replay Ltd", user_id=REP, channel_id="CSIG")
    assert bot.post(fresh.body, fresh.headers).status_code == 200
    bot.settle(1.0)
    assert rows(database, "SELECT count(*) FROM qualification") == [(1,)]


def test_slacks_published_example_verifies_with_the_verifier_bolt_uses() -> None:
    class ExampleClock:
        def now(self) -> float:
            return SLACK_EXAMPLE_TS + 10.0

    verifier = SignatureVerifier(SLACK_EXAMPLE_SECRET, clock=ExampleClock())  # type: ignore[arg-type]
    assert sign(SLACK_EXAMPLE_SECRET, SLACK_EXAMPLE_TS, SLACK_EXAMPLE_BODY) == (
        SLACK_EXAMPLE_SIGNATURE
    )
    assert verifier.is_valid(SLACK_EXAMPLE_BODY, str(SLACK_EXAMPLE_TS), SLACK_EXAMPLE_SIGNATURE)
    assert not verifier.is_valid(
        SLACK_EXAMPLE_BODY + "x", str(SLACK_EXAMPLE_TS), SLACK_EXAMPLE_SIGNATURE
    )
    # Six minutes later the same request is stale.
    later = SignatureVerifier(
        SLACK_EXAMPLE_SECRET,
        clock=type("C", (), {"now": lambda s: SLACK_EXAMPLE_TS + SIX_MINUTES})(),
    )  # type: ignore[arg-type]
    assert not later.is_valid(SLACK_EXAMPLE_BODY, str(SLACK_EXAMPLE_TS), SLACK_EXAMPLE_SIGNATURE)
