"""A lead's record for an access request: everything held on it, as one JSON-able document.

Plain functions with a keyword-only ``session``; nothing is changed.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.models import (
    Answer,
    AuditEvent,
    EngagementEvent,
    Lead,
    NurtureReminder,
    OutboxMessage,
    RoutingDecision,
    VerdictRecord,
)
from storage.privacy import footprint_of, handoffs_of, qualifications_of, quoting_messages, rows_of


def _row(obj: Any) -> dict[str, Any]:
    data = obj.model_dump()
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


def lead_record(*, session: Session, team_id: str, lead: Lead) -> dict[str, Any]:
    """Everything held on ``lead`` as one JSON-able document (an access request's answer).

    Returns:
        The lead's row, its qualifications with their readings, answers (with the rep's words)
        and verdicts, its handoffs with their routing, reminders, engagement events, recorded
        outcomes, audit entries and the bot's messages that quote it.
    """
    assert lead.id is not None
    qualifications = qualifications_of(session, team_id, lead.id)
    handoffs = handoffs_of(session, team_id, lead.id)
    q_ids = [q.id for q in qualifications]
    answers = rows_of(session, Answer, team_id, Answer.qualification_id.in_(q_ids))  # type: ignore[attr-defined]
    verdicts = rows_of(session, VerdictRecord, team_id, VerdictRecord.lead_id == lead.id)
    audit = rows_of(session, AuditEvent, team_id, AuditEvent.lead_id == lead.id)
    footprint = footprint_of(lead, qualifications, handoffs, answers)
    message_ids = quoting_messages(session, team_id, footprint)
    messages = rows_of(session, OutboxMessage, team_id, OutboxMessage.id.in_(message_ids))  # type: ignore[union-attr]
    h_ids = [h.id for h in handoffs]
    return {
        "lead": _row(lead),
        "qualifications": [
            {
                **{k: v for k, v in _row(q).items() if k != "conversation"},
                "readings": (q.conversation or {}).get("answers", {}),
                "answers": [_row(a) for a in answers if a.qualification_id == q.id],
                "verdicts": [_row(v) for v in verdicts if v.qualification_id == q.id],
            }
            for q in qualifications
        ],
        "handoffs": [_row(h) for h in handoffs],
        "routing_decisions": [
            _row(r)
            for r in rows_of(
                session, RoutingDecision, team_id, RoutingDecision.handoff_id.in_(h_ids)
            )  # type: ignore[attr-defined]
        ],
        "nurture_reminders": [
            _row(r)
            for r in rows_of(session, NurtureReminder, team_id, NurtureReminder.lead_id == lead.id)
        ],
        "engagement_events": [
            _row(e)
            for e in rows_of(session, EngagementEvent, team_id, EngagementEvent.lead_id == lead.id)
        ],
        "outcomes": [_row(e) for e in audit if e.action == "lead.outcome"],
        "audit": [_row(e) for e in audit],
        "bot_messages": [
            {k: _row(m)[k] for k in ("id", "method", "payload", "status", "created_at", "sent_at")}
            for m in messages
        ],
    }
