"""Web API calls with a JSON body: the bot's posts, card updates and ephemeral notes.

Each one is one POST on the client's shared aiohttp session, its answer read with orjson and
checked as slack_sdk checks it (``ok: false`` raises :class:`SlackApiError` with the response).
slack_sdk's own call path spends about as much Python on a call as the HTTP request itself
(building the URL and request arguments, a deprecation check, retry bookkeeping, the answer
decoded by the standard ``json`` module); a step posts once, so this is a tenth of a step.

Only a plain success is handled here. A rate limit, a server error, an answer that is not
JSON or a broken connection hands the call to the client's ``api_call``, so slack_sdk's retry
handlers (rate limits, server errors, connection errors) make the retries as they would after
their own first attempt; after a rate limit, its ``Retry-After`` is waited out first.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from storage.db import json_text

RATE_LIMIT_WAIT_CAP_SECONDS = 60.0
"""The longest ``Retry-After`` waited out before handing a rate-limited call on."""


async def call(client: AsyncWebClient, method: str, payload: dict[str, Any]) -> AsyncSlackResponse:
    """Call ``method`` with ``payload`` as its JSON body.

    Args:
        client: The Web API client: its token, base URL and shared session.
        method: e.g. ``chat.postMessage``.
        payload: The method's arguments.

    Returns:
        Slack's answer, as slack_sdk returns it.

    Raises:
        SlackApiError: Slack answered ``ok: false`` (after the retries, for retryable errors).
    """
    session = client.session
    if session is None or session.closed or not client.token or not client.base_url.endswith("/"):
        return await client.api_call(method, json=payload)
    url = client.base_url + method
    headers = {
        "Authorization": f"Bearer {client.token}",
        "Content-Type": "application/json;charset=utf-8",
    }
    try:
        async with session.post(url, data=json_text(payload), headers=headers) as response:
            status, retry_after = response.status, response.headers.get("Retry-After")
            if status == 200 and response.content_type == "application/json":
                data = orjson.loads(await response.read())
                return AsyncSlackResponse(
                    client=client,
                    http_verb="POST",
                    api_url=url,
                    req_args={"json": payload},
                    data=data,
                    headers=dict(response.headers),
                    status_code=status,
                ).validate()
    except (aiohttp.ClientConnectionError, orjson.JSONDecodeError):
        return await client.api_call(method, json=payload)
    if status == 429:
        await asyncio.sleep(_seconds(retry_after))
    return await client.api_call(method, json=payload)


def _seconds(retry_after: str | None) -> float:
    try:
        return min(RATE_LIMIT_WAIT_CAP_SECONDS, max(0.0, float(retry_after or 1)))
    except ValueError:
        return 1.0
