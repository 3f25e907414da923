"""A whole workspace's data, removed when the app is uninstalled from it and the team config
says to erase (``privacy.on_uninstall: erase``)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, SQLModel

from storage.models import TABLE_NAMES


def erase_workspace(*, session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of ``team_id`` from every table of ours; other workspaces keep theirs.

    Children go before the rows they point at. Does not commit.

    Args:
        session: The caller's transaction.
        team_id: The workspace.

    Returns:
        Rows deleted per table (tables with none left out).
    """
    deleted: dict[str, int] = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name not in TABLE_NAMES:
            continue
        result = session.execute(delete(table).where(table.c.team_id == team_id))
        if result.rowcount:
            deleted[table.name] = int(result.rowcount)
    return deleted
