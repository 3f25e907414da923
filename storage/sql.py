"""Small helpers shared by the repository modules: dialect INSERTs and rows as model objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import Session, SQLModel

M = TypeVar("M", bound=SQLModel)


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_nothing`` on the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"unsupported database dialect: {name}")


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
