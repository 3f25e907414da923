"""Webhooks: signed deliveries through the outbox, retried with backoff until the receiver is up."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine, select, update

from bot.config import ConfigError, WebhookTarget, load_team_config
from bot.services import webhooks
from bot.services.outbox_sender import OutboxSender
from storage.db import session_scope
from storage.models import OutboxMessage

SECRET = "whsec-test"


class Receiver:
    """A local HTTP receiver that answers 503 to the first ``fail_first`` deliveries."""

    def __init__(self, fail_first: int) -> None:
        self.fail_first = fail_first
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 503 if len(receiver.received) < receiver.fail_first else 200
                receiver.received.append((dict(self.headers), body, status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver(fail_first=2)
    yield made
    made.server.shutdown()


def test_signature_matches_the_documented_scheme() -> None:
    body = b'{"event":"outcome"}'
    expected = webhooks.sign(SECRET, "1700000000", body)
    assert expected.startswith("sha256=") and len(expected) == 7 + 64
    assert webhooks.verify(SECRET, "1700000000", body, expected)
    assert not webhooks.verify(SECRET, "1700000001", body, expected)
    assert not webhooks.verify("other", "1700000000", body, expected)


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ('[{url: "https://x.example", events: [nope]}]', r"webhooks\[0\]\.events: unknown events"),
        ('[{url: "https://x.example"}, {url: "ftp://x"}]', r"webhooks\[1\]\.url: must be an http"),
    ],
)
def test_config_validation_names_the_field(tmp_path: Path, entries: str, field: str) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(f"webhooks: {entries}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^team\.yaml: {field}"):
        load_team_config(path)


def test_a_receiver_without_events_gets_every_event(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("webhooks: [{url: 'https://x.example'}]\n", encoding="utf-8")
    (target,) = load_team_config(path).webhooks
    assert target.wants("outcome") and target.wants("verdict") and target.secret == ""


def test_delivery_is_signed_deduplicated_and_retried(
    sqlite_engine: Engine, receiver: Receiver
) -> None:
    targets = (
        WebhookTarget(url=receiver.url, events=frozenset({"outcome"}), secret=SECRET),
        WebhookTarget(url="http://127.0.0.1:9/never", events=frozenset({"verdict"}), secret="x"),
    )
    with session_scope(sqlite_engine) as session:
        for _ in range(2):  # the same occurrence twice: one delivery
            queued = webhooks.emit(
                session=session, team_id="T1", targets=targets, event="outcome",
                data={"lead_id": 7, "outcome": "won"}, key="lead:7:won",
            )  # fmt: skip
        assert queued == 0  # the second call found the first delivery queued

    sender = OutboxSender(
        sqlite_engine,
        AsyncWebClient(token="unused"),
        handlers={webhooks.WEBHOOK_METHOD: webhooks.WebhookDelivery(targets)},
    )

    def make_due() -> OutboxMessage:
        with session_scope(sqlite_engine) as session:
            session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
            return session.scalars(select(OutboxMessage)).one()

    first = make_due()
    asyncio.run(sender.send_due())
    with session_scope(sqlite_engine) as session:
        failed = session.scalars(select(OutboxMessage)).one()
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.next_attempt_at > datetime.now(UTC)  # backed off, not due at once
    assert "503" in (failed.last_error or "")
    for _ in range(2):
        make_due()
        asyncio.run(sender.send_due())
    with session_scope(sqlite_engine) as session:
        done = session.scalars(select(OutboxMessage)).one()
    assert (done.status, done.attempts, done.id) == ("sent", 2, first.id)

    assert [status for _, _, status in receiver.received] == [503, 503, 200]
    headers, body, _ = receiver.received[-1]
    assert webhooks.verify(
        SECRET, headers["X-Sdrbot-Timestamp"], body, headers["X-Sdrbot-Signature"]
    )
    payload = json.loads(body)
    assert payload["event"] == "outcome" and payload["data"]["lead_id"] == 7
