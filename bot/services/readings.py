"""Readings people choose or paste: a changed reading, a clarification's choice, call notes.

The step path (``bot.services.steps``) calls these to turn a click or a pasted reply into
readings; the readings are then stored like any other answer, in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from bot import reading_blocks
from bot.blocks import Message
from bot.rendering import Texts
from bot.services.context import Services
from flows.conversation import Conversation
from flows.model import Assessment, Framework, Status
from flows.notes import read_notes, split_sentences
from flows.phrasebook import Phrasebook


def chosen_reading(
    reading: Mapping[str, Any], conversation: Conversation, framework: Framework
) -> tuple[str, Assessment] | None:
    """The criterion and assessment a reading control stands for, or None when it is stale.

    A clarification's choice (it carries the words, ``e``) answers the question still being
    asked; a change keeps the stored answer's words and value and sets the chosen status.
    """
    key = reading.get("c")
    try:
        status = Status(reading.get("s"))
    except ValueError:
        return None
    if not isinstance(key, str) or key not in framework.keys:
        return None
    if "e" in reading:
        if conversation.state != key:
            return None
        words = str(reading.get("e") or "")
        return key, Assessment(
            status=status, value=reading.get("v"), evidence=words, knockout=bool(reading.get("k"))
        )
    current = conversation.answers.get(key)
    if current is None or current.status is status:
        return None
    # The person decides the status; a knock-out was the reader's reason for "missing".
    return key, dataclasses.replace(current, status=status, knockout=False)


def notes_in_reply(
    services: Services,
    framework: Framework,
    conversation: Conversation,
    text: str,
    phrasebook: Phrasebook | None,
) -> dict[str, Assessment]:
    """The readings of a thread reply that is call notes, or nothing when it is an answer.

    A reply of several sentences counts as notes when it settles some criterion besides the
    one being asked; criteria answered before are left as they are.
    """
    asked = conversation.state
    if asked not in framework.keys or len(split_sentences(text)) < 2:
        return {}
    noted = read_notes(
        framework,
        text,
        lang=conversation.lang,
        thresholds=framework.thresholds,
        today=services.clock.now().date(),
        phrasebook=phrasebook,
    )
    fresh = {k: a for k, a in noted.items() if k == asked or k not in conversation.answers}
    return fresh if any(key != asked for key in fresh) else {}


def notes_message(
    t: Texts, *, framework: Framework, noted: Mapping[str, Assessment], thread_ts: str
) -> Message:
    """What was taken from notes, one changeable line per criterion (or that nothing was)."""
    if not noted:
        return reading_blocks.readings_message(
            t, framework=framework, readings={}, thread_ts=thread_ts, heading=t("notes_none")
        )
    return reading_blocks.readings_message(
        t,
        framework=framework,
        readings=noted,
        thread_ts=thread_ts,
        heading=t("notes_taken", count=len(noted)),
        whole=True,
    )
