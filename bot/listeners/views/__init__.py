"""Modal submissions: the structured reason of a rejected handoff."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import blocks
from bot.rendering import Texts
from bot.services import handoffs
from bot.services.context import Services
from bot.services.replies import deliver
from bot.services.turns import row_id


def rejection_reason(view: dict[str, Any]) -> str:
    """The reason typed into the reject modal (empty when missing)."""
    values = (view.get("state") or {}).get("values") or {}
    field = (values.get(blocks.REJECT_BLOCK) or {}).get(blocks.REJECT_INPUT) or {}
    return str(field.get("value") or "").strip()


def rejection_code(view: dict[str, Any]) -> str | None:
    """The reason picked in the reject modal's menu (None when the modal has no menu)."""
    values = (view.get("state") or {}).get("values") or {}
    field = (values.get(blocks.REJECT_CODE_BLOCK) or {}).get(blocks.REJECT_CODE_INPUT) or {}
    option = field.get("selected_option") or {}
    return str(option["value"]) if option.get("value") else None


def rejection_errors(view: dict[str, Any], t: Texts) -> dict[str, str]:
    """What the reject modal must fix before it is accepted (empty when fine).

    Either a reason from the menu or words are needed; "other" needs words. Words alone are
    taken too (as an unclassified reason), so a modal opened before the menu existed works.
    """
    code = rejection_code(view)
    text = rejection_reason(view)
    if code is None and not text:
        return {blocks.REJECT_CODE_BLOCK: t("reject_reason_required")}
    if code == "other" and not text:
        return {blocks.REJECT_BLOCK: t("reject_text_required")}
    return {}


def register(app: AsyncApp, services: Services) -> None:
    """Register the view submission listeners."""

    @app.view(blocks.REJECT_CALLBACK)
    async def on_reject(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id = str((body.get("team") or {}).get("id") or "")
        user_id = str((body.get("user") or {}).get("id") or "")
        language = await services.language_of(team_id, user_id)
        errors = rejection_errors(view, services.texts(language))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        reason = rejection_reason(view) or None
        handoff_id = row_id(view.get("private_metadata"))
        if handoff_id is None:
            await ack()
            return
        decision = handoffs.Decision(
            team_id=team_id,
            handoff_id=handoff_id,
            user_id=user_id,
            reason=reason,
            reason_code=rejection_code(view),
            language=language,
        )
        outcome = await services.transaction_as(
            decision.team_id,
            decision.user_id,
            lambda session, actor: handoffs.decide(services, session, decision, "rejected", actor),
        )
        # The modal closes once the decision is stored; a failed transaction keeps it open.
        await ack()
        services.background.spawn(deliver(services, outcome, team_id=team_id))
