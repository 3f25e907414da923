"""A stand-in for HubSpot's CRM v3 API on loopback: companies, deals, properties, the account.

It answers in HubSpot's documented shapes, refusals included: 401 for a wrong token, 404 for an
unknown record, 409 for a second create of a unique value (with ``Existing ID``) or an existing
property, 400 for a property that does not exist or a lifecycle stage moved backwards, and,
on demand, 429 (with ``Retry-After`` and the ``X-HubSpot-RateLimit-*`` headers) and 5xx (before
or after the change was made). Every call is recorded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.standin.hubspot_records import BODY, LIMIT_HEADERS, PORTAL_ID, Records, error
from bot.standin.loop_thread import LoopbackSite, LoopThread

__all__ = ["PORTAL_ID", "HubSpotStandIn"]


@dataclass
class Call:
    """One request as the stand-in saw it, and what it answered."""

    method: str
    path: str
    body: Any
    status: int
    fault: str | None = None


@dataclass
class Fault:
    """An injected refusal: ``429``, ``500`` (nothing done) or ``500_after`` (done, then 500)."""

    kind: str
    match: str = ""
    retry_after: float = 1.0


class HubSpotStandIn(Records, LoopbackSite):
    """The stand-in server.

    Args:
        token: The only private-app token accepted.
        host: Interface (keep it loopback).
        port: Port; 0 picks a free one.
    """

    def __init__(self, *, token: str = "pat-test", host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.host = host
        self.port = port
        super().__init__()
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self._runner: web.AppRunner | None = None
        self._loop_thread = LoopThread("hubspot-standin")

    # -- lifecycle and test controls ---------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.router.add_post("/crm/v3/objects/companies/search", self._search)
        app.router.add_post("/crm/v3/objects/companies", self._create)
        app.router.add_get("/crm/v3/objects/companies/{id}", self._get)
        app.router.add_patch("/crm/v3/objects/companies/{id}", self._update)
        app.router.add_get("/crm/v3/objects/deals/{id}", self._deal)
        app.router.add_post("/crm/v3/objects/contacts/search", self._search_contacts)
        app.router.add_post("/crm/v3/objects/contacts", self._create_contact)
        app.router.add_put(
            "/crm/v4/objects/contacts/{id}/associations/default/companies/{company}",
            self._associate,
        )
        app.router.add_get("/crm/v3/properties/companies", self._list_properties)
        app.router.add_post("/crm/v3/properties/companies", self._create_property)
        app.router.add_post("/crm/v3/properties/companies/groups", self._create_group)
        app.router.add_get("/account-info/v3/details", self._account)
        return app

    def inject(
        self, kind: str, count: int = 1, *, match: str = "", retry_after: float = 1.0
    ) -> None:
        """Answer the next ``count`` calls whose ``METHOD path$`` contains ``match`` with a fault
        (end ``match`` with ``$`` to name one path exactly)."""
        with self.lock:
            self.faults.extend(Fault(kind, match, retry_after) for _ in range(count))

    def add_company(self, **properties: Any) -> str:
        """Put a company in the account, as if someone had created it in HubSpot."""
        return self._new_company({k: str(v) for k, v in properties.items()})["id"]

    def delete_company(self, company_id: str) -> None:
        """Remove a company, as someone merging or deleting it in HubSpot would."""
        with self.lock:
            self.store.companies.pop(company_id, None)

    def companies(self, **properties: str) -> list[dict[str, Any]]:
        """The stored companies whose properties have these values (all properties shown)."""
        with self.lock:
            return [
                dict(c["properties"], id=c["id"])
                for c in self.store.companies.values()
                if all(c["properties"].get(k) == v for k, v in properties.items())
            ]

    def add_deal(self, company_id: str, stage: str = "appointmentscheduled") -> str:
        """A deal associated with a company."""
        deal_id = str(next(self._ids))
        self.store.deals[deal_id] = {"dealstage": stage, "company": company_id}
        return deal_id

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        """The recorded calls of one HTTP method whose path starts with ``prefix``."""
        with self.lock:
            return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    # -- the guard: token, faults, recording -------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        request[BODY] = body
        fault = self._take_fault(f"{request.method} {request.path}$")
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            response: web.StreamResponse = error(
                401,
                "Authentication credentials not found.",
                "INVALID_AUTHENTICATION",
            )
        elif fault is not None and fault.kind == "429":
            response = web.json_response(
                {
                    "status": "error",
                    "message": "You have reached your ten_secondly_rolling limit.",
                    "errorType": "RATE_LIMIT",
                    "correlationId": "standin",
                    "policyName": "TEN_SECONDLY_ROLLING",
                },
                status=429,
                headers={
                    **LIMIT_HEADERS,
                    "X-HubSpot-RateLimit-Remaining": "0",
                    "Retry-After": f"{fault.retry_after:g}",
                },
            )
        elif fault is not None and fault.kind == "500":
            response = error(500, "internal error", "INTERNAL_ERROR")
        else:
            with self.lock:
                response = await handler(request)
            if fault is not None:  # 500_after: the change was made, the answer is lost
                response = error(502, "bad gateway", "BAD_GATEWAY")
        with self.lock:
            self.calls.append(
                Call(request.method, request.path, body, response.status, fault and fault.kind)
            )
        return response

    def _take_fault(self, target: str) -> Fault | None:
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault.match in target:
                    return self.faults.pop(index)
        return None
