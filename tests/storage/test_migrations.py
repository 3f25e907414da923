"""Migrations bring an empty database to a schema identical to the SQLModel tables."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from importlib.util import find_spec
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage.db import make_engine, normalize_url, prepare
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import TABLE_NAMES

ROOT = Path(__file__).resolve().parents[2]


def _schema_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, reflected, other: (
                        type_ != "table" or name in TABLE_NAMES
                    ),
                },
            )
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return current_revision(connection)
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_and_matches_the_models(db):
    assert _revision(db.url) is None
    upgrade(db.url)
    engine = make_engine(db.url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables >= TABLE_NAMES
    assert _revision(db.url) == head_revision()
    assert _schema_diff(db.url) == []


def test_upgrade_twice_is_harmless(db):
    upgrade(db.url)
    upgrade(db.url)
    assert _revision(db.url) == head_revision()


def test_workers_starting_together_migrate_once(db):
    engine = make_engine(db.url)
    errors: list[BaseException] = []

    def start_worker() -> None:
        try:
            prepare(engine)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start_worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert _revision(db.url) == head_revision()


def test_postgres_url_spellings_use_psycopg():
    assert normalize_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url(None) == "sqlite:///sdrbot.db"


def test_sqlite_connections_are_configured(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
            busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    finally:
        engine.dispose()
    assert (journal, foreign_keys) == ("wal", 1)
    assert busy > 0


def _run(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_upgrade_function_from_a_fresh_interpreter(db, tmp_path):
    code = "import os; from storage.migrate import upgrade; upgrade(os.environ['DATABASE_URL'])"
    done = _run([sys.executable, "-c", code], db.url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert _revision(db.url) == head_revision()


@pytest.mark.skipif(find_spec("bot.settings") is None, reason="bot.settings not written yet")
def test_sdrbot_db_upgrade_command(db, tmp_path):
    sdrbot = Path(sys.executable).with_name("sdrbot")
    args = [str(sdrbot)] if sdrbot.exists() else [sys.executable, "-m", "bot.cli"]
    done = _run([*args, "db", "upgrade"], db.url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert _revision(db.url) == head_revision()
