"""Small typed inputs the listeners hand to the services, and thread-text parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Command(StrEnum):
    """What a thread reply or button asks the conversation to do."""

    ANSWER = "answer"
    SKIP = "skip"
    BACK = "back"
    EDIT = "edit"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    HELP = "help"
    CORRECT = "correct"
    """Set a criterion's reading chosen by a person (a change, or a clarification's choice)."""


# Typed keywords, English and German. They are input the bot recognises, not wording it says.
_KEYWORDS: dict[str, Command] = {
    "skip": Command.SKIP,
    "überspringen": Command.SKIP,
    "ueberspringen": Command.SKIP,
    "back": Command.BACK,
    "zurück": Command.BACK,
    "zurueck": Command.BACK,
    "pause": Command.PAUSE,
    "resume": Command.RESUME,
    "weiter": Command.RESUME,
    "fortsetzen": Command.RESUME,
    "cancel": Command.CANCEL,
    "abbrechen": Command.CANCEL,
    "help": Command.HELP,
    "hilfe": Command.HELP,
}
_EDIT_WORDS = ("edit", "ändere", "aendere", "ändern", "bearbeite")


@dataclass(frozen=True, slots=True)
class Turn:
    """One step of a qualification conversation as the service sees it.

    Attributes:
        team_id: Workspace id.
        channel_id: Channel of the qualification thread.
        thread_ts: Timestamp of the thread root (the qualification card).
        user_id: Who spoke or clicked.
        command: What to do.
        text: The answer text, or the criterion to edit.
        event_id: Id used to process the input once (event id or action timestamp).
        message_ts: Timestamp of the reply message, for de-duplication by message.
        expected_criterion: For buttons: the criterion the button belonged to.
        reading: For ``correct``: the unpacked control value (criterion ``c``, status ``s``;
            a clarification's choice adds its value ``v``, words ``e`` and knock-out ``k``).
        question_ts: For buttons: the message clicked, closed in place once answered.
    """

    team_id: str
    channel_id: str
    thread_ts: str
    user_id: str
    command: Command
    text: str | None = None
    event_id: str | None = None
    message_ts: str | None = None
    expected_criterion: str | None = None
    reading: dict[str, Any] | None = None
    question_ts: str | None = None


def parse_thread_text(text: str) -> tuple[Command, str | None]:
    """Read a thread reply as a command or as an answer.

    Args:
        text: The reply as typed.

    Returns:
        The command and its argument: the answer text for ``answer``, the criterion for ``edit``,
        ``None`` otherwise.
    """
    stripped = " ".join(text.split())
    lowered = stripped.casefold().rstrip(".!")
    if lowered in _KEYWORDS:
        return _KEYWORDS[lowered], None
    first, _, rest = lowered.partition(" ")
    if first in _EDIT_WORDS and rest:
        return Command.EDIT, rest.strip().replace(" ", "_")
    return Command.ANSWER, stripped


def button_value(**fields: Any) -> str:
    """Pack button data compactly as JSON (Slack allows 2,000 characters)."""
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)


def read_button_value(value: str | None) -> dict[str, Any]:
    """Unpack a value made by :func:`button_value`; anything else gives an empty dict."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


MAX_ROW_ID = 2**31 - 1
"""The largest id a row can have: ids are PostgreSQL ``integer`` columns (signed 32 bits); a
bigger number in a click would make the query fail instead of finding nothing."""


def button_id(value: dict[str, Any], key: str) -> int | None:
    """The row id stored under ``key`` in an unpacked button value, or None when it is missing,
    not a whole number or outside the range of row ids (a click can carry anything)."""
    return row_id(value.get(key))


def row_id(raw: Any) -> int | None:
    """``raw`` as a row id (a whole number from 1 to :data:`MAX_ROW_ID`, or its digits), else
    None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        # Only ASCII digits, and few enough that int() never meets its length limit.
        raw = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None
    if isinstance(raw, int) and 0 < raw <= MAX_ROW_ID:
        return raw
    return None
