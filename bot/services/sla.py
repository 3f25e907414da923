"""SLA clocks of pending handoffs: business-hours deadlines and escalation to managers."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from bot import blocks
from bot.config import TeamConfig
from bot.rendering import role_mentions
from bot.services import workspace_settings
from bot.services.business_time import add_business_minutes
from bot.services.context import Services
from bot.services.handoffs import ALERT_KIND, rebuild_verdict, who_may_act
from bot.services.outbox_sender import META_KEY
from storage import events, handoffs, leads, outbox, qualifications
from storage.models import Handoff

log = logging.getLogger(__name__)


def escalate_due(services: Services, session: Session, config: TeamConfig, now: datetime) -> int:
    """Escalate pending handoffs whose deadline passed; each level fires once.

    Candidates are row-locked with ``SKIP LOCKED`` until the transaction ends, and the
    message's dedupe key names the level: two workers ticking together escalate a handoff once.

    Args:
        services: Shared collaborators.
        session: The transaction.
        config: The team config.
        now: The current time.

    Returns:
        How many escalations were queued.
    """
    queued = 0
    for handoff in handoffs.due_for_escalation(session=session, now=now):
        channel = workspace_settings.effective(services, session, handoff.team_id).manager_channel
        level = handoff.escalations + 1
        again = config.sla.escalate_again_minutes
        assert handoff.sla_due_at is not None
        next_due = (
            add_business_minutes(config.business_hours, handoff.sla_due_at, again)
            if level == 1 and again
            else None
        )
        handoffs.escalate(session=session, handoff=handoff, level=level, next_due=next_due)
        events.record_audit(
            session=session,
            team_id=handoff.team_id,
            actor_id=None,
            action="handoff.escalated",
            lead_id=handoff.lead_id,
            qualification_id=handoff.qualification_id,
            detail={"handoff_id": handoff.id, "level": level, "channel": channel or None},
        )
        if not channel:
            log.warning("SLA breach of handoff %s but no SDRBOT_MANAGER_CHANNEL", handoff.id)
            continue
        if _queue_escalation(services, session, handoff, level, now, channel):
            queued += 1
    return queued


def _queue_escalation(
    services: Services,
    session: Session,
    handoff: Handoff,
    level: int,
    now: datetime,
    channel: str,
) -> bool:
    assert handoff.id is not None and handoff.qualification_id is not None
    qualification = qualifications.get_qualification_by_id(
        session=session, team_id=handoff.team_id, qualification_id=handoff.qualification_id
    )
    lead = leads.get_lead(session=session, team_id=handoff.team_id, lead_id=handoff.lead_id)
    if qualification is None or lead is None:
        return False
    verdict = rebuild_verdict(session, qualification)
    if verdict is None:
        return False
    t = services.texts(qualification.language)
    waited = max(0, int((now - handoff.created_at).total_seconds() // 60))
    line = t(
        "sla_escalation",
        lead=lead.name,
        minutes=waited,
        level=level,
        user=handoff.assignee_id or "",
        managers=role_mentions(
            workspace_settings.effective(services, session, handoff.team_id).people.managers
        ),
    )
    framework = services.frameworks.get(qualification.framework)
    body = blocks.alert_message(
        t,
        handoff_id=handoff.id,
        lead=lead.name,
        verdict=verdict,
        rep_id=qualification.rep_id,
        framework=framework,
        routed=who_may_act(
            services, session, t, handoff, rep_id=qualification.rep_id, routed=handoff.assignee_id
        ),
    )
    payload = {
        "channel": channel,
        "text": line,
        "blocks": [blocks.section(line), *body["blocks"]],
        META_KEY: {"kind": f"{ALERT_KIND}.escalation", "handoff": handoff.id},
    }
    return (
        outbox.enqueue(
            session=session,
            team_id=handoff.team_id,
            method="chat.postMessage",
            payload=payload,
            dedupe_key=f"sla:handoff:{handoff.id}:{level}",
        )
        is not None
    )
