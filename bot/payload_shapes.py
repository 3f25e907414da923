"""The shapes of what Slack sends, as far as Bolt's middleware and our listeners rely on them.

Slack documents each field's type; a signed payload whose fields have other types (an array
where an object belongs, a number where a string does) cannot come from Slack, and Bolt's
middleware would fail on it with a 500. A field that is absent is left to the listeners, which
read with defaults.
"""

from __future__ import annotations

from typing import Any

Shape = type | tuple[type, ...] | dict[str, "Shape"] | list["Shape"]
"""A type (or types) a value must have, an object with shaped fields, or a list of one shape."""

TEXT = (str, type(None))
_IDS: dict[str, Shape] = {"id": TEXT}
_OBJECT_IDS: Shape = {"id": TEXT, "name": TEXT, "domain": TEXT, "team_id": TEXT}
_ACTION: Shape = {
    "action_id": TEXT,
    "block_id": TEXT,
    "type": TEXT,
    "value": TEXT,
    "action_ts": TEXT,
    "selected_option": {"value": TEXT},
}
_VIEW: Shape = {
    "id": TEXT,
    "team_id": TEXT,
    "type": TEXT,
    "callback_id": TEXT,
    "external_id": TEXT,
    "private_metadata": TEXT,
    "hash": TEXT,
    "root_view_id": TEXT,
    "previous_view_id": TEXT,
    "state": {"values": {}},
    "blocks": [{}],
}
_MESSAGE: Shape = {"ts": TEXT, "thread_ts": TEXT, "text": TEXT, "user": TEXT, "bot_id": TEXT}

INTERACTION: dict[str, Shape] = {
    "type": TEXT,
    "user": _OBJECT_IDS,
    "team": _OBJECT_IDS,
    "enterprise": _IDS,
    "channel": _OBJECT_IDS,
    "api_app_id": TEXT,
    "token": TEXT,
    "trigger_id": TEXT,
    "response_url": TEXT,
    "callback_id": TEXT,
    "container": {
        "type": TEXT,
        "message_ts": TEXT,
        "thread_ts": TEXT,
        "channel_id": TEXT,
        "view_id": TEXT,
    },
    "message": _MESSAGE,
    "view": _VIEW,
    "state": {"values": {}},
    "actions": [_ACTION],
    "response_urls": [{}],
}
"""A ``block_actions``, ``view_submission``, ``view_closed`` or shortcut payload."""

EVENT: dict[str, Shape] = {
    "type": TEXT,
    "subtype": TEXT,
    "user": TEXT,
    "channel": TEXT,
    "text": TEXT,
    "ts": TEXT,
    "thread_ts": TEXT,
    "bot_id": TEXT,
    "team": TEXT,
    "tab": TEXT,
    "event_ts": TEXT,
    "channel_type": TEXT,
    "view": _VIEW,
    "message": _MESSAGE,
    "files": [{}],
    "blocks": [{}],
    "assistant_thread": {
        "user_id": TEXT,
        "channel_id": TEXT,
        "thread_ts": TEXT,
        "context": {"channel_id": TEXT, "team_id": TEXT, "enterprise_id": TEXT},
    },
}
"""The ``event`` of an ``event_callback``."""

ENVELOPE: dict[str, Shape] = {
    "type": TEXT,
    "team_id": TEXT,
    "api_app_id": TEXT,
    "event_id": TEXT,
    "event_time": (int, type(None)),
    "enterprise_id": TEXT,
    "context_team_id": TEXT,
    "authorizations": [{"team_id": TEXT, "user_id": TEXT, "enterprise_id": TEXT}],
}
"""An ``event_callback`` around its event."""


def fits(value: Any, shape: Shape) -> bool:
    """Whether ``value`` has ``shape``: a dict shape checks the fields present, no more; an
    object or a list may be null (Slack sends ``"enterprise": null``)."""
    if value is None and isinstance(shape, dict | list):
        return True
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(
            fits(value[name], inner) for name, inner in shape.items() if name in value
        )
    if isinstance(shape, list):
        return isinstance(value, list) and all(fits(item, shape[0]) for item in value)
    return isinstance(value, shape) and not (isinstance(value, bool) and bool not in _types(shape))


def _types(shape: type | tuple[type, ...]) -> tuple[type, ...]:
    return shape if isinstance(shape, tuple) else (shape,)
