"""Everything the listeners and services share, built once per app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock, SystemClock
from bot.people import People
from bot.rendering import TextBook, Texts
from bot.services.background import Background
from bot.services.outbox_sender import OutboxSender
from bot.services.webhooks import WebhookTarget
from bot.services.workflow_config import WorkflowConfig
from bot.settings import Settings
from flows.model import Framework
from storage.retry import run_in_transaction

T = TypeVar("T")


@dataclass
class Services:
    """Shared collaborators of one running app.

    Attributes:
        settings: Runtime settings.
        engine: Database engine.
        conversations: The conversation engine of ``flows``.
        frameworks: Frameworks by key, with the team's overrides applied.
        team_config: The team config as ``flows`` reads it.
        people: Managers and account executives.
        textbook: Wording per language.
        client: Slack Web API client.
        background: Tasks that run after a request was answered.
        outbox: Sender of durable messages.
        workflow: Routing, SLA, reject, nurture and digest settings of the team config.
        clock: Where workflow deadlines read the time (a movable clock in tests).
        webhooks: The team config's webhook receivers, read once at start.
    """

    settings: Settings
    engine: Engine
    conversations: Any
    frameworks: dict[str, Framework]
    team_config: Any
    people: People
    textbook: TextBook
    client: AsyncWebClient
    background: Background
    outbox: OutboxSender
    workflow: WorkflowConfig = field(default_factory=WorkflowConfig)
    clock: Clock = field(default_factory=SystemClock)
    webhooks: tuple[WebhookTarget, ...] = ()

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
