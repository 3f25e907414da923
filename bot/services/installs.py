"""What happens when a workspace removes the app: its tokens go, and its data too when the
team config says so (``privacy.on_uninstall: erase``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.services.context import Services
from storage.workspaces import erase_workspace

log = logging.getLogger(__name__)


async def uninstalled(services: Services, *, team_id: str, enterprise_id: str | None) -> None:
    """``app_uninstalled``: forget every token of the workspace, then (if so configured)
    everything the bot kept about it.

    Slack sends it again when the answer is not a 2xx: both steps are safe to repeat.
    """
    if not team_id:
        return
    if services.installations is not None:
        await services.installations.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
    services.workspaces.forget(team_id)
    log.info("uninstalled from %s", team_id)
    await _erase_if_configured(services, team_id)


async def tokens_revoked(
    services: Services,
    *,
    team_id: str,
    enterprise_id: str | None,
    bots: Iterable[str],
    users: Iterable[str],
) -> None:
    """``tokens_revoked``: forget the revoked tokens. The bot's revoked is the app removed
    (nothing can be said there any more): the workspace's installation goes, and its data
    too when so configured; a person's revoked token goes alone."""
    if not team_id:
        return
    store = services.installations
    for user_id in users:
        if store is not None:
            await store.async_delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
    if list(bots):
        await uninstalled(services, team_id=team_id, enterprise_id=enterprise_id)


async def _erase_if_configured(services: Services, team_id: str) -> None:
    if services.config.privacy.on_uninstall != "erase":
        return
    deleted = await services.transaction(
        lambda session: erase_workspace(session=session, team_id=team_id)
    )
    services.roles.forget_team(team_id)
    log.info("erased the data of %s: %s", team_id, deleted or "nothing was kept")
