"""Timeframes in rep answers resolved to a date window, in English and German.

"Q2/27", "KW 12", "15.3.", "after the summer", "nach Ostern", "in 6-9 months", "early next year"
each become a :class:`Window` (first and last day, plus the one day the reading is judged by).
Rules cover what reps type; ``dateparser`` is only a fallback for short answers.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flows.timewords import (
    AFTER_NEXT,
    DAY_ONLY,
    DMY,
    EARLY_BEFORE,
    FISCAL_YEAR,
    HALF,
    ISO,
    ISO_QUARTER,
    MONTH,
    MONTH_DAY,
    MONTHS,
    MY,
    NAMED,
    NEXT,
    NEXT_YEAR_AFTER,
    NOT_BEFORE,
    NOW,
    NUMBER_WORDS,
    ORDINALS,
    PART_OF_YEAR,
    QUARTER,
    RELATIVE,
    THIS,
    THIS_WEEK,
    WEEK,
    YEAR,
)


@dataclass(frozen=True, slots=True)
class Window:
    """When a purchase is expected: ``start`` to ``end``; ``when`` is the day it is judged by.

    ``when`` is the end of a period ("Q3" -> 30 September), except for a whole year, whose middle
    stands for it ("next year" -> 1 July). ``not_before`` marks "not before X" readings.
    """

    start: date
    end: date
    when: date
    not_before: bool = False
    at: int = 0
    """Where in the text the time was named (for the scope of a negation)."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span(start: date, end: date) -> Window:
    return Window(start, end, end)


def _year_of(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def _ahead(make: object, today: date, year: int | None) -> Window:
    """A period named without a year means its next occurrence that has not ended."""
    build = make  # type: ignore[assignment]
    if year is not None:
        return build(year)  # type: ignore[operator]
    window: Window = build(today.year)  # type: ignore[operator]
    if window.end < today:
        window = build(today.year + 1)  # type: ignore[operator]
    return window


def easter(year: int) -> date:
    """Easter Sunday of a year (Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 90) // 25
    p = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 33 * n + 19) % 32
    return date(year, n, p)


def _named(name: str, year: int) -> Window:
    """Seasons and holidays of a year (northern hemisphere, German school summer)."""
    match name:
        case "after_summer":
            return _span(date(year, 9, 1), date(year, 9, 30))
        case "summer":
            return _span(date(year, 6, 1), date(year, 8, 31))
        case "autumn":
            return _span(date(year, 9, 1), date(year, 11, 30))
        case "spring":
            return _span(date(year, 3, 1), date(year, 5, 31))
        case "winter":
            return _span(date(year, 12, 1), date(year + 1, 2, 28))
        case "before_christmas":
            return _span(date(year, 12, 1), date(year, 12, 24))
        case "after_christmas":
            return _span(date(year + 1, 1, 2), date(year + 1, 1, 31))
        case "turn_of_year":
            return _span(date(year, 12, 15), date(year + 1, 1, 15))
        case "before_easter":
            day = easter(year)
            return _span(day - timedelta(days=30), day)
        case "after_easter":
            day = easter(year)
            return _span(day + timedelta(days=1), day + timedelta(days=30))
    raise AssertionError(name)


def _half(year: int, half: int) -> Window:
    if half == 1:
        return _span(date(year, 1, 1), date(year, 6, 30))
    return _span(date(year, 7, 1), date(year, 12, 31))


def _quarter(year: int, quarter: int) -> Window:
    return _span(date(year, quarter * 3 - 2, 1), _month_end(year, quarter * 3))


def _part_of_year(part: str, year: int) -> Window:
    first, last = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}[part]
    return _span(date(year, first, 1), _month_end(year, last))


def _count(raw: str) -> float:
    raw = raw.casefold().replace(",", ".")
    if not raw:
        return 1.0
    return float(raw) if raw[0].isdigit() else NUMBER_WORDS[raw]


def _relative(match: re.Match[str], today: date) -> Window | None:
    unit = match["unit"].casefold()
    per = 7 if unit.startswith(("w", "kw")) else 1
    if unit.startswith("f"):
        per = 14
    if unit.startswith(("m", "mo")):
        per = 30
    elif unit.startswith("q"):
        per = 91
    elif unit.startswith(("y", "j")):
        per = 365
    elif unit.startswith(("d", "t")):
        per = 1
    low = _count(match["n"])
    high = _count(match["n2"]) if match["n2"] else low
    end = today + timedelta(days=round(high * per))
    start = today + timedelta(days=round(low * per)) if match["n2"] else today
    return Window(start, end, end)


def _calendar(y: int, m: int, d: int | None) -> Window | None:
    if not 1 <= m <= 12:
        return None
    if d is None:
        return _span(date(y, m, 1), _month_end(y, m))
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    return Window(day, day, day)


def _day_ahead(month: int, day: int, year: int | None, today: date) -> Window | None:
    if year is not None:
        return _calendar(year, month, day)
    found = _calendar(today.year, month, day)
    if found is not None and found.end < today:
        found = _calendar(today.year + 1, month, day)
    return found


def _week(number: int, year: int | None, today: date) -> Window | None:
    if not 1 <= number <= 53:
        return None
    chosen = year or today.year
    try:
        monday = date.fromisocalendar(chosen, number, 1)
    except ValueError:
        return None
    if year is None and monday + timedelta(days=6) < today:
        try:
            monday = date.fromisocalendar(chosen + 1, number, 1)
        except ValueError:
            return None
    return _span(monday, monday + timedelta(days=6))


def _next_unit(unit: str, today: date) -> Window:
    if unit.startswith(("w",)):
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return _span(monday, monday + timedelta(days=6))
    if unit.startswith("m"):
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        return _span(first, _month_end(first.year, first.month))
    if unit.startswith("q"):
        quarter = (today.month - 1) // 3 + 2
        return _quarter(today.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1)
    return Window(
        date(today.year + 1, 1, 1), date(today.year + 1, 12, 31), date(today.year + 1, 7, 1)
    )


def _this_unit(unit: str, today: date) -> Window:
    if unit.startswith("m"):
        return _span(today, _month_end(today.year, today.month))
    if unit.startswith("q"):
        return _span(today, _month_end(today.year, ((today.month - 1) // 3 + 1) * 3))
    return _span(today, date(today.year, 12, 31))


def _now(match: re.Match[str], today: date) -> Window | None:
    return Window(today, today, today)


def _soon(match: re.Match[str], today: date) -> Window | None:
    weeks = "woche" in match.group(0).casefold() or "week" in match.group(0).casefold()
    return _span(
        today,
        today
        + timedelta(
            days=21
            if weeks and "this" not in match.group(0) and "diese" not in match.group(0)
            else 7
        ),
    )


def _iso_quarter(match: re.Match[str], today: date) -> Window | None:
    return _quarter(int(match["y"]), int(match["q"]))


def _quarter_of(match: re.Match[str], today: date) -> Window | None:
    raw = match["q"] or match["q2"] or str(ORDINALS[match["q3"].casefold()])
    quarter = int(raw)
    return _ahead(lambda y: _quarter(y, quarter), today, _year_of(match["y"] or match["y2"]))


def _half_of(match: re.Match[str], today: date) -> Window | None:
    half = int(
        match["h"] or match["h2"] or (1 if match["h3"].casefold() in ("ersten", "first") else 2)
    )
    year = _year_of(match["y"] or match["y2"])
    window = _ahead(lambda y: _half(y, half), today, year)
    if year is None and (window.end - today).days < _HALF_NEARLY_OVER:
        # "H2" said in December: the current half is nearly over, the rep means the next one.
        window = _half(window.end.year + 1, half)
    return window


_HALF_NEARLY_OVER = 31
"""Days left in the current half under which a bare "H2" means next year's."""


def _iso(match: re.Match[str], today: date) -> Window | None:
    return _calendar(int(match["y"]), int(match["m"]), int(match["d"]) if match["d"] else None)


def _dmy(match: re.Match[str], today: date) -> Window | None:
    return _day_ahead(int(match["m"]), int(match["d"]), _year_of(match["y"]), today)


def _slash(match: re.Match[str], today: date) -> Window | None:
    # "03/2027" is a month; "3/15" is the US month/day.
    if match["y"]:
        return _calendar(_year_of(match["y"]) or today.year, int(match["m"]), None)
    return _day_ahead(int(match["m"]), int(match["d"]), None, today)


def _week_of(match: re.Match[str], today: date) -> Window | None:
    return _week(int(match["w"]), _year_of(match["y"]), today)


def _month_day(match: re.Match[str], today: date) -> Window | None:
    month = MONTHS[(match["name"] or match["name2"]).casefold()]
    return _day_ahead(month, int(match["d"] or match["d2"]), _year_of(match["y"]), today)


def _named_of(match: re.Match[str], today: date) -> Window | None:
    name = next(k for k, v in match.groupdict().items() if v and not k.startswith("y"))
    year = _year_of(match["y"])
    if name.startswith("n_"):
        year = today.year + 1 if year is None else year
        name = name[2:]
    return _ahead(lambda y: _named(name, y), today, year)


def _part_of(match: re.Match[str], today: date) -> Window | None:
    part = match["part"].casefold()
    if part.startswith(("early", "beginn", "start", "anfang")):
        part = "early"
    elif part.startswith(("mid", "mitte")):
        part = "mid"
    else:
        part = "late"
    if match["y"] or match["y2"]:
        return _part_of_year(part, _year_of(match["y"] or match["y2"]) or today.year)
    if match["next"]:
        return _part_of_year(part, today.year + 1)
    return _ahead(lambda y: _part_of_year(part, y), today, None)


def _next_of(match: re.Match[str], today: date) -> Window | None:
    return _next_unit(match["unit"].casefold(), today)


def _this_of(match: re.Match[str], today: date) -> Window | None:
    if match["nextmonth"]:
        return _next_unit("month", today)
    if match["abbr"]:
        unit = {"eom": "month", "eoq": "quarter", "eow": "week"}[match["abbr"].casefold()]
        if unit == "week":
            return _span(today, today + timedelta(days=7))
        return _this_unit(unit, today)
    return _this_unit((match["unit"] or "year").casefold(), today)


def _fiscal(match: re.Match[str], today: date) -> Window | None:
    year = _year_of(match["y"]) or today.year
    return Window(date(year, 1, 1), date(year, 12, 31), date(year, 7, 1))


def _day_only(match: re.Match[str], today: date) -> Window | None:
    # "by the 15th": that day of this month, or of the next when it has passed.
    day = int(match["d"])
    year, month = today.year, today.month
    for _ in range(3):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return Window(today, found, found)
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return None


def _after_next(match: re.Match[str], today: date) -> Window | None:
    unit = (match["unit"] or "woche").casefold()
    if unit.startswith(("j", "y")):
        # "übernächstes Jahr", "the year after next": the whole calendar year after the next.
        return _span(date(today.year + 2, 1, 1), date(today.year + 2, 12, 31))
    if unit.startswith(("w",)):
        monday = today - timedelta(days=today.weekday()) + timedelta(days=14)
        return _span(monday, monday + timedelta(days=6))
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    first = (first + timedelta(days=32)).replace(day=1)
    return _span(first, _month_end(first.year, first.month))


def _year(match: re.Match[str], today: date) -> Window | None:
    year = int(match["y"])
    if match["end"]:
        return _span(date(year, 10, 1), date(year, 12, 31))
    return Window(date(year, 1, 1), date(year, 12, 31), date(year, 7, 1))


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], Window | None]], ...] = (
    (NOW, _now),
    (THIS_WEEK, _soon),
    (RELATIVE, _relative),
    (ISO_QUARTER, _iso_quarter),
    (QUARTER, _quarter_of),
    (HALF, _half_of),
    (ISO, _iso),
    (DMY, _dmy),
    (MY, _slash),
    (WEEK, _week_of),
    (MONTH_DAY, _month_day),
    (NAMED, _named_of),
    (PART_OF_YEAR, _part_of),
    (AFTER_NEXT, _after_next),
    (NEXT, _next_of),
    (THIS, _this_of),
    (FISCAL_YEAR, _fiscal),
    (DAY_ONLY, _day_only),
)


def _month(text: str, today: date) -> tuple[Window, int] | None:
    for match in MONTH.finditer(text):
        name = match["name"].casefold()
        # "may" is also a verb, "mar" and "jan" names: trust them only with a preposition or year.
        if name in ("may", "mar", "jan") and not (match["pre"] or match["y"]):
            continue
        month = MONTHS[name]
        found = _ahead(lambda y, m=month: _calendar(y, m, None), today, _year_of(match["y"]))
        return (found, match.start()) if found else None
    return None


def _adjust(window: Window, text: str, match: re.Match[str], today: date) -> Window:
    """ "Q2 next year" and "early H2" (already begun) mean the next year's period."""
    after = text[match.end() : match.end() + 24]
    before = text[max(0, match.start() - 12) : match.start()]
    later = NEXT_YEAR_AFTER.match(after) is not None
    early = EARLY_BEFORE.search(before) is not None
    if early:
        # "early H2": the first weeks of the period stand for it.
        window = replace(window, when=min(window.end, window.start + timedelta(days=45)))
        if window.start < today <= window.end:
            later = True
    if later and window.start.year == today.year:
        return Window(
            window.start.replace(year=window.start.year + 1),
            window.end.replace(year=window.end.year + 1, day=min(window.end.day, 28))
            if window.end.month == 2
            else window.end.replace(year=window.end.year + 1),
            window.when.replace(year=window.when.year + 1, day=min(window.when.day, 28))
            if window.when.month == 2
            else window.when.replace(year=window.when.year + 1),
        )
    return window


def _resolve(text: str, today: date) -> tuple[Window, int] | None:
    """The first rule that recognises a time in ``text`` and where; most specific first."""
    for pattern, build in _RULES:
        match = pattern.search(text)
        if match is None:
            continue
        window = build(match, today)
        if window is None:
            return None
        return _adjust(window, text, match, today), match.start()
    found = _month(text, today)
    if found is not None:
        return found
    match = YEAR.search(text)
    if match is not None:
        window = _year(match, today)
        return (window, match.start()) if window else None
    return None


def parse_window(text: str, *, lang: str, today: date, fallback: bool = True) -> Window | None:
    """Turn a timeframe answer into the window in which the lead wants to buy.

    Args:
        text: The rep's answer (normalised or not).
        lang: ``en`` or ``de``; picks the language of the ``dateparser`` fallback.
        today: The reference day.
        fallback: Whether ``dateparser`` may try a short text the rules do not recognise
            (slow: only for short answers).

    Returns:
        The window (``not_before`` set for "not before X" / "frühestens X"), or ``None`` when
        the answer names no time.
    """
    found = _resolve(text, today)
    window, at = found if found is not None else (None, 0)
    if window is None:
        # A written date that does not exist ("30.02.2027") gives no date rather than a guess.
        if ISO.search(text) or DMY.search(text) or MY.search(text):
            return None
        day = _dateparser_fallback(text, lang=lang, today=today) if fallback else None
        if day is None:
            return None
        window = Window(day, day, day)
    if NOT_BEFORE.search(text):
        # "not before Q3" counts from the start; "at the earliest in two years" from its end.
        when = window.start if window.start > today else window.end
        return Window(window.start, window.end, when, not_before=True, at=at)
    return replace(window, at=at)


def parse_timeframe(text: str, *, lang: str, today: date) -> date | None:
    """The day a timeframe answer is judged by (see :func:`parse_window`), or ``None``."""
    window = parse_window(text, lang=lang, today=today)
    return window.when if window else None


# dateparser reads dates into ordinary words ("update", "ask"): only hand it text that names one.
_DATEISH = re.compile(
    r"\d|tomorrow|morgen|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag"
    r"|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|weekend|wochenende|fortnight",
    re.IGNORECASE,
)


def _dateparser_fallback(text: str, *, lang: str, today: date) -> date | None:
    # Long free text makes dateparser find dates in unrelated words; keep it to short answers.
    if len(text) > 60 or len(text.split()) > 6 or not _DATEISH.search(text):
        return None
    import dateparser  # slow import, paid only when the rules above give up

    parsed = dateparser.parse(
        text,
        languages=[lang, "en"] if lang != "en" else ["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "REQUIRE_PARTS": ["month"],
        },
    )
    return parsed.date() if parsed else None
