"""How reps write times, in English and German, as compiled patterns for :mod:`flows.timeframes`.

Every quantifier is bounded and no group repeats another, so a 40,000-character answer is
scanned in linear time.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "couple of": 2, "few": 3, "a few": 3, "ein": 1, "eine": 1, "einem": 1,
    "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "paar": 2, "ein paar": 2,
    "halben": 0.5, "half a": 0.5
}  # fmt: skip
_WORD = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_N = rf"\d{{1,3}}(?:[.,]5)?|{_WORD}|(?=fortnight)"  # "in a fortnight": one, unsaid
_UNIT = (
    r"(?P<unit>days?|tag(?:e[ns]?)?|wks?|weeks?|woche[n]?|fortnights?|months?|monat(?:e[ns]?)?|mos?\.?"
    r"|mths?|mon\.?|quarters?|quartal(?:e[ns]?)?|years?|yrs?|jahr(?:e[ns]?)?)"
)
RELATIVE = re.compile(
    rf"(?<![\w-])(?P<n>{_N})(?:\s{{0,2}}(?:-|–|to|bis|or|oder)\s{{0,2}}(?P<n2>{_N}))?\s{{0,2}}"
    rf"(?:more\s|weitere[nr]?\s)?{_UNIT}(?![\w])",
    _I,
)
NOW = re.compile(
    r"\b(?:asap|a\.s\.a\.p|as soon as possible|immediately|right away|(?<!not )urgent(?:ly)?"
    r"|sofort|so schnell wie möglich|so ?bald wie möglich|baldmöglichst|möglichst bald"
    r"|as early as possible|schnellstmöglich|umgehend|(?<!nicht )dringend|yesterday"
    r"|gestern"
    r"|this minute)\b",
    _I,
)
THIS_WEEK = re.compile(
    r"\b(?:this week|diese woche|next few days|in den nächsten tagen|in ein paar tagen"
    r"|in den nächsten (?:paar )?wochen|(?:in )?the (?:next|coming) (?:few |couple of )?weeks"
    r"|in den kommenden wochen)\b",
    _I,
)
NEXT = re.compile(
    r"\b(?:next|nxt|nächste[nsmr]?|kommende[nsmr]?|following)\s+(?P<unit>week|woche|month|monat"
    r"|quarter|quartal|year|jahr|fy|fiscal year|financial year|geschäftsjahr|gj)(?:e?s)?\b",
    _I,
)
THIS = re.compile(
    r"(?<!\w)(?=[bcdehijtwy])(?:(?P<nextmonth>\b(?:end of next month"
    r"|ende (?:des )?nächsten monats))"
    r"|\b(?:this|current|dieses?[nm]?|in diesem|im laufenden|end of(?: the)?|ende(?: des| dieses?)?"
    r"|bis ende(?: des)?|within the|by end of|within this|by the end of(?: the)?|bis zum ende des)"
    r"\s+(?P<unit>month|monats?|quarter|quartals?|year|jahr(?:es)?|fy|geschäftsjahr(?:es)?)\b"
    r"|\b(?:year[- ]end|jahresende|end of year|eoy|ende des jahres|bis jahresende|heuer)\b"
    r"|\b(?P<abbr>eom|eoq|eow)\b)",
    _I,
)
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "ersten": 1, "zweiten": 2, "dritten": 3,
    "vierten": 4, "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "1st": 1, "2nd": 2,
    "3rd": 3, "4th": 4, "last": 4, "letzten": 4, "letzte": 4,
}  # fmt: skip
QUARTER = re.compile(
    r"\bq(?P<q>[1-4])\b(?:\s{0,2}(?:/|')?\s{0,2}(?P<y>20\d\d|\d\d)\b)?"
    r"|\b(?P<q2>[1-4])\.\s{0,2}(?:quartal|qu\.?)(?:\s{1,2}(?P<y2>20\d\d))?"
    r"|\b(?P<q3>" + "|".join(ORDINALS) + r")\s(?:quarter|quartal)\b",
    _I,
)
ISO_QUARTER = re.compile(r"\b(?P<y>20\d\d)\s?[-/ ]\s?q(?P<q>[1-4])\b", _I)
HALF = re.compile(
    r"\bh(?P<h>[12])\b(?:\s{0,2}(?:/|')?\s{0,2}(?P<y>20\d\d|\d\d)\b)?"
    r"|\b(?P<h2>[12])\.\s{0,2}(?:halbjahr|hj)(?:\s{1,2}(?P<y2>20\d\d))?"
    r"|\b(?P<h3>ersten|zweiten|first|second) (?:halbjahr|half(?: of the year)?|jahreshälfte)",
    _I,
)
ISO = re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?\b")
# "am 15.1." loses its last dot at the end of a clause: "15.1" there is still a date.
DMY = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?:(?P<y>20\d\d|\d\d)\b)?|(?=\s*$))(?![\d])"
)
MY = re.compile(
    r"(?<![\d/])(?P<m>\d{1,2})/(?:(?P<y>20\d\d)|(?P<d>\d{1,2}))(?![\d/])",
)
WEEK = re.compile(
    r"\b(?:kw|cw|wk|week|woche|kalenderwoche)\s{0,2}\.?\s{0,2}(?P<w>\d{1,2})\b"
    r"(?:\s{0,2}(?:/|')?\s{0,2}(?P<y>20\d\d))?",
    _I,
)
MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1, "february": 2, "feb": 2,
    "februar": 2, "feber": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "april": 4, "apr": 4, "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6, "july": 7, "jul": 7, "juli": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH = re.compile(
    r"(?<!\w)(?=[abdefijlmnostuv])(?P<pre>\b(?:in|by|until|till|bis|im|ab|end of|ende|before|vor"
    r"|early|late|mid|anfang"
    r"|mitte|after|nach|from|starting|around|um|gegen|circa|ca\.?)(?:\s{1,2}|-))?\b(?P<name>"
    + _MONTH_NAME
    + r")(?:woche|anfang|mitte|ende)?\b\.?"
    r"(?:\s{0,2}'?(?P<y>20\d\d|\d\d)\b)?",
    _I,
)
MONTH_DAY = re.compile(
    r"(?<![\w])(?=[\dadfjmnos])(?:\b(?P<d>\d{1,2})(?:st|nd|rd|th|\.)?\s{0,2}(?:of\s)?(?P<name>"
    + _MONTH_NAME
    + r")\b\.?"
    r"(?:\s{0,2}(?P<y>20\d\d))?"
    r"|\b(?P<name2>" + _MONTH_NAME + r")\.?\s{1,2}(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b(?!\s?\d{3}))",
    _I,
)
# A cheap look at the first letter lets the long alternations below skip most positions.
NAMED = re.compile(
    r"(?<!\w)(?=[abefhjklmnpstuvwxz])(?:(?P<after_summer>\b(?:after (?:the )?summer(?: break|"
    r" holidays?| vacation)?"
    r"|nach (?:dem sommer|den sommerferien|der sommerpause|den ferien)|post[- ]summer))"
    r"|(?P<before_christmas>\b(?:before|by|until|pre|this side of)[- ](?:christmas|xmas|x-mas"
    r"|the holidays)"
    r"|vor weihnachten|bis weihnachten)"
    r"|(?P<after_christmas>\b(?:after|post)[- ](?:christmas|xmas|x-mas|the holidays|new year)"
    r"|nach weihnachten|nach neujahr|nach dem jahreswechsel)"
    r"|(?P<turn_of_year>\b(?:zum|bis zum|um den|by the|at the|around the) (?:jahreswechsel|turn"
    r" of the year"
    r"|new year)|\bjahreswechsel|zwischen den jahren|\b(?:over|during) (?:the )?(?:holidays"
    r"|christmas|xmas)|über (?:die )?(?:feiertage|weihnachten))"
    r"|(?P<before_easter>\b(?:before|by) easter|vor ostern|bis ostern)"
    r"|(?P<after_easter>\b(?:after) easter|nach ostern)"
    r"|(?P<n_summer>\bnext summer|nächsten sommer|kommenden sommer)"
    r"|(?P<summer>\b(?:(?:early|late|mid)[- ])?summer\b|\b(?:früh|spät|hoch)?sommer\b)"
    r"|(?P<n_autumn>\bnext (?:autumn|fall)|nächsten herbst|kommenden herbst)"
    r"|(?P<autumn>\b(?:autumn|fall|herbst)\b)"
    r"|(?P<n_spring>\bnext spring|nächsten frühling|nächstes frühjahr)"
    r"|(?P<spring>\b(?:spring|frühling|frühjahr)\b)"
    r"|(?P<winter>\b(?:winter)\b))"
    r"(?:\s{0,2}(?P<y>20\d\d))?",
    _I,
)
FISCAL_YEAR = re.compile(r"\b(?:fy|gj)\s?'?(?P<y>20\d\d|\d\d)\b", _I)
DAY_ONLY = re.compile(
    r"\b(?:by|until|till|bis|on|am|zum|bis zum|before|vor dem) (?:the )?(?P<d>[1-9]|[12]\d|3[01])"
    r"(?:st|nd|rd|th|\.)(?!\d)",
    _I,
)
AFTER_NEXT = re.compile(
    r"\b(?:übernächste[nrs]?|the (?:week|month|year) after next)\s?(?P<unit>woche|monat|week"
    r"|month|jahr|year)?",
    _I,
)
PART_OF_YEAR = re.compile(
    r"\b(?P<part>early|beginning of|start of|mid|middle of|late|end of|anfang|beginn|mitte"
    r"|ende|spätestens ende)[- ]?\s{0,2}(?:(?P<y>20\d\d)|(?P<next>next year|nächste[nsm]? jahr"
    r"(?:es)?|des nächsten jahres|kommende[nsm]? jahr(?:es)?)|(?:the |des )?(?:year|jahr(?:es)?)"
    r"\b(?:\s{1,2}(?P<y2>20\d\d)\b)?)",
    _I,
)
YEAR = re.compile(
    r"(?P<end>\b(?:end of|ende|bis ende|late|by the end of)\s{1,2})?\b(?P<y>20\d\d)\b", _I
)
NOT_BEFORE = re.compile(
    r"\b(?:(?:won'?t|can'?t|cannot|will not|wouldn'?t|kann nicht|können nicht|wird nicht|werden"
    r" nicht)"
    r"(?: \w{1,12}){0,4} (?:before|vor)|not before|no earlier than|earliest|at the earliest|not"
    r" until|nicht vor|frühestens"
    r"|erst (?:ab|im|in|nach|ende|anfang|mitte))\b",
    _I,
)
NEXT_YEAR_AFTER = re.compile(
    r"\s{0,2}(?:of |des )?(?:next year|nächsten jahres|kommenden jahres|im nächsten jahr"
    r"|nächstes jahr|next fy|following year)",
    _I,
)
EARLY_BEFORE = re.compile(r"(?:early|beginning of|start of|anfang|beginn|start)\s{0,2}$", _I)
