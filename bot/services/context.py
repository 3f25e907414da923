"""Everything the listeners and services share, built once per app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.config import TeamConfig
from bot.rendering import TextBook, Texts
from bot.services.background import Background
from bot.services.outbox_sender import OutboxSender
from bot.settings import Settings
from flows.conversation import Engine as ConversationEngine
from flows.model import Framework
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

    def texts(self, lang: str | None = None) -> Texts:
        """Wording of ``lang``, or of the configured default language."""
        return self.textbook[lang or self.settings.language]

    async def transaction(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn(session)`` in one retried transaction on a worker thread."""
        return await asyncio.to_thread(run_in_transaction, self.engine, fn)

    def wake_outbox(self) -> None:
        """Start the outbox sender if needed and let it look for due messages now."""
        self.outbox.start()
        self.outbox.wake()
