"""Engines and sessions for SQLite (embedded default) and PostgreSQL (shared by several workers)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

DEFAULT_DATABASE_URL = "sqlite:///sdrbot.db"

SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for the write lock before failing with "database is locked"."""

_MIGRATION_LOCK_KEY = zlib.crc32(b"sdrbot.storage.migrate")
"""Advisory-lock key on PostgreSQL; a fixed number so every worker contends for the same lock."""


def normalize_url(url: str | None) -> str:
    """Return a SQLAlchemy URL, mapping the common PostgreSQL spellings to the psycopg 3 driver.

    Args:
        url: a database URL, or None for the SQLite file in the working directory.

    Returns:
        The URL SQLAlchemy should use.
    """
    if not url:
        return DEFAULT_DATABASE_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def json_text(value: Any) -> str:
    """``value`` as JSON text, written by orjson: several times faster than ``json.dumps`` on
    the conversations and Block Kit payloads every step stores (dict keys that are not strings
    are written as strings, as ``json.dumps`` does)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(
    url: str | None = None,
    *,
    sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    **engine_options: Any,
) -> Engine:
    """Build an engine for ``url`` with the connection settings this application relies on.

    SQLite gets WAL journaling, enforced foreign keys, a busy timeout and transactions that
    start with ``BEGIN IMMEDIATE``: a deferred transaction that reads and later writes fails at
    once with "database is locked" when another writer got in between, whereas an immediate one
    waits its turn for the write lock. PostgreSQL gets a pre-pinged, bounded pool.

    Args:
        url: database URL; None means ``sqlite:///sdrbot.db`` in the working directory.
            ``postgres://`` and ``postgresql://`` are rewritten to ``postgresql+psycopg://``.
        sqlite_busy_timeout_ms: how long a SQLite transaction waits for the write lock.
        **engine_options: passed to :func:`sqlalchemy.create_engine`, overriding the defaults.

    Returns:
        A configured engine.
    """
    sa_url = make_url(normalize_url(url))
    json_options = {"json_serializer": json_text, "json_deserializer": orjson.loads}
    if sa_url.get_backend_name() == "sqlite":
        options: dict[str, Any] = {
            "connect_args": {"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000},
            **json_options,
        }
        options.update(engine_options)
        engine = create_engine(sa_url, **options)
        _configure_sqlite(engine, sqlite_busy_timeout_ms)
        return engine
    options = {
        **json_options,
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 30,
        "pool_recycle": 1800,
    }
    options.update(engine_options)
    return create_engine(sa_url, **options)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so the "begin" hook decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_reachable(engine: Engine) -> bool:
    """Whether the database answers a trivial query now (a readiness probe; never raises)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure to answer means not ready
        return False
    return True


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session that commits when the block succeeds and rolls back when it raises.

    Objects stay usable after the commit (``expire_on_commit=False``) so callers can render
    them without another round trip.

    Args:
        engine: the engine to bind the session to.

    Yields:
        The session.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def prepare(engine: Engine) -> None:
    """Bring the schema of ``engine``'s database to the latest migration.

    On PostgreSQL the migration runs under a transaction-scoped advisory lock, so workers that
    start together apply it once and the others find it done. On SQLite the ``BEGIN IMMEDIATE``
    transaction serialises them in the same way.

    Args:
        engine: the engine whose database to migrate.
    """
    from storage.migrate import run_upgrade

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
        run_upgrade(connection)
