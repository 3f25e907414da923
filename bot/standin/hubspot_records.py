"""The records of the HubSpot stand-in (companies, deals, properties, the account) and the
handlers that answer for them in HubSpot's shapes."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

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
LIMIT_HEADERS = {
    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
    "X-HubSpot-RateLimit-Max": "100",
    "X-HubSpot-RateLimit-Daily": "250000",
}


@dataclass
class Store:
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Contact id -> ``{"email", "companies": set of company ids}``."""
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)


def error(status: int, message: str, category: str, **extra: Any) -> web.Response:
    body = {"status": "error", "message": message, "correlationId": "standin", "category": category}
    return web.json_response({**body, **extra}, status=status, headers=LIMIT_HEADERS)


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


class Records:
    """Companies, deals and properties, and the HTTP handlers that read and change them."""

    def __init__(self) -> None:
        self.store = Store()
        for name in BUILT_IN:
            self.store.properties[name] = _built_in(name)
        self.search_delay = 0.0
        """Seconds before a new company shows in search (HubSpot indexes it a little later)."""
        self._ids = itertools.count(1001)

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
                return error(400, f'Property "{name}" does not exist', "VALIDATION_ERROR")
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
            return error(409, f"Company already exists. Existing ID: {existing}", "CONFLICT")
        return web.json_response(self._new_company(properties), status=201, headers=LIMIT_HEADERS)

    async def _get(self, request: web.Request) -> web.Response:
        company_id = request.match_info["id"]
        if company_id not in self.store.companies:
            return error(
                404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND"
            )
        wanted = [p for p in request.query.get("properties", "").split(",") if p] or None
        return web.json_response(self._shape(company_id, wanted), headers=LIMIT_HEADERS)

    async def _update(self, request: web.Request) -> web.Response:
        company_id = request.match_info["id"]
        if company_id not in self.store.companies:
            return error(
                404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND"
            )
        properties = dict((request[BODY] or {}).get("properties") or {})
        refusal = self._unknown_property(properties)
        if refusal is not None:
            return refusal
        if self._unique_clash(properties, company_id) is not None:
            return error(400, "A unique property already has that value", "VALIDATION_ERROR")
        stored = self.store.companies[company_id]["properties"]
        if _backwards(stored.get("lifecyclestage"), properties.get("lifecyclestage")):
            message = "lifecyclestage cannot move backwards; clear it first"
            return error(400, message, "VALIDATION_ERROR")
        stored.update({k: None if v is None else str(v) for k, v in properties.items()})
        return web.json_response(self._shape(company_id, list(properties)), headers=LIMIT_HEADERS)

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
        return web.json_response({"total": len(found), "results": results}, headers=LIMIT_HEADERS)

    async def _deal(self, request: web.Request) -> web.Response:
        deal_id = request.match_info["id"]
        deal = self.store.deals.get(deal_id)
        if deal is None:
            return error(404, "Object not found.", "OBJECT_NOT_FOUND")
        shaped = {"id": deal_id, "properties": {"dealstage": deal["dealstage"]}, "archived": False}
        if "companies" in request.query.get("associations", ""):
            link = {"id": deal["company"], "type": "deal_to_company"}
            shaped["associations"] = {"companies": {"results": [link]}}
        return web.json_response(shaped, headers=LIMIT_HEADERS)

    # -- properties and the account ----------------------------------------------------------

    async def _list_properties(self, request: web.Request) -> web.Response:
        results = list(self.store.properties.values())
        return web.json_response({"results": results}, headers=LIMIT_HEADERS)

    async def _create_property(self, request: web.Request) -> web.Response:
        definition = dict(request[BODY] or {})
        name = str(definition.get("name") or "")
        if name in self.store.properties:
            message = f"Property named '{name}' already exists."
            return error(409, message, "OBJECT_ALREADY_EXISTS")
        if definition.get("groupName") not in self.store.groups:
            return error(
                400, f"group {definition.get('groupName')} does not exist", "VALIDATION_ERROR"
            )
        self.store.properties[name] = definition
        return web.json_response(definition, status=201, headers=LIMIT_HEADERS)

    async def _create_group(self, request: web.Request) -> web.Response:
        group = dict(request[BODY] or {})
        if group.get("name") in self.store.groups:
            return error(409, f"group {group.get('name')} already exists", "OBJECT_ALREADY_EXISTS")
        self.store.groups[str(group.get("name"))] = group
        return web.json_response(group, status=201, headers=LIMIT_HEADERS)

    async def _account(self, request: web.Request) -> web.Response:
        details = {"portalId": PORTAL_ID, "accountType": "STANDARD", "timeZone": "Europe/Berlin",
                   "uiDomain": "app.hubspot.com", "dataHostingLocation": "eu1"}  # fmt: skip
        return web.json_response(details, headers=LIMIT_HEADERS)

    # -- contacts ----------------------------------------------------------------------------

    async def _search_contacts(self, request: web.Request) -> web.Response:
        filters = [f for g in (request[BODY] or {}).get("filterGroups") or [] for f in g["filters"]]
        wanted = {str(f["value"]).lower() for f in filters if f.get("propertyName") == "email"}
        results = [
            {"id": contact_id, "properties": {"email": contact["email"]}, "archived": False}
            for contact_id, contact in self.store.contacts.items()
            if contact["email"].lower() in wanted
        ]
        return web.json_response({"total": len(results), "results": results}, headers=LIMIT_HEADERS)

    async def _create_contact(self, request: web.Request) -> web.Response:
        email = str(((request[BODY] or {}).get("properties") or {}).get("email") or "")
        for contact_id, contact in self.store.contacts.items():
            if contact["email"].lower() == email.lower():
                return error(409, f"Contact already exists. Existing ID: {contact_id}", "CONFLICT")
        contact_id = str(next(self._ids))
        self.store.contacts[contact_id] = {"email": email, "companies": set()}
        shaped = {"id": contact_id, "properties": {"email": email}, "archived": False}
        return web.json_response(shaped, status=201, headers=LIMIT_HEADERS)

    async def _associate(self, request: web.Request) -> web.Response:
        contact = self.store.contacts.get(request.match_info["id"])
        company_id = request.match_info["company"]
        if contact is None or company_id not in self.store.companies:
            return error(404, "Object not found.", "OBJECT_NOT_FOUND")
        contact["companies"].add(company_id)
        body = {
            "status": "COMPLETE",
            "results": [{"from": {"id": request.match_info["id"]}, "to": {"id": company_id}}],
        }
        return web.json_response(body, headers=LIMIT_HEADERS)
