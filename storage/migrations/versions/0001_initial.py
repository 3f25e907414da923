"""Initial schema: leads, qualifications, answers, verdicts, handoffs, outbox, events, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("qualification_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_team_id", "audit_event", ["team_id"])
    op.create_index("ix_audit_event_team_lead", "audit_event", ["team_id", "lead_id"])

    op.create_table(
        "lead",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("domain", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("owner_id", sa.String(), nullable=True),
        sa.Column("industry", sa.String(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(), nullable=True),
        sa.Column("revenue", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("fit_score", sa.Integer(), nullable=True),
        sa.Column("engagement_points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "name_key", name="uq_lead_team_name_key"),
    )
    op.create_index("ix_lead_team_domain", "lead", ["team_id", "domain"])
    op.create_index("ix_lead_team_email", "lead", ["team_id", "email"])
    op.create_index("ix_lead_team_id", "lead", ["team_id"])
    op.create_index("ix_lead_team_owner", "lead", ["team_id", "owner_id"])
    op.create_index("ix_lead_team_updated", "lead", ["team_id", "updated_at"])
    op.create_index("ix_lead_team_verdict", "lead", ["team_id", "verdict"])

    op.create_table(
        "outbox_message",
        sa.Column("dedupe_key", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "dedupe_key", name="uq_outbox_team_dedupe"),
    )
    op.create_index("ix_outbox_message_team_id", "outbox_message", ["team_id"])
    op.create_index("ix_outbox_status_due", "outbox_message", ["status", "next_attempt_at"])

    op.create_table(
        "processed_event",
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "event_id"),
    )
    op.create_table(
        "qualification",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(), nullable=False),
        sa.Column("thread_ts", sa.String(), nullable=False),
        sa.Column("card_ts", sa.String(), nullable=True),
        sa.Column("rep_id", sa.String(), nullable=False),
        sa.Column("framework", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("machine_state", sa.String(), nullable=False),
        sa.Column("conversation", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", "thread_ts", name="uq_qualification_thread"),
    )
    op.create_index("ix_qualification_lead_id", "qualification", ["lead_id"])
    op.create_index("ix_qualification_team_id", "qualification", ["team_id"])
    op.create_index(
        "ix_qualification_team_rep_status", "qualification", ["team_id", "rep_id", "status"]
    )

    op.create_table(
        "answer",
        sa.Column("criterion", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("knockout", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.String(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualification.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_answer_qualification_criterion", "answer", ["qualification_id", "criterion"]
    )
    op.create_index("ix_answer_team_id", "answer", ["team_id"])

    op.create_table(
        "handoff",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=True),
        sa.Column("alert_channel", sa.String(), nullable=True),
        sa.Column("assignee_id", sa.String(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("alert_ts", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
        ),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualification.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handoff_team_id", "handoff", ["team_id"])
    op.create_index("ix_handoff_team_status", "handoff", ["team_id", "status"])

    op.create_table(
        "verdict_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("fit_score", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("gaps", sa.JSON(), nullable=False),
        sa.Column("flip", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
        ),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualification.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_verdict_record_qualification_id", "verdict_record", ["qualification_id"])
    op.create_index("ix_verdict_record_team_id", "verdict_record", ["team_id"])
    op.create_index("ix_verdict_record_team_lead", "verdict_record", ["team_id", "lead_id"])


def downgrade() -> None:
    op.drop_index("ix_verdict_record_team_lead", table_name="verdict_record")
    op.drop_index("ix_verdict_record_team_id", table_name="verdict_record")
    op.drop_index("ix_verdict_record_qualification_id", table_name="verdict_record")

    op.drop_table("verdict_record")
    op.drop_index("ix_handoff_team_status", table_name="handoff")
    op.drop_index("ix_handoff_team_id", table_name="handoff")

    op.drop_table("handoff")
    op.drop_index("ix_answer_team_id", table_name="answer")
    op.drop_index("ix_answer_qualification_criterion", table_name="answer")

    op.drop_table("answer")
    op.drop_index("ix_qualification_team_rep_status", table_name="qualification")
    op.drop_index("ix_qualification_team_id", table_name="qualification")
    op.drop_index("ix_qualification_lead_id", table_name="qualification")

    op.drop_table("qualification")
    op.drop_table("processed_event")
    op.drop_index("ix_outbox_status_due", table_name="outbox_message")
    op.drop_index("ix_outbox_message_team_id", table_name="outbox_message")

    op.drop_table("outbox_message")
    op.drop_index("ix_lead_team_verdict", table_name="lead")
    op.drop_index("ix_lead_team_updated", table_name="lead")
    op.drop_index("ix_lead_team_owner", table_name="lead")
    op.drop_index("ix_lead_team_id", table_name="lead")
    op.drop_index("ix_lead_team_email", table_name="lead")
    op.drop_index("ix_lead_team_domain", table_name="lead")

    op.drop_table("lead")
    op.drop_index("ix_audit_event_team_lead", table_name="audit_event")
    op.drop_index("ix_audit_event_team_id", table_name="audit_event")

    op.drop_table("audit_event")
