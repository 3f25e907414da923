"""Which bot token speaks in each workspace.

With one ``SLACK_BOT_TOKEN`` every workspace is the one it belongs to, and every call goes
through the app's client. With installs through ``/slack/install`` each workspace has its own
bot token, kept by the installation store: a workspace's client looks its token up before
each call (kept in memory a minute, and refreshed before it expires when Slack rotates
tokens), so the listeners, the outbox and the scheduler all speak with the right one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from storage.installations import InstallationStore

log = logging.getLogger(__name__)

TOKEN_SECONDS = 60.0
"""How long a workspace's token is used before it is read again (another process may have
rotated it, or the app may have been uninstalled there)."""
DEAD_TOKEN_CODES = frozenset({"invalid_auth", "token_revoked", "account_inactive", "token_expired"})
"""Answers that say the token in hand no longer works: it is read again on the next call."""


class NotInstalled(Exception):
    """The app holds no bot token for the workspace (never installed, or uninstalled)."""

    def __init__(self, team_id: str) -> None:
        super().__init__(f"no installation in workspace {team_id}")
        self.team_id = team_id


@dataclass(frozen=True, slots=True)
class _Known:
    token: str
    until: float


class InstalledTokens:
    """The bot token of each workspace the app is installed in.

    Args:
        store: The installation store.
        rotator: Refreshes a token that expires (Slack's token rotation); None without it.
        rotation_minutes: A token is refreshed this long before it expires.
        clock: Wall-clock seconds (token expiry times are wall-clock).
    """

    def __init__(
        self,
        store: InstallationStore,
        rotator: AsyncTokenRotator | None,
        *,
        rotation_minutes: int = 120,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.rotator = rotator
        self.rotation_seconds = rotation_minutes * 60
        self.clock = clock
        self._known: dict[str, _Known] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def forget(self, team_id: str) -> None:
        """Read the workspace's token again on its next call."""
        self._known.pop(team_id, None)

    async def bot_token(self, team_id: str) -> str:
        """The workspace's bot token, refreshed first when it expires soon.

        Raises:
            NotInstalled: When no bot token is stored for the workspace.
        """
        known = self._known.get(team_id)
        if known is not None and known.until > self.clock():
            return known.token
        # One look-up (and at most one refresh) per workspace at a time.
        lock = self._locks.setdefault(team_id, asyncio.Lock())
        async with lock:
            known = self._known.get(team_id)
            if known is not None and known.until > self.clock():
                return known.token
            bot = await self.store.async_find_team_bot(team_id)
            if bot is None or not bot.bot_token:
                self._known.pop(team_id, None)
                raise NotInstalled(team_id)
            refreshed = None
            if bot.bot_refresh_token and self.rotator is not None:
                try:
                    refreshed = await self.rotator.perform_bot_token_rotation(
                        bot=bot, minutes_before_expiration=self.rotation_seconds // 60
                    )
                except SlackTokenRotationError as error:
                    log.warning("refreshing the bot token of %s failed: %s", team_id, error)
                if refreshed is not None:
                    await self.store.async_save_rotated_bot(refreshed)
                    bot = refreshed
            until = self.clock() + TOKEN_SECONDS
            if bot.bot_token_expires_at is not None:
                # Read again when it is due for a refresh; a token just refreshed is used for a
                # while even if Slack gave it less than the refresh margin to live.
                due = 0 if refreshed is not None else self.rotation_seconds
                until = min(until, bot.bot_token_expires_at - due)
            assert bot.bot_token is not None
            self._known[team_id] = _Known(bot.bot_token, until)
            return bot.bot_token


class WorkspaceClient(AsyncWebClient):
    """A Web API client that calls with the bot token of one workspace, looked up per call."""

    def __init__(self, team_id: str, tokens: InstalledTokens, **kwargs: Any) -> None:
        super().__init__(token=None, **kwargs)
        self.team_id = team_id
        self.tokens = tokens

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        # Read before the request is built, with no await in between: a client shared by
        # several tasks of one workspace only ever holds that workspace's token.
        self.token = await self.tokens.bot_token(self.team_id)
        try:
            return await super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            if error.response.get("error") in DEAD_TOKEN_CODES:
                self.tokens.forget(self.team_id)
            raise


class Workspaces:
    """Hands out the client that speaks for the bot in a workspace.

    Args:
        tokens: The installed workspaces' tokens; None with a single ``SLACK_BOT_TOKEN``,
            where every workspace is spoken to with the app's own clients.
    """

    def __init__(self, tokens: InstalledTokens | None = None) -> None:
        self.tokens = tokens
        self._clients: dict[tuple[str, int], WorkspaceClient] = {}

    @property
    def installs(self) -> bool:
        """Whether each workspace has a token of its own."""
        return self.tokens is not None

    def client(self, team_id: str, like: AsyncWebClient) -> AsyncWebClient:
        """A client for ``team_id`` that works as ``like`` does (URL, timeout, retries, HTTP
        session), with the workspace's token; ``like`` itself with a single token."""
        if self.tokens is None:
            return like
        key = (team_id, id(like))
        client = self._clients.get(key)
        if client is None or client.session is not like.session:
            client = WorkspaceClient(
                team_id,
                self.tokens,
                base_url=like.base_url,
                timeout=like.timeout,
                session=like.session,
                retry_handlers=list(like.retry_handlers),
            )
            self._clients[key] = client
        return client

    def forget(self, team_id: str) -> None:
        """The workspace's token is gone (uninstalled, revoked): read it again when needed."""
        if self.tokens is not None:
            self.tokens.forget(team_id)
