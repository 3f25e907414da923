"""Payloads of the ``verdict`` and ``handoff.*`` webhooks, queued in the caller's transaction.

The wire format is documented in ``docs/WEBHOOKS.md``; keep the two in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.services import webhooks
from flows.model import VerdictResult
from storage.models import Handoff, LeadStage, Qualification, utcnow

if TYPE_CHECKING:
    from bot.services.context import Services


def emit_verdict(
    services: Services,
    session: Session,
    qualification: Qualification,
    lead_name: str,
    verdict: VerdictResult | None,
) -> int:
    """Queue the ``verdict`` webhook of a finished qualification (nothing without a verdict).

    Args:
        services: Shared collaborators (for the team config's receivers).
        session: The step's transaction, which also stores the verdict.
        qualification: The qualification that produced the verdict.
        lead_name: Its lead's name.
        verdict: The verdict, or None when the step produced none.

    Returns:
        How many deliveries were queued.
    """
    if verdict is None:
        return 0
    data = {
        "lead_id": qualification.lead_id,
        "lead": lead_name,
        "qualification_id": qualification.id,
        "rep_id": qualification.rep_id,
        "framework": verdict.framework,
        "verdict": verdict.verdict.value,
        "score": verdict.score,
        "stage": verdict.stage.value,
        "fit_score": verdict.fit_score,
        "criteria": {key: a.status.value for key, a in verdict.criteria.items()},
        "gaps": list(verdict.gaps),
        "at": utcnow().isoformat(),
    }
    return webhooks.emit(
        session=session,
        team_id=qualification.team_id,
        targets=services.config.webhooks,
        event="verdict",
        data=data,
        key=f"qualification:{qualification.id}",
    )


def emit_handoff_decision(
    services: Services, session: Session, handoff: Handoff, lead_name: str, stage: LeadStage
) -> int:
    """Queue ``handoff.accepted`` or ``handoff.rejected`` for a handoff just decided.

    Args:
        services: Shared collaborators (for the team config's receivers).
        session: The transaction that records the decision.
        handoff: The decided handoff (status, decider and reason already set).
        lead_name: The lead's name.
        stage: Where the decision moved the lead (SAL, nurture or disqualified).

    Returns:
        How many deliveries were queued.
    """
    event = f"handoff.{handoff.status}"
    data = {
        "handoff_id": handoff.id,
        "lead_id": handoff.lead_id,
        "lead": lead_name,
        "qualification_id": handoff.qualification_id,
        "decided_by": handoff.decided_by,
        "reason_code": handoff.reason_code,
        "reason": handoff.reason,
        "stage": stage.value,
        "at": (handoff.decided_at or utcnow()).isoformat(),
    }
    return webhooks.emit(
        session=session,
        team_id=handoff.team_id,
        targets=services.config.webhooks,
        event=event,
        data=data,
        key=f"handoff:{handoff.id}",
    )
