"""Runs of Workflow Builder steps: recorded once per execution, finished once per qualification."""

from __future__ import annotations

from sqlalchemy import Engine

from storage import workflow_steps
from storage.db import session_scope
from storage.models import WorkflowStepStatus


def test_a_run_is_recorded_once_per_execution_and_team(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = workflow_steps.start_step(
            session=session, team_id="T1", function_execution_id="Fx1", callback_id="qualify_lead"
        )
        again = workflow_steps.start_step(
            session=session, team_id="T1", function_execution_id="Fx1", callback_id="qualify_lead"
        )
        elsewhere = workflow_steps.start_step(
            session=session, team_id="T2", function_execution_id="Fx1", callback_id="qualify_lead"
        )
    assert (first, again, elsewhere) == (True, False, True)
    with session_scope(engine) as session:
        [run] = workflow_steps.steps_of(session=session, team_id="T1")
        assert run.status == "running" and run.completed_at is None


def test_finishing_a_qualification_ends_only_its_running_steps_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        for execution_id, qualification_id in (("FxA", 7), ("FxB", 7), ("FxC", 8)):
            workflow_steps.start_step(
                session=session,
                team_id="T1",
                function_execution_id=execution_id,
                callback_id="qualify_lead",
                qualification_id=qualification_id,
                lead_id=1,
            )
        workflow_steps.start_step(
            session=session,
            team_id="T2",
            function_execution_id="FxD",
            callback_id="qualify_lead",
            qualification_id=7,
        )
    with session_scope(engine) as session:
        finished = workflow_steps.finish_for_qualification(
            session=session, team_id="T1", qualification_id=7, status=WorkflowStepStatus.COMPLETED
        )
    assert finished == ["FxA", "FxB"]
    with session_scope(engine) as session:
        again = workflow_steps.finish_for_qualification(
            session=session, team_id="T1", qualification_id=7, status=WorkflowStepStatus.FAILED
        )
        states = {
            r.function_execution_id: r.status
            for r in workflow_steps.steps_of(session=session, team_id="T1")
        }
        [other_team] = workflow_steps.steps_of(session=session, team_id="T2")
    assert again == []
    assert states == {"FxA": "completed", "FxB": "completed", "FxC": "running"}
    assert other_team.status == "running"
