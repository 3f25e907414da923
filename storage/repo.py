"""Repository functions: plain functions taking a keyword-only ``session``, scoped by team.

None of them commits: the caller owns the transaction (one commit per conversation step).
Outbox and retry helpers live in their own modules and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from flows.model import VerdictResult
from storage.leads import (
    LeadLookup,
    add_engagement,
    find_lead,
    get_lead,
    get_or_create_lead,
    list_leads,
    recent_hot_leads,
    update_lead,
)
from storage.models import (
    Answer,
    AnswerCreate,
    AuditEvent,
    Handoff,
    HandoffStatus,
    Lead,
    LeadStage,
    ProcessedEvent,
    Qualification,
    QualificationStatus,
    VerdictRecord,
    utcnow,
)
from storage.outbox import (
    claim_due,
    enqueue,
    get_message,
    mark_failed,
    mark_sent,
    next_retry_at,
    retry_delay,
)
from storage.retry import StaleVersion, is_retryable, run_in_transaction
from storage.sql import Direct, column_defaults, core_connection, detached, prepared

__all__ = [
    "LeadLookup",
    "StaleVersion",
    "active_qualifications",
    "add_engagement",
    "claim_due",
    "claim_event",
    "claim_events",
    "create_handoff",
    "current_answers",
    "decide_handoff",
    "enqueue",
    "find_lead",
    "get_handoff",
    "get_lead",
    "get_message",
    "get_or_create_lead",
    "get_qualification",
    "get_qualification_by_id",
    "is_retryable",
    "latest_verdict",
    "list_leads",
    "load_step",
    "mark_failed",
    "mark_sent",
    "next_retry_at",
    "pending_handoffs",
    "recent_hot_leads",
    "record_audit",
    "retry_delay",
    "run_in_transaction",
    "save_step",
    "set_handoff_alert",
    "start_qualification",
    "start_sla_clock",
    "update_lead",
]

_FINISHED = frozenset({QualificationStatus.DONE.value, QualificationStatus.CANCELLED.value})


# --- Qualifications ------------------------------------------------------------------------------


def start_qualification(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    channel_id: str,
    thread_ts: str,
    rep_id: str,
    framework: str,
    language: str,
    machine_state: str,
    conversation: dict[str, Any],
    card_ts: str | None = None,
) -> Qualification:
    """Create the qualification of one Slack thread, at version 1, status ``active``.

    Runs as direct prepared statements (the row and its audit event); the qualification comes
    back as a plain object outside the session, as :func:`load_step` gives it.
    """
    statements = _statements(session)
    connection = core_connection(session)
    now = utcnow()
    values: dict[str, Any] = {
        **column_defaults(Qualification),  # active, version 1, not finished
        "team_id": team_id,
        "lead_id": lead_id,
        "channel_id": channel_id,
        "thread_ts": thread_ts,
        "card_ts": card_ts,
        "rep_id": rep_id,
        "framework": framework,
        "language": language,
        "machine_state": machine_state,
        "conversation": conversation,
        "started_at": now,
        "updated_at": now,
    }
    qualification_id = statements.insert_qualification.scalar(connection, values)
    statements.insert_audit.execute(
        connection,
        {
            "team_id": team_id,
            "actor_id": rep_id,
            "action": "qualification.start",
            "lead_id": lead_id,
            "qualification_id": qualification_id,
            "detail": {"framework": framework, "channel_id": channel_id, "thread_ts": thread_ts},
            "created_at": now,
        },
    )
    return detached(Qualification, {"id": qualification_id, **values})


def get_qualification(
    *, session: Session, team_id: str, channel_id: str, thread_ts: str, for_update: bool = False
) -> Qualification | None:
    """Load the qualification of a thread; ``for_update`` row-locks it on PostgreSQL."""
    statement = select(Qualification).where(
        Qualification.team_id == team_id,
        Qualification.channel_id == channel_id,
        Qualification.thread_ts == thread_ts,
    )
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).first()


def get_qualification_by_id(
    *, session: Session, team_id: str, qualification_id: int
) -> Qualification | None:
    """Load a qualification by id, within the team."""
    statement = select(Qualification).where(
        Qualification.team_id == team_id, Qualification.id == qualification_id
    )
    return session.scalars(statement).first()


def active_qualifications(*, session: Session, team_id: str, rep_id: str) -> list[Qualification]:
    """The rep's qualifications still active or paused, most recently touched first."""
    statement = (
        select(Qualification)
        .where(
            Qualification.team_id == team_id,
            Qualification.rep_id == rep_id,
            Qualification.status.in_(  # type: ignore[attr-defined]
                [QualificationStatus.ACTIVE.value, QualificationStatus.PAUSED.value]
            ),
        )
        .order_by(Qualification.updated_at.desc(), Qualification.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    return list(session.scalars(statement))


def load_step(
    *, session: Session, team_id: str, channel_id: str, thread_ts: str
) -> tuple[Qualification, str] | None:
    """Load a thread's qualification and its lead's name in one row-locking query.

    The qualification comes back as a plain object outside the session (nothing tracks or
    flushes it); :func:`save_step` accepts it. One query instead of two ORM loads is most of
    what a conversation step reads.

    Args:
        session: the caller's session.
        team_id: Slack team id.
        channel_id: the thread's channel.
        thread_ts: the thread's root ts (the card).

    Returns:
        The qualification and the lead's name, or None when the thread is not ours.
    """
    statements = _statements(session)
    values = statements.load_step.first(
        core_connection(session),
        {"team_id": team_id, "channel_id": channel_id, "thread_ts": thread_ts},
    )
    if values is None:
        return None
    lead_name = values.pop("lead_name")
    return detached(Qualification, values), lead_name or ""


def save_step(
    *,
    session: Session,
    qualification: Qualification,
    expected_version: int,
    machine_state: str,
    conversation: dict[str, Any],
    status: str,
    answer: AnswerCreate | None = None,
    verdict: VerdictResult | None = None,
    actor_id: str | None,
    audit_action: str | None = None,
) -> Qualification:
    """Persist one conversation step in the caller's transaction, guarded by the row version.

    Runs as direct prepared statements (guarded UPDATE, superseding UPDATE, answer and audit
    INSERTs) rather than through the unit of work: this is the hot path of every answer.

    Args:
        session: the caller's session.
        qualification: the row as loaded; updated in place on success.
        expected_version: the version the step was computed from.
        machine_state: the state machine's new state.
        conversation: the whole conversation as JSON.
        status: the qualification status after the step.
        answer: an answer to record; an earlier answer to the same criterion is superseded.
        verdict: a verdict to record; the lead takes its verdict, scores and stage.
        actor_id: Slack user id behind the step.
        audit_action: audit action name; derived from the step when None.

    Returns:
        The qualification, now at ``expected_version + 1``.

    Raises:
        StaleVersion: another worker saved a step since ``expected_version``.
    """
    statements = _statements(session)
    connection = core_connection(session)
    now = utcnow()
    status = str(status)
    team_id = qualification.team_id
    values: dict[str, Any] = {
        "version": expected_version + 1,
        "machine_state": machine_state,
        "conversation": conversation,
        "status": status,
        "updated_at": now,
        "finished_at": now if status in _FINISHED else None,
    }
    guarded = statements.save_qualification.execute(
        connection,
        {**values, "id_": qualification.id, "team_id_": team_id, "expected_": expected_version},
    )
    if guarded != 1:
        raise StaleVersion(f"qualification {qualification.id} is past version {expected_version}")
    # Reflect the update on the object without marking it dirty, so nothing is flushed twice.
    for key, value in values.items():
        set_committed_value(qualification, key, value)

    if answer is not None:
        statements.supersede_answers.execute(
            connection,
            {"team_id_": team_id, "qid_": qualification.id, "criterion_": answer.criterion},
        )
        statements.insert_answer.execute(
            connection,
            {
                **answer.model_dump(),
                "team_id": team_id,
                "qualification_id": qualification.id,
                "answered_at": now,
                "superseded": False,
            },
        )
    if verdict is not None:
        _record_verdict(session, qualification, verdict, now)
    statements.insert_audit.execute(
        connection,
        {
            "team_id": team_id,
            "actor_id": actor_id,
            "action": audit_action or _step_action(status, answer, verdict),
            "lead_id": qualification.lead_id,
            "qualification_id": qualification.id,
            "detail": {
                "state": machine_state,
                "status": status,
                "version": expected_version + 1,
                "criterion": answer.criterion if answer else None,
                "verdict": verdict.verdict.value if verdict else None,
            },
            "created_at": now,
        },
    )
    return qualification


def _step_action(status: str, answer: AnswerCreate | None, verdict: VerdictResult | None) -> str:
    if verdict is not None:
        return "qualification.verdict"
    if answer is not None:
        return "qualification.answer"
    return f"qualification.{status}"


def _record_verdict(
    session: Session, qualification: Qualification, verdict: VerdictResult, now: Any
) -> None:
    assert qualification.id is not None
    statements = _statements(session)
    connection = core_connection(session)
    statements.insert_verdict.execute(
        connection,
        {
            "team_id": qualification.team_id,
            "qualification_id": qualification.id,
            "lead_id": qualification.lead_id,
            "framework": verdict.framework,
            "verdict": verdict.verdict.value,
            "score": verdict.score,
            "fit_score": verdict.fit_score,
            "stage": verdict.stage.value,
            "reasons": [reason.to_json() for reason in verdict.reasons],
            "gaps": list(verdict.gaps),
            "flip": {
                "to": verdict.flip_to.value if verdict.flip_to else None,
                "criteria": list(verdict.flip),
            },
            "created_at": now,
        },
    )
    lead_values = {
        "verdict": verdict.verdict.value,
        "score": verdict.score,
        "fit_score": verdict.fit_score,
        "stage": verdict.stage.value,
        "updated_at": now,
    }
    statements.update_lead_verdict.execute(
        connection,
        {**lead_values, "id_": qualification.lead_id, "team_id_": qualification.team_id},
    )
    # A Lead this session already holds must show the verdict, as a synchronised UPDATE would.
    held = session.identity_map.get(identity_key(Lead, (qualification.lead_id,)))
    if held is not None:
        for key, value in lead_values.items():
            set_committed_value(held, key, value)


class _HotStatements:
    """The statements of the hot paths, built once per dialect and run directly on the
    driver (:class:`storage.sql.Direct`): a conversation step, the start of a qualification
    and the handoff of a hot lead."""

    def __init__(self, dialect: str) -> None:
        qualification = _table(Qualification)
        lead = _table(Lead)
        answer = _table(Answer)
        events = _table(ProcessedEvent)
        load = (
            select(*qualification.c, lead.c.name.label("lead_name"))
            .join_from(qualification, lead, lead.c.id == qualification.c.lead_id, isouter=True)
            .where(
                qualification.c.team_id == bindparam("team_id"),
                qualification.c.channel_id == bindparam("channel_id"),
                qualification.c.thread_ts == bindparam("thread_ts"),
            )
        )
        if dialect == "postgresql":
            load = load.with_for_update(of=qualification)
        self.load_step = Direct(load)
        self.save_qualification = Direct(
            update(qualification)
            .where(
                qualification.c.id == bindparam("id_"),
                qualification.c.team_id == bindparam("team_id_"),
                qualification.c.version == bindparam("expected_"),
            )
            .values(
                {
                    name: bindparam(name, type_=qualification.c[name].type)
                    for name in (
                        "version",
                        "machine_state",
                        "conversation",
                        "status",
                        "updated_at",
                        "finished_at",
                    )
                }
            )
        )
        self.supersede_answers = Direct(
            update(answer)
            .where(
                answer.c.team_id == bindparam("team_id_"),
                answer.c.qualification_id == bindparam("qid_"),
                answer.c.criterion == bindparam("criterion_"),
                answer.c.superseded == False,  # noqa: E712 - SQL comparison
            )
            .values(superseded=True)
        )
        self.insert_answer = Direct(insert(answer))
        self.insert_qualification = Direct(insert(qualification).returning(qualification.c.id))
        verdicts = _table(VerdictRecord)
        self.latest_verdict = Direct(
            select(*verdicts.c)
            .where(
                verdicts.c.team_id == bindparam("team_id"),
                verdicts.c.lead_id == bindparam("lead_id"),
            )
            .order_by(verdicts.c.created_at.desc(), verdicts.c.id.desc())
            .limit(1)
        )
        handoff = _table(Handoff)
        self.insert_handoff = Direct(insert(handoff).returning(handoff.c.id))
        self.set_sla_due = Direct(
            update(handoff)
            .where(handoff.c.id == bindparam("id_"), handoff.c.team_id == bindparam("team_id_"))
            .values(sla_due_at=bindparam("sla_due_at", type_=handoff.c.sla_due_at.type))
        )
        self.insert_audit = Direct(insert(_table(AuditEvent)))
        self.insert_verdict = Direct(insert(_table(VerdictRecord)))
        self.update_lead_verdict = Direct(
            update(lead)
            .where(lead.c.id == bindparam("id_"), lead.c.team_id == bindparam("team_id_"))
            .values(
                {
                    name: bindparam(name, type_=lead.c[name].type)
                    for name in ("verdict", "score", "fit_score", "stage", "updated_at")
                }
            )
        )
        # Written as text: one form that both SQLite and PostgreSQL take.
        self.claim = {
            count: Direct(
                text(
                    f"INSERT INTO {events.name} (team_id, event_id, received_at) VALUES "
                    + ", ".join(
                        f"(:team_id, :event_id_{index}, :received_at)" for index in range(count)
                    )
                    + " ON CONFLICT (team_id, event_id) DO NOTHING RETURNING event_id"
                ).bindparams(bindparam("received_at", type_=events.c.received_at.type))
            )
            for count in (1, 2)
        }


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _statements(session: Session) -> _HotStatements:
    return prepared(session, _HotStatements)


def current_answers(*, session: Session, team_id: str, qualification_id: int) -> list[Answer]:
    """The answers in force (not superseded) of a qualification, oldest first."""
    statement = (
        select(Answer)
        .where(
            Answer.team_id == team_id,
            Answer.qualification_id == qualification_id,
            Answer.superseded == False,  # noqa: E712 - SQL comparison
        )
        .order_by(Answer.answered_at, Answer.id)  # type: ignore[arg-type]
    )
    return list(session.scalars(statement))


def latest_verdict(*, session: Session, team_id: str, lead_id: int) -> VerdictRecord | None:
    """The newest verdict recorded for a lead, as a plain object outside the session."""
    row = _statements(session).latest_verdict.first(
        core_connection(session), {"team_id": team_id, "lead_id": lead_id}
    )
    return None if row is None else detached(VerdictRecord, row)


# --- Events and audit ----------------------------------------------------------------------------


def claim_event(*, session: Session, team_id: str, event_id: str) -> bool:
    """Record a Slack event id in the current transaction; False if it was seen before.

    Uses ``INSERT ... ON CONFLICT DO NOTHING``, so a duplicate never raises and never
    poisons the caller's transaction.
    """
    return claim_events(session=session, team_id=team_id, event_ids=[event_id])


def claim_events(*, session: Session, team_id: str, event_ids: Sequence[str]) -> bool:
    """Record several idempotency keys of one delivery in one statement.

    A message event carries two keys (Slack's event id and the message ts); claiming both in
    one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` costs one round trip instead of two.

    Args:
        session: the caller's session.
        team_id: Slack team id.
        event_ids: the keys, at most two (duplicates are claimed once).

    Returns:
        True when every key was new; False when any had been claimed before (the new ones
        are still recorded, so a later retry finds them all).
    """
    keys = list(dict.fromkeys(event_ids))
    if not keys:
        return True
    if len(keys) > 2:
        return all(
            claim_events(session=session, team_id=team_id, event_ids=keys[i : i + 2])
            for i in range(0, len(keys), 2)
        )
    params: dict[str, Any] = {"team_id": team_id, "received_at": utcnow()}
    params.update({f"event_id_{index}": key for index, key in enumerate(keys)})
    claimed = _statements(session).claim[len(keys)].rows(core_connection(session), params)
    # RETURNING lists the rows actually inserted; rowcount is not reliable for upserts.
    return len(claimed) == len(keys)


def record_audit(
    *,
    session: Session,
    team_id: str,
    actor_id: str | None,
    action: str,
    lead_id: int | None = None,
    qualification_id: int | None = None,
    detail: dict[str, Any] | None = None,
    flush: bool = True,
) -> AuditEvent:
    """Append an audit event (who did what to which lead)."""
    event = AuditEvent(
        team_id=team_id,
        actor_id=actor_id,
        action=action,
        lead_id=lead_id,
        qualification_id=qualification_id,
        detail=detail,
    )
    session.add(event)
    if flush:
        session.flush()
    return event


# --- Handoffs ------------------------------------------------------------------------------------


def create_handoff(
    *,
    session: Session,
    team_id: str,
    lead_id: int,
    qualification_id: int | None,
    alert_channel: str | None,
    assignee_id: str | None = None,
) -> Handoff:
    """Open a pending handoff of a lead to sales.

    Runs as a direct prepared ``INSERT``; the handoff comes back as a plain object outside the
    session, which the handoff functions here accept.
    """
    values: dict[str, Any] = {
        **column_defaults(Handoff),
        "team_id": team_id,
        "lead_id": lead_id,
        "qualification_id": qualification_id,
        "alert_channel": alert_channel,
        "assignee_id": assignee_id,
        "created_at": utcnow(),
    }
    statement = _statements(session).insert_handoff
    handoff_id = statement.scalar(core_connection(session), values)
    return detached(Handoff, {"id": handoff_id, **values})


def get_handoff(
    *, session: Session, team_id: str, handoff_id: int, for_update: bool = False
) -> Handoff | None:
    """Load a handoff within the team; ``for_update`` row-locks it on PostgreSQL."""
    statement = select(Handoff).where(Handoff.team_id == team_id, Handoff.id == handoff_id)
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).first()


def pending_handoffs(*, session: Session, team_id: str, limit: int = 20) -> list[Handoff]:
    """Handoffs still waiting for a decision, oldest first."""
    statement = (
        select(Handoff)
        .where(Handoff.team_id == team_id, Handoff.status == HandoffStatus.PENDING.value)
        .order_by(Handoff.created_at, Handoff.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(session.scalars(statement))


def decide_handoff(
    *,
    session: Session,
    handoff: Handoff,
    status: str,
    decided_by: str,
    reason: str | None = None,
    reason_code: str | None = None,
    rejected_stage: LeadStage = LeadStage.NURTURE,
) -> bool:
    """Accept or reject a pending handoff; the lead moves to SAL, or nurture / disqualified.

    Args:
        session: the caller's session.
        handoff: the handoff; updated in place when the decision is taken.
        status: ``accepted`` or ``rejected``.
        decided_by: Slack user id of the deciding account executive.
        reason: why, for a rejection (the rep's words).
        reason_code: the structured reason of a rejection (e.g. ``no_budget``).
        rejected_stage: where a rejected lead goes.

    Returns:
        False when the handoff was already decided (by this or another click).
    """
    status = HandoffStatus(status).value
    if status == HandoffStatus.PENDING.value:
        raise ValueError("a decision must accept or reject")
    now = utcnow()
    values = {
        "status": status,
        "decided_by": decided_by,
        "reason": reason,
        "reason_code": reason_code,
        "decided_at": now,
        "sla_due_at": None,
    }
    decided = session.execute(
        update(Handoff)
        .where(
            Handoff.id == handoff.id,
            Handoff.team_id == handoff.team_id,
            Handoff.status == HandoffStatus.PENDING.value,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        return False
    for key, value in values.items():
        set_committed_value(handoff, key, value)
    stage = LeadStage.SAL if status == HandoffStatus.ACCEPTED.value else rejected_stage
    session.execute(
        update(Lead)
        .where(Lead.id == handoff.lead_id, Lead.team_id == handoff.team_id)
        .values(stage=stage.value, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    record_audit(
        session=session,
        team_id=handoff.team_id,
        actor_id=decided_by,
        action=f"handoff.{status}",
        lead_id=handoff.lead_id,
        qualification_id=handoff.qualification_id,
        detail={"handoff_id": handoff.id, "reason": reason, "reason_code": reason_code},
    )
    return True


def start_sla_clock(*, session: Session, handoff: Handoff, due_at: datetime) -> None:
    """Set when a pending handoff escalates unless someone accepts or rejects it first."""
    _statements(session).set_sla_due.execute(
        core_connection(session),
        {"id_": handoff.id, "team_id_": handoff.team_id, "sla_due_at": due_at},
    )
    set_committed_value(handoff, "sla_due_at", due_at)


def set_handoff_alert(
    *, session: Session, handoff: Handoff, alert_channel: str, alert_ts: str
) -> None:
    """Remember where the handoff's alert was posted, so it can be updated later."""
    session.execute(
        update(Handoff)
        .where(Handoff.id == handoff.id, Handoff.team_id == handoff.team_id)
        .values(alert_channel=alert_channel, alert_ts=alert_ts)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(handoff, "alert_channel", alert_channel)
    set_committed_value(handoff, "alert_ts", alert_ts)
