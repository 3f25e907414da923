"""HTTP mode: the ASGI app served by uvicorn."""

from __future__ import annotations

import logging
import sys

import uvicorn
from starlette.applications import Starlette

APP_FACTORY = "bot.server:serving_app"


SLACK_SDK_CLIENT_LOGGERS = ("slack_sdk.web.async_base_client", "slack_sdk.web.base_client")
"""The loggers of slack_sdk's Web API clients (each client logs through its module's logger)."""


def configure_logging() -> None:
    """INFO for the bot; ``transitions`` only from WARNING (at INFO it logs every state entered
    and left, two lines a step).

    slack_sdk's Web API clients decide whether to build their debug lines from their logger's
    own level, not from the level in effect: a logger left at NOTSET (0) counts as DEBUG, and
    every call would format its whole request and response into strings that are then dropped
    (about a fifth of the cost of each call). Their loggers get INFO set on them explicitly.
    """
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    for name in SLACK_SDK_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def serving_app() -> Starlette:
    """The app as a serving process runs it: logging set up, the app built.

    Also uvicorn's factory for ``--workers N``: it starts each worker as a fresh process that
    has none of the parent's set-up, so the logging is set up again there.
    """
    configure_logging()
    from bot.app import create_web_app

    return create_web_app()


def serve(*, host: str, port: int, workers: int = 1) -> int:
    """Serve ``POST /slack/events`` and ``GET /healthz`` until interrupted.

    Args:
        host: Interface to bind.
        port: TCP port.
        workers: Worker processes; above one, uvicorn imports the app factory in each.

    Returns:
        The process exit code: 2 when ``SLACK_SIGNING_SECRET`` is empty (nothing is served).
    """
    from bot.app import MissingSigningSecret
    from bot.settings import Settings

    if not Settings.load().slack_signing_secret.strip():
        print(f"sdrbot serve: {MissingSigningSecret()}", file=sys.stderr)
        return 2
    configure_logging()
    if workers > 1:
        # Each worker builds its own app from the factory; they share the database.
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
        return 0
    uvicorn.run(serving_app(), host=host, port=port)
    return 0
