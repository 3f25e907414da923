"""The one loader of the team config: every section, errors naming file and field, immutable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pydantic
import pytest
import yaml

from bot.app import build_services
from bot.config import ConfigError, TeamConfig, load_team_config
from bot.settings import Settings
from bot.simulator.people import team_config_yaml
from flows.config import load_frameworks
from flows.schema import FrameworkError, builtin_frameworks_dir
from tests.e2e.conftest import MANAGER, TEAM_CONFIG
from tests.engagement.conftest import engagement_config
from tests.workflow.conftest import WORKFLOW_CONFIG

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "config.example.yaml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        EXAMPLE.read_text(encoding="utf-8"),
        TEAM_CONFIG,
        WORKFLOW_CONFIG,
        engagement_config("http://127.0.0.1:9/hook"),
        team_config_yaml(),
        "",
    ],
    ids=["example", "e2e", "workflow", "engagement", "simulator", "empty"],
)
def test_the_configs_in_use_load(tmp_path: Path, text: str) -> None:
    config = load_team_config(_write(tmp_path, text))
    assert isinstance(config, TeamConfig)
    assert set(load_frameworks(config)) >= {"bant", "meddic"}


def test_every_section_is_read_into_the_one_object(tmp_path: Path) -> None:
    config = load_team_config(_write(tmp_path, WORKFLOW_CONFIG + "away: [UOLD]\n"))
    assert config.people.managers == {MANAGER}
    assert config.people.away == {"UAWAY", "UOLD"}
    assert config.routing.max_open_per_person == 2 and config.routing.rules[0].name == "dach"
    assert config.sla.accept_minutes == 15 and config.nurture.remind_after_days["cold"] == 60
    assert config.admin_channel == "CADMIN" and config.scheduler_seconds == 3600
    hooks = load_team_config(_write(tmp_path, engagement_config("https://hooks.example/x")))
    assert hooks.api.token == "api-token-for-tests"
    assert hooks.engagement.half_life_days == 10 and hooks.engagement.points["demo_request"] == 40
    assert hooks.webhooks[0].wants("verdict") and not hooks.webhooks[0].wants("outcome")
    kept = load_team_config(EXAMPLE)
    assert kept.retention.evidence_days == 365 and kept.retention.audit_days == 400
    assert kept.privacy.redact_with == "update"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("people: [1, 2]\n", "team.yaml: people: "),
        ("peeple: {managers: [U1]}\n", "team.yaml: peeple: unknown field"),
        ("sla: {accept_minutes: 0}\n", "team.yaml: sla.accept_minutes: must be > 0"),
        ("digest: {hour: 25}\n", "team.yaml: digest.hour: "),
        ("business_hours: {timezone: Mars/Base}\n", "team.yaml: business_hours.timezone: "),
        ("business_hours: {weekdays: [mon, funday]}\n", "team.yaml: business_hours.weekdays: "),
        ("api: {token: [a]}\n", "team.yaml: api.token: "),
        ("icp: {employees: {min: many}}\n", "team.yaml: icp.employees.min: "),
        ("overrides: {bant: {weights: {budget: -1}}}\n", "team.yaml: overrides.bant.weights"),
        ("frameworks_dir: missing\n", "team.yaml: frameworks_dir: not a folder"),
        ("- just a list\n", "team.yaml: (root): must be a mapping"),
        ("people: [unclosed\n", "team.yaml: invalid YAML"),
        ("retention: {evidence_days: 0}\n", "team.yaml: retention.evidence_days: must be > 0"),
        ("privacy: {redact_with: shred}\n", "team.yaml: privacy.redact_with: "),
        ("language: fr\n", "team.yaml: language: "),
    ],
)
def test_a_bad_file_names_the_file_and_the_field(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_team_config(_write(tmp_path, text))
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("overrides: {nope: {}}\n", "team.yaml: overrides: unknown frameworks nope"),
        ("overrides: {bant: {weights: {colour: 2}}}\n", "team.yaml: overrides.bant.weights"),
    ],
)
def test_overrides_are_checked_against_the_frameworks(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = load_team_config(_write(tmp_path, text))
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(config, source="team.yaml")
    assert str(caught.value).startswith(expected)


def test_the_config_and_the_services_cannot_be_changed(tmp_path: Path) -> None:
    config = load_team_config(_write(tmp_path, TEAM_CONFIG))
    with pytest.raises(pydantic.ValidationError):
        config.people.managers = frozenset({"UINTRUDER"})  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        config.sla = config.sla  # type: ignore[misc]
    settings = Settings(
        config_path=str(tmp_path / "team.yaml"),
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    services = build_services(settings)
    try:
        assert services.config == config
        with pytest.raises(dataclasses.FrozenInstanceError):
            services.config = TeamConfig()  # type: ignore[misc]
    finally:
        services.engine.dispose()


def test_relative_framework_files_resolve_against_the_config_folder(tmp_path: Path) -> None:
    builtin = yaml.safe_load((builtin_frameworks_dir() / "bant.yaml").read_text(encoding="utf-8"))
    (tmp_path / "fw").mkdir()
    builtin["key"] = "bant_lite"
    (tmp_path / "fw" / "bant_lite.yaml").write_text(yaml.safe_dump(builtin), encoding="utf-8")
    config = load_team_config(_write(tmp_path, "frameworks: [fw/bant_lite.yaml]\n"))
    assert config.frameworks == (tmp_path / "fw" / "bant_lite.yaml",)
    assert "bant_lite" in load_frameworks(config)
