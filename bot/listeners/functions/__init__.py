"""Workflow Builder steps: ``function_executed`` for the functions in ``bot/manifest.yml``.

Bolt acknowledges the event and runs the listener before answering Slack
(``process_before_response``): the step's transaction has committed by the time Slack gets
its 200. The step's end (``functions.completeSuccess`` / ``completeError``) is staged in the
outbox by that transaction, or by the later one that reaches the qualification's verdict;
Bolt's ``complete`` and ``fail`` helpers are not used, since they call Slack directly.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import workflow_steps
from bot.services.context import Services
from bot.services.replies import deliver


def register(app: AsyncApp, services: Services) -> None:
    """Register the function listeners."""

    @app.function(workflow_steps.QUALIFY_LEAD)
    async def on_qualify_lead(body: dict[str, Any], event: dict[str, Any]) -> None:
        run = workflow_steps.step_run(body, event)
        outcome = await workflow_steps.qualify_lead(services, run)
        services.background.spawn(deliver(services, outcome, team_id=run.team_id))

    @app.function(workflow_steps.RECORD_OUTCOME)
    async def on_record_outcome(body: dict[str, Any], event: dict[str, Any]) -> None:
        run = workflow_steps.step_run(body, event)
        outcome = await workflow_steps.record_outcome(services, run)
        services.background.spawn(deliver(services, outcome, team_id=run.team_id))
