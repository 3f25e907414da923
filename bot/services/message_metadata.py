"""Message metadata: what a post tells workflows and other apps, and which outbox row made it.

Slack keeps one metadata event on a message (``{"event_type", "event_payload"}``). The card,
the verdict and the hot-lead alert carry ``sdrbot_lead_qualified``; the messages a handoff
decision posts carry ``sdrbot_handoff_decided``; every other post carries ``sdrbot_outbox``.
Whatever its type, a post's payload also holds its outbox id (``id``), so that a post whose
outcome is unknown can still be found in the channel before it is sent again.

A staging service puts the event in the call's ``metadata``; the outbox adds the id when it
posts (:func:`with_outbox_id`).
"""

from __future__ import annotations

from typing import Any

from flows.model import VerdictResult

OUTBOX_EVENT = "sdrbot_outbox"
"""Event type of a post that tells nothing but the outbox message it came from."""
LEAD_QUALIFIED = "sdrbot_lead_qualified"
"""Event type of the card, the verdict and the alert of a qualified lead."""
HANDOFF_DECIDED = "sdrbot_handoff_decided"
"""Event type of the messages an accepted or rejected handoff posts."""
EVENT_TYPES = frozenset({OUTBOX_EVENT, LEAD_QUALIFIED, HANDOFF_DECIDED})
"""Every event type the bot posts."""
ID_KEY = "id"
"""Payload key of the outbox id."""


def lead_qualified(
    *,
    lead_id: int,
    qualification_id: int | None,
    verdict: VerdictResult,
    stage: str | None = None,
) -> dict[str, Any]:
    """The ``sdrbot_lead_qualified`` event of a verdict.

    Args:
        lead_id: The lead.
        qualification_id: The qualification that gave the verdict.
        verdict: The verdict.
        stage: The lead's stage when it moved on since the verdict (a handoff decision);
            the verdict's own stage when None.
    """
    payload: dict[str, Any] = {
        "lead_id": lead_id,
        "verdict": verdict.verdict.value,
        "stage": stage or verdict.stage.value,
        "score": verdict.score,
        "framework": verdict.framework,
    }
    if qualification_id is not None:
        payload["qualification_id"] = qualification_id
    return {"event_type": LEAD_QUALIFIED, "event_payload": payload}


def handoff_decided(
    *,
    lead_id: int,
    handoff_id: int,
    decision: str,
    decided_by: str,
    stage: str,
    verdict: VerdictResult | None,
) -> dict[str, Any]:
    """The ``sdrbot_handoff_decided`` event of an accepted or rejected handoff.

    Args:
        lead_id: The lead.
        handoff_id: The handoff.
        decision: ``accepted`` or ``rejected``.
        decided_by: Who decided (user id).
        stage: The lead's stage after the decision.
        verdict: The verdict that raised the handoff, if still known.
    """
    payload: dict[str, Any] = {
        "lead_id": lead_id,
        "handoff_id": handoff_id,
        "decision": decision,
        "decided_by": decided_by,
        "stage": stage,
    }
    if verdict is not None:
        payload["verdict"] = verdict.verdict.value
        payload["score"] = verdict.score
    return {"event_type": HANDOFF_DECIDED, "event_payload": payload}


def with_outbox_id(metadata: Any, message_id: int) -> dict[str, Any]:
    """The metadata to post: the staged event (or the plain outbox event) with the id added."""
    if isinstance(metadata, dict) and metadata.get("event_type") in EVENT_TYPES:
        payload = dict(metadata.get("event_payload") or {})
        payload[ID_KEY] = message_id
        return {"event_type": metadata["event_type"], "event_payload": payload}
    return {"event_type": OUTBOX_EVENT, "event_payload": {ID_KEY: message_id}}


def names_outbox_message(metadata: Any, message_id: int | None) -> bool:
    """Whether a posted message's metadata says it came from outbox message ``message_id``."""
    if not isinstance(metadata, dict) or metadata.get("event_type") not in EVENT_TYPES:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, dict) and payload.get(ID_KEY) == message_id
