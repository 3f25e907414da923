"""``POST /api/leads/{id}/events`` through real HTTP: auth, validation and decaying points."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from storage.db import session_scope
from storage.models import EngagementEvent, Lead
from tests.e2e.conftest import REP
from tests.engagement.conftest import HALF_LIFE_DAYS, TOKEN, add_lead
from tests.workflow.conftest import WorkflowRig, make_workflow_rig

NOW = "2025-03-01T12:00:00+00:00"


def post(
    rig: WorkflowRig, lead_id: int | str, body: Any, *, token: str | None = TOKEN
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    content = body if isinstance(body, bytes) else None
    return httpx.post(
        f"{rig.bot_url}/api/leads/{lead_id}/events",
        headers=headers,
        content=content,
        json=None if content is not None else body,
        timeout=10,
    )


def stored_points(engine: Engine, lead_id: int) -> int:
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        return lead.engagement_points


def test_the_api_is_off_without_a_token(tmp_path: Path) -> None:
    rig_iter = make_workflow_rig(tmp_path, "people: {managers: []}\n")
    rig = next(rig_iter)
    try:
        response = post(rig, 1, {"type": "site_revisit"})
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    finally:
        rig_iter.close()


def test_missing_or_wrong_tokens_are_refused(erig: WorkflowRig, db: Engine) -> None:
    lead_id = add_lead(db, erig.standin.team_id, "Initech", REP)
    for token in (None, "wrong", TOKEN + "x", "a" + TOKEN):
        response = post(erig, lead_id, {"type": "site_revisit"}, token=token)
        assert response.status_code == 401, token
        assert response.json()["error"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    basic = httpx.post(
        f"{erig.bot_url}/api/leads/{lead_id}/events",
        headers={"Authorization": f"Basic {TOKEN}"},
        json={"type": "site_revisit"},
    )
    assert basic.status_code == 401
    with session_scope(db) as session:
        assert session.scalars(select(EngagementEvent)).all() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "JSON"),
        (b"[1, 2]", "JSON object"),
        ({"points": 5}, "type"),
        ({"type": "Bad Type!"}, "type"),
        ({"type": "podcast_listen"}, "points: required"),
        ({"type": "site_revisit", "points": -1}, "points"),
        ({"type": "site_revisit", "points": "ten"}, "points"),
        ({"type": "site_revisit", "points": True}, "points"),
        ({"type": "site_revisit", "at": "yesterday"}, "at"),
        ({"type": "site_revisit", "at": 1700000000}, "at"),
        ({"type": "site_revisit", "at": "2999-01-01T00:00:00Z"}, "future"),
    ],
)
def test_invalid_events_get_a_400_naming_the_problem(
    erig: WorkflowRig, db: Engine, body: Any, field: str
) -> None:
    lead_id = add_lead(db, erig.standin.team_id, "Initech", REP)
    response = post(erig, lead_id, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_event"
    assert field in response.json()["message"]
    assert stored_points(db, lead_id) == 0


def test_unknown_leads_and_other_teams_leads_are_404(erig: WorkflowRig, db: Engine) -> None:
    add_lead(db, erig.standin.team_id, "Initech", REP)
    assert post(erig, 9999, {"type": "site_revisit"}).status_code == 404
    assert post(erig, "abc", {"type": "site_revisit"}).status_code == 404
    # A second team in the same database: without api.team_id the token cannot tell which.
    other = add_lead(db, "TOTHER", "Elsewhere", "UX")
    response = post(erig, other, {"type": "site_revisit"})
    assert response.status_code == 409 and response.json()["error"] == "team_ambiguous"


def test_points_default_per_type_and_fade_with_the_half_life(erig: WorkflowRig, db: Engine) -> None:
    erig.tick(now=NOW)
    lead_id = add_lead(db, erig.standin.team_id, "Initech", REP)
    # Configured type (25), built-in default (newsletter_reply: 10), explicit points.
    first = post(erig, lead_id, {"type": "pricing_page_view", "at": NOW})
    assert first.status_code == 201, first.text
    assert first.json()["points"] == 25 and first.json()["engagement_score"] == 25
    # Two half-lives ago: 16 points count 4.
    old = post(erig, lead_id, {"type": "x_custom", "points": 16, "at": "2025-02-09T12:00:00Z"})
    assert old.json()["engagement_score"] == pytest.approx(29)
    # A naive time is UTC; one half-life ago: 10 count 5.
    newsletter = post(erig, lead_id, {"type": "newsletter_reply", "at": "2025-02-19T12:00:00"})
    assert newsletter.json()["points"] == 10
    assert newsletter.json()["engagement_score"] == pytest.approx(34)
    assert stored_points(db, lead_id) == 34

    # Ten days later every point counts half; the score is recomputed on the next event.
    erig.tick(advance_minutes=HALF_LIFE_DAYS * 24 * 60)
    later = post(erig, lead_id, {"type": "site_revisit", "points": 0})
    assert later.json()["engagement_score"] == pytest.approx(17)
    assert stored_points(db, lead_id) == 17
    with session_scope(db) as session:
        events = session.scalars(select(EngagementEvent).order_by(EngagementEvent.id)).all()
    assert [e.type for e in events] == [
        "pricing_page_view",
        "x_custom",
        "newsletter_reply",
        "site_revisit",
    ]
    assert all(e.team_id == erig.standin.team_id and e.lead_id == lead_id for e in events)
