"""Verdict rules, stages, reasons, flip set and fit score; properties that must always hold."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.config import Icp, Range
from flows.model import Assessment, Framework, Stage, Status, Verdict
from flows.scoring import RANK, bucket, evaluate, fit_breakdown, fit_score, flip

M, P, X, U = Status.MET, Status.PARTIAL, Status.MISSING, Status.UNKNOWN
FRAMEWORK_KEYS = ["bant", "meddic", "meddpicc", "champ", "anum", "gpctba_ci"]
IMPROVE = {U: P, X: P, P: M}


def _answers(framework: Framework, statuses: list[Status]) -> dict[str, Assessment]:
    return {c.key: Assessment(status=s) for c, s in zip(framework.criteria, statuses, strict=True)}


@pytest.mark.parametrize(
    ("budget", "authority", "need", "timeline", "verdict", "stage"),
    [
        (M, M, M, M, Verdict.HOT, Stage.SQL),
        (M, M, M, P, Verdict.HOT, Stage.SQL),
        (P, M, M, P, Verdict.WARM, Stage.MQL),
        (M, M, M, X, Verdict.WARM, Stage.MQL),
        (X, M, M, X, Verdict.WARM, Stage.MQL),
        (X, X, P, U, Verdict.COLD, Stage.NURTURE),
        (M, M, P, M, Verdict.WARM, Stage.MQL),
        (M, M, X, M, Verdict.COLD, Stage.NURTURE),
        (M, M, U, M, Verdict.COLD, Stage.NURTURE),
        (U, U, U, U, Verdict.COLD, Stage.NURTURE),
    ],
)
def test_bant_buckets(
    frameworks: dict[str, Framework],
    budget: Status,
    authority: Status,
    need: Status,
    timeline: Status,
    verdict: Verdict,
    stage: Stage,
) -> None:
    bant = frameworks["bant"]
    result = evaluate(bant, _answers(bant, [budget, authority, need, timeline]))
    assert (result.verdict, result.stage) == (verdict, stage)


def test_score_is_weighted(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]  # need weighs 2, the others 1
    assert evaluate(bant, _answers(bant, [M, M, M, M])).score == 100
    assert evaluate(bant, _answers(bant, [X, X, M, X])).score == 40
    assert evaluate(bant, _answers(bant, [P, X, X, X])).score == 10
    assert evaluate(bant, {}).score == 0


def test_knockout_makes_cold_and_disqualified(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    answers = _answers(bant, [M, M, M, M])
    answers["timeline"] = Assessment(status=X, evidence="signed with a rival", knockout=True)
    result = evaluate(bant, answers)
    assert result.verdict is Verdict.COLD
    assert result.stage is Stage.DISQUALIFIED
    assert result.disqualified_by == "timeline"
    assert result.reasons[0].code == "knockout"
    assert result.flip == () and result.flip_to is None


def test_reasons_gaps_and_flip(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    result = evaluate(bant, _answers(bant, [P, M, M, X]))
    assert result.verdict is Verdict.WARM
    assert result.gaps == ("budget", "timeline")
    assert [(r.code, r.criterion) for r in result.reasons] == [
        ("key_met", "need"),
        ("partial", "budget"),
        ("missing", "timeline"),
    ]
    assert result.flip == ("timeline",) and result.flip_to is Verdict.HOT
    assert evaluate(bant, {}).flip_to is Verdict.WARM
    assert evaluate(bant, {}).flip == ("budget", "need")


def test_missing_answers_count_as_unknown_and_extra_keys_are_ignored(
    frameworks: dict[str, Framework],
) -> None:
    bant = frameworks["bant"]
    result = evaluate(bant, {"need": Assessment(status=M), "colour": Assessment(status=M)})
    assert set(result.criteria) == set(bant.keys)
    assert result.criteria["budget"].status is U


def test_verdict_json_has_the_contract_fields(frameworks: dict[str, Framework]) -> None:
    data = evaluate(frameworks["meddic"], {}).to_json()
    assert {"framework", "verdict", "score", "stage", "criteria", "gaps"} <= set(data)
    assert data["verdict"] in {"hot", "warm", "cold"}


def _brute_force_flip(statuses: list[Status], key_index: int) -> tuple[tuple[int, ...], Verdict]:
    current = bucket(statuses, key_index)
    target = Verdict.WARM if current is Verdict.COLD else Verdict.HOT
    open_indices = [i for i, s in enumerate(statuses) if s is not M]
    for size in range(1, len(open_indices) + 1):
        for subset in combinations(open_indices, size):
            trial = [M if i in subset else s for i, s in enumerate(statuses)]
            if RANK[bucket(trial, key_index)] >= RANK[target]:
                return subset, target
    raise AssertionError("all met must be hot")


statuses_strategy = st.lists(st.sampled_from([M, P, X, U]), min_size=8, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(FRAMEWORK_KEYS),
    raw=statuses_strategy,
    data=st.data(),
)
def test_improving_one_answer_never_lowers_the_verdict(
    frameworks: dict[str, Framework], key: str, raw: list[Status], data: st.DataObject
) -> None:
    framework = frameworks[key]
    statuses = raw[: len(framework.criteria)]
    index = data.draw(st.integers(0, len(statuses) - 1))
    if statuses[index] is M:
        return
    better = list(statuses)
    better[index] = IMPROVE[statuses[index]]
    before = evaluate(framework, _answers(framework, statuses))
    after = evaluate(framework, _answers(framework, better))
    assert RANK[after.verdict] >= RANK[before.verdict]
    assert after.score >= before.score


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(FRAMEWORK_KEYS), raw=statuses_strategy, seed=st.randoms())
def test_verdict_depends_on_answers_not_their_order(
    frameworks: dict[str, Framework], key: str, raw: list[Status], seed
) -> None:
    framework = frameworks[key]
    answers = list(_answers(framework, raw[: len(framework.criteria)]).items())
    shuffled = list(answers)
    seed.shuffle(shuffled)
    assert evaluate(framework, dict(answers)) == evaluate(framework, dict(shuffled))


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(FRAMEWORK_KEYS), raw=statuses_strategy)
def test_flip_is_the_smallest_earliest_set(
    frameworks: dict[str, Framework], key: str, raw: list[Status]
) -> None:
    framework = frameworks[key]
    statuses = raw[: len(framework.criteria)]
    key_index = framework.keys.index(framework.key_criterion.key)
    if bucket(statuses, key_index) is Verdict.HOT:
        assert flip(statuses, key_index) == ((), None)
        return
    assert flip(statuses, key_index) == _brute_force_flip(statuses, key_index)


ICP = Icp(
    industries=("SaaS", "Manufacturing"),
    employees=Range(min=50, max=500),
    regions=("DACH",),
    revenue=Range(min=5_000_000),
)


@pytest.mark.parametrize(
    ("firmographics", "expected"),
    [
        ({"industry": "saas", "employees": 120, "region": "DACH", "revenue": 9e6}, 100),
        ({"industry": "Retail", "employees": 120, "region": "DACH", "revenue": 9e6}, 75),
        ({"industry": "Retail", "employees": 10, "region": "US", "revenue": 1e6}, 0),
        ({"industry": "SaaS", "employees": 10}, 50),
        ({}, None),
    ],
)
def test_fit_score(firmographics: dict, expected: int | None) -> None:
    assert fit_score(ICP, firmographics) == expected


def test_fit_is_apart_from_intent(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    perfect_fit = {"industry": "SaaS", "employees": 100, "region": "DACH", "revenue": 6e6}
    result = evaluate(bant, _answers(bant, [X, X, X, X]), icp=ICP, firmographics=perfect_fit)
    assert result.fit_score == 100 and result.verdict is Verdict.COLD
    assert fit_breakdown(ICP, {"employees": "lots"}) == {}
    assert evaluate(bant, {}).fit_score is None
