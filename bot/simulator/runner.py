"""Start the whole local workspace: the Slack stand-in, the real bot over HTTP, and the page."""

from __future__ import annotations

import concurrent.futures
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx
from aiohttp import web

from bot.simulator.bridge import Bridge
from bot.simulator.people import HOT_LEADS, MANAGERS, PEOPLE, SALES, team_config_yaml
from bot.simulator.web import create_simulator_app
from bot.standin.loop_thread import LoopThread
from bot.standin.sender import AsyncSlackSender
from bot.standin.server import SlackStandIn

T = TypeVar("T")
BOT_TOKEN = "xoxb-simulator"
STARTUP_SECONDS = 30.0


class _BotServer:
    """The real bot (``bot.app.create_web_app``) served by uvicorn in a thread on loopback."""

    def __init__(self, settings: Any) -> None:
        import uvicorn

        from bot.app import create_web_app

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(
            create_web_app(settings), log_level="warning", lifespan="on", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass  # not listening yet
            if not self._thread.is_alive():
                break
            time.sleep(0.1)
        raise RuntimeError("the bot did not answer /healthz")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()


class Simulator:
    """The local workspace, started and stopped as one.

    Args:
        port: Port of the page on 127.0.0.1 (0 picks a free one).
        bot_url: Use a bot already running there instead of starting ``bot.app``'s.
        signing_secret: Secret shared with that bot (a random one otherwise).
        data_dir: Folder for the bot's SQLite database; a temporary one by default.
        language: The bot's language, ``en`` or ``de``.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        bot_url: str | None = None,
        signing_secret: str | None = None,
        data_dir: Path | None = None,
        language: str = "en",
    ) -> None:
        self.port = port
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.language = language
        self.bot_url = bot_url
        self._own_data_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="sdrbot-sim-"))
        # As in a real workspace, the bot was invited to #sales (it hears the replies there);
        # it posts to #hot-leads and #managers without joining them (chat:write.public).
        self.standin = SlackStandIn(
            bot_token=BOT_TOKEN, users={p.id: p.profile() for p in PEOPLE}, members={SALES}
        )
        self.bridge: Bridge | None = None
        self._bot: _BotServer | None = None
        self._loop_thread = LoopThread("simulator-page")
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://127.0.0.1:{self.port}/"

    def bot_settings(self) -> Any:
        """Settings that point the bot at the stand-in, a local database and our channels."""
        from bot.settings import Settings

        config = self.data_dir / "team.yaml"
        config.write_text(team_config_yaml(), encoding="utf-8")
        return Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=self.signing_secret,
            slack_api_url=self.standin.api_url,
            database_url=f"sqlite:///{self.data_dir / 'sdrbot.db'}",
            alert_channel=HOT_LEADS,
            manager_channel=MANAGERS,
            language=self.language,
            config_path=str(config),
        )

    def start(self) -> Self:
        """Start the stand-in, the bot (unless ``bot_url`` was given) and the page."""
        self.standin.start()
        if self.bot_url is None:
            self._bot = _BotServer(self.bot_settings())
            self._bot.start()
            self.bot_url = self._bot.url
        try:
            self._loop_thread.start(self._serve, self._shutdown, timeout=STARTUP_SECONDS)
        except RuntimeError:
            self.stop()
            raise
        return self

    async def _serve(self) -> None:
        assert self.bot_url is not None
        sender = AsyncSlackSender(
            self.bot_url, self.signing_secret, response_base=self.standin.response_url_base
        )
        self.bridge = Bridge(self.standin, sender)
        # Open long polls would otherwise hold shutdown for aiohttp's default of a minute.
        self._runner = web.AppRunner(
            create_simulator_app(self.bridge), access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self.bridge is not None:
            await self.bridge.sender.aclose()
        if self._runner is not None:
            await self._runner.cleanup()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coroutine`` on the page's event loop (where the bridge lives)."""
        return self._loop_thread.submit(coroutine)

    def stop(self) -> None:
        """Stop everything started and remove the temporary data folder."""
        self._loop_thread.stop()
        if self._bot is not None:
            self._bot.stop()
            self._bot = None
        self.standin.stop()
        if self._own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_simulator(*, port: int = 3000, demo: bool = False) -> int:
    """Run the local workspace until interrupted (``sdrbot local``).

    Args:
        port: Port of the page on 127.0.0.1.
        demo: Play scripted hot, warm and cold qualifications once the page is up.

    Returns:
        The process exit code.
    """
    simulator = Simulator(port=port).start()
    print(f"sdrbot local workspace: open {simulator.url}", flush=True)
    try:
        if demo:
            from bot.simulator.demo import play_demo

            assert simulator.bridge is not None
            simulator.run(play_demo(simulator.bridge))
            print("playing the demo: watch #sales and #hot-leads", flush=True)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0
