"""The open question's message (its ts and criterion, so an answer can close it in place) and
an answer typed while paused, kept for the resume.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("qualification") as batch:
        batch.add_column(sa.Column("question_ts", sa.String(), nullable=True))
        batch.add_column(sa.Column("question_key", sa.String(), nullable=True))
        batch.add_column(sa.Column("held_answer", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("qualification") as batch:
        batch.drop_column("held_answer")
        batch.drop_column("question_key")
        batch.drop_column("question_ts")
