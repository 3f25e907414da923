"""HTTP mode: the ASGI app served by uvicorn."""

from __future__ import annotations

import logging

import uvicorn

APP_FACTORY = "bot.app:create_web_app"


def configure_logging() -> None:
    """INFO for the bot; ``transitions`` only from WARNING (at INFO it logs every state entered
    and left, two lines a step)."""
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("transitions").setLevel(logging.WARNING)


def serve(*, host: str, port: int, workers: int = 1) -> int:
    """Serve ``POST /slack/events`` and ``GET /healthz`` until interrupted.

    Args:
        host: Interface to bind.
        port: TCP port.
        workers: Worker processes; above one, uvicorn imports the app factory in each.

    Returns:
        The process exit code.
    """
    configure_logging()
    if workers > 1:
        # Each worker builds its own app from the factory; they share the database.
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
        return 0
    from bot.app import create_web_app

    uvicorn.run(create_web_app(), host=host, port=port)
    return 0
