"""The funnel report against counts made independently over the seeded history."""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.rendering import TextBook
from bot.services import reporting
from bot.services.reporting import Period, PeriodError, parse_period
from storage.db import session_scope
from tests.reporting.seed import TEAM, SeededLead, seed_funnel

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
STAGES = ("lead", "MQL", "SQL", "SAL", "customer")


def _expected(leads: list[SeededLead], period: Period, key=lambda lead: None) -> dict:
    groups: dict = defaultdict(Counter)
    for lead in leads:
        if period.start <= lead.created_at < period.end:
            group = groups[key(lead)]
            group.update(lead.path)
            if lead.stage in ("nurture", "disqualified", "lost"):
                group[lead.stage] += 1
    return groups


def test_funnel_counts_and_rates_match_the_seeded_paths(engine: Engine) -> None:
    leads = seed_funnel(engine, count=3000, now=NOW)
    period = Period("30d", NOW - timedelta(days=30), NOW)
    started = time.perf_counter()
    with session_scope(engine) as session:
        report = reporting.build_report(session=session, team_id=TEAM, period=period)
    elapsed = time.perf_counter() - started

    expected = _expected(leads, period)[None]
    assert expected["lead"] > 500
    for stage in (*STAGES, "nurture", "disqualified", "lost"):
        assert report.total.counts[stage] == expected[stage], stage
    assert report.total.rates["SQL->SAL"] == pytest.approx(
        expected["SAL"] / expected["SQL"], abs=1e-4
    )
    assert elapsed < 5, f"report took {elapsed:.2f}s"


@pytest.mark.parametrize(
    ("dimension", "key"),
    [
        ("rep", lambda lead: lead.owner),
        ("source", lambda lead: lead.source),
        ("framework", lambda lead: lead.framework),
    ],
)
def test_breakdowns_match_per_group(engine: Engine, dimension: str, key) -> None:
    leads = seed_funnel(engine, count=2000, now=NOW, rng_seed=11)
    period = Period("60d", NOW - timedelta(days=60), NOW)
    with session_scope(engine) as session:
        report = reporting.build_report(session=session, team_id=TEAM, period=period)
    expected = _expected(leads, period, key)
    got = {g.group: g.counts for g in report.breakdowns[dimension]}
    assert set(got) == set(expected)
    for group, counts in expected.items():
        for stage in STAGES:
            assert got[group][stage] == counts[stage], (group, stage)


def test_medians_match_python_medians(engine: Engine) -> None:
    leads = seed_funnel(engine, count=1500, now=NOW, rng_seed=3)
    period = Period("30d", NOW - timedelta(days=30), NOW)
    with session_scope(engine) as session:
        report = reporting.build_report(session=session, team_id=TEAM, period=period)
    in_period = lambda at: at is not None and period.start <= at < period.end  # noqa: E731
    qual = [x.qualification_seconds for x in leads if in_period(x.finished_at)]
    accept = [x.accept_seconds for x in leads if in_period(x.decided_at)]
    assert report.total.median_qualification_hours == pytest.approx(
        statistics.median(qual) / 3600, abs=0.01
    )
    assert report.total.median_accept_hours == pytest.approx(
        statistics.median(accept) / 3600, abs=0.01
    )
    by_rep = {g.group: g for g in report.breakdowns["rep"]}
    rep1 = [
        x.qualification_seconds for x in leads if in_period(x.finished_at) and x.owner == "UREP1"
    ]
    assert by_rep["UREP1"].median_qualification_hours == pytest.approx(
        statistics.median(rep1) / 3600, abs=0.01
    )


def test_other_teams_do_not_count(sqlite_engine: Engine) -> None:
    seed_funnel(sqlite_engine, count=200, now=NOW)
    with session_scope(sqlite_engine) as session:
        report = reporting.build_report(
            session=session, team_id="TOTHER", period=parse_period("30d", now=NOW)
        )
    assert report.total.counts["lead"] == 0
    assert report.total.rates["lead->MQL"] is None


def test_text_csv_json_and_png_forms(sqlite_engine: Engine) -> None:
    seed_funnel(sqlite_engine, count=300, now=NOW)
    with session_scope(sqlite_engine) as session:
        report = reporting.build_report(
            session=session, team_id=TEAM, period=parse_period("30d", now=NOW)
        )
    for lang in ("en", "de"):
        text = reporting.render_text(report, TextBook()[lang])
        assert str(report.total.counts["SQL"]) in text
        assert "<@UREP1>" in text
    rows = reporting.render_csv(report).splitlines()
    assert rows[0].startswith("dimension,group,lead,MQL,SQL,SAL,customer")
    assert rows[1].startswith(f"total,,{report.total.counts['lead']},")
    assert '"lead": ' + str(report.total.counts["lead"]) in reporting.render_json(report)
    png = reporting.render_png(report, TextBook()["en"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    # The title and the axis are worded by the templates, so each language draws its own.
    assert reporting.render_png(report, TextBook()["de"]) != png


def test_periods() -> None:
    assert parse_period("7d", now=NOW).start == NOW - timedelta(days=7)
    q3 = parse_period("2026-Q3", now=NOW)
    assert (q3.start, q3.end) == (
        datetime(2026, 7, 1, tzinfo=UTC),
        datetime(2026, 10, 1, tzinfo=UTC),
    )
    q4 = parse_period("2025-q4", now=NOW)
    assert q4.end == datetime(2026, 1, 1, tzinfo=UTC)
    month = parse_period("this-month", now=NOW)
    assert month.start == datetime(2026, 6, 1, tzinfo=UTC) and month.end == NOW
    last = parse_period("last-month", now=datetime(2026, 1, 10, tzinfo=UTC))
    assert last.start == datetime(2025, 12, 1, tzinfo=UTC)
    assert parse_period("", now=NOW).label == "30d"
    for bad in ("yesterday", "0d", "2026-13", "2026-Q5"):
        with pytest.raises(PeriodError):
            parse_period(bad, now=NOW)
