"""Server subprocesses on free loopback ports, and a sampler of their peak memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import httpx
import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def sdrbot_command(port: int, workers: int = 1) -> list[str]:
    """The ``sdrbot serve`` command line for ``port`` with ``workers`` processes.

    With ``SDRBOT_BENCH_PYSPY`` set to a folder, the server runs under ``py-spy record``, and
    the samples of its first 25 s (GIL holders, raw collapsed stacks) go there. Its figures then
    include the sampler's cost: such a run shows where the time goes, not the tables' figures.
    """
    script = Path(sys.executable).with_name("sdrbot")
    command = [str(script), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    folder = os.environ.get("SDRBOT_BENCH_PYSPY")
    if folder:
        spy = Path(sys.executable).with_name("py-spy")
        output = Path(folder) / f"sdrbot-{port}.txt"
        command = [
            str(spy),
            "record",
            "--format",
            "raw",
            "--rate",
            "250",
            "--gil",
            "--subprocesses",
            "--duration",  # it writes its file when sampling ends, not when it is terminated
            "25",
            "--output",
            str(output),
            "--",
            *command,
        ]
    return command


def bare_bolt_command(port: int, workers: int = 1) -> list[str]:
    """The command line of the bare Bolt app (``bench.bare_bolt``) for ``port``."""
    return [sys.executable, "-m", "bench.bare_bolt", "--port", str(port), "--workers", str(workers)]


class RssSampler:
    """Polls the resident memory of a process and its children on a thread; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.cpu_seconds: dict[int, float] = {}
        self.children: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> Self:
        """Start sampling."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        """Take one reading of every live process in the tree."""
        try:
            root = psutil.Process(self.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for process in processes:
            try:
                rss = process.memory_info().rss
                times = process.cpu_times()
            except psutil.Error:
                continue
            self.cpu_seconds[process.pid] = times.user + times.system
            if process.pid != self.pid:
                self.children.add(process.pid)
            self.peaks[process.pid] = max(rss, self.peaks.get(process.pid, 0))

    def total_cpu_seconds(self) -> float:
        """CPU seconds (user and system) the whole tree had used at the last reading."""
        return sum(self.cpu_seconds.values())

    def worker_peak(self) -> int:
        """Peak RSS in bytes of the busiest worker: a child when workers were forked, else root."""
        children = [self.peaks[pid] for pid in self.children if pid in self.peaks]
        return max(children) if children else self.peaks.get(self.pid, 0)


@dataclass
class ServerProcess:
    """A server started as a subprocess; a context manager that stops it on exit.

    Attributes:
        command: The command line.
        env: Extra environment variables.
        port: The loopback port it serves on.
        log_path: Where its stdout and stderr go.
        workdir: Its working directory (a ``.env`` there would be read, so keep it clean).
    """

    command: Sequence[str]
    env: Mapping[str, str]
    port: int
    log_path: Path
    workdir: Path
    start_timeout: float = 60.0
    process: subprocess.Popen[bytes] | None = None
    sampler: RssSampler | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> Self:
        """Start the process and wait until ``GET /healthz`` answers 200.

        Raises:
            RuntimeError: When the process exits or does not get healthy in time.
        """
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])
        )
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            list(self.command),
            cwd=self.workdir,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.sampler = RssSampler(self.process.pid).start()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not get healthy; see {self.log_path}")

    def stop(self) -> None:
        """Stop sampling, then ask the process to exit (SIGTERM) and kill it if it lingers."""
        if self.sampler is not None:
            self.sampler.stop()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def peak_worker_rss_mb(self) -> float:
        """Peak resident memory of the busiest worker process, in MiB."""
        return (self.sampler.worker_peak() if self.sampler else 0) / (1024 * 1024)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
