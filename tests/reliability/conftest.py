"""Fixtures for the reliability suite: throwaway databases, the stand-in, the bot in a thread or
as an ``sdrbot serve`` process, and helpers that read effects back from Slack and the database."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from bot.app import create_web_app
from bot.settings import Settings
from bot.standin.access import ReadLimit
from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn
from storage.db import make_engine, prepare
from tests.e2e.conftest import (
    AE,
    AE2,
    ALERT_CHANNEL,
    MANAGER,
    MANAGER_CHANNEL,
    OTHER_REP,
    REP,
    SECRET,
    TEAM_CONFIG,
    _start_server,
    free_port,
)

__all__ = [
    "AE",
    "AE2",
    "ALERT_CHANNEL",
    "MANAGER",
    "MANAGER_CHANNEL",
    "OTHER_REP",
    "REP",
    "SECRET",
]

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SERVE = (sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1")
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Database:
    """An empty, migrated database for one test."""

    kind: str
    url: str
    name: str = ""


def postgres_admin() -> Engine:
    """An autocommit engine on the maintenance database of the shared PostgreSQL server."""
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


@dataclass
class PostgresScratch:
    """Creates throwaway PostgreSQL databases and drops them at the end."""

    names: list[str] = field(default_factory=list)

    def create(self) -> Database:
        name = f"sdrbot_rel_{uuid.uuid4().hex[:12]}"
        admin = postgres_admin()
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        self.names.append(name)
        return Database("postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name)

    def drop_all(self) -> None:
        admin = postgres_admin()
        try:
            with admin.connect() as connection:
                for name in self.names:
                    # Restore access first: a test may have locked the database out.
                    connection.execute(text(f'ALTER DATABASE "{name}" CONNECTION LIMIT -1'))
                    connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


@pytest.fixture
def pg_scratch() -> Iterator[PostgresScratch]:
    """Throwaway PostgreSQL databases, dropped after the test."""
    scratch = PostgresScratch()
    yield scratch
    scratch.drop_all()


def _migrated(database: Database) -> Database:
    engine = make_engine(database.url)
    try:
        prepare(engine)
    finally:
        engine.dispose()
    return database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, pg_scratch: PostgresScratch
) -> Database:
    """A migrated database: a SQLite file, then a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        return _migrated(Database("sqlite", f"sqlite:///{tmp_path / 'rel.db'}"))
    return _migrated(pg_scratch.create())


@pytest.fixture
def postgres_database(pg_scratch: PostgresScratch) -> Database:
    """A migrated throwaway PostgreSQL database."""
    return _migrated(pg_scratch.create())


READS_EVERY = 0.5
"""Seconds between two history (or replies) reads, for the stand-in and the bots alike: a post
whose outcome a crash, a 5xx or a hang left unknown waits for a read before it is sent again,
and Slack's minute per read would make a run of many such posts take half an hour."""


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A running Slack Web API stand-in (its reads quickened, see ``READS_EVERY``)."""
    server = SlackStandIn(read_limit=ReadLimit(per_seconds=READS_EVERY)).start()
    yield server
    server.stop()


@pytest.fixture
def team_config(tmp_path: Path) -> Path:
    """The team config naming the manager and account executives."""
    path = tmp_path / "team.yaml"
    path.write_text(TEAM_CONFIG, encoding="utf-8")
    return path


def bot_settings(standin: SlackStandIn, database: Database, config: Path) -> Settings:
    """Settings of a bot wired to ``standin`` and ``database``."""
    return Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
        database_url=database.url,
        alert_channel=ALERT_CHANNEL,
        manager_channel=MANAGER_CHANNEL,
        language="en",
        config_path=str(config),
        slack_read_interval=READS_EVERY,
    )


def make_sender(url: str, standin: SlackStandIn, *, team_id: str | None = None) -> SlackSender:
    """A signed-request sender to the bot at ``url``."""
    return SlackSender(
        url,
        SECRET,
        team_id=team_id or standin.team_id,
        response_base=standin.response_url_base,
    )


@dataclass
class ThreadBot:
    """The real web app served by uvicorn in a thread of the test process."""

    url: str
    stop: Callable[[], None]


@pytest.fixture
def thread_bot(standin: SlackStandIn, database: Database, team_config: Path) -> Iterator[ThreadBot]:
    """The bot in this process, on ``database``."""
    settings = bot_settings(standin, database, team_config)
    port = free_port()
    server, thread = _start_server(create_web_app(settings), port)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)

    yield ThreadBot(f"http://127.0.0.1:{port}", stop)
    stop()


class BotProcess:
    """``sdrbot serve`` as a child process that can be killed and started again.

    Args:
        standin: The Slack stand-in the bot talks to.
        database: The database it uses.
        config: The team config file.
        workdir: Working directory (logs go there).
    """

    def __init__(
        self, standin: SlackStandIn, database: Database, config: Path, workdir: Path
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": database.url,
            "SDRBOT_ALERT_CHANNEL": ALERT_CHANNEL,
            "SDRBOT_MANAGER_CHANNEL": MANAGER_CHANNEL,
            "SDRBOT_CONFIG": str(config),
            "SDRBOT_LANGUAGE": "en",
            # A short Web API timeout keeps the outbox lease short, so the messages of a killed
            # worker are taken over within seconds.
            "SDRBOT_SLACK_TIMEOUT": "1",
            "SDRBOT_SLACK_READ_INTERVAL": str(READS_EVERY),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> BotProcess:
        """Start the process and wait until ``/healthz`` answers."""
        self.starts += 1
        log = (self.workdir / f"bot-{self.port}-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [*SERVE, "--port", str(self.port)],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # A loaded machine (the whole suite beside it) may take long to import and migrate.
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"sdrbot serve did not start on {self.port}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the process: no shutdown hook runs, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the process politely, then hard if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def logs(self) -> str:
        """Everything the process wrote, over all its starts."""
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.workdir.glob(f"bot-{self.port}-*"))
        )


@pytest.fixture
def bot_processes(
    standin: SlackStandIn, team_config: Path, tmp_path: Path
) -> Iterator[Callable[[Database], BotProcess]]:
    """Start ``sdrbot serve`` processes on a database; all are stopped afterwards."""
    started: list[BotProcess] = []

    def start(database: Database) -> BotProcess:
        bot = BotProcess(standin, database, team_config, tmp_path).start()
        started.append(bot)
        return bot

    yield start
    for bot in started:
        bot.stop()


def until(read: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll ``read`` until it gives something truthy and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (value := read()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return value


def rows(database: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run a read-only query on ``database`` and return its rows."""
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params).fetchall()]
    finally:
        engine.dispose()


class AsgiBot:
    """The real web app called in-process through ``httpx.ASGITransport`` on a private loop.

    The loop persists across calls, so background work spawned by one request (Slack posts)
    keeps running while later requests are made.
    """

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_web_app(settings)
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, raise_app_exceptions=False),
            base_url="http://bot.test",
            timeout=30,
        )

    def post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST ``body`` to ``/slack/events`` and return the answer."""
        return self.loop.run_until_complete(
            self.client.post("/slack/events", content=body, headers=headers)
        )

    def settle(self, seconds: float = 0.3) -> None:
        """Let background tasks (Slack calls after the ack) run."""
        self.loop.run_until_complete(asyncio.sleep(seconds))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.settle(0.2)
        self.loop.close()


@pytest.fixture
def asgi_bot(
    standin: SlackStandIn, tmp_path: Path, team_config: Path
) -> Iterator[tuple[AsgiBot, Database]]:
    """The bot in-process on a fresh SQLite file, with the database it uses."""
    database = _migrated(Database("sqlite", f"sqlite:///{tmp_path / 'asgi.db'}"))
    bot = AsgiBot(bot_settings(standin, database, team_config))
    yield bot, database
    bot.close()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Database:
    """A migrated SQLite file."""
    return _migrated(Database("sqlite", f"sqlite:///{tmp_path / 'rel.db'}"))
