"""Fixtures: the real bot on a test clock with a routing, SLA and nurture config; the stand-in."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    AE,
    AE2,
    ALERT_CHANNEL,
    MANAGER,
    Rig,
    make_rig,
)
from tests.e2e.test_qualification import HOT_BANT

AE3 = "UAE3"
AWAY_AE = "UAWAY"
ADMIN_CHANNEL = "CADMIN"
WARM_BANT = ["Budget approved", "Contact decides", "Clear pain", "Later or never"]
WORKFLOW_CONFIG = f"""
people:
  managers: [{MANAGER}]
  account_executives: [{AE}, {AE2}, {AE3}, {AWAY_AE}]
  away: [{AWAY_AE}]
admin_channel: {ADMIN_CHANNEL}
routing:
  max_open_per_person: 2
  default_pool: [{AE}, {AWAY_AE}, {AE2}]
  rules:
    - name: dach
      when: {{region: [DACH, DE]}}
      pool: [{AE3}]
sla:
  accept_minutes: 15
  escalate_again_minutes: 60
nurture:
  remind_after_days: {{warm: 14, cold: 60}}
  stale_after_days: 90
scheduler_seconds: 3600
"""


@dataclass
class WorkflowRig(Rig):
    """A rig whose bot runs on a test clock."""

    def wait(self, predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Like ``Rig.wait`` with more room: a parallel run can slow the outbox down."""
        return self.standin.wait_for(predicate, timeout=timeout)

    def tick(self, **body: Any) -> dict[str, Any]:
        """Move the bot's clock (``advance_minutes`` / ``now``) and run its scheduler once."""
        response = httpx.post(f"{self.bot_url}/test/clock", json=body, timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run SQL on the bot's SQLite database (for checks and to age answers)."""
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as connection:
            return list(connection.execute(statement, params).fetchall())

    def hot_lead(self, name: str) -> tuple[str, dict[str, Any]]:
        """Qualify ``name`` as hot; return the card ts and its alert."""
        card_ts = self.qualify(name)
        for answer in HOT_BANT:
            self.reply(card_ts, answer)
        # Generous: under a parallel run the alert waits for the outbox's next round.
        alert = self.wait(
            lambda: next((m for m in self.bot_messages(ALERT_CHANNEL) if name in m["text"]), None),
            timeout=30,
        )
        return card_ts, alert


def make_workflow_rig(tmp_path: Path, config: str = WORKFLOW_CONFIG) -> Iterator[WorkflowRig]:
    """Start the stand-in and the bot with the test clock on; stop both afterwards."""
    yield from make_rig(tmp_path, config=config, rig_class=WorkflowRig, test_clock=True)


@pytest.fixture
def wrig(tmp_path: Path) -> Iterator[WorkflowRig]:
    yield from make_workflow_rig(tmp_path)


__all__ = ["ADMIN_CHANNEL", "AE", "AE2", "AE3", "AWAY_AE", "WARM_BANT", "WorkflowRig"]


# Storage fixtures: a fresh SQLite file and a throwaway PostgreSQL database per test.
from tests.storage.conftest import db, engine  # noqa: E402, F401
