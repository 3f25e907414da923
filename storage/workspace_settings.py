"""A workspace's settings set in Slack (one row per team; None keeps the file's value)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from storage.models import WorkspaceSetting, utcnow

FIELDS = (
    "alert_channel",
    "manager_channel",
    "account_executives",
    "managers",
    "default_framework",
    "language",
)
"""The settings a workspace may store."""


def get_settings(*, session: Session, team_id: str) -> WorkspaceSetting | None:
    """The stored settings of ``team_id`` (None when nobody saved any)."""
    return session.scalars(_SETTINGS, {"team_id": team_id}).first()


_SETTINGS = select(WorkspaceSetting).where(WorkspaceSetting.team_id == bindparam("team_id"))
"""Built once: every /qualify and hot verdict reads the workspace's settings."""


def save_settings(
    *,
    session: Session,
    team_id: str,
    values: dict[str, object],
    updated_by: str,
    now: datetime | None = None,
) -> WorkspaceSetting:
    """Store ``values`` (keys from :data:`FIELDS`; a missing or empty one clears it)."""
    row = get_settings(session=session, team_id=team_id)
    if row is None:
        row = WorkspaceSetting(team_id=team_id)
        session.add(row)
    for name in FIELDS:
        setattr(row, name, values.get(name) or None)
    row.updated_by = updated_by
    row.updated_at = now or utcnow()
    session.flush()
    return row
