"""Percentiles and plain-text tables for benchmark output."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile of ``samples`` (``share`` in 0..1), NaN when empty.

    Args:
        samples: Measured values, in any order.
        share: 0.5 for the median, 0.99 for p99.

    Returns:
        The smallest sample at or above that share of all samples.
    """
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    """Format seconds as milliseconds with one decimal (``-`` for NaN)."""
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def ratio(numerator: float, denominator: float) -> str:
    """Format ``numerator / denominator`` as ``0.00x`` (``-`` when undefined)."""
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return "-"
    return f"{numerator / denominator:.2f}x"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render rows as a Markdown table with aligned columns.

    Args:
        headers: Column titles.
        rows: One sequence of cells per row; cells are turned into strings.

    Returns:
        The table, one line per row, without a trailing newline.
    """
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
