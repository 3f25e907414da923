"""Runs of the app's Workflow Builder steps: recorded once, finished once."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import WorkflowStep, WorkflowStepStatus, utcnow


def start_step(
    *,
    session: Session,
    team_id: str,
    function_execution_id: str,
    callback_id: str,
    lead_id: int | None = None,
    qualification_id: int | None = None,
    status: WorkflowStepStatus = WorkflowStepStatus.RUNNING,
) -> bool:
    """Record a run of a step; False when this execution was recorded before (a redelivery).

    Args:
        session: The caller's transaction.
        team_id: Slack team id.
        function_execution_id: Slack's id of the run.
        callback_id: Which step (``qualify_lead``, ``record_outcome``).
        lead_id: The lead it concerns, once known.
        qualification_id: The qualification it waits for (``qualify_lead``).
        status: ``running`` while it waits; a step that finishes at once is recorded finished.
    """
    finished = status is not WorkflowStepStatus.RUNNING
    statement = (
        insert_or_ignore(session, WorkflowStep, unique=("team_id", "function_execution_id"))
        .values(
            team_id=team_id,
            function_execution_id=function_execution_id,
            callback_id=callback_id,
            lead_id=lead_id,
            qualification_id=qualification_id,
            status=status.value,
            created_at=utcnow(),
            completed_at=utcnow() if finished else None,
        )
        .returning(WorkflowStep.id)  # type: ignore[arg-type]
    )
    return session.execute(statement).first() is not None


def finish_for_qualification(
    *, session: Session, team_id: str, qualification_id: int, status: WorkflowStepStatus
) -> list[str]:
    """Finish the running steps that wait for a qualification, in the caller's transaction.

    Only a running step is finished, so a step completes once even when the qualification's
    verdict changes later.

    Returns:
        The ``function_execution_id`` of each step finished now.
    """
    concerned = WorkflowStep.qualification_id == qualification_id  # type: ignore[arg-type]
    return _finish_running(session, team_id, concerned, status)


def finish_for_lead(
    *, session: Session, team_id: str, lead_id: int, status: WorkflowStepStatus
) -> list[str]:
    """Finish the running steps that concern a lead (it is being erased).

    Returns:
        The ``function_execution_id`` of each step finished now.
    """
    concerned = WorkflowStep.lead_id == lead_id  # type: ignore[arg-type]
    return _finish_running(session, team_id, concerned, status)


def _finish_running(
    session: Session, team_id: str, concerned: ColumnElement[bool], status: WorkflowStepStatus
) -> list[str]:
    """Finish the team's running steps that match ``concerned``; their execution ids."""
    statement = (
        update(WorkflowStep)
        .where(
            WorkflowStep.team_id == team_id,  # type: ignore[arg-type]
            concerned,
            WorkflowStep.status == WorkflowStepStatus.RUNNING.value,  # type: ignore[arg-type]
        )
        .values(status=status.value, completed_at=utcnow())
        .returning(WorkflowStep.function_execution_id)
    )
    return sorted(str(row[0]) for row in session.execute(statement).all())


def steps_of(*, session: Session, team_id: str) -> list[WorkflowStep]:
    """Every recorded run of the team's steps, oldest first."""
    statement = (
        select(WorkflowStep)
        .where(WorkflowStep.team_id == team_id)  # type: ignore[arg-type]
        .order_by(WorkflowStep.id)  # type: ignore[arg-type]
    )
    return list(session.execute(statement).scalars().all())
