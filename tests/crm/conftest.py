"""Fixtures: the HubSpot stand-in beside the Slack stand-in, and the real bot wired to both."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.standin.hubspot import HubSpotStandIn
from tests.e2e.conftest import TEAM_CONFIG, Rig, make_rig
from tests.storage.conftest import db, engine, make_qualification  # noqa: F401  (fixtures)

TOKEN = "pat-crm-test"
CRM_CONFIG = (
    TEAM_CONFIG
    + """
icp:
  industries: [COMPUTER_SOFTWARE]
  employees: {min: 50, max: 5000}
crm:
  slack_url: https://acme-sales.slack.com
"""
)


@dataclass
class CrmRig(Rig):
    """A rig whose bot writes to a HubSpot stand-in."""

    hubspot: HubSpotStandIn = field(default_factory=HubSpotStandIn)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as connection:
            return list(connection.execute(sql, params))


def crm_rig(tmp_path: Path, *, token: str = TOKEN, **settings: Any) -> Iterator[CrmRig]:
    hubspot = HubSpotStandIn(token=TOKEN).start()
    try:
        for rig in make_rig(
            tmp_path,
            config=CRM_CONFIG,
            rig_class=CrmRig,
            hubspot_token=token,
            hubspot_url=hubspot.base_url,
            **settings,
        ):
            rig.hubspot = hubspot
            yield rig
    finally:
        hubspot.stop()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CrmRig]:
    yield from crm_rig(tmp_path)
