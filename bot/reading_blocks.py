"""Block Kit for what the bot understood: one line per reading with a control to change it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blocks import (
    READING_CHANGE_ACTION,
    Message,
    message,
    plain,
    reading_control_value,
    section,
)
from bot.rendering import Texts
from flows.model import Assessment, Criterion, Framework, Status

STATUSES = tuple(status.value for status in Status)


def reading_line(
    t: Texts, *, criterion: Criterion, assessment: Assessment, whole: bool = False
) -> str:
    """One line: the criterion's name, the value, the rep's decisive words and the status.

    With ``whole`` the line quotes all the words read (a sentence of notes), not only the
    ones that decided the reading.
    """
    # The reader names the words that decided a reading; older readings have only the answer.
    words = assessment.evidence if whole else getattr(assessment, "span", "") or assessment.evidence
    return t(
        "reading_line",
        name=criterion.title(t.lang),
        kind=criterion.kind.value,
        value=assessment.value,
        words=words,
        status=assessment.status.value,
    )


def reading_section(
    t: Texts, *, criterion: Criterion, assessment: Assessment, thread_ts: str, whole: bool = False
) -> dict[str, Any]:
    """The line with a select that sets another status (the current one is not offered)."""
    options = [
        {
            "text": plain(t("reading_option", status=status), 75),
            "value": reading_control_value(thread_ts, criterion.key, status),
        }
        for status in STATUSES
        if status != assessment.status.value
    ]
    return {
        **section(reading_line(t, criterion=criterion, assessment=assessment, whole=whole)),
        "block_id": f"reading_{criterion.key}",
        "accessory": {
            "type": "static_select",
            "action_id": READING_CHANGE_ACTION,
            "placeholder": plain(t("reading_change"), 150),
            "options": options,
        },
    }


def readings_message(
    t: Texts,
    *,
    framework: Framework,
    readings: Mapping[str, Assessment],
    thread_ts: str,
    heading: str | None = None,
    note: str | None = None,
    whole: bool = False,
) -> Message:
    """Readings, one line each with its change control, under an optional heading and over an
    optional small-print note; ``whole`` quotes all the words read (see :func:`reading_line`)."""
    lines = [
        reading_line(t, criterion=framework.criterion(key), assessment=a, whole=whole)
        for key, a in readings.items()
    ]
    blocks = [section(heading)] if heading else []
    blocks += [
        reading_section(
            t, criterion=framework.criterion(key), assessment=a, thread_ts=thread_ts, whole=whole
        )
        for key, a in readings.items()
    ]
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    text = "\n".join([*([heading] if heading else []), *lines, *([note] if note else [])])
    return message(text, blocks)


def preceded_by(first: Message | None, then: Message) -> Message:
    """``then`` with ``first``'s blocks and text in front of its own (``then`` if no ``first``);
    ``then``'s metadata, if any, stays with it."""
    if first is None:
        return then
    joined = message(f"{first['text']}\n{then['text']}", [*first["blocks"], *then["blocks"]])
    if "metadata" in then:
        joined["metadata"] = then["metadata"]
    return joined
