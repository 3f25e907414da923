"""Intake limits over real HTTP: oversized bodies refused unread, malformed signature headers
refused with 401, no serving without a signing secret, no test clock outside tests, a readiness
check that follows the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.app import MissingSigningSecret, create_web_app
from bot.request_guard import MAX_BODY_BYTES
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from bot.standin.signing import sign, signed_headers
from tests.e2e.conftest import _start_server, free_port
from tests.reliability.conftest import (
    REP,
    ROOT,
    SECRET,
    BotProcess,
    Database,
    bot_settings,
    make_sender,
    postgres_admin,
    rows,
)

TWENTY_MB = 20 * 1024 * 1024
RSS_GROWTH_LIMIT_MB = 25
"""Ten 20 MB bodies read into memory would add hundreds of MB; refused unread, next to nothing."""


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _post_big(url: str, *, chunked: bool) -> int:
    """POST an unsigned 20 MB body, with a ``Content-Length`` or chunked."""
    block = b"x" * (1024 * 1024)

    def chunks() -> Iterator[bytes]:
        for _ in range(TWENTY_MB // len(block)):
            yield block

    content = chunks() if chunked else block * (TWENTY_MB // len(block))
    with httpx.Client(timeout=30) as client:
        response = client.post(
            f"{url}/slack/events", content=content, headers={"Content-Type": "text/plain"}
        )
        return response.status_code


def test_oversized_bodies_are_refused_before_the_signature_and_memory_stays_flat(
    standin: SlackStandIn,
    sqlite_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    bot = bot_processes(sqlite_database)
    assert bot.process is not None
    before = _rss_mb(bot.process.pid)
    statuses = [_post_big(bot.url, chunked=False) for _ in range(9)]
    statuses.append(_post_big(bot.url, chunked=True))  # no Content-Length: capped while streaming
    after = _rss_mb(bot.process.pid)
    print(f"RSS of the server: {before:.0f} MB before, {after:.0f} MB after ten 20 MB bodies")
    assert statuses == [413] * 10
    assert after - before < RSS_GROWTH_LIMIT_MB
    # Just over the limit, declared honestly and signed: still refused, with 413.
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    response = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body), timeout=30
    )
    assert response.status_code == 413
    # The server still qualifies.
    sender = make_sender(bot.url, standin)
    assert sender.command("/qualify", "After Big AG", user_id=REP, channel_id="CBIG").status_code
    sender.close()
    assert rows(sqlite_database, "SELECT count(*) FROM qualification") == [(1,)]
    assert "Traceback" not in bot.logs()


NOW = str(int(time.time()))
BODY = b'{"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": {}}'
GOOD_SIGNATURE = sign(SECRET, NOW, BODY)
MALFORMED_HEADERS: dict[str, tuple[bytes, bytes]] = {
    "timestamp-400-digits": (b"9" * 400, GOOD_SIGNATURE.encode()),
    "timestamp-5000-digits": (b"1" * 5000, GOOD_SIGNATURE.encode()),
    "timestamp-non-ascii": (NOW.encode() + b"\xe9", GOOD_SIGNATURE.encode()),
    "timestamp-superscript-digit": ("²".encode(), GOOD_SIGNATURE.encode()),
    "timestamp-fullwidth-digits": ("１５３１４２０６１８".encode(), GOOD_SIGNATURE.encode()),
    "timestamp-empty": (b"", GOOD_SIGNATURE.encode()),
    "timestamp-negative": (b"-1", GOOD_SIGNATURE.encode()),
    "signature-non-ascii": (NOW.encode(), GOOD_SIGNATURE.encode()[:-1] + b"\xff"),
    "signature-400-digits": (NOW.encode(), b"v0=" + b"1" * 400),
    "signature-empty": (NOW.encode(), b""),
    "signature-unicode": (NOW.encode(), ("v0=" + "é" * 64).encode()),
    "signature-uppercase-hex": (NOW.encode(), GOOD_SIGNATURE.upper().encode()),
}


@pytest.fixture
def served(standin: SlackStandIn, sqlite_database: Database, team_config: Path) -> Iterator[str]:
    server, thread = _start_server(
        create_web_app(bot_settings(standin, sqlite_database, team_config)), port := free_port()
    )
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.mark.parametrize("case", list(MALFORMED_HEADERS))
def test_malformed_signature_headers_get_401(served: str, case: str) -> None:
    timestamp, signature = MALFORMED_HEADERS[case]
    headers = [
        (b"content-type", b"application/json"),
        (b"x-slack-request-timestamp", timestamp),
        (b"x-slack-signature", signature),
    ]
    response = httpx.post(f"{served}/slack/events", content=BODY, headers=headers, timeout=10)
    assert response.status_code == 401
    assert "Traceback" not in response.text


def test_the_server_refuses_to_start_without_a_signing_secret(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_SIGNING_SECRET is empty" in lines[0]
    with pytest.raises(MissingSigningSecret):
        create_web_app(Settings(slack_signing_secret="  ", database_url=env["DATABASE_URL"]))


def test_the_test_clock_cannot_be_switched_on_by_settings_or_environment(
    standin: SlackStandIn,
    sqlite_database: Database,
    bot_processes: Callable[[Database], BotProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The variable the route was once switched on by, in the environment of a served process.
    monkeypatch.setenv("SDRBOT_TEST_CLOCK", "1")
    monkeypatch.setenv("TEST_CLOCK", "1")
    bot = bot_processes(sqlite_database)
    response = httpx.post(f"{bot.url}/test/clock", json={"advance_minutes": 600}, timeout=10)
    assert response.status_code == 404
    assert not hasattr(Settings(), "test_clock")


@pytest.mark.postgres
def test_readiness_follows_the_database_while_liveness_stays_up(
    standin: SlackStandIn, postgres_database: Database, team_config: Path
) -> None:
    settings = bot_settings(standin, postgres_database, team_config)
    server, thread = _start_server(create_web_app(settings), port := free_port())
    url = f"http://127.0.0.1:{port}"
    admin = postgres_admin()
    try:
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200
        with admin.connect() as connection:
            name = postgres_database.name
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
        ready = httpx.get(f"{url}/readyz", timeout=30)
        assert ready.status_code == 503
        assert ready.json() == {"ok": False, "database": "unreachable"}
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert httpx.get(f"{url}/readyz", timeout=30).status_code == 200
    finally:
        admin.dispose()
        server.should_exit = True
        thread.join(timeout=15)
