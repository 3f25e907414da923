"""Data at scale: many leads and answers, then ``/lead status`` and ``/lead list`` latency.

The rows are bulk-inserted with SQLAlchemy Core ``executemany`` (one statement per chunk), then
``sdrbot serve`` runs on that database and signed slash commands go through the real endpoint,
one at a time; a command's latency is the round trip until its acknowledgement (which carries the
answer) arrives.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import SQLModel

from bench.procs import ServerProcess, free_port, sdrbot_command
from bench.scenarios import BOT_TOKEN, SIGNING_SECRET
from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn
from storage.db import make_engine, prepare

TEAM = "T0001"
CRITERIA = ("budget", "authority", "need", "timeline")
VERDICTS = ("hot", "warm", "cold", None)
REPS = [f"UREP{i:03d}" for i in range(50)]
CHUNK = 5000


@dataclass
class CommandTimes:
    """Latencies (seconds) of one kind of command."""

    label: str
    samples: list[float] = field(default_factory=list)


def lead_name(number: int) -> str:
    """The name of seeded lead ``number``."""
    return f"Scale Lead {number:06d}"


def _chunks(rows: Iterator[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    chunk: list[dict[str, object]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed(database_url: str, leads: int, answers_per_lead: int = 4, seed_value: int = 7) -> float:
    """Create the schema and bulk-insert leads, one finished qualification each, and answers.

    Args:
        database_url: An empty database.
        leads: How many leads (and qualifications).
        answers_per_lead: Answers per qualification (at most four, one per BANT criterion).
        seed_value: Seed of the random verdicts, owners and dates.

    Returns:
        Seconds the inserts took (schema creation excluded).
    """
    rng = random.Random(seed_value)
    engine = make_engine(database_url)
    prepare(engine)
    tables = SQLModel.metadata.tables
    now = datetime.now(UTC)
    started = time.perf_counter()

    def lead_rows() -> Iterator[dict[str, object]]:
        for n in range(1, leads + 1):
            name = lead_name(n)
            updated = now - timedelta(minutes=rng.randrange(90 * 24 * 60))
            verdict = rng.choice(VERDICTS)
            yield {
                "id": n, "team_id": TEAM, "name": name, "name_key": name.casefold(),
                "owner_id": rng.choice(REPS), "stage": "mql" if verdict else "lead",
                "verdict": verdict, "score": rng.randrange(101) if verdict else None,
                "engagement_points": 0, "created_at": updated, "updated_at": updated,
            }  # fmt: skip

    def qualification_rows() -> Iterator[dict[str, object]]:
        for n in range(1, leads + 1):
            yield {
                "id": n, "team_id": TEAM, "lead_id": n, "channel_id": "CSEED",
                "thread_ts": f"1700000000.{n:06d}", "card_ts": f"1700000000.{n:06d}",
                "rep_id": REPS[n % len(REPS)], "framework": "bant", "language": "en",
                "machine_state": "done", "conversation": {}, "status": "done", "version": 5,
                "started_at": now, "finished_at": now, "updated_at": now,
            }  # fmt: skip

    def answer_rows() -> Iterator[dict[str, object]]:
        for n in range(1, leads + 1):
            for criterion in CRITERIA[:answers_per_lead]:
                yield {
                    "team_id": TEAM, "qualification_id": n, "criterion": criterion,
                    "text": "seeded answer", "value": None, "status": "met", "knockout": False,
                    "answered_by": REPS[n % len(REPS)], "answered_at": now, "superseded": False,
                }  # fmt: skip

    try:
        with engine.begin() as connection:
            for table, rows in (
                ("lead", lead_rows()),
                ("qualification", qualification_rows()),
                ("answer", answer_rows()),
            ):
                for chunk in _chunks(rows):
                    connection.execute(tables[table].insert(), chunk)
            if connection.dialect.name == "postgresql":
                # Explicit ids leave the sequences behind; the bot's own inserts need them ahead.
                for table in ("lead", "qualification"):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {leads})"
                    )
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return time.perf_counter() - started


def time_commands(
    database_url: str, leads: int, samples: int, workdir: Path, seed_value: int = 11
) -> list[CommandTimes]:
    """Serve the seeded database and time ``/lead`` commands one at a time.

    Args:
        database_url: The seeded database.
        leads: How many leads it holds (status asks for random ones).
        samples: Commands per kind.
        workdir: Working directory of the server (and its log).
        seed_value: Seed of the lead choice.

    Returns:
        Latencies per kind of command.

    Raises:
        AssertionError: When an answer does not name the lead asked about.
    """
    rng = random.Random(seed_value)
    kinds = [
        CommandTimes("/lead status <name>"),
        CommandTimes("/lead status <unknown> (suggestions)"),
        CommandTimes("/lead list"),
        CommandTimes("/lead list hot"),
        CommandTimes("/lead list mine"),
    ]
    with SlackStandIn(bot_token=BOT_TOKEN) as standin:
        port = free_port()
        env = {
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "DATABASE_URL": database_url,
        }
        log = workdir / "server-data.log"
        with (
            ServerProcess(sdrbot_command(port), env, port, log, workdir) as server,
            SlackSender(server.url, SIGNING_SECRET, response_base=standin.response_url_base) as s,
        ):

            def timed(kind: CommandTimes, text: str, user: str, expect: str | None) -> None:
                started = time.perf_counter()
                response = s.command("/lead", text, user_id=user, channel_id="CSEED")
                took = time.perf_counter() - started
                assert response.status_code == 200, response.text
                assert expect is None or expect in response.text, (text, response.text[:200])
                kind.samples.append(took)

            for _ in range(3):  # warm-up: first queries compile and fill caches
                timed(kinds[0], f"status {lead_name(1)}", REPS[0], lead_name(1))
            kinds[0].samples.clear()
            for i in range(samples):
                number = rng.randrange(1, leads + 1)
                timed(kinds[0], f"status {lead_name(number)}", REPS[0], lead_name(number))
                if i < max(3, samples // 10):  # the slow path; fewer samples keep runs short
                    timed(kinds[1], f"status Nonexistent Company {i}", REPS[0], None)
                timed(kinds[2], "list", REPS[0], "Scale Lead")
                timed(kinds[3], "list hot", REPS[0], "Scale Lead")
                timed(kinds[4], "list mine", REPS[i % len(REPS)], "Scale Lead")
    return kinds


def time_report_command(database_url: str, workdir: Path, limit: float = 120.0) -> str:
    """Time ``sdrbot report`` on the database and say how it went, in a few words."""
    script = shutil.which("sdrbot", path=str(Path(sys.executable).parent))
    if script is None:
        return "not built yet"
    probe = subprocess.run([script, "report", "--help"], capture_output=True, cwd=workdir)
    if probe.returncode != 0:
        return "not built yet"
    env = {"DATABASE_URL": database_url, "PATH": str(Path(sys.executable).parent)}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [script, "report"], capture_output=True, cwd=workdir, env=env, timeout=limit
        )
    except subprocess.TimeoutExpired:
        return f"did not finish within {limit:.0f} s"
    took = time.perf_counter() - started
    return f"{took:.2f} s" if done.returncode == 0 else f"failed (exit {done.returncode})"
