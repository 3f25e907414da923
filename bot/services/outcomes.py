"""Deal outcomes: a lead was won (customer) or lost, with the reason, time and who said so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.config import WebhookTarget
from bot.crm import outbox as crm_outbox
from bot.services import webhooks
from storage import events, leads
from storage.models import Lead, LeadStage, utcnow

OUTCOME_ACTION = "lead.outcome"


class Result(StrEnum):
    WON = "won"
    LOST = "lost"


STAGE_OF = {Result.WON: LeadStage.CUSTOMER, Result.LOST: LeadStage.LOST}
_WORDS = {"won": Result.WON, "gewonnen": Result.WON, "lost": Result.LOST, "verloren": Result.LOST}


def parse_result(word: str) -> Result | None:
    """``won``/``lost`` in English or German, any case; None for anything else."""
    return _WORDS.get(word.strip().casefold())


@dataclass(frozen=True, slots=True)
class RecordedOutcome:
    """What was recorded."""

    lead_id: int
    name: str
    result: Result
    reason: str | None
    at: datetime


def record_outcome(
    *,
    session: Session,
    team_id: str,
    lead: Lead,
    result: Result,
    reason: str | None,
    actor_id: str | None,
    at: datetime | None = None,
    webhook_targets: Sequence[WebhookTarget] = (),
    crm: Sequence[str] = (),
) -> RecordedOutcome:
    """Move the lead to ``customer`` or ``lost``, audit it, and announce it to webhooks.

    Args:
        session: the caller's transaction.
        team_id: Slack team id.
        lead: the lead.
        result: won or lost.
        reason: why (expected for a loss).
        actor_id: Slack user id (or ``cli``/``import``) of who recorded it.
        at: when the deal closed; now by default.
        webhook_targets: receivers of the ``outcome`` event.
        crm: the CRMs whose record of the lead moves too (``bot.crm.outbox.vendors``).

    Returns:
        The recorded outcome.
    """
    assert lead.id is not None
    when = at or utcnow()
    reason = " ".join(reason.split()) if reason else None
    leads.set_stage(session=session, lead=lead, stage=STAGE_OF[result])
    detail = {"outcome": result.value, "reason": reason, "at": when.isoformat()}
    events.record_audit(
        session=session,
        team_id=team_id,
        actor_id=actor_id,
        action=OUTCOME_ACTION,
        lead_id=lead.id,
        detail=detail,
    )
    webhooks.emit(
        session=session,
        team_id=team_id,
        targets=webhook_targets,
        event="outcome",
        data={"lead_id": lead.id, "lead": lead.name, "by": actor_id, **detail},
        key=f"lead:{lead.id}:{result.value}:{when.isoformat()}",
    )
    if crm:
        crm_outbox.stage_lead_stage(
            session=session,
            team_id=team_id,
            lead=lead,
            lead_stage=STAGE_OF[result].value,
            key=f"lead:{lead.id}:{result.value}:{when.isoformat()}",
            to=crm,
            outcome=result.value,
        )
    return RecordedOutcome(lead.id, lead.name, result, reason, when)
