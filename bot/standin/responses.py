"""What a ``response_url`` post (or a command's acknowledgement body) does to the workspace.

Slack knows where each ``response_url`` came from: the channel, the user who typed or clicked and,
for a click, the message. The stand-in learns that from whoever builds the request (the simulator)
through :class:`ResponseTarget`; without one, a post is only recorded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from bot.standin.payloads import BOT_ID, BOT_USER_ID
from bot.standin.store import StoredMessage, Workspace


@dataclass(frozen=True, slots=True)
class ResponseTarget:
    """Where a ``response_url`` leads."""

    channel: str
    user: str
    thread_ts: str | None = None
    message_ts: str | None = None
    """The message a click came from; ``replace_original`` rewrites it."""
    ephemeral_ts: str | None = None
    """Set when the click came from an ephemeral message, which is what gets replaced."""


def apply_response(
    workspace: Workspace, token: str, payload: dict[str, Any], target: ResponseTarget | None
) -> dict[str, Any]:
    """Record a response and, when its target is known, show it as Slack would.

    Ephemeral responses become ephemerals for the user; ``in_channel`` ones become bot messages;
    ``replace_original`` / ``delete_original`` change the message (or ephemeral) clicked.

    Args:
        workspace: The store to change; the caller holds its lock.
        token: The last path segment of the ``response_url``.
        payload: The posted JSON (``text``, ``blocks``, ``response_type``...).
        target: Where the URL leads, if known.

    Returns:
        The recorded entry.
    """
    entry: dict[str, Any] = {
        "id": token,
        "text": payload.get("text", ""),
        "blocks": copy.deepcopy(payload.get("blocks") or []),
        "response_type": payload.get("response_type", "ephemeral"),
        "replace_original": bool(payload.get("replace_original", False)),
        "delete_original": bool(payload.get("delete_original", False)),
        "thread_ts": payload.get("thread_ts"),
        "channel": target.channel if target else None,
        "user": target.user if target else None,
    }
    workspace.responses.append(entry)
    workspace.emit({"kind": "response", "response": copy.deepcopy(entry)})
    if target is None:
        return entry
    if target.ephemeral_ts and (entry["replace_original"] or entry["delete_original"]):
        _change_ephemeral(workspace, target.ephemeral_ts, entry)
        return entry
    original = workspace.find(target.channel, target.message_ts) if target.message_ts else None
    if original is not None and entry["delete_original"]:
        workspace.channels[target.channel].remove(original)
        workspace.emit({"kind": "message_deleted", "channel": target.channel, "ts": original.ts})
    elif original is not None and entry["replace_original"]:
        original.text = entry["text"]
        original.blocks = entry["blocks"]
        original.updated = True
        workspace.emit({"kind": "message_changed", "message": original.to_slack()})
    elif entry["response_type"] == "in_channel":
        message = StoredMessage(
            channel=target.channel,
            ts=workspace.clock.next(),
            text=entry["text"],
            user=BOT_USER_ID,
            bot_id=BOT_ID,
            blocks=entry["blocks"],
            thread_ts=entry["thread_ts"] or target.thread_ts,
        )
        workspace.add_message(message)
    else:
        ephemeral = {
            "channel": target.channel,
            "user": target.user,
            "ts": workspace.clock.next(),
            "text": entry["text"],
            "blocks": entry["blocks"],
            "thread_ts": entry["thread_ts"] or target.thread_ts,
            "via": "response_url",
        }
        workspace.ephemerals.append(ephemeral)
        workspace.emit({"kind": "ephemeral", "ephemeral": copy.deepcopy(ephemeral)})
    return entry


def _change_ephemeral(workspace: Workspace, ts: str, entry: dict[str, Any]) -> None:
    for ephemeral in workspace.ephemerals:
        if ephemeral["ts"] == ts:
            if entry["delete_original"]:
                workspace.ephemerals.remove(ephemeral)
            else:
                ephemeral.update(text=entry["text"], blocks=entry["blocks"])
            workspace.emit({"kind": "ephemeral", "ephemeral": copy.deepcopy(ephemeral)})
            return
