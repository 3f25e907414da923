"""CRM links: which CRM record a lead is, and the CRM writes still waiting or failed.

The CRM writes themselves are outbox rows (methods ``hubspot.*``); this module keeps what they
learnt (the record's id and link, the company's firmographics) and lists the ones in trouble.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import CrmLink, OutboxMessage, OutboxStatus, utcnow


def save_link(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    vendor: str,
    record_id: str,
    record_url: str | None,
    details: dict[str, Any] | None = None,
) -> CrmLink:
    """Remember (or update) the lead's record in ``vendor``'s CRM.

    Args:
        session: the caller's transaction.
        team_id: Slack team id.
        lead_id: the lead.
        vendor: ``hubspot``.
        record_id: the CRM's id of the record.
        record_url: where a person opens it.
        details: what the CRM said about the company (kept as given; None keeps the old).

    Returns:
        The link row.
    """
    session.execute(
        insert_or_ignore(session, CrmLink, unique=["team_id", "lead_id", "vendor"]).values(
            team_id=team_id,
            lead_id=lead_id,
            vendor=vendor,
            record_id=record_id,
            record_url=record_url,
            details=details,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
    )
    link = get_link(session=session, team_id=team_id, lead_id=lead_id, vendor=vendor)
    assert link is not None
    link.record_id = record_id
    link.record_url = record_url or link.record_url
    if details is not None:
        link.details = details
    link.updated_at = utcnow()
    session.add(link)
    session.flush()
    return link


def get_link(*, session: Session, team_id: str, lead_id: int, vendor: str) -> CrmLink | None:
    """The lead's record in ``vendor``'s CRM, if one was found or created."""
    parameters = {"team_id": team_id, "lead_id": lead_id, "vendor": vendor}
    return session.scalars(_LINK, parameters).first()


_LINK = select(CrmLink).where(
    CrmLink.team_id == bindparam("team_id"),
    CrmLink.lead_id == bindparam("lead_id"),
    CrmLink.vendor == bindparam("vendor"),
)
"""Built once: every card and verdict reads the lead's CRM link."""


def links_of_record(*, session: Session, vendor: str, record_id: str) -> list[CrmLink]:
    """The leads (in any team) linked to one CRM record; a webhook names only the record."""
    statement = (
        select(CrmLink)
        .where(CrmLink.vendor == vendor, CrmLink.record_id == record_id)
        .order_by(CrmLink.id)
    )
    return list(session.scalars(statement))


def writes(
    *,
    session: Session,
    method_prefixes: Sequence[str],
    team_id: str | None = None,
    limit: int = 20,
) -> dict[str, Any]:
    """How the CRM writes stand: counts by status, and the newest not yet sent or failed.

    Args:
        session: a session.
        method_prefixes: e.g. ``("hubspot.", "salesforce.")``.
        team_id: one team, or None for all.
        limit: most rows listed.

    Returns:
        ``{"counts": {status: n}, "open": [OutboxMessage...]}``, newest first.
    """
    methods = OutboxMessage.method
    condition = [or_(*(methods.startswith(p) for p in method_prefixes))]  # type: ignore[attr-defined]
    if team_id is not None:
        condition.append(OutboxMessage.team_id == team_id)
    counts: dict[str, int] = {}
    for (status,) in session.execute(select(OutboxMessage.status).where(*condition)):
        counts[status] = counts.get(status, 0) + 1
    open_rows = session.scalars(
        select(OutboxMessage)
        .where(*condition, OutboxMessage.status != OutboxStatus.SENT.value)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return {"counts": counts, "open": list(open_rows)}
