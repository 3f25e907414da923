"""One load scenario: a stand-in, a server subprocess (the bot or the bare app), the driver."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench.databases import AnswerCheck, check_answers
from bench.driver import LoadConfig, LoadResult, drive
from bench.procs import ServerProcess, bare_bolt_command, free_port, sdrbot_command
from bot.standin.server import SlackStandIn

Target = Literal["sdrbot", "bare"]
BOT_TOKEN = "xoxb-bench"
SIGNING_SECRET = "bench-signing-secret"
ALERT_CHANNEL = "CALERTS"


@dataclass(frozen=True)
class Scenario:
    """What to run.

    Attributes:
        target: ``sdrbot`` (``sdrbot serve``) or ``bare`` (the bare Bolt app).
        latency: Seconds the stand-in waits before answering each Web API call (L).
        load: The load.
        workers: Server worker processes.
        database_url: The bot's database; None for a fresh SQLite file in a temporary folder.
    """

    target: Target
    latency: float
    load: LoadConfig
    workers: int = 1
    database_url: str | None = None

    @property
    def label(self) -> str:
        """A short name for tables."""
        database = "sqlite" if self.database_url is None else self.database_url.split(":", 1)[0]
        name = self.target if self.target == "bare" else f"{self.target}/{database.split('+')[0]}"
        return f"{name} w={self.workers}"


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario measured."""

    scenario: Scenario
    load: LoadResult
    answers: AnswerCheck | None
    worker_rss_mb: float
    workers_seen: int
    server_cpu_seconds: float

    @property
    def cpu_ms_per_step(self) -> float:
        """Server CPU milliseconds per completed step (warm-up included), steady on busy hosts."""
        return 1000 * self.server_cpu_seconds / self.load.steps if self.load.steps else 0.0


def run_scenario(scenario: Scenario, *, log_dir: Path | None = None) -> ScenarioResult:
    """Start everything, drive the load, check the database, stop everything.

    Args:
        scenario: What to run.
        log_dir: Where to keep the server's log (a temporary folder by default).

    Returns:
        The measurements.
    """
    with tempfile.TemporaryDirectory(prefix="sdrbot-load-") as folder:
        workdir = Path(folder)
        database_url = scenario.database_url or f"sqlite:///{workdir / 'bench.db'}"
        standin = SlackStandIn(bot_token=BOT_TOKEN, latency=scenario.latency).start()
        try:
            port = free_port()
            command = (
                sdrbot_command(port, scenario.workers)
                if scenario.target == "sdrbot"
                else bare_bolt_command(port, scenario.workers)
            )
            env = {
                "SLACK_API_URL": standin.api_url,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "DATABASE_URL": database_url,
                "SDRBOT_ALERT_CHANNEL": ALERT_CHANNEL,
            }
            log_path = (log_dir or workdir) / f"server-{scenario.target}-{port}.log"
            server = ServerProcess(command, env, port, log_path, workdir)
            with server:
                assert server.sampler is not None
                server.sampler.sample()
                cpu_before = server.sampler.total_cpu_seconds()
                load = asyncio.run(drive(standin, server.url, SIGNING_SECRET, scenario.load))
                server.sampler.sample()
                cpu = server.sampler.total_cpu_seconds() - cpu_before
                rss = server.peak_worker_rss_mb()
                workers_seen = max(1, len(server.sampler.children) if server.sampler else 1)
            answers = (
                check_answers(database_url, load.runs) if scenario.target == "sdrbot" else None
            )
        finally:
            standin.stop()
    return ScenarioResult(scenario, load, answers, rss, workers_seen, cpu)
