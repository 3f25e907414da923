"""Team roles from the config file, and settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError, People, load_team_config
from bot.permissions import Action, RolesNeeded, permits
from bot.services.roles import RoleDirectory
from bot.settings import Settings


def _decides(people: People, user_id: str) -> bool:
    # What the config alone says, as every listener asks it (bot.permissions).
    actor = RoleDirectory(AsyncWebClient(), people).known("T1", user_id)
    try:
        return permits(Action.DECIDE_HANDOFF, actor)
    except RolesNeeded:
        return False


def test_people_are_read_from_the_team_config(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("people:\n  managers: [UM1]\n  account_executives: [UA1, UA2]\n")
    people = load_team_config(path).people
    assert people.managers == {"UM1"} and people.account_executives == {"UA1", "UA2"}
    assert _decides(people, "UA2") and _decides(people, "UM1")
    assert not _decides(people, "UREP")


def test_no_config_means_nobody_has_extra_rights_by_the_config_alone() -> None:
    assert not _decides(load_team_config(None).people, "U1")


def test_malformed_people_section_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("people: [1, 2]\n")
    with pytest.raises(ConfigError, match=r"^team\.yaml: people: "):
        load_team_config(path)


def test_settings_read_the_documented_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("SDRBOT_ALERT_CHANNEL", "CALERT")
    monkeypatch.setenv("SDRBOT_MANAGER_CHANNEL", "CMGR")
    monkeypatch.setenv("SDRBOT_LANGUAGE", "de")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings.load()
    assert settings.has_slack_tokens
    assert settings.api_base_url == "http://127.0.0.1:9/api/"
    assert (settings.alert_channel, settings.manager_channel, settings.language) == (
        "CALERT",
        "CMGR",
        "de",
    )
    assert settings.database_url.endswith(str(tmp_path / "sdrbot.db"))


def test_settings_without_tokens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert not Settings.load().has_slack_tokens


def test_people_may_name_slack_user_groups(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(
        'people:\n  managers: [UM1, "@sales-leads"]\n  account_executives: S0AETEAM\n'
        "  admins_are_managers: false\n"
    )
    people = load_team_config(path).people
    assert people.managers == frozenset({"UM1", "@sales-leads"})
    assert people.account_executive_ids == []  # routing takes user ids only
    assert people.account_executives == frozenset({"S0AETEAM"})
    assert not people.admins_are_managers


def test_no_config_names_no_roles_and_admins_count_as_managers() -> None:
    people = load_team_config(None).people
    assert not people.managers and not people.account_executives
    assert people.admins_are_managers
