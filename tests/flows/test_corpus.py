"""The reader measured on a labelled corpus of answers written the way reps write in Slack.

Each line of ``tests/flows/corpus/*.jsonl`` is one answer, labelled by what the rep means::

    {"framework": "bant", "criterion": "budget", "lang": "de", "answer": "...",
     "expect": "met", "category": "negation", "knockout": false,
     "known": {"need": "..."}, "today": "2027-03-10"}

``known`` holds earlier answers of the same conversation as text (read first, then handed to the
reader, e.g. the deal amount for a signing limit); ``today`` defaults to 2026-12-01. ``expect`` is
a status or ``clarify`` (the reader should ask again). The accuracy targets are those the reader
must reach; the table of readings is printed and repeated in the failure message.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flows.model import Assessment, Clarification, Framework
from flows.understanding import understand

CORPUS_DIR = Path(__file__).parent / "corpus"
UNSEEN_DIR = Path(__file__).parent / "unseen"
"""Answers by writers who knew only the domain rules, first read blind. The general misreadings
they showed were fixed, but the reader does not reach the corpus targets on them yet, so they
are kept apart with floors that catch a reader getting worse at language it was not built on."""
UNSEEN_MIN_OVERALL = 0.88
UNSEEN_MIN_KNOCKOUTS = 0.95
DEFAULT_TODAY = date(2026, 12, 1)

FRAMEWORKS = ("bant", "meddic", "meddpicc", "champ", "anum", "gpctba_ci")
CATEGORIES = (
    "negation",
    "hedge",
    "attribution",
    "relative_time",
    "not_yet",
    "knockout",
    "amount",
    "role",
    "yesno",
    "severity",
)
LANGS = ("en", "de", "mix")
EXPECTS = ("met", "partial", "missing", "unknown", "clarify")
REQUIRED = {"framework", "criterion", "lang", "answer", "expect", "category"}
OPTIONAL = {"knockout", "known", "today"}

MIN_RECORDS = 600
MIN_GERMAN_SHARE = 0.40
MIN_PER_CATEGORY = 40
MIN_OVERALL = 0.97
MIN_CATEGORY = 0.95
MAX_MISREADINGS_SHOWN = 40

# Only pass ``known`` once the reader takes it, so the corpus measures any reader version.
_TAKES_KNOWN = "known" in inspect.signature(understand).parameters


@dataclass(frozen=True)
class Record:
    """One labelled answer and where it came from."""

    where: str
    framework: str
    criterion: str
    lang: str
    answer: str
    expect: str
    category: str
    knockout: bool = False
    known: Mapping[str, str] = field(default_factory=dict)
    today: date = DEFAULT_TODAY


class BadRecord(ValueError):
    """A corpus line that does not have the documented shape."""


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise BadRecord(f"{where}: {message}")


def parse_record(where: str, line: str, frameworks: Mapping[str, Framework]) -> Record:
    """Validate one JSONL line against the corpus format.

    Args:
        where: ``file:line`` named in every error.
        line: The raw JSON text.
        frameworks: The built-in frameworks, to check framework and criterion keys.

    Returns:
        The record.

    Raises:
        BadRecord: When the line is not valid JSON or any field is missing, unknown or wrong.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"{where}: not JSON ({exc.msg})") from exc
    _check(isinstance(data, dict), where, "not a JSON object")
    missing = REQUIRED - data.keys()
    _check(not missing, where, f"missing fields {sorted(missing)}")
    extra = data.keys() - REQUIRED - OPTIONAL
    _check(not extra, where, f"unknown fields {sorted(extra)}")
    for key in REQUIRED:
        _check(isinstance(data[key], str), where, f"{key} must be a string")
    _check(data["framework"] in FRAMEWORKS, where, f"unknown framework {data['framework']!r}")
    framework = frameworks[data["framework"]]
    _check(
        data["criterion"] in framework.keys,
        where,
        f"{data['framework']} has no criterion {data['criterion']!r}",
    )
    _check(data["lang"] in LANGS, where, f"lang must be one of {LANGS}")
    _check(data["expect"] in EXPECTS, where, f"expect must be one of {EXPECTS}")
    _check(data["category"] in CATEGORIES, where, f"unknown category {data['category']!r}")
    _check(data["answer"].strip() != "", where, "empty answer")
    knockout = data.get("knockout", False)
    _check(isinstance(knockout, bool), where, "knockout must be true or false")
    _check(not knockout or data["expect"] == "missing", where, "a knock-out expects missing")
    known = data.get("known", {})
    _check(isinstance(known, dict), where, "known must be an object")
    for key, text in known.items():
        _check(key in framework.keys, where, f"known: {data['framework']} has no {key!r}")
        _check(key != data["criterion"], where, "known must not repeat the criterion itself")
        _check(isinstance(text, str) and text.strip() != "", where, f"known.{key}: empty")
    today = DEFAULT_TODAY
    if "today" in data:
        try:
            today = date.fromisoformat(data["today"])
        except (TypeError, ValueError) as exc:
            raise BadRecord(f"{where}: today must be an ISO date") from exc
    return Record(
        where=where,
        framework=data["framework"],
        criterion=data["criterion"],
        lang=data["lang"],
        answer=data["answer"],
        expect=data["expect"],
        category=data["category"],
        knockout=knockout,
        known=known,
        today=today,
    )


def _lines(folder: Path = CORPUS_DIR) -> Iterator[tuple[str, str]]:
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield f"{path.name}:{number}", line


@pytest.fixture(scope="module")
def corpus(frameworks: dict[str, Framework]) -> list[Record]:
    return [parse_record(where, line, frameworks) for where, line in _lines()]


def _read(record: Record, frameworks: Mapping[str, Framework]) -> str:
    """What the reader makes of one record: a status, ``clarify``, or a note why not."""
    framework = frameworks[record.framework]
    lang = "en" if record.lang == "en" else "de"

    def read(key: str, text: str, **extra: Any) -> Assessment | Clarification:
        return understand(
            framework.criterion(key),
            text,
            lang=lang,
            thresholds=framework.thresholds,
            today=record.today,
            **extra,
        )

    try:
        extra: dict[str, Any] = {}
        if _TAKES_KNOWN:
            earlier = {key: read(key, text) for key, text in record.known.items()}
            extra["known"] = {k: a for k, a in earlier.items() if isinstance(a, Assessment)}
        result = read(record.criterion, record.answer, **extra)
    except Exception as exc:  # one crash must not hide the other readings
        return f"error: {type(exc).__name__}: {exc}"
    if isinstance(result, Clarification):
        return "clarify"
    status = result.status.value
    if record.knockout and not result.knockout:
        return f"{status} (no knock-out)"
    return status


def _line(lines: list[str], name: str, results: list[bool]) -> float:
    """Append one row of the table and return its share of right readings."""
    share = sum(results) / len(results) if results else 1.0
    lines.append(f"{name:<16}{len(results):>8}{sum(results):>8}{share:>9.1%}")
    return share


def _table(rows: list[tuple[Record, str]]) -> tuple[str, dict[str, float], float, float]:
    """The printed report and the figures the targets are checked on."""
    by_category: dict[str, list[bool]] = defaultdict(list)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for record, got in rows:
        by_category[record.category].append(got == record.expect)
        by_lang[record.lang].append(got == record.expect)
    lines = ["", f"{'category':<16}{'answers':>8}{'right':>8}{'share':>9}"]
    shares: dict[str, float] = {}
    for name in CATEGORIES:
        shares[name] = _line(lines, name, by_category.get(name, []))
    lines.append(f"{'language':<16}{'answers':>8}{'right':>8}{'share':>9}")
    for name in LANGS:
        _line(lines, name, by_lang.get(name, []))
    overall = _line(lines, "overall", [got == record.expect for record, got in rows])
    knockouts = [got == record.expect for record, got in rows if record.knockout]
    knockout_share = _line(lines, "knock-outs", knockouts)
    wrong = [(record, got) for record, got in rows if got != record.expect]
    lines.append(f"misreadings: {len(wrong)} (first {MAX_MISREADINGS_SHOWN})")
    for record, got in wrong[:MAX_MISREADINGS_SHOWN]:
        answer = " ".join(record.answer.split())
        answer = answer if len(answer) <= 90 else answer[:87] + "..."
        lines.append(
            f"  {record.where:<22} {record.framework}.{record.criterion} "
            f"expected {record.expect}, got {got}: {answer}"
        )
    return "\n".join(lines), shares, overall, knockout_share


def test_every_record_has_the_documented_shape(frameworks: dict[str, Framework]) -> None:
    errors = []
    for where, line in _lines():
        try:
            parse_record(where, line, frameworks)
        except BadRecord as exc:
            errors.append(str(exc))
    assert not errors, "\n".join(errors[:50])


def test_a_bad_record_is_named_by_file_and_line(frameworks: dict[str, Framework]) -> None:
    good = {
        "framework": "bant",
        "criterion": "budget",
        "lang": "en",
        "answer": "50k approved",
        "expect": "met",
        "category": "amount",
    }
    assert parse_record("x.jsonl:1", json.dumps(good), frameworks).expect == "met"
    bad = [
        ({**good, "criterion": "money"}, "bant has no criterion"),
        ({**good, "expect": "yes"}, "expect must be"),
        ({**good, "category": "misc"}, "unknown category"),
        ({**good, "knockout": True}, "a knock-out expects missing"),
        ({**good, "known": {"champion": "yes"}}, "known: bant has no"),
        ({**good, "today": "tomorrow"}, "today must be"),
        ({**good, "note": "x"}, "unknown fields"),
    ]
    for record, message in bad:
        with pytest.raises(BadRecord, match=re.escape(f"x.jsonl:7: {message}")):
            parse_record("x.jsonl:7", json.dumps(record), frameworks)
    with pytest.raises(BadRecord, match=re.escape("x.jsonl:7: not JSON")):
        parse_record("x.jsonl:7", "{", frameworks)


def test_the_corpus_is_large_german_enough_and_covers_every_framework(
    corpus: list[Record],
) -> None:
    assert len(corpus) >= MIN_RECORDS
    german = sum(record.lang in ("de", "mix") for record in corpus)
    assert german / len(corpus) >= MIN_GERMAN_SHARE
    categories = Counter(record.category for record in corpus)
    for name in CATEGORIES:
        assert categories[name] >= MIN_PER_CATEGORY, name
        langs = {record.lang for record in corpus if record.category == name}
        assert "en" in langs and langs & {"de", "mix"}, name
    assert {record.framework for record in corpus} == set(FRAMEWORKS)
    clarify = sum(record.expect == "clarify" for record in corpus)
    assert clarify / len(corpus) < 0.05


def test_the_reader_reads_the_corpus_as_reps_mean_it(
    corpus: list[Record],
    frameworks: dict[str, Framework],
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [(record, _read(record, frameworks)) for record in corpus]
    report, shares, overall, knockouts = _table(rows)
    with capsys.disabled():
        print(report)
    assert overall >= MIN_OVERALL, report
    weak = {name: share for name, share in shares.items() if share < MIN_CATEGORY}
    assert not weak, report
    assert knockouts == 1.0, report


def test_the_reader_holds_its_level_on_answers_it_was_not_tuned_to(
    frameworks: dict[str, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    unseen = [parse_record(where, line, frameworks) for where, line in _lines(UNSEEN_DIR)]
    assert len(unseen) >= 150
    rows = [(record, _read(record, frameworks)) for record in unseen]
    report, _, overall, knockouts = _table(rows)
    with capsys.disabled():
        print(report)
    assert overall >= UNSEEN_MIN_OVERALL, report
    assert knockouts >= UNSEEN_MIN_KNOCKOUTS, report
