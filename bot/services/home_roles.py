"""What App Home shows each role besides the rep's own qualifications: the Qualify a lead
button, the handoffs waiting for an account executive with their SLA clocks, and a manager's
funnel and top reject reasons of the last 30 days."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlmodel import Session

from bot import blocks, qualify_view
from bot.permissions import Actor
from bot.rendering import Texts
from bot.services import reporting
from bot.services.context import Services
from storage import handoffs
from storage import leads as lead_store
from storage.reporting import FUNNEL_STAGES

HOME_PERIOD = "30d"


def role_blocks(
    services: Services, session: Session, t: Texts, *, team_id: str, actor: Actor
) -> list[dict[str, Any]]:
    """What ``actor``'s roles add to App Home: everyone may qualify a lead; account
    executives see what waits for them, managers the team's last 30 days."""
    found = rep_blocks(t)
    if actor.account_executive:
        found += executive_blocks(services, session, t, team_id=team_id, actor=actor)
    if actor.manager:
        found += manager_blocks(services, session, t, team_id=team_id)
    return found


def rep_blocks(t: Texts) -> list[dict[str, Any]]:
    """The Qualify a lead button (everyone may start a qualification)."""
    button = blocks.button(
        t("button_qualify_lead"), qualify_view.QUALIFY_OPEN_ACTION, "open", "primary"
    )
    return [{**blocks.section(t("home_qualify_hint")), "accessory": button}]


def executive_blocks(
    services: Services, session: Session, t: Texts, *, team_id: str, actor: Actor
) -> list[dict[str, Any]]:
    """The handoffs waiting for ``actor`` with what is left of their SLA (an account
    executive sees the unrouted ones too: any of them may take those)."""
    now = services.clock.now()
    lines = []
    for handoff in handoffs.waiting_for(
        session=session, team_id=team_id, user_id=actor.user_id, unassigned=True
    ):
        lead = lead_store.get_lead(session=session, team_id=team_id, lead_id=handoff.lead_id)
        minutes = overdue = None
        if handoff.sla_due_at is not None:
            due = handoff.sla_due_at.astimezone(UTC)
            left = int((due - now).total_seconds() // 60)
            minutes, overdue = abs(left), left < 0
        lines.append(
            t(
                "home_waiting_item",
                lead=lead.name if lead else "",
                minutes=minutes,
                overdue=overdue,
                channel=handoff.alert_channel or "",
            )
        )
    return [
        {"type": "divider"},
        blocks.section(t("home_waiting_heading")),
        blocks.section("\n".join(lines[:20]) if lines else t("home_waiting_none")),
    ]


def manager_blocks(
    services: Services, session: Session, t: Texts, *, team_id: str
) -> list[dict[str, Any]]:
    """The team funnel of the last 30 days and its commonest reject reasons."""
    now = services.clock.now()
    period = reporting.parse_period(HOME_PERIOD, now=now)
    report = reporting.build_report(session=session, team_id=team_id, period=period)
    total = report.total
    rates = list(total.rates.values())
    funnel = [
        t(
            "report_stage_line",
            stage=stage,
            count=total.counts[stage],
            rate=f"{100 * rates[i - 1]:.0f}%" if i and rates[i - 1] is not None else "",
        )
        for i, stage in enumerate(FUNNEL_STAGES)
    ]
    labels = dict(_reason_labels(services, t))
    reasons = [
        t(
            "home_reason_item",
            reason=labels.get(code, code) if code else t("home_reason_unclassified"),
            count=count,
        )
        for code, count in handoffs.top_reject_reasons(
            session=session, team_id=team_id, since=now - timedelta(days=30)
        )
    ]
    return [
        {"type": "divider"},
        blocks.section(t("home_funnel_heading") + "\n" + "\n".join(funnel)),
        blocks.section(
            t("home_reasons_heading") + "\n" + ("\n".join(reasons) or t("home_reasons_none"))
        ),
    ]


def _reason_labels(services: Services, t: Texts) -> list[tuple[str, str]]:
    return [
        (
            r.code,
            r.label.get(t.lang) or r.label.get("en") or t("reject_reason_label", code=r.code),
        )
        for r in services.config.reject_reasons
    ]
