"""An asyncio event loop on a daemon thread, for servers that tests and the simulator start."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Self, TypeVar

from aiohttp import web

T = TypeVar("T")


class LoopThread:
    """Runs ``serve`` on a fresh event loop in a daemon thread until :meth:`stop`.

    Args:
        name: The thread's name, shown in tracebacks and thread dumps.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(
        self,
        serve: Callable[[], Coroutine[Any, Any, None]],
        shutdown: Callable[[], Coroutine[Any, Any, None]],
        *,
        timeout: float = 10.0,
    ) -> None:
        """Start the loop, run ``serve`` on it and return once it has finished.

        Args:
            serve: Binds and starts the server; its failure is raised here.
            shutdown: Runs on the loop after :meth:`stop`, before the loop closes.
            timeout: How long to wait for ``serve``.

        Raises:
            RuntimeError: ``serve`` failed or did not finish in time.
        """
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(serve())
            except BaseException as error:  # handed to the starting thread below
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            failure.append(TimeoutError(f"{self.name} did not start in {timeout} s"))
        if failure:
            self._thread = None
            raise RuntimeError(f"{self.name} could not start: {failure[0]}") from failure[0]

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coroutine`` on the loop from another thread."""
        assert self._loop is not None, "start() first"
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` on the loop from another thread."""
        assert self._loop is not None, "start() first"
        self._loop.call_soon_threadsafe(callback)

    def stop(self) -> None:
        """Stop the loop after its shutdown step and join the thread."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None


class LoopbackSite:
    """A stand-in served by aiohttp on its own :class:`LoopThread`: start, stop, ``with`` and its
    base URL. Subclasses set ``host``, ``port`` and ``_loop_thread`` and build their routes in
    :meth:`_app`."""

    host: str
    port: int
    _loop_thread: LoopThread
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        """Start serving in a background thread; returns once the port is bound."""
        if not self._loop_thread.running:
            self._loop_thread.start(self._serve, self._shutdown)
        return self

    def stop(self) -> None:
        """Stop the server and join its thread."""
        self._loop_thread.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _app(self) -> web.Application:
        raise NotImplementedError

    async def _serve(self) -> None:
        self._runner = web.AppRunner(self._app(), access_log=None, handler_cancellation=True)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port, backlog=1024).start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
