"""Rerunning a unit of work when it lost a race that a retry can win."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from storage.db import session_scope

T = TypeVar("T")

_RETRYABLE_SQLSTATES = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
    }
)
_RETRYABLE_SQLITE_MESSAGES = ("database is locked", "database table is locked", "database is busy")


class StaleVersion(Exception):
    """The row changed since it was read: another worker saved a step first."""


def is_retryable(error: BaseException) -> bool:
    """Tell whether ``error`` is a lost race (stale version, serialization, deadlock, lock)."""
    if isinstance(error, StaleVersion | StaleDataError):  # a version counter's guard
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    message = str(original).lower()
    return any(fragment in message for fragment in _RETRYABLE_SQLITE_MESSAGES)


def is_unavailable(error: BaseException) -> bool:
    """The database could not be reached: wait and try again, however long it takes."""
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or type(error.orig).__name__ in (
            "OperationalError",
            "InterfaceError",
        )
    return isinstance(error, OSError)


def run_in_transaction(
    engine: Engine,
    fn: Callable[[Session], T],
    *,
    retries: int = 5,
    base_delay: float = 0.005,
    max_delay: float = 0.25,
) -> T:
    """Run ``fn(session)`` in one transaction, starting over when it loses a race.

    Each attempt gets a fresh session, so ``fn`` must read what it needs through that session
    and must not have effects outside the database (send Slack messages after this returns).

    Args:
        engine: the engine to open sessions on.
        fn: the unit of work; its return value is returned.
        retries: how many times to rerun after a retryable failure.
        base_delay: first backoff in seconds; doubles per attempt, with full jitter.
        max_delay: ceiling of one backoff in seconds.

    Returns:
        What ``fn`` returned on the attempt that committed.

    Raises:
        Exception: the last error when it is not retryable or the retries are used up.
    """
    attempt = 0
    while True:
        try:
            with session_scope(engine) as session:
                return fn(session)
        except Exception as error:
            if attempt >= retries or not is_retryable(error):
                raise
            attempt += 1
            # Full jitter spreads the competitors out so they don't collide again in lockstep.
            time.sleep(random.uniform(0, min(max_delay, base_delay * 2**attempt)))
