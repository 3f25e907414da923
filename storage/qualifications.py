"""Qualifications: one per Slack thread, with their answers and verdicts, scoped by team.

Plain functions taking a keyword-only ``session``; none of them commits: the caller owns the
transaction (one commit per conversation step).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from flows.model import VerdictResult
from storage.events import record_audit
from storage.models import (
    Answer,
    AnswerCreate,
    Lead,
    Qualification,
    QualificationStatus,
    VerdictRecord,
    utcnow,
)
from storage.retry import StaleVersion

_FINISHED = frozenset({QualificationStatus.DONE.value, QualificationStatus.CANCELLED.value})
_OPEN = (QualificationStatus.ACTIVE.value, QualificationStatus.PAUSED.value)

# The statements of every conversation step, built once (construction and cache key are
# paid on the first call only); parameters go by name. The answer's rows are written on the
# table: nothing reads them back as objects in the step's session.
_LOAD_STEP = (
    select(Qualification, Lead.name)
    .outerjoin(Lead, Lead.id == Qualification.lead_id)  # type: ignore[arg-type]
    .where(
        Qualification.team_id == bindparam("team_id"),
        Qualification.channel_id == bindparam("channel_id"),
        Qualification.thread_ts == bindparam("thread_ts"),
    )
    .with_for_update(of=Qualification)  # type: ignore[arg-type]
    .execution_options(populate_existing=True)
)
_ANSWERS = Answer.__table__
_SUPERSEDE = (
    update(_ANSWERS)
    .where(
        _ANSWERS.c.team_id == bindparam("of_team"),
        _ANSWERS.c.qualification_id == bindparam("of_qualification"),
        _ANSWERS.c.criterion == bindparam("of_criterion"),
        _ANSWERS.c.superseded == False,  # noqa: E712 - SQL comparison
    )
    .values(superseded=True)
)
_ADD_ANSWER = insert(_ANSWERS)
_LATEST_VERDICT = (
    select(VerdictRecord)
    .where(
        VerdictRecord.team_id == bindparam("team_id"),
        VerdictRecord.lead_id == bindparam("lead_id"),
    )
    .order_by(VerdictRecord.created_at.desc(), VerdictRecord.id.desc())  # type: ignore[attr-defined, union-attr]
    .limit(1)
)


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
    status: QualificationStatus = QualificationStatus.ACTIVE,
) -> Qualification:
    """Create the qualification of one Slack thread, at version 1, status ``active`` (or
    ``starting`` while it waits for its card: ``storage.cards``).

    Returns:
        The new qualification, in the session (with its id).
    """
    now = utcnow()
    qualification = Qualification(
        team_id=team_id,
        lead_id=lead_id,
        channel_id=channel_id,
        thread_ts=thread_ts,
        card_ts=card_ts,
        rep_id=rep_id,
        framework=framework,
        language=language,
        machine_state=machine_state,
        conversation=conversation,
        status=status.value,
        started_at=now,
        updated_at=now,
    )
    session.add(qualification)
    session.flush()  # the audit event names its id
    record_audit(
        session=session,
        team_id=team_id,
        actor_id=rep_id,
        action="qualification.start",
        lead_id=lead_id,
        qualification_id=qualification.id,
        detail={"framework": framework, "channel_id": channel_id, "thread_ts": thread_ts},
    )
    return qualification


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
            Qualification.status.in_(_OPEN),  # type: ignore[attr-defined]
        )
        .order_by(Qualification.updated_at.desc(), Qualification.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    return list(session.scalars(statement))


def open_qualification(*, session: Session, team_id: str, lead_id: int) -> Qualification | None:
    """The lead's qualification that is still active or paused, if any."""
    statement = select(Qualification).where(
        Qualification.team_id == team_id,
        Qualification.lead_id == lead_id,
        Qualification.status.in_(_OPEN),  # type: ignore[attr-defined]
    )
    return session.scalars(statement).first()


def load_step(
    *, session: Session, team_id: str, channel_id: str, thread_ts: str
) -> tuple[Qualification, str] | None:
    """Load a thread's qualification, row-locked on PostgreSQL, and its lead's name.

    The lock holds until the transaction ends, so steps of one thread handled by several
    workers run one after the other. (SQLite has no row locks; its ``BEGIN IMMEDIATE``
    transactions serialise writers already.)

    Args:
        session: the caller's session.
        team_id: Slack team id.
        channel_id: the thread's channel.
        thread_ts: the thread's root ts (the card).

    Returns:
        The qualification and the lead's name, or None when the thread is not ours.
    """
    thread = {"team_id": team_id, "channel_id": channel_id, "thread_ts": thread_ts}
    row = session.execute(_LOAD_STEP, thread).first()
    if row is None:
        return None
    qualification, lead_name = row
    return qualification, lead_name or ""


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

    Args:
        session: the caller's session.
        qualification: the row as loaded; changed in place.
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
    stale = StaleVersion(f"qualification {qualification.id} is past version {expected_version}")
    if qualification.version != expected_version:
        raise stale
    if inspect(qualification).attrs.team_id.history.deleted:
        # The row's key and version do not name its team: a row moved to another team in
        # memory must not be written to the row of the team it came from.
        raise StaleVersion(f"qualification {qualification.id} is not in {qualification.team_id}")
    now = utcnow()
    status = str(status)
    qualification.machine_state = machine_state
    qualification.conversation = conversation
    qualification.status = status
    qualification.updated_at = now
    qualification.finished_at = now if status in _FINISHED else None
    session.add(qualification)  # one loaded by an earlier session is attached as it was
    try:
        session.flush()  # UPDATE ... WHERE version = expected_version (the mapper's counter)
    except StaleDataError as error:
        raise stale from error
    assert qualification.id is not None
    team_id = qualification.team_id
    if answer is not None:
        earlier = {
            "of_team": team_id,
            "of_qualification": qualification.id,
            "of_criterion": answer.criterion,
        }
        session.execute(_SUPERSEDE, earlier)
        row = {
            **answer.model_dump(),
            "team_id": team_id,
            "qualification_id": qualification.id,
            "answered_at": now,
            "superseded": False,
        }
        session.execute(_ADD_ANSWER, row)
    if verdict is not None:
        _record_verdict(session, qualification, verdict, now)
    record_audit(
        session=session,
        team_id=team_id,
        actor_id=actor_id,
        action=audit_action or _step_action(status, answer, verdict),
        lead_id=qualification.lead_id,
        qualification_id=qualification.id,
        detail={
            "state": machine_state,
            "status": status,
            "version": qualification.version,
            "criterion": answer.criterion if answer else None,
            "verdict": verdict.verdict.value if verdict else None,
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
    session.add(
        VerdictRecord(
            team_id=qualification.team_id,
            qualification_id=qualification.id,
            lead_id=qualification.lead_id,
            framework=verdict.framework,
            verdict=verdict.verdict.value,
            score=verdict.score,
            fit_score=verdict.fit_score,
            stage=verdict.stage.value,
            reasons=[reason.to_json() for reason in verdict.reasons],
            gaps=list(verdict.gaps),
            flip={
                "to": verdict.flip_to.value if verdict.flip_to else None,
                "criteria": list(verdict.flip),
            },
            created_at=now,
        )
    )
    lead = session.get(Lead, qualification.lead_id)
    assert lead is not None and lead.team_id == qualification.team_id
    lead.verdict = verdict.verdict.value
    lead.score = verdict.score
    lead.fit_score = verdict.fit_score
    lead.stage = verdict.stage.value
    lead.updated_at = now


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
    """The newest verdict recorded for a lead."""
    return session.scalars(_LATEST_VERDICT, {"team_id": team_id, "lead_id": lead_id}).first()
