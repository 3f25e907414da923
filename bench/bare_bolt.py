"""The baseline: a bare Bolt app on the same server stack as the bot (AsyncApp, Starlette, uvicorn).

It does the least a qualification bot could do: ``/qualify`` posts a root message and one thread
reply, and every thread reply from a person gets one ``chat.postMessage`` back. Like the bot, it
acks first and makes its Web API calls in background tasks. Settings come from the same
environment variables as the bot's.

Run: ``python -m bench.bare_bolt --port 3100 [--workers N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Coroutine
from typing import Any

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.server import configure_logging

APP_FACTORY = "bench.bare_bolt:create_bare_web_app"


def create_bare_bolt(*, token: str, signing_secret: str, api_url: str) -> AsyncApp:
    """Build the bare Bolt app.

    Args:
        token: Bot token.
        signing_secret: Secret that signs incoming requests.
        api_url: Base URL of the Web API (the stand-in).

    Returns:
        The Bolt app with its two listeners.
    """
    base_url = api_url if api_url.endswith("/") else api_url + "/"
    client = AsyncWebClient(token=token, base_url=base_url)
    app = AsyncApp(client=client, signing_secret=signing_secret, process_before_response=True)
    # Kept referenced so the loop does not drop running tasks.
    tasks: set[asyncio.Task[Any]] = set()

    def spawn(coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    @app.command("/qualify")
    async def on_qualify(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        channel = command["channel_id"]

        async def post_card() -> None:
            card = await client.chat_postMessage(channel=channel, text=f"Lead: {command['text']}")
            await client.chat_postMessage(channel=channel, thread_ts=card["ts"], text="Question 1")

        spawn(post_card())

    @app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        thread_ts = event.get("thread_ts")
        if event.get("bot_id") or event.get("subtype") or not thread_ts or thread_ts == event["ts"]:
            return
        spawn(client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text="Next"))

    return app


def create_bare_web_app() -> Starlette:
    """Build the ASGI app from ``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL``."""
    configure_logging()  # a worker process of ``--workers N`` starts without it, as the bot's do
    bolt = create_bare_bolt(
        token=os.environ["SLACK_BOT_TOKEN"],
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        api_url=os.environ["SLACK_API_URL"],
    )
    handler = AsyncSlackRequestHandler(bolt)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def main() -> int:
    """Serve the bare app the way ``sdrbot serve`` serves the bot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    # The logging set-up of ``sdrbot serve``, so both pay for the same log lines.
    configure_logging()
    if args.workers > 1:
        uvicorn.run(APP_FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers)
    else:
        uvicorn.run(create_bare_web_app(), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
