"""``INSERT ... ON CONFLICT DO NOTHING`` on the dialects we run on (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_or_ignore(session: Session, model: type[SQLModel], *, unique: Sequence[str]) -> Any:
    """An INSERT into ``model`` that skips, without an error, a row whose ``unique`` columns
    match a stored row; it never aborts the caller's transaction, so two workers may race.

    Args:
        session: the session it will run on (for its dialect).
        model: the table model.
        unique: the columns of the unique constraint or key to skip on.

    Returns:
        The statement; give it ``values`` (and ``returning``) before running it.
    """
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        raise NotImplementedError(f"unsupported database dialect: {dialect}")
    return _INSERTS[dialect](model).on_conflict_do_nothing(index_elements=list(unique))
