"""``/lead status|list|help`` and the App Home tab."""

from __future__ import annotations

from sqlmodel import Session

from bot import blocks
from bot.services import adapter
from bot.services.context import Services
from storage import repo

_VERDICT_FILTERS = ("hot", "warm", "cold")
_LIST_LIMIT = 20


def lead_command(
    services: Services, session: Session, *, team_id: str, user_id: str, text: str
) -> str:
    """Answer a ``/lead`` command with one ephemeral text.

    Args:
        services: Shared collaborators.
        session: A read transaction.
        team_id: Workspace id.
        user_id: Who asked (for ``list mine``).
        text: The command text.

    Returns:
        The reply, in the configured language.
    """
    t = services.texts()
    sub, _, rest = " ".join(text.split()).partition(" ")
    sub = sub.casefold()
    if sub in ("", "help", "hilfe"):
        return t("lead_help")
    if sub == "status":
        if not rest:
            return t("lead_status_usage")
        lookup = repo.find_lead(session=session, team_id=team_id, query=rest)
        if lookup.lead is None:
            return t("lead_unknown", query=rest, suggestions=lookup.suggestions)
        lead = lookup.lead
        return t(
            "lead_status",
            name=lead.name,
            stage=lead.stage,
            verdict=lead.verdict,
            score=lead.score,
            owner=lead.owner_id,
            updated=lead.updated_at.strftime("%Y-%m-%d %H:%M UTC") if lead.updated_at else "",
        )
    if sub in ("list", "liste"):
        word = rest.casefold().strip()
        verdict = word if word in _VERDICT_FILTERS else None
        owner = user_id if word in ("mine", "meine") else None
        leads = repo.list_leads(
            session=session, team_id=team_id, verdict=verdict, owner_id=owner, limit=_LIST_LIMIT
        )
        heading = t("lead_list_heading", filter="mine" if owner else verdict)
        if not leads:
            return heading + "\n" + t("lead_list_empty")
        lines = [
            t("lead_list_item", name=x.name, stage=x.stage, verdict=x.verdict, score=x.score)
            for x in leads
        ]
        return "\n".join([heading, *lines])
    return t("lead_usage")


def home_view(services: Services, session: Session, *, team_id: str, user_id: str) -> dict:
    """The App Home view of ``user_id``: open qualifications and recent hot leads."""
    t = services.texts()
    open_lines = []
    for q in repo.active_qualifications(session=session, team_id=team_id, rep_id=user_id)[:40]:
        lead = repo.get_lead(session=session, team_id=team_id, lead_id=q.lead_id)
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
        for lead in repo.recent_hot_leads(session=session, team_id=team_id, limit=10)
    ]
    return blocks.home_view(t, open_lines=open_lines, hot_lines=hot_lines)
