"""A stand-in for HubSpot's CRM v3 API on loopback: companies, deals, properties, the account.

It answers in HubSpot's documented shapes, refusals included: 401 for a wrong token, 404 for an
unknown record, 409 for a second create of a unique value (with ``Existing ID``) or an existing
property, 400 for a property that does not exist or a lifecycle stage moved backwards, and,
on demand, 429 (with ``Retry-After`` and the ``X-HubSpot-RateLimit-*`` headers) and 5xx (before
or after the change was made). Every call is recorded.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from bot.standin.loop_thread import LoopThread

PORTAL_ID = 4242
BUILT_IN = (
    "name", "domain", "industry", "numberofemployees", "country", "annualrevenue",
    "lifecyclestage", "hs_lead_status", "createdate", "hs_object_id",
)  # fmt: skip
LIFECYCLE = (
    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
    "customer", "evangelist", "other",
)  # fmt: skip
LEAD_STATUS = (
    "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT",
    "CONNECTED", "BAD_TIMING",
)  # fmt: skip
BODY = web.RequestKey("body", object)
_LIMIT_HEADERS = {
    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
    "X-HubSpot-RateLimit-Max": "100",
    "X-HubSpot-RateLimit-Daily": "250000",
}


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


@dataclass
class Store:
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)


def _error(status: int, message: str, category: str, **extra: Any) -> web.Response:
    body = {"status": "error", "message": message, "correlationId": "standin", "category": category}
    return web.json_response({**body, **extra}, status=status, headers=_LIMIT_HEADERS)


def _backwards(current: Any, wanted: Any) -> bool:
    if current not in LIFECYCLE or wanted not in LIFECYCLE:
        return False
    return LIFECYCLE.index(wanted) < LIFECYCLE.index(current)


def _built_in(name: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": name, "groupName": "companyinformation"}
    if name == "lifecyclestage":
        definition["options"] = [{"value": v, "label": v} for v in LIFECYCLE]
    if name == "hs_lead_status":
        definition["options"] = [{"value": v, "label": v} for v in LEAD_STATUS]
    return definition


class HubSpotStandIn:
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
        self.store = Store()
        for name in BUILT_IN:
            self.store.properties[name] = _built_in(name)
        self.search_delay = 0.0
        """Seconds before a new company shows in search (HubSpot indexes it a little later)."""
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self._ids = itertools.count(1001)
        self._runner: web.AppRunner | None = None
        self._loop_thread = LoopThread("hubspot-standin")

    # -- lifecycle and test controls ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        if not self._loop_thread.running:
            self._loop_thread.start(self._serve, self._shutdown)
        return self

    def stop(self) -> None:
        self._loop_thread.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _serve(self) -> None:
        app = web.Application(middlewares=[self._guard])
        app.router.add_post("/crm/v3/objects/companies/search", self._search)
        app.router.add_post("/crm/v3/objects/companies", self._create)
        app.router.add_get("/crm/v3/objects/companies/{id}", self._get)
        app.router.add_patch("/crm/v3/objects/companies/{id}", self._update)
        app.router.add_get("/crm/v3/objects/deals/{id}", self._deal)
        app.router.add_get("/crm/v3/properties/companies", self._list_properties)
        app.router.add_post("/crm/v3/properties/companies", self._create_property)
        app.router.add_post("/crm/v3/properties/companies/groups", self._create_group)
        app.router.add_get("/account-info/v3/details", self._account)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

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
            response: web.StreamResponse = _error(
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
                    **_LIMIT_HEADERS,
                    "X-HubSpot-RateLimit-Remaining": "0",
                    "Retry-After": f"{fault.retry_after:g}",
                },
            )
        elif fault is not None and fault.kind == "500":
            response = _error(500, "internal error", "INTERNAL_ERROR")
        else:
            with self.lock:
                response = await handler(request)
            if fault is not None:  # 500_after: the change was made, the answer is lost
                response = _error(502, "bad gateway", "BAD_GATEWAY")
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

    # -- companies ---------------------------------------------------------------------------

    def _new_company(self, properties: dict[str, Any]) -> dict[str, Any]:
        company_id = str(next(self._ids))
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        stored = {**properties, "createdate": now, "hs_object_id": company_id}
        self.store.companies[company_id] = {
            "id": company_id,
            "properties": stored,
            "createdAt": now,
            "updatedAt": now,
            "created": time.time(),
        }
        return self._shape(company_id, None)

    def _shape(self, company_id: str, wanted: list[str] | None) -> dict[str, Any]:
        company = self.store.companies[company_id]
        names = wanted if wanted is not None else ["name", "domain", "createdate", "hs_object_id"]
        properties = {n: company["properties"].get(n) for n in names}
        shaped = {k: v for k, v in company.items() if k != "created"}
        return {**shaped, "properties": properties, "archived": False}

    def _unknown_property(self, properties: dict[str, Any]) -> web.Response | None:
        for name in properties:
            if name not in self.store.properties:
                return _error(400, f'Property "{name}" does not exist', "VALIDATION_ERROR")
        return None

    def _unique_clash(self, properties: dict[str, Any], own_id: str | None) -> str | None:
        for name, value in properties.items():
            if not self.store.properties.get(name, {}).get("hasUniqueValue"):
                continue
            for company_id, company in self.store.companies.items():
                if company_id != own_id and company["properties"].get(name) == value:
                    return company_id
        return None

    async def _create(self, request: web.Request) -> web.Response:
        properties = dict((request[BODY] or {}).get("properties") or {})
        refusal = self._unknown_property(properties)
        if refusal is not None:
            return refusal
        existing = self._unique_clash(properties, None)
        if existing is not None:
            return _error(409, f"Company already exists. Existing ID: {existing}", "CONFLICT")
        return web.json_response(self._new_company(properties), status=201, headers=_LIMIT_HEADERS)

    async def _get(self, request: web.Request) -> web.Response:
        company_id = request.match_info["id"]
        if company_id not in self.store.companies:
            return _error(
                404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND"
            )
        wanted = [p for p in request.query.get("properties", "").split(",") if p] or None
        return web.json_response(self._shape(company_id, wanted), headers=_LIMIT_HEADERS)

    async def _update(self, request: web.Request) -> web.Response:
        company_id = request.match_info["id"]
        if company_id not in self.store.companies:
            return _error(
                404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND"
            )
        properties = dict((request[BODY] or {}).get("properties") or {})
        refusal = self._unknown_property(properties)
        if refusal is not None:
            return refusal
        if self._unique_clash(properties, company_id) is not None:
            return _error(400, "A unique property already has that value", "VALIDATION_ERROR")
        stored = self.store.companies[company_id]["properties"]
        if _backwards(stored.get("lifecyclestage"), properties.get("lifecyclestage")):
            message = "lifecyclestage cannot move backwards; clear it first"
            return _error(400, message, "VALIDATION_ERROR")
        stored.update({k: None if v is None else str(v) for k, v in properties.items()})
        return web.json_response(self._shape(company_id, list(properties)), headers=_LIMIT_HEADERS)

    async def _search(self, request: web.Request) -> web.Response:
        body = request[BODY] or {}
        groups = body.get("filterGroups") or [{"filters": []}]
        found = []
        indexed_before = time.time() - self.search_delay
        for company_id, company in self.store.companies.items():
            if company["created"] > indexed_before:
                continue
            values = company["properties"]
            if any(
                all(
                    f.get("operator") == "EQ"
                    and str(values.get(f["propertyName"]) or "").lower() == str(f["value"]).lower()
                    for f in group.get("filters") or []
                )
                for group in groups
            ):
                found.append(company_id)
        wanted = list(body.get("properties") or []) or None
        results = [self._shape(i, wanted) for i in found][: int(body.get("limit") or 10)]
        return web.json_response({"total": len(found), "results": results}, headers=_LIMIT_HEADERS)

    async def _deal(self, request: web.Request) -> web.Response:
        deal_id = request.match_info["id"]
        deal = self.store.deals.get(deal_id)
        if deal is None:
            return _error(404, "Object not found.", "OBJECT_NOT_FOUND")
        shaped = {"id": deal_id, "properties": {"dealstage": deal["dealstage"]}, "archived": False}
        if "companies" in request.query.get("associations", ""):
            link = {"id": deal["company"], "type": "deal_to_company"}
            shaped["associations"] = {"companies": {"results": [link]}}
        return web.json_response(shaped, headers=_LIMIT_HEADERS)

    # -- properties and the account ----------------------------------------------------------

    async def _list_properties(self, request: web.Request) -> web.Response:
        results = list(self.store.properties.values())
        return web.json_response({"results": results}, headers=_LIMIT_HEADERS)

    async def _create_property(self, request: web.Request) -> web.Response:
        definition = dict(request[BODY] or {})
        name = str(definition.get("name") or "")
        if name in self.store.properties:
            message = f"Property named '{name}' already exists."
            return _error(409, message, "OBJECT_ALREADY_EXISTS")
        if definition.get("groupName") not in self.store.groups:
            return _error(
                400, f"group {definition.get('groupName')} does not exist", "VALIDATION_ERROR"
            )
        self.store.properties[name] = definition
        return web.json_response(definition, status=201, headers=_LIMIT_HEADERS)

    async def _create_group(self, request: web.Request) -> web.Response:
        group = dict(request[BODY] or {})
        if group.get("name") in self.store.groups:
            return _error(409, f"group {group.get('name')} already exists", "OBJECT_ALREADY_EXISTS")
        self.store.groups[str(group.get("name"))] = group
        return web.json_response(group, status=201, headers=_LIMIT_HEADERS)

    async def _account(self, request: web.Request) -> web.Response:
        details = {"portalId": PORTAL_ID, "accountType": "STANDARD", "timeZone": "Europe/Berlin",
                   "uiDomain": "app.hubspot.com", "dataHostingLocation": "eu1"}  # fmt: skip
        return web.json_response(details, headers=_LIMIT_HEADERS)
