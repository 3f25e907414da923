"""Small helpers shared by the repository modules: dialect INSERTs, prepared statements, the
connection Core statements run on, and rows as model objects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import Session, SQLModel

M = TypeVar("M", bound=SQLModel)
S = TypeVar("S")


def insert_for(dialect: str, model: type[SQLModel]) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_nothing`` on ``dialect``."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"unsupported database dialect: {dialect}")


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_nothing`` on the session's dialect."""
    return insert_for(session.get_bind().dialect.name, model)


def prepared(source: Session | Connection, build: Callable[[str], S]) -> S:
    """The statements ``build`` makes for the dialect of ``source``, made once and reused.

    Reusing the same statement objects spares SQLAlchemy building their cache keys (an
    ``INSERT`` with inlined values would need a new one on every call) and compiling them;
    parameters are bound by name at execution.

    Args:
        source: a session or connection, for its dialect.
        build: takes the dialect name and returns an object holding the statements.

    Returns:
        What ``build`` returned for that dialect the first time.
    """
    if isinstance(source, Connection):
        return _prepared(build, source.dialect.name)
    return _prepared(build, source.get_bind().dialect.name)


@cache
def _prepared(build: Callable[[str], Any], dialect: str) -> Any:
    return build(dialect)


def core_connection(session: Session) -> Connection:
    """The session's connection, for Core statements, once the rows the caller added, changed
    or deleted through the session have reached it (Core statements skip the ORM's autoflush,
    so what they read and write would otherwise miss those)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


def detached(model: type[M], values: Mapping[str, Any]) -> M:
    """A model object for a stored row, outside any session, as if loaded and then let go.

    Nothing is pending on it: changing it writes nothing, ``set_committed_value`` works on it,
    and ``session.add`` attaches it as the stored row. Calling the model's constructor would
    cost about ten times as much: every field would pass through SQLModel's and SQLAlchemy's
    attribute events, as for a new row.

    Args:
        model: a table model.
        values: every column of the row, by name (the primary key included).

    Returns:
        The object.
    """
    mapper = model.__mapper__  # type: ignore[attr-defined]
    if not mapper.configured:
        configure_mappers()  # the identity key below needs the attributes set up
    instance: M = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance
