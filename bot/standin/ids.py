"""Identifiers shaped like Slack's: message timestamps, event ids, trigger ids, DM channels."""

from __future__ import annotations

import secrets
import string
import threading
import time

_ALPHABET = string.ascii_uppercase + string.digits


class TsClock:
    """Hands out message timestamps (``"1700000000.000100"``) that never repeat and only grow.

    Slack's ``ts`` is both an id and an order, so two messages in the same microsecond must still
    get distinct, increasing values.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def next(self) -> str:
        """Return the next timestamp."""
        with self._lock:
            micros = max(self._last + 1, int(time.time() * 1_000_000))
            self._last = micros
        seconds, fraction = divmod(micros, 1_000_000)
        return f"{seconds}.{fraction:06d}"


def random_id(prefix: str, length: int = 10) -> str:
    """Return ``prefix`` followed by ``length`` upper-case letters and digits, like ``Ev04ABC``."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def event_id() -> str:
    """Return a fresh Events API ``event_id``."""
    return random_id("Ev", 10)


def trigger_id() -> str:
    """Return a fresh ``trigger_id`` in Slack's three-part shape."""
    return f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**11)}.{secrets.token_hex(16)}"


def dm_channel_id(user_id: str) -> str:
    """Return the stable DM channel id between the bot and ``user_id``."""
    return "D" + user_id.replace("_", "")
