"""Fast, rule-based parsing of amounts and timeframes in English and German rep answers.

Reps write "50k EUR", "€50.000", "1,5 Mio", "Q3", "in zwei Monaten". Regular expressions cover
what reps actually type in microseconds; ``dateparser`` (slow to import and to run) is only a
fallback for short answers the rules do not recognise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    "riesen": 1e3,
    "mille": 1e3,
    "tacken": 1e3,
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
# Bounded, and never starting inside a number: a run of 40,000 digits is scanned in linear time.
_NUM = r"(?<![\d.,'])(?:\d{1,3}(?:[.,']\d{3}){1,4}(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?)"
_SUFFIX = (
    r"k|tsd\.?|tausend|thousand|grand|riesen|mille|tacken|mm|mio\.?|millionen|millions?|mn|bn|mrd\.?"
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


_RANGE = re.compile(
    rf"(?P<a>{_NUM})\s?(?P<sa>{_SUFFIX})?(?![a-zäöü])\s?(?:-|–|to|bis|or|oder)\s?(?:{_CUR})?\s?"
    rf"(?P<b>{_NUM})\s?(?P<sb>{_SUFFIX})?(?![a-zäöü])",
    re.IGNORECASE,
)


def parse_range(text: str, *, default_currency: str) -> tuple[Amount, Amount] | None:
    """A range of money ("20-30k", "20 bis 30 Tsd.", "50k to 80k"): the low and high amounts.

    A multiplier written once applies to both ends. Ranges without a multiplier or currency
    anywhere in the text are not money ("6-9 months").

    Args:
        text: The rep's answer.
        default_currency: ISO code assumed when the answer names none.

    Returns:
        ``(low, high)``, or ``None`` when the answer holds no range of money.
    """
    single = parse_amount(text, default_currency=default_currency)
    if single is None:
        return None
    for match in _RANGE.finditer(text):
        suffix = (match["sb"] or match["sa"] or "").casefold()
        if not suffix and single.amount < 1000:
            continue
        if _NOT_MONEY_AFTER.match(text, match.end()):
            continue
        factor = _MULTIPLIERS.get(suffix, 1.0)
        low = _to_number(match["a"]) * _MULTIPLIERS.get((match["sa"] or suffix).casefold(), factor)
        high = _to_number(match["b"]) * factor
        if 0 < low < high:
            return Amount(low, single.currency), Amount(high, single.currency)
    return None


_DIGITS = {
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
}
# Magnitudes said instead of a number: "5-stellig", "a six-figure sum", "low five figures",
# "mid-40s" (thousands).
_FIGURES = re.compile(
    r"(?:(?P<part>low|lower|mid|middle|high|upper|niedrig\w{0,3}|unter\w{0,3}|mittler\w{0,3}"
    r"|hoh\w{0,3}|ober\w{0,3})[- ]?)?(?P<n>[4-7]|four|five|six|seven|vier|fünf|sechs|sieben)"
    r"[- ]?(?:stellig\w{0,3}|figures?|digits?)(?![\w])",
    re.IGNORECASE,
)
_TENS = re.compile(r"\b(?P<part>low|mid|high)[- ]?(?P<tens>[1-9]0)'?s\b", re.IGNORECASE)
_UPPER = re.compile(r"\b(?:oberen|upper|high) (?:bereich|end|range)\b", re.IGNORECASE)
_LOWER = re.compile(r"\b(?:unteren|lower|low) (?:bereich|end|range)\b", re.IGNORECASE)


def _third(part: str) -> int:
    """0, 1 or 2: the low, middle or high third of a magnitude."""
    part = part.casefold()
    if part.startswith(("low", "niedrig", "unter")):
        return 0
    if part.startswith(("mid", "mittler")):
        return 1
    return 2


def parse_magnitude(text: str, *, default_currency: str) -> tuple[Amount, Amount] | None:
    """A sum given by its size ("5-stellig", "low six figures", "mid-40s"): low and high.

    Args:
        text: The rep's answer.
        default_currency: ISO code of the amounts.

    Returns:
        ``(low, high)``, or ``None`` when the answer names no magnitude.
    """
    match = _FIGURES.search(text)
    if match is not None:
        raw = match["n"].casefold()
        digits = int(raw) if raw.isdigit() else _DIGITS[raw]
        low, high = 10.0 ** (digits - 1), 10.0**digits - 1
        part = match["part"] or (
            "high" if _UPPER.search(text) else "low" if _LOWER.search(text) else None
        )
        if part is not None:
            step = (10.0**digits - 10.0 ** (digits - 1)) / 3
            low = 10.0 ** (digits - 1) + step * _third(part)
            high = low + step
        return Amount(round(low), default_currency), Amount(round(high), default_currency)
    match = _TENS.search(text)
    if match is not None:
        base = int(match["tens"]) * 1000
        start = (0, 3000, 7000)[_third(match["part"])]
        return (
            Amount(base + start, default_currency),
            Amount(base + start + 3000, default_currency),
        )
    return None


# Timeframes live in flows.timeframes; re-exported here for callers of the parsing module.
from flows.timeframes import parse_timeframe  # noqa: E402

__all__ = ["Amount", "parse_amount", "parse_magnitude", "parse_range", "parse_timeframe"]
