"""Timing of the answer reader over the labelled corpus, and on a 40,000-character answer.

Run: ``python bench/bench_reading.py``. Prints p50 / p99 per answer over every line of
``tests/flows/corpus/*.jsonl`` (earlier ``known`` answers read first, as the bot does) and the
time for answers of Slack's maximum length, which must stay under 50 ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flows.config import load_frameworks
from flows.model import Assessment, Framework
from flows.understanding import understand

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "flows" / "corpus"
TODAY = date(2026, 12, 1)
LONG_LIMIT_MS = 50.0
SLACK_MAX = 40_000


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e6


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _corpus_timings(frameworks: dict[str, Framework]) -> list[float]:
    samples: list[float] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            framework = frameworks[record["framework"]]
            today = date.fromisoformat(record.get("today", TODAY.isoformat()))
            lang = "de" if record["lang"] == "mix" else record["lang"]
            known: dict[str, Assessment] = {}
            for key, text in record.get("known", {}).items():
                earlier = understand(
                    framework.criterion(key),
                    text,
                    lang=lang,
                    thresholds=framework.thresholds,
                    today=today,
                )
                if isinstance(earlier, Assessment):
                    known[key] = earlier
            criterion = framework.criterion(record["criterion"])
            samples.append(
                _ms(
                    lambda c=criterion, r=record, f=framework, d=today, k=known, lg=lang: (
                        understand(
                            c, r["answer"], lang=lg, thresholds=f.thresholds, today=d, known=k
                        )
                    )
                )
            )
    return samples


def _long_answers() -> dict[str, str]:
    sentence = (
        "long call today, they said the budget is probably there but the CFO signs anything "
        "above 25k; Zeitplan eher nach dem Sommer, aber kein Problem mit dem Bedarf. "
    )
    return {
        "rambling prose": (sentence * (SLACK_MAX // len(sentence) + 1))[:SLACK_MAX],
        "one endless word": "a" * SLACK_MAX,
        "digits": "1" * SLACK_MAX,
        "slack tokens": ("<@U0ABC123> *x* _y_ ~z~ :+1: " * 2000)[:SLACK_MAX],
        "separators": ("no, " * 10_000)[:SLACK_MAX],
    }


def main() -> int:
    """Print the timings; returns 1 when a long answer took 50 ms or more."""
    frameworks = load_frameworks()
    # The first reading compiles nothing new but warms caches; keep it out of the figures.
    bant = frameworks["bant"]
    understand(bant.criterion("budget"), "50k", lang="en", thresholds=bant.thresholds)
    samples = _corpus_timings(frameworks)
    if samples:
        print(
            f"corpus: {len(samples)} answers   p50 {_percentile(samples, 0.5):6.3f} ms"
            f"   p99 {_percentile(samples, 0.99):6.3f} ms"
            f"   mean {statistics.fmean(samples):6.3f} ms"
        )
    else:
        print(f"corpus: no answers found in {CORPUS}")
    worst = 0.0
    for name, text in _long_answers().items():
        timings = [
            min(
                _ms(lambda c=c, f=f, t=text: understand(c, t, lang="en", thresholds=f.thresholds))
                for _ in range(3)
            )
            for f in frameworks.values()
            for c in f.criteria
        ]
        slowest = max(timings)
        worst = max(worst, slowest)
        print(f"{len(text):,}-character answer ({name}): slowest criterion {slowest:6.1f} ms")
    print(f"limit {LONG_LIMIT_MS:.0f} ms: {'ok' if worst < LONG_LIMIT_MS else 'TOO SLOW'}")
    return 0 if worst < LONG_LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
