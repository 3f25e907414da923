"""Timing of the domain hot paths: evaluate(), understand() and one conversation step.

Run: ``python bench/bench_evaluate.py``. Each figure is set against a same-run baseline (a dict
copy of the answers, a casefold of the text) so results compare across machines as ratios.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date

from flows.config import load_frameworks
from flows.conversation import Engine, build_machine
from flows.model import Assessment, Framework, Status
from flows.scoring import evaluate
from flows.understanding import understand

ANSWERS = {
    "budget": ["50k EUR approved", "no budget yet", "€50.000", "being planned", "1,5 Mio"],
    "authority": ["I am the CFO and I sign", "muss meinen Chef fragen", "no idea who decides"],
    "need": ["our CRM loses leads every week", "nice to have", "kein Bedarf"],
    "timeline": ["within 6 weeks", "Q3", "maybe next year", "in zwei Monaten", "ASAP"],
}


def _measure(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def _summary(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.fmean(ordered), ordered[int(len(ordered) * 0.99) - 1]


def _report(name: str, samples: Sequence[float], baseline: Sequence[float]) -> None:
    mean, p99 = _summary(samples)
    base_mean, _ = _summary(baseline)
    print(f"{name:42} mean {mean:8.1f} us   p99 {p99:8.1f} us   x{mean / base_mean:7.1f} baseline")


def _answer_sets(framework: Framework, count: int, rng: random.Random) -> list[dict]:
    statuses = list(Status)
    return [
        {c.key: Assessment(status=rng.choice(statuses)) for c in framework.criteria}
        for _ in range(count)
    ]


def main() -> int:
    """Print the timings; returns the process exit code."""
    rng = random.Random(7)
    frameworks = load_frameworks()
    for key in ("bant", "meddpicc"):
        framework = frameworks[key]
        sets = _answer_sets(framework, 2000, rng)
        copies = iter(sets)
        baseline = _measure(lambda c=copies: dict(next(c)), len(sets))
        verdicts = iter(sets)
        samples = _measure(lambda fw=framework, v=verdicts: evaluate(fw, next(v)), len(sets))
        _report(f"evaluate({key})", samples, baseline)

    bant = frameworks["bant"]
    today = date(2026, 5, 4)
    pairs = [(k, t) for k, texts in ANSWERS.items() for t in texts] * 200
    it3 = iter(pairs)
    baseline = _measure(lambda: next(it3)[1].casefold(), len(pairs))
    it4 = iter(pairs)

    def one_understand() -> object:
        key, text = next(it4)
        return understand(
            bant.criterion(key), text, lang="en", thresholds=bant.thresholds, today=today
        )

    _report("understand() per answer", _measure(one_understand, len(pairs)), baseline)

    engine = Engine(frameworks, today=lambda: today)

    def step_cached() -> object:
        conversation, _ = engine.start("bant", lang="en")
        return engine.step(conversation, "answer", "50k EUR approved")

    def step_fresh_machine() -> object:
        machine = build_machine(bant)
        conversation, _ = engine.start("bant", lang="en")
        machine.add_model(conversation, initial=conversation.state)
        machine.events["ask_authority"].trigger(conversation)
        machine.remove_model(conversation)
        return conversation

    cached = _measure(step_cached, 2000)
    _report("start+step, cached machine + lock", cached, baseline)
    _report("start+step, machine built per call", _measure(step_fresh_machine, 2000), baseline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
