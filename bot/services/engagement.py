"""Engagement points that fade with time, and the MQL announcement when a lead crosses the bar.

A lead's engagement score is the sum of its events' points, each halved for every half-life
that has passed since it happened. When an event lifts the score from below the MQL threshold
to at least the threshold, the lead's owner (or the manager channel) is told once, through the
outbox, with a "Qualify now" button.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot import blocks
from bot.config import Engagement
from bot.permissions import Action, Actor, Subject, permits, record_refusal
from bot.rendering import Texts
from bot.services.outbox_sender import DM_METHOD
from storage import engagement as store
from storage import leads, outbox, qualifications

if TYPE_CHECKING:
    from bot.services.context import Services

log = logging.getLogger(__name__)


def decayed_points(
    points: float, occurred_at: datetime, now: datetime, half_life_days: float
) -> float:
    """What ``points`` earned at ``occurred_at`` are worth at ``now``.

    An event from the future (a clock a little ahead of ours) counts in full, never more.
    """
    age_days = max(0.0, (now - occurred_at).total_seconds() / 86_400)
    return points * math.pow(0.5, age_days / half_life_days)


def engagement_score(
    events: Iterable[tuple[float, datetime]], now: datetime, half_life_days: float
) -> float:
    """The sum of every ``(points, occurred_at)`` decayed to ``now``."""
    return sum(decayed_points(p, at, now, half_life_days) for p, at in events)


@dataclass(frozen=True, slots=True)
class EventInput:
    """A validated engagement event to record."""

    type: str
    points: float
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Recorded:
    """The result of recording an event.

    Attributes:
        event_id: the stored event.
        score: the lead's engagement score now, after the event.
        previous: the score the lead had now without this event.
        announced: whether this event crossed the MQL threshold and queued the announcement.
    """

    event_id: int
    score: float
    previous: float
    announced: bool


def record_event(
    session: Session,
    *,
    team_id: str,
    lead_id: int,
    event: EventInput,
    config: Engagement,
    now: datetime,
    texts: Texts,
    manager_channel: str | None,
) -> Recorded | None:
    """Store an event, recompute the lead's score and announce a fresh MQL, in one transaction.

    Args:
        session: the transaction.
        team_id: the lead's team.
        lead_id: the lead.
        event: what happened.
        config: points, half-life and threshold.
        now: the time the score is computed for.
        texts: wording of the announcement.
        manager_channel: where an announcement goes for a lead without owner.

    Returns:
        What was recorded, or None when the team has no such lead.
    """
    lead = store.lock_lead(session=session, team_id=team_id, lead_id=lead_id)
    if lead is None or lead.id is None:
        return None
    history = [
        (e.points, e.occurred_at)
        for e in store.lead_events(session=session, team_id=team_id, lead_id=lead.id)
    ]
    previous = engagement_score(history, now, config.half_life_days)
    stored = store.add_event(
        session=session,
        team_id=team_id,
        lead_id=lead.id,
        event_type=event.type,
        points=event.points,
        occurred_at=event.occurred_at,
    )
    score = previous + decayed_points(event.points, event.occurred_at, now, config.half_life_days)
    crossed = previous < config.mql_threshold <= score
    store.store_score(session=session, lead=lead, points=round(score), mql=crossed)
    announced = False
    if crossed:
        body = blocks.mql_message(
            texts,
            lead_id=lead.id,
            lead=lead.name,
            score=round(score),
            threshold=round(config.mql_threshold),
            owner_id=lead.owner_id,
        )
        announced = _queue_announcement(
            session, team_id=team_id, lead_id=lead.id, owner_id=lead.owner_id,
            manager_channel=manager_channel, body=body,
        )  # fmt: skip
    assert stored.id is not None
    return Recorded(event_id=stored.id, score=score, previous=previous, announced=announced)


def _queue_announcement(
    session: Session,
    *,
    team_id: str,
    lead_id: int,
    owner_id: str | None,
    manager_channel: str | None,
    body: dict[str, Any],
) -> bool:
    # One announcement per lead, ever: the dedupe key holds even if two workers race past the
    # lock (or the score dips and climbs again), so the owner is never told twice.
    key = f"engagement:mql:lead:{lead_id}"
    if owner_id:
        method, payload = DM_METHOD, {"user": owner_id, **body}
    elif manager_channel:
        method, payload = "chat.postMessage", {"channel": manager_channel, **body}
    else:
        log.warning("lead %s became an MQL but has no owner and no manager channel", lead_id)
        return False
    row = outbox.enqueue(
        session=session, team_id=team_id, method=method, payload=payload, dedupe_key=key
    )
    return row is not None


async def qualify_now(
    services: Services,
    *,
    team_id: str,
    user_id: str,
    lead_id: int,
    channel_id: str,
    config: Engagement,
) -> str | None:
    """Start the qualification of an announced lead, as ``/qualify`` would.

    The card goes to ``engagement.qualify_channel`` when configured, else to the channel of
    the click (the owner's DM or the manager channel); the clicker becomes the rep.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        user_id: Who clicked "Qualify now".
        lead_id: The announced lead.
        channel_id: Where the button was clicked.
        config: The engagement settings.

    Returns:
        A line to tell the clicker when nothing was started, else None.
    """
    from bot.services import qualify
    from bot.services.replies import deliver

    t = services.texts(await services.language_of(team_id, user_id))

    def check(session: Session, actor: Actor) -> tuple[str | None, str]:
        lead = leads.get_lead(session=session, team_id=team_id, lead_id=lead_id)
        if lead is None:
            return t("qualify_now_unknown"), ""
        # A lead nobody owns is anyone's to start; an owned one is its owner's (or managers').
        action = Action.REQUALIFY if lead.owner_id else Action.START
        if not permits(action, actor, Subject(owner_id=lead.owner_id)):
            record_refusal(session, team_id=team_id, actor=actor, action=action, lead_id=lead.id)
            return t("qualify_now_not_owner", rep=lead.owner_id), lead.name
        if qualifications.open_qualification(session=session, team_id=team_id, lead_id=lead_id):
            return t("qualify_now_busy", lead=lead.name), lead.name
        return None, lead.name

    refusal, name = await services.transaction_as(team_id, user_id, check)
    if refusal is not None:
        return refusal
    framework = "bant" if "bant" in services.frameworks else next(iter(services.frameworks))
    card = await qualify.start(
        services,
        team_id=team_id,
        channel_id=config.qualify_channel or channel_id,
        user_id=user_id,
        request=qualify.QualifyRequest(lead=name, framework=framework),
        tell={"channel": channel_id, "user": user_id},
    )
    # The card goes out after the click was answered.
    services.background.spawn(deliver(services, card, team_id=team_id))
    return None
