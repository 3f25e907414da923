"""Factories for the Bolt app and the ASGI web app; nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.auth_once import share_auth_test
from bot.clock import ManualClock, SystemClock
from bot.config import load_team_config
from bot.rendering import TextBook
from bot.request_guard import (
    BodyTooLarge,
    has_slack_shape,
    is_signed,
    read_body,
    strip_nul_middleware,
)
from bot.services.background import Background
from bot.services.context import Services
from bot.services.outbox_sender import OutboxSender
from bot.services.workspaces import InstalledTokens, Workspaces
from bot.settings import Settings
from storage.db import is_reachable, json_text
from storage.installations import InstallationStore
from storage.models import OutboxMessage
from storage.retry import is_retryable, is_unavailable

log = logging.getLogger(__name__)


def replayed(request: Request, body: bytes) -> Request:
    """A copy of ``request`` whose body, already read by us, Bolt can read again."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def _app_token(settings: Settings) -> str | None:
    """The one bot token of a single-workspace app; none when each install brings its own."""
    if settings.installs:
        return None
    return settings.slack_bot_token or None


def create_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that retries rate limits, server errors and connection errors."""
    return AsyncWebClient(
        token=_app_token(settings),
        base_url=settings.api_base_url,
        timeout=int(max(1, round(settings.slack_timeout))),
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_directory_client(settings: Settings) -> AsyncWebClient:
    """A Web API client for role lookups: it does not wait out a rate limit or retry, since a
    person is waiting; a lookup that fails grants nothing."""
    return AsyncWebClient(
        token=_app_token(settings),
        base_url=settings.api_base_url,
        timeout=int(max(1, round(settings.slack_timeout))),
        retry_handlers=[],
    )


def build_services(
    settings: Settings, *, engine: Engine | None = None, test_clock: bool = False
) -> Services:
    """Build the shared collaborators: team config, database, frameworks, wording, Slack client.

    Args:
        settings: Runtime settings.
        engine: An existing engine; by default one for ``settings.database_url``, migrated.
        test_clock: Deadlines read a clock that only moves when told to (tests only).

    Returns:
        The services of one app.

    Raises:
        ConfigError: When the team config file is invalid (message names file and field).
        FrameworkError: When a framework file or an override is invalid.
    """
    from bot.crm import card_link, deals
    from bot.crm import outbox as crm_outbox
    from bot.crm.hubspot import HubSpotWriter
    from bot.crm.hubspot_api import HubSpotApi
    from bot.crm.salesforce import SalesforceWriter
    from bot.services import qualify
    from bot.services.handoffs import after_outbox_send
    from bot.services.replies import QUESTION_KIND
    from bot.services.roles import RoleDirectory
    from bot.services.webhooks import WEBHOOK_METHOD, WebhookDelivery
    from flows.config import load_frameworks
    from flows.conversation import Engine as ConversationEngine
    from storage import cards
    from storage.db import make_engine, prepare

    config = load_team_config(settings.config_path)
    source = Path(settings.config_path).name if settings.config_path else "config"
    frameworks = load_frameworks(config, source=source)
    if engine is None:
        engine = make_engine(settings.database_url)
        prepare(engine)
    textbook = TextBook()
    texts = textbook[config.language or settings.language]
    client = create_client(settings)
    installations, workspaces = _workspaces(settings, engine, client)
    hubspot_api = HubSpotApi(settings.hubspot_token, settings.hubspot_url)
    hubspot = HubSpotWriter(hubspot_api, config.crm.hubspot)
    services = Services(
        settings=settings,
        engine=engine,
        config=config,
        frameworks=frameworks,
        conversations=ConversationEngine(frameworks, icp=config.icp),
        textbook=textbook,
        client=client,
        background=Background(),
        outbox=OutboxSender(
            engine,
            client,
            lease_seconds=settings.outbox_lease_seconds,
            read_interval=settings.slack_read_interval,
            handlers={
                WEBHOOK_METHOD: WebhookDelivery(config.webhooks),
                qualify.RESPOND_METHOD: qualify.respond,
                **{method: hubspot for method in crm_outbox.METHODS},
                deals.READ_DEAL: deals.DealReader(hubspot_api),
                crm_outbox.UPSERT_LEAD: SalesforceWriter(
                    settings.salesforce_url,
                    settings.salesforce_client_id,
                    settings.salesforce_client_secret,
                    dict(config.crm.salesforce.lead_status),
                ),
            },
            admin_channel=config.admin_channel or settings.manager_channel or None,
            admin_text=lambda method, target, code: texts(
                "delivery_failed", method=method, channel=target, error=code
            ),
            workspaces=workspaces,
        ),
        clock=ManualClock() if test_clock else SystemClock(),
        roles=RoleDirectory(
            create_directory_client(settings), config.people, client_for=workspaces.client
        ),
        workspaces=workspaces,
        installations=installations,
    )

    def after_send(session: Session, message: OutboxMessage, meta: dict, result: Any) -> list:
        if meta.get("kind") == qualify.CARD_KIND:
            return qualify.card_settled(services, session, message, meta, result)
        if meta.get("kind") == crm_outbox.KIND:
            if crm_outbox.settled(session, message, meta, result):
                card_link.redraw(services, session, message.team_id, int(meta["lead_id"]))
            return []
        if meta.get("kind") == deals.KIND:
            deals.deal_settled(session, message, result, crm_outbox.vendors(services))
            return []
        if meta.get("kind") == qualify.PERMALINK_KIND:
            if result is not None and result.get("permalink"):
                cards.remember_thread_link(
                    session=session,
                    team_id=message.team_id,
                    qualification_id=int(meta["qualification"]),
                    link=str(result["permalink"]),
                )
            return []
        if meta.get("kind") == QUESTION_KIND:
            if result is not None:
                cards.remember_question(
                    session=session,
                    team_id=message.team_id,
                    qualification_id=int(meta["qualification"]),
                    criterion=str(meta["criterion"]),
                    question_ts=str(result["ts"]),
                )
            return []
        after_outbox_send(session, message, meta, result)
        return []

    services.outbox.after_send = after_send
    return services


def _workspaces(
    settings: Settings, engine: Engine, client: AsyncWebClient
) -> tuple[InstallationStore | None, Workspaces]:
    """The installation store and each workspace's token: from the store when the app is
    installed through ``/slack/install`` (client id and secret set), else ``SLACK_BOT_TOKEN``
    for every workspace."""
    if not settings.installs:
        return None, Workspaces()
    if settings.slack_bot_token:
        log.warning("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: SLACK_BOT_TOKEN is not used")
    store = InstallationStore(settings.slack_client_id, engine)
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=client,
    )
    tokens = InstalledTokens(store, rotator, rotation_minutes=settings.slack_token_rotation_minutes)
    return store, Workspaces(tokens)


def create_app(
    settings: Settings, *, engine: Engine | None = None, services: Services | None = None
) -> AsyncApp:
    """Build the Bolt app with every listener registered.

    Listeners run before the HTTP response (``process_before_response``): a step's
    transaction commits before Slack gets its 200, and a failed one answers non-2xx so that
    Slack retries. Slack calls go to background tasks that run after the response.

    Args:
        settings: Runtime settings.
        engine: Database engine to use instead of one built from the settings.
        services: Prebuilt services (the web app shares them with its lifespan).

    Returns:
        The Bolt app.
    """
    from bot.listeners import actions, commands, events, functions, home, views
    from bot.listeners import settings as settings_listeners

    services = services or build_services(settings, engine=engine)
    if services.installations is not None:
        from bot.install import install_flow
        from bot.listeners import installs

        flow, authorize = install_flow(services)
        app = AsyncApp(
            client=services.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,
            oauth_flow=flow,
            authorize=authorize,
            user_facing_authorize_error_message=services.texts()("not_installed"),
        )
        installs.register(app, services)
    else:
        app = AsyncApp(
            client=services.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,
        )
        share_auth_test(app)
    app.use(strip_nul_middleware)
    # Bolt tries each listener's matcher in this order, and thread replies are most requests.
    for module in (events, commands, actions, views, home, settings_listeners, functions):
        module.register(app, services)
    app.error(listener_failed)
    return app


async def listener_failed(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Answer a listener that raised with a non-2xx, so that Slack delivers it again.

    An unreachable database, or a race lost more often than the transaction retries, passes
    by itself: one line for each, not a traceback per request while the database is away.
    Anything else is a fault of ours and keeps its traceback.
    """
    kind = body.get("command") or body.get("type") or "request"
    if is_unavailable(error) or is_retryable(error):
        first_line = next(iter(str(error).splitlines()), "") or type(error).__name__
        log.warning("%s not handled, Slack will retry: %s", kind, first_line)
        return BoltResponse(status=503, body="")
    log.error("%s failed", kind, exc_info=error)
    return BoltResponse(status=500, body="")


class MissingSigningSecret(ValueError):
    """The app was asked to serve Slack's requests without a secret to verify them with."""

    def __init__(self) -> None:
        super().__init__(
            "SLACK_SIGNING_SECRET is empty: set it to the app's Signing Secret "
            "(api.slack.com/apps, Basic Information) before serving Slack's requests"
        )


def install_routes(handler: AsyncSlackRequestHandler) -> list[Route]:
    """``GET /slack/install`` (the Add to Slack page) and ``GET /slack/oauth_redirect`` (where
    Slack sends the installer back), answered by Bolt's OAuth flow."""
    from bot.install import INSTALL_PATH, REDIRECT_PATH

    async def oauth(request: Request) -> Response:
        return await handler.handle(request)

    return [
        Route(INSTALL_PATH, oauth, methods=["GET"]),
        Route(REDIRECT_PATH, oauth, methods=["GET"]),
    ]


def create_web_app(
    settings: Settings | None = None, *, engine: Engine | None = None, test_clock: bool = False
) -> Starlette:
    """Build the ASGI app: ``POST /slack/events``, ``GET /healthz`` and ``GET /readyz``.

    Args:
        settings: Runtime settings; read from the environment when omitted.
        engine: Database engine to use instead of one built from the settings.
        test_clock: Run deadlines on a manual clock and serve ``POST /test/clock`` to move it.
            Only a test's own code can ask for it: no setting or variable turns it on.

    Returns:
        A Starlette application.

    Raises:
        MissingSigningSecret: When ``SLACK_SIGNING_SECRET`` is empty (every request would be
            refused, or worse, verified against an empty key).
    """
    settings = settings or Settings.load()
    if not settings.slack_signing_secret.strip():
        raise MissingSigningSecret
    services = build_services(settings, engine=engine, test_clock=test_clock)
    bolt = create_app(settings, services=services)
    handler = AsyncSlackRequestHandler(bolt)
    from bot.api import api_routes
    from bot.clock_routes import test_clock_routes
    from bot.crm.deals import webhook_routes
    from bot.services.scheduler import Scheduler

    scheduler = Scheduler(services)

    async def events(request: Request) -> Response:
        # The size is checked before the signature: an unsigned 20 MB body is refused unread.
        try:
            body = await read_body(request)
        except BodyTooLarge:
            return Response("request too large", status_code=413)
        except ClientDisconnect:  # the sender gave up mid-body: nobody reads the answer
            return Response("incomplete request", status_code=400)
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
        return await handler.handle(replayed(request, body))

    async def healthz(_: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(_: Request) -> Response:
        # Liveness stays /healthz; this tells a load balancer to send no traffic here while
        # the database is away (every step would fail and Slack would retry it elsewhere).
        if await asyncio.to_thread(is_reachable, services.engine):
            return JSONResponse({"ok": True})
        return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)

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
        scheduler.start()
        try:
            yield
        finally:
            await scheduler.stop()
            await services.background.drain()
            await services.outbox.stop()
            services.client.session = None
            await session.close()

    return Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *(install_routes(handler) if settings.installs else []),
            *(test_clock_routes(scheduler) if test_clock else []),
            *api_routes(services),
            *webhook_routes(services),
        ],
        lifespan=lifespan,
    )
