"""HubSpot's deal-stage webhooks: a deal closed won or lost in HubSpot records the outcome here.

HubSpot signs each request (signature v3: base64 of HMAC-SHA256 over method, URI, body and
timestamp with the app's client secret, in ``X-HubSpot-Signature-v3``, the timestamp in
milliseconds in ``X-HubSpot-Request-Timestamp``); older than five minutes is refused. A
verified event is staged in the outbox (``hubspot.read_deal``, keyed by HubSpot's event id, so
a redelivery does nothing twice) and answered 200 after the commit; the outbox reads the deal's
companies, and the transaction that marks that read done records the outcome of every lead
linked to them, like ``/lead won``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.crm.hubspot_api import HubSpotApi
from bot.crm.mapping import HubSpotMapping
from bot.services import outcomes
from storage import crm, leads, outbox
from storage.models import OutboxMessage

if TYPE_CHECKING:
    from bot.services.context import Services

READ_DEAL = "hubspot.read_deal"
KIND = "crm_deal"
SIGNATURE_HEADER = "X-HubSpot-Signature-v3"
TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp"
MAX_AGE_MS = 5 * 60 * 1000
PATH = "/crm/hubspot/webhook"


def sign(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """HubSpot's v3 signature of a request."""
    message = method.encode() + uri.encode() + body + timestamp.encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(secret: str, method: str, uri: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Whether a request is HubSpot's: a known secret, a fresh timestamp, a matching signature."""
    if not secret or not timestamp.isdigit():
        return False
    if abs(time.time() * 1000 - int(timestamp)) > MAX_AGE_MS:
        return False
    return hmac.compare_digest(sign(secret, method, uri, body, timestamp), signature)


def closing_events(mapping: HubSpotMapping, events: Any) -> list[dict[str, Any]]:
    """The deal-stage changes to a won or lost stage among a webhook's events."""
    if not isinstance(events, list):
        raise ValueError("HubSpot sends a list of events")
    closing = []
    for event in events:
        if not isinstance(event, dict) or event.get("propertyName") != "dealstage":
            continue
        if not str(event.get("subscriptionType", "")).startswith("deal."):
            continue
        stage = str(event.get("propertyValue") or "")
        if stage in mapping.won_stages or stage in mapping.lost_stages:
            closing.append(event)
    return closing


def stage_events(session: Session, mapping: HubSpotMapping, events: list[dict[str, Any]]) -> int:
    """Queue a read of each closing deal, once per HubSpot event id."""
    queued = 0
    for event in events:
        stage = str(event["propertyValue"])
        payload = {
            "deal_id": str(event.get("objectId")),
            "stage": stage,
            "won": stage in mapping.won_stages,
            "occurred_at": event.get("occurredAt"),
            "target": "HubSpot",
            "__meta": {"kind": KIND},
        }
        row = outbox.enqueue(
            session=session,
            team_id=f"hubspot:{event.get('portalId')}",
            method=READ_DEAL,
            payload=payload,
            dedupe_key=f"hubspot:event:{event.get('eventId')}:{event.get('objectId')}",
        )
        queued += row is not None
    return queued


class DealReader:
    """The outbox's handler for ``hubspot.read_deal``: which companies the deal belongs to."""

    def __init__(self, api: HubSpotApi) -> None:
        self.api = api

    async def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        deal = await self.api.get_deal(str(payload["deal_id"]))
        linked = ((deal.get("associations") or {}).get("companies") or {}).get("results") or []
        return {"companies": sorted({str(c["id"]) for c in linked}), "won": payload["won"]}


def deal_settled(
    session: Session,
    message: OutboxMessage,
    result: dict[str, Any] | None,
    crm_vendors: Sequence[str],
) -> None:
    """Record won or lost for every lead linked to the deal's companies (and tell the CRMs)."""
    if not result:
        return
    payload = message.payload
    result_kind = outcomes.Result.WON if result["won"] else outcomes.Result.LOST
    reason = None if result["won"] else f"HubSpot deal {payload['deal_id']}: {payload['stage']}"
    for company_id in result["companies"]:
        for link in crm.links_of_record(session=session, vendor="hubspot", record_id=company_id):
            lead = leads.get_lead(session=session, team_id=link.team_id, lead_id=link.lead_id)
            if lead is None:
                continue
            outcomes.record_outcome(
                session=session,
                team_id=link.team_id,
                lead=lead,
                result=result_kind,
                reason=reason,
                actor_id="hubspot",
                crm=crm_vendors,
            )


def webhook_routes(services: Services) -> list[Route]:
    """``POST /crm/hubspot/webhook``: HubSpot's deal-stage events, verified."""

    async def receive(request: Request) -> Response:
        body = await request.body()
        headers = request.headers
        if not verify(
            services.settings.hubspot_app_secret,
            request.method,
            str(request.url),
            body,
            headers.get(TIMESTAMP_HEADER, ""),
            headers.get(SIGNATURE_HEADER, ""),
        ):
            return Response("invalid signature", status_code=401)
        try:
            events = closing_events(services.config.crm.hubspot, json.loads(body))
        except ValueError as error:
            return Response(f"malformed: {error}", status_code=400)
        mapping = services.config.crm.hubspot
        queued = await services.transaction(lambda s: stage_events(s, mapping, events))
        if queued:
            services.wake_outbox()
        return JSONResponse({"queued": queued})

    return [Route(PATH, receive, methods=["POST"])]
