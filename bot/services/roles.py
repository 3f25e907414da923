"""Roles from the team config and from Slack: user groups, workspace admins, channel members.

The config's ``people`` names managers and account executives by user id or by user group
(``@ae-team`` or ``S0123ABC``). Groups are resolved with ``usergroups.list`` (handle -> id)
and ``usergroups.users.list``; admins and owners, and a person's locale, are read with
``users.info``; a channel's people with ``conversations.members``. Every answer is cached
per workspace for a while, and a ``subteam_members_changed`` event updates a group at once.
A failed lookup grants nothing and is not cached: the person is refused, told who may act,
and may try again (a locale that fails is the team's language).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import People, is_group
from bot.permissions import Actor

log = logging.getLogger(__name__)

T = TypeVar("T")

GROUP_SECONDS = 300.0
ADMIN_SECONDS = 3600.0
MEMBERS_SECONDS = 120.0
SETTINGS_SECONDS = 60.0
LOCALE_SECONDS = 3600.0
LOCALE_TIMEOUT = 1.0
_PAGE_LIMIT = 20  # pages of conversations.members read at most (20,000 people)


class RoleDirectory:
    """Resolves a person's roles; one per app, shared by every request.

    Args:
        client: A Web API client (the bot token's).
        people: The config's roles.
        clock: Seconds for the cache (monotonic).
        client_for: The client of a workspace, given its id and ``client`` (its own bot
            token when the app is installed in many); by default ``client`` for all.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        people: People,
        *,
        clock: Callable[[], float] = time.monotonic,
        client_for: Callable[[str, AsyncWebClient], AsyncWebClient] | None = None,
    ) -> None:
        self.client = client
        self._client_for = client_for
        self.people = people
        self.clock = clock
        self._cache: dict[tuple[str, ...], tuple[float, Any]] = {}
        # A workspace's roles from its stored settings (they override ``people``), read again
        # after a while: a save in another server process reaches this one within a minute.
        self._team_people: dict[str, tuple[float, People, str]] = {}

    def knows_team(self, team_id: str) -> bool:
        """Whether the workspace's stored roles were read lately."""
        known = self._team_people.get(team_id)
        return known is not None and known[0] > self.clock()

    def set_team_people(self, team_id: str, people: People, language: str) -> None:
        """Use ``people`` and ``language`` for ``team_id`` (its settings, just read or saved)."""
        self._team_people[team_id] = (self.clock() + SETTINGS_SECONDS, people, language)

    def forget_team(self, team_id: str) -> None:
        """Forget everything kept about ``team_id`` (its data was erased)."""
        self._team_people.pop(team_id, None)
        for key in [key for key in self._cache if key[1:2] == (team_id,)]:
            del self._cache[key]

    def language_of_team(self, team_id: str) -> str | None:
        """The workspace's language as last read with its roles, if it was read."""
        known = self._team_people.get(team_id)
        return known[2] if known is not None else None

    def people_of(self, team_id: str) -> People:
        """The roles of ``team_id``: its stored ones, else the config's."""
        known = self._team_people.get(team_id)
        return known[1] if known is not None else self.people

    # -- what the config alone says ----------------------------------------------------------

    def known(self, team_id: str, user_id: str) -> Actor:
        """The roles the config names ``user_id`` in by id; Slack is not asked."""
        people = self.people_of(team_id)
        return Actor(
            user_id=user_id,
            manager=user_id in people.managers,
            account_executive=user_id in people.account_executives,
        )

    # -- asking Slack ------------------------------------------------------------------------

    def slack(self, team_id: str) -> AsyncWebClient:
        """The client that asks Slack about ``team_id``."""
        if self._client_for is None:
            return self.client
        return self._client_for(team_id, self.client)

    async def resolve(self, team_id: str, user_id: str, *, channels: Iterable[str] = ()) -> Actor:
        """The roles of ``user_id`` from the config and Slack, and which of ``channels``
        they are in."""
        known = self.known(team_id, user_id)
        people = self.people_of(team_id)
        manager = known.manager or await self._in_groups(team_id, user_id, people.managers)
        if not manager and people.admins_are_managers:
            manager = await self._is_admin(team_id, user_id)
        executive = known.account_executive or await self._in_groups(
            team_id, user_id, people.account_executives
        )
        inside = set()
        for channel in set(channels):
            if user_id in await self.channel_members(team_id, channel):
                inside.add(channel)
        return Actor(
            user_id=user_id,
            manager=manager,
            account_executive=executive,
            channels=frozenset(inside),
            complete=True,
        )

    async def channel_members(self, team_id: str, channel: str) -> frozenset[str]:
        """The people in ``channel`` (empty when Slack does not say)."""

        async def read() -> frozenset[str]:
            members: list[str] = []
            cursor = ""
            for _ in range(_PAGE_LIMIT):
                page = await self.slack(team_id).conversations_members(
                    channel=channel, cursor=cursor or None, limit=1000
                )
                members.extend(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
                if not cursor:
                    break
            return frozenset(members)

        return await self._cached(("members", team_id, channel), MEMBERS_SECONDS, read, frozenset())

    def group_changed(
        self, team_id: str, group_id: str, added: Iterable[str], removed: Iterable[str]
    ) -> None:
        """Apply a ``subteam_members_changed`` event to a cached group (or forget it)."""
        key = ("group", team_id, group_id)
        cached = self._cache.get(key)
        if cached is None:
            return
        members = (set(cached[1]) | set(added)) - set(removed)
        self._cache[key] = (self.clock() + GROUP_SECONDS, frozenset(members))

    async def _in_groups(self, team_id: str, user_id: str, entries: Iterable[str]) -> bool:
        for entry in sorted(e for e in entries if is_group(e)):
            group_id = await self._group_id(team_id, entry)
            if group_id and user_id in await self._group_members(team_id, group_id):
                return True
        return False

    async def _group_id(self, team_id: str, entry: str) -> str | None:
        if not entry.startswith("@"):
            return entry

        async def read() -> dict[str, str]:
            answer = await self.slack(team_id).usergroups_list()
            return {g["handle"]: g["id"] for g in answer.get("usergroups") or []}

        handles = await self._cached(("handles", team_id), GROUP_SECONDS, read, {})
        group_id = handles.get(entry.removeprefix("@"))
        if group_id is None:
            log.warning("no Slack user group %s in %s", entry, team_id)
        return group_id

    async def _group_members(self, team_id: str, group_id: str) -> frozenset[str]:
        async def read() -> frozenset[str]:
            answer = await self.slack(team_id).usergroups_users_list(usergroup=group_id)
            return frozenset(answer.get("users") or [])

        return await self._cached(("group", team_id, group_id), GROUP_SECONDS, read, frozenset())

    async def _is_admin(self, team_id: str, user_id: str) -> bool:
        async def read() -> bool:
            user = (await self.slack(team_id).users_info(user=user_id)).get("user") or {}
            return bool(user.get("is_admin") or user.get("is_owner"))

        return await self._cached(("admin", team_id, user_id), ADMIN_SECONDS, read, False)

    async def locale(self, team_id: str, user_id: str) -> str | None:
        """The Slack locale of ``user_id`` (``de-DE``), or None when Slack does not say."""

        async def read() -> str | None:
            # A language is not worth a slow command: past a second (a 429 waiting out its
            # Retry-After, a hanging call) the team's language answers instead.
            answer = await asyncio.wait_for(
                self.slack(team_id).users_info(user=user_id, include_locale=True), LOCALE_TIMEOUT
            )
            return str((answer.get("user") or {}).get("locale") or "") or None

        return await self._cached(("locale", team_id, user_id), LOCALE_SECONDS, read, None)

    async def _cached(
        self, key: tuple[str, ...], seconds: float, read: Callable[[], Awaitable[T]], failed: T
    ) -> T:
        now = self.clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]  # type: ignore[no-any-return]
        try:
            value = await read()
        except SlackApiError as error:
            log.warning("%s lookup failed: %s", key[0], error.response.get("error"))
            return failed
        except (OSError, TimeoutError) as error:
            log.warning("%s lookup failed: %s", key[0], error.__class__.__name__)
            return failed
        self._cache[key] = (now + seconds, value)
        return value
