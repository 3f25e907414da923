"""Thumbs up or down on a verdict, one vote per person; the card's permalink on its thread.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verdict_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("right", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["verdict_id"], ["verdict_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "verdict_id", "user_id", name="uq_verdict_feedback_vote"),
    )
    op.create_index("ix_verdict_feedback_team_lead", "verdict_feedback", ["team_id", "lead_id"])
    with op.batch_alter_table("qualification") as batch:
        batch.add_column(sa.Column("thread_link", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("qualification") as batch:
        batch.drop_column("thread_link")
    op.drop_index("ix_verdict_feedback_team_lead", table_name="verdict_feedback")
    op.drop_table("verdict_feedback")
