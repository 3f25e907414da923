"""A durable outbox for Slack calls that must not be lost (alerts, handoffs, reminders).

Messages are written in the same transaction as the state change that causes them, then
claimed by a sender under a lease. A sender that dies leaves its lease to expire and another
one picks the message up again, so delivery is at least once and never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, insert, null, or_, select, update
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import OutboxMessage, OutboxStatus, utcnow

OUTCOME_UNKNOWN = "outcome unknown"
"""Starts ``last_error`` of a message whose last attempt may have reached Slack (a timeout, a
5xx, a sender that died mid-send): it is checked against Slack before it is sent again."""
ATTEMPT_KEY = "unknown"
"""Key in ``result`` of the seconds ``[start, end]`` of an attempt whose outcome is unknown;
``end`` is None (up to whenever Slack is read) unless a read left the rest of a longer span."""

_MAX_ERROR_CHARS = 2000
_IN_FLIGHT = (OutboxStatus.SENDING.value, OutboxStatus.PENDING.value)

# The statements every sent message runs, built once on the table: a statement built anew
# costs its construction and its cache key on every call, and one on the mapped class goes
# through the ORM's bulk-update bookkeeping, which these rows (never loaded into a session
# that writes them) do not need. Parameters go by name in each call.
_OUTBOX = OutboxMessage.__table__
_STAGE = insert(_OUTBOX).returning(_OUTBOX.c.id, _OUTBOX.c.dedupe_key)
_MARK_ATTEMPTING = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id == bindparam("message_id"),
        _OUTBOX.c.status == OutboxStatus.SENDING.value,
        _OUTBOX.c.claimed_by == bindparam("worker_id"),
    )
    .values(result=bindparam("attempt"))
)
_SENT_VALUES = {
    "status": OutboxStatus.SENT.value,
    "claimed_by": None,
    "claimed_until": None,
    "sent_at": bindparam("sent_time"),
    "result": bindparam("answer"),
    "last_error": None,
}
_IN_FLIGHT_ROW = (_OUTBOX.c.id == bindparam("message_id"), _OUTBOX.c.status.in_(_IN_FLIGHT))
_MARK_SENT = update(_OUTBOX).where(*_IN_FLIGHT_ROW).values(_SENT_VALUES)
_MARK_POSTED = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.team_id == bindparam("team"),
        _OUTBOX.c.dedupe_key == bindparam("key"),
        _OUTBOX.c.status.in_(_IN_FLIGHT),
    )
    .values(_SENT_VALUES)
)
_MARK_SENT_BY = (
    update(_OUTBOX)
    .where(*_IN_FLIGHT_ROW, _OUTBOX.c.claimed_by == bindparam("worker_id"))
    .values(_SENT_VALUES)
)


def enqueue(
    *,
    session: Session,
    team_id: str,
    method: str,
    payload: dict[str, Any],
    dedupe_key: str,
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Queue a Web API call, once per ``(team_id, dedupe_key)``.

    Args:
        session: the caller's session; the message commits with the caller's transaction.
        team_id: Slack team id.
        method: Web API method, e.g. ``chat.postMessage``.
        payload: its arguments.
        dedupe_key: a key naming the message's purpose, e.g. ``alert:lead:42``.
        not_before: earliest send time; default now.

    Returns:
        The new message, or None when one with this key was queued before.
    """
    now = utcnow()
    statement = (
        insert_or_ignore(session, OutboxMessage, unique=["team_id", "dedupe_key"])
        .values(
            team_id=team_id,
            method=method,
            payload=payload,
            dedupe_key=dedupe_key,
            next_attempt_at=now if not_before is None else not_before,
            created_at=now,
        )
        .returning(OutboxMessage)
    )
    return session.scalars(statement).first()


def is_queued(*, session: Session, team_id: str, dedupe_key: str) -> bool:
    """Whether a message with this key was ever queued for the team (sent or not)."""
    statement = select(OutboxMessage.id).where(
        OutboxMessage.team_id == team_id, OutboxMessage.dedupe_key == dedupe_key
    )
    return session.scalar(statement) is not None


def mark_posted(*, session: Session, team_id: str, dedupe_key: str, result: dict[str, Any]) -> bool:
    """Record as sent a post that Slack is known to hold, by other news than its send's answer
    (someone clicked a button on it), so that no sender checks for it or posts it again.

    A sender still holding the message finds it no longer in flight: it makes no call
    (:func:`mark_attempting` fails) and its own mark changes nothing.

    Returns:
        Whether the message was still in flight.
    """
    parameters = {
        "team": team_id,
        "key": dedupe_key,
        "sent_time": utcnow(),
        "answer": result,
    }
    return session.execute(_MARK_POSTED, parameters).rowcount == 1  # type: ignore[attr-defined]


def enqueue_claimed_many(
    *,
    session: Session,
    team_id: str,
    calls: Sequence[tuple[str, dict[str, Any], str]],
    worker_id: str,
    now: datetime,
    lease_seconds: float,
) -> list[int]:
    """Queue several Web API calls that the caller sends itself right after its commit.

    The rows start claimed by ``worker_id`` (status ``sending``) so no other sender takes them
    while the caller posts them; should the caller die first, the lease runs out and any sender
    delivers them. A conversation step stages its question and its card update together.

    Args:
        session: the caller's session; the messages commit with the caller's transaction.
        team_id: Slack team id.
        calls: ``(method, payload, dedupe_key)`` per call; the keys must be unique in the team.
        worker_id: the sender that will post them.
        now: the current time (aware).
        lease_seconds: how long others leave them alone.

    Returns:
        The new message ids, in the order of ``calls``.
    """
    if not calls:
        return []
    claimed_until = now + timedelta(seconds=lease_seconds)
    rows = [
        {
            "team_id": team_id,
            "method": method,
            "payload": payload,
            "dedupe_key": dedupe_key,
            "status": OutboxStatus.SENDING.value,
            "next_attempt_at": now,
            "claimed_by": worker_id,
            "claimed_until": claimed_until,
            "created_at": now,
        }
        for method, payload, dedupe_key in calls
    ]
    # One multi-row INSERT; each id is matched to its call by the call's unique key, as
    # RETURNING does not promise the order of the rows.
    ids = dict((key, message_id) for message_id, key in session.execute(_STAGE, rows))
    return [ids[dedupe_key] for _, _, dedupe_key in calls]


_DUE_NOW = or_(
    and_(
        OutboxMessage.status == OutboxStatus.PENDING.value,
        OutboxMessage.next_attempt_at <= bindparam("now"),
    ),
    and_(
        OutboxMessage.status == OutboxStatus.SENDING.value,
        OutboxMessage.claimed_until < bindparam("now"),
    ),
)


def _due(*conditions: Any) -> Any:
    return (
        select(OutboxMessage.id)
        .where(*conditions)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)
    )


# Built once: every sender asks for due messages each second and whenever it is woken.
_DUE = _due(_DUE_NOW)
_DUE_IN_TEAM = _due(OutboxMessage.team_id == bindparam("team_id"), _DUE_NOW)


def claim_due(
    *,
    session: Session,
    worker_id: str,
    now: datetime,
    limit: int = 20,
    lease_seconds: float = 30,
    team_id: str | None = None,
) -> list[OutboxMessage]:
    """Claim messages that are due, or whose sender's lease ran out, for ``worker_id``.

    On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED`` so concurrent
    senders take disjoint sets; on SQLite the write transaction is exclusive anyway.
    Commit promptly after claiming so the lease becomes visible to other senders.

    Args:
        session: a session; commit right after.
        worker_id: name of the claiming sender.
        now: the current time (aware).
        limit: most messages to claim.
        lease_seconds: how long the claim holds before others may take the message.
        team_id: only this team's messages; None for a sender serving every team.

    Returns:
        The claimed messages, oldest due first, now in status ``sending``. A message taken
        over from an expired lease has its ``attempts`` raised by one.
    """
    candidates = _DUE if team_id is None else _DUE_IN_TEAM
    ids = list(session.scalars(candidates, {"now": now, "limit": limit, "team_id": team_id}))
    if not ids:
        return []
    claim = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(
            status=OutboxStatus.SENDING.value,
            claimed_by=worker_id,
            claimed_until=now + timedelta(seconds=lease_seconds),
            # A lease that ran out means its holder died: that claim counts as an attempt.
            # Whether it may have reached Slack is in ``result`` (see mark_attempting): only
            # then is the message checked before it is sent again.
            attempts=OutboxMessage.attempts
            + case((OutboxMessage.status == OutboxStatus.SENDING.value, 1), else_=0),
            last_error=case(
                (
                    OutboxMessage.status == OutboxStatus.SENDING.value,
                    "its sender stopped before recording the result",
                ),
                else_=OutboxMessage.last_error,
            ),
        )
        .returning(OutboxMessage)
    )
    claimed = list(
        session.scalars(
            claim, execution_options={"synchronize_session": False, "populate_existing": True}
        )
    )
    return sorted(claimed, key=lambda m: (m.next_attempt_at, m.id or 0))


def attempt_mark(since: float) -> dict[str, Any]:
    """The ``result`` of a message whose last attempt may have posted from ``since`` on."""
    return {ATTEMPT_KEY: [since, None]}


def mark_attempting(*, session: Session, message_id: int, worker_id: str, since: float) -> bool:
    """Record that an attempt is about to start, before the call, by the claim's holder.

    A sender that dies during the call leaves this mark: whoever takes the message over
    checks Slack for a copy made since ``since``. A message without the mark was never tried
    since its last known outcome and is simply sent. The mark replaces the seconds of an
    earlier uncertain attempt, which the caller has just checked.

    Args:
        session: a session; commit before making the call.
        message_id: the message.
        worker_id: the sender holding the claim.
        since: epoch seconds from which a copy made by this attempt may be dated.

    Returns:
        False when the claim is no longer this sender's (do not make the call).
    """
    parameters = {"message_id": message_id, "worker_id": worker_id, "attempt": attempt_mark(since)}
    return session.execute(_MARK_ATTEMPTING, parameters).rowcount == 1  # type: ignore[attr-defined]


def mark_sent(
    *,
    session: Session,
    message_id: int,
    result: dict[str, Any] | None,
    worker_id: str | None = None,
) -> bool:
    """Record a successful send and what Slack answered (e.g. the message ``ts``).

    Args:
        session: a session.
        message_id: the message.
        result: Slack's answer worth keeping.
        worker_id: when given, only the holder of the claim may mark it.

    Returns:
        False when the message was not in flight (already sent, or claimed by another sender).
    """
    parameters = {
        "message_id": message_id,
        "worker_id": worker_id,
        "sent_time": utcnow(),
        # SQL NULL, as a ``None`` in ``values()`` writes, not the JSON text ``null``.
        "answer": null() if result is None else result,
    }
    statement = _MARK_SENT if worker_id is None else _MARK_SENT_BY
    return session.execute(statement, parameters).rowcount == 1  # type: ignore[attr-defined]


def mark_failed(
    *,
    session: Session,
    message_id: int,
    error: str,
    retry_at: datetime | None,
    worker_id: str | None = None,
    result: dict[str, Any] | None = None,
    count_attempt: bool = True,
) -> bool:
    """Record a failed send: retry at ``retry_at``, or fail for good when it is None.

    A permanently failed message stays in the table with its last error for inspection.

    Args:
        session: a session.
        message_id: the message.
        error: what went wrong.
        retry_at: when to try again; None for a permanent failure.
        worker_id: when given, only the holder of the claim may mark it.
        result: what the sender keeps for its next attempt (e.g. when an attempt whose
            outcome is unknown was made).
        count_attempt: False when nothing was sent (a check of an earlier attempt that must
            wait), so the backoff of the next send does not grow.

    Returns:
        False when the message was not in flight.
    """
    values: dict[str, Any] = {
        "attempts": _OUTBOX.c.attempts + (1 if count_attempt else 0),
        "last_error": error[:_MAX_ERROR_CHARS],
        "result": result,
    }
    if retry_at is None:
        values["status"] = OutboxStatus.FAILED.value
    else:
        values["status"] = OutboxStatus.PENDING.value
        values["next_attempt_at"] = retry_at
    return _finish(session, message_id, worker_id, **values)


def release(*, session: Session, message_ids: Sequence[int], at: datetime, worker_id: str) -> int:
    """Hand claimed messages back unsent, due at ``at``; their attempts and errors stay.

    A sender does this for the messages queued behind one that must wait (a rate limit, a
    retry), so that they keep their order and nobody holds them meanwhile.

    Args:
        session: a session.
        message_ids: the messages.
        at: when they are due again.
        worker_id: only this sender's claims are released.

    Returns:
        How many were released.
    """
    if not message_ids:
        return 0
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(list(message_ids)),
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.claimed_by == worker_id,
        )
        .values(
            status=OutboxStatus.PENDING.value,
            next_attempt_at=at,
            claimed_by=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def failed_messages(*, session: Session, team_id: str, limit: int = 10) -> list[OutboxMessage]:
    """The team's messages that failed for good, newest first (shown to managers).

    Args:
        session: a session.
        team_id: Slack team id.
        limit: most messages returned.

    Returns:
        The failed messages with their last error.
    """
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.status == OutboxStatus.FAILED.value,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _finish(session: Session, message_id: int, worker_id: str | None, **values: Any) -> bool:
    condition = [_OUTBOX.c.id == message_id, _OUTBOX.c.status.in_(_IN_FLIGHT)]
    if worker_id is not None:
        condition.append(_OUTBOX.c.claimed_by == worker_id)
    statement = (
        update(_OUTBOX).where(*condition).values(claimed_by=None, claimed_until=None, **values)
    )
    return session.execute(statement).rowcount == 1  # type: ignore[attr-defined]


def retry_delay(
    attempts: int,
    *,
    base_seconds: float = 2.0,
    cap_seconds: float = 300.0,
) -> timedelta:
    """Exponential backoff for the next try after ``attempts`` failures.

    Args:
        attempts: failures so far (0 for the first retry).
        base_seconds: delay of the first retry (Slack's ``Retry-After`` after a 429).
        cap_seconds: longest delay.

    Returns:
        How long to wait.
    """
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts)))


def next_retry_at(message: OutboxMessage, now: datetime) -> datetime:
    """When to retry ``message`` after a transient failure.

    There is no last attempt: an outage ends, and a lost alert does not come back, so the
    delay grows to its cap and stays there until Slack takes the message or refuses it for
    good.

    Args:
        message: the message that just failed (``attempts`` not yet counting this failure).
        now: the current time.

    Returns:
        The retry time to pass to :func:`mark_failed`.
    """
    return now + retry_delay(message.attempts)


def get_message(*, session: Session, message_id: int) -> OutboxMessage | None:
    """Load one outbox message by id, fresh from the database."""
    return session.get(OutboxMessage, message_id, populate_existing=True)
