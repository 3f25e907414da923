"""One ``auth.test`` for the requests that arrive together after start.

Bolt's single-workspace authorization calls ``auth.test`` and keeps the answer, but only once
that call has returned: every request that arrives before then makes its own call. A burst at
start (300 ``/qualify`` at once) made 300 calls, and those that timed out were answered 503.
Here the first call is made alone and the requests that came with it wait for its answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


class SharedAuthTest(AsyncSingleTeamAuthorization):
    """Bolt's single-workspace authorization with its first ``auth.test`` made once."""

    def __init__(self, replaced: AsyncSingleTeamAuthorization) -> None:
        super().__init__(
            user_facing_authorize_error_message=replaced.user_facing_authorize_error_message
        )
        self.logger = replaced.logger
        self._first_call = asyncio.Lock()

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        if self.auth_test_result is None:
            # Bolt's ``next`` only marks the chain to go on, so the lock covers the call alone.
            async with self._first_call:
                return await super().async_process(req=req, resp=resp, next=next)
        return await super().async_process(req=req, resp=resp, next=next)


def share_auth_test(app: AsyncApp) -> None:
    """Put :class:`SharedAuthTest` in place of Bolt's own single-workspace authorization.

    Bolt offers no setting for it: its middleware list is replaced in place, once, right after
    the app is built (a multi-workspace app has no such middleware and is left as it is).
    """
    chain = app._async_middleware_list  # no public way to swap this middleware
    chain[:] = [SharedAuthTest(m) if type(m) is AsyncSingleTeamAuthorization else m for m in chain]
