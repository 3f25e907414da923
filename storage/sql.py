"""Small dialect helpers shared by the repository modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_nothing`` on the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"unsupported database dialect: {name}")


def row_values(row: SQLModel) -> dict[str, Any]:
    """Column values of an unsaved row, defaults applied, without the generated ``id``."""
    table = row.__table__  # type: ignore[attr-defined]
    return {c.name: getattr(row, c.name) for c in table.columns if c.name != "id"}
