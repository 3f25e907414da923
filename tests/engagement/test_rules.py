"""The pure parts: decay of points and the validation of the config and of event bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.api import InvalidEvent, parse_event
from bot.config import DEFAULT_POINTS, ConfigError, TeamConfig, load_team_config
from bot.services.engagement import decayed_points, engagement_score

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(("age_days", "worth"), [(0, 40), (30, 20), (60, 10), (15, 28.284)])
def test_points_halve_every_half_life(age_days: float, worth: float) -> None:
    assert decayed_points(40, NOW - timedelta(days=age_days), NOW, 30) == pytest.approx(
        worth, abs=1e-3
    )


def test_future_events_count_in_full_and_scores_add_up() -> None:
    assert decayed_points(10, NOW + timedelta(hours=1), NOW, 30) == 10
    events = [(10.0, NOW), (20.0, NOW - timedelta(days=10)), (8.0, NOW - timedelta(days=20))]
    assert engagement_score(events, NOW, 10) == pytest.approx(10 + 10 + 2)
    assert engagement_score([], NOW, 10) == 0


def _load(tmp_path: Path, text: str) -> TeamConfig:
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return load_team_config(path)


def test_engagement_config_merges_defaults_and_names_bad_fields(tmp_path: Path) -> None:
    config = _load(
        tmp_path, "engagement: {points: {site_revisit: 7, podcast: 3}, mql_threshold: 80}\n"
    ).engagement
    assert config.points["site_revisit"] == 7 and config.points["podcast"] == 3
    assert config.points["demo_request"] == DEFAULT_POINTS["demo_request"]
    assert (config.mql_threshold, config.half_life_days) == (80, 30)
    with pytest.raises(ConfigError, match=r"^team\.yaml: engagement\.half_life_days: must be > 0"):
        _load(tmp_path, "engagement: {half_life_days: 0}\n")
    with pytest.raises(ConfigError, match=r"^team\.yaml: engagement\.points\.x: must be >= 0"):
        _load(tmp_path, "engagement: {points: {x: -2}}\n")
    with pytest.raises(ConfigError, match=r"^team\.yaml: api\.token: "):
        _load(tmp_path, "api: {token: 123}\n")
    assert _load(tmp_path, "api:\n").api.token == ""


def test_event_bodies_default_points_and_times() -> None:
    event = parse_event(b'{"type": "site_revisit"}', points_by_type={"site_revisit": 5}, now=NOW)
    assert (event.type, event.points, event.occurred_at) == ("site_revisit", 5, NOW)
    zoned = parse_event(
        b'{"type": "x", "points": 2.5, "at": "2025-03-01T10:00:00+01:00"}',
        points_by_type={},
        now=NOW,
    )
    assert zoned.occurred_at == datetime(2025, 3, 1, 9, tzinfo=UTC) and zoned.points == 2.5
    with pytest.raises(InvalidEvent, match="points"):
        parse_event(b'{"type": "x", "points": 1e400}', points_by_type={}, now=NOW)
    with pytest.raises(InvalidEvent, match="JSON"):
        parse_event(b"\xff\xfe", points_by_type={}, now=NOW)
