"""``--demo`` in chromium: it waits for the page, replays from it, and plays in German."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from bot.simulator import Simulator
from bot.simulator.people import SALES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
ROOT = Path(__file__).resolve().parents[2]
DEMO_SECONDS = 150_000  # milliseconds a whole play may take on a busy machine


def _roots_naming(simulator: Simulator, lead: str) -> int:
    return sum(
        1
        for m in simulator.standin.messages(SALES)
        if m.get("thread_ts") in (None, m["ts"]) and lead in m.get("text", "")
    )


def test_the_demo_waits_for_the_page_then_replays_from_it(page: Any) -> None:
    with Simulator(demo=True, demo_pause=0) as simulator:
        time.sleep(2)
        assert simulator.standin.messages(SALES) == []
        assert simulator.demo is not None and simulator.demo.plays == 0

        page.goto(simulator.url)
        replay = page.locator("#demo-replay")
        page.locator("#messages .message", has_text="Acme Corp").first.wait_for()
        page.locator("#messages .message", has_text="Initech").first.wait_for(timeout=DEMO_SECONDS)
        expect(replay).to_have_text("Replay demo", timeout=DEMO_SECONDS)
        expect(replay).to_be_enabled()
        assert _roots_naming(simulator, "Acme Corp") == 1

        replay.click()
        expect(replay).to_have_text("Demo playing\u2026")
        expect(replay).to_be_disabled()
        expect(replay).to_have_text("Replay demo", timeout=DEMO_SECONDS)
        assert simulator.demo.plays == 2
        assert _roots_naming(simulator, "Acme Corp") == 2
        words = [
            next(w for w in ("hot", "warm", "cold") if w in v["text"])
            for v in simulator.demo.verdicts
        ]
        assert words == ["hot", "warm", "cold"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sdrbot_language_de_plays_the_demo_in_german(page: Any, tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SDRBOT_"))}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "local", "--port", str(port), "--demo"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT), "SDRBOT_LANGUAGE": "de"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator("#channel-topic")).to_contain_text("/qualify Müller Maschinenbau")
        messages = page.locator("#messages")
        messages.locator(".message", has_text="Müller Maschinenbau").first.wait_for()
        messages.locator(".message", has_text="Kessler Bau").first.wait_for(timeout=DEMO_SECONDS)
        expect(page.locator("#demo-replay")).to_have_text("Demo noch einmal", timeout=DEMO_SECONDS)

        root = messages.locator(".message", has_text="Müller Maschinenbau").first
        root.locator(".thread-link").click()
        thread = page.locator("#thread-messages")
        thread.locator(".message", has_text="80.000 € sind dafür freigegeben").first.wait_for()
        text = thread.inner_text()
        # Answered questions close to one line; each line is German.
        assert "Budget · 80.000 € sind dafür freigegeben · erfüllt" in text
        assert "Müller Maschinenbau ist heiß" in text
        assert "Question" not in text and " is hot" not in text
        assert "Brandt Logistik ist warm" in _thread_text(page, "Brandt Logistik")
        assert "Kessler Bau ist kalt" in _thread_text(page, "Kessler Bau")
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"Data: {tmp_path / '.sdrbot-local' / 'sim.db'}" in output


def _thread_text(page: Any, lead: str) -> str:
    page.locator("#messages .message", has_text=lead).first.locator(".thread-link").click()
    thread = page.locator("#thread-messages")
    thread.locator(".thread-root", has_text=lead).wait_for()
    return str(thread.inner_text())
