"""End to end through the real Slack endpoint: qualifications written to a HubSpot stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.crm.conftest import CrmRig, crm_rig
from tests.e2e.conftest import AE, ALERT_CHANNEL, MANAGER, MANAGER_CHANNEL
from tests.e2e.test_qualification import HOT_BANT

KEY = "sdrbot_lead_key"


def _company(rig: CrmRig, **properties: str) -> dict:
    return rig.wait(lambda: next(iter(rig.hubspot.companies(**properties)), None), timeout=30)


def _verdict_writes(rig: CrmRig) -> list:
    """PATCHes carrying a verdict that HubSpot applied (a 502 after the change counts too)."""
    return [
        call
        for call in rig.hubspot.calls_to("PATCH", "/crm/v3/objects/companies/")
        if "sdrbot_verdict" in json.dumps(call.body)
        and (call.status == 200 or call.fault == "500_after")
    ]


def _creates(rig: CrmRig) -> list:
    return [
        call
        for call in rig.hubspot.calls_to("POST", "/crm/v3/objects/companies")
        if call.path == "/crm/v3/objects/companies"
    ]


def test_hot_lead_lands_once_in_hubspot_despite_429s_and_5xx(rig: CrmRig) -> None:
    existing = rig.hubspot.add_company(
        name="Initech", domain="initech.com", industry="COMPUTER_SOFTWARE", numberofemployees=400
    )
    card_ts = rig.qualify("Initech")
    thread = f"https://acme-sales.slack.com/archives/CSALES/p{card_ts.replace('.', '')}"
    company = _company(rig, sdrbot_slack_thread=thread)
    assert company["id"] == existing  # found by name, not created again
    rig.wait(
        lambda: rig.rows("SELECT industry, employees FROM lead") == [("COMPUTER_SOFTWARE", 400)]
    )

    rig.hubspot.inject("429", 2, match="PATCH", retry_after=1)
    rig.hubspot.inject("500", 1, match="PATCH")
    rig.hubspot.inject("500_after", 1, match="PATCH")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)

    written = _company(rig, sdrbot_verdict="hot")
    assert written["id"] == existing
    assert written["sdrbot_framework"] == "bant"
    assert written["sdrbot_stage"] == "SQL"
    assert int(float(written["sdrbot_score"])) >= 70
    assert written["sdrbot_fit_score"] == "100"
    assert written["sdrbot_budget_reading"].startswith("met")
    assert "Budget approved" in written["sdrbot_budget_evidence"]
    assert written["lifecyclestage"] == "salesqualifiedlead"
    assert written["hs_lead_status"] == "IN_PROGRESS"
    faults = [c.fault for c in rig.hubspot.calls_to("PATCH", "/crm/v3/objects/companies/")]
    assert faults.count("429") == 2 and "500" in faults and "500_after" in faults
    time.sleep(1.0)
    assert len(_verdict_writes(rig)) == 1
    assert len(rig.hubspot.companies(name="Initech")) == 1
    assert rig.hubspot.store.properties["sdrbot_lead_key"]["groupName"] == "sdrbot"
    assert rig.hubspot.store.properties["sdrbot_lead_key"]["hasUniqueValue"] is True


def test_accept_moves_the_lifecycle_stage(rig: CrmRig) -> None:
    card_ts = rig.qualify("globex.com")
    company = _company(rig, domain="globex.com")
    assert company["name"] == "globex.com"
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    _company(rig, sdrbot_verdict="hot")
    alert = rig.wait(lambda: next(iter(rig.bot_messages(ALERT_CHANNEL)), None))
    accept = next(
        element
        for block in alert["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "handoff_accept"
    )
    record = f"https://app.hubspot.com/contacts/4242/record/0-2/{company['id']}"
    assert f"<{record}|Open in HubSpot>" in json.dumps(alert["blocks"])
    assert record in json.dumps(rig.card(card_ts)["blocks"])
    status = rig.sender.command("/lead", "status globex.com", user_id=AE, channel_id=ALERT_CHANNEL)
    assert record in status.text
    click = rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    assert click.status_code == 200
    moved = _company(rig, lifecyclestage="opportunity")
    assert moved["hs_lead_status"] == "OPEN_DEAL"
    assert moved["sdrbot_decision"] == "accepted"


def test_second_qualify_finds_the_record_and_a_deleted_one_is_made_again(rig: CrmRig) -> None:
    first = rig.qualify("Umbrella Corp")
    company = _company(rig, name="Umbrella Corp")
    rig.wait(lambda: rig.rows("SELECT record_id FROM crm_link") == [(company["id"],)])
    rig.sender.command("/qualify", "Umbrella Corp", user_id="UREP1", channel_id="CSALES")
    rig.wait(
        lambda: len(rig.hubspot.calls_to("GET", f"/crm/v3/objects/companies/{company['id']}")) >= 1
    )
    time.sleep(1.5)
    assert len(_creates(rig)) == 1

    rig.hubspot.delete_company(company["id"])  # someone merged it away in HubSpot
    for answer in HOT_BANT:
        rig.reply(first, answer)
    again = _company(rig, sdrbot_verdict="hot")
    assert again["id"] != company["id"]
    assert (
        rig.hubspot.calls_to("GET", f"/crm/v3/objects/companies/{company['id']}")[-1].status == 404
    )
    rig.wait(lambda: rig.rows("SELECT record_id FROM crm_link") == [(again["id"],)])


def test_a_create_whose_answer_was_lost_is_not_made_twice(rig: CrmRig) -> None:
    rig.hubspot.search_delay = 60  # search does not see new companies yet, as in HubSpot
    rig.hubspot.inject("500_after", 1, match="POST /crm/v3/objects/companies$")
    rig.qualify("Hooli")
    _company(rig, name="Hooli")
    rig.wait(lambda: [c for c in _creates(rig) if c.status == 409], timeout=30)
    assert [c.status for c in _creates(rig)] == [502, 409]
    rig.wait(lambda: rig.rows("SELECT count(*) FROM crm_link") == [(1,)], timeout=30)
    assert len(rig.hubspot.companies(name="Hooli")) == 1


def test_a_bad_token_fails_for_good_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for refused in crm_rig(tmp_path, token="pat-wrong"):
        _refused_for_good(refused)
        monkeypatch.setenv("DATABASE_URL", refused.database_url)
        assert main(["crm", "status"]) == 1
        printed = capsys.readouterr().out
        assert "1 failed" in printed
        assert "hubspot.upsert_company" in printed and "hubspot_unauthorized" in printed


def _refused_for_good(rig: CrmRig) -> None:
    rig.qualify("Massive Dynamic")
    notice = rig.wait(lambda: rig.bot_messages(MANAGER_CHANNEL), timeout=20)
    assert "hubspot.upsert_company to HubSpot" in notice[0]["text"]
    assert "hubspot_unauthorized" in notice[0]["text"]
    statuses = rig.rows("SELECT method, status FROM outbox_message WHERE method LIKE 'hubspot.%'")
    assert statuses == [("hubspot.upsert_company", "failed")]
    assert rig.hubspot.calls[-1].status == 401
    rig.sender.app_home_opened(MANAGER)
    home = json.dumps(rig.wait(lambda: rig.standin.home(MANAGER)))
    assert "hubspot.upsert_company to HubSpot" in home and "hubspot_unauthorized" in home


def test_the_leads_contact_is_found_or_made_once_and_tied_to_the_company(
    rig: CrmRig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "hubspot.csv"
    export.write_text(
        "First Name,Last Name,Company Name,Email\nJane,Doe,Stark Industries,jane@stark.example\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DATABASE_URL", rig.database_url)
    assert main(["import", str(export), "--team", rig.standin.team_id]) == 0
    rig.hubspot.inject("500_after", 1, match="POST /crm/v3/objects/contacts$")
    rig.qualify("Stark Industries")
    company = _company(rig, name="Stark Industries")
    rig.wait(lambda: rig.rows("SELECT count(*) FROM crm_link") == [(1,)], timeout=30)
    contacts = list(rig.hubspot.store.contacts.values())
    assert contacts == [{"email": "jane@stark.example", "companies": {company["id"]}}]
    statuses = [
        c.status
        for c in rig.hubspot.calls_to("POST", "/crm/v3/objects/contacts")
        if c.path.endswith("/contacts")
    ]
    assert statuses == [502]  # made once; the retry found it by its email
