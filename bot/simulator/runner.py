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
from bot.simulator.demo import DemoPlayer
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
        data_dir: Folder for the bot's SQLite database and team config; a temporary one
            (removed on stop) by default.
        database_url: The bot's database, when not ``sim.db`` in ``data_dir``.
        language: The bot's language, ``en`` or ``de``; the demo plays in it too.
        demo: Play the demo once a page has opened; the page can replay it.
        demo_pause: Seconds between the demo's steps.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        bot_url: str | None = None,
        signing_secret: str | None = None,
        data_dir: Path | None = None,
        database_url: str | None = None,
        language: str = "en",
        demo: bool = False,
        demo_pause: float = 1.2,
    ) -> None:
        self.port = port
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.language = language
        self.bot_url = bot_url
        self._own_data_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="sdrbot-sim-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{self.data_dir / 'sim.db'}"
        self._demo = demo
        self._demo_pause = demo_pause
        self.demo: DemoPlayer | None = None
        # As in a real workspace, the bot was invited to #sales (it hears the replies there);
        # it posts to #hot-leads and #managers without joining them (chat:write.public).
        self.standin = SlackStandIn(
            bot_token=BOT_TOKEN, users={p.id: p.profile() for p in PEOPLE}, members={SALES}
        )
        # The simulated people's Slack locale is the workspace's language, so the bot
        # (which reads each person's locale) speaks it to all of them.
        self.standin.set_default_locale("de-DE" if language == "de" else "en-US")
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
            # One simulated workspace: installs through /slack/install stay off here.
            slack_client_id="",
            slack_client_secret="",
            slack_signing_secret=self.signing_secret,
            slack_api_url=self.standin.api_url,
            database_url=self.database_url,
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
        self.bridge = Bridge(self.standin, sender, language=self.language)
        if self._demo:
            self.demo = DemoPlayer(self.bridge, language=self.language, pause=self._demo_pause)
        app = create_simulator_app(self.bridge, demo=self.demo, language=self.language)
        # Open long polls would otherwise hold shutdown for aiohttp's default of a minute.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self.demo is not None:
            await self.demo.cancel()
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


DEFAULT_DATA_DIR = ".sdrbot-local"


def data_location(data: str | None) -> tuple[Path, str | None]:
    """Where ``sdrbot local`` keeps its data: the folder, and a database URL if not in it.

    ``--data DIR`` wins; then ``DATABASE_URL`` (from the environment or ``.env``) names the
    database; otherwise everything stays in ``./.sdrbot-local``, found again on the next run.
    """
    if data:
        return Path(data).expanduser().resolve(), None
    from bot.settings import Settings

    settings = Settings.load()
    database_url = settings.database_url if "database_url" in settings.model_fields_set else None
    return Path.cwd() / DEFAULT_DATA_DIR, database_url


def workspace_language(language: str | None) -> str:
    """``--lang`` when given, else ``SDRBOT_LANGUAGE`` (environment or ``.env``), else English."""
    if language:
        return language
    from bot.settings import Settings

    return Settings.load().language


def describe_database(url: str) -> str:
    """The database as a person reads it: a SQLite file's path, any other URL without password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return str(Path(parsed.database).resolve())
    return parsed.render_as_string(hide_password=True)


def run_simulator(
    *,
    port: int = 3000,
    demo: bool = False,
    language: str | None = None,
    data: str | None = None,
) -> int:
    """Run the local workspace until interrupted (``sdrbot local``).

    Args:
        port: Port of the page on 127.0.0.1.
        demo: Play scripted hot, warm and cold qualifications once the page is open.
        language: ``en`` or ``de``; ``SDRBOT_LANGUAGE`` (or English) when not given.
        data: Folder for the database and team config (see :func:`data_location`).

    Returns:
        The process exit code.
    """
    data_dir, database_url = data_location(data)
    simulator = Simulator(
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        language=workspace_language(language),
        demo=demo,
    ).start()
    print(f"sdrbot local workspace: open {simulator.url}", flush=True)
    print(f"Data: {describe_database(simulator.database_url)}", flush=True)
    if demo:
        print("The demo starts when the page is open; replay it from the page.", flush=True)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0
