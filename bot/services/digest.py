"""The managers' daily digest: new hot leads, accepted, rejected with reasons, overdue."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from sqlmodel import Session

from bot import blocks
from bot.services import workspace_settings
from bot.services.context import Services
from storage import outbox, workflow


def digest_channels(services: Services, session: Session, team_id: str) -> tuple[str, ...]:
    """Where digests go: the configured channels, else the workspace's manager channel."""
    configured = services.config.digest.channels
    if configured:
        return configured
    manager_channel = workspace_settings.effective(services, session, team_id).manager_channel
    return (manager_channel,) if manager_channel else ()


def send_digests(services: Services, session: Session, now: datetime) -> int:
    """Queue today's digest per team and channel once the configured hour has come.

    The outbox dedupe key carries the calendar date, so the digest goes out once a day however
    many workers tick and however often.

    Args:
        services: Shared collaborators.
        session: The transaction.
        now: The current time.

    Returns:
        How many digests were queued.
    """
    zone = services.config.business_hours.zone
    local = now.astimezone(zone)
    if local.hour < services.config.digest.hour:
        return 0
    until = datetime.combine(local.date(), time(services.config.digest.hour), zone)
    since = until - timedelta(days=1)
    queued = 0
    t = services.texts()
    for team_id in workflow.active_teams(session=session):
        for channel in digest_channels(services, session, team_id):
            key = f"digest:{channel}:{local.date().isoformat()}"
            if outbox.is_queued(session=session, team_id=team_id, dedupe_key=key):
                continue
            figures = workflow.digest_figures(
                session=session, team_id=team_id, since=since, until=until
            )
            lines = [
                t(
                    "digest_counts",
                    new_hot=figures.new_hot,
                    accepted=figures.accepted,
                    rejected=len(figures.rejected),
                    overdue=figures.overdue,
                )
            ]
            reasons = Counter(
                t("reject_reason_label", code=code) if code else (text or "—")
                for code, text in figures.rejected
            )
            lines += [
                t("digest_reject_line", reason=reason, count=count)
                for reason, count in reasons.most_common(20)
            ]
            heading = t("digest_heading", date=local.date().isoformat())
            body = blocks.message(
                heading, [blocks.section(heading), blocks.section("\n".join(lines))]
            )
            queued += (
                outbox.enqueue(
                    session=session,
                    team_id=team_id,
                    method="chat.postMessage",
                    payload={"channel": channel, **body},
                    dedupe_key=key,
                )
                is not None
            )
    return queued
