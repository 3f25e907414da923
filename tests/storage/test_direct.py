"""Statements run directly on the driver store and read values exactly as Core does, and fail
the way Core fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, bindparam, event, insert, select, update
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.models import AuditEvent, Lead, OutboxMessage, UtcDateTime
from storage.retry import is_retryable
from storage.sql import Direct, core_connection

AUDIT = AuditEvent.__table__
WHEN = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def _audit_values(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "team_id": "T1",
        "actor_id": "U1",
        "action": "test.direct",
        "lead_id": None,
        "qualification_id": None,
        "detail": {"nested": [1, "zwei", None], "ä": True},
        "created_at": WHEN,
    }
    values.update(changes)
    return values


def test_a_direct_insert_stores_what_a_core_insert_stores(engine: Engine) -> None:
    direct = Direct(insert(AUDIT).returning(AUDIT.c.id))
    with session_scope(engine) as session:
        connection = core_connection(session)
        direct_id = direct.scalar(connection, _audit_values(action="direct"))
        core_id = connection.execute(
            insert(AUDIT).returning(AUDIT.c.id), _audit_values(action="core")
        ).scalar_one()
    with session_scope(engine) as session:
        rows = {
            row.action: row
            for row in session.execute(select(AUDIT).where(AUDIT.c.id.in_([direct_id, core_id])))
        }
        # The raw stored text too, where the dialect stores text: the same bytes either way.
        raw = session.execute(
            select(AUDIT.c.action, AUDIT.c.created_at.cast(AUDIT.c.action.type))
        ).all()
    direct_row, core_row = rows["direct"], rows["core"]
    assert direct_row.created_at == core_row.created_at == WHEN
    assert direct_row.detail == core_row.detail == {"nested": [1, "zwei", None], "ä": True}
    assert len({text for _, text in raw}) == 1


def test_a_direct_select_converts_rows_as_core_does(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.execute(insert(AUDIT), [_audit_values(), _audit_values(actor_id=None, detail=None)])
    statement = select(*AUDIT.c).where(AUDIT.c.team_id == bindparam("team")).order_by(AUDIT.c.id)
    direct = Direct(statement)
    with session_scope(engine) as session:
        connection = core_connection(session)
        through_core = [
            dict(row) for row in connection.execute(statement, {"team": "T1"}).mappings()
        ]
        first = direct.first(connection, {"team": "T1"})
        rows = direct.rows(connection, {"team": "T1"})
        nothing = direct.first(connection, {"team": "T2"})
    assert first == through_core[0]
    assert first["created_at"].tzinfo is not None and first["detail"]["ä"] is True
    assert [dict(zip(through_core[0], row, strict=True)) for row in rows] == through_core
    assert nothing is None


def test_an_update_takes_its_literal_values_and_counts_rows(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.execute(
            insert(AUDIT), [_audit_values(), _audit_values(), _audit_values(team_id="T2")]
        )
    renamed = Direct(
        update(AUDIT).where(AUDIT.c.team_id == bindparam("team")).values(action="renamed")
    )
    with session_scope(engine) as session:
        connection = core_connection(session)
        assert renamed.execute(connection, {"team": "T1"}) == 2
        assert renamed.execute(connection, {"team": "T9"}) == 0
        assert renamed.execute_many(connection, [{"team": "T1"}, {"team": "T2"}]) == 3
    with session_scope(engine) as session:
        actions = set(session.scalars(select(AUDIT.c.action)))
    assert actions == {"renamed"}


def test_an_insert_that_leaves_out_a_defaulted_column_is_refused(engine: Engine) -> None:
    leads = Lead.__table__
    with session_scope(engine) as session:
        connection = core_connection(session)
        with pytest.raises(ValueError, match="created_at"):
            Direct(insert(leads)).execute(
                connection, {"team_id": "T1", "name": "Acme", "name_key": "acme"}
            )


def test_driver_errors_come_out_as_sqlalchemy_errors(engine: Engine) -> None:
    outbox = OutboxMessage.__table__
    row = {
        "team_id": "T1",
        "method": "chat.postMessage",
        "payload": {},
        "dedupe_key": "same",
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": WHEN,
        "claimed_by": None,
        "claimed_until": None,
        "created_at": WHEN,
    }
    direct = Direct(insert(outbox))
    with pytest.raises(IntegrityError) as raised, session_scope(engine) as session:
        connection = core_connection(session)
        direct.execute(connection, row)
        direct.execute(connection, row)
    assert not is_retryable(raised.value)
    assert (
        raised.value.statement is not None
        and "INSERT INTO outbox_message" in raised.value.statement
    )
    with session_scope(engine) as session:
        # The failed transaction was rolled back as a whole; the connection works on.
        assert session.scalars(select(outbox.c.id)).all() == []


def test_engine_listeners_hear_direct_statements(engine: Engine) -> None:
    heard: list[tuple[str, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        heard.append(("before", statement.split()[0]))

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        heard.append(("after", statement.split()[0]))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        with session_scope(engine) as session:
            Direct(insert(AUDIT)).execute(core_connection(session), _audit_values())
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    assert ("before", "INSERT") in heard and ("after", "INSERT") in heard
    assert heard.index(("before", "INSERT")) < heard.index(("after", "INSERT"))


def test_sqlite_timestamps_are_written_as_sqlalchemys_datetime_writes_them() -> None:
    dialect = sqlite_dialect.dialect()
    ours = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    theirs = sqlite_dialect.DATETIME().bind_processor(dialect)
    assert ours is not None and theirs is not None
    for value in (WHEN, WHEN.replace(microsecond=0), datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)):
        assert ours(value) == theirs(value.replace(tzinfo=None))
    berlin = WHEN.astimezone(timezone(timedelta(hours=1)))
    assert ours(berlin) == theirs(WHEN.replace(tzinfo=None)) and ours(None) is None
    with pytest.raises(ValueError, match="naive"):
        ours(WHEN.replace(tzinfo=None))
