"""Delivers ``salesforce.upsert_lead``: the lead's Salesforce Lead, upserted by our external id.

OAuth 2.0 client credentials give the token and the instance URL; the write is one
``PATCH /services/data/vXX.X/sobjects/Lead/Sdrbot_Lead_Key__c/{key}``, which creates the Lead
the first time and updates it after, so a retry (an answer lost, a 503) never makes a second
one. Our custom fields are a set-up step (docs/CRM.md), not created at run time.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from bot.services.delivery_checks import Refused, RetryLater

API_VERSION = "v60.0"
EXTERNAL_ID = "Sdrbot_Lead_Key__c"
LIMIT_WAIT_SECONDS = 3600.0
"""Wait after ``REQUEST_LIMIT_EXCEEDED``: the org's API calls for the day are used up."""
FIELDS = {
    "framework": "Sdrbot_Framework__c",
    "verdict": "Sdrbot_Verdict__c",
    "score": "Sdrbot_Score__c",
    "fit_score": "Sdrbot_Fit_Score__c",
    "stage": "Sdrbot_Stage__c",
    "gaps": "Sdrbot_Gaps__c",
    "readings": "Sdrbot_Readings__c",
    "slack_thread": "Sdrbot_Slack_Thread__c",
    "decision": "Sdrbot_Decision__c",
    "outcome": "Sdrbot_Outcome__c",
}
"""Our field -> the Lead's custom field (deployed once; see docs/CRM.md)."""
RATING = {"hot": "Hot", "warm": "Warm", "cold": "Cold"}
"""Our verdict -> the Lead's standard ``Rating`` picklist."""


def lead_fields(payload: dict[str, Any], lead_status: dict[str, str]) -> dict[str, Any]:
    """The Lead's fields for one write: the standard ones and ours."""
    fields: dict[str, Any] = {"Company": payload.get("name") or "?"}
    fields["LastName"] = payload.get("person") or payload.get("name") or "?"
    if payload.get("email"):
        fields["Email"] = payload["email"]
    if payload.get("domain"):
        fields["Website"] = payload["domain"]
    ours = dict(payload.get("properties") or {})
    for field, name in FIELDS.items():
        if field in ours:
            fields[name] = ours[field]
    if ours.get("verdict") in RATING:
        fields["Rating"] = RATING[ours["verdict"]]
    status = lead_status.get(str(payload.get("stage") or ""))
    if status:
        fields["Status"] = status
    return fields


class SalesforceWriter:
    """The outbox's handler for ``salesforce.upsert_lead``.

    Args:
        login_url: The org's My Domain URL (``SDRBOT_SALESFORCE_URL``).
        client_id: The connected app's consumer key.
        client_secret: Its consumer secret.
        lead_status: Our stage -> the Lead's ``Status`` value.
        timeout_seconds: How long one call may take.
    """

    def __init__(
        self,
        login_url: str,
        client_id: str,
        client_secret: str,
        lead_status: dict[str, str],
        *,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.login_url = login_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.lead_status = lead_status
        self.timeout_seconds = timeout_seconds
        self._session: tuple[str, str] | None = None  # (access token, instance URL)

    async def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Upsert the Lead; a token that expired is renewed once."""
        fields = lead_fields(payload, self.lead_status)
        path = f"/services/data/{API_VERSION}/sobjects/Lead/{EXTERNAL_ID}/"
        path += quote(str(payload["lead_key"]), safe="")
        try:
            answer = await self._call("PATCH", path, fields)
        except _Expired:
            self._session = None
            try:
                answer = await self._call("PATCH", path, fields)
            except _Expired as again:  # a fresh token refused: the app lost its access
                raise Refused("salesforce_invalid_session", str(again)) from again
        assert self._session is not None
        record_id = str(answer.get("id") or "")
        return {
            "record_id": record_id,
            "record_url": f"{self._session[1]}/lightning/r/Lead/{record_id}/view",
            "created": bool(answer.get("created")),
        }

    async def lead_field_names(self) -> set[str]:
        """The Lead's fields in the org (``describe``), for ``sdrbot crm check``."""
        described = await self._call("GET", f"/services/data/{API_VERSION}/sobjects/Lead/describe")
        return {str(f["name"]) for f in described.get("fields") or []}

    async def token(self) -> tuple[str, str]:
        """An access token and the instance URL (client credentials flow)."""
        if self._session is not None:
            return self._session
        if not (self.login_url and self.client_id and self.client_secret):
            raise Refused("salesforce_not_configured", "SDRBOT_SALESFORCE_* is not set")
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        response = await self._send("POST", self.login_url + "/services/oauth2/token", data=form)
        if response.status_code >= 500:
            raise RetryLater(f"Salesforce token: HTTP {response.status_code}")
        body = response.json() if response.content else {}
        if response.status_code != 200:
            raise Refused("salesforce_" + str(body.get("error") or response.status_code))
        self._session = (str(body["access_token"]), str(body["instance_url"]).rstrip("/"))
        return self._session

    async def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        access, instance = await self.token()
        headers = {"Authorization": f"Bearer {access}", "Content-Type": "application/json"}
        content = None if body is None else json.dumps(body)
        response = await self._send(method, instance + path, content=content, headers=headers)
        status = response.status_code
        if status in (200, 201, 204):
            return response.json() if response.content else {}
        errors = response.json() if response.content else []
        first = errors[0] if isinstance(errors, list) and errors else {}
        code = str(first.get("errorCode") or f"HTTP_{status}")
        detail = f"{method} {path}: HTTP {status}: {first.get('message', '')}"[:500]
        if status == 401:
            raise _Expired(detail)
        if code == "REQUEST_LIMIT_EXCEEDED":
            raise RetryLater(detail, retry_after=LIMIT_WAIT_SECONDS)
        if status == 429 or status >= 500 or code == "UNABLE_TO_LOCK_ROW":
            retry = response.headers.get("Retry-After")
            raise RetryLater(detail, retry_after=float(retry) if retry else None)
        raise Refused("salesforce_" + code.lower(), detail)

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds) as client:
                return await client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise RetryLater(f"Salesforce {method} {url}: {error!r}") from error


class _Expired(Exception):
    """Salesforce said the session is no longer valid (401)."""
