"""``sdrbot local --demo`` as a user runs it: a real process, stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.timeout(120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_local_demo_serves_the_page_plays_and_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SDRBOT_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "local", "--port", str(port), "--demo"],
        cwd=tmp_path,  # no .env here; the data folder goes under it
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                page = httpx.get(base + "/", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
        assert page is not None and page.status_code == 200
        assert "sdrbot local" in page.text
        verdict_seen = False
        while time.monotonic() < deadline and not verdict_seen:
            state = httpx.get(base + "/api/state", params={"user": "U_AE1"}, timeout=20).json()
            hot = next(c for c in state["channels"] if c["id"] == "C_HOT")
            verdict_seen = any("Acme Corp" in m["text"] for m in hot["messages"])
            time.sleep(0.3)
        assert verdict_seen, "the demo's hot lead never reached #hot-leads"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    database = tmp_path / ".sdrbot-local" / "sim.db"
    assert f"Data: {database}\n" in output
    assert database.is_file()
