"""Fixtures: simulators (with the real bot or a recording endpoint) and headless chromium."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.simulator import Simulator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECORDER_SECRET = "recorder-secret"


class Recorder:
    """A tiny stand-in for the bot: checks each request's signature and keeps its payload."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.verifier = SignatureVerifier(RECORDER_SECRET)
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                valid = recorder.verifier.is_valid_request(body, dict(self.headers))
                recorder.requests.append({"valid": valid, **recorder.parse(body)})
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                """Keep test output clean."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/slack/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def parse(body: bytes) -> dict[str, Any]:
        text = body.decode()
        if text.startswith("{"):
            return {"kind": "event", "body": json.loads(text)}
        form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
        if "payload" in form:
            return {"kind": "interaction", "body": json.loads(form["payload"])}
        return {"kind": "command", "body": form}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A recording endpoint in place of the bot."""
    endpoint = Recorder()
    yield endpoint
    endpoint.close()


@pytest.fixture
def recorded_simulator(recorder: Recorder) -> Iterator[Simulator]:
    """The simulator page and stand-in, talking to the recording endpoint."""
    with Simulator(bot_url=recorder.url, signing_secret=RECORDER_SECRET) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def bot_simulator() -> Iterator[Simulator]:
    """The whole local workspace with the real bot."""
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page that fails the test on JavaScript errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # Generous: the bot behind the page shares two cores with the rest of the suite.
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
