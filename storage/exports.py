"""Bulk reads of a team's data: the export's rows and the answers that back-testing uses.

Both stream their rows from the database in batches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from storage.models import Answer, Lead, LeadStage, Qualification, QualificationStatus

_BATCH = 1000


def table_rows(
    *, session: Session, team_id: str, model: type[SQLModel], columns: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """The team's rows of ``model`` (``columns`` only), oldest first.

    Answers superseded by a later edit are left out.
    """
    table: Any = model
    statement = select(*(getattr(table, c) for c in columns)).where(table.team_id == team_id)
    if model is Answer:
        statement = statement.where(Answer.superseded == False)  # noqa: E712 - SQL comparison
    statement = statement.order_by(table.id).execution_options(yield_per=_BATCH)
    for row in session.execute(statement):
        yield tuple(row)  # a plain tuple, not the Row


def outcome_answers(
    *, session: Session, team_id: str, framework: str
) -> Iterator[tuple[int, str, str, str, Any]]:
    """The answers in force of each won or lost lead's latest finished ``framework``
    qualification.

    Yields:
        ``(qualification id, lead stage (customer or lost), criterion, status, value)``.
    """
    latest = (
        select(func.max(Qualification.id).label("id"), Lead.stage.label("stage"))
        .join(Lead, Lead.id == Qualification.lead_id)  # type: ignore[arg-type]
        .where(
            Qualification.team_id == team_id,
            Qualification.framework == framework,
            Qualification.status == QualificationStatus.DONE.value,
            Lead.stage.in_([LeadStage.CUSTOMER.value, LeadStage.LOST.value]),  # type: ignore[attr-defined]
        )
        .group_by(Qualification.lead_id, Lead.stage)
        .subquery()
    )
    statement = (
        select(latest.c.id, latest.c.stage, Answer.criterion, Answer.status, Answer.value)
        .join(Answer, Answer.qualification_id == latest.c.id)
        .where(Answer.team_id == team_id, Answer.superseded == False)  # noqa: E712
        .execution_options(yield_per=_BATCH)
    )
    for row in session.execute(statement):
        yield row.id, row.stage, row.criterion, row.status, row.value
