"""``sdrbot crm check`` against the HubSpot stand-in: connected, mapped, or what is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.standin.hubspot import HubSpotStandIn
from bot.standin.salesforce import SalesforceStandIn

TOKEN = "pat-check"


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubSpotStandIn]:
    with HubSpotStandIn(token=TOKEN) as standin:
        monkeypatch.setenv("SDRBOT_HUBSPOT_URL", standin.base_url)
        monkeypatch.setenv("SDRBOT_HUBSPOT_TOKEN", TOKEN)
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
        monkeypatch.delenv("SDRBOT_CONFIG", raising=False)
        yield standin


def test_check_passes_with_the_default_mapping(
    hubspot: HubSpotStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["crm", "check"]) == 0
    out = capsys.readouterr().out
    assert "HubSpot account 4242" in out
    assert "employees is read from numberofemployees" in out
    assert "created on first write, in group sdrbot: sdrbot_lead_key" in out
    assert out.strip().endswith("ready")


def test_check_names_what_the_mapping_lacks(
    hubspot: HubSpotStandIn,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config = tmp_path / "team.yaml"
    config.write_text(
        "crm:\n  hubspot:\n    firmographics: {employees: headcount}\n"
        "    lead_status: {SQL: HOT}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SDRBOT_CONFIG", str(config))
    assert main(["crm", "check"]) == 1
    out = capsys.readouterr().out
    assert "missing: company property headcount (for employees)" in out
    assert "hs_lead_status has no option HOT" in out
    assert "2 to fix" in out


def test_check_says_when_the_token_is_refused_or_missing(
    hubspot: HubSpotStandIn, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDRBOT_HUBSPOT_TOKEN", "pat-wrong")
    assert main(["crm", "check"]) == 1
    assert "refused the token: hubspot_unauthorized" in capsys.readouterr().out
    monkeypatch.setenv("SDRBOT_HUBSPOT_TOKEN", "")
    assert main(["crm", "check"]) == 1
    assert "No CRM is set up" in capsys.readouterr().out


def test_an_unknown_firmographic_field_is_a_config_error(
    hubspot: HubSpotStandIn,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config = tmp_path / "team.yaml"
    config.write_text("crm:\n  hubspot:\n    firmographics: {headcount: x}\n", encoding="utf-8")
    monkeypatch.setenv("SDRBOT_CONFIG", str(config))
    assert main(["crm", "check"]) == 1
    err = capsys.readouterr().err
    assert "team.yaml" in err and "crm.hubspot.firmographics" in err


def test_check_tests_salesforce_credentials_and_our_lead_fields(
    hubspot: HubSpotStandIn, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDRBOT_HUBSPOT_TOKEN", "")
    with SalesforceStandIn(fields=frozenset({"Sdrbot_Lead_Key__c"})) as org:
        monkeypatch.setenv("SDRBOT_SALESFORCE_URL", org.base_url)
        monkeypatch.setenv("SDRBOT_SALESFORCE_CLIENT_ID", org.client_id)
        monkeypatch.setenv("SDRBOT_SALESFORCE_CLIENT_SECRET", org.client_secret)
        assert main(["crm", "check"]) == 1
        out = capsys.readouterr().out
        assert f"Salesforce at {org.base_url}: connected" in out
        assert "missing Lead fields" in out and "Sdrbot_Verdict__c" in out
        assert "Sdrbot_Lead_Key__c," not in out
        monkeypatch.setenv("SDRBOT_SALESFORCE_CLIENT_SECRET", "wrong")
        assert main(["crm", "check"]) == 1
        assert "salesforce_invalid_client" in capsys.readouterr().out
