"""Sends HubSpot-shaped webhook requests (signature v3), as HubSpot does to an app's target URL."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import httpx

from bot.crm.deals import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from bot.standin.hubspot import PORTAL_ID

_EVENT_IDS = itertools.count(100)


def deal_stage_event(deal_id: str, stage: str, *, event_id: int | None = None) -> dict[str, Any]:
    """One ``deal.propertyChange`` event for ``dealstage``, in HubSpot's shape."""
    return {
        "eventId": next(_EVENT_IDS) if event_id is None else event_id,
        "subscriptionId": 7,
        "portalId": PORTAL_ID,
        "appId": 99,
        "occurredAt": int(time.time() * 1000),
        "subscriptionType": "deal.propertyChange",
        "attemptNumber": 0,
        "objectId": int(deal_id),
        "propertyName": "dealstage",
        "propertyValue": stage,
        "changeSource": "CRM_UI",
    }


def deliver(
    url: str, secret: str, events: list[dict[str, Any]], *, timestamp_ms: int | None = None
) -> httpx.Response:
    """POST ``events`` to ``url`` signed with the app's ``secret`` (v3)."""
    body = json.dumps(events).encode()
    timestamp = str(int(time.time() * 1000) if timestamp_ms is None else timestamp_ms)
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, "POST", url, body, timestamp),
    }
    return httpx.post(url, content=body, headers=headers, timeout=10)
