"""Adaptive question order: ask next what can move the verdict the most."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flows.model import Assessment, Framework, Status
from flows.scoring import RANK, bucket, score


def most_decisive(
    framework: Framework, answers: Mapping[str, Assessment], open_keys: Sequence[str]
) -> str:
    """The open criterion whose answer changes the verdict most.

    For each candidate the verdict is computed twice, once with it met and once with it
    missing (other open criteria stay unknown); the widest gap in bucket wins, then the widest
    gap in score, then framework order.

    Args:
        framework: The framework being asked.
        answers: Assessments given so far.
        open_keys: Criteria not answered yet, in framework order.

    Returns:
        The key to ask next.
    """
    key_index = next(i for i, c in enumerate(framework.criteria) if c.key_criterion)
    base = [
        answers[c.key].status if c.key in answers else Status.UNKNOWN for c in framework.criteria
    ]
    best_key, best_impact = open_keys[0], (-1, -1)
    for key in open_keys:
        i = framework.keys.index(key)
        high, low = list(base), list(base)
        high[i], low[i] = Status.MET, Status.MISSING
        impact = (
            RANK[bucket(high, key_index)] - RANK[bucket(low, key_index)],
            score(framework, high) - score(framework, low),
        )
        if impact > best_impact:
            best_key, best_impact = key, impact
    return best_key
