"""Tables of the qualification store. Every table carries ``team_id``; ``AnswerCreate`` is
what a conversation step hands to storage for one answer.

Enumerations are stored as plain strings so adding a value needs no schema change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from flows.model import Assessment


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that always goes in and comes out as aware UTC, on every dialect.

    SQLite keeps no zone: values are stored as naive UTC text (so they sort and compare
    correctly) and get their UTC zone back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        # The text SQLite's DATETIME writes ("2026-03-04 05:06:07.890123"), in one C call
        # instead of its %-formatting of a dict: every step binds several timestamps.
        def to_text(value: datetime | None) -> str | None:
            if value is not None and value.tzinfo is UTC:  # the usual case, utcnow()
                return value.replace(tzinfo=None).isoformat(" ", "microseconds")
            naive = self.process_bind_param(value, dialect)
            return None if naive is None else naive.isoformat(" ", "microseconds")

        return to_text


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=UtcDateTime, nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False, index=index)


def _json(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


class LeadStage(StrEnum):
    PROSPECT = "prospect"
    LEAD = "lead"
    MQL = "MQL"
    SQL = "SQL"
    SAL = "SAL"
    CUSTOMER = "customer"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"
    LOST = "lost"


class QualificationStatus(StrEnum):
    STARTING = "starting"  # stored, its card not posted yet (storage.cards)
    ACTIVE = "active"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


class HandoffStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def name_key(name: str) -> str:
    """Normalise a lead name for lookup: collapsed whitespace, case-folded."""
    return " ".join(name.split()).casefold()


# --- Lead ----------------------------------------------------------------------------------------


class LeadBase(SQLModel):
    name: str
    company: str | None = None
    email: str | None = None
    domain: str | None = None
    source: str | None = None
    owner_id: str | None = None
    industry: str | None = None
    employees: int | None = None
    region: str | None = None
    revenue: float | None = None


class Lead(LeadBase, table=True):
    __tablename__ = "lead"
    __table_args__ = (
        UniqueConstraint("team_id", "name_key", name="uq_lead_team_name_key"),
        Index("ix_lead_team_verdict", "team_id", "verdict"),
        Index("ix_lead_team_owner", "team_id", "owner_id"),
        Index("ix_lead_team_updated", "team_id", "updated_at"),
        Index("ix_lead_team_email", "team_id", "email"),
        Index("ix_lead_team_domain", "team_id", "domain"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    name_key: str
    stage: str = LeadStage.LEAD.value
    verdict: str | None = None
    score: int | None = None
    fit_score: int | None = None
    engagement_points: int = 0
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


# --- Qualification -------------------------------------------------------------------------------


_QUALIFICATION_VERSION = Column("version", Integer, nullable=False)


class Qualification(SQLModel, table=True):
    """One qualification thread. ``version`` is the ORM's version counter: every flush that
    changes the row sets ``version = version + 1 WHERE version = <as loaded>`` and fails with
    ``StaleDataError`` when another worker saved first."""

    __tablename__ = "qualification"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "thread_ts", name="uq_qualification_thread"),
        Index("ix_qualification_team_rep_status", "team_id", "rep_id", "status"),
    )
    __mapper_args__ = {"version_id_col": _QUALIFICATION_VERSION}

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    channel_id: str
    thread_ts: str
    card_ts: str | None = None
    question_ts: str | None = None
    """The ts of the last question posted in the thread, closed in place once answered."""
    question_key: str | None = None
    """The criterion that question asks."""
    held_answer: str | None = None
    """An answer typed while paused, applied when the qualification resumes."""
    thread_link: str | None = None
    """Slack's permalink of the card, asked for once the card is posted (None until then)."""
    rep_id: str
    framework: str
    language: str = "en"
    machine_state: str
    conversation: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    status: str = QualificationStatus.ACTIVE.value
    version: int = Field(default=1, sa_column=_QUALIFICATION_VERSION)
    started_at: datetime = _ts()
    finished_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()


# --- Answer --------------------------------------------------------------------------------------


class AnswerBase(SQLModel):
    criterion: str
    text: str = ""
    value: Any = _json()
    status: str
    knockout: bool = False
    answered_by: str | None = None


class AnswerCreate(AnswerBase):
    @classmethod
    def from_assessment(
        cls,
        criterion: str,
        assessment: Assessment,
        *,
        answered_by: str | None,
        text: str | None = None,
    ) -> AnswerCreate:
        """Build an answer from the engine's assessment of one criterion.

        Args:
            criterion: the criterion key.
            assessment: what the engine understood.
            answered_by: Slack user id of whoever answered.
            text: the rep's words; defaults to the assessment's evidence.

        Returns:
            The answer to pass to ``save_step``.
        """
        return cls(
            criterion=criterion,
            text=assessment.evidence if text is None else text,
            value=assessment.value,
            status=assessment.status.value,
            knockout=assessment.knockout,
            answered_by=answered_by,
        )


class Answer(AnswerBase, table=True):
    __tablename__ = "answer"
    __table_args__ = (Index("ix_answer_qualification_criterion", "qualification_id", "criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    qualification_id: int = Field(foreign_key="qualification.id")
    value: Any = _json()
    answered_at: datetime = _ts()
    superseded: bool = False


# --- Verdict -------------------------------------------------------------------------------------


class VerdictRecord(SQLModel, table=True):
    __tablename__ = "verdict_record"
    __table_args__ = (Index("ix_verdict_record_team_lead", "team_id", "lead_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    qualification_id: int = Field(foreign_key="qualification.id", index=True)
    lead_id: int = Field(foreign_key="lead.id")
    framework: str
    verdict: str
    score: int
    fit_score: int | None = None
    stage: str
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    gaps: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    flip: dict[str, Any] | None = _json()
    created_at: datetime = _ts()


# --- Handoff -------------------------------------------------------------------------------------


class Handoff(SQLModel, table=True):
    __tablename__ = "handoff"
    __table_args__ = (
        Index("ix_handoff_team_status", "team_id", "status"),
        Index("ix_handoff_status_sla", "status", "sla_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    lead_id: int = Field(foreign_key="lead.id")
    qualification_id: int | None = Field(default=None, foreign_key="qualification.id")
    alert_channel: str | None = None
    assignee_id: str | None = None
    alert_ts: str | None = None
    status: str = HandoffStatus.PENDING.value
    decided_by: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    routing_pool: str | None = None
    sla_due_at: datetime | None = _ts(nullable=True)
    escalations: int = 0
    created_at: datetime = _ts()
    decided_at: datetime | None = _ts(nullable=True)


# --- Outbox --------------------------------------------------------------------------------------


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key", name="uq_outbox_team_dedupe"),
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    dedupe_key: str
    method: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = OutboxStatus.PENDING.value
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    claimed_by: str | None = None
    claimed_until: datetime | None = _ts(nullable=True)
    last_error: str | None = None
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    result: dict[str, Any] | None = _json()


# --- Events and audit ----------------------------------------------------------------------------


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_event"

    team_id: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    received_at: datetime = _ts(index=True)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_team_lead", "team_id", "lead_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True)
    actor_id: str | None = None
    action: str
    lead_id: int | None = None
    qualification_id: int | None = None
    detail: dict[str, Any] | None = _json()
    created_at: datetime = _ts()


# --- Handoff workflow: routing, nurture ----------------------------------------------------------


_POINTER_VERSION = Column("version", Integer, nullable=False)


class RoutingPointer(SQLModel, table=True):
    """Where round-robin stands in one pool; ``version`` (the ORM's version counter, as on
    :class:`Qualification`) guards concurrent moves."""

    __tablename__ = "routing_pointer"
    __mapper_args__ = {"version_id_col": _POINTER_VERSION}

    team_id: str = Field(primary_key=True)
    pool: str = Field(primary_key=True)
    position: int = 0
    version: int = Field(default=0, sa_column=_POINTER_VERSION)
    updated_at: datetime = _ts()


class RoutingDecision(SQLModel, table=True):
    """Why a handoff went to whom: the rule that matched and the people skipped."""

    __tablename__ = "routing_decision"
    __table_args__ = (Index("ix_routing_decision_team_handoff", "team_id", "handoff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    handoff_id: int = Field(foreign_key="handoff.id")
    lead_id: int | None = None
    pool: str
    rule: str | None = None
    assignee_id: str | None = None
    reason: str
    detail: dict[str, Any] | None = _json()
    created_at: datetime = _ts()


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    REQUALIFIED = "requalified"
    CANCELLED = "cancelled"


class NurtureReminder(SQLModel, table=True):
    """A reminder to the owning rep to look at a warm or nurtured lead again."""

    __tablename__ = "nurture_reminder"
    __table_args__ = (
        UniqueConstraint("team_id", "qualification_id", name="uq_nurture_reminder_qualification"),
        Index("ix_nurture_reminder_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    lead_id: int = Field(foreign_key="lead.id")
    qualification_id: int = Field(foreign_key="qualification.id")
    rep_id: str
    verdict: str
    status: str = ReminderStatus.PENDING.value
    due_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()


# --- Engagement ----------------------------------------------------------------------------------


class EngagementEvent(SQLModel, table=True):
    """One engagement signal of a lead (newsletter reply, site revisit, pricing-page view...).

    Points are kept as given; the lead's score decays them by age when it is recomputed.
    """

    __tablename__ = "engagement_event"
    __table_args__ = (Index("ix_engagement_event_team_lead", "team_id", "lead_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    lead_id: int = Field(foreign_key="lead.id")
    type: str
    points: float
    occurred_at: datetime = _ts()
    created_at: datetime = _ts()


# --- Phrasebook ----------------------------------------------------------------------------------


class LearnedPhrase(SQLModel, table=True):
    """A reading a person chose for a phrase: the workspace's reader takes it before its rules.

    One row per phrase and topic in a workspace; a newer correction replaces the older.
    """

    __tablename__ = "learned_phrase"
    __table_args__ = (
        UniqueConstraint("team_id", "topic", "phrase", name="uq_learned_phrase_team_topic_phrase"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    topic: str
    phrase: str
    status: str
    value: Any = _json()
    created_by: str | None = None
    created_at: datetime = _ts()


class CrmLink(SQLModel, table=True):
    """A lead's record in a CRM (one per lead and vendor), found or created by the outbox.

    The id is what later writes address; the url is what the card, the alert and
    ``/lead status`` link to; ``details`` keeps what the CRM said about the company.
    """

    __tablename__ = "crm_link"
    __table_args__ = (
        UniqueConstraint("team_id", "lead_id", "vendor", name="uq_crm_link_team_lead_vendor"),
        Index("ix_crm_link_vendor_record", "vendor", "record_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    # An erased lead takes its link with it; the CRM record itself is the CRM's to keep.
    lead_id: int = Field(foreign_key="lead.id", ondelete="CASCADE")
    vendor: str
    record_id: str
    record_url: str | None = None
    details: Any = _json()
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


# --- Workspace settings --------------------------------------------------------------------------


class WorkspaceSetting(SQLModel, table=True):
    """What an admin or manager set in Slack for a workspace; a value left None keeps the
    team config's (or the environment's). One row per workspace."""

    __tablename__ = "workspace_setting"

    team_id: str = Field(primary_key=True)
    alert_channel: str | None = None
    manager_channel: str | None = None
    account_executives: Any = _json()  # user ids and group ids, as the config's people lists
    managers: Any = _json()
    default_framework: str | None = None
    language: str | None = None
    updated_by: str | None = None
    updated_at: datetime = _ts()


class VerdictFeedback(SQLModel, table=True):
    """One person's thumbs up or down on a verdict; a second click changes the vote."""

    __tablename__ = "verdict_feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "verdict_id", "user_id", name="uq_verdict_feedback_vote"),
        Index("ix_verdict_feedback_team_lead", "team_id", "lead_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    # An erased lead takes the votes on its verdicts with it.
    verdict_id: int = Field(foreign_key="verdict_record.id", ondelete="CASCADE")
    lead_id: int = Field(foreign_key="lead.id", ondelete="CASCADE")
    user_id: str
    right: bool
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class AssistantAsk(SQLModel, table=True):
    """What the bot asked in an assistant thread (the AI-app side panel) and waits to hear:
    a lead to qualify or a lead to tell the status of. Gone once the answer came."""

    __tablename__ = "assistant_ask"

    team_id: str = Field(primary_key=True)
    channel_id: str = Field(primary_key=True)
    thread_ts: str = Field(primary_key=True)
    user_id: str
    awaiting: str
    updated_at: datetime = _ts()


class WorkflowStepStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class WorkflowStep(SQLModel, table=True):
    """One run of one of the app's Workflow Builder steps (a ``function_executed`` event).

    A "Qualify a lead" step keeps running while its qualification does; it is completed (or
    failed) in the transaction of the step that reaches the verdict (or gives up).
    """

    __tablename__ = "workflow_step"
    __table_args__ = (
        UniqueConstraint("team_id", "function_execution_id", name="uq_workflow_step_execution"),
        Index("ix_workflow_step_qualification", "team_id", "qualification_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    function_execution_id: str
    callback_id: str
    qualification_id: int | None = None
    lead_id: int | None = None
    status: str = WorkflowStepStatus.RUNNING.value
    created_at: datetime = _ts()
    completed_at: datetime | None = _ts(nullable=True)


TABLES: tuple[type[SQLModel], ...] = (
    Lead,
    Qualification,
    Answer,
    VerdictRecord,
    Handoff,
    OutboxMessage,
    ProcessedEvent,
    AuditEvent,
    RoutingPointer,
    RoutingDecision,
    NurtureReminder,
    EngagementEvent,
    LearnedPhrase,
    CrmLink,
    WorkspaceSetting,
    VerdictFeedback,
    AssistantAsk,
    WorkflowStep,
)

TABLE_NAMES: frozenset[str] = frozenset(t.__tablename__ for t in TABLES)  # type: ignore[misc]
"""Our tables; migrations and schema checks ignore any other table sharing the database."""
