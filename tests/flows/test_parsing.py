"""Number and date formats of the parsers, and that no text ever makes understanding crash."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.model import Assessment, Clarification, Framework
from flows.parsing import parse_amount, parse_timeframe
from flows.timeframes import parse_window
from flows.understanding import understand

TODAY = date(2026, 5, 4)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("50k", 50_000, "EUR"),
        ("50K USD", 50_000, "USD"),
        ("€50.000", 50_000, "EUR"),
        ("50.000,50 €", 50_000.5, "EUR"),
        ("1,250,000 dollars", 1_250_000, "USD"),
        ("£2.5m", 2_500_000, "GBP"),
        ("CHF 80'000", 80_000, "CHF"),
        ("30 Tsd. Euro", 30_000, "EUR"),
        ("1,5 Mio", 1_500_000, "EUR"),
        ("2 Mrd.", 2_000_000_000, "EUR"),
        ("budget for 2026 is 80000", 80_000, "EUR"),
        ("we have 200 users and 40k", 40_000, "EUR"),
    ],
)
def test_amount_formats(text: str, amount: float, currency: str) -> None:
    parsed = parse_amount(text, default_currency="EUR")
    assert parsed is not None
    assert parsed.amount == pytest.approx(amount)
    assert parsed.currency == currency


@pytest.mark.parametrize("text", ["in 2027", "50 users", "6 weeks", "12 people", "nothing"])
def test_no_amount_in_counts_years_or_words(text: str) -> None:
    assert parse_amount(text, default_currency="EUR") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("q4 2027", date(2027, 12, 31)),
        ("q1/27", date(2027, 3, 31)),
        ("15.03.2027", date(2027, 3, 15)),
        ("03/2027", date(2027, 3, 31)),
        ("2027-02-10", date(2027, 2, 10)),
        ("in march", date(2027, 3, 31)),
        ("ende 2027", date(2027, 12, 31)),
        ("this month", date(2026, 5, 31)),
        ("next month", date(2026, 6, 30)),
        ("in a couple of weeks", date(2026, 5, 18)),
        ("in einem halben jahr", date(2026, 11, 2)),
        ("tomorrow", date(2026, 5, 5)),
    ],
)
def test_timeframe_formats(text: str, expected: date) -> None:
    assert parse_timeframe(text, lang="en", today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["they may buy", "whenever", "30.02.2027", "2027-13", "2027-02-30"]
)
def test_no_date_from_verbs_or_impossible_dates(text: str) -> None:
    assert parse_timeframe(text, lang="en", today=TODAY) is None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=60), data=st.data())
def test_understanding_never_crashes(
    frameworks: dict[str, Framework], text: str, data: st.DataObject
) -> None:
    framework = data.draw(st.sampled_from(sorted(frameworks.values(), key=lambda f: f.key)))
    criterion = data.draw(st.sampled_from(framework.criteria))
    lang = data.draw(st.sampled_from(["en", "de"]))
    result = understand(criterion, text, lang=lang, thresholds=framework.thresholds, today=TODAY)
    assert isinstance(result, Assessment | Clarification)
    if isinstance(result, Assessment):
        assert result.evidence == text.strip()


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(1, 40),
    month=st.integers(0, 14),
    year=st.integers(2020, 2040),
    shape=st.sampled_from(["{d}.{m}.{y}", "{y}-{m}-{d}", "{y}-{m}", "{m}/{y}", "q{m} {y}"]),
)
def test_timeframes_with_any_numbers_never_crash(
    day: int, month: int, year: int, shape: str
) -> None:
    text = shape.format(d=day, m=month, y=year)
    result = parse_timeframe(text, lang="en", today=TODAY)
    assert result is None or isinstance(result, date)


DEC_1 = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("after the summer", date(2027, 9, 1), date(2027, 9, 30)),
        ("before xmas", date(2026, 12, 1), date(2026, 12, 24)),
        ("end of next month", date(2027, 1, 1), date(2027, 1, 31)),
        ("in the next 6-9 months", date(2027, 5, 30), date(2027, 8, 28)),
        ("nach Ostern", date(2027, 3, 29), date(2027, 4, 27)),
        ("H2 2027", date(2027, 7, 1), date(2027, 12, 31)),
        ("H1/27", date(2027, 1, 1), date(2027, 6, 30)),
        ("early next year", date(2027, 1, 1), date(2027, 3, 31)),
        ("Anfang nächsten Jahres", date(2027, 1, 1), date(2027, 3, 31)),
        ("mid-2027", date(2027, 5, 1), date(2027, 8, 31)),
        ("next FY", date(2027, 1, 1), date(2027, 12, 31)),
        ("bis Jahresende", date(2026, 12, 1), date(2026, 12, 31)),
        ("nach den Sommerferien", date(2027, 9, 1), date(2027, 9, 30)),
        ("KW 12", date(2027, 3, 22), date(2027, 3, 28)),
        ("wk 12", date(2027, 3, 22), date(2027, 3, 28)),
        ("CW12", date(2027, 3, 22), date(2027, 3, 28)),
        ("15.3.", date(2027, 3, 15), date(2027, 3, 15)),
        ("15.03.2027", date(2027, 3, 15), date(2027, 3, 15)),
        ("3/15", date(2027, 3, 15), date(2027, 3, 15)),
        ("March 15th", date(2027, 3, 15), date(2027, 3, 15)),
        ("15 Mar", date(2027, 3, 15), date(2027, 3, 15)),
        ("in 3 wks", date(2026, 12, 1), date(2026, 12, 22)),
        ("in 2 Mo.", date(2026, 12, 1), date(2027, 1, 30)),
        ("Q2/27", date(2027, 4, 1), date(2027, 6, 30)),
        ("Q2 2027", date(2027, 4, 1), date(2027, 6, 30)),
        ("2027-Q2", date(2027, 4, 1), date(2027, 6, 30)),
        ("im zweiten Quartal nächsten Jahres", date(2027, 4, 1), date(2027, 6, 30)),
        ("EOQ", date(2026, 12, 1), date(2026, 12, 31)),
        ("FY27", date(2027, 1, 1), date(2027, 12, 31)),
        ("by the 15th", date(2026, 12, 1), date(2026, 12, 15)),
        ("übernächste Woche", date(2026, 12, 14), date(2026, 12, 20)),
        ("zum Jahreswechsel", date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_periods_resolve_to_a_window(text: str, start: date, end: date) -> None:
    window = parse_window(text.lower(), lang="en", today=DEC_1)
    assert window is not None
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("not before Q3", date(2027, 7, 1)),
        ("nicht vor Herbst", date(2027, 9, 1)),
        ("frühestens in zwei Jahren", date(2028, 11, 30)),
    ],
)
def test_not_before_counts_from_the_start(text: str, when: date) -> None:
    window = parse_window(text.lower(), lang="de", today=DEC_1)
    assert window is not None and window.not_before and window.when == when


def test_timeline_value_keeps_date_and_days_and_adds_the_window(
    frameworks: dict[str, Framework],
) -> None:
    bant = frameworks["bant"]
    result = understand(
        bant.criterion("timeline"), "in 6-9 months", lang="en", thresholds=bant.thresholds,
        today=DEC_1,
    )  # fmt: skip
    assert isinstance(result, Assessment) and result.status.value == "partial"
    assert result.value == {
        "date": "2027-08-28", "days": 270, "start": "2027-05-30", "end": "2027-08-28",
    }  # fmt: skip


def test_default_windows_are_90_and_365_days() -> None:
    from flows.model import Thresholds

    assert (Thresholds().timeline_met_days, Thresholds().timeline_partial_days) == (90, 365)
