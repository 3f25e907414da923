"""Fresh answers per language phenomenon, written apart from the corpus and the rules.

Each case names the phenomenon it exercises. These sentences were written before the rules that
read them, to check that a rule covers the phenomenon and not one wording of it.
"""

from __future__ import annotations

from datetime import date

import pytest

from flows.model import Assessment, Clarification, Framework
from flows.understanding import understand

TODAY = date(2026, 12, 1)

# (framework, criterion, answer, expected status or "clarify", knock-out expected)
CASES: dict[str, list[tuple[str, str, str, str, bool]]] = {
    # A negation whose scope covers the criterion's topic words says no.
    "negated_topic": [
        ("bant", "budget", "not one cent has been set aside for tooling", "missing", False),
        ("bant", "budget", "there isn't a single dollar allocated to this", "missing", False),
        ("champ", "money", "für sowas gibt es keinen einzigen Cent im Plan", "missing", False),
        (
            "anum",
            "money",
            "keinerlei Mittel eingeplant, auch nicht fürs nächste Jahr",
            "missing",
            False,
        ),
        (
            "bant",
            "authority",
            "she has no vote in this, she just collects quotes",
            "missing",
            False,
        ),
        (
            "bant",
            "authority",
            "er hat da nichts zu sagen, er sammelt nur Angebote",
            "missing",
            False,
        ),
        ("anum", "authority", "he can't sign anything, not even small orders", "missing", False),
        (
            "gpctba_ci",
            "goals",
            "they haven't set any targets at all, not even rough ones",
            "missing",
            False,
        ),
        ("gpctba_ci", "goals", "die haben sich überhaupt keine Ziele gesetzt", "missing", False),
        ("meddic", "champion", "nobody there would push for us internally", "missing", False),
        ("meddic", "champion", "niemand dort würde sich für uns einsetzen", "missing", False),
        ("meddic", "metrics", "they track no numbers whatsoever on this", "missing", False),
        ("gpctba_ci", "plans", "there's no plan of any kind to change anything", "missing", False),
    ],
    # Knock-outs told as events or situations, whatever the question.
    "knockout_event": [
        ("bant", "budget", "the company went into liquidation last month", "missing", True),
        ("bant", "timeline", "administrators were appointed on Friday", "missing", True),
        ("anum", "urgency", "they shut their doors for good in October", "missing", True),
        (
            "bant",
            "need",
            "sie haben den Geschäftsbetrieb zum Monatsende eingestellt",
            "missing",
            True,
        ),
        ("bant", "budget", "die Firma ist in Liquidation", "missing", True),
        ("bant", "timeline", "they ceased trading in September", "missing", True),
        (
            "bant",
            "need",
            "they were swallowed by a holding that prescribes its own CRM",
            "missing",
            True,
        ),
        (
            "bant",
            "budget",
            "wurden von einem Konzern geschluckt, der seine eigenen Tools vorschreibt",
            "missing",
            True,
        ),
        (
            "meddpicc",
            "competition",
            "they just extended with their current vendor until 2029",
            "missing",
            True,
        ),
        (
            "bant",
            "timeline",
            "renewal with the incumbent is signed, runs another three years",
            "missing",
            True,
        ),
        (
            "meddpicc",
            "competition",
            "Verlängerung mit dem Bestandsanbieter bis 2029 ist unterschrieben",
            "missing",
            True,
        ),
        (
            "bant",
            "need",
            "the contract with Rival Co was signed last week, ink still wet, three years",
            "missing",
            True,
        ),
        ("bant", "budget", "he's a student writing a case study on sales tools", "missing", True),
        ("bant", "need", "sie ist Studentin und schreibt eine Fallstudie", "missing", True),
        ("bant", "need", "it's for a university course they are taking", "missing", True),
        (
            "anum",
            "need",
            "our category doesn't matter to their business, they asked us not to call again",
            "missing",
            True,
        ),
    ],
    # A condition that governs the criterion keeps it partial; one about something else does not.
    "condition": [
        ("bant", "budget", "50k approved, provided the board agrees next week", "partial", False),
        ("bant", "budget", "30k, vorausgesetzt der Vorstand stimmt zu", "partial", False),
        ("bant", "timeline", "January, assuming the migration finishes on time", "partial", False),
        ("bant", "timeline", "mit etwas Glück im Februar", "partial", False),
        ("bant", "timeline", "with a bit of luck in February", "partial", False),
        ("bant", "authority", "the COO signs, if legal signs off first", "partial", False),
        ("bant", "budget", "80-100k approved, depending on the number of seats", "met", False),
        ("bant", "budget", "40-60k freigegeben, je nach Paket", "met", False),
    ],
    # Not known yet: the question was not settled in the conversation.
    "not_yet": [
        ("bant", "budget", "I need to circle back with them on that", "unknown", False),
        ("bant", "budget", "da muss ich nochmal nachhaken", "unknown", False),
        (
            "bant",
            "budget",
            "we never got round to talking money, the hour was over",
            "unknown",
            False,
        ),
        ("bant", "authority", "they played their cards close to the chest", "unknown", False),
        ("bant", "budget", "sie haben sich dazu bedeckt gehalten", "unknown", False),
        ("bant", "timeline", "nothing yet, our first proper call is on Tuesday", "unknown", False),
        (
            "bant",
            "need",
            "keine Infos bisher, das erste richtige Gespräch ist nächste Woche",
            "unknown",
            False,
        ),
    ],
    # Who owns the decision: someone else decides, or access is only through staff.
    "attribution": [
        (
            "meddic",
            "economic_buyer",
            "the budget sits with the CFO, we've only spoken to her assistant",
            "partial",
            False,
        ),
        (
            "bant",
            "authority",
            "she made the shortlist, but the final sign-off is the owner's",
            "partial",
            False,
        ),
        ("bant", "authority", "er gibt Input, aber die Partner stimmen ab", "partial", False),
        ("bant", "authority", "the co-founder, she makes every purchasing decision", "met", False),
        ("bant", "authority", "no formal process, the owner just decides", "met", False),
    ],
    # Words that look negative inside a positive statement.
    "positive_negative_words": [
        (
            "meddic",
            "identify_pain",
            "no one can deny it hurts: they miss the SLA on one ticket in four",
            "met",
            False,
        ),
        (
            "meddpicc",
            "competition",
            "nobody else is even close, we're the only vendor in the final round",
            "met",
            False,
        ),
    ],
    # Amounts said in slang.
    "slang_amount": [
        ("bant", "budget", "35 Riesen sind freigegeben", "met", False),
        ("bant", "budget", "a six-figure sum is approved", "met", False),
        ("bant", "budget", "low five figures, signed off", "met", False),
        ("bant", "budget", "5-stellig, genaue Zahl unklar", "partial", False),
    ],
    # Time words.
    "time_words": [
        ("bant", "timeline", "over the holidays, mid-January at the latest", "met", False),
        ("bant", "timeline", "Februar, vorausgesetzt die IT hat Kapazität", "partial", False),
        # Said on 1 December, "H2" is next year's second half, not the month that is left.
        ("bant", "timeline", "H2", "partial", False),
        ("bant", "timeline", "im zweiten Halbjahr", "partial", False),
    ],
    # Written after the rules, in other words than the cases above: whether the rules carry
    # over to phrasings they were not made from.
    "unseen": [
        ("bant", "budget", "zero dollars set aside for software this year", "missing", False),
        ("champ", "money", "für Tools ist kein einziger Cent eingeplant", "missing", False),
        (
            "bant",
            "authority",
            "she has no say whatsoever, she just books meetings",
            "missing",
            False,
        ),
        ("meddic", "champion", "no one over there would go to bat for us", "missing", False),
        ("gpctba_ci", "goals", "keinerlei Zielvorgaben, nicht mal grob", "missing", False),
        ("bant", "need", "the firm filed for insolvency in November", "missing", True),
        ("anum", "urgency", "die GmbH wird gerade liquidiert", "missing", True),
        ("bant", "budget", "they closed down the whole business last week", "missing", True),
        ("bant", "need", "she's a master's student doing research for her thesis", "missing", True),
        (
            "meddpicc",
            "competition",
            "they renewed with their current provider through 2030",
            "missing",
            True,
        ),
        (
            "bant",
            "timeline",
            "the group has mandated Salesforce across all subsidiaries",
            "missing",
            True,
        ),
        (
            "bant",
            "budget",
            "60k approved, assuming the board signs off in January",
            "partial",
            False,
        ),
        ("bant", "timeline", "March, vorausgesetzt das Budget kommt durch", "partial", False),
        (
            "bant",
            "budget",
            "25-35k freigegeben, abhängig von der Anzahl der Lizenzen",
            "met",
            False,
        ),
        ("bant", "budget", "need to circle back with finance on that one", "unknown", False),
        ("bant", "authority", "they were very tight-lipped about who signs", "unknown", False),
        ("bant", "need", "wir sind im Call gar nicht dazu gekommen, Zeit war um", "unknown", False),
        (
            "meddic",
            "economic_buyer",
            "the CFO owns the money, but we've only e-mailed her office",
            "partial",
            False,
        ),
        ("bant", "authority", "he shortlists vendors, the owner signs", "partial", False),
        ("bant", "budget", "a low six-figure sum is signed off", "met", False),
        ("bant", "budget", "fünfstellig, genaue Summe noch offen", "partial", False),
        (
            "bant",
            "timeline",
            "between Christmas and New Year, early January at the latest",
            "met",
            False,
        ),
        (
            "meddpicc",
            "competition",
            "nobody else comes close, we're their clear favourite",
            "met",
            False,
        ),
    ],
}

_ALL = [(group, *case) for group, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(
    ("group", "framework_key", "criterion", "answer", "expect", "knockout"),
    _ALL,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(_ALL)],
)
def test_fresh_answers_are_read_by_phenomenon(
    frameworks: dict[str, Framework],
    group: str,
    framework_key: str,
    criterion: str,
    answer: str,
    expect: str,
    knockout: bool,
) -> None:
    framework = frameworks[framework_key]
    result = understand(
        framework.criterion(criterion),
        answer,
        lang="de",
        thresholds=framework.thresholds,
        today=TODAY,
    )
    got = "clarify" if isinstance(result, Clarification) else result.status.value
    assert got == expect, (group, answer, result)
    if knockout:
        assert isinstance(result, Assessment) and result.knockout, (group, answer, result)


# Sentences that share words with knock-out events but rule nothing out.
NOT_KNOCKOUTS = [
    "they are hiring students for the summer and need a better onboarding tool",
    "the product is not relevant for the finance team but sales loves it",
    "their consultant is preparing a report on the tool selection",
    "our contact used to be a journalist, now heads sales ops",
    "sie sind noch kein Kunde, aber sehr interessiert",
    "not a customer yet, but the pain is real",
    "the admins run the CRM and hate it",
    "the working group has no say, the VP decides",
    "zwei Leute haben deswegen gekündigt",
    "they sold more than ever last year and their own tools can't keep up",
    "they closed a record quarter and the pipeline is a mess",
    "alle Verträge mit dem alten Anbieter sind gekündigt, sie suchen Ersatz",
    "the founder has no successor for the ops role yet, reporting is chaos",
    "the extension with the old vendor is not signed, they want out",
]


@pytest.mark.parametrize("answer", NOT_KNOCKOUTS)
def test_words_of_knock_out_events_in_other_senses_rule_nothing_out(
    frameworks: dict[str, Framework], answer: str
) -> None:
    framework = frameworks["bant"]
    result = understand(
        framework.criterion("need"),
        answer,
        lang="en",
        thresholds=framework.thresholds,
        today=TODAY,
    )
    assert not (isinstance(result, Assessment) and result.knockout), result
