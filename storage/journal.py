"""A local write-ahead journal of accepted inputs, replayed after a crash.

An input is written here before Slack gets its acknowledgement and marked done once its
transaction committed. Each process appends to a file of its own and holds an exclusive
``flock`` on it; a file whose lock can be taken belongs to a process that is gone, and its
inputs that were never marked done are handed to whoever recovers them. Replaying an input
twice is harmless: every input carries the idempotency keys its transaction claims.

A record reaches the kernel with one ``write`` before the acknowledgement, so it survives the
process being killed; like SQLite's WAL with ``synchronous=NORMAL``, it is not synced to disk
on every write, so a power cut of the host can lose the last records.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

_SUFFIX = ".jsonl"
COMPACT_BYTES = 1 << 20
"""Once nothing is pending and the file has grown past this, it starts again empty."""


def read_pending(lines: Iterator[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """The records of a journal file that were never marked done, in the order written.

    A line cut short by a crash, or otherwise unreadable, is skipped.
    """
    pending: dict[int, dict[str, Any]] = {}
    for line in lines:
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("done"), int):
            pending.pop(entry["done"], None)
        elif isinstance(entry.get("seq"), int) and isinstance(entry.get("record"), dict):
            pending[entry["seq"]] = entry["record"]
    return list(pending.items())


@dataclass
class Orphan:
    """The journal file of a process that is gone, locked by us until :meth:`release`.

    Attributes:
        path: The file.
        pending: ``(seq, record)`` of the inputs it never marked done.
    """

    path: Path
    pending: list[tuple[int, dict[str, Any]]]
    _fd: int = field(repr=False)

    def release(self) -> None:
        """Remove the file (its inputs are applied) and drop the lock."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)


class Journal:
    """This process's journal file in ``directory``; with no directory, nothing is written
    (an in-memory database dies with the process anyway)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.path: Path | None = None
        self._fd: int | None = None
        self._next = 1
        self._pending: set[int] = set()

    def open(self) -> None:
        """Create this process's file and lock it."""
        if self.directory is None or self._fd is not None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / f"{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fd = fd

    @property
    def pending(self) -> int:
        """How many inputs were accepted and are not done yet."""
        return len(self._pending)

    def append(self, record: dict[str, Any]) -> int:
        """Write ``record`` (JSON-serialisable) and return its sequence number.

        Raises:
            OSError: the file could not be written; the input must not be acknowledged.
        """
        seq = self._next
        self._next += 1
        self._write({"seq": seq, "record": record})
        self._pending.add(seq)
        return seq

    def done(self, seq: int) -> None:
        """Mark the input ``seq`` as applied; it will not be replayed."""
        self._pending.discard(seq)
        if self._fd is None:
            return
        if not self._pending and os.fstat(self._fd).st_size > COMPACT_BYTES:
            os.ftruncate(self._fd, 0)  # O_APPEND: the next write starts the file again
            return
        self._write({"done": seq})

    def close(self) -> None:
        """Release the file: removed when nothing is pending, else left for recovery."""
        if self._fd is None:
            return
        if not self._pending and self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def orphans(self) -> Iterator[Orphan]:
        """Lock and read, one by one, the journal files whose process is gone."""
        if self.directory is None or not self.directory.is_dir():
            return
        for path in sorted(self.directory.glob(f"*{_SUFFIX}")):
            if path == self.path:
                continue
            orphan = _take(path)
            if orphan is not None:
                yield orphan

    def _write(self, entry: dict[str, Any]) -> None:
        if self._fd is None:
            return
        os.write(self._fd, orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))


def _take(path: Path) -> Orphan | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # Another recoverer may have removed the file between our open and our lock.
        if os.fstat(fd).st_ino != os.stat(path).st_ino:
            raise FileNotFoundError(path)
        with os.fdopen(os.dup(fd), "rb") as file:
            pending = read_pending(iter(file))
    except (BlockingIOError, FileNotFoundError):
        os.close(fd)
        return None
    return Orphan(path=path, pending=pending, _fd=fd)
