"""Every load figure in one run against the targets of docs/PERFORMANCE.md.

The bot and a bare Bolt app that stores nothing run the same loads in the same run: reps who
think between answers (what a team feels), then reps answering without pause (what the bot
bears); then ``/lead status`` on a large database. Run: ``.venv/bin/python -m bench.load``
(about 10 minutes, most of it seeding a million leads) or ``--quick`` (about 2 minutes).
Prints the machine, then Markdown tables; ``--markdown FILE`` writes them to a file as well.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.data_scale import seed, time_commands, time_report_command
from bench.databases import postgres_database
from bench.driver import LoadConfig
from bench.scenarios import Scenario, ScenarioResult, run_scenario
from bench.stats import ms, percentile, ratio, table


def machine() -> str:
    """One line naming the machine: cores, CPU model, RAM, Python, load average."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model}), {ram_gib:.0f} GiB RAM, "
        f"Python {platform.python_version()}, load average {load}"
    )


def _acks(result: ScenarioResult) -> list[float]:
    return result.load.command_acks + result.load.event_acks


def load_rows(results: Sequence[ScenarioResult]) -> str:
    """The main table: one row per scenario."""
    headers = [
        "server", "L ms", "C", "steps", "steps/s", "cmd ack p50/p99/max ms",
        "event ack p50/p99/max ms", "step p50/p99 ms", ">3 s acks", "timeouts",
        "lost/doubled", "worker RSS MB", "CPU ms/step",
    ]  # fmt: skip
    rows = []
    for r in results:
        load = r.load
        lost = f"{r.answers.lost}/{r.answers.doubled}" if r.answers else "n/a"
        rows.append(
            [
                r.scenario.label,
                f"{r.scenario.latency * 1000:.0f}",
                r.scenario.load.concurrency,
                load.steps,
                f"{load.steps_per_second:.1f}",
                "/".join(ms(percentile(load.command_acks, q)) for q in (0.5, 0.99, 1.0)),
                "/".join(ms(percentile(load.event_acks, q)) for q in (0.5, 0.99, 1.0)),
                "/".join(ms(percentile(load.step_latencies, q)) for q in (0.5, 0.99)),
                load.ack_violations,
                load.timeouts,
                lost,
                f"{r.worker_rss_mb:.0f}",
                f"{r.cpu_ms_per_step:.1f}",
            ]
        )
    return table(headers, rows)


def target_rows(
    thinking: tuple[ScenarioResult, ScenarioResult],
    busy: tuple[ScenarioResult, ScenarioResult],
    status_p99: float | None,
) -> str:
    """Each target of docs/PERFORMANCE.md, the figure measured in this run, and whether it holds."""
    (think_ours, think_bare), (busy_ours, busy_bare) = thinking, busy
    cpu = busy_ours.cpu_ms_per_step / busy_bare.cpu_ms_per_step if busy_bare.cpu_ms_per_step else 0
    step_gap = percentile(think_ours.load.step_latencies, 0.99) - percentile(
        think_bare.load.step_latencies, 0.99
    )
    late = think_ours.load.ack_violations + busy_ours.load.ack_violations
    answers = busy_ours.answers
    lost = f"{answers.lost}/{answers.doubled}" if answers else "n/a"
    rows = [
        ["CPU per step, ours / bare (reps without pause)", "<= 3x", f"{cpu:.2f}x", cpu <= 3],
        [
            "step p99, ours - bare (reps thinking 1-4 s)",
            "<= 100 ms",
            ms(step_gap),
            step_gap <= 0.1,
        ],
        ["acks over 3 s or not 200 (both runs)", "0", late, late == 0],
        ["answers lost / doubled (reps without pause)", "0/0", lost, lost == "0/0"],
        [
            "worker RSS (reps without pause)",
            "< 150 MB",
            f"{busy_ours.worker_rss_mb:.0f} MB",
            busy_ours.worker_rss_mb < 150,
        ],
    ]
    if status_p99 is not None:
        rows.append(["/lead status p99", "< 20 ms", ms(status_p99), status_p99 < 0.02])
    return table(
        ["target", "aim", "measured", "met"],
        [[*row[:3], "yes" if row[3] else "NO"] for row in rows],
    )


def scale_rows(results: Sequence[ScenarioResult]) -> str:
    """Scale-out: throughput of N workers against one."""
    base = results[0].load.steps_per_second if results else 0.0
    rows = [
        [
            r.scenario.workers,
            f"{r.load.steps_per_second:.1f}",
            ratio(r.load.steps_per_second, base),
            ms(percentile(_acks(r), 0.99)),
            ms(percentile(r.load.step_latencies, 0.99)),
            f"{r.answers.lost}/{r.answers.doubled}" if r.answers else "n/a",
            f"{r.worker_rss_mb:.0f}",
        ]
        for r in results
    ]
    headers = ["workers", "steps/s", "vs 1 worker", "ack p99 ms", "step p99 ms", "lost/doubled"]
    return table([*headers, "worker RSS MB"], rows)


def _say(text: str, out: list[str]) -> None:
    print(text, flush=True)
    out.append(text)


def _say(text: str, out: list[str]) -> None:
    print(text, flush=True)
    out.append(text)


def _pair(load: LoadConfig, latency: float) -> tuple[ScenarioResult, ScenarioResult]:
    """The bot and the bare Bolt app under the same load, bare first."""
    bare = run_scenario(Scenario("bare", latency, load))
    ours = run_scenario(Scenario("sdrbot", latency, load))
    return ours, bare


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small load, short runs")
    parser.add_argument("--leads", type=int, help="leads for data at scale (default 1000000)")
    parser.add_argument("--skip-scale", action="store_true", help="no PostgreSQL scale-out")
    parser.add_argument("--skip-data", action="store_true", help="no data-at-scale run")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    quick = args.quick
    latency = 0.1
    thinking_load = LoadConfig(
        concurrency=30 if quick else 300, duration=8.0 if quick else 30.0, think=(1.0, 4.0)
    )
    busy_load = LoadConfig(concurrency=20 if quick else 200, duration=5.0 if quick else 20.0)
    leads = args.leads or (10_000 if quick else 1_000_000)
    out: list[str] = []
    cores = os.cpu_count() or 1
    _say(f"Machine: {machine()}", out)
    _say(f"Command: {' '.join(['python -m bench.load', *(argv or sys.argv[1:])])}", out)

    thinking = _pair(thinking_load, latency)
    busy = _pair(busy_load, latency)
    _say(
        f"\n## sdrbot (SQLite) and a bare Bolt app, L = {latency * 1000:.0f} ms: "
        f"{thinking_load.concurrency} reps thinking 1-4 s, then "
        f"{busy_load.concurrency} reps answering without pause\n",
        out,
    )
    _say(load_rows([*thinking, *busy]), out)

    status_p99: float | None = None
    if not args.skip_data:
        with tempfile.TemporaryDirectory(prefix="sdrbot-scale-") as folder:
            url = f"sqlite:///{Path(folder) / 'scale.db'}"
            took = seed(url, leads)
            samples = 100 if quick else 300
            kinds = time_commands(url, leads, samples, Path(folder))
            report = time_report_command(url, Path(folder))
        status_p99 = percentile(kinds[0].samples, 0.99)
        _say(f"\n## Data at scale (SQLite): {leads} leads, {4 * leads} answers\n", out)
        _say(f"Bulk insert: {took:.1f} s", out)
        rows = [
            [
                k.label,
                len(k.samples),
                ms(percentile(k.samples, 0.5)),
                ms(percentile(k.samples, 0.99)),
            ]
            for k in kinds
        ]
        _say(table(["command", "n", "p50 ms", "p99 ms"], rows), out)
        _say(f"sdrbot report: {report}", out)

    _say("\n## Targets\n", out)
    _say(target_rows(thinking, busy, status_p99), out)

    if not args.skip_scale:
        scaled = []
        for workers in (1, 2):
            with postgres_database() as url:
                scaled.append(run_scenario(Scenario("sdrbot", latency, busy_load, workers, url)))
        _say("\n## PostgreSQL, 1 and 2 workers, reps without pause\n", out)
        _say(load_rows(scaled), out)
        _say("", out)
        _say(scale_rows(scaled), out)
        if cores < 4:
            _say(
                f"\nThis machine has {cores} cores, shared by the driver, the stand-in, the "
                "database and the workers.",
                out,
            )
    _say(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}", out)
    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
