"""The app's Workflow Builder steps: "Qualify a lead" and "Record an outcome".

Slack runs a step by sending ``function_executed``; the step ends when the app calls
``functions.completeSuccess`` (with the outputs the manifest declares) or
``functions.completeError`` (with a line that says why). Both calls are staged in the outbox
by the transaction that decided them, like every message, and sent after its commit with the
workspace's bot token (these methods need no scope; the execution's own ``bot_access_token``
is not kept, since a qualification may outlive it and no token belongs in the database).

"Record an outcome" finishes in the transaction of its event. "Qualify a lead" starts a
qualification the usual way (card, then questions in its thread) and keeps running: the
transaction that reaches the verdict completes it with verdict, score and stage; a
qualification cancelled, or whose card could not be posted, fails it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.crm import outbox as crm_outbox
from bot.permissions import Action, Actor, Subject, permits, record_refusal
from bot.rendering import Texts
from bot.services import outcomes, qualify, workspace_settings
from bot.services.context import Services
from bot.services.replies import Outcome, stage
from flows.model import VerdictResult
from flows.slacktext import unescape
from storage import events, leads, workflow_steps
from storage.models import Qualification, WorkflowStepStatus

QUALIFY_LEAD = "qualify_lead"
"""``callback_id`` of "Qualify a lead" in ``bot/manifest.yml``."""
RECORD_OUTCOME = "record_outcome"
"""``callback_id`` of "Record an outcome" in ``bot/manifest.yml``."""
COMPLETE_SUCCESS = "functions.completeSuccess"
COMPLETE_ERROR = "functions.completeError"
METHODS = frozenset({COMPLETE_SUCCESS, COMPLETE_ERROR})
"""The Web API calls that end a step; staged in the outbox like a post."""


@dataclass(frozen=True, slots=True)
class StepRun:
    """One ``function_executed`` event: which step, with which inputs."""

    team_id: str
    execution_id: str
    callback_id: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """An input as one line of text (Slack sends typed text escaped, as in messages)."""
        return " ".join(unescape(str(self.inputs.get(name) or "")).split())


def step_run(body: dict[str, Any], event: dict[str, Any]) -> StepRun:
    """The step run an ``event_callback`` of type ``function_executed`` asks for."""
    function = event.get("function") or {}
    inputs = event.get("inputs")
    return StepRun(
        team_id=str(body.get("team_id") or ""),
        execution_id=str(event.get("function_execution_id") or ""),
        callback_id=str(function.get("callback_id") or ""),
        inputs=dict(inputs) if isinstance(inputs, dict) else {},
    )


def _fail(outcome: Outcome, execution_id: str, t: Texts, name: str, **values: Any) -> None:
    # The error shows as plain text in the workflow's activity: no mrkdwn escapes.
    outcome.add(
        COMPLETE_ERROR, function_execution_id=execution_id, error=unescape(t(name, **values))
    )


def _finish_failed(
    services: Services, session: Session, run: StepRun, t: Texts, name: str, **values: Any
) -> Outcome:
    workflow_steps.start_step(
        session=session,
        team_id=run.team_id,
        function_execution_id=run.execution_id,
        callback_id=run.callback_id,
        status=WorkflowStepStatus.FAILED,
    )
    outcome = Outcome()
    _fail(outcome, run.execution_id, t, name, **values)
    return stage(services, session, outcome, team_id=run.team_id)


def _claim(session: Session, run: StepRun) -> bool:
    """Claim the run, so that a redelivered event starts nothing twice; an event without an
    execution id names no run that could be ended, and is claimed by nobody."""
    if not run.execution_id:
        return False
    return events.claim_event(
        session=session, team_id=run.team_id, event_id=f"function:{run.execution_id}"
    )


async def qualify_lead(services: Services, run: StepRun) -> Outcome:
    """Start the qualification a "Qualify a lead" step asks for, or fail the step.

    Inputs: ``lead`` (its name), ``rep`` (who answers), ``framework`` (a key; the workspace's
    default when empty), ``channel`` (where the card goes; a direct message with the rep when
    empty) and ``requested_by`` (who runs the workflow; the rep when empty). Starting is
    checked as "Qualify now" is (an owned lead is its owner's or a manager's), and a
    qualification that someone else answers needs the rep or a manager to start it.

    Returns:
        What was staged: the card, or the step's ``functions.completeError``.
    """
    rep = run.text("rep")
    requester = run.text("requested_by") or rep
    language = await services.language_of(run.team_id, rep or requester)
    t = services.texts(language)

    def body(session: Session, actor: Actor) -> Outcome:
        if not _claim(session, run):
            return Outcome()
        lead_name = run.text("lead")
        if not lead_name:
            return _finish_failed(services, session, run, t, "step_no_lead")
        if not rep:
            return _finish_failed(services, session, run, t, "step_no_rep")
        framework_key = _framework_key(services, session, run)
        if framework_key is None:
            keys = sorted(services.frameworks)
            word = run.text("framework")
            return _finish_failed(
                services, session, run, t, "step_unknown_framework", key=word, keys=keys
            )
        if requester != rep and not permits(Action.STEER, actor, Subject(rep_id=rep)):
            record_refusal(session, team_id=run.team_id, actor=actor, action=Action.STEER)
            return _finish_failed(services, session, run, t, "step_not_for_rep")
        lead, _ = leads.get_or_create_lead(
            session=session, team_id=run.team_id, name=lead_name, owner_id=rep
        )
        assert lead.id is not None
        owner = lead.owner_id
        if owner and owner != rep and not permits(Action.REQUALIFY, actor, Subject(owner_id=owner)):
            record_refusal(
                session, team_id=run.team_id, actor=actor, action=Action.REQUALIFY, lead_id=lead.id
            )
            return _finish_failed(services, session, run, t, "step_not_owner")
        framework = services.frameworks[framework_key]
        stored: list[Qualification] = []
        card = qualify.store_start(
            services,
            session,
            team_id=run.team_id,
            lead_id=lead.id,
            lead_name=lead.name,
            # Posting to a user id lands in the app's direct messages with them.
            channel_id=run.text("channel") or rep,
            rep_id=rep,
            framework=framework,
            language=language,
            prefill=qualify.earlier_answers(
                services, session, team_id=run.team_id, lead_id=lead.id, framework=framework
            ),
            stored=stored.append,
        )
        workflow_steps.start_step(
            session=session,
            team_id=run.team_id,
            function_execution_id=run.execution_id,
            callback_id=run.callback_id,
            lead_id=lead.id,
            qualification_id=stored[0].id,
        )
        return card

    return await services.transaction_as(run.team_id, requester, body)


def _framework_key(services: Services, session: Session, run: StepRun) -> str | None:
    """The framework named in the inputs (any case), the workspace's default when none is."""
    word = run.text("framework").casefold().replace("&", "_").replace("/", "_").replace("-", "_")
    if not word:
        return workspace_settings.effective(services, session, run.team_id).default_framework
    return {key.casefold(): key for key in services.frameworks}.get(word)


async def record_outcome(services: Services, run: StepRun) -> Outcome:
    """Record a deal's outcome as ``/lead won|lost`` does, and end the step.

    Inputs: ``lead`` (a name, email or domain), ``outcome`` (``won`` or ``lost``), ``reason``
    (needed for a loss) and ``requested_by`` (who runs the workflow: the owner, whoever
    accepted the handoff, or a manager). Outputs: ``lead_id`` and the lead's ``stage``.

    Returns:
        The staged ``functions.completeSuccess`` or ``functions.completeError``.
    """
    requester = run.text("requested_by")
    t = services.texts(await services.language_of(run.team_id, requester))

    def body(session: Session, actor: Actor) -> Outcome:
        from bot.services.leads import lead_subject

        if not _claim(session, run):
            return Outcome()
        if not requester:
            return _finish_failed(services, session, run, t, "step_no_requester")
        result = outcomes.parse_result(run.text("outcome"))
        if result is None:
            return _finish_failed(
                services, session, run, t, "step_bad_outcome", word=run.text("outcome")
            )
        query = run.text("lead")
        lookup = (
            leads.find_lead(session=session, team_id=run.team_id, query=query) if query else None
        )
        lead = lookup.lead if lookup is not None else None
        if lead is None:
            suggestions = lookup.suggestions if lookup is not None else []
            return _finish_failed(
                services, session, run, t, "step_unknown_lead", query=query, suggestions=suggestions
            )
        if not permits(Action.RECORD_OUTCOME, actor, lead_subject(session, run.team_id, lead)):
            record_refusal(
                session,
                team_id=run.team_id,
                actor=actor,
                action=Action.RECORD_OUTCOME,
                lead_id=lead.id,
            )
            return _finish_failed(services, session, run, t, "step_outcome_refused")
        reason = run.text("reason")
        if result is outcomes.Result.LOST and not reason:
            return _finish_failed(services, session, run, t, "step_reason_needed")
        recorded = outcomes.record_outcome(
            session=session,
            team_id=run.team_id,
            lead=lead,
            result=result,
            reason=reason or None,
            actor_id=requester,
            webhook_targets=services.config.webhooks,
            crm=crm_outbox.vendors(services),
        )
        workflow_steps.start_step(
            session=session,
            team_id=run.team_id,
            function_execution_id=run.execution_id,
            callback_id=run.callback_id,
            lead_id=recorded.lead_id,
            status=WorkflowStepStatus.COMPLETED,
        )
        outcome = Outcome()
        outcome.add(
            COMPLETE_SUCCESS,
            function_execution_id=run.execution_id,
            outputs={"lead_id": recorded.lead_id, "stage": outcomes.STAGE_OF[result].value},
        )
        return stage(services, session, outcome, team_id=run.team_id)

    return await services.transaction_as(run.team_id, requester, body)


def qualification_finished(
    services: Services,
    session: Session,
    outcome: Outcome,
    qualification: Qualification,
    *,
    lead_name: str,
    verdict: VerdictResult | None = None,
    failed: str | None = None,
) -> None:
    """End the "Qualify a lead" steps waiting for ``qualification``, in the step's transaction.

    A verdict completes them with ``lead_id``, ``verdict``, ``score`` and ``stage``; ``failed``
    (a template name) fails them with its line. A step ends once: a later verdict (an edit
    after the first) changes nothing here. Nothing happens without either.
    """
    if verdict is None and failed is None:
        return
    assert qualification.id is not None
    status = WorkflowStepStatus.COMPLETED if verdict is not None else WorkflowStepStatus.FAILED
    finished = workflow_steps.finish_for_qualification(
        session=session,
        team_id=qualification.team_id,
        qualification_id=qualification.id,
        status=status,
    )
    t = services.texts(qualification.language)
    for execution_id in finished:
        if verdict is not None:
            outputs = {
                "lead_id": qualification.lead_id,
                "verdict": verdict.verdict.value,
                "score": verdict.score,
                "stage": verdict.stage.value,
            }
            outcome.add(COMPLETE_SUCCESS, function_execution_id=execution_id, outputs=outputs)
        else:
            assert failed is not None
            _fail(outcome, execution_id, t, failed, lead=lead_name)
