"""Hostile input: malformed bodies, wrong types, huge and odd texts. Never a 5xx, never a
conversation that no longer loads, and the bot still answers the rep afterwards."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standin.server import SlackStandIn
from bot.standin.signing import signed_headers
from flows.conversation import Conversation
from tests.reliability.conftest import REP, SECRET, AsgiBot, Database, rows
from tests.reliability.inproc import Workspace

CHANNEL = "CHOST"
CASES = {"random_bodies": 3000, "mangled_events": 3500, "mangled_commands": 3500}
"""Generated cases per test: 10,000 in all (a mangled command is sent with a mangled click)."""


def fuzz(test: str) -> Any:
    """Hypothesis settings that run exactly ``CASES[test]`` examples, the same ones every run."""
    return settings(
        max_examples=CASES[test],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )


def _tally(test: str, ran: int, record_property: Any) -> None:
    """Record and print how many cases ran; hypothesis stops early on a failure or exhaustion."""
    record_property("hostile_cases", ran)
    print(f"{test}: {ran} hostile cases")
    assert ran >= CASES[test]


ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "",
        " ",
        "\x00\x01\x02",
        "\u202eevil\u202c",
        "e\u0301\u0301\u0301",
        "😀" * 500,
        "x" * 50_000,
        "<!channel> *bold* `code`",
        "edit",
        "edit " + "y" * 5000,
        "skip\x00",
        '{"a":',
    ]
)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ODD_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture
def live(asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn) -> tuple[Workspace, str]:
    bot, database = asgi_bot
    workspace = Workspace(bot, standin, database)
    return workspace, workspace.qualify("Hostile Ltd", CHANNEL)


def _post(workspace: Workspace, body: bytes, content_type: str) -> int:
    response = workspace.bot.post(body, signed_headers(SECRET, body, content_type=content_type))
    assert "Traceback" not in response.text
    return response.status_code


def _still_loads_and_continues(workspace: Workspace, card_ts: str) -> None:
    workspace.bot.settle(0.5)
    for (stored,) in rows(workspace.database, "SELECT conversation FROM qualification"):
        data = json.loads(stored) if isinstance(stored, str) else stored
        Conversation.from_json(data)
    status = rows(
        workspace.database, "SELECT status FROM qualification WHERE channel_id = :c", c=CHANNEL
    )
    if status == [("active",)] or status == [("paused",)]:
        before = len(workspace.thread(CHANNEL, card_ts))
        workspace.reply(CHANNEL, card_ts, "resume" if status == [("paused",)] else "help")
        workspace.wait(lambda: len(workspace.thread(CHANNEL, card_ts)) > before)


def test_random_bodies_never_give_a_server_error(
    live: tuple[Workspace, str], record_property: Any
) -> None:
    workspace, card_ts = live
    ran = 0

    @fuzz("random_bodies")
    @given(
        body=st.binary(max_size=400) | ODD_TEXT.map(str.encode),
        content_type=st.sampled_from(
            ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]
        ),
    )
    def check(body: bytes, content_type: str) -> None:
        nonlocal ran
        ran += 1
        assert _post(workspace, body, content_type) < 500

    check()
    _tally("random_bodies", ran, record_property)
    _still_loads_and_continues(workspace, card_ts)


def test_mangled_events_in_the_live_thread_never_break_it(
    live: tuple[Workspace, str], record_property: Any
) -> None:
    workspace, card_ts = live
    ran = 0
    base = json.loads(
        workspace.payloads.message("x", user_id=REP, channel_id=CHANNEL, thread_ts=card_ts).body
    )

    @fuzz("mangled_events")
    @given(
        field=st.sampled_from(["text", "user", "thread_ts", "channel", "ts", "subtype", "type"]),
        value=JSONISH,
        envelope=st.sampled_from(["event_id", "team_id", "type", "event", None]),
        envelope_value=JSONISH,
        n=st.integers(0, 10**9),
    )
    def check(field: str, value: Any, envelope: str | None, envelope_value: Any, n: int) -> None:
        nonlocal ran
        ran += 1
        body = json.loads(json.dumps(base))
        body["event_id"] = f"EvFuzz{n}"
        body["event"]["ts"] = f"1900000000.{n:06d}"
        body["event"][field] = value
        if envelope is not None:
            body[envelope] = envelope_value
        assert _post(workspace, json.dumps(body).encode(), "application/json") < 500

    check()
    _tally("mangled_events", ran, record_property)
    _still_loads_and_continues(workspace, card_ts)


def test_mangled_commands_and_clicks_never_give_a_server_error(
    live: tuple[Workspace, str], record_property: Any
) -> None:
    workspace, card_ts = live
    ran = 0

    @fuzz("mangled_commands")
    @given(
        command=st.sampled_from(["/qualify", "/lead", "/unknown", ""]),
        text=ODD_TEXT,
        value=ODD_TEXT | JSONISH.map(json.dumps),
        action_id=st.sampled_from(["qa_answer_0", "qa_skip", "handoff_accept", "handoff_reject"]),
        drop=st.sampled_from([None, "team_id", "user_id", "channel_id", "command"]),
    )
    def check(command: str, text: str, value: str, action_id: str, drop: str | None) -> None:
        nonlocal ran
        ran += 1
        form = dict(
            token="x",
            team_id=workspace.standin.team_id,
            user_id=REP,
            channel_id="CFUZZ",
            command=command,
            text=text,
        )
        if drop:
            form.pop(drop)
        body = urlencode(form).encode()
        assert _post(workspace, body, "application/x-www-form-urlencoded") < 500
        click = workspace.payloads.block_action(
            action_id,
            value,
            user_id=REP,
            channel_id=CHANNEL,
            message_ts=card_ts,
            thread_ts=card_ts,
        )
        assert workspace.bot.post(click.body, click.headers).status_code < 500

    check()
    _tally("mangled_commands", ran, record_property)
    _still_loads_and_continues(workspace, card_ts)


@pytest.mark.parametrize(
    "lead",
    ["L" * 50_000, "\x00\x07\x1b[31m", "🦄" * 3000, "<!channel> & <@U123>", "a\u202eb", "  "],
    ids=["50k", "control", "emoji", "tokens", "bidi", "blank"],
)
def test_hand_written_lead_names_are_handled_with_a_clear_answer(
    asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn, lead: str
) -> None:
    bot, database = asgi_bot
    workspace = Workspace(bot, standin, database)
    response = workspace.send(
        workspace.payloads.command("/qualify", lead, user_id=REP, channel_id=CHANNEL)
    )
    assert response.status_code == 200
    # Either a card with a first question, or a clear line to the rep (usage or failure).
    workspace.wait(
        lambda: (
            workspace.standin.messages(CHANNEL)
            or response.text.strip()
            or workspace.standin.responses()
        )
    )
    if workspace.standin.messages(CHANNEL):
        card = workspace.standin.messages(CHANNEL)[0]
        workspace.wait(lambda: workspace.thread(CHANNEL, card["ts"]))
        big = "y" * 50_000
        workspace.reply(CHANNEL, card["ts"], big)
        workspace.wait(lambda: len(workspace.thread(CHANNEL, card["ts"])) >= 2)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            urlencode({"command": "/lead", "text": "help", "user_id": REP, "channel_id": "C1"}),
            "form",
        ),
        (
            urlencode({"command": "/qualify", "text": "Acme", "team_id": "T1", "user_id": REP}),
            "form",
        ),
        (json.dumps({"type": False, "event": {"type": "message"}}), "json"),
        (json.dumps({"type": ["event_callback"], "event_id": "Ev1"}), "json"),
    ],
    ids=["lead-without-team", "qualify-without-channel", "type-false", "type-list"],
)
def test_requests_missing_what_slack_always_sends_get_a_400(
    asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn, body: str, content_type: str
) -> None:
    bot, database = asgi_bot
    kind = "application/json" if content_type == "json" else "application/x-www-form-urlencoded"
    response = bot.post(body.encode(), signed_headers(SECRET, body.encode(), content_type=kind))
    bot.settle(0.2)
    assert response.status_code == 400
    assert standin.calls() == []
    assert rows(database, "SELECT count(*) FROM lead") == [(0,)]


@pytest.mark.parametrize("action_id", ["handoff_accept", "handoff_reject", "nurture_requalify"])
@pytest.mark.parametrize(
    "value",
    [
        '{"h": null, "r": null}',
        '{"h": [1], "r": {"a": 1}}',
        '{"h": "x", "r": "1.5"}',
        '{"h": true, "r": false}',
    ],
    ids=["null", "containers", "not-a-number", "bool"],
)
def test_clicks_whose_row_id_is_not_a_number_are_ignored_without_a_server_error(
    asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn, action_id: str, value: str
) -> None:
    bot, database = asgi_bot
    workspace = Workspace(bot, standin, database)
    click = workspace.payloads.block_action(
        action_id, value, user_id=REP, channel_id=CHANNEL, message_ts="1700000000.000100"
    )
    assert bot.post(click.body, click.headers).status_code == 200
    bot.settle()
    assert [c for c in standin.calls() if c.method.startswith("chat.")] == []
    assert rows(database, "SELECT count(*) FROM handoff") == [(0,)]
