"""End to end through the real Slack endpoint: qualifications upserted as Salesforce Leads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.standin.salesforce import SalesforceStandIn
from tests.crm.conftest import CrmRig, crm_rig
from tests.e2e.conftest import MANAGER_CHANNEL
from tests.e2e.test_qualification import HOT_BANT


def _salesforce_rig(tmp_path: Path, org: SalesforceStandIn) -> Iterator[CrmRig]:
    yield from crm_rig(
        tmp_path,
        token="",  # HubSpot is not set up: Salesforce only
        salesforce_url=org.base_url,
        salesforce_client_id=org.client_id,
        salesforce_client_secret=org.client_secret,
    )


@pytest.fixture
def org() -> Iterator[SalesforceStandIn]:
    with SalesforceStandIn() as standin:
        yield standin


@pytest.fixture
def rig(tmp_path: Path, org: SalesforceStandIn) -> Iterator[CrmRig]:
    yield from _salesforce_rig(tmp_path, org)


def test_hot_lead_is_one_salesforce_lead_despite_503s_and_an_expired_session(
    rig: CrmRig, org: SalesforceStandIn
) -> None:
    card_ts = rig.qualify("Wayne Enterprises")
    key = f"{rig.standin.team_id}:1"
    lead = rig.wait(lambda: org.lead(key), timeout=20)
    assert lead["Company"] == "Wayne Enterprises"
    assert lead["Sdrbot_Slack_Thread__c"].endswith(f"/archives/CSALES/p{card_ts.replace('.', '')}")
    org.expire_tokens()
    org.inject("503")
    org.inject("503_after")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    rig.wait(lambda: (org.lead(key) or {}).get("Sdrbot_Verdict__c") == "hot", timeout=30)
    lead = org.lead(key)
    assert lead is not None
    assert (lead["Rating"], lead["Status"], lead["Sdrbot_Stage__c"]) == (
        "Hot",
        "Working - Contacted",
        "SQL",
    )
    assert "budget: met" in lead["Sdrbot_Readings__c"]
    assert "(Budget approved)" in lead["Sdrbot_Readings__c"]
    assert len(org.leads) == 1
    statuses = [c.status for c in org.calls if c.method == "PATCH"]
    assert 401 in statuses and 503 in statuses and statuses.count(201) == 1
    link = f"{org.base_url}/lightning/r/Lead/{next(iter(org.leads))}/view"
    rig.wait(lambda: rig.rows("SELECT record_url FROM crm_link") == [(link,)])
    status = rig.sender.command(
        "/lead", "status Wayne Enterprises", user_id="UREP1", channel_id="CSALES"
    )
    assert f"<{link}|Open in Salesforce>" in status.text


def test_an_org_without_our_fields_fails_for_good_and_says_so(tmp_path: Path) -> None:
    with SalesforceStandIn(fields=frozenset()) as bare:
        for rig in _salesforce_rig(tmp_path, bare):
            rig.qualify("Cyberdyne")
            notice = rig.wait(lambda: rig.bot_messages(MANAGER_CHANNEL), timeout=20)  # noqa: B023
            assert "salesforce.upsert_lead to Salesforce" in notice[0]["text"]
            assert "salesforce_not_found" in notice[0]["text"]
            time.sleep(0.5)
            assert bare.leads == {}


def test_with_both_crms_set_up_each_gets_the_verdict_once(
    tmp_path: Path, org: SalesforceStandIn
) -> None:
    for rig in crm_rig(
        tmp_path,
        salesforce_url=org.base_url,
        salesforce_client_id=org.client_id,
        salesforce_client_secret=org.client_secret,
    ):
        _both(rig, org)


def _both(rig: CrmRig, org: SalesforceStandIn) -> None:
    rig.hubspot.inject("429", 3, match="PATCH", retry_after=1)
    card_ts = rig.qualify("Tyrell Corp")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    key = f"{rig.standin.team_id}:1"
    rig.wait(lambda: (org.lead(key) or {}).get("Sdrbot_Verdict__c") == "hot", timeout=30)
    company = rig.wait(lambda: rig.hubspot.companies(sdrbot_verdict="hot"), timeout=30)
    assert company[0]["name"] == "Tyrell Corp"
    vendors = [("hubspot",), ("salesforce",)]
    rig.wait(lambda: rig.rows("SELECT vendor FROM crm_link ORDER BY vendor") == vendors)
    assert len(org.leads) == 1 and len(rig.hubspot.companies(name="Tyrell Corp")) == 1
    # The write at /qualify waited out the 429s past the verdict: the card learns the link then.
    record = f"app.hubspot.com/contacts/4242/record/0-2/{company[0]['id']}"
    rig.wait(lambda: f"{record}|Open in HubSpot>" in str(rig.card(card_ts)["blocks"]), timeout=20)
    # /lead status links HubSpot's record when both are set up.
    status = rig.sender.command("/lead", "status Tyrell Corp", user_id="UREP1", channel_id="CSALES")
    assert f"app.hubspot.com/contacts/4242/record/0-2/{company[0]['id']}" in status.text
