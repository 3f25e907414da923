"""Workspace settings set in Slack, overriding the team config file per workspace.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_setting",
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("alert_channel", sa.String(), nullable=True),
        sa.Column("manager_channel", sa.String(), nullable=True),
        sa.Column("account_executives", sa.JSON(), nullable=True),
        sa.Column("managers", sa.JSON(), nullable=True),
        sa.Column("default_framework", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("updated_by", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )


def downgrade() -> None:
    op.drop_table("workspace_setting")
