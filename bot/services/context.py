"""Everything the listeners and services share, built once per app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.clock import Clock
from bot.config import TeamConfig
from bot.permissions import Action, Actor, RolesNeeded, Subject, permits, record_refusal
from bot.rendering import TextBook, Texts
from bot.services.background import Background
from bot.services.outbox_sender import OutboxSender
from bot.services.roles import RoleDirectory
from bot.services.workspaces import Workspaces
from bot.settings import Settings
from flows.conversation import Engine as ConversationEngine
from flows.model import Framework
from storage.installations import InstallationStore
from storage.retry import run_in_transaction

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Services:
    """Shared collaborators of one running app, built once by ``bot.app.build_services``.

    Attributes:
        settings: Runtime settings.
        engine: Database engine.
        config: The team config file (people, routing, SLA, engagement, webhooks, API...).
        frameworks: Frameworks by key, with the team's overrides applied.
        conversations: The conversation engine of ``flows``.
        textbook: Wording per language.
        client: Slack Web API client.
        background: Tasks that run after a request was answered.
        outbox: Sender of durable messages.
        clock: Where workflow deadlines read the time (a movable clock in tests).
        roles: People's roles from the config and Slack (user groups, admins, channels).
        workspaces: Each workspace's bot token (one for all with ``SLACK_BOT_TOKEN``).
        installations: Where installs through ``/slack/install`` are kept (None with a
            single ``SLACK_BOT_TOKEN``).
    """

    settings: Settings
    engine: Engine
    config: TeamConfig
    frameworks: Mapping[str, Framework]
    conversations: ConversationEngine
    textbook: TextBook
    client: AsyncWebClient
    background: Background
    outbox: OutboxSender
    clock: Clock
    roles: RoleDirectory
    workspaces: Workspaces = field(default_factory=Workspaces)
    installations: InstallationStore | None = None

    @property
    def team_language(self) -> str:
        """The team config's language, else ``SDRBOT_LANGUAGE``."""
        return self.config.language or self.settings.language

    def texts(self, lang: str | None = None) -> Texts:
        """Wording of ``lang``, or of the team's language."""
        return self.textbook[lang or self.team_language]

    async def language_of(self, team_id: str, user_id: str) -> str:
        """The language ``user_id`` reads: their Slack locale when the bot speaks it, else
        the team's. Asked before a step's transaction; a failed lookup is the team's."""
        locale = await self.roles.locale(team_id, user_id) if user_id else None
        spoken = (locale or "").split("-")[0].split("_")[0].lower()
        if spoken in self.textbook.languages:
            return spoken
        return await self.workspace_language(team_id)

    async def workspace_language(self, team_id: str) -> str:
        """The workspace's language: as saved in Slack (App Home → Settings), else the team's."""
        if not team_id:
            return self.team_language
        try:
            # Read with the workspace's roles and kept as long as they are: not a query per event.
            await self.know_team(team_id)
        except SQLAlchemyError:
            # Which language to answer in never fails a request: the step's own transaction
            # meets the outage and says so.
            return self.team_language
        return self.roles.language_of_team(team_id) or self.team_language

    async def transaction(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn(session)`` in one retried transaction on a worker thread."""
        return await asyncio.to_thread(run_in_transaction, self.engine, fn)

    async def transaction_as(
        self, team_id: str, user_id: str, fn: Callable[[Session, Actor], T]
    ) -> T:
        """Run ``fn(session, actor)`` in one transaction, with ``user_id``'s roles.

        The first attempt knows only what the config says; when a check in ``fn`` needs more
        (``RolesNeeded``: a group, an admin, a channel's members), its transaction is rolled
        back, Slack is asked, and ``fn`` runs again with everything known.
        """
        await self.know_team(team_id)
        actor = self.roles.known(team_id, user_id)
        try:
            return await self.transaction(lambda session: fn(session, actor))
        except RolesNeeded as needed:
            actor = await self.roles.resolve(team_id, user_id, channels=needed.channels)
        return await self.transaction(lambda session: fn(session, actor))

    async def may(
        self, action: Action, team_id: str, user_id: str, subject: Subject | None = None
    ) -> bool:
        """Whether ``user_id`` may take ``action`` outside a step (Slack asked when the config
        does not say); a refusal is kept in the audit trail."""
        await self.know_team(team_id)
        try:
            return permits(action, self.roles.known(team_id, user_id), subject)
        except RolesNeeded as needed:
            actor = await self.roles.resolve(team_id, user_id, channels=needed.channels)
        if permits(action, actor, subject):
            return True
        await self.transaction(
            lambda session: record_refusal(session, team_id=team_id, actor=actor, action=action)
        )
        return False

    async def know_team(self, team_id: str) -> None:
        """Read the workspace's stored roles and language once a minute, so every check and
        every message uses them."""
        if team_id and not self.roles.knows_team(team_id):
            from bot.services import workspace_settings  # it builds on this module

            found = await self.transaction(
                lambda session: workspace_settings.effective(self, session, team_id)
            )
            self.roles.set_team_people(team_id, found.people, found.language)

    def slack_for(self, team_id: str) -> AsyncWebClient:
        """The Web API client that speaks for the bot in workspace ``team_id``: the app's
        client, with that workspace's bot token when the app is installed in many."""
        return self.workspaces.client(team_id, self.client)

    def wake_outbox(self) -> None:
        """Start the outbox sender if needed and let it look for due messages now."""
        self.outbox.start()
        self.outbox.wake()
