"""App Home's Qualify a lead: the button opens the modal, its Start runs ``/qualify``'s path."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError

from bot import qualify_view
from bot.services import qualify, workspace_settings
from bot.services.context import Services
from bot.services.replies import deliver

log = logging.getLogger(__name__)


def _ids(body: dict[str, Any]) -> tuple[str, str]:
    team_id = str((body.get("team") or {}).get("id") or "")
    return team_id, str((body.get("user") or {}).get("id") or "")


def register(app: AsyncApp, services: Services) -> None:
    """Register the Qualify a lead button and its modal."""

    @app.action(qualify_view.QUALIFY_OPEN_ACTION)
    async def on_open(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        team_id, _user_id = _ids(body)
        trigger_id = str(body.get("trigger_id") or "")
        if not trigger_id:
            return  # Slack sends one with every click; without it no modal can open
        current = await services.transaction(
            lambda session: workspace_settings.effective(services, session, team_id)
        )
        modal = qualify_view.qualify_modal(
            services.texts(current.language),
            frameworks={key: f.name for key, f in services.frameworks.items()},
            default=current.default_framework,
        )
        try:
            await services.slack_for(team_id).views_open(trigger_id=trigger_id, view=modal)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))

    @app.view(qualify_view.QUALIFY_CALLBACK)
    async def on_start(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = _ids(body)
        current = await services.transaction(
            lambda session: workspace_settings.effective(services, session, team_id)
        )
        fields = qualify_view.submitted(view)
        errors = qualify_view.errors(services.texts(current.language), fields)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        framework = fields["framework"]
        if framework not in services.frameworks:
            framework = current.default_framework
        card = await qualify.start(
            services,
            team_id=team_id,
            channel_id=fields["channel"],
            user_id=user_id,
            request=qualify.QualifyRequest(
                lead=fields["lead"], framework=framework, notes=fields["notes"]
            ),
            # A card Slack refuses (the bot is not in that channel) is told to the rep there.
            tell={"channel": fields["channel"], "user": user_id},
            trigger_id=str(body.get("trigger_id") or "") or None,
        )
        await ack()
        services.background.spawn(deliver(services, card, team_id=team_id))
