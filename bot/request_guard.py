"""Checks a request to ``/slack/events`` must pass before Bolt sees it."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request

from bot.payload_shapes import ENVELOPE, EVENT, INTERACTION, fits

_COMMAND_FIELDS = ("team_id", "user_id", "channel_id")

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body read from Slack: its payloads (a modal's state included) stay far
below this; a bigger body is refused before its signature is checked, unread."""

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def strip_nul(data: Any) -> Any:
    """``data`` (a parsed payload) with every NUL character taken out of its strings, keys
    included; dicts and lists are changed in place, so Bolt's views of the body see it too.

    PostgreSQL's text and JSON columns refuse NUL, and no one types it on purpose.
    """
    if isinstance(data, str):
        return data.replace("\x00", "") if "\x00" in data else data
    if isinstance(data, list):
        data[:] = [strip_nul(item) for item in data]
    elif isinstance(data, dict):
        items = [(strip_nul(key), strip_nul(value)) for key, value in data.items()]
        data.clear()
        data.update(items)
    return data


async def strip_nul_middleware(body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
    """Bolt middleware: take NUL out of the parsed request before any listener reads it."""
    strip_nul(body)
    return await next()


class BodyTooLarge(Exception):
    """The request's body is, or claims to be, over :data:`MAX_BODY_BYTES`."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, read no further than ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused without reading a byte; a body
    without one (chunked) is read in chunks and refused as soon as it passes the limit, so a
    20 MB upload never sits in memory.

    Raises:
        BodyTooLarge: When the body is over ``limit``.
    """
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def is_signed(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Whether the request carries a current, valid Slack signature.

    Args:
        secret: The signing secret.
        body: The raw body.
        timestamp: The ``X-Slack-Request-Timestamp`` header.
        signature: The ``X-Slack-Signature`` header.

    Returns:
        False for a missing, non-numeric or overlong timestamp, a signature not shaped like
        ``v0=<64 hex digits>`` (slack_sdk raises on non-ASCII characters in either, and on
        digits ``int`` does not read), a stale timestamp or a wrong signature.
    """
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    try:
        return SignatureVerifier(secret).is_valid(body, timestamp, signature)
    except UnicodeDecodeError:  # the verifier decodes the body; Slack only sends UTF-8
        return False


def _is_object(raw: str, *, interaction: bool = False) -> bool:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting exhausts the parser's recursion
        return False
    if not isinstance(data, dict):
        return False
    # Bolt's middleware compares the envelope type with strings and fails on anything else.
    if not isinstance(data.get("type", ""), str):
        return False
    if interaction:
        return fits(data, INTERACTION)
    if data.get("type") != "event_callback":
        return True
    # Bolt's middleware and our listeners read these fields without checking their types.
    return (
        isinstance(data.get("event"), dict) and fits(data, ENVELOPE) and fits(data["event"], EVENT)
    )


def has_slack_shape(body: bytes) -> bool:
    """Whether ``body`` is shaped like something Slack sends: a JSON object, or a form with a
    command, an interactivity ``payload`` object or an SSL check.

    Bolt answers anything else with a 500 (its parsers and middleware assume these shapes),
    which would make a sender retry a request that can never succeed.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if text.lstrip().startswith("{"):
        return _is_object(text)
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        return _is_object(form["payload"][0], interaction=True)
    if "command" in form:
        # Slack always names the workspace, channel and user; the listeners rely on them. An
        # ``event`` field would be read as an event object by Bolt's middleware.
        return "event" not in form and all(form.get(name, [""])[0] for name in _COMMAND_FIELDS)
    return "ssl_check" in form
