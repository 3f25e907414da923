"""Access and erasure requests, retention and the audit trail's export.

An erasure runs in one transaction: the rows are pseudonymised (``storage.privacy``), the
redaction of every post of the bot that quoted the lead is staged in the outbox, and the audit
entry is written; the outbox sends the redactions after the commit.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from sqlmodel import Session

from bot import blocks
from bot.config import TeamConfig
from bot.rendering import Texts
from flows.slacktext import unescape
from storage import events, outbox, privacy_record, retention, workflow_steps
from storage import privacy as store
from storage.leads import get_lead, team_ids
from storage.models import Lead, WorkflowStepStatus

ERASE_ACTION = "privacy_erase"
"""Button of the confirmation an ``/lead erase`` shows a manager; its value is the lead id."""
ERASE_AUDIT = "privacy.erase"
EXPORT_AUDIT = "privacy.export"
RETENTION_AUDIT = "privacy.retention"


@dataclass(frozen=True, slots=True)
class Found:
    """The lead a request names, or why none was chosen (``several``: candidates)."""

    lead: Lead | None
    several: list[Lead]


def find(session: Session, *, team_id: str, query: str, lead_id: int | None = None) -> Found:
    """The one lead ``query`` (or ``lead_id``) names; several candidates choose none."""
    if lead_id is not None:
        return Found(get_lead(session=session, team_id=team_id, lead_id=lead_id), [])
    candidates = store.matching_leads(session=session, team_id=team_id, query=query)
    if len(candidates) == 1:
        return Found(candidates[0], [])
    return Found(None, candidates)


def export(session: Session, *, team_id: str, lead: Lead, actor_id: str) -> dict[str, Any]:
    """Everything held on ``lead`` as one JSON-able document; the export is audited."""
    record = privacy_record.lead_record(session=session, team_id=team_id, lead=lead)
    events.record_audit(
        session=session, team_id=team_id, actor_id=actor_id, action=EXPORT_AUDIT, lead_id=lead.id
    )
    return record


def erase(
    session: Session,
    *,
    team_id: str,
    lead: Lead,
    actor_id: str,
    config: TeamConfig,
    texts: Texts,
) -> store.Erasure:
    """Erase ``lead`` and stage the redaction of the bot's posts about it; safe to repeat.

    Args:
        session: The request's transaction.
        team_id: Slack team id.
        lead: The lead.
        actor_id: Slack user id, or ``cli:<login>``, of who asked.
        config: The team config (``privacy.redact_with``).
        texts: Wording of the redacted line.

    Returns:
        What was erased. The audit entry names the actor, the lead's id and the counts.
    """
    already = store.is_erased(lead)
    erasure = store.erase_lead(session=session, team_id=team_id, lead=lead)
    delete = config.privacy.redact_with == "delete"
    staged = 0
    for channel, ts in erasure.slack_posts:
        if delete:
            method, payload = "chat.delete", {"channel": channel, "ts": ts}
        else:
            line = texts("privacy_redacted")
            payload = {"channel": channel, "ts": ts, "text": line, "blocks": [blocks.context(line)]}
            method = "chat.update"
        key = f"{store.REDACTION_KEY_PREFIX}{channel}:{ts}"
        if outbox.enqueue(
            session=session, team_id=team_id, method=method, payload=payload, dedupe_key=key
        ):
            staged += 1
    # A workflow step still waiting for the lead's qualification ends: it will never finish.
    for execution_id in workflow_steps.finish_for_lead(
        session=session,
        team_id=team_id,
        lead_id=erasure.lead_id,
        status=WorkflowStepStatus.FAILED,
    ):
        outbox.enqueue(
            session=session,
            team_id=team_id,
            method="functions.completeError",
            payload={
                "function_execution_id": execution_id,
                "error": unescape(texts("step_erased")),
            },
            dedupe_key=f"step:{execution_id}",
        )
    events.record_audit(
        session=session,
        team_id=team_id,
        actor_id=actor_id,
        action=ERASE_AUDIT,
        lead_id=erasure.lead_id,
        detail={
            "lead": store.pseudonym(erasure.lead_id),
            "rows": erasure.rows,
            "slack_posts": len(erasure.slack_posts),
            "redactions_queued": staged,
            "in_flight": erasure.in_flight,
            "redact_with": config.privacy.redact_with,
            "repeat": already,
        },
    )
    return erasure


def apply_retention(session: Session, *, config: TeamConfig, now: datetime) -> int:
    """Redact evidence and delete engagement events and audit entries past their time.

    Audit entries are kept at least a year, whatever the config says.

    Returns:
        How many rows changed, over every team.
    """
    keep = config.retention
    audit_days = max(keep.audit_days, retention.MIN_AUDIT_DAYS)
    changed = 0
    for team_id in team_ids(session=session):
        evidence = retention.redact_evidence_before(
            session=session, team_id=team_id, before=now - timedelta(days=keep.evidence_days)
        )
        engagement = retention.delete_engagement_before(
            session=session, team_id=team_id, before=now - timedelta(days=keep.engagement_days)
        )
        audit = retention.delete_audit_before(
            session=session, team_id=team_id, before=now - timedelta(days=audit_days)
        )
        if evidence or engagement or audit:
            events.record_audit(
                session=session,
                team_id=team_id,
                actor_id=None,
                action=RETENTION_AUDIT,
                detail={"answers": evidence, "engagement_events": engagement, "audit": audit},
            )
        changed += evidence + engagement + audit
    return changed


AUDIT_FIELDS = ("id", "created_at", "actor_id", "action", "lead_id", "qualification_id", "detail")


def write_audit(session: Session, *, team_id: str, since: datetime, fmt: str, out: IO[str]) -> int:
    """Write the audit entries since ``since`` as JSON lines or CSV; returns how many."""
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(AUDIT_FIELDS)
    count = 0
    for entry in retention.audit_since(session=session, team_id=team_id, since=since):
        row = {
            "id": entry.id,
            "created_at": entry.created_at.isoformat(),
            "actor_id": entry.actor_id,
            "action": entry.action,
            "lead_id": entry.lead_id,
            "qualification_id": entry.qualification_id,
            "detail": entry.detail,
        }
        if writer is None:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            detail = json.dumps(row["detail"], sort_keys=True) if row["detail"] else ""
            writer.writerow([*(row[k] for k in AUDIT_FIELDS[:-1]), detail])
        count += 1
    return count
