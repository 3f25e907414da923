"""Intake of signed requests over real HTTP, on SQLite and PostgreSQL: a replayed ``/qualify``
starts nothing, an answer with NUL is stored, hostile payload shapes never get a 5xx."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn
from bot.standin.signing import signed_headers
from tests.reliability.conftest import (
    AE,
    MANAGER,
    REP,
    SECRET,
    Database,
    ThreadBot,
    make_sender,
    rows,
    until,
)
from tests.reliability.test_hostile_input import JSONISH, ODD_TEXT

CHANNEL = "CINTAKE"
HOSTILE_CASES = 300


@pytest.fixture
def sender(thread_bot: ThreadBot, standin: SlackStandIn) -> Iterator[SlackSender]:
    with make_sender(thread_bot.url, standin) as client:
        yield client


def _thread(standin: SlackStandIn, card_ts: str) -> list[dict[str, Any]]:
    return [
        m
        for m in standin.messages(CHANNEL, thread_ts=card_ts, include_root=False)
        if m.get("bot_id")
    ]


def _qualify(standin: SlackStandIn, sender: SlackSender, lead: str) -> str:
    assert sender.command("/qualify", lead, user_id=REP, channel_id=CHANNEL).status_code == 200
    card = until(lambda: next(iter(standin.messages(CHANNEL)), None))
    until(lambda: _thread(standin, card["ts"]))
    return str(card["ts"])


def test_a_replayed_qualify_inside_the_signature_window_starts_nothing(
    standin: SlackStandIn, sender: SlackSender, database: Database
) -> None:
    request = sender.payloads.command("/qualify", "Replay GmbH", user_id=REP, channel_id=CHANNEL)
    first = sender.send(request)
    card = until(lambda: next(iter(standin.messages(CHANNEL)), None))
    until(lambda: _thread(standin, card["ts"]))
    # The same signed bytes again, as an attacker (or a proxy) might resend them.
    replays = [sender.send_raw(request.body, request.headers) for _ in range(3)]
    time.sleep(1.0)
    assert first.status_code == 200
    assert [r.status_code for r in replays] == [200, 200, 200]
    assert rows(database, "SELECT count(*) FROM qualification") == [(1,)]
    assert len([m for m in standin.messages(CHANNEL) if m.get("thread_ts") in (None, m["ts"])]) == 1
    assert len(_thread(standin, card["ts"])) == 1
    # A new invocation (a new trigger_id) of the same command still starts a qualification.
    sender.command("/qualify", "Replay GmbH", user_id=REP, channel_id=CHANNEL)
    until(lambda: rows(database, "SELECT count(*) FROM qualification") == [(2,)])


def test_an_answer_with_nul_is_stored_without_it_and_the_next_question_follows(
    standin: SlackStandIn, sender: SlackSender, database: Database
) -> None:
    card_ts = _qualify(standin, sender, "Nul\x00 Bytes AG")
    typed = "We have 50k EUR\x00 approved"
    ts = standin.post_user_message(CHANNEL, REP, typed, thread_ts=card_ts)
    response = sender.message(typed, user_id=REP, channel_id=CHANNEL, thread_ts=card_ts, ts=ts)
    assert response.status_code == 200
    until(lambda: len(_thread(standin, card_ts)) >= 2)
    assert rows(database, "SELECT criterion, text FROM answer") == [
        ("budget", "We have 50k EUR approved")
    ]
    assert rows(database, "SELECT name FROM lead") == [("Nul Bytes AG",)]


# --- hostile shapes, signed ----------------------------------------------------------------------

HUGE = st.sampled_from([2**31, 2**63, 2**64 + 1, -(2**63) - 1, 10**40, -1, 0, 2**31 - 1])
ROW_IDS = HUGE | st.integers() | HUGE.map(str) | st.sampled_from(["1e400", "٣", "²", " 7 ", ""])
ACTION_IDS = [
    "qa_answer_0",
    "qa_answer_99999999999999999999",
    "qa_skip",
    "qa_back",
    "qa_cancel",
    "handoff_accept",
    "handoff_reject",
    "nurture_requalify",
    "engagement_qualify_now",
    "reading_change",
    "reading_choice_0",
    "phrase_remove",
    "privacy_erase",
]
VALUE_KEYS = ["h", "r", "lead", "p", "q", "t", "c", "s", "v", "e", "k"]
ODD = JSONISH | HUGE | st.lists(HUGE, max_size=2)
"""Values where Slack sends strings or objects: arrays, numbers beyond 64 bits, nulls."""


@st.composite
def block_actions(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    payload = copy.deepcopy(base)
    action = payload["actions"][0]
    action["action_id"] = draw(st.sampled_from(ACTION_IDS))
    fields = draw(st.fixed_dictionaries({}, optional={key: ROW_IDS | ODD for key in VALUE_KEYS}))
    payload["user"]["id"] = draw(st.sampled_from([REP, MANAGER, AE]))
    action["value"] = draw(st.just(json.dumps(fields)) | ODD_TEXT | ODD.map(json.dumps))
    if draw(st.booleans()):
        action["selected_option"] = draw(ODD | st.just({"value": json.dumps(fields)}))
    for name in draw(
        st.lists(
            st.sampled_from(
                ["user", "team", "channel", "container", "message", "actions", "view", "state"]
            ),
            max_size=2,
        )
    ):
        if draw(st.booleans()):
            payload.pop(name, None)
        else:
            payload[name] = draw(ODD)
    return payload


@st.composite
def view_submissions(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    payload = copy.deepcopy(base)
    payload["view"]["private_metadata"] = draw(ROW_IDS.map(str) | ODD_TEXT)
    if draw(st.booleans()):
        payload["view"]["state"] = draw(ODD)
    if draw(st.booleans()):
        payload[draw(st.sampled_from(["user", "team", "view"]))] = draw(ODD)
    return payload


@st.composite
def events(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(base)
    body["event_id"] = f"EvOdd{draw(st.integers(0, 10**12))}"
    event = body["event"]
    event["type"] = draw(st.sampled_from(["message", "app_home_opened", "message"]))
    for name in draw(st.lists(st.sampled_from(["user", "tab", "view", "files", "blocks"]))):
        event[name] = draw(ODD)
    return body


def _commands(team_id: str) -> Any:
    texts = st.sampled_from(
        [
            "report 99999999999999999999d",
            "report 0d",
            "report 99999-q4",
            "report 2024-99",
            "report 0-q1",
            "won " + "9" * 40,
            "lost 18446744073709551617 budget",
            "status " + "\x00" * 3,
            "list mine",
        ]
    ) | ODD_TEXT.map(lambda t: f"report {t}")
    return st.builds(
        lambda command, text, trigger: {
            "team_id": team_id,
            "user_id": REP,
            "channel_id": CHANNEL,
            "command": command,
            "text": text,
            "trigger_id": trigger.hex,
        },
        st.sampled_from(["/lead", "/qualify"]),
        texts,
        st.uuids(),
    )


def test_hostile_signed_payloads_never_get_a_server_error(
    standin: SlackStandIn, sender: SlackSender, database: Database
) -> None:
    card_ts = _qualify(standin, sender, "Hostile Shapes Ltd")
    click = sender.payloads.block_action(
        "qa_answer_0", "{}", user_id=REP, channel_id=CHANNEL, message_ts=card_ts, thread_ts=card_ts
    )
    click_base = json.loads(dict(_form(click.body))["payload"])
    submit = sender.payloads.view_submission("reject_handoff", {}, user_id=REP)
    submit_base = json.loads(dict(_form(submit.body))["payload"])
    event_base = json.loads(
        sender.payloads.message("x", user_id=REP, channel_id=CHANNEL, thread_ts=card_ts).body
    )
    statuses: list[int] = []

    @settings(
        max_examples=HOSTILE_CASES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(
        st.one_of(
            block_actions(click_base).map(lambda p: ("form", {"payload": json.dumps(p)})),
            view_submissions(submit_base).map(lambda p: ("form", {"payload": json.dumps(p)})),
            events(event_base).map(lambda b: ("json", b)),
            _commands(sender.payloads.team_id).map(lambda f: ("form", f)),
        )
    )
    def check(case: tuple[str, dict[str, Any]]) -> None:
        kind, data = case
        if kind == "json":
            body, content_type = json.dumps(data).encode(), "application/json"
        else:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        response = sender.send_raw(body, signed_headers(SECRET, body, content_type=content_type))
        statuses.append(response.status_code)
        assert response.status_code < 500, (response.status_code, data)

    check()
    print(f"{len(statuses)} hostile signed payloads, statuses {sorted(set(statuses))}")
    assert len(statuses) >= HOSTILE_CASES
    # The bot still qualifies afterwards (a manager's generated click may have erased the lead).
    after = sender.command("/qualify", "After Hostile AG", user_id=REP, channel_id="CAFTER")
    assert after.status_code == 200
    until(lambda: len(standin.messages("CAFTER")) >= 2)  # the card and its first question


def _form(body: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(body.decode())
