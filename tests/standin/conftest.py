"""Fixtures: a real Bolt app served over HTTP, to check what the sender produces."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult

SECRET = "test-signing-secret"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@dataclass
class BoltRecorder:
    """A running Bolt app and what its listeners received."""

    url: str
    received: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.received]


def _build_app(recorder: BoltRecorder) -> App:
    def authorize(**_: Any) -> AuthorizeResult:
        # A fixed answer: the default authorizer would call auth.test on the real Slack.
        return AuthorizeResult(
            enterprise_id=None, team_id="T0001", bot_token="xoxb-test", bot_user_id="UBOT"
        )

    app = App(signing_secret=SECRET, authorize=authorize, process_before_response=True)

    def remember(kind: str, body: dict[str, Any], headers: dict[str, Any]) -> None:
        recorder.received.append((kind, body, headers))

    @app.command("/qualify")
    def on_qualify(ack: Any, body: dict[str, Any], request: Any) -> None:
        remember("command", body, request.headers)
        ack(f"got {body['text']}")

    @app.event("message")
    def on_message(body: dict[str, Any], request: Any) -> None:
        remember("message", body, request.headers)

    @app.event("app_home_opened")
    def on_home(body: dict[str, Any], request: Any) -> None:
        remember("app_home_opened", body, request.headers)

    @app.action("answer")
    def on_answer(ack: Any, body: dict[str, Any], request: Any) -> None:
        ack()
        remember("action", body, request.headers)

    @app.view("reject")
    def on_reject(ack: Any, body: dict[str, Any], request: Any) -> None:
        ack()
        remember("view", body, request.headers)

    return app


@pytest.fixture
def bolt_app() -> Iterator[BoltRecorder]:
    """A real Bolt app on a loopback port, recording every request its listeners handle."""
    recorder = BoltRecorder(url="")
    handler = SlackRequestHandler(_build_app(recorder))
    server: WSGIServer = make_server(
        "127.0.0.1", 0, handler, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    recorder.url = f"http://127.0.0.1:{server.server_port}/slack/events"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
