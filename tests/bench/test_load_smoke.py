"""The load driver, run tiny (three reps, one qualification each) against real servers."""

from __future__ import annotations

import pytest

from bench.driver import COLD_BANT, HOT_BANT, LoadConfig
from bench.load import load_rows, target_rows
from bench.scenarios import Scenario, run_scenario
from bench.stats import percentile

TINY = LoadConfig(concurrency=3, rounds=1, step_timeout=20.0)


@pytest.fixture(scope="module")
def ours_and_bare() -> tuple:
    return (
        run_scenario(Scenario("sdrbot", 0.0, TINY)),
        run_scenario(Scenario("bare", 0.0, TINY)),
    )


def test_the_bot_reaches_a_verdict_and_stores_every_answer_once(ours_and_bare: tuple) -> None:
    ours, _ = ours_and_bare
    assert ours.load.timeouts == 0
    assert len(ours.load.runs) == 3
    assert ours.load.steps == 3 * len(HOT_BANT)
    assert ours.load.verdicts() == 3
    assert ours.answers is not None
    assert ours.answers.sent == ours.answers.stored == 3 * len(HOT_BANT)
    assert (ours.answers.lost, ours.answers.doubled, ours.answers.missing_qualifications) == (
        0,
        0,
        0,
    )
    assert ours.worker_rss_mb > 0
    assert len(ours.load.event_acks) == ours.load.steps


def test_reps_alternate_scripts_so_both_verdicts_show(ours_and_bare: tuple) -> None:
    ours, _ = ours_and_bare
    finals = sorted(run.final_text.split(" is ")[1].split()[0] for run in ours.load.runs)
    assert finals == ["cold", "hot", "hot"]
    assert COLD_BANT != HOT_BANT


def test_the_bare_app_answers_every_step_and_is_not_checked_in_a_database(
    ours_and_bare: tuple,
) -> None:
    _, bare = ours_and_bare
    assert bare.load.steps == 3 * len(HOT_BANT)
    assert bare.answers is None
    assert len(bare.load.command_acks) == 3


def test_tables_name_every_scenario(ours_and_bare: tuple) -> None:
    ours, bare = ours_and_bare
    rendered = load_rows([ours, bare])
    assert "sdrbot/sqlite w=1" in rendered and "bare w=1" in rendered
    assert "0/0" in rendered
    targets = target_rows((ours, bare), (ours, bare), status_p99=0.005)
    assert "CPU per step" in targets and "/lead status p99" in targets
    # Tiny runs do not promise the targets; each row must still say whether it holds.
    assert all(line.rstrip(" |").endswith(("yes", "NO")) for line in targets.splitlines()[2:])


def test_thinking_reps_pause_between_answers() -> None:
    thinking = LoadConfig(concurrency=2, rounds=1, step_timeout=20.0, think=(0.3, 0.4))
    result = run_scenario(Scenario("bare", 0.0, thinking))
    assert result.load.steps == 2 * len(HOT_BANT)
    # Four answers, each after at least 0.3 s of thought.
    assert result.load.elapsed >= 4 * 0.3


def test_percentile_takes_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile(samples, 1.0) == 100.0
    assert percentile([3.0], 0.99) == 3.0
