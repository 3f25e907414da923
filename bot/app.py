"""Factories for the Bolt app and the ASGI web app; nothing is built at import time."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.people import load_people
from bot.rendering import TextBook
from bot.request_guard import has_slack_shape, is_signed
from bot.services.background import Background
from bot.services.context import Services
from bot.services.intake import Intake
from bot.services.outbox_sender import OutboxSender
from bot.settings import Settings
from storage.db import json_text
from storage.journal import Journal

log = logging.getLogger(__name__)


def create_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that retries rate limits, server errors and connection errors."""
    return AsyncWebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.api_base_url,
        timeout=int(max(1, round(settings.slack_timeout))),
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_services(settings: Settings, *, engine: Engine | None = None) -> Services:
    """Build the shared collaborators: database, frameworks, wording, Slack client, outbox.

    Args:
        settings: Runtime settings.
        engine: An existing engine; by default one for ``settings.database_url``, migrated.

    Returns:
        The services of one app.
    """
    from flows.config import load_frameworks, load_team_config
    from flows.conversation import Engine as ConversationEngine
    from storage.db import make_engine, prepare

    if engine is None:
        engine = make_engine(settings.database_url)
        prepare(engine)
    team_config = load_team_config(settings.config_path)
    frameworks = load_frameworks(team_config)
    client = create_client(settings)
    from bot.services.handoffs import after_outbox_send
    from bot.services.scheduler import install_workflow
    from bot.services.webhooks import WEBHOOK_METHOD, WebhookDelivery, load_webhooks

    webhook_targets = load_webhooks(settings.config_path)
    services = Services(
        settings=settings,
        engine=engine,
        conversations=ConversationEngine(frameworks, icp=team_config.icp),
        frameworks=frameworks,
        team_config=team_config,
        people=load_people(settings.config_path),
        textbook=TextBook(),
        client=client,
        background=Background(),
        outbox=OutboxSender(
            engine,
            client,
            after_send=after_outbox_send,
            lease_seconds=settings.outbox_lease_seconds,
            read_interval=settings.slack_read_interval,
            handlers={WEBHOOK_METHOD: WebhookDelivery(webhook_targets)},
        ),
        webhooks=webhook_targets,
    )
    install_workflow(services)
    # SQLite has one writer: a second transaction of replies would only wait for the first.
    appliers = 1 if engine.dialect.name == "sqlite" else 2
    services.intake = Intake(services, Journal(settings.journal_directory()), appliers=appliers)
    return services


def create_app(
    settings: Settings, *, engine: Engine | None = None, services: Services | None = None
) -> AsyncApp:
    """Build the Bolt app with every listener registered.

    Listeners run before the HTTP response (``process_before_response``) so that a failed
    database transaction answers non-2xx and Slack retries; thread replies are journaled and
    applied after the ack, slow Slack calls go to background tasks.

    Args:
        settings: Runtime settings.
        engine: Database engine to use instead of one built from the settings.
        services: Prebuilt services (the web app shares them with its lifespan).

    Returns:
        The Bolt app.
    """
    from bot.listeners import actions, commands, events, views

    services = services or build_services(settings, engine=engine)
    app = AsyncApp(
        client=services.client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
    )
    # Bolt tries each listener's matcher in this order, and thread replies are most requests.
    for module in (events, commands, actions, views):
        module.register(app, services)
    return app


def create_web_app(settings: Settings | None = None, *, engine: Engine | None = None) -> Starlette:
    """Build the ASGI app: ``POST /slack/events`` and ``GET /healthz``.

    Args:
        settings: Runtime settings; read from the environment when omitted.
        engine: Database engine to use instead of one built from the settings.

    Returns:
        A Starlette application.
    """
    settings = settings or Settings.load()
    services = build_services(settings, engine=engine)
    bolt = create_app(settings, services=services)
    handler = AsyncSlackRequestHandler(bolt)
    from bot.api import api_routes
    from bot.clock_routes import test_clock_routes
    from bot.services.scheduler import Scheduler

    scheduler = Scheduler(services)

    async def events(request: Request) -> Response:
        body = await request.body()
        headers = request.headers
        if not is_signed(
            settings.slack_signing_secret,
            body,
            headers.get("x-slack-request-timestamp", ""),
            headers.get("x-slack-signature", ""),
        ):
            return Response("invalid request", status_code=401)
        if not has_slack_shape(body):
            return Response("malformed request", status_code=400)
        return await handler.handle(request)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"ok": True})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # One HTTP session for every Web API call: without it slack_sdk opens a new session and
        # connection per call.
        # slack_sdk applies its timeout only to sessions it creates itself, so ours carries it.
        session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=settings.slack_timeout), json_serialize=json_text
        )
        services.client.session = session
        services.outbox.start()
        services.intake.start()
        scheduler.start()
        try:
            yield
        finally:
            await scheduler.stop()
            await services.intake.stop()
            await services.background.drain()
            await services.outbox.stop()
            services.client.session = None
            await session.close()

    return Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *test_clock_routes(scheduler),
            *api_routes(services),
        ],
        lifespan=lifespan,
    )
