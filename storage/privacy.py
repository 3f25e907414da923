"""A lead's personal data: find it, copy it out (an access request), erase it (an erasure
request).

Erasure keeps every row that a count depends on (lead, qualifications, answers' criteria and
statuses, verdicts, handoffs) so the funnel and the back-tests stay right, and empties every
field that holds what a person said or who the lead is. Plain functions with a keyword-only
``session``; none commits.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from flows.phrasebook import phrase_key
from storage.leads import normalize_domain
from storage.models import (
    Answer,
    AuditEvent,
    EngagementEvent,
    Handoff,
    Lead,
    LearnedPhrase,
    OutboxMessage,
    OutboxStatus,
    Qualification,
    name_key,
    utcnow,
)

ERASED_PREFIX = "erased lead "
"""A lead's name after its erasure: this prefix and its id (no personal data)."""
ERASED_ERROR = "erased before it was sent"
"""``last_error`` of a queued message that was withdrawn because it quoted an erased lead."""
REDACTION_KEY_PREFIX = "privacy:redact:"
"""Dedupe key prefix of the redactions an erasure queues; they quote nothing and are never
withdrawn by a repeated erasure."""
ERASED_KEY = "erased_lead"
"""Payload key of a queued or sent message emptied by an erasure: the lead's id, so that a
repeated erasure finds the posts again."""
_MIN_ANSWER_NEEDLE = 8  # shorter answers ("yes", "Q3") would match unrelated messages
_POSTS = ("chat.postMessage", "chat.update", "sdrbot.dm")


def pseudonym(lead_id: int) -> str:
    """The name an erased lead keeps, e.g. ``erased lead 42``."""
    return f"{ERASED_PREFIX}{lead_id}"


def is_erased(lead: Lead) -> bool:
    """Whether the lead was erased already."""
    return lead.id is not None and lead.name == pseudonym(lead.id)


def matching_leads(*, session: Session, team_id: str, query: str) -> list[Lead]:
    """Every lead ``query`` may mean: an exact name, else an email or domain, else a part of a
    name. An erasure must not guess between several."""
    text = " ".join(query.split())
    if not text:
        return []
    exact = select(Lead).where(Lead.team_id == team_id, Lead.name_key == name_key(text))
    found = list(session.scalars(exact))
    if found:
        return found
    lowered = text.casefold()
    by_contact = select(Lead).where(
        Lead.team_id == team_id,
        or_(Lead.email == lowered, Lead.domain == normalize_domain(text)),
    )
    found = list(session.scalars(by_contact.order_by(Lead.id)))
    if found:
        return found
    escaped = name_key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    partial = select(Lead).where(
        Lead.team_id == team_id, Lead.name_key.like(f"%{escaped}%", escape="\\")
    )
    return list(session.scalars(partial.order_by(Lead.id).limit(20)))


def qualifications_of(session: Session, team_id: str, lead_id: int) -> list[Qualification]:
    """The lead's qualifications, oldest first."""
    statement = select(Qualification).where(
        Qualification.team_id == team_id, Qualification.lead_id == lead_id
    )
    return list(session.scalars(statement.order_by(Qualification.id)))


def handoffs_of(session: Session, team_id: str, lead_id: int) -> list[Handoff]:
    """The lead's handoffs, oldest first."""
    statement = select(Handoff).where(Handoff.team_id == team_id, Handoff.lead_id == lead_id)
    return list(session.scalars(statement.order_by(Handoff.id)))


def rows_of(session: Session, model: Any, team_id: str, *conditions: Any) -> list[Any]:
    """The team's rows of ``model`` that meet ``conditions``, by id."""
    statement = select(model).where(model.team_id == team_id, *conditions).order_by(model.id)
    return list(session.scalars(statement))


@dataclass
class Footprint:
    """Where a lead shows: its threads and alerts, and the words that name or quote it."""

    lead_id: int
    threads: set[tuple[str, str]] = field(default_factory=set)
    needles: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Whole words only: erasing "Acme" leaves the messages about "Acmeware" alone.
        alternatives = "|".join(re.escape(needle) for needle in self.needles)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else None

    def quoted_in(self, payload: dict[str, Any], result: dict[str, Any] | None) -> bool:
        """Whether an outbox message (its payload, and where Slack put it) is about the lead."""
        if payload.get(ERASED_KEY) == self.lead_id:  # emptied by an earlier erasure
            return True
        channel = str(payload.get("channel") or "")
        for ts_key in ("ts", "thread_ts"):
            if (channel, str(payload.get(ts_key) or "")) in self.threads:
                return True
        if result and (str(result.get("channel")), str(result.get("ts"))) in self.threads:
            return True
        if self._pattern is None:
            return False
        text = html.unescape(json.dumps(payload, ensure_ascii=False)).casefold()
        return self._pattern.search(text) is not None


def footprint_of(
    lead: Lead, qualifications: list[Qualification], handoffs: list[Handoff], answers: list[Answer]
) -> Footprint:
    """Where the lead shows in the outbox: its threads and alerts, its name and contact, and the
    answers and reasons long enough not to match unrelated messages."""
    threads = {(q.channel_id, ts) for q in qualifications for ts in (q.thread_ts, q.card_ts) if ts}
    threads |= {(h.alert_channel, h.alert_ts) for h in handoffs if h.alert_channel and h.alert_ts}
    words = [lead.name, lead.company, lead.email, lead.domain]
    words += [a.text for a in answers if len(a.text or "") >= _MIN_ANSWER_NEEDLE]
    words += [h.reason for h in handoffs if h.reason and len(h.reason) >= _MIN_ANSWER_NEEDLE]
    if lead.id is not None and is_erased(lead):
        words = words[1:]  # the pseudonym names no one
    needles = sorted({" ".join(w.split()).casefold() for w in words if w and len(w) >= 3})
    assert lead.id is not None
    return Footprint(lead.id, threads, needles)


def quoting_messages(session: Session, team_id: str, footprint: Footprint) -> list[int]:
    """Ids of the team's outbox messages about the lead (the erasure's redactions left out)."""
    statement = (
        select(OutboxMessage.id, OutboxMessage.payload, OutboxMessage.result)
        .where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.dedupe_key.not_like(f"{REDACTION_KEY_PREFIX}%"),  # type: ignore[attr-defined]
        )
        .order_by(OutboxMessage.id)
        .execution_options(yield_per=500)
    )
    return [
        message_id
        for message_id, payload, result in session.execute(statement)
        if footprint.quoted_in(payload or {}, result)
    ]


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure changed: rows per table, and the bot's Slack posts that quoted the lead
    (``(channel, ts)``, to be redacted in Slack)."""

    lead_id: int
    rows: dict[str, int]
    slack_posts: list[tuple[str, str]]
    in_flight: int = 0
    """Posts about the lead a sender was making at that moment: Slack may show them after the
    erasure; running it again (by id) redacts them."""


def erase_lead(*, session: Session, team_id: str, lead: Lead) -> Erasure:
    """Delete or pseudonymise every row holding the lead's personal data. Safe to repeat.

    Args:
        session: the caller's transaction.
        team_id: Slack team id.
        lead: the lead to erase.

    Returns:
        What changed; ``slack_posts`` lists every post of the bot about the lead that Slack
        shows (a repeat lists them again: their redaction is keyed, so it is queued once).
    """
    assert lead.id is not None
    qualifications = qualifications_of(session, team_id, lead.id)
    handoffs = handoffs_of(session, team_id, lead.id)
    q_ids = [q.id for q in qualifications]
    answers = rows_of(session, Answer, team_id, Answer.qualification_id.in_(q_ids))  # type: ignore[attr-defined]
    footprint = footprint_of(lead, qualifications, handoffs, answers)
    rows: dict[str, int] = {}

    phrases = {phrase_key(a.text) for a in answers if a.text}
    if phrases:
        gone = session.execute(
            delete(LearnedPhrase).where(
                LearnedPhrase.team_id == team_id,
                LearnedPhrase.phrase.in_(phrases),  # type: ignore[attr-defined]
            )
        )
        rows["learned_phrase"] = gone.rowcount or 0
    for answer in answers:
        answer.text, answer.value = "", None
    rows["answer"] = len(answers)
    for qualification in qualifications:
        qualification.conversation = without_words(qualification.conversation or {})
    rows["qualification"] = len(qualifications)
    for handoff in handoffs:
        handoff.reason = None
    rows["handoff"] = len(handoffs)
    audit = rows_of(session, AuditEvent, team_id, AuditEvent.lead_id == lead.id)
    for event in audit:
        if event.detail and "reason" in event.detail:
            event.detail = {**event.detail, "reason": None}
    engagement = session.execute(
        delete(EngagementEvent).where(
            EngagementEvent.team_id == team_id, EngagementEvent.lead_id == lead.id
        )
    )
    rows["engagement_event"] = engagement.rowcount or 0

    posts: list[tuple[str, str]] = []
    in_flight = 0
    message_ids = quoting_messages(session, team_id, footprint)
    for message in rows_of(session, OutboxMessage, team_id, OutboxMessage.id.in_(message_ids)):  # type: ignore[union-attr]
        posts.extend(_shown_at(message))
        message.payload = {"channel": message.payload.get("channel"), ERASED_KEY: lead.id}
        message.result = _where(message.result)
        if message.status == OutboxStatus.PENDING.value:
            message.status, message.last_error = OutboxStatus.FAILED.value, ERASED_ERROR
        elif message.status == OutboxStatus.SENDING.value and message.method in _POSTS:
            in_flight += 1
    rows["outbox_message"] = len(message_ids)

    lead.name = pseudonym(lead.id)
    lead.name_key = name_key(lead.name)
    lead.company = lead.email = lead.domain = None
    lead.industry = lead.region = None
    lead.employees = None
    lead.revenue = None
    lead.updated_at = utcnow()
    rows["lead"] = 1
    session.flush()
    return Erasure(lead.id, rows, list(dict.fromkeys(posts)), in_flight)


def _where(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if not result:
        return result
    return {k: result[k] for k in ("channel", "ts") if k in result}


def _shown_at(message: OutboxMessage) -> Iterable[tuple[str, str]]:
    """Where Slack shows a post or update that was sent (a webhook delivery shows nowhere)."""
    if message.status != OutboxStatus.SENT.value or message.method not in _POSTS:
        return []
    result = message.result or {}
    payload = message.payload or {}
    channel = result.get("channel") or payload.get("channel")
    ts = result.get("ts") or payload.get("ts")
    return [(str(channel), str(ts))] if channel and ts else []


def without_words(conversation: dict[str, Any]) -> dict[str, Any]:
    """The conversation with every reading's words and values emptied; its state is kept, so
    a thread that is still open answers as before."""

    def blank(reading: Any) -> Any:
        if not isinstance(reading, dict):
            return reading
        return {**reading, "value": None, "evidence": "", "span": ""}

    cleaned = dict(conversation)
    if isinstance(cleaned.get("answers"), dict):
        cleaned["answers"] = {k: blank(v) for k, v in cleaned["answers"].items()}
    if cleaned.get("pending") is not None:
        cleaned["pending"] = blank(cleaned["pending"])
    return cleaned
