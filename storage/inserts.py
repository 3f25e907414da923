"""``INSERT ... ON CONFLICT DO NOTHING`` on the dialects we run on (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_BUILT: dict[tuple[str, Any, tuple[str, ...]], Any] = {}
"""Statements built so far, by dialect, target and key: each is built (and gets its cache
key) once, then every call starts from it."""


def insert_or_ignore(
    session: Session, model: type[SQLModel] | Table, *, unique: Sequence[str]
) -> Any:
    """An INSERT into ``model`` that skips, without an error, a row whose ``unique`` columns
    match a stored row; it never aborts the caller's transaction, so two workers may race.

    Args:
        session: the session it will run on (for its dialect).
        model: the table model, or its table (a statement that needs no ORM bookkeeping:
            parameters by column name, rows back as tuples).
        unique: the columns of the unique constraint or key to skip on.

    Returns:
        The statement; give it ``values`` (and ``returning``) before running it, or run it
        with parameters.
    """
    dialect = session.get_bind().dialect.name
    key = (dialect, model, tuple(unique))
    statement = _BUILT.get(key)
    if statement is None:
        if dialect not in _INSERTS:
            raise NotImplementedError(f"unsupported database dialect: {dialect}")
        statement = _INSERTS[dialect](model).on_conflict_do_nothing(index_elements=list(unique))
        _BUILT[key] = statement
    return statement
