"""Checks a request to ``/slack/events`` must pass before Bolt sees it."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

_COMMAND_FIELDS = ("team_id", "user_id", "channel_id")


def is_signed(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Whether the request carries a current, valid Slack signature.

    Args:
        secret: The signing secret.
        body: The raw body.
        timestamp: The ``X-Slack-Request-Timestamp`` header.
        signature: The ``X-Slack-Signature`` header.

    Returns:
        False for a missing or non-numeric timestamp (slack_sdk would raise on it), a stale one
        or a wrong signature.
    """
    if not timestamp.strip().isdigit():
        return False
    try:
        return SignatureVerifier(secret).is_valid(body, timestamp, signature)
    except UnicodeDecodeError:  # the verifier decodes the body; Slack only sends UTF-8
        return False


def _is_object(raw: str) -> bool:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting exhausts the parser's recursion
        return False
    if not isinstance(data, dict):
        return False
    # Bolt's middleware compares the envelope type with strings and fails on anything else.
    if not isinstance(data.get("type", ""), str):
        return False
    if data.get("type") != "event_callback":
        return True
    # Bolt's middleware and our listeners read these fields without checking their types.
    event = data.get("event")
    if not isinstance(event, dict) or not isinstance(data.get("event_id", ""), str):
        return False
    return all(
        isinstance(event.get(name, ""), str | None)
        for name in ("type", "subtype", "user", "channel", "text", "ts", "thread_ts", "bot_id")
    ) and isinstance(data.get("team_id", ""), str)


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
        return _is_object(form["payload"][0])
    if "command" in form:
        # Slack always names the workspace, channel and user; the listeners rely on them. An
        # ``event`` field would be read as an event object by Bolt's middleware.
        return "event" not in form and all(form.get(name, [""])[0] for name in _COMMAND_FIELDS)
    return "ssl_check" in form
