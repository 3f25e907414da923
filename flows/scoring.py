"""Verdicts from assessments: score, hot/warm/cold bucket, stage, reasons, gaps, what flips it.

The bucket rules (DESIGN section 4): hot when every criterion is met, or all but one are met and
that one is partial, with the key criterion met; warm when the key criterion is met or partial and
at most two other criteria are missing or unknown; cold otherwise. A knock-out answer makes the
lead cold and disqualified. Nothing here parses text: ``evaluate`` only counts statuses, so it
stays far below a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flows.config import Icp, Range
from flows.model import Assessment, Framework, Reason, Stage, Status, Verdict, VerdictResult

STATUS_VALUE = {Status.MET: 1.0, Status.PARTIAL: 0.5, Status.MISSING: 0.0, Status.UNKNOWN: 0.0}
RANK = {Verdict.COLD: 0, Verdict.WARM: 1, Verdict.HOT: 2}
STAGE = {Verdict.HOT: Stage.SQL, Verdict.WARM: Stage.MQL, Verdict.COLD: Stage.NURTURE}
WARM_MAX_WEAK_OTHERS = 2
UNKNOWN = Assessment(status=Status.UNKNOWN)


def bucket(statuses: Sequence[Status], key_index: int) -> Verdict:
    """The hot/warm/cold bucket for statuses in framework order.

    Args:
        statuses: One status per criterion, in the framework's order.
        key_index: Position of the key criterion.

    Returns:
        The verdict (knock-outs are handled by :func:`evaluate`, not here).
    """
    key_status = statuses[key_index]
    not_met = [s for s in statuses if s is not Status.MET]
    if key_status is Status.MET and (
        not not_met or (len(not_met) == 1 and not_met[0] is Status.PARTIAL)
    ):
        return Verdict.HOT
    if key_status in (Status.MET, Status.PARTIAL):
        weak = sum(
            1
            for i, s in enumerate(statuses)
            if i != key_index and s in (Status.MISSING, Status.UNKNOWN)
        )
        if weak <= WARM_MAX_WEAK_OTHERS:
            return Verdict.WARM
    return Verdict.COLD


def score(framework: Framework, statuses: Sequence[Status]) -> int:
    """Weighted share of met criteria, 0-100 (met counts 1, partial 0.5)."""
    total = sum(c.weight for c in framework.criteria)
    got = sum(c.weight * STATUS_VALUE[s] for c, s in zip(framework.criteria, statuses, strict=True))
    return round(100 * got / total)


def flip(statuses: Sequence[Status], key_index: int) -> tuple[tuple[int, ...], Verdict | None]:
    """The fewest criteria that, once met, raise the verdict to the next bucket.

    Derived from the bucket rules rather than searched, so it costs one pass: warm needs the
    key criterion met or partial and at most two other weak (missing/unknown) criteria; hot
    needs the key met and everything else met but at most one partial. Among equally small
    sets the earliest criteria in framework order are chosen (the tests check this against an
    exhaustive search).

    Returns:
        The indices to improve and the bucket reached, or ``((), None)`` when already hot.
    """
    current = bucket(statuses, key_index)
    if current is Verdict.HOT:
        return (), None
    key_status = statuses[key_index]
    if current is Verdict.COLD:
        weak_others = [
            i
            for i, s in enumerate(statuses)
            if i != key_index and s in (Status.MISSING, Status.UNKNOWN)
        ]
        chosen = weak_others[: max(0, len(weak_others) - WARM_MAX_WEAK_OTHERS)]
        if key_status not in (Status.MET, Status.PARTIAL):
            chosen.append(key_index)
        return tuple(sorted(chosen)), Verdict.WARM
    not_met = [i for i, s in enumerate(statuses) if s is not Status.MET]
    # One partial criterion other than the key may stay as it is; leaving the last one
    # keeps the earliest criteria in the answer.
    spare = [i for i in not_met if i != key_index and statuses[i] is Status.PARTIAL]
    chosen = [i for i in not_met if not spare or i != spare[-1]]
    return tuple(chosen), Verdict.HOT


def _reasons(framework: Framework, statuses: Sequence[Status], key_index: int) -> list[Reason]:
    reasons: list[Reason] = []
    key = framework.criteria[key_index].key
    if all(s is Status.MET for s in statuses):
        reasons.append(Reason("all_met"))
    key_status = statuses[key_index]
    code = {
        Status.MET: "key_met",
        Status.PARTIAL: "key_partial",
        Status.MISSING: "key_missing",
        Status.UNKNOWN: "key_unknown",
    }[key_status]
    reasons.append(Reason(code, key))
    for i, (criterion, status) in enumerate(zip(framework.criteria, statuses, strict=True)):
        if i != key_index and status is not Status.MET:
            reasons.append(Reason(status.value, criterion.key))
    return reasons


def evaluate(
    framework: Framework,
    answers: Mapping[str, Assessment],
    *,
    icp: Icp | None = None,
    firmographics: Mapping[str, Any] | None = None,
) -> VerdictResult:
    """Compute the verdict of a qualification.

    Args:
        framework: The framework the answers belong to.
        answers: Assessments by criterion key; absent criteria count as unknown, unknown keys
            are ignored.
        icp: The team's ideal customer profile, for the fit score.
        firmographics: What is known about the company (``industry``, ``employees``,
            ``region``, ``revenue``).

    Returns:
        The verdict with score, stage, reasons, gaps and what would flip it.
    """
    criteria = {c.key: answers.get(c.key, UNKNOWN) for c in framework.criteria}
    statuses = [a.status for a in criteria.values()]
    key_index = next(i for i, c in enumerate(framework.criteria) if c.key_criterion)
    gaps = tuple(k for k, a in criteria.items() if a.status is not Status.MET)
    fit = fit_score(icp, firmographics) if icp is not None else None
    knocked_out = next((k for k, a in criteria.items() if a.knockout), None)
    if knocked_out is not None:
        reasons = [Reason("knockout", knocked_out), *_reasons(framework, statuses, key_index)]
        return VerdictResult(
            framework=framework.key,
            verdict=Verdict.COLD,
            score=score(framework, statuses),
            stage=Stage.DISQUALIFIED,
            criteria=criteria,
            gaps=gaps,
            reasons=tuple(reasons),
            fit_score=fit,
            disqualified_by=knocked_out,
        )
    verdict = bucket(statuses, key_index)
    flip_indices, flip_to = flip(statuses, key_index)
    if verdict is Verdict.HOT:
        # Nothing raises a hot lead; what a rep can still do is firm up the partial answers.
        flip_indices = tuple(i for i, s in enumerate(statuses) if s is Status.PARTIAL)
    return VerdictResult(
        framework=framework.key,
        verdict=verdict,
        score=score(framework, statuses),
        stage=STAGE[verdict],
        criteria=criteria,
        gaps=gaps,
        reasons=tuple(_reasons(framework, statuses, key_index)),
        flip=tuple(framework.criteria[i].key for i in flip_indices),
        flip_to=flip_to,
        fit_score=fit,
    )


def _in_list(value: Any, allowed: Sequence[str]) -> float:
    return 1.0 if str(value).strip().casefold() in {a.casefold() for a in allowed} else 0.0


def _in_range(value: Any, allowed: Range) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return 1.0 if allowed.contains(number) else 0.0


def fit_breakdown(icp: Icp, firmographics: Mapping[str, Any] | None) -> dict[str, int]:
    """Score each ICP dimension the team defined and the lead's data covers, 0 or 100.

    Args:
        icp: The ideal customer profile.
        firmographics: ``industry``, ``employees``, ``region``, ``revenue`` of the company.

    Returns:
        Points per dimension; dimensions without data on either side are left out.
    """
    data = firmographics or {}
    parts: dict[str, float | None] = {}
    if icp.industries and data.get("industry") is not None:
        parts["industry"] = _in_list(data["industry"], icp.industries)
    if icp.regions and data.get("region") is not None:
        parts["region"] = _in_list(data["region"], icp.regions)
    if icp.employees is not None and data.get("employees") is not None:
        parts["employees"] = _in_range(data["employees"], icp.employees)
    if icp.revenue is not None and data.get("revenue") is not None:
        parts["revenue"] = _in_range(data["revenue"], icp.revenue)
    return {k: round(100 * v) for k, v in parts.items() if v is not None}


def fit_score(icp: Icp | None, firmographics: Mapping[str, Any] | None) -> int | None:
    """How well a company matches the ideal customer profile, 0-100.

    Fit is kept apart from intent: a perfect fit with no need is still cold.

    Args:
        icp: The ideal customer profile, or ``None`` when the team has none.
        firmographics: What is known about the company.

    Returns:
        The mean of the dimension scores, or ``None`` when nothing can be compared.
    """
    if icp is None:
        return None
    parts = fit_breakdown(icp, firmographics)
    if not parts:
        return None
    return round(sum(parts.values()) / len(parts))
