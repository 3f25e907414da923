"""The HTTP API for other systems: ``POST /api/leads/{id}/events`` records engagement.

Configured by the ``api`` section of the team config (``token``, optional ``team_id``). Without
a token the API is off and answers 404; a wrong or missing bearer token answers 401. Every
error is JSON: ``{"error": "<code>", "message": "<what to fix>"}``.
"""

from __future__ import annotations

import hmac
import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.config import Api, Engagement
from bot.services import engagement, workspace_settings
from bot.services.context import Services
from storage import leads

MAX_BODY_BYTES = 16_384
MAX_POINTS = 10_000.0
FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of our clock an event time may be (clock skew of the sender)."""
_TYPE = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


class InvalidEvent(ValueError):
    """The request body is not a valid engagement event; the message says why."""


def parse_event(
    body: bytes, *, points_by_type: dict[str, float], now: datetime
) -> engagement.EventInput:
    """Validate a request body ``{"type", "points"?, "at"?}``.

    Args:
        body: the raw request body.
        points_by_type: configured points of the known event types.
        now: the current time (``at`` may not lie further ahead than a little skew).

    Returns:
        The event to record; ``at`` defaults to ``now``, naive times are taken as UTC.

    Raises:
        InvalidEvent: with a message naming the field that is wrong.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidEvent("the body must be a JSON object") from error
    if not isinstance(data, dict):
        raise InvalidEvent("the body must be a JSON object")
    kind = data.get("type")
    if not isinstance(kind, str) or not _TYPE.match(kind):
        raise InvalidEvent(
            "type: required, lower-case letters, digits and _ . - (e.g. pricing_page_view)"
        )
    points = data.get("points")
    if points is None:
        if kind not in points_by_type:
            raise InvalidEvent(f"points: required for the unconfigured type {kind!r}")
        points = points_by_type[kind]
    elif isinstance(points, bool) or not isinstance(points, int | float):
        raise InvalidEvent("points: must be a number")
    elif not math.isfinite(points) or not 0 <= points <= MAX_POINTS:
        raise InvalidEvent(f"points: must be between 0 and {MAX_POINTS:g}")
    at = data.get("at")
    if at is None:
        occurred = now
    else:
        if not isinstance(at, str):
            raise InvalidEvent("at: must be an ISO 8601 time")
        try:
            occurred = datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError as error:
            raise InvalidEvent("at: must be an ISO 8601 time") from error
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=UTC)
        if occurred > now + FUTURE_TOLERANCE:
            raise InvalidEvent("at: lies in the future")
    return engagement.EventInput(type=kind, points=float(points), occurred_at=occurred)


def _error(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.casefold() == "bearer" else ""


def api_routes(services: Services) -> list[Route]:
    """The API's routes, configured by the ``api`` and ``engagement`` sections of the team config.

    Args:
        services: Shared collaborators of the running app.

    Returns:
        ``POST /api/leads/{lead_id}/events``.
    """
    api = services.config.api
    config = services.config.engagement

    async def post_event(request: Request) -> JSONResponse:
        if not api.token:
            return _error(404, "not_found", "the API is not enabled")
        if not hmac.compare_digest(_bearer(request).encode(), api.token.encode()):
            return _error(401, "unauthorized", "send the API token as 'Authorization: Bearer …'")
        raw_id = request.path_params["lead_id"]
        if not raw_id.isdigit():
            return _error(404, "lead_not_found", f"no lead {raw_id!r}")
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(413, "too_large", f"the body may hold {MAX_BODY_BYTES} bytes")
        now = services.clock.now()
        try:
            event = parse_event(body, points_by_type=dict(config.points), now=now)
        except InvalidEvent as error:
            return _error(400, "invalid_event", str(error))
        return await _record(services, api, config, int(raw_id), event, now)

    return [Route("/api/leads/{lead_id}/events", post_event, methods=["POST"])]


async def _record(
    services: Services,
    api: Api,
    config: Engagement,
    lead_id: int,
    event: engagement.EventInput,
    now: datetime,
) -> JSONResponse:

    def run(session: Any) -> tuple[str | None, engagement.Recorded | None]:
        team_id = api.team_id
        if team_id is None:
            teams = leads.team_ids(session=session)
            if len(teams) > 1:
                return "ambiguous", None
            team_id = teams[0] if teams else ""
        current = workspace_settings.effective(services, session, team_id)
        texts = services.texts(current.language)
        manager_channel = current.manager_channel or None
        recorded = engagement.record_event(
            session, team_id=team_id, lead_id=lead_id, event=event, config=config, now=now,
            texts=texts, manager_channel=manager_channel,
        )  # fmt: skip
        return None, recorded

    problem, recorded = await services.transaction(run)
    if problem == "ambiguous":
        return _error(409, "team_ambiguous", "several teams share the database: set api.team_id")
    if recorded is None:
        return _error(404, "lead_not_found", f"no lead {lead_id}")
    if recorded.announced:
        services.wake_outbox()
    return JSONResponse(
        {
            "lead_id": lead_id,
            "event_id": recorded.event_id,
            "type": event.type,
            "points": event.points,
            "at": event.occurred_at.isoformat(),
            "engagement_score": round(recorded.score, 2),
            "mql_threshold": config.mql_threshold,
            "announced": recorded.announced,
        },
        status_code=201,
    )
