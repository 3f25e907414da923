"""HTTP mode: the ASGI app served by uvicorn."""

from __future__ import annotations

import gc
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


GC_THRESHOLDS = (20_000, 10, 10)
"""Young-generation threshold of the cyclic garbage collector (Python's default is 700)."""
SWITCH_INTERVAL_SECONDS = 0.001
"""How long a thread holds the GIL while another waits for it (Python's default is 5 ms)."""


def tune_runtime() -> None:
    """Set the interpreter up for serving: freeze what start-up built, collect less often,
    hand the GIL over sooner. Called once the app is built, before it serves.

    Modules, templates, frameworks, mappers and compiled statements live as long as the
    process; ``gc.freeze`` takes them out of the collector's sight, so a full collection no
    longer walks them all (under the load benchmark, full collections stopped the process for
    up to 90 ms, and every reply waiting meanwhile was late). A step makes thousands of
    short-lived objects that reference counting frees; at the default threshold of 700 a
    young collection ran every few steps, about 3 % of the CPU in all.

    Transactions run on worker threads that share the GIL with the event loop: at the
    default switch interval an ack can wait up to 5 ms each time it needs the GIL back, several
    times per request. At 1 ms the event ack p99 under load went from 230 ms to 100-185 ms
    (two runs each), throughput unchanged.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def serving_app() -> Starlette:
    """The app as a serving process runs it: logging set up, the app built, the runtime tuned.

    Also uvicorn's factory for ``--workers N``: it starts each worker as a fresh process that
    has none of the parent's set-up, so the logging is set up again there.
    """
    configure_logging()
    from bot.app import create_web_app

    app = create_web_app()
    tune_runtime()
    return app


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
    uvicorn.run(serving_app(), host=host, port=port)
    return 0
