"""Hostile input over real HTTP: a smaller generated set sent to an ``sdrbot serve`` process
(uvicorn, real sockets), plus oversized and odd requests. Never a 5xx, the process stays up and
still qualifies a lead afterwards."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standin.server import SlackStandIn
from bot.standin.signing import signed_headers
from tests.reliability.conftest import REP, SECRET, BotProcess, Database, make_sender
from tests.reliability.test_hostile_input import JSONISH, ODD_TEXT

CASES = 400


def _qualifies(standin: SlackStandIn, url: str, channel: str) -> None:
    sender = make_sender(url, standin)
    try:
        response = sender.command("/qualify", "Still Works AG", user_id=REP, channel_id=channel)
        assert response.status_code == 200
        deadline = time.monotonic() + 15
        while len(standin.messages(channel)) < 2:  # the card and the first question
            assert time.monotonic() < deadline, "the bot no longer qualifies"
            time.sleep(0.05)
    finally:
        sender.close()


def test_generated_and_oversized_requests_over_http_never_give_a_server_error(
    standin: SlackStandIn,
    sqlite_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    bot = bot_processes(sqlite_database)
    client = httpx.Client(base_url=bot.url, timeout=30)
    statuses: list[int] = []

    def post(body: bytes, content_type: str, **extra: str) -> int:
        headers = {**signed_headers(SECRET, body, content_type=content_type), **extra}
        status = client.post("/slack/events", content=body, headers=headers).status_code
        statuses.append(status)
        return status

    @settings(
        max_examples=CASES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(
        kind=st.sampled_from(["bytes", "form", "json"]),
        raw=st.binary(max_size=300),
        text=ODD_TEXT,
        junk=JSONISH,
        field=st.sampled_from(["type", "event", "event_id", "team_id", "payload", "command"]),
    )
    def check(kind: str, raw: bytes, text: str, junk: Any, field: str) -> None:
        if kind == "bytes":
            body, content_type = raw, "application/octet-stream"
        elif kind == "form":
            form = {"command": "/lead", "text": text, "team_id": "T1", "user_id": REP}
            form["channel_id"] = "CHTTP"
            form[field] = json.dumps(junk)
            body, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
        else:
            envelope: dict[str, Any] = {
                "type": "event_callback",
                "team_id": "T1",
                "event_id": "EvHttp",
                "event": {"type": "message", "text": text, "user": REP, "channel": "CHTTP"},
            }
            envelope[field] = junk
            body, content_type = json.dumps(envelope).encode(), "application/json"
        assert post(body, content_type) < 500

    check()
    # Oversized, empty and mislabelled requests.
    assert post(b"x" * 2_000_000, "text/plain") < 500
    assert post(b"", "application/json") < 500
    assert post(b'{"type": "event_callback"' * 1000, "application/json") < 500
    assert (
        post(urlencode({"payload": "[" * 5000}).encode(), "application/x-www-form-urlencoded") < 500
    )
    assert client.get("/slack/events").status_code == 405
    assert client.put("/healthz").status_code == 405
    unsigned = client.post("/slack/events", content=b"{}", headers={"Content-Type": "text/json"})
    assert unsigned.status_code == 401
    print(f"hostile over http: {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert len(statuses) >= CASES
    assert bot.process is not None and bot.process.poll() is None
    assert client.get("/healthz").status_code == 200
    client.close()
    _qualifies(standin, bot.url, "CAFTER")
    assert "Traceback" not in bot.logs()
