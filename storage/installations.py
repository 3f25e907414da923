"""Slack installations of the app in many workspaces, and the OAuth ``state`` values of
installs under way, kept in this application's database.

The tables are slack_sdk's own (``slack_installations``, ``slack_bots``,
``slack_oauth_states``), created by our migrations, and read and written by slack_sdk's
SQLAlchemy stores on our engine. Bolt's asynchronous app asks for asynchronous stores: these
wrap the synchronous ones, each call on a worker thread like every other transaction here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, select

INSTALLATIONS_TABLE = SQLAlchemyInstallationStore.default_installations_table_name
BOTS_TABLE = SQLAlchemyInstallationStore.default_bots_table_name
STATES_TABLE = SQLAlchemyOAuthStateStore.default_table_name
SLACK_TABLE_NAMES = frozenset({INSTALLATIONS_TABLE, BOTS_TABLE, STATES_TABLE})
"""The tables slack_sdk's stores own in our database."""

log = logging.getLogger(__name__)


def slack_metadata() -> MetaData:
    """The three tables as slack_sdk defines them (what the migration must have created)."""
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE)
    SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES_TABLE)
    return metadata


class InstallationStore(AsyncInstallationStore):
    """The app's installations, one app (``client_id``) in many workspaces.

    Args:
        client_id: The app's client id; rows of another app in the same tables are not seen.
        engine: This application's engine (its migrations created the tables).
    """

    def __init__(self, client_id: str, engine: Engine) -> None:
        self.sync = SQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.sync.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.sync.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            lambda: self.sync.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            lambda: self.sync.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self.sync.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self.sync.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        def delete_all() -> None:
            self.sync.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
            self.sync.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

        await asyncio.to_thread(delete_all)

    def find_team_bot(self, team_id: str) -> Bot | None:
        """The newest bot token of workspace ``team_id``, whatever Enterprise Grid org it is
        in (a background job knows only the workspace)."""
        bots = self.sync.bots
        query = (
            select(bots)
            .where(
                bots.c.client_id == self.sync.client_id,
                bots.c.team_id == team_id,
                bots.c.bot_token.is_not(None),
            )
            .order_by(bots.c.installed_at.desc())
            .limit(1)
        )
        with self.sync.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else self.sync.build_bot_entity(row)

    async def async_find_team_bot(self, team_id: str) -> Bot | None:
        """:meth:`find_team_bot` on a worker thread."""
        return await asyncio.to_thread(self.find_team_bot, team_id)

    def save_rotated_bot(self, bot: Bot) -> None:
        """Keep a refreshed bot token in the bot row and in the installation it came with, so
        that Bolt's look-up (which reads the installation) sees the new token too."""
        installation = self.sync.find_installation(
            enterprise_id=bot.enterprise_id, team_id=bot.team_id
        )
        if installation is None or installation.installed_at != bot.installed_at:
            self.sync.save_bot(bot)
            return
        installation.bot_token = bot.bot_token
        installation.bot_refresh_token = bot.bot_refresh_token
        installation.bot_token_expires_at = bot.bot_token_expires_at
        self.sync.save(installation)  # the installation row, then its bot row

    async def async_save_rotated_bot(self, bot: Bot) -> None:
        """:meth:`save_rotated_bot` on a worker thread."""
        await asyncio.to_thread(self.save_rotated_bot, bot)


class StateStore(AsyncOAuthStateStore):
    """The ``state`` of each install under way; one use each, gone after ``expiration_seconds``.

    Args:
        engine: This application's engine.
        expiration_seconds: How long an install may take between the Add to Slack page and
            Slack's redirect back.
    """

    def __init__(self, engine: Engine, expiration_seconds: int = 600) -> None:
        self.sync = SQLAlchemyOAuthStateStore(
            expiration_seconds=expiration_seconds, engine=engine, logger=log
        )

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.sync.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.sync.consume, state)
