"""Reading with structure: one table per category, in English and German, and the evidence.

Today is 2026-12-01 here (the partial window is 365 days, the met window 90). Each row:
framework, criterion, answer, expected status (``clarify`` for a clarification), and an
optional note that the reading must carry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from flows.model import Assessment, Clarification, Framework, Status
from flows.understanding import understand

TODAY = date(2026, 12, 1)
CLARIFY = "clarify"

Row = tuple[str, str, str, str, str | None]


def read(
    frameworks: dict[str, Framework],
    framework: str,
    key: str,
    text: str,
    *,
    known: dict[str, str] | None = None,
    lang: str = "en",
) -> Assessment | Clarification:
    chosen = frameworks[framework]
    earlier: dict[str, Assessment] = {}
    for other, answer in (known or {}).items():
        result = understand(
            chosen.criterion(other), answer, lang=lang, thresholds=chosen.thresholds, today=TODAY
        )
        assert isinstance(result, Assessment)
        earlier[other] = result
    return understand(
        chosen.criterion(key),
        text,
        lang=lang,
        thresholds=chosen.thresholds,
        today=TODAY,
        known=earlier,
    )


def check(frameworks: dict[str, Framework], row: Row) -> Assessment | Clarification:
    framework, key, text, expected, note = row
    result = read(frameworks, framework, key, text)
    if expected == CLARIFY:
        assert isinstance(result, Clarification), result
    else:
        assert isinstance(result, Assessment), result
        assert result.status.value == expected, result
        assert result.evidence == text.strip()
        if note is not None:
            assert note in result.notes, result.notes
    return result


NEGATION: list[Row] = [
    ("bant", "budget", "we do not have any budget", "missing", None),
    ("bant", "budget", "they've got zero money for tooling", "missing", None),
    ("bant", "budget", "no problem, budget is there", "met", None),
    ("bant", "budget", "it's not like they lack funds - 70k approved", "met", None),
    ("bant", "need", "they don't have a problem with their current setup", "missing", None),
    ("bant", "need", "no doubt they need it, reps lose two days a month on reports", "met", None),
    ("bant", "budget", "kein Problem, das Budget steht", "met", None),
    ("bant", "budget", "dafür gibt es keinerlei Budget", "missing", None),
    ("bant", "need", "die haben überhaupt kein Problem damit", "missing", None),
    ("bant", "need", "nicht nur Excel-Chaos, sondern auch verlorene Deals jede Woche", "met", None),
    ("meddic", "metrics", "keine Kennzahlen, die messen nichts", "missing", None),
    (
        "meddpicc",
        "competition",
        "we're not the favourite, they lean to the incumbent",
        "missing",
        None,
    ),
    ("champ", "authority", "he decides nothing, zero say", "missing", None),
    ("bant", "budget", "budget isn't an issue, 50k", "met", None),
    ("bant", "budget", "Geld ist kein Problem", "met", None),
    ("bant", "need", "nothing works, they lose orders daily", "met", None),
    ("bant", "budget", "not a single euro", "missing", None),
]

HEDGE: list[Row] = [
    ("bant", "budget", "probably 40k", "partial", "hedged"),
    ("bant", "budget", "60k if the board agrees next month", "partial", "hedged"),
    ("bant", "timeline", "January, assuming legal is quick", "partial", "hedged"),
    ("bant", "budget", "vermutlich 30.000 €", "partial", "hedged"),
    ("bant", "timeline", "sobald der Vertrag durch ist, also Januar", "partial", "hedged"),
    ("bant", "budget", "45k, muss noch abgesegnet werden", "partial", None),
    ("meddic", "champion", "I think Anna likes us", "partial", "hedged"),
]

NOT_YET: list[Row] = [
    ("bant", "budget", "haven't asked yet", "unknown", None),
    ("bant", "authority", "not discussed yet, will find out who signs", "unknown", None),
    ("bant", "timeline", "need to find out", "unknown", None),
    ("bant", "budget", "noch nicht besprochen", "unknown", None),
    ("bant", "timeline", "weiß ich noch nicht", "unknown", None),
    ("meddic", "decision_process", "klären wir noch", "unknown", None),
    ("bant", "budget", "skipped", "unknown", "non_answer"),
    ("bant", "need", "call got cut short", "unknown", None),
    ("bant", "timeline", "?", "unknown", "non_answer"),
    ("bant", "budget", "n/a", "unknown", "non_answer"),
    ("bant", "budget", "k.A.", "unknown", "non_answer"),
    ("bant", "need", "übersprungen", "unknown", "non_answer"),
    ("bant", "timeline", "tbd", "unknown", None),
]

ATTRIBUTION: list[Row] = [
    ("bant", "authority", "Head of Ops, reports to the COO who signs", "partial", "attributed"),
    ("bant", "authority", "needs her boss to sign", "partial", "attributed"),
    ("bant", "authority", "der Vorstand muss zustimmen", "partial", "attributed"),
    ("bant", "authority", "Head of Ops, CFO has final say", "partial", "attributed"),
    ("bant", "authority", "IT-Leiter, unterschreiben tut die Geschäftsführerin", "partial", None),
    ("bant", "authority", "she is the CEO and signs herself", "met", None),
]

SEVERITY: list[Row] = [
    ("bant", "need", "minor annoyances, nothing serious", "partial", "minor"),
    ("bant", "need", "nice to have really", "partial", "minor"),
    ("bant", "need", "kleinere Ärgernisse im Reporting", "partial", "minor"),
    ("bant", "need", "wäre schön, ist aber kein Muss", "partial", None),
    ("bant", "need", "they are losing deals every week", "met", "severe"),
    ("bant", "need", "bleeding money on manual invoicing", "met", "severe"),
    ("bant", "need", "massive Probleme mit der Datenqualität", "met", "severe"),
]

KNOCKOUTS: list[tuple[str, str, str, str]] = [
    ("bant", "need", "they just signed a 3-year contract with a competitor", "competitor"),
    ("bant", "need", "renewed with their current vendor until 2029", "competitor"),
    ("bant", "need", "haben gerade für drei Jahre bei der Konkurrenz verlängert", "competitor"),
    ("bant", "need", "zero need, they have it covered", "no_need"),
    ("bant", "need", "kein Bedarf", "no_need"),
    ("bant", "need", "students only, it's for a thesis", "research"),
    ("bant", "need", "reine Forschung am Lehrstuhl", "research"),
    ("bant", "need", "the company is shutting down in March", "closing"),
    ("bant", "need", "die Firma wird Ende Q1 geschlossen", "closing"),
    ("bant", "need", "they filed for insolvency", "insolvent"),
    ("bant", "need", "sie sind pleite", "insolvent"),
    ("bant", "need", "they are being acquired, all purchases are frozen", "acquired"),
    ("bant", "need", "von einem Konkurrenten übernommen", "acquired"),
]

NOT_KNOCKOUTS: list[tuple[str, str, str]] = [
    ("bant", "timeline", "no need to rush, Q2 is fine"),
    ("bant", "need", "they're closing deals faster than ops can handle"),
    ("bant", "need", "their contract with the old vendor ends in March, so they need us"),
    ("bant", "authority", "no need to loop anyone in, she's the MD"),
    ("bant", "need", "they acquired two companies and now need to merge three CRMs"),
    ("bant", "need", "they're shutting down their old on-prem CRM and need a replacement"),
    ("bant", "timeline", "they extended the trial until end of January"),
    (
        "bant",
        "need",
        "no interest in the AI add-on, but the core pain is real: pipeline is invisible",
    ),
]

AMOUNTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("20-30k", "met", {"amount": 20000.0, "currency": "EUR", "max": 30000.0}),
    ("20 bis 30 Tsd.", "met", {"amount": 20000.0, "currency": "EUR", "max": 30000.0}),
    ("up to 50k", "met", {"amount": 50000.0, "currency": "EUR"}),
    ("bis zu 50k", "met", {"amount": 50000.0, "currency": "EUR"}),
    ("at least 40k", "met", {"amount": 40000.0, "currency": "EUR"}),
    ("less than last year, about 30k", "partial", None),
    ("cut to zero", "missing", None),
    ("gestrichen", "missing", None),
    ("doubled to 80k", "met", {"amount": 80000.0, "currency": "EUR"}),
    ("8k approved", "partial", {"amount": 8000.0, "currency": "EUR"}),
]

PRIORITIES: list[tuple[str, str]] = [
    ("top priority", "met"),
    ("#1 on their list", "met"),
    ("Prio 1", "met"),
    ("oberste Priorität", "met"),
    ("nice to have", "partial"),
    ("on the list, not top priority", "partial"),
    ("back burner", "missing"),
    ("on hold", "missing"),
    ("liegt auf Eis", "missing"),
]


@pytest.mark.parametrize("row", NEGATION, ids=lambda r: r[2])
def test_negation_and_its_scope(frameworks: dict[str, Framework], row: Row) -> None:
    check(frameworks, row)


@pytest.mark.parametrize("row", HEDGE, ids=lambda r: r[2])
def test_hedges_and_conditions_are_at_most_partial(
    frameworks: dict[str, Framework], row: Row
) -> None:
    check(frameworks, row)


@pytest.mark.parametrize("row", NOT_YET, ids=lambda r: r[2])
def test_not_yet_known_and_non_answers_are_unknown(
    frameworks: dict[str, Framework], row: Row
) -> None:
    check(frameworks, row)


@pytest.mark.parametrize("row", ATTRIBUTION, ids=lambda r: r[2])
def test_attribution(frameworks: dict[str, Framework], row: Row) -> None:
    check(frameworks, row)


@pytest.mark.parametrize("row", SEVERITY, ids=lambda r: r[2])
def test_severity_of_needs(frameworks: dict[str, Framework], row: Row) -> None:
    check(frameworks, row)


@pytest.mark.parametrize(("framework", "key", "text", "code"), KNOCKOUTS, ids=lambda v: str(v))
def test_knockouts_carry_their_code(
    frameworks: dict[str, Framework], framework: str, key: str, text: str, code: str
) -> None:
    result = read(frameworks, framework, key, text)
    assert isinstance(result, Assessment), result
    assert result.knockout and result.status is Status.MISSING
    assert f"knockout:{code}" in result.notes


@pytest.mark.parametrize(("framework", "key", "text"), NOT_KNOCKOUTS, ids=lambda v: str(v))
def test_lookalikes_are_no_knockouts(
    frameworks: dict[str, Framework], framework: str, key: str, text: str
) -> None:
    result = read(frameworks, framework, key, text)
    assert not (isinstance(result, Assessment) and result.knockout), result


@pytest.mark.parametrize(("text", "status", "value"), AMOUNTS, ids=lambda v: str(v))
def test_ranges_comparisons_and_changes(
    frameworks: dict[str, Framework], text: str, status: str, value: dict[str, Any] | None
) -> None:
    result = read(frameworks, "bant", "budget", text)
    assert isinstance(result, Assessment) and result.status.value == status, result
    if value is not None:
        assert result.value == value


@pytest.mark.parametrize(("text", "status"), PRIORITIES)
def test_priority_words(frameworks: dict[str, Framework], text: str, status: str) -> None:
    result = read(frameworks, "champ", "prioritization", text)
    assert isinstance(result, Assessment) and result.status.value == status, result


@pytest.mark.parametrize(
    ("deal", "limit", "status", "note"),
    [
        ("20k approved", "CFO signs anything above 25k", "met", "within_signing_limit"),
        ("40k approved", "CFO signs anything above 25k", "partial", "above_signing_limit"),
        ("30.000 € genehmigt", "darf bis 50k freigeben", "met", "within_signing_limit"),
        ("80.000 € genehmigt", "darf bis 50k freigeben", "partial", "above_signing_limit"),
    ],
)
def test_signing_limit_is_compared_with_the_deal(
    frameworks: dict[str, Framework], deal: str, limit: str, status: str, note: str
) -> None:
    result = read(frameworks, "bant", "authority", limit, known={"budget": deal})
    assert isinstance(result, Assessment) and result.status.value == status, result
    assert note in result.notes


def test_signing_limit_without_an_amount_is_partial_with_a_note(
    frameworks: dict[str, Framework],
) -> None:
    result = read(frameworks, "bant", "authority", "she signs anything up to 25k")
    assert isinstance(result, Assessment) and result.status is Status.PARTIAL
    assert "signing_limit_unknown_amount" in result.notes


@pytest.mark.parametrize(
    ("key", "text"),
    [("budget", "yes"), ("budget", "ja"), ("authority", "yep"), ("timeline", "sure 👍")],
)
def test_bare_yes_to_a_value_question_asks_for_the_value(
    frameworks: dict[str, Framework], key: str, text: str
) -> None:
    result = read(frameworks, "bant", key, text)
    assert isinstance(result, Clarification) and result.reason == "needs_value"
    assert [r.status for r in result.readings] == [Status.PARTIAL]


def test_conflicting_signals_are_offered_not_guessed(frameworks: dict[str, Framework]) -> None:
    text = "the CFO said 50k is approved. the CEO said there is no budget at all."
    result = read(frameworks, "bant", "budget", text)
    assert isinstance(result, Clarification) and result.reason == "conflicting"
    assert {r.status for r in result.readings} == {Status.MET, Status.MISSING}
    assert all(r.evidence == text for r in result.readings)


def test_a_later_but_clause_decides(frameworks: dict[str, Framework]) -> None:
    result = read(frameworks, "bant", "budget", "we have budget in principle, but it's frozen")
    assert isinstance(result, Assessment) and result.status is Status.MISSING


def test_slack_formatting_is_read_and_the_original_kept(frameworks: dict[str, Framework]) -> None:
    text = "> per <@U0ABC123>: *60k* approved :+1: <https://acme.com|acme.com>"
    result = read(frameworks, "bant", "budget", text)
    assert isinstance(result, Assessment) and result.status is Status.MET
    assert result.value == {"amount": 60000.0, "currency": "EUR"}
    assert result.evidence == text
    assert result.span and result.span in text


def test_struck_out_words_are_taken_back(frameworks: dict[str, Framework]) -> None:
    result = read(frameworks, "meddpicc", "competition", "~we lead~ rather an open race now")
    assert isinstance(result, Assessment) and result.status is Status.PARTIAL


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("long call today. they use spreadsheets; reporting takes ages. budget? 50k approved, "
         "signed off by the CFO last week. timing open.", "en"),
        ("Budget ist approved, so 45k – der CFO hat gestern zugestimmt", "de"),
    ],
)  # fmt: skip
def test_span_is_verbatim_and_names_the_deciding_words(
    frameworks: dict[str, Framework], text: str, lang: str
) -> None:
    result = read(frameworks, "bant", "budget", text, lang=lang)
    assert isinstance(result, Assessment) and result.status is Status.MET
    assert result.span in text and "5" in result.span
    assert 0.0 < result.confidence <= 1.0


def test_mixed_english_and_german(frameworks: dict[str, Framework]) -> None:
    result = read(frameworks, "bant", "authority", "der CFO signt, aber erst nach Rücksprache")
    assert isinstance(result, Assessment) and result.status is Status.PARTIAL


@pytest.mark.parametrize(
    "text",
    [
        ("budget is probably there but the CFO signs above 25k, aber kein Problem. " * 600)[
            :40_000
        ],
        "1" * 40_000,
        ("<@U0ABC123> *x* _y_ ~z~ :+1: no, " * 1500)[:40_000],
    ],
    ids=["prose", "digits", "slack"],
)
def test_a_40000_character_answer_is_read_whole_under_every_criterion(
    frameworks: dict[str, Framework], text: str
) -> None:
    # How long it takes is printed by bench/bench_reading.py (under 50 ms), not timed here.
    bant = frameworks["bant"]
    for criterion in bant.criteria:
        result = understand(criterion, text, lang="en", thresholds=bant.thresholds, today=TODAY)
        assert result.evidence == text.strip(), criterion.key
