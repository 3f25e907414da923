"""Fast, rule-based parsing of amounts and timeframes in English and German rep answers.

Reps write "50k EUR", "€50.000", "1,5 Mio", "Q3", "in zwei Monaten". Regular expressions cover
what reps actually type in microseconds; ``dateparser`` (slow to import and to run) is only a
fallback for short answers the rules do not recognise.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# --- amounts -------------------------------------------------------------------------------

_CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "chf": "CHF",
}
_MULTIPLIERS = {
    "k": 1e3,
    "tsd": 1e3,
    "tsd.": 1e3,
    "tausend": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mio": 1e6,
    "mio.": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "millionen": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "mrd": 1e9,
    "mrd.": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "billion": 1e9,
}
_CUR = r"€|\$|£|eur(?:os?)?\b|usd\b|gbp\b|chf\b|dollars?\b"
_NUM = r"\d{1,3}(?:[.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SUFFIX = (
    r"k|tsd\.?|tausend|thousand|grand|mm|mio\.?|millionen|millions?|mn|bn|mrd\.?"
    r"|milliarden?|billion|m"
)
_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR})?\s?(?P<num>{_NUM})\s?(?:(?P<suffix>{_SUFFIX})(?![a-zäöü]))?"
    rf"\s?(?P<post>{_CUR})?",
    re.IGNORECASE,
)
# Numbers followed by these are counts or durations, not money.
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|percent|prozent|days?|tage?n?|weeks?|wochen?|months?|monate?n?|years?|jahre?n?"
    r"|users?|nutzer|people|leute|employees|mitarbeiter|seats?|lizenzen|licen[cs]es)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money as written: the number and its currency (the team's default if none)."""

    amount: float
    currency: str

    def to_json(self) -> dict[str, float | str]:
        """The stored form of an amount value: ``{"amount": 50000.0, "currency": "EUR"}``."""
        return {"amount": self.amount, "currency": self.currency}


def _to_number(raw: str) -> float:
    text = raw.replace("'", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(text.replace(thousands, "").replace(decimal, "."))
    for sep in (",", "."):
        if sep in text:
            parts = text.split(sep)
            # "50.000" and "1,250,000" group thousands; "1,5" and "1.2" are decimals.
            if len(parts) > 2 or len(parts[1]) == 3:
                return float(text.replace(sep, ""))
            return float(text.replace(sep, "."))
    return float(text)


def parse_amount(text: str, *, default_currency: str) -> Amount | None:
    """Find the sum of money in an answer.

    A number with a currency or a multiplier ("50k", "€50.000", "1,5 Mio") wins over a bare
    number; bare years (1900-2100) and counts ("50 users", "6 weeks") are not money.

    Args:
        text: The rep's answer.
        default_currency: ISO code assumed when the answer names none.

    Returns:
        The amount, or ``None`` when the answer holds no sum of money.
    """
    best: Amount | None = None
    for match in _AMOUNT.finditer(text):
        number = _to_number(match["num"])
        suffix = (match["suffix"] or "").casefold()
        currency_word = (match["pre"] or match["post"] or "").casefold()
        marked = bool(suffix or currency_word)
        if not marked:
            if _NOT_MONEY_AFTER.match(text, match.end("num")):
                continue
            if 1900 <= number <= 2100 and "." not in match["num"] and "," not in match["num"]:
                continue
            if number < 100:
                continue
        value = number * _MULTIPLIERS.get(suffix, 1.0)
        amount = Amount(amount=value, currency=_CURRENCIES.get(currency_word, default_currency))
        if marked:
            return amount
        best = best or amount
    return best


# --- timeframes ----------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "couple of": 2, "few": 3, "ein": 1, "eine": 1, "einem": 1, "einer": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "paar": 2,
}  # fmt: skip
_UNIT_DAYS = {"d": 1, "t": 1, "w": 7, "m": 30, "q": 91, "y": 365, "j": 365}
_NUMBER = r"\d{1,3}|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_UNIT = (
    r"(?P<unit>days?|tagen?|tage|weeks?|wochen?|months?|monaten?|monate|quarters?|quartalen?"
    r"|quartale|years?|jahren?|jahre)"
)
_RELATIVE = re.compile(rf"(?<![\w-])(?P<n>{_NUMBER})\s+{_UNIT}\b", re.IGNORECASE)
_HALF_YEAR = re.compile(r"half a year|halbe[sn]? jahr|six months", re.IGNORECASE)
_NOW = re.compile(
    r"\b(?:asap|as soon as possible|immediately|right away|right now|urgent(?:ly)?|sofort"
    r"|so schnell wie möglich|schnellstmöglich|umgehend|dringend|yesterday|gestern)\b",
    re.IGNORECASE,
)
_THIS_WEEK = re.compile(r"\b(?:this week|diese woche|next few days)\b", re.IGNORECASE)
_NEXT = re.compile(
    r"\b(?:next|nächste[nsmr]?|kommende[nsmr]?)\s+(?P<unit>week|woche|month|monat|quarter"
    r"|quartal|year|jahr)\b",
    re.IGNORECASE,
)
_THIS = re.compile(
    r"\b(?:this|dieses?n?|end of(?: the)?|ende(?: des| dieses?)?|bis ende(?: des)?)\s+"
    r"(?P<unit>month|monats?|quarter|quartals?|year|jahr(?:es)?)\b"
    r"|(?P<yearend>year[- ]end|jahresende|end of year|eoy)",
    re.IGNORECASE,
)
_QUARTER = re.compile(
    r"\bq(?P<q>[1-4])\b(?:\s*/?\s*'?(?P<y>20\d\d|\d\d)\b)?"
    r"|\b(?P<q2>[1-4])\.\s*quartal(?:\s+(?P<y2>20\d\d))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?\b")
_DMY = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>20\d\d)\b")
_MY = re.compile(r"\b(?P<m>\d{1,2})/(?P<y>20\d\d)\b")
_MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1, "february": 2, "feb": 2, "februar": 2,
    "march": 3, "märz": 3, "maerz": 3, "april": 4, "apr": 4, "may": 5, "mai": 5, "june": 6,
    "juni": 6, "july": 7, "juli": 7, "august": 8, "aug": 8, "september": 9, "sept": 9,
    "sep": 9, "october": 10, "oct": 10, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}  # fmt: skip
_MONTH = re.compile(
    r"(?P<pre>\b(?:in|by|until|till|bis|im|ab|end of|ende|before|vor)\s+)?\b(?P<name>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\b(?:\s+(?P<y>20\d\d))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?P<y>20\d\d)\b")
_NOT_BEFORE = re.compile(
    r"\b(?:not before|no earlier than|earliest|nicht vor|frühestens|ab)\b", re.IGNORECASE
)
_END_OF = re.compile(r"\b(?:end of|by the end of|ende|bis ende)\s*$", re.IGNORECASE)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


def _calendar_date(year: str, month: str, day: str | None) -> date | None:
    """The date written, the month's last day when no day is given; ``None`` if impossible."""
    y, m = int(year), int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return _month_end(y, m)
    try:
        return date(y, m, int(day))
    except ValueError:
        return None


def _future(candidate_this_year: date, today: date) -> date:
    """A date named without a year means its next occurrence."""
    if candidate_this_year < today:
        return candidate_this_year.replace(year=candidate_this_year.year + 1)
    return candidate_this_year


def _year_of(raw: str | None, today: date) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def parse_timeframe(text: str, *, lang: str, today: date) -> date | None:
    """Turn a timeframe answer into the date by which the lead wants to buy.

    Periods resolve to their end ("Q3" -> 30 September, "next month" -> its last day); "next
    year" and a bare year to the middle of that year; "not before 2028" to its first day.

    Args:
        text: The rep's answer.
        lang: ``en`` or ``de``; picks the language of the ``dateparser`` fallback.
        today: The reference day.

    Returns:
        The date, or ``None`` when the answer names no time.
    """
    if _NOW.search(text):
        return today
    if _THIS_WEEK.search(text):
        return today + timedelta(days=7)
    if _HALF_YEAR.search(text):
        return today + timedelta(days=182)
    if match := _RELATIVE.search(text):
        raw = match["n"].casefold()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = match["unit"][0].casefold()
        return today + timedelta(days=count * _UNIT_DAYS[unit])
    if match := _QUARTER.search(text):
        quarter = int(match["q"] or match["q2"])
        year = _year_of(match["y"] or match["y2"], today)
        if year is not None:
            return _quarter_end(year, quarter)
        return _future(_quarter_end(today.year, quarter), today)
    # A written date that does not exist ("30.02.2027") gives no date rather than a guess.
    if match := _ISO.search(text):
        return _calendar_date(match["y"], match["m"], match["d"])
    if match := _DMY.search(text):
        return _calendar_date(match["y"], match["m"], match["d"])
    if match := _MY.search(text):
        return _calendar_date(match["y"], match["m"], None)
    if match := _NEXT.search(text):
        unit = match["unit"][0].casefold()
        if unit == "w":
            return today + timedelta(days=7)
        if unit == "m":
            nxt = today.replace(day=1) + timedelta(days=32)
            return _month_end(nxt.year, nxt.month)
        if unit == "q":
            quarter = (today.month - 1) // 3 + 2
            year = today.year + (quarter - 1) // 4
            return _quarter_end(year, (quarter - 1) % 4 + 1)
        return date(today.year + 1, 7, 1)
    if match := _THIS.search(text):
        unit = (match["unit"] or "y")[0].casefold()
        if match["yearend"] or unit in "yj":
            return date(today.year, 12, 31)
        if unit == "m":
            return _month_end(today.year, today.month)
        return _quarter_end(today.year, (today.month - 1) // 3 + 1)
    for match in _MONTH.finditer(text):
        name = match["name"].casefold()
        # "may" is also a verb: only trust it with a preposition or a year.
        if name == "may" and not (match["pre"] or match["y"]):
            continue
        month = _MONTHS[name]
        year = _year_of(match["y"], today)
        if year is not None:
            return _month_end(year, month)
        return _future(_month_end(today.year, month), today)
    if match := _YEAR.search(text):
        year = int(match["y"])
        before = text[: match.start()]
        if _NOT_BEFORE.search(before):
            return date(year, 1, 1)
        if _END_OF.search(before):
            return date(year, 12, 31)
        return date(year, 7, 1)
    return _dateparser_fallback(text, lang=lang, today=today)


def _dateparser_fallback(text: str, *, lang: str, today: date) -> date | None:
    # Long free text makes dateparser find dates in unrelated words; keep it to short answers.
    if len(text.split()) > 6 or not re.search(r"\w", text):
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
