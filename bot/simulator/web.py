"""The simulator's web server: the page, its static files and a small JSON API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.simulator.bridge import Bridge, dumps
from bot.simulator.demo import DemoPlayer
from bot.simulator.people import PEOPLE

LONG_POLL_SECONDS = 15.0
_KNOWN_USERS = frozenset(p.id for p in PEOPLE)


def static_dir() -> Path:
    """The folder holding ``index.html``, ``app.css`` and ``app.js``."""
    return Path(str(resources.files("bot.simulator") / "static"))


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(text=dumps(data), status=status, content_type="application/json")


def _user(data: dict[str, Any]) -> str:
    user = str(data.get("user") or "")
    if user not in _KNOWN_USERS:
        raise web.HTTPBadRequest(text="unknown user")
    return user


def create_simulator_app(
    bridge: Bridge, *, demo: DemoPlayer | None = None, language: str = "en"
) -> web.Application:
    """Build the page's server around a :class:`Bridge`.

    Routes: ``GET /`` (the page), ``/static/*``, ``GET /api/state?user=U&since=N`` (long poll:
    answers when the workspace changed after ``N``), and ``POST /api/send``, ``/api/action``,
    ``/api/submit``, ``/api/close``, ``/api/home`` taking JSON with the acting ``user``, and
    ``POST /api/demo`` (replay the demo, when there is one).

    Args:
        bridge: What the page's actions go through.
        demo: The demo, started by the page's first request for the workspace.
        language: The bot's language, for the page's own few words.
    """
    folder = static_dir()

    def seq() -> int:
        return len(bridge.standin.workspace.log) + (demo.changes if demo else 0)

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(folder / "index.html")

    async def state(request: web.Request) -> web.Response:
        user = _user(dict(request.query))
        since = int(request.query.get("since") or -1)
        if demo is not None:
            demo.page_connected()
        deadline = time.monotonic() + LONG_POLL_SECONDS
        # Waiting here instead of answering at once keeps the page live without busy polling.
        while seq() <= since and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        data = bridge.state(user)
        data["seq"] = seq()
        data["language"] = language
        data["demo"] = demo.status() if demo else None
        return _json(data)

    def replay(_: dict[str, Any]) -> dict[str, Any]:
        if demo is None:
            raise web.HTTPNotFound(text="started without --demo")
        return {"started": demo.replay()}

    def post(
        handler: Callable[[dict[str, Any]], Awaitable[dict[str, Any]] | dict[str, Any]],
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def route(request: web.Request) -> web.Response:
            data = await request.json()
            if not isinstance(data, dict):
                raise web.HTTPBadRequest(text="expected a JSON object")
            result = handler(data)
            if isinstance(result, Awaitable):
                result = await result
            return _json(result)

        return route

    app = web.Application()
    app.router.add_get("/", index)
    app.router.add_static("/static/", folder)
    app.router.add_get("/api/state", state)
    app.router.add_post(
        "/api/send",
        post(
            lambda d: bridge.send_text(
                _user(d), str(d["channel"]), str(d["text"]), d.get("thread_ts") or None
            )
        ),
    )
    app.router.add_post("/api/action", post(lambda d: bridge.click(_user(d), d)))
    app.router.add_post(
        "/api/submit",
        post(lambda d: bridge.submit(_user(d), str(d["view_id"]), d.get("values") or {})),
    )
    app.router.add_post("/api/close", post(lambda d: bridge.close(str(d["view_id"]))))
    app.router.add_post("/api/home", post(lambda d: bridge.open_home(_user(d))))
    app.router.add_post(
        "/api/assistant",
        post(lambda d: bridge.open_assistant(_user(d), d.get("context") or None)),
    )
    app.router.add_post("/api/demo", post(replay))
    return app
