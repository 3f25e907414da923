"""A stand-in for a Salesforce org on loopback: the OAuth token endpoint and Lead upserts.

It answers in Salesforce's documented shapes: the client credentials flow
(``POST /services/oauth2/token``: ``invalid_client`` for wrong credentials), and
``PATCH /services/data/vXX.X/sobjects/Lead/<external id field>/<value>`` (201 with
``created: true`` for a new Lead, 200 for an update, 400 ``INVALID_FIELD`` for a field the org
lacks, 401 ``INVALID_SESSION_ID`` for a token it does not know). On demand it answers 503
(before or after the change), 403 ``REQUEST_LIMIT_EXCEEDED``, or expires every token. Every call
is recorded.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.crm.salesforce import EXTERNAL_ID, FIELDS
from bot.standin.loop_thread import LoopbackSite, LoopThread

STANDARD = frozenset(
    {"Company", "LastName", "FirstName", "Email", "Website", "Status", "Rating", "Industry"}
)


@dataclass
class SalesforceCall:
    """One request as the stand-in saw it, and what it answered."""

    method: str
    path: str
    body: Any
    status: int
    fault: str | None = None


def _errors(status: int, code: str, message: str) -> web.Response:
    return web.json_response([{"message": message, "errorCode": code}], status=status)


class SalesforceStandIn(LoopbackSite):
    """The stand-in server.

    Args:
        client_id: The connected app's consumer key it accepts.
        client_secret: Its secret.
        fields: The Lead's custom fields deployed in the org (default: all of ours).
    """

    def __init__(
        self,
        *,
        client_id: str = "sf-client",
        client_secret: str = "sf-secret",
        fields: frozenset[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.fields = STANDARD | (fields if fields is not None else {EXTERNAL_ID, *FIELDS.values()})
        self.host = host
        self.port = port
        self.leads: dict[str, dict[str, Any]] = {}
        self.calls: list[SalesforceCall] = []
        self.faults: list[str] = []
        self.lock = threading.Lock()
        self._tokens: set[str] = set()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._loop_thread = LoopThread("salesforce-standin")

    def inject(self, kind: str, count: int = 1) -> None:
        """Answer the next ``count`` upserts with ``503``, ``503_after`` or ``limit``."""
        with self.lock:
            self.faults.extend([kind] * count)

    def expire_tokens(self) -> None:
        """Forget every token handed out, as a session timeout does."""
        with self.lock:
            self._tokens.clear()

    def lead(self, key: str) -> dict[str, Any] | None:
        """The Lead whose external id is ``key``."""
        with self.lock:
            return next((dict(v) for v in self.leads.values() if v.get(EXTERNAL_ID) == key), None)

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/services/oauth2/token", self._token)
        app.router.add_get("/services/data/{version}/sobjects/Lead/describe", self._describe)
        app.router.add_patch("/services/data/{version}/sobjects/Lead/{field}/{value}", self._upsert)
        return app

    def _record(self, request: web.Request, body: Any, status: int, fault: str | None) -> None:
        with self.lock:
            self.calls.append(SalesforceCall(request.method, request.path, body, status, fault))

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ) or form.get("grant_type") != "client_credentials":
            self._record(request, {"client_id": form.get("client_id")}, 400, None)
            body = {"error": "invalid_client", "error_description": "invalid client credentials"}
            return web.json_response(body, status=400)
        token = f"00D!{next(self._ids)}"
        with self.lock:
            self._tokens.add(token)
        self._record(request, {"client_id": form.get("client_id")}, 200, None)
        return web.json_response(
            {
                "access_token": token,
                "instance_url": self.base_url,
                "id": f"{self.base_url}/id/00D000000000001/005000000000001",
                "token_type": "Bearer",
                "issued_at": "1700000000000",
                "signature": "standin",
            }
        )

    async def _describe(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return _errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
        fields = [{"name": f, "externalId": f == EXTERNAL_ID} for f in sorted(self.fields)]
        return web.json_response({"name": "Lead", "fields": fields})

    async def _upsert(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        response = self._apply(request, body, fault)
        self._record(request, body, response.status, fault)
        return response

    def _apply(self, request: web.Request, body: dict[str, Any], fault: str | None) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return _errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
        if fault == "503":
            return _errors(503, "SERVER_UNAVAILABLE", "Server unavailable")
        if fault == "limit":
            return _errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        field, value = request.match_info["field"], request.match_info["value"]
        if field not in self.fields:
            return _errors(404, "NOT_FOUND", f"Provided external ID field does not exist: {field}")
        unknown = sorted(set(body) - self.fields)
        if unknown:
            message = f"No such column '{unknown[0]}' on sobject of type Lead"
            return _errors(400, "INVALID_FIELD", message)
        with self.lock:
            found = next((i for i, v in self.leads.items() if v.get(field) == value), None)
            created = found is None
            lead_id = found or f"00Q{next(self._ids):012d}"
            self.leads.setdefault(lead_id, {field: value}).update(body)
        if fault == "503_after":
            return _errors(503, "SERVER_UNAVAILABLE", "Server unavailable")
        answer = {"id": lead_id, "success": True, "errors": [], "created": created}
        return web.json_response(answer, status=201 if created else 200)
