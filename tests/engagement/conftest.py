"""Fixtures: the real bot on a test clock with the API, engagement and webhooks configured,
and a local webhook receiver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import make_engine, session_scope
from storage.leads import get_or_create_lead
from tests.e2e.conftest import MANAGER
from tests.reporting.test_webhooks import Receiver
from tests.workflow.conftest import AE, AE2, WorkflowRig, make_workflow_rig

TOKEN = "api-token-for-tests"
HOOK_SECRET = "whsec-engagement"
THRESHOLD = 50
HALF_LIFE_DAYS = 10


def engagement_config(hook_url: str) -> str:
    """A team config with the API on, a short half-life and a webhook receiver."""
    return f"""
people:
  managers: [{MANAGER}]
  account_executives: [{AE}, {AE2}]
api:
  token: {TOKEN}
engagement:
  half_life_days: {HALF_LIFE_DAYS}
  mql_threshold: {THRESHOLD}
  points: {{pricing_page_view: 25, webinar_attended: 12}}
webhooks:
  - url: {hook_url}
    events: [verdict, handoff.accepted, handoff.rejected]
    secret: {HOOK_SECRET}
scheduler_seconds: 3600
"""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver(fail_first=0)
    yield made
    made.server.shutdown()


@pytest.fixture
def erig(tmp_path: Path, receiver: Receiver) -> Iterator[WorkflowRig]:
    yield from make_workflow_rig(tmp_path, engagement_config(receiver.url))


@pytest.fixture
def db(erig: WorkflowRig) -> Iterator[Engine]:
    """An engine on the running bot's database."""
    engine = make_engine(erig.database_url)
    yield engine
    engine.dispose()


def add_lead(engine: Engine, team_id: str, name: str, owner_id: str | None) -> int:
    """Create a lead the way an import or ``/qualify`` would; return its id."""
    with session_scope(engine) as session:
        lead, _ = get_or_create_lead(session=session, team_id=team_id, name=name, owner_id=owner_id)
        assert lead.id is not None
        return lead.id
