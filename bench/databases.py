"""Throwaway databases for benchmark runs, and the check that every answer was stored once."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from bench.driver import QualificationRun
from storage.db import normalize_url

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, and drop it afterwards.

    Args:
        admin_url: A URL of the server's maintenance database, with rights to create databases.

    Yields:
        The new database's URL.
    """
    name = f"sdrbot_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@dataclass(frozen=True)
class AnswerCheck:
    """How stored answers compare with the answers the driver had acknowledged.

    Attributes:
        sent: Answers acknowledged by the bot.
        stored: Answer rows found for the driven qualifications.
        lost: Acknowledged answers with no row.
        doubled: Rows beyond one per acknowledged answer.
        missing_qualifications: Driven qualifications with no row at all.
    """

    sent: int
    stored: int
    lost: int
    doubled: int
    missing_qualifications: int


def check_answers(
    database_url: str, runs: Iterable[QualificationRun], team_id: str = "T0001"
) -> AnswerCheck:
    """Compare each qualification's stored answers with what was sent to it.

    Every acknowledged answer must have exactly one row (superseded rows count too, since the
    driver never edits): fewer is a lost answer, more is a doubled one.

    Args:
        database_url: The bot's database.
        runs: The qualifications the driver drove.
        team_id: The workspace id.

    Returns:
        The totals.
    """
    engine = create_engine(normalize_url(database_url))
    stored: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    known: set[tuple[str, str]] = set()
    try:
        with engine.connect() as connection:
            for channel, thread_ts in connection.execute(
                text("SELECT channel_id, thread_ts FROM qualification WHERE team_id = :team"),
                {"team": team_id},
            ):
                known.add((channel, thread_ts))
            rows = connection.execute(
                text(
                    "SELECT q.channel_id, q.thread_ts, a.text FROM answer a "
                    "JOIN qualification q ON q.id = a.qualification_id WHERE q.team_id = :team"
                ),
                {"team": team_id},
            )
            for channel, thread_ts, answer in rows:
                stored[(channel, thread_ts)][answer] += 1
    finally:
        engine.dispose()
    sent_total = stored_total = lost = doubled = missing = 0
    for run in runs:
        key = (run.channel, run.card_ts)
        if key not in known:
            missing += 1
        sent = Counter(run.sent)
        found = stored.get(key, Counter())
        sent_total += sent.total()
        stored_total += found.total()
        lost += (sent - found).total()
        doubled += (found - sent).total()
    return AnswerCheck(sent_total, stored_total, lost, doubled, missing)
