"""A workspace removing the app (``app_uninstalled``) or its tokens (``tokens_revoked``)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.services import installs
from bot.services.context import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the uninstall listeners (an app installed in many workspaces only)."""

    @app.event("app_uninstalled")
    async def on_uninstalled(context: AsyncBoltContext) -> None:
        await installs.uninstalled(
            services, team_id=context.team_id or "", enterprise_id=context.enterprise_id
        )

    @app.event("tokens_revoked")
    async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        tokens = event.get("tokens") or {}
        await installs.tokens_revoked(
            services,
            team_id=context.team_id or "",
            enterprise_id=context.enterprise_id,
            bots=[str(b) for b in tokens.get("bot") or []],
            users=[str(u) for u in tokens.get("oauth") or []],
        )
