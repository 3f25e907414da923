"""``/lead erase <lead>`` in Slack: a manager confirms, the lead is erased.

The command answers with an ephemeral confirmation whose button asks once more in Slack's own
confirm dialog; the click erases in one transaction (``bot.services.privacy.erase``), which
stages the redactions in the outbox. Everyone else gets a refusal that names the managers.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from bot import blocks
from bot.permissions import Action, Actor, permits, record_refusal
from bot.rendering import Texts, role_mentions
from bot.services import privacy
from bot.services.context import Services
from bot.services.replies import Outcome, deliver
from bot.services.turns import row_id

ERASE_WORDS = frozenset({"erase", "löschen", "loeschen"})
"""Sub-commands of ``/lead`` that start an erasure."""
_BY_ID = re.compile(r"^#(\d{1,12})$")


def _refusal(services: Services, session: Session, t: Texts, team_id: str, actor: Actor) -> str:
    record_refusal(session, team_id=team_id, actor=actor, action=Action.ERASE)
    return t("erase_not_manager", managers=role_mentions(services.config.people.managers))


def confirmation(t: Texts, *, name: str, lead_id: int) -> dict[str, Any]:
    """The ephemeral question with its Erase button (and Slack's confirm dialog on it)."""
    button = blocks.button(t("erase_button"), privacy.ERASE_ACTION, str(lead_id), style="danger")
    button["confirm"] = {
        "title": blocks.plain(t("erase_dialog_title"), 100),
        "text": blocks.plain(t("erase_dialog_text", id=lead_id), 300),
        "confirm": blocks.plain(t("erase_dialog_confirm"), 30),
        "deny": blocks.plain(t("erase_dialog_deny"), 30),
        "style": "danger",
    }
    text = t("erase_confirm", name=name, id=lead_id)
    return blocks.message(text, [blocks.section(text), {"type": "actions", "elements": [button]}])


def erase_command(
    services: Services,
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    query: str,
    lang: str | None = None,
) -> dict[str, Any]:
    """Answer ``/lead erase <query>``: the confirmation, or why there is none, in ``lang``
    (the team's when None).

    Returns:
        The ephemeral message body (``text``, and ``blocks`` for the confirmation).
    """
    t = services.texts(lang)
    if not permits(Action.ERASE, actor):
        return {"text": _refusal(services, session, t, team_id, actor)}
    query = " ".join(query.split())
    if not query:
        return {"text": t("erase_usage")}
    by_id = _BY_ID.match(query)
    found = privacy.find(
        session,
        team_id=team_id,
        query=query,
        lead_id=int(by_id.group(1)) if by_id else None,
    )
    if found.lead is None or found.lead.id is None:
        if found.several:
            ids = [lead.id for lead in found.several]
            names = [lead.name for lead in found.several]
            return {"text": t("erase_several", query=query, ids=ids, names=names)}
        return {"text": t("lead_unknown", query=query, suggestions=[])}
    return confirmation(t, name=found.lead.name, lead_id=found.lead.id)


def erase_clicked(
    services: Services, session: Session, *, team_id: str, actor: Actor, value: str
) -> str:
    """A click on Erase: erase the lead when a manager clicked. Returns the line to show."""
    t = services.texts()
    if not permits(Action.ERASE, actor):
        return _refusal(services, session, t, team_id, actor)
    lead_id = row_id(value)
    found = privacy.find(session, team_id=team_id, query="", lead_id=lead_id)
    if found.lead is None:
        return t("erase_gone")
    erasure = privacy.erase(
        session,
        team_id=team_id,
        lead=found.lead,
        actor_id=actor.user_id,
        config=services.config,
        texts=t,
    )
    return t("erase_done", id=erasure.lead_id, posts=len(erasure.slack_posts))


async def on_erase_click(services: Services, body: dict[str, Any], action: dict[str, Any]) -> None:
    """Run the click's transaction, then tell the clicker and let the outbox redact."""
    team_id = str((body.get("team") or {}).get("id") or "")
    user_id = str((body.get("user") or {}).get("id") or "")
    channel = str(
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or ""
    )
    line = await services.transaction_as(
        team_id,
        user_id,
        lambda session, actor: erase_clicked(
            services, session, team_id=team_id, actor=actor, value=str(action.get("value") or "")
        ),
    )
    services.wake_outbox()
    outcome = Outcome()
    if channel:
        outcome.ephemeral(channel, user_id, line)
    services.background.spawn(deliver(services, outcome, team_id=team_id))
