"""A qualification stored before its card is posted, and its thread key once the card is up.

A qualification is keyed by its thread, the ts of its card, which Slack assigns only when the
card is posted; the card is an outbox message staged in the same transaction as the
qualification and posted after the commit. Until it is, the row holds a placeholder key and the
status ``starting``, which no list, check or report counts.

Plain functions taking a keyword-only ``session``; none of them commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, update
from sqlmodel import Session

from storage.models import Qualification, QualificationStatus, utcnow

PLACEHOLDER_PREFIX = "starting:"
"""Thread key of a qualification whose card is not posted yet (Slack's ts are digits)."""


_QUALIFICATIONS = Qualification.__table__
_REMEMBER_QUESTION = (
    update(_QUALIFICATIONS)
    .where(
        _QUALIFICATIONS.c.id == bindparam("of_qualification"),
        _QUALIFICATIONS.c.team_id == bindparam("of_team"),
    )
    .values(question_ts=bindparam("ts"), question_key=bindparam("key"))
)
"""Built once, on the table: every posted question runs it (see :func:`remember_question`)."""
_REMEMBER_THREAD_LINK = (
    update(_QUALIFICATIONS)
    .where(
        _QUALIFICATIONS.c.id == bindparam("of_qualification"),
        _QUALIFICATIONS.c.team_id == bindparam("of_team"),
    )
    .values(thread_link=bindparam("link"))
)


def placeholder_thread() -> str:
    """A thread key no Slack message has, unique per qualification."""
    return f"{PLACEHOLDER_PREFIX}{uuid.uuid4().hex}"


def waiting(*, session: Session, team_id: str, qualification_id: int) -> Qualification | None:
    """The qualification, row-locked, while it waits for its card; else None."""
    qualification = session.get(Qualification, qualification_id, with_for_update=True)
    if qualification is None or qualification.team_id != team_id:
        return None
    if qualification.status != QualificationStatus.STARTING.value:
        return None
    return qualification


def attach_card(
    *,
    session: Session,
    qualification: Qualification,
    channel_id: str,
    card_ts: str,
    thread_ts: str | None = None,
) -> None:
    """Key a waiting qualification (:func:`waiting`) by its thread and make it active.

    The thread is the card's own, or (``thread_ts``) the thread the card was posted in.
    """
    qualification.channel_id = channel_id
    qualification.thread_ts = thread_ts or card_ts
    qualification.card_ts = card_ts
    qualification.status = QualificationStatus.ACTIVE.value
    qualification.updated_at = utcnow()
    session.flush()


def give_up(*, session: Session, qualification: Qualification) -> None:
    """Cancel a waiting qualification (:func:`waiting`) whose card could not be posted."""
    now = utcnow()
    qualification.status = QualificationStatus.CANCELLED.value
    qualification.updated_at = now
    qualification.finished_at = now
    session.flush()


def remember_question(
    *, session: Session, team_id: str, qualification_id: int, criterion: str, question_ts: str
) -> None:
    """Note the posted question of a thread, so that its answer can close it in place.

    Written with an UPDATE that leaves the version alone: this runs in the outbox's
    transaction and must not make a step that loaded the row before it fail as stale.
    """
    parameters = {
        "of_qualification": qualification_id,
        "of_team": team_id,
        "ts": question_ts,
        "key": criterion,
    }
    session.execute(_REMEMBER_QUESTION, parameters)


def hold_answer(*, session: Session, qualification: Qualification, text: str | None) -> None:
    """Keep an answer typed while paused for the resume (``None`` once it was applied)."""
    qualification.held_answer = text
    qualification.updated_at = utcnow()
    session.flush()


def remember_thread_link(
    *, session: Session, team_id: str, qualification_id: int, link: str
) -> None:
    """Keep Slack's permalink of a thread's card; like :func:`remember_question`, written
    without touching the version, as it runs in the outbox's transaction."""
    parameters = {"of_qualification": qualification_id, "of_team": team_id, "link": link}
    session.execute(_REMEMBER_THREAD_LINK, parameters)
