"""Let the first request after start find the workspace's identity alone.

Bolt's single-workspace authorization calls ``auth.test`` and keeps the answer, but only once
that call has returned: every request that arrives before then makes its own call. A burst at
start (300 ``/qualify`` at once) sent 300 ``auth.test`` calls, and the ones that timed out
were answered 503. Until one request has been authorized, requests go through one at a time;
after that they run side by side, on Bolt's kept answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


class AuthorizeFirstAlone:
    """A Bolt ``before_authorize`` middleware (one per app)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._authorized = False

    async def __call__(self, context: Any, next: Callable[[], Awaitable[Any]]) -> Any:
        if self._authorized:
            return await next()
        async with self._lock:
            if not self._authorized:
                try:
                    return await next()
                finally:
                    self._authorized = context.authorize_result is not None
        return await next()
