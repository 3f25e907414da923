"""HubSpot's CRM v3 API over plain ``httpx``: the few calls we make, and what their refusals mean.

Every answer HubSpot gives is turned into one of three things for the outbox: a result, a
:class:`RetryLater` (429 with its wait, 5xx, a connection that failed) or a :class:`Refused`
(a bad token, a missing scope, a value HubSpot will never take). 404 and 409 are answers the
caller acts on (:class:`NotFound`, :class:`Conflict`).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import httpx

from bot.services.delivery_checks import Refused, RetryLater

DEFAULT_WAIT_SECONDS = 1.0
"""Wait after a 429 that names none: HubSpot's burst window is a second (ten for some apps)."""
DAILY_WAIT_SECONDS = 3600.0
"""Wait after the daily limit was reached: try again in an hour rather than hammer it."""
_EXISTING_ID = re.compile(r"Existing ID:\s*(\d+)")


class NotFound(Exception):
    """HubSpot has no such record (404)."""


class Conflict(Exception):
    """HubSpot already has such a record or property (409); ``existing_id`` when it says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        found = _EXISTING_ID.search(message)
        self.existing_id = found.group(1) if found else None


def wait_of(response: httpx.Response) -> float:
    """How long a 429 asks us to wait: ``Retry-After``, else HubSpot's own headers.

    HubSpot names the policy it enforced in the body (``policyName``: ``SECONDLY``,
    ``TEN_SECONDLY_ROLLING``, ``DAILY``) and its window in
    ``X-HubSpot-RateLimit-Interval-Milliseconds``.
    """
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and str(body.get("policyName", "")).upper() == "DAILY":
        return DAILY_WAIT_SECONDS
    if response.headers.get("X-HubSpot-RateLimit-Daily-Remaining") == "0":
        return DAILY_WAIT_SECONDS
    interval = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
    if interval and interval.isdigit():
        return max(DEFAULT_WAIT_SECONDS, int(interval) / 1000)
    return DEFAULT_WAIT_SECONDS


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        return str(body.get("message") or body.get("category") or body)[:300]
    return str(body)[:300]


class HubSpotApi:
    """A private app's view of one HubSpot account.

    Args:
        token: The private app's access token (Bearer).
        base_url: ``https://api.hubapi.com`` or a stand-in's address.
        timeout_seconds: How long one call may take.
        transport: An ``httpx`` transport for tests that need one (none do by default).
    """

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        timeout_seconds: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds
        self.transport = transport

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Make one call and translate its refusal.

        Raises:
            RetryLater: 429 (with its wait), 5xx, or no answer at all.
            Refused: 401, 403, or another 4xx HubSpot will refuse again.
            NotFound: 404.
            Conflict: 409.
        """
        if not self.token:
            raise Refused("hubspot_not_configured", "SDRBOT_HUBSPOT_TOKEN is not set")
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout_seconds, transport=self.transport
            ) as client:
                response = await client.request(
                    method, self.base_url + path, json=json, params=params, headers=headers
                )
        except httpx.HTTPError as error:
            raise RetryLater(f"HubSpot {method} {path}: {error!r}") from error
        status = response.status_code
        if 200 <= status < 300:
            return response.json() if response.content else {}
        detail = f"{method} {path}: HTTP {status}: {_message(response)}"
        if status == 429:
            raise RetryLater(detail, retry_after=wait_of(response))
        if status >= 500:
            raise RetryLater(detail)
        if status == 404:
            raise NotFound(detail)
        if status == 409:
            raise Conflict(_message(response))
        if status == 401:
            raise Refused("hubspot_unauthorized", detail)
        if status == 403:
            raise Refused("hubspot_missing_scope", detail)
        raise Refused(f"hubspot_http_{status}", detail)

    # -- companies -------------------------------------------------------------------------

    async def search_companies(
        self, property_name: str, value: str, properties: list[str]
    ) -> dict[str, Any] | None:
        """The oldest company whose ``property_name`` equals ``value``, or None."""
        body = {
            "filterGroups": [
                {"filters": [{"propertyName": property_name, "operator": "EQ", "value": value}]}
            ],
            "properties": properties,
            "sorts": [{"propertyName": "createdate", "direction": "ASCENDING"}],
            "limit": 1,
        }
        found = await self.call("POST", "/crm/v3/objects/companies/search", json=body)
        results = found.get("results") or []
        return results[0] if results else None

    async def get_company(self, company_id: str, properties: list[str]) -> dict[str, Any]:
        """One company with the named properties (raises :class:`NotFound`)."""
        return await self.call(
            "GET",
            f"/crm/v3/objects/companies/{company_id}",
            params={"properties": ",".join(properties)},
        )

    async def create_company(self, properties: dict[str, Any]) -> dict[str, Any]:
        """Create a company (raises :class:`Conflict` when a unique value exists already)."""
        return await self.call("POST", "/crm/v3/objects/companies", json={"properties": properties})

    async def update_company(self, company_id: str, properties: dict[str, Any]) -> dict[str, Any]:
        """Set properties of a company (PATCH: only those named change)."""
        return await self.call(
            "PATCH", f"/crm/v3/objects/companies/{company_id}", json={"properties": properties}
        )

    # -- contacts ----------------------------------------------------------------------------

    async def upsert_contact(self, email: str, company_id: str) -> str:
        """Find the contact by email or create it, and associate it with the company.

        Returns:
            The contact's id.
        """
        body = {
            "filterGroups": [
                {"filters": [{"propertyName": "email", "operator": "EQ", "value": email}]}
            ],
            "properties": ["email"],
            "limit": 1,
        }
        found = (await self.call("POST", "/crm/v3/objects/contacts/search", json=body)).get(
            "results"
        ) or []
        if found:
            contact_id = str(found[0]["id"])
        else:
            try:
                created = await self.call(
                    "POST", "/crm/v3/objects/contacts", json={"properties": {"email": email}}
                )
                contact_id = str(created["id"])
            except Conflict as conflict:  # made by an attempt whose answer was lost
                if conflict.existing_id is None:
                    raise
                contact_id = conflict.existing_id
        # The default association (contact to company); PUT again changes nothing.
        await self.call(
            "PUT",
            f"/crm/v4/objects/contacts/{contact_id}/associations/default/companies/{company_id}",
        )
        return contact_id

    async def get_deal(self, deal_id: str) -> dict[str, Any]:
        """A deal with its stage and its associated companies."""
        return await self.call(
            "GET",
            f"/crm/v3/objects/deals/{deal_id}",
            params={"properties": "dealstage,dealname", "associations": "companies"},
        )

    # -- properties and the account --------------------------------------------------------

    async def company_properties(self) -> dict[str, dict[str, Any]]:
        """Every company property by name."""
        found = await self.call("GET", "/crm/v3/properties/companies")
        return {str(p["name"]): p for p in found.get("results") or []}

    async def create_group(self, name: str, label: str) -> None:
        """Create a company property group; one that exists already is fine."""
        with contextlib.suppress(Conflict):
            await self.call(
                "POST",
                "/crm/v3/properties/companies/groups",
                json={"name": name, "label": label, "displayOrder": -1},
            )

    async def create_property(self, definition: dict[str, Any]) -> None:
        """Create a company property; one that exists already is fine."""
        with contextlib.suppress(Conflict):
            await self.call("POST", "/crm/v3/properties/companies", json=definition)

    async def portal_id(self) -> str:
        """The account's id (for record links)."""
        details = await self.call("GET", "/account-info/v3/details")
        return str(details["portalId"])
