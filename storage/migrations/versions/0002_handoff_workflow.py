"""Handoff workflow: routing pointer and decisions, SLA clock and reject codes, nurture reminders.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoff") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(), nullable=True))
        batch.add_column(sa.Column("routing_pool", sa.String(), nullable=True))
        batch.add_column(sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=True))
        # Existing rows get 0 escalations; the server default only serves that backfill.
        batch.add_column(sa.Column("escalations", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_handoff_status_sla", "handoff", ["status", "sla_due_at"])

    op.create_table(
        "routing_pointer",
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("pool", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "pool"),
    )
    op.create_table(
        "routing_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=True),
        sa.Column("assignee_id", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_routing_decision_team_handoff", "routing_decision", ["team_id", "handoff_id"]
    )
    op.create_table(
        "nurture_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"]),
        sa.ForeignKeyConstraint(["qualification_id"], ["qualification.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "team_id", "qualification_id", name="uq_nurture_reminder_qualification"
        ),
    )
    op.create_index("ix_nurture_reminder_status_due", "nurture_reminder", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_nurture_reminder_status_due", table_name="nurture_reminder")
    op.drop_table("nurture_reminder")
    op.drop_index("ix_routing_decision_team_handoff", table_name="routing_decision")
    op.drop_table("routing_decision")
    op.drop_table("routing_pointer")
    op.drop_index("ix_handoff_status_sla", table_name="handoff")
    with op.batch_alter_table("handoff") as batch:
        batch.drop_column("escalations")
        batch.drop_column("sla_due_at")
        batch.drop_column("routing_pool")
        batch.drop_column("reason_code")
