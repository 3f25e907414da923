"""Properties of the reader and the verdict that must hold for any answer, not just examples."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.model import Assessment, Clarification, Framework, Status
from flows.scoring import RANK, evaluate
from flows.understanding import understand

TODAY = date(2026, 12, 1)
LEVEL = {Status.MET: 2, Status.PARTIAL: 1, Status.MISSING: 0, Status.UNKNOWN: 0}

MET_ANSWERS = {
    ("bant", "budget"): [
        "{n}k approved", "{n}k signed off", "€{n}.000 freigegeben", "{n} Tsd. genehmigt",
        "budget of {n}k is allocated",
    ],
    ("bant", "authority"): [
        "the CEO decides", "she signs", "the founder signs", "der Geschäftsführer unterschreibt",
        "the VP of Sales makes the call",
    ],
    ("bant", "need"): [
        "losing deals every week", "bleeding money on manual invoicing",
        "massive Probleme mit dem Reporting", "they verlieren jede Woche Leads",
    ],
    ("bant", "timeline"): [
        "asap", "end of January", "in {w} weeks", "sofort", "in {w} Wochen", "before xmas",
    ],
}  # fmt: skip

HEDGES = [
    "probably {x}",
    "maybe {x}",
    "I think {x}",
    "{x}, if all goes well",
    "vielleicht {x}",
    "vermutlich {x}",
    "{x}, sobald der Vorstand zustimmt",
    "hopefully {x}",
]
NEGATIONS = ["not {x}", "nicht {x}", "no, {x}? no", "{x}? nope", "nein, {x}? nein"]

ANY_ANSWERS = [
    *[t for pool in MET_ANSWERS.values() for t in pool],
    "about {n}k, still needs approval", "no budget", "kein Budget", "haven't asked",
    "needs her boss", "nice to have", "Q3 next year", "not this year", "weiß ich noch nicht",
    "in {w} months", "{n}k", "the CFO signs anything above 25k", "kleinere Ärgernisse",
]  # fmt: skip


def _read(frameworks: dict[str, Framework], key: tuple[str, str], text: str) -> object:
    framework = frameworks[key[0]]
    return understand(
        framework.criterion(key[1]),
        text,
        lang="en",
        thresholds=framework.thresholds,
        today=TODAY,
    )


def _fill(template: str, n: int, w: int) -> str:
    return template.format(n=n, w=w)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    n=st.integers(10, 900),
    w=st.integers(1, 8),
    negation=st.sampled_from(NEGATIONS),
)
def test_negating_a_met_answer_never_reads_met(
    frameworks: dict[str, Framework], data: st.DataObject, n: int, w: int, negation: str
) -> None:
    key = data.draw(st.sampled_from(sorted(MET_ANSWERS)))
    answer = _fill(data.draw(st.sampled_from(MET_ANSWERS[key])), n, w)
    original = _read(frameworks, key, answer)
    assert isinstance(original, Assessment) and original.status is Status.MET, (answer, original)
    negated = _read(frameworks, key, negation.format(x=answer))
    assert not (isinstance(negated, Assessment) and negated.status is Status.MET), negated


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    n=st.integers(1, 900),
    w=st.integers(1, 14),
    hedge=st.sampled_from(HEDGES),
)
def test_adding_a_hedge_never_raises_a_reading(
    frameworks: dict[str, Framework], data: st.DataObject, n: int, w: int, hedge: str
) -> None:
    key = data.draw(st.sampled_from(sorted(MET_ANSWERS)))
    answer = _fill(data.draw(st.sampled_from(ANY_ANSWERS)), n, w)
    original = _read(frameworks, key, answer)
    hedged = _read(frameworks, key, hedge.format(x=answer))
    if not isinstance(hedged, Assessment):
        return
    before = LEVEL[original.status] if isinstance(original, Assessment) else 0
    assert isinstance(hedged, Assessment | Clarification)
    assert LEVEL[hedged.status] <= max(before, 1 if hedged.status is Status.PARTIAL else 0)
    assert hedged.status is not Status.MET, (answer, hedged)


_RISE = {Status.UNKNOWN: Status.PARTIAL, Status.MISSING: Status.PARTIAL, Status.PARTIAL: Status.MET}


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_verdict_never_falls_when_one_reading_rises(
    frameworks: dict[str, Framework], data: st.DataObject
) -> None:
    framework = data.draw(st.sampled_from(sorted(frameworks.values(), key=lambda f: f.key)))
    statuses = data.draw(
        st.lists(
            st.sampled_from(list(Status)),
            min_size=len(framework.criteria),
            max_size=len(framework.criteria),
        )
    )
    answers = {
        c.key: Assessment(status=s) for c, s in zip(framework.criteria, statuses, strict=False)
    }
    risen_key = data.draw(
        st.sampled_from(
            [c.key for c, s in zip(framework.criteria, statuses, strict=False) if s in _RISE]
        )
        if any(s in _RISE for s in statuses)
        else st.just(None)
    )
    if risen_key is None:
        return
    before = evaluate(framework, answers)
    risen = {**answers, risen_key: Assessment(status=_RISE[answers[risen_key].status])}
    after = evaluate(framework, risen)
    assert RANK[after.verdict] >= RANK[before.verdict]
    assert after.score >= before.score
