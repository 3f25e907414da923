"""CRM writes as outbox messages: staged in the step's transaction, sent after its commit.

For HubSpot, one method per kind of write (``hubspot.upsert_company`` when the card is posted,
``hubspot.write_verdict`` on every verdict, ``hubspot.set_stage`` on a handoff decision and
an outcome), all delivered by :class:`bot.crm.hubspot.HubSpotWriter`; for Salesforce, each is a
``salesforce.upsert_lead`` (:class:`bot.crm.salesforce.SalesforceWriter`). The outbox key of
each is its idempotency key. What a delivery learnt (the record and its link, the company's
firmographics) is kept by :func:`settled`, run in the transaction that marks it sent.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.crm import properties as props
from bot.crm.mapping import CrmConfig
from flows.model import VerdictResult
from flows.scoring import fit_score
from storage import crm, leads, outbox
from storage.models import Handoff, Lead, LeadStage, OutboxMessage, Qualification

if TYPE_CHECKING:
    from bot.services.context import Services

HUBSPOT = "hubspot"
SALESFORCE = "salesforce"
UPSERT_LEAD = "salesforce.upsert_lead"
UPSERT_COMPANY = "hubspot.upsert_company"
WRITE_VERDICT = "hubspot.write_verdict"
SET_STAGE = "hubspot.set_stage"
METHODS = (UPSERT_COMPANY, WRITE_VERDICT, SET_STAGE)
PREFIXES = ("hubspot.", "salesforce.")
"""Method prefixes of every CRM write (``sdrbot crm status``)."""
KIND = "crm"
"""``__meta`` kind of a CRM write, for the outbox's after-send hook."""
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")


def vendors(services: Services) -> tuple[str, ...]:
    """The CRMs that are set up (their secrets are in the environment)."""
    settings = services.settings
    found = []
    if settings.hubspot_token:
        found.append(HUBSPOT)
    if settings.salesforce_url and settings.salesforce_client_id:
        found.append(SALESFORCE)
    return tuple(found)


def thread_url(config: CrmConfig, channel: str, ts: str) -> str:
    """The Slack thread's address, built the way Slack's permalinks are."""
    return f"{config.slack_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


CRM_NAMES = {HUBSPOT: "HubSpot", SALESFORCE: "Salesforce"}


def record_link(session: Session, team_id: str, lead_id: int) -> tuple[str, str] | None:
    """The lead's CRM record as ``(url, CRM name)`` (HubSpot's first), once the outbox has it."""
    for vendor in (HUBSPOT, SALESFORCE):
        link = crm.get_link(session=session, team_id=team_id, lead_id=lead_id, vendor=vendor)
        if link is not None and link.record_url:
            return link.record_url, CRM_NAMES[vendor]
    return None


def domain_of(lead: Lead) -> str | None:
    """The lead's web domain: its own, or its name when that is one (``/qualify acme.io``)."""
    if lead.domain:
        return leads.normalize_domain(lead.domain)
    name = leads.normalize_domain(lead.name)
    return name if _DOMAIN.fullmatch(name) else None


def stage(
    *,
    session: Session,
    team_id: str,
    lead: Lead,
    method: str,
    key: str,
    fields: dict[str, Any],
    to: Sequence[str] = (HUBSPOT,),
    lead_stage: str | None = None,
    with_contact: bool = False,
) -> bool:
    """Queue one write to the lead's record in each CRM of ``to``, once per ``key``.

    Args:
        session: The step's transaction.
        team_id: Slack team id.
        lead: The lead (its id, company or name, domain).
        method: One of :data:`METHODS` (HubSpot's; Salesforce's is always an upsert).
        key: What makes this write unique (e.g. ``verdict:qualification:7:v12``).
        fields: Our fields to set (see :mod:`bot.crm.properties`).
        lead_stage: Our lead stage, when the write moves the lifecycle stage and lead status.
        to: The CRMs to write to (:func:`vendors`).
        with_contact: Also find or create the lead's contact (by its email) on the company.

    Returns:
        Whether anything was queued now (False: queued before, or no CRM).
    """
    queued = False
    for vendor in to:
        queued |= _stage_one(
            session, team_id, lead, vendor, UPSERT_LEAD if vendor == SALESFORCE else method,
            f"{vendor}:{key}", fields, lead_stage, with_contact,
        )  # fmt: skip
    return queued


def _stage_one(
    session: Session,
    team_id: str,
    lead: Lead,
    vendor: str,
    method: str,
    dedupe_key: str,
    fields: dict[str, Any],
    lead_stage: str | None,
    with_contact: bool,
) -> bool:
    assert lead.id is not None
    link = crm.get_link(session=session, team_id=team_id, lead_id=lead.id, vendor=vendor)
    payload = {
        "key": dedupe_key,
        "lead_key": f"{team_id}:{lead.id}",
        "name": lead.company or lead.name,
        "domain": domain_of(lead),
        "record_id": link.record_id if link is not None else None,
        "properties": fields,
        "stage": lead_stage,
        "email": lead.email if with_contact or vendor == SALESFORCE else None,
        # Names the receiver in the admin channel's failure notice.
        "target": CRM_NAMES[vendor],
        "__meta": {"kind": KIND, "lead_id": lead.id, "vendor": vendor},
    }
    row = outbox.enqueue(
        session=session, team_id=team_id, method=method, payload=payload, dedupe_key=dedupe_key
    )
    return row is not None


def stage_company(
    services: Services, session: Session, qualification: Qualification, channel: str, ts: str
) -> bool:
    """At ``/qualify``, once the card is posted: find or create the company, link the thread."""
    to = vendors(services)
    if not to:
        return False
    lead = leads.get_lead(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    if lead is None:
        return False
    return stage(
        session=session,
        team_id=qualification.team_id,
        lead=lead,
        method=UPSERT_COMPANY,
        key=f"company:qualification:{qualification.id}",
        fields={props.THREAD: thread_url(services.config.crm, channel, ts)},
        to=to,
        with_contact=True,
    )


def stage_verdict(
    services: Services,
    session: Session,
    qualification: Qualification,
    verdict: VerdictResult | None,
) -> bool:
    """On every verdict: its framework, score, stage, gaps, readings and evidence."""
    to = vendors(services)
    if verdict is None or not to:
        return False
    lead = leads.get_lead(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    if lead is None:
        return False
    fields = props.verdict_fields(verdict)
    if qualification.card_ts:
        url = thread_url(services.config.crm, qualification.channel_id, qualification.card_ts)
        fields[props.THREAD] = url
    return stage(
        session=session,
        team_id=qualification.team_id,
        lead=lead,
        method=WRITE_VERDICT,
        key=f"verdict:qualification:{qualification.id}:v{qualification.version}",
        fields=fields,
        to=to,
        lead_stage=verdict.stage.value,
    )


def with_firmographics(
    services: Services,
    session: Session,
    qualification: Qualification,
    verdict: VerdictResult | None,
) -> VerdictResult | None:
    """The verdict with its fit score from the company's firmographics (read from the CRM at
    ``/qualify``, or imported), when the team has an ICP and the lead has any."""
    if verdict is None or services.config.icp is None:
        return verdict
    lead = leads.get_lead(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    if lead is None:
        return verdict
    known = {f: getattr(lead, f) for f in ("industry", "employees", "region", "revenue")}
    known = {f: value for f, value in known.items() if value is not None}
    if not known:
        return verdict
    return dataclasses.replace(verdict, fit_score=fit_score(services.config.icp, known))


def stage_lead_stage(
    *,
    session: Session,
    team_id: str,
    lead: Lead,
    lead_stage: str,
    key: str,
    to: Sequence[str],
    **fields: Any,
) -> bool:
    """On an accept or reject, a won or lost deal: move the lifecycle stage and lead status."""
    return stage(
        session=session,
        team_id=team_id,
        lead=lead,
        method=SET_STAGE,
        key=f"stage:{key}",
        fields={**fields, "stage": lead_stage},
        to=to,
        lead_stage=lead_stage,
    )


def stage_decision(
    services: Services, session: Session, handoff: Handoff, lead_stage: LeadStage
) -> bool:
    """On an accept or reject: the decision and the stage it moved the lead to."""
    to = vendors(services)
    if not to:
        return False
    lead = leads.get_lead(session=session, team_id=handoff.team_id, lead_id=handoff.lead_id)
    if lead is None:
        return False
    return stage_lead_stage(
        session=session,
        team_id=handoff.team_id,
        lead=lead,
        lead_stage=lead_stage.value,
        key=f"handoff:{handoff.id}",
        to=to,
        decision=str(handoff.status),
    )


def settled(
    session: Session, message: OutboxMessage, meta: dict[str, Any], result: dict[str, Any] | None
) -> bool:
    """Keep what a delivered write learnt: the record, its link, the company's firmographics.

    A write that failed for good (``result`` None) keeps nothing; the sender has told the
    admin channel and ``sdrbot crm status`` lists it.

    Returns:
        Whether the lead got its first link to this CRM now (its card may want it).
    """
    if not result or "record_id" not in result:
        return False
    lead_id = int(meta["lead_id"])
    vendor = str(meta.get("vendor") or HUBSPOT)
    known = crm.get_link(session=session, team_id=message.team_id, lead_id=lead_id, vendor=vendor)
    firmographics = dict(result.get("firmographics") or {})
    crm.save_link(
        session=session,
        team_id=message.team_id,
        lead_id=lead_id,
        vendor=vendor,
        record_id=str(result["record_id"]),
        record_url=result.get("record_url"),
        details=firmographics or None,
    )
    if firmographics:
        leads.update_lead(
            session=session, team_id=message.team_id, lead_id=lead_id, **firmographics
        )
    return known is None
