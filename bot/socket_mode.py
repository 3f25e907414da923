"""Socket Mode: the same Bolt app over a WebSocket, for installs behind a firewall."""

from __future__ import annotations

import asyncio
import sys

from bot.server import configure_logging
from bot.settings import Settings


async def _run(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.app import build_services, create_app

    services = build_services(settings)
    app = create_app(settings, services=services)
    services.outbox.start()
    handler = AsyncSocketModeHandler(app, settings.slack_app_token)
    try:
        await handler.start_async()
    finally:
        await services.background.drain()
        await services.outbox.stop()


def run_socket_mode() -> int:
    """Connect to Slack over Socket Mode and handle requests until interrupted.

    Returns:
        The process exit code (2 when ``SLACK_APP_TOKEN`` is missing).
    """
    configure_logging()
    settings = Settings.load()
    if not settings.slack_app_token or not settings.slack_bot_token:
        print("Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN.", file=sys.stderr)
        return 2
    if settings.installs:
        print(
            "Socket Mode serves the one workspace of SLACK_BOT_TOKEN; installs in many "
            "workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET) need `sdrbot serve`.",
            file=sys.stderr,
        )
        return 2
    try:
        asyncio.run(_run(settings))
    except KeyboardInterrupt:
        return 0
    return 0
