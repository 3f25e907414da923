"""The workspace settings: App Home's Settings button opens the modal, its Save stores them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError

from bot import settings_view
from bot.permissions import Action
from bot.rendering import role_mentions
from bot.services import leads, workspace_settings
from bot.services.context import Services

log = logging.getLogger(__name__)


async def _groups(services: Services, team_id: str) -> list[settings_view.Group]:
    """The workspace's user groups for the role menus (none when Slack does not say)."""
    try:
        answer = await services.slack_for(team_id).usergroups_list()
    except SlackApiError as error:
        log.warning("usergroups.list failed: %s", error.response.get("error"))
        return []
    return sorted(
        (str(g["id"]), str(g.get("handle") or g["id"]))
        for g in answer.get("usergroups") or []
        if g.get("id") and not g.get("date_delete")
    )


async def _open(services: Services, team_id: str, trigger_id: str, view: dict[str, Any]) -> None:
    try:
        await services.slack_for(team_id).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open failed: %s", error.response.get("error"))


async def _publish_home(services: Services, team_id: str, user_id: str) -> None:
    view = await services.transaction_as(
        team_id,
        user_id,
        lambda session, actor: leads.home_view(services, session, team_id=team_id, actor=actor),
    )
    await services.slack_for(team_id).views_publish(user_id=user_id, view=view)


def register(app: AsyncApp, services: Services) -> None:
    """Register the Settings button and the Settings modal's Save."""

    @app.action(settings_view.SETTINGS_OPEN_ACTION)
    async def on_open(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        team_id = str((body.get("team") or {}).get("id") or "")
        user_id = str((body.get("user") or {}).get("id") or "")
        trigger_id = str(body.get("trigger_id") or "")
        if not (team_id and user_id and trigger_id):
            return  # Slack sends all three with a click; without a trigger no modal can open
        current = await services.transaction(
            lambda session: workspace_settings.effective(services, session, team_id)
        )
        t = services.texts(current.language)
        if not await services.may(Action.SETTINGS, team_id, user_id):
            line = t("refused_settings", managers=role_mentions(current.people.managers))
            await _open(services, team_id, trigger_id, settings_view.refusal_modal(t, line))
            return
        frameworks = {key: f.name for key, f in services.frameworks.items()}
        modal = settings_view.settings_modal(
            t, current, frameworks=frameworks, groups=await _groups(services, team_id)
        )
        await _open(services, team_id, trigger_id, modal)

    @app.view(settings_view.SETTINGS_CALLBACK)
    async def on_save(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id = str((body.get("team") or {}).get("id") or "")
        user_id = str((body.get("user") or {}).get("id") or "")
        values = settings_view.submitted_values(view)
        refusal = await services.transaction_as(
            team_id,
            user_id,
            lambda session, actor: workspace_settings.save_as(
                services, session, team_id=team_id, actor=actor, values=values
            ),
        )
        if refusal is not None:
            # The modal stays open and says who may change the settings.
            await ack(response_action="errors", errors={settings_view.ALERT_BLOCK: refusal})
            return
        await ack()
        services.background.spawn(_publish_home(services, team_id, user_id))
