"""CRM webhooks: signed JSON POSTs on verdicts, handoff decisions and outcomes.

Deliveries go through the durable outbox (method ``webhook``) in the transaction that caused
them, so a crash never loses one and the outbox's backoff retries a receiver that is down.
Secrets stay in the team config; the outbox row only names the URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from sqlmodel import Session

from bot.config import WEBHOOK_EVENTS, WebhookTarget
from storage import outbox

WEBHOOK_METHOD = "webhook"
SIGNATURE_HEADER = "X-Sdrbot-Signature"
TIMESTAMP_HEADER = "X-Sdrbot-Timestamp"
EVENT_HEADER = "X-Sdrbot-Event"


class WebhookError(RuntimeError):
    """A receiver refused a delivery or could not be reached; the outbox retries."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` HMAC-SHA256 hex over ``{timestamp}.{body}``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Check a delivery's signature in constant time (what a receiver does)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def emit(
    *,
    session: Session,
    team_id: str,
    targets: Sequence[WebhookTarget],
    event: str,
    data: Mapping[str, Any],
    key: str,
) -> int:
    """Queue ``event`` for every receiver that wants it, in the caller's transaction.

    Args:
        session: the transaction that records the change being announced.
        team_id: Slack team id.
        targets: the team's receivers.
        event: one of :data:`bot.config.WEBHOOK_EVENTS`.
        data: the event's JSON-able details.
        key: what makes this occurrence unique (e.g. ``lead:42:won``), for deduplication.

    Returns:
        How many deliveries were queued now.
    """
    if event not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    queued = 0
    for target in targets:
        if not target.wants(event):
            continue
        url_tag = hashlib.sha256(target.url.encode()).hexdigest()[:12]
        body = {"event": event, "team_id": team_id, "data": dict(data)}
        row = outbox.enqueue(
            session=session,
            team_id=team_id,
            method=WEBHOOK_METHOD,
            payload={"url": target.url, "event": event, "body": body},
            dedupe_key=f"webhook:{event}:{key}:{url_tag}",
        )
        queued += row is not None
    return queued


class WebhookDelivery:
    """Sends queued webhook payloads; plugged into the outbox sender for method ``webhook``.

    Args:
        targets: the configured receivers (their secrets sign the deliveries).
        timeout_seconds: how long one POST may take.
    """

    def __init__(self, targets: Sequence[WebhookTarget], *, timeout_seconds: float = 10) -> None:
        self._secrets = {t.url: t.secret for t in targets}
        self._timeout = timeout_seconds

    async def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST one payload; raise :class:`WebhookError` unless the receiver answers 2xx."""
        url = str(payload["url"])
        body = json.dumps(payload["body"], separators=(",", ":"), sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._secrets.get(url, ""), timestamp, body),
            EVENT_HEADER: str(payload.get("event", "")),
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise WebhookError(f"{url}: {error!r}") from error
        if not 200 <= response.status_code < 300:
            raise WebhookError(f"{url}: HTTP {response.status_code}")
        return {"status": response.status_code}
