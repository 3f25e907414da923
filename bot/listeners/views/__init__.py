"""Modal submissions: the reason of a rejected handoff."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import blocks
from bot.services import handoffs
from bot.services.context import Services
from bot.services.outcome import deliver


def rejection_reason(view: dict[str, Any]) -> str:
    """The reason typed into the reject modal (empty when missing)."""
    values = (view.get("state") or {}).get("values") or {}
    field = (values.get(blocks.REJECT_BLOCK) or {}).get(blocks.REJECT_INPUT) or {}
    return str(field.get("value") or "").strip()


def register(app: AsyncApp, services: Services) -> None:
    """Register the view submission listeners."""

    @app.view(blocks.REJECT_CALLBACK)
    async def on_reject(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        reason = rejection_reason(view)
        if not reason:
            await ack(
                response_action="errors",
                errors={blocks.REJECT_BLOCK: services.texts()("reject_reason_required")},
            )
            return
        await ack()
        try:
            handoff_id = int(view.get("private_metadata") or "")
        except ValueError:
            return
        decision = handoffs.Decision(
            team_id=str((body.get("team") or {}).get("id") or ""),
            handoff_id=handoff_id,
            user_id=str((body.get("user") or {}).get("id") or ""),
            reason=reason,
        )
        outcome = await services.transaction(
            lambda session: handoffs.decide(services, session, decision, "rejected")
        )
        services.background.spawn(deliver(services, outcome))
