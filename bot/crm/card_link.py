"""The card learns its CRM link late: a write that waited (a 429, an outage) may land after the
verdict was drawn. When a lead's first record link is kept, its finished card is drawn again
with the link, through the outbox like any card update."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from bot import blocks
from bot.crm import outbox as crm_outbox
from bot.services import adapter
from bot.services.handoffs import rebuild_verdict
from storage import leads, outbox, qualifications

if TYPE_CHECKING:
    from bot.services.context import Services


def redraw(services: Services, session: Session, team_id: str, lead_id: int) -> bool:
    """Queue the update of the lead's newest verdict card with its CRM link.

    Returns:
        Whether an update was queued (False: no finished card, or no link yet).
    """
    record = qualifications.latest_verdict(session=session, team_id=team_id, lead_id=lead_id)
    link = crm_outbox.record_link(session, team_id, lead_id)
    if record is None or link is None:
        return False
    qualification = qualifications.get_qualification_by_id(
        session=session, team_id=team_id, qualification_id=record.qualification_id
    )
    lead = leads.get_lead(session=session, team_id=team_id, lead_id=lead_id)
    framework = services.frameworks.get(qualification.framework) if qualification else None
    if qualification is None or lead is None or framework is None or not qualification.card_ts:
        return False
    verdict = rebuild_verdict(session, qualification)
    if verdict is None:
        return False
    card = blocks.card_message(
        services.texts(qualification.language),
        blocks.CardState(
            lead=lead.name,
            framework_name=framework.name,
            rep_id=qualification.rep_id,
            answered=adapter.answered_count(adapter.load_conversation(qualification.conversation)),
            total=len(framework.criteria),
            status=qualification.status,
            verdict=verdict,
            crm_link=link,
            stage=lead.stage,
        ),
    )
    row = outbox.enqueue(
        session=session,
        team_id=team_id,
        method="chat.update",
        payload={"channel": qualification.channel_id, "ts": qualification.card_ts, **card},
        # Once per verdict and CRM record: a second CRM's link may take the first one's place.
        dedupe_key=f"card:crm-link:{qualification.id}:{record.id}:{link[1]}",
    )
    return row is not None
