"""Schema migrations, run with Alembic configured from code (no ``alembic.ini`` needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Build the Alembic configuration of the shipped migrations.

    Args:
        url: database URL for Alembic's own command line use; None when a connection is handed
            over through ``config.attributes["connection"]``.

    Returns:
        The configuration.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        from storage.db import normalize_url

        config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration revision shipped with the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at, or None if never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def run_upgrade(connection: Connection, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on an open connection, inside its transaction.

    Args:
        connection: the connection to migrate through; the caller commits.
        revision: target revision.
    """
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade(database_url: str | None) -> None:
    """Apply all migrations to the database at ``database_url`` (``sdrbot db upgrade``).

    Args:
        database_url: the database URL; None means the default SQLite file.
    """
    from storage.db import make_engine, prepare

    engine: Engine = make_engine(database_url)
    try:
        prepare(engine)
    finally:
        engine.dispose()
