"""Back-testing the verdict rules against won and lost deals, and searching better settings.

Pure: takes past qualifications as plain data (each answer's status and value) and the
framework, re-derives statuses under candidate thresholds, re-scores them with
:func:`flows.scoring.evaluate`, and measures how well the verdicts sort won from lost.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.model import AnswerKind, Assessment, Framework, Status, Thresholds, Verdict
from flows.scoring import evaluate

WON_VERDICTS = (Verdict.HOT,)


@dataclass(frozen=True, slots=True)
class PastLead:
    """One qualified lead with a known outcome."""

    answers: Mapping[str, Assessment]
    won: bool


@dataclass(frozen=True, slots=True)
class Fit:
    """How well one setting sorts past leads: hot ought to be won, the rest lost."""

    accuracy: float
    auc: float
    hot_won: float | None
    """Share of hot leads that were won."""
    cold_lost: float | None
    """Share of cold leads that were lost."""
    warm_lost: float | None


@dataclass(frozen=True, slots=True)
class Separation:
    """How differently a criterion was met among won and lost leads."""

    criterion: str
    met_rate_won: float
    met_rate_lost: float
    information_gain: float


@dataclass(frozen=True, slots=True)
class Proposal:
    """A setting and its fit, with what it changes against the current one."""

    thresholds: Thresholds
    weights: Mapping[str, float]
    fit: Fit


def _amount(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("amount")
    return float(value) if isinstance(value, int | float) else None


def _days(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("days")
    return float(value) if isinstance(value, int | float) else None


def rescore_status(framework: Framework, key: str, answer: Assessment, th: Thresholds) -> Status:
    """The status an answer would have had under thresholds ``th``.

    Only answers with a recorded amount or number of days move; the rest keep their status
    (a hedged "about 50k, not sure" stays partial however the threshold moves).
    """
    kind = framework.criterion(key).kind
    was = framework.thresholds
    if kind is AnswerKind.AMOUNT and (amount := _amount(answer.value)) is not None:
        hedged = answer.status is Status.PARTIAL and amount >= was.min_budget
        if answer.status in (Status.MET, Status.PARTIAL) and not hedged:
            return Status.MET if amount >= th.min_budget else Status.PARTIAL
    if kind is AnswerKind.TIMEFRAME and (days := _days(answer.value)) is not None:
        hedged = answer.status is Status.PARTIAL and days <= was.timeline_met_days
        if days <= th.timeline_met_days:
            return Status.PARTIAL if hedged else Status.MET
        return Status.PARTIAL if days <= th.timeline_partial_days else Status.MISSING
    return answer.status


def _verdicts(
    framework: Framework, leads: Sequence[PastLead], th: Thresholds
) -> list[tuple[Verdict, int]]:
    tuned = dataclasses.replace(framework, thresholds=th)
    out = []
    for lead in leads:
        answers = {
            k: dataclasses.replace(a, status=rescore_status(framework, k, a, th))
            for k, a in lead.answers.items()
            if k in framework.keys
        }
        result = evaluate(tuned, answers)
        out.append((result.verdict, result.score))
    return out


def _auc(scores: Sequence[float], won: Sequence[bool]) -> float:
    positives = [s for s, w in zip(scores, won, strict=True) if w]
    negatives = [s for s, w in zip(scores, won, strict=True) if not w]
    if not positives or not negatives:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def measure(framework: Framework, leads: Sequence[PastLead], th: Thresholds | None = None) -> Fit:
    """Back-test ``framework`` (with thresholds ``th``) on past leads."""
    results = _verdicts(framework, leads, th or framework.thresholds)
    won = [lead.won for lead in leads]
    correct = sum((v in WON_VERDICTS) == w for (v, _), w in zip(results, won, strict=True))
    by = {v: [w for (vv, _), w in zip(results, won, strict=True) if vv is v] for v in Verdict}
    # Rank by bucket first and score within it, as a rep reading the verdicts would.
    ranks = [2 * 100 * ["cold", "warm", "hot"].index(v.value) + s for v, s in results]
    return Fit(
        accuracy=round(correct / len(leads), 4) if leads else 0.0,
        auc=round(_auc(ranks, won), 4),
        hot_won=_share(sum(by[Verdict.HOT]), len(by[Verdict.HOT])),
        cold_lost=_share(len(by[Verdict.COLD]) - sum(by[Verdict.COLD]), len(by[Verdict.COLD])),
        warm_lost=_share(len(by[Verdict.WARM]) - sum(by[Verdict.WARM]), len(by[Verdict.WARM])),
    )


def _entropy(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def separation(framework: Framework, leads: Sequence[PastLead]) -> list[Separation]:
    """Per criterion: met-rate among won vs lost leads and information gain of "met".

    Returns:
        Criteria, the best separator first.
    """
    won = [lead for lead in leads if lead.won]
    lost = [lead for lead in leads if not lead.won]
    base = _entropy(len(won) / len(leads)) if leads else 0.0
    out = []
    for key in framework.keys:

        def met(lead: PastLead, key: str = key) -> bool:
            answer = lead.answers.get(key)
            return answer is not None and answer.status is Status.MET

        met_won, met_lost = sum(map(met, won)), sum(map(met, lost))
        n_met = met_won + met_lost
        n_not = len(leads) - n_met
        rest = 0.0
        if n_met:
            rest += n_met / len(leads) * _entropy(met_won / n_met)
        if n_not:
            rest += n_not / len(leads) * _entropy((len(won) - met_won) / n_not)
        out.append(
            Separation(
                criterion=key,
                met_rate_won=round(met_won / len(won), 4) if won else 0.0,
                met_rate_lost=round(met_lost / len(lost), 4) if lost else 0.0,
                information_gain=round(base - rest, 4),
            )
        )
    return sorted(out, key=lambda s: s.information_gain, reverse=True)


def candidate_budgets(leads: Iterable[PastLead], framework: Framework) -> list[float]:
    """Budget thresholds worth trying: every distinct amount seen, plus the current one."""
    amounts = {framework.thresholds.min_budget}
    for lead in leads:
        for key, answer in lead.answers.items():
            if key not in framework.keys or framework.criterion(key).kind is not AnswerKind.AMOUNT:
                continue
            if (amount := _amount(answer.value)) is not None:
                amounts.add(amount)
    return sorted(amounts)


def search(
    framework: Framework,
    leads: Sequence[PastLead],
    *,
    timeline_days: Sequence[int] = (30, 60, 90, 120, 180),
) -> list[Proposal]:
    """Try budget thresholds and timeline limits; best fit (accuracy, then AUC) first.

    Weights only move the score, not the bucket, so they are judged by AUC alone and proposed
    as each criterion's information gain relative to the average (kept between 0.5 and 3).

    Returns:
        Proposals, best first; the first one is the suggestion.
    """
    current = framework.thresholds
    proposals = []
    for budget in candidate_budgets(leads, framework):
        for days in timeline_days:
            th = dataclasses.replace(
                current,
                min_budget=budget,
                timeline_met_days=days,
                timeline_partial_days=max(days, current.timeline_partial_days),
            )
            proposals.append(Proposal(th, {}, measure(framework, leads, th)))

    def rank(p: Proposal) -> tuple[float, float, float]:
        # Among equal fits prefer the smallest change from the current setting.
        change = abs(p.thresholds.min_budget - current.min_budget) / max(current.min_budget, 1)
        return (-p.fit.accuracy, -p.fit.auc, change)

    proposals.sort(key=rank)
    return proposals


def suggested_weights(framework: Framework, leads: Sequence[PastLead]) -> dict[str, float]:
    """Weights in proportion to each criterion's information gain, around the mean weight."""
    gains = {s.criterion: s.information_gain for s in separation(framework, leads)}
    mean = sum(gains.values()) / len(gains) if gains else 0.0
    if mean <= 0:
        return {c.key: c.weight for c in framework.criteria}
    return {k: round(min(3.0, max(0.5, g / mean)), 2) for k, g in gains.items()}
