"""Small helpers shared by the repository modules: dialect INSERTs, prepared statements run
directly on the driver, the connection they run on, and rows as model objects."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.sql.base import Executable
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

    The builders hold :class:`Direct` statements, each compiled on its first use; the
    statements may differ by dialect (``ON CONFLICT`` forms, row locks), hence one builder
    per dialect. Parameters are bound by name at execution.

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
    """The session's connection, for Core and direct statements, once the rows the caller
    added, changed or deleted through the session have reached it (such statements skip the
    ORM's autoflush, so what they read and write would otherwise miss those)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


@cache
def column_defaults(model: type[SQLModel]) -> Mapping[str, Any]:
    """The values a new row of ``model`` takes in the columns nobody gives: the model's plain
    defaults (``status`` pending, ``attempts`` 0, ``None``...). The primary key and defaults
    made by a factory (timestamps, fresh dicts) are left out: the caller gives those.

    Direct ``INSERT`` statements and :func:`detached` objects need whole rows; spreading these
    first keeps the model the one place that says what a new row holds.
    """
    primary_key = {column.name for column in model.__table__.primary_key}  # type: ignore[attr-defined]
    return MappingProxyType(
        {
            name: info.default
            for name, info in model.model_fields.items()
            if not info.is_required() and info.default_factory is None and name not in primary_key
        }
    )


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


class Direct:
    """A Core statement compiled once per dialect and run on the driver's cursor itself.

    SQLAlchemy's execution layer costs about 100 us of Python per statement (an execution
    context, parameters bound one by one through their types, a result object), and a
    conversation step runs about eight statements. A ``Direct`` statement keeps what that
    layer would work out on every call, once: the SQL text, the order of its parameters and
    each parameter's bind processor (the ones SQLAlchemy would apply, so values are stored
    exactly as through Core), and converts rows with the columns' result processors. Driver
    errors come out as SQLAlchemy's exceptions and a lost connection is invalidated, as
    SQLAlchemy does, so :mod:`storage.retry` sees the same errors either way.

    An ``INSERT`` is compiled for the columns its parameters name (once per set of names);
    leaving out a column that has a Python-side default is refused, as nothing would fill it
    in. The engine's ``before_cursor_execute`` and ``after_cursor_execute`` listeners hear
    these statements too (with no execution context); they cannot rewrite them.

    Args:
        statement: a Core statement whose parameters are named ``bindparam``s.
    """

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._inserts = bool(getattr(statement, "is_insert", False))
        self._compiled: dict[tuple[str, tuple[str, ...] | None], _Compiled] = {}

    def _for(self, dialect: Dialect, params: Mapping[str, Any]) -> _Compiled:
        key = (dialect.name, tuple(params) if self._inserts else None)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.statement, key[1], dialect)
        return compiled

    def execute(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """Run with one set of parameters; returns the driver's row count."""
        cursor, _ = self._run(connection, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def execute_many(self, connection: Connection, params: Sequence[Mapping[str, Any]]) -> int:
        """Run once per parameter set (the driver's ``executemany``); returns the row count."""
        if not params:
            return 0
        cursor, _ = self._run(connection, params[0], many=params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run and return every row, each value converted as SQLAlchemy would convert it."""
        cursor, compiled = self._run(connection, params)
        try:
            fetched = cursor.fetchall()
            convert = compiled.row_converter(cursor.description)
            return [convert(row) for row in fetched] if convert else fetched
        finally:
            cursor.close()

    def first(self, connection: Connection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """Run and return the first row by column name, or None."""
        cursor, compiled = self._run(connection, params)
        try:
            row = cursor.fetchone()
            if row is None:
                return None
            convert = compiled.row_converter(cursor.description)
            values = convert(row) if convert else row
            return dict(zip(compiled.names(cursor.description), values, strict=True))
        finally:
            cursor.close()

    def scalar(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Run and return the first column of the first row, or None."""
        found = self.rows(connection, params)
        return found[0][0] if found else None

    def _run(
        self,
        connection: Connection,
        params: Mapping[str, Any],
        *,
        many: Sequence[Mapping[str, Any]] | None = None,
    ) -> tuple[Any, _Compiled]:
        """Execute on a new cursor of the driver's connection, which the caller closes.

        ``params`` picks the compiled form; ``many``, when given, are all the parameter sets.
        """
        compiled = self._for(connection.dialect, params)
        raw = connection.connection.driver_connection
        assert raw is not None
        cursor = raw.cursor()
        sql, dispatch = compiled.sql, connection.dispatch
        try:
            if many is None:
                parameters: Any = compiled.bind(params)
                _announce(
                    dispatch.before_cursor_execute, connection, cursor, sql, parameters, False
                )
                cursor.execute(sql, parameters)
            else:
                parameters = [compiled.bind(p) for p in many]
                _announce(dispatch.before_cursor_execute, connection, cursor, sql, parameters, True)
                cursor.executemany(sql, parameters)
            _announce(
                dispatch.after_cursor_execute, connection, cursor, sql, parameters, many is not None
            )
        except connection.dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise _translated(connection, raw, cursor, sql, error) from error
        except BaseException:
            cursor.close()
            raise
        return cursor, compiled


def _announce(
    listeners: Any, connection: Connection, cursor: Any, sql: str, parameters: Any, many: bool
) -> None:
    if listeners:  # an empty listener collection is false; most of the time there are none
        listeners(connection, cursor, sql, parameters, None, many)


def _translated(
    connection: Connection, raw: Any, cursor: Any, sql: str, error: Exception
) -> DBAPIError:
    dialect = connection.dialect
    invalidated = dialect.is_disconnect(error, raw, cursor)
    if invalidated:
        connection.invalidate(error)
    translated: DBAPIError = DBAPIError.instance(
        sql,
        None,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=invalidated,
        dialect=dialect,
    )
    return translated


_PYFORMAT_NAME = re.compile(r"%\((\w+)\)s")


class _Compiled:
    """One statement compiled for one dialect: SQL text, parameter binding, row conversion."""

    def __init__(
        self, statement: Executable, keys: tuple[str, ...] | None, dialect: Dialect
    ) -> None:
        compiled: Any = statement.compile(  # type: ignore[attr-defined]
            dialect=dialect, column_keys=list(keys) if keys is not None else None
        )
        prefetched = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
        missing = [name for name in prefetched if keys is None or name not in keys]
        if missing:
            raise ValueError(f"columns with defaults must be given: {missing}")
        self.sql: str = compiled.string
        self.positional = compiled.positiontup is not None
        names = compiled.positiontup if self.positional else _PYFORMAT_NAME.findall(self.sql)
        # Per parameter: its name, whether the caller gives it, its value otherwise (a literal
        # in the statement), and its bind processor.
        self._binds: list[tuple[str, bool, Any, Callable[[Any], Any] | None]] = []
        for name in dict.fromkeys(names) if not self.positional else names:
            bind = compiled.binds[name]
            given = bind.required or (keys is not None and name in keys)
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self._binds.append((name, given, None if given else bind.effective_value, processor))
        self._columns = list(getattr(statement, "exported_columns", ()))
        self._dialect = dialect
        self._converter: Callable[[Sequence[Any]], tuple[Any, ...]] | bool | None = False

    def bind(self, params: Mapping[str, Any]) -> Any:
        """The driver's parameters: a tuple for positional styles, else a dict."""
        values = []
        for name, given, literal, processor in self._binds:
            value = params[name] if given else literal
            values.append(processor(value) if processor else value)
        if self.positional:
            return values
        return {name: value for (name, *_), value in zip(self._binds, values, strict=True)}

    def names(self, description: Sequence[Any]) -> list[str]:
        """Column names of a result, as the statement labels them."""
        return [column[0] for column in description]

    def row_converter(
        self, description: Sequence[Any]
    ) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
        """A function converting one raw row, or None when no column needs converting."""
        if self._converter is False:
            self._converter = self._make_converter(description)
        return self._converter  # type: ignore[return-value]

    def _make_converter(
        self, description: Sequence[Any]
    ) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
        if len(self._columns) != len(description):
            return None  # a text() statement: its columns have no types to convert by
        dialect = self._dialect
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            for column, described in zip(self._columns, description, strict=True)
        ]
        if not any(processors):
            return None
        pairs = list(enumerate(processors))

        def convert(row: Sequence[Any]) -> tuple[Any, ...]:
            return tuple(
                processor(row[index]) if processor else row[index] for index, processor in pairs
            )

        return convert
