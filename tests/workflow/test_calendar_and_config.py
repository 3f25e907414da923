"""Business-hours deadlines and the workflow section of the team config."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import BusinessHours, ConfigError, load_team_config
from bot.services.business_time import add_business_minutes

BERLIN_CONFIG = """
business_hours:
  timezone: Europe/Berlin
  weekdays: [mon, tue, wed, thu, fri]
  start: "09:00"
  end: "17:00"
"""


@pytest.fixture
def berlin(tmp_path: Path) -> BusinessHours:
    path = tmp_path / "team.yaml"
    path.write_text(BERLIN_CONFIG, encoding="utf-8")
    return load_team_config(path).business_hours


def test_friday_evening_lead_is_due_on_monday_morning(berlin: BusinessHours) -> None:
    friday_evening = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)  # 18:30 in Berlin
    due = add_business_minutes(berlin, friday_evening, 15)
    assert due == datetime(2026, 3, 9, 8, 15, tzinfo=UTC)  # Monday 09:15 in Berlin


def test_the_clock_stops_at_closing_time_and_goes_on_next_day(berlin: BusinessHours) -> None:
    before_close = datetime(2026, 3, 10, 15, 50, tzinfo=UTC)  # Tuesday 16:50 in Berlin
    assert add_business_minutes(berlin, before_close, 15) == datetime(2026, 3, 11, 8, 5, tzinfo=UTC)


def test_daylight_saving_change_keeps_local_opening_hours(berlin: BusinessHours) -> None:
    # Clocks go forward on Sunday 29 March 2026: Monday 09:00 Berlin is 07:00 UTC.
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert add_business_minutes(berlin, saturday, 60) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=1, max_value=3000),
)
def test_deadlines_always_fall_inside_business_hours(start: datetime, minutes: int) -> None:
    hours = BusinessHours(
        timezone="Europe/Berlin",
        weekdays=(0, 1, 2, 3, 4),
        start=datetime(2000, 1, 1, 9).time(),
        end=datetime(2000, 1, 1, 17).time(),
        open_all_week=False,
    )
    due = add_business_minutes(hours, start, minutes)
    local = due.astimezone(hours.zone)
    assert due > start
    assert local.weekday() < 5 and hours.start < local.time() <= hours.end


def test_config_defaults_and_reject_mapping(tmp_path: Path) -> None:
    defaults = load_team_config(None)
    assert defaults.sla.accept_minutes == 15 and defaults.nurture.stale_after_days == 90
    assert defaults.business_hours.open_all_week
    assert defaults.reject_outcome("no_budget") == "nurture"
    assert defaults.reject_outcome("duplicate") == "disqualified"
    path = tmp_path / "team.yaml"
    path.write_text(
        "reject_reasons:\n  - {code: churned, outcome: disqualified, label: Churned}\n"
        "sla: {accept_minutes: 5, escalate_again_minutes: 0}\n",
        encoding="utf-8",
    )
    custom = load_team_config(path)
    assert [r.code for r in custom.reject_reasons] == ["churned"]
    assert custom.reject_outcome("churned") == "disqualified"
    assert custom.sla.accept_minutes == 5 and custom.sla.escalate_again_minutes is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("business_hours: {start: '9am'}\n", "business_hours.start"),
        ("reject_reasons: [{code: x, outcome: bin}]\n", "reject_reasons[0].outcome"),
        ("routing: {rules: [{pool: [U1]}]}\n", "routing.rules[0]"),
        ("business_hours: {start: '17:00', end: '09:00'}\n", "business_hours.end"),
    ],
)
def test_a_bad_config_names_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    location = field.replace("[", r"\[").replace("]", r"\]")
    with pytest.raises(ConfigError, match=rf"^team\.yaml: {location}"):
        load_team_config(path)


def test_the_documented_example_config_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "config.example.yaml"
    config = load_team_config(example)
    assert config.routing.rules[0].name == "dach-enterprise"
    hours = config.business_hours
    assert hours.timezone == "Europe/Berlin" and not hours.open_all_week
    assert {r.code for r in config.reject_reasons} >= {"no_budget", "other"}
