"""HubSpot's deal-stage webhooks, verified, record won and lost without ``/lead won``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.crm.deals import PATH
from bot.standin.hubspot_webhooks import deal_stage_event, deliver
from tests.crm.conftest import CrmRig, crm_rig

APP_SECRET = "hubspot-app-secret"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CrmRig]:
    yield from crm_rig(tmp_path, hubspot_app_secret=APP_SECRET)


def _linked_deal(rig: CrmRig, name: str) -> str:
    company_id = rig.hubspot.add_company(name=name)
    rig.qualify(name)
    rig.wait(lambda: rig.rows("SELECT record_id FROM crm_link") == [(company_id,)], timeout=20)
    return rig.hubspot.add_deal(company_id)


def test_closed_won_in_hubspot_records_the_outcome_once(rig: CrmRig) -> None:
    deal = _linked_deal(rig, "Initech")
    url = rig.bot_url + PATH
    event = deal_stage_event(deal, "closedwon")
    assert deliver(url, APP_SECRET, [event]).status_code == 200
    rig.wait(lambda: rig.rows("SELECT stage FROM lead") == [("customer",)], timeout=20)
    assert deliver(url, APP_SECRET, [event]).status_code == 200  # HubSpot retries a delivery
    company = rig.wait(lambda: rig.hubspot.companies(lifecyclestage="customer"), timeout=20)
    assert company[0]["sdrbot_outcome"] == "won"
    time.sleep(1.5)
    audits = rig.rows("SELECT actor_id FROM audit_event WHERE action LIKE '%outcome%'")
    assert audits == [("hubspot",)]


def test_closed_lost_records_a_loss_with_the_deal_as_reason(rig: CrmRig) -> None:
    deal = _linked_deal(rig, "Globex")
    assert deliver(rig.bot_url + PATH, APP_SECRET, [deal_stage_event(deal, "closedlost")])
    rig.wait(lambda: rig.rows("SELECT stage FROM lead") == [("lost",)], timeout=20)


def test_unsigned_stale_or_forged_webhooks_are_refused(rig: CrmRig) -> None:
    deal = _linked_deal(rig, "Hooli")
    url = rig.bot_url + PATH
    events = [deal_stage_event(deal, "closedwon")]
    assert deliver(url, "not-the-secret", events).status_code == 401
    stale = int((time.time() - 6 * 60) * 1000)
    assert deliver(url, APP_SECRET, events, timestamp_ms=stale).status_code == 401
    other_stage = [deal_stage_event(deal, "presentationscheduled")]
    assert deliver(url, APP_SECRET, other_stage).json() == {"queued": 0}
    time.sleep(1.0)
    assert rig.rows("SELECT stage FROM lead") != [("customer",)]
