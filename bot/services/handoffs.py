"""Hot-lead alerts and their handoff: accept, reject with a reason, one decision wins."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot import blocks
from bot.crm import outbox as crm_outbox
from bot.permissions import Action, Actor, Subject, permits, record_refusal
from bot.rendering import Texts, role_mentions
from bot.services import message_metadata, routing, webhook_events, workspace_settings
from bot.services.business_time import first_deadline
from bot.services.context import Services
from bot.services.handoff_brief import card_with_stage, handoff_brief
from bot.services.outbox_sender import DM_METHOD, META_KEY
from bot.services.replies import Outcome
from flows.model import Assessment, Framework, Stage, Status, Verdict, VerdictResult
from storage import handoffs, leads, outbox, qualifications, workflow
from storage.models import Handoff, HandoffStatus, LeadStage, OutboxMessage, Qualification

log = logging.getLogger(__name__)

ALERT_KIND = "alert"


def enqueue_alert(
    services: Services,
    session: Session,
    *,
    qualification: Qualification,
    lead_name: str,
    framework: Framework,
    verdict: VerdictResult,
) -> bool:
    """Create the handoff of a hot lead and queue its alert in the alert channel.

    Returns:
        Whether a message was queued (no alert channel configured: nothing to do).
    """
    channel = workspace_settings.effective(services, session, qualification.team_id).alert_channel
    if not channel:
        log.warning("hot lead without an alert channel (settings or SDRBOT_ALERT_CHANNEL)")
        return False
    assert qualification.id is not None
    handoff = handoffs.create_handoff(
        session=session,
        team_id=qualification.team_id,
        lead_id=qualification.lead_id,
        qualification_id=qualification.id,
        alert_channel=channel,
    )
    assert handoff.id is not None
    t = services.texts(qualification.language)
    routed = _route(services, session, handoff)
    body = blocks.alert_message(
        t,
        handoff_id=handoff.id,
        lead=lead_name,
        verdict=verdict,
        rep_id=qualification.rep_id,
        framework=framework,
        routed=who_may_act(
            services, session, t, handoff, rep_id=qualification.rep_id, routed=routed
        ),
        crm_link=crm_outbox.record_link(session, qualification.team_id, qualification.lead_id),
        brief=handoff_brief(services, session, qualification, verdict, framework),
    )
    outbox.enqueue(
        session=session,
        team_id=qualification.team_id,
        method="chat.postMessage",
        payload={
            "channel": channel,
            **body,
            "metadata": message_metadata.lead_qualified(
                lead_id=qualification.lead_id, qualification_id=qualification.id, verdict=verdict
            ),
            META_KEY: {"kind": ALERT_KIND, "handoff": handoff.id},
        },
        dedupe_key=alert_key(qualification.id),
    )
    return True


def alert_key(qualification_id: int | None) -> str:
    """The outbox key of a qualification's hot-lead alert."""
    return f"alert:qualification:{qualification_id}"


def _route(services: Services, session: Session, handoff: Handoff) -> str | None:
    """Pick the account executive of a new handoff and start its SLA clock."""
    lead = leads.get_lead(session=session, team_id=handoff.team_id, lead_id=handoff.lead_id)
    assert lead is not None and handoff.id is not None
    route = routing.choose(
        session,
        services.config,
        team_id=handoff.team_id,
        lead=lead,
        fallback=workspace_settings.effective(
            services, session, handoff.team_id
        ).people.account_executive_ids,
    )
    routing.record(session, handoff=handoff, route=route)
    handoffs.start_sla_clock(
        session=session,
        handoff=handoff,
        due_at=first_deadline(services.config, services.clock.now()),
    )
    return route.assignee


def after_outbox_send(
    session: Session, message: OutboxMessage, meta: dict[str, Any], result: dict[str, Any] | None
) -> None:
    """Remember where an alert landed so that its decision can update it."""
    if meta.get("kind") != ALERT_KIND or result is None or "ts" not in result:
        return
    handoff = handoffs.get_handoff(
        session=session, team_id=message.team_id, handoff_id=meta["handoff"]
    )
    if handoff is not None and not handoff.alert_ts:
        handoffs.set_handoff_alert(
            session=session,
            handoff=handoff,
            alert_channel=str(result.get("channel") or handoff.alert_channel),
            alert_ts=str(result["ts"]),
        )


def rebuild_verdict(session: Session, qualification: Qualification) -> VerdictResult | None:
    """The stored verdict of a qualification with the rep's answers as evidence."""
    record = qualifications.latest_verdict(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    if record is None:
        return None
    assert qualification.id is not None
    answers = qualifications.current_answers(
        session=session, team_id=qualification.team_id, qualification_id=qualification.id
    )
    criteria = {
        a.criterion: Assessment(status=Status(a.status), value=a.value, evidence=a.text)
        for a in answers
    }
    try:
        stage = Stage(record.stage)
    except ValueError:
        stage = Stage.SQL
    flip = record.flip or {}
    return VerdictResult(
        framework=record.framework,
        verdict=Verdict(record.verdict),
        score=record.score,
        stage=stage,
        criteria=criteria,
        gaps=tuple(record.gaps),
        flip=tuple(flip.get("criteria") or ()),
        flip_to=Verdict(flip["to"]) if flip.get("to") else None,
        fit_score=record.fit_score,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """A click or modal submission on a handoff."""

    team_id: str
    handoff_id: int
    user_id: str
    alert_channel: str | None = None
    alert_ts: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    # The decider's language (their Slack locale), asked before the transaction.
    language: str | None = None


@dataclass
class _Context:
    handoff: Handoff
    qualification: Qualification
    lead_name: str
    framework: Framework | None
    verdict: VerdictResult | None


def _load(services: Services, session: Session, decision: Decision) -> _Context | None:
    handoff = handoffs.get_handoff(
        session=session, team_id=decision.team_id, handoff_id=decision.handoff_id, for_update=True
    )
    if handoff is None or handoff.qualification_id is None:
        return None
    qualification = qualifications.get_qualification_by_id(
        session=session, team_id=decision.team_id, qualification_id=handoff.qualification_id
    )
    if qualification is None:
        return None
    _remember_alert(session, handoff, decision)
    lead = leads.get_lead(session=session, team_id=decision.team_id, lead_id=handoff.lead_id)
    framework = services.frameworks.get(qualification.framework)
    return _Context(
        handoff=handoff,
        qualification=qualification,
        lead_name=lead.name if lead else "",
        framework=framework,
        verdict=rebuild_verdict(session, qualification),
    )


def who_may_act(
    services: Services,
    session: Session,
    t: Texts,
    handoff: Handoff,
    *,
    rep_id: str,
    routed: str | None,
) -> str:
    """The alert's line on who may accept or reject it."""
    channel = pool_channel(services, session, handoff)
    if channel is not None:
        return t("alert_pool_channel", channel=channel, rep=rep_id)
    if routed:
        return t("alert_assigned", user=routed)
    executives = workspace_settings.effective(services, session, handoff.team_id).people
    return t("alert_unassigned", executives=role_mentions(executives.account_executives))


def pool_channel(services: Services, session: Session, handoff: Handoff) -> str | None:
    """The channel whose members decide ``handoff`` when the settings name no account
    executive (a first run); None when the account executives do."""
    settings = workspace_settings.effective(services, session, handoff.team_id)
    if settings.people.account_executives:
        return None
    return handoff.alert_channel or settings.alert_channel or None


def refuse_reason(
    services: Services, session: Session, decision: Decision, actor: Actor
) -> str | None:
    """Why ``decision`` cannot be taken (rendered line), or None when it may go ahead.

    Raises:
        RolesNeeded: The config alone does not allow it; ask Slack and check again.
    """
    handoff = handoffs.get_handoff(
        session=session, team_id=decision.team_id, handoff_id=decision.handoff_id
    )
    t = services.texts(_language(session, handoff, services))
    if handoff is None or handoff.qualification_id is None:
        return t("error_generic")
    qualification = qualifications.get_qualification_by_id(
        session=session, team_id=handoff.team_id, qualification_id=handoff.qualification_id
    )
    rep_id = qualification.rep_id if qualification else None
    channel = pool_channel(services, session, handoff)
    if not permits(Action.DECIDE_HANDOFF, actor, Subject(rep_id=rep_id, pool_channel=channel)):
        record_refusal(
            session,
            team_id=decision.team_id,
            actor=actor,
            action=Action.DECIDE_HANDOFF,
            lead_id=handoff.lead_id,
            qualification_id=handoff.qualification_id,
        )
        return t(
            "refused_decide_handoff",
            channel=channel,
            rep=rep_id,
            executives=role_mentions(
                workspace_settings.effective(
                    services, session, handoff.team_id
                ).people.account_executives
            ),
        )
    if handoff.status != HandoffStatus.PENDING.value:
        return t("already_decided", user=handoff.decided_by or "", status=handoff.status)
    return None


def _language(session: Session, handoff: Handoff | None, services: Services) -> str:
    if handoff is None:
        return services.team_language
    if handoff.qualification_id is not None:
        qualification = qualifications.get_qualification_by_id(
            session=session, team_id=handoff.team_id, qualification_id=handoff.qualification_id
        )
        if qualification is not None:
            return qualification.language
    return workspace_settings.effective(services, session, handoff.team_id).language


def decide(
    services: Services, session: Session, decision: Decision, status: str, actor: Actor
) -> Outcome:
    """Accept or reject a handoff in the caller's transaction; queue every resulting message.

    Args:
        services: Shared collaborators.
        session: The transaction.
        decision: Who decided what, where.
        status: ``accepted`` or ``rejected``.
        actor: The decider with their roles.

    Returns:
        Ephemeral notes to send directly; durable messages are in the outbox.
    """
    outcome = Outcome()
    refusal = refuse_reason(services, session, decision, actor)
    note_channel = (
        decision.alert_channel
        or workspace_settings.effective(services, session, decision.team_id).alert_channel
    )
    if refusal is not None:
        if note_channel:
            outcome.ephemeral(note_channel, decision.user_id, refusal)
        return outcome
    context = _load(services, session, decision)
    if context is None:
        return outcome
    handoff = context.handoff
    outcome_stage = _rejected_stage(services, decision)
    if not handoffs.decide_handoff(
        session=session,
        handoff=handoff,
        status=status,
        decided_by=decision.user_id,
        reason=decision.reason,
        reason_code=decision.reason_code,
        rejected_stage=outcome_stage,
    ):
        fresh = handoffs.get_handoff(
            session=session, team_id=decision.team_id, handoff_id=decision.handoff_id
        )
        t = services.texts(context.qualification.language)
        # A double click by the decider needs no note; anyone else learns who was first.
        if note_channel and fresh is not None and fresh.decided_by != decision.user_id:
            line = t("already_decided", user=fresh.decided_by or "", status=fresh.status)
            outcome.ephemeral(note_channel, decision.user_id, line)
        return outcome
    final_stage = LeadStage.SAL if status == HandoffStatus.ACCEPTED.value else outcome_stage
    webhook_events.emit_handoff_decision(services, session, handoff, context.lead_name, final_stage)
    crm_outbox.stage_decision(services, session, handoff, final_stage)
    _queue_decision_messages(services, session, context, decision, status, final_stage)
    if status == HandoffStatus.REJECTED.value and outcome_stage is LeadStage.NURTURE:
        _plan_nurture(services, session, context)
    outcome.outbox_enqueued = True
    return outcome


def _rejected_stage(services: Services, decision: Decision) -> LeadStage:
    if decision.reason_code is None:
        return LeadStage.NURTURE
    return LeadStage(services.config.reject_outcome(decision.reason_code))


def reason_line(services: Services, lang: str, decision: Decision) -> str:
    """The rejection reason as people read it: the menu label, then the rep's words."""
    parts = []
    if decision.reason_code:
        label = next(
            (
                r.label.get(lang) or r.label.get("en")
                for r in services.config.reject_reasons
                if r.code == decision.reason_code and r.label
            ),
            None,
        )
        t = services.texts(lang)
        parts.append(label or t("reject_reason_label", code=decision.reason_code))
    if decision.reason:
        parts.append(decision.reason)
    return ": ".join(parts)


def _plan_nurture(services: Services, session: Session, context: _Context) -> None:
    """A rejected hot lead in nurture gets a reminder like a warm one."""
    q = context.qualification
    assert q.id is not None
    days = services.config.nurture.remind_after_days.get("warm", 14)
    workflow.add_reminder(
        session=session,
        team_id=q.team_id,
        lead_id=q.lead_id,
        qualification_id=q.id,
        rep_id=q.rep_id,
        verdict="warm",
        due_at=services.clock.now() + timedelta(days=days),
    )


def _queue_decision_messages(
    services: Services,
    session: Session,
    context: _Context,
    decision: Decision,
    status: str,
    stage: LeadStage,
) -> None:
    q = context.qualification
    handoff = context.handoff
    t = services.texts(q.language)
    team = decision.team_id
    prefix = f"handoff:{handoff.id}:{status}"
    decided = message_metadata.handoff_decided(
        lead_id=handoff.lead_id,
        handoff_id=handoff.id or 0,
        decision=status,
        decided_by=decision.user_id,
        stage=stage.value,
        verdict=context.verdict,
    )

    def queue(kind: str, method: str, payload: dict[str, Any]) -> None:
        # Every message of the decision says so to workflows; the card keeps its own event.
        metadata = payload.get("metadata") or decided
        outbox.enqueue(
            session=session,
            team_id=team,
            method=method,
            payload={**payload, "metadata": metadata},
            dedupe_key=f"{prefix}:{kind}",
        )

    user = decision.user_id
    if status == HandoffStatus.ACCEPTED.value:
        decided_line = t("alert_accepted", user=user)
    else:
        decided_line = t(
            "alert_rejected", user=user, reason=reason_line(services, q.language, decision)
        )
    brief = (
        handoff_brief(services, session, q, context.verdict, context.framework)
        if context.verdict is not None
        else []
    )
    if handoff.alert_channel and handoff.alert_ts and context.verdict is not None:
        body = blocks.alert_message(
            t,
            handoff_id=handoff.id or 0,
            lead=context.lead_name,
            verdict=context.verdict,
            rep_id=q.rep_id,
            framework=context.framework,
            decided=decided_line,
            brief=brief,
        )
        queue(
            "alert",
            "chat.update",
            {"channel": handoff.alert_channel, "ts": handoff.alert_ts, **body},
        )
    if status == HandoffStatus.ACCEPTED.value:
        if context.verdict is not None:
            summary = blocks.handoff_message(
                t,
                lead=context.lead_name,
                verdict=context.verdict,
                framework=context.framework,
                accepter=user,
                brief=brief,
            )
            if handoff.alert_channel and handoff.alert_ts:
                queue(
                    "summary",
                    "chat.postMessage",
                    {"channel": handoff.alert_channel, "thread_ts": handoff.alert_ts, **summary},
                )
            # The accepter reads the handoff in their own language, the thread keeps its own.
            own_lang = decision.language or q.language
            mine = blocks.handoff_message(
                services.texts(own_lang),
                lead=context.lead_name,
                verdict=context.verdict,
                framework=context.framework,
                accepter=user,
                brief=handoff_brief(
                    services, session, q, context.verdict, context.framework, own_lang
                ),
            )
            queue("dm", DM_METHOD, {"user": user, **mine})
        # The rep hears of an accept as of a reject: in the thread and by DM.
        queue(
            "thread",
            "chat.postMessage",
            {
                "channel": q.channel_id,
                "thread_ts": q.thread_ts,
                **blocks.text_message(t("accepted_in_thread", user=user)),
            },
        )
        rep_line = t("accepted_rep_dm", lead=context.lead_name, user=user)
        queue("rep_dm", DM_METHOD, {"user": q.rep_id, **blocks.text_message(rep_line)})
        score = context.verdict.score if context.verdict else 0
        notice = services.texts()(
            "manager_notice", lead=context.lead_name, user=user, rep=q.rep_id, score=score
        )
    else:
        reason = reason_line(services, q.language, decision)
        outcome_word = _rejected_stage(services, decision).value
        queue(
            "thread",
            "chat.postMessage",
            {
                "channel": q.channel_id,
                "thread_ts": q.thread_ts,
                **blocks.text_message(
                    t("rejected_outcome_in_thread", user=user, reason=reason, outcome=outcome_word)
                ),
            },
        )
        rep_line = t(
            "rejected_rep_dm",
            lead=context.lead_name,
            user=user,
            reason=reason,
            outcome=outcome_word,
        )
        queue("rep_dm", DM_METHOD, {"user": q.rep_id, **blocks.text_message(rep_line)})
        notice = services.texts()(
            "manager_rejected_outcome",
            lead=context.lead_name,
            user=user,
            reason=reason_line(services, services.team_language, decision),
            outcome=outcome_word,
        )
    card = card_with_stage(services, session, q, context.lead_name, context.verdict)
    if card is not None:
        if context.verdict is not None:
            card["metadata"] = message_metadata.lead_qualified(
                lead_id=q.lead_id, qualification_id=q.id, verdict=context.verdict, stage=stage.value
            )
        queue("card", "chat.update", {"channel": q.channel_id, "ts": q.card_ts, **card})
    manager_channel = workspace_settings.effective(
        services, session, context.handoff.team_id
    ).manager_channel
    if manager_channel:
        queue(
            "manager",
            "chat.postMessage",
            {"channel": manager_channel, **blocks.text_message(notice)},
        )


def prepare_reject(
    services: Services, session: Session, decision: Decision, actor: Actor
) -> tuple[str | None, str, str]:
    """Check a Reject click before its modal opens, and remember where the alert is.

    Returns:
        ``(refusal line or None, language of the qualification, the lead's name)``.
    """
    refusal = refuse_reason(services, session, decision, actor)
    handoff = handoffs.get_handoff(
        session=session, team_id=decision.team_id, handoff_id=decision.handoff_id
    )
    lead_name = ""
    if refusal is None and handoff is not None:
        _remember_alert(session, handoff, decision)
        lead = leads.get_lead(session=session, team_id=handoff.team_id, lead_id=handoff.lead_id)
        lead_name = lead.name if lead else ""
    return refusal, _language(session, handoff, services), lead_name


def _remember_alert(session: Session, handoff: Handoff, decision: Decision) -> None:
    """Where the clicked alert is, if the outbox has not recorded it yet.

    A click proves the post: an alert whose send's outcome is still unknown (a timeout, a
    sender that died) is sent, and no check of Slack's history may miss it and post it again.
    """
    if decision.alert_ts and not handoff.alert_ts:
        channel = decision.alert_channel or handoff.alert_channel or ""
        handoffs.set_handoff_alert(
            session=session, handoff=handoff, alert_channel=channel, alert_ts=decision.alert_ts
        )
        outbox.mark_posted(
            session=session,
            team_id=handoff.team_id,
            dedupe_key=alert_key(handoff.qualification_id),
            result={"ts": decision.alert_ts, "channel": channel},
        )
