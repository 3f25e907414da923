"""``/lead status|list|help|won|lost`` and the App Home tab."""

from __future__ import annotations

import shlex

from sqlmodel import Session

from bot import blocks, settings_view
from bot.crm import outbox as crm_outbox
from bot.permissions import Action, Actor, RolesNeeded, Subject, permits, record_refusal
from bot.rendering import Texts
from bot.services import adapter, home_roles, outcomes, workspace_settings
from bot.services.context import Services
from flows.model import criterion_title
from storage import events, handoffs, outbox, phrases, qualifications
from storage import leads as lead_store
from storage.models import Lead

_VERDICT_FILTERS = ("hot", "warm", "cold")
_LIST_LIMIT = 20


def lead_command(
    services: Services,
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    text: str,
    lang: str | None = None,
) -> str:
    """Answer a ``/lead`` command with one ephemeral text.

    Args:
        services: Shared collaborators.
        session: The command's transaction.
        team_id: Workspace id.
        actor: Who asked, with their roles (``list mine``, and who may see or change what).
        text: The command text.
        lang: The asker's language; the team's when None.

    Returns:
        The reply, in ``lang``.

    Raises:
        RolesNeeded: The config alone does not allow it; ask Slack and run it again.
    """
    user_id = actor.user_id
    t = services.texts(lang)
    sub, _, rest = " ".join(text.split()).partition(" ")
    sub = sub.casefold()
    if sub in ("", "help", "hilfe"):
        return t("lead_help")
    if sub == "status":
        if not rest:
            return t("lead_status_usage")
        lookup = lead_store.find_lead(session=session, team_id=team_id, query=rest)
        if lookup.lead is None:
            return t("lead_unknown", query=rest, suggestions=lookup.suggestions)
        lead = lookup.lead
        if not permits(Action.VIEW_LEAD, actor, lead_subject(session, team_id, lead)):
            _refuse(session, team_id, actor, Action.VIEW_LEAD, lead)
            return t("refused_view_lead", owner=lead.owner_id)
        assert lead.id is not None
        crm_link = crm_outbox.record_link(session, team_id, lead.id)
        return t(
            "lead_status",
            name=lead.name,
            stage=lead.stage,
            verdict=lead.verdict,
            score=lead.score,
            owner=lead.owner_id,
            updated=lead.updated_at.strftime("%Y-%m-%d %H:%M UTC") if lead.updated_at else "",
        ) + (f"\n{t('crm_link', url=crm_link[0], crm=crm_link[1])}" if crm_link else "")
    if sub in ("list", "liste"):
        word = rest.casefold().strip()
        verdict = word if word in _VERDICT_FILTERS else None
        owner = user_id if word in ("mine", "meine") else None
        leads = lead_store.list_leads(
            session=session,
            team_id=team_id,
            verdict=verdict,
            owner_id=owner,
            visible_to=_visible_to(session, team_id, actor),
            limit=_LIST_LIMIT,
        )
        heading = t("lead_list_heading", filter="mine" if owner else verdict)
        if not leads:
            return heading + "\n" + t("lead_list_empty")
        lines = [
            t("lead_list_item", name=x.name, stage=x.stage, verdict=x.verdict, score=x.score)
            for x in leads
        ]
        return "\n".join([heading, *lines])
    result = outcomes.parse_result(sub)
    if result is not None:
        return _outcome(
            services, session, t, team_id=team_id, actor=actor, result=result, rest=rest
        )
    return t("lead_usage")


def lead_subject(session: Session, team_id: str, lead: Lead) -> Subject:
    """What decides who may see or change ``lead``: its owner, who accepted it, its channels."""
    assert lead.id is not None
    return Subject(
        owner_id=lead.owner_id,
        accepted_by=handoffs.accepted_by(session=session, team_id=team_id, lead_id=lead.id),
        channels=lead_store.qualified_channels(session=session, team_id=team_id, lead_id=lead.id),
    )


def _visible_to(session: Session, team_id: str, actor: Actor) -> tuple[str, frozenset[str]] | None:
    """None when ``actor`` sees every lead; else whose and which channels' leads they see."""
    try:
        if permits(Action.VIEW_LEAD, actor):
            return None
    except RolesNeeded:
        raise RolesNeeded(lead_store.qualified_channels(session=session, team_id=team_id)) from None
    return actor.user_id, actor.channels


def _refuse(session: Session, team_id: str, actor: Actor, action: Action, lead: Lead) -> None:
    record_refusal(session, team_id=team_id, actor=actor, action=action, lead_id=lead.id)


def split_lead_and_reason(
    session: Session, team_id: str, rest: str
) -> tuple[Lead | None, str, list[str]]:
    """Find the lead named at the start of ``rest``; what follows is the reason.

    A quoted name is taken as it is; otherwise the longest run of leading words that names a
    lead wins, so ``Acme Corp price too high`` finds *Acme Corp* without quotes.

    Returns:
        The lead (or None), the reason text, and name suggestions when nothing matched.
    """
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    if not words:
        return None, "", []
    quoted = rest.lstrip()[:1] in ("'", '"')
    candidates = [1] if quoted else range(len(words), 0, -1)
    for size in candidates:
        lookup = lead_store.find_lead(
            session=session, team_id=team_id, query=" ".join(words[:size])
        )
        if lookup.lead is not None:
            return lookup.lead, " ".join(words[size:]), []
    first = lead_store.find_lead(session=session, team_id=team_id, query=words[0])
    return None, "", first.suggestions


def _outcome(
    services: Services,
    session: Session,
    t: Texts,
    *,
    team_id: str,
    actor: Actor,
    result: outcomes.Result,
    rest: str,
) -> str:
    if not rest.strip():
        return t("outcome_usage")
    lead, reason, suggestions = split_lead_and_reason(session, team_id, rest)
    if lead is None:
        return t("lead_unknown", query=rest, suggestions=suggestions)
    subject = lead_subject(session, team_id, lead)
    if not permits(Action.RECORD_OUTCOME, actor, subject):
        _refuse(session, team_id, actor, Action.RECORD_OUTCOME, lead)
        return t("refused_record_outcome", owner=lead.owner_id, accepter=subject.accepted_by)
    if result is outcomes.Result.LOST and not reason:
        return t("outcome_usage")
    recorded = outcomes.record_outcome(
        session=session,
        team_id=team_id,
        lead=lead,
        result=result,
        reason=reason or None,
        actor_id=actor.user_id,
        webhook_targets=services.config.webhooks,
        crm=crm_outbox.vendors(services),
    )
    return t(
        "outcome_recorded",
        name=recorded.name,
        outcome=recorded.result.value,
        reason=recorded.reason,
    )


def home_view(services: Services, session: Session, *, team_id: str, actor: Actor) -> dict:
    """The App Home view of ``actor``: open qualifications and recent hot leads; for managers
    also failed deliveries and the learned phrases.

    Raises:
        RolesNeeded: The config alone does not say whether ``actor`` is a manager.
    """
    user_id = actor.user_id
    t = services.texts(workspace_settings.effective(services, session, team_id).language)
    open_lines = []
    for q in qualifications.active_qualifications(session=session, team_id=team_id, rep_id=user_id)[
        :40
    ]:
        lead = lead_store.get_lead(session=session, team_id=team_id, lead_id=q.lead_id)
        framework = services.frameworks.get(q.framework)
        conversation = adapter.load_conversation(q.conversation)
        open_lines.append(
            t(
                "home_open_item",
                lead=lead.name if lead else "",
                framework=framework.name if framework else q.framework,
                answered=adapter.answered_count(conversation),
                total=len(framework.criteria) if framework else 0,
                channel=q.channel_id,
                status=q.status,
            )
        )
    hot_lines = [
        t("home_hot_item", lead=lead.name, score=lead.score or 0, stage=lead.stage)
        for lead in lead_store.recent_hot_leads(session=session, team_id=team_id, limit=10)
    ]
    phrase_lines = None
    failed_lines = []
    if permits(Action.REVIEW_WORKSPACE, actor):
        # A message that failed for good is kept; managers see it here until it is fixed.
        failed_lines = [
            t(
                "home_failed_item",
                method=message.method,
                target=str(
                    message.payload.get("channel")
                    or message.payload.get("user")
                    or message.payload.get("target")  # a CRM write names its CRM
                    or "?"
                ),
                error=(message.last_error or "")[:200],
                created=f"{message.created_at:%Y-%m-%d %H:%M} UTC",
            )
            for message in outbox.failed_messages(session=session, team_id=team_id)
        ]
        phrase_lines = [
            (
                row.id,
                t(
                    "home_phrase_item",
                    phrase=row.phrase,
                    topic=_topic_title(services, row.topic, t.lang),
                    status=row.status,
                    user=row.created_by,
                    day=row.created_at.strftime("%Y-%m-%d"),
                ),
            )
            for row in reversed(phrases.list_phrases(session=session, team_id=team_id))
            if row.id is not None
        ]
    role_blocks = home_roles.role_blocks(services, session, t, team_id=team_id, actor=actor)
    settings_blocks: list[dict] = []
    settings_first = False
    if permits(Action.SETTINGS, actor):
        current = workspace_settings.effective(services, session, team_id)
        settings_blocks = settings_view.home_settings_blocks(t, current)
        settings_first = not current.configured
    return blocks.home_view(
        t,
        open_lines=open_lines,
        hot_lines=hot_lines,
        phrase_lines=phrase_lines,
        failed_lines=failed_lines,
        role_blocks=role_blocks,
        settings_blocks=settings_blocks,
        settings_first=settings_first,
    )


def _topic_title(services: Services, topic: str, lang: str) -> str:
    """The name of a phrasebook topic: a criterion's concept (``budget``) or its key."""
    for framework in services.frameworks.values():
        for criterion in framework.criteria:
            if topic in (criterion.concept, criterion.key):
                return criterion.title(lang)
    return criterion_title(None, topic, lang)


def remove_phrase(
    services: Services, session: Session, *, team_id: str, actor: Actor, phrase_id: int
) -> dict | None:
    """A manager's Remove on App Home: drop the learned phrase and return the Home view again.

    Returns:
        The refreshed view, or None when ``actor`` is no manager (nothing is removed).
    """
    if not permits(Action.REVIEW_WORKSPACE, actor):
        record_refusal(session, team_id=team_id, actor=actor, action=Action.REVIEW_WORKSPACE)
        return None
    if phrases.prune_phrases(session=session, team_id=team_id, ids=[phrase_id]):
        events.record_audit(
            session=session,
            team_id=team_id,
            actor_id=actor.user_id,
            action="phrasebook.remove",
            detail={"phrase_ids": [phrase_id], "removed": 1},
        )
    return home_view(services, session, team_id=team_id, actor=actor)
