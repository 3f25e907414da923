"""Every load figure in one run: bot vs bare Bolt, scale-out on PostgreSQL, data at scale.

Run: ``.venv/bin/python -m bench.load`` (about 5 minutes) or ``--quick`` (about 1.5 minutes).
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


def ratio_rows(pairs: Sequence[tuple[ScenarioResult, ScenarioResult]]) -> str:
    """Ours / bare per worker count and latency: throughput, ack p99 (all acks), CPU per step."""
    rows = []
    for ours, bare in pairs:
        rows.append(
            [
                ours.scenario.workers,
                f"{ours.scenario.latency * 1000:.0f}",
                ratio(ours.load.steps_per_second, bare.load.steps_per_second),
                ratio(percentile(_acks(ours), 0.99), percentile(_acks(bare), 0.99)),
                ratio(
                    percentile(ours.load.event_acks, 0.99), percentile(bare.load.event_acks, 0.99)
                ),
                ratio(ours.cpu_ms_per_step, bare.cpu_ms_per_step),
            ]
        )
    headers = ["w", "L ms", "steps/s ours/bare", "ack p99 ours/bare", "event ack p99", "CPU/step"]
    return table(headers, rows)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small load, short runs")
    parser.add_argument("--concurrency", type=int, help="virtual reps (default 200, quick 20)")
    parser.add_argument("--duration", type=float, help="seconds of load (default 20, quick 5)")
    parser.add_argument("--leads", type=int, help="leads for data at scale (default 100000)")
    parser.add_argument("--skip-scale", action="store_true", help="no PostgreSQL scale-out")
    parser.add_argument("--skip-data", action="store_true", help="no data-at-scale run")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--latencies", default="0,100", help="stand-in latencies L in ms, comma-separated"
    )
    parser.add_argument(
        "--workers",
        default="1",
        help="worker processes of both servers in the bot vs bare runs, comma-separated "
        "(e.g. 1,2: each count is run for both)",
    )
    args = parser.parse_args(argv)
    concurrency = args.concurrency or (20 if args.quick else 200)
    duration = args.duration or (5.0 if args.quick else 20.0)
    leads = args.leads or (10_000 if args.quick else 100_000)
    load = LoadConfig(concurrency=concurrency, duration=duration)
    out: list[str] = []
    cores = os.cpu_count() or 1
    _say(f"Machine: {machine()}", out)
    _say(f"Command: {' '.join(['python -m bench.load', *(argv or sys.argv[1:])])}", out)

    results: list[ScenarioResult] = []
    pairs = []
    worker_counts = [int(value) for value in args.workers.split(",") if value.strip()]
    for workers in worker_counts:
        for latency in [float(v) / 1000 for v in args.latencies.split(",") if v.strip()]:
            bare = run_scenario(Scenario("bare", latency, load, workers))
            ours = run_scenario(Scenario("sdrbot", latency, load, workers))
            results += [ours, bare]
            pairs.append((ours, bare))
    _say("\n## sdrbot (SQLite) and a bare Bolt app, C concurrent qualifications\n", out)
    _say(load_rows(results), out)
    _say("\n## Ratios, same run\n", out)
    _say(ratio_rows(pairs), out)

    if not args.skip_scale:
        scaled = []
        for workers in (1, 2) if args.quick else (1, 2, 4):
            with postgres_database() as url:
                scaled.append(run_scenario(Scenario("sdrbot", 0.1, load, workers, url)))
        _say("\n## Scale-out on PostgreSQL, L = 100 ms\n", out)
        _say(load_rows(scaled), out)
        _say("", out)
        _say(scale_rows(scaled), out)
        if cores < 4:
            _say(f"\nThis machine has {cores} cores: more than {cores} workers cannot scale.", out)

    if not args.skip_data:
        with tempfile.TemporaryDirectory(prefix="sdrbot-scale-") as folder:
            url = f"sqlite:///{Path(folder) / 'scale.db'}"
            took = seed(url, leads)
            samples = 100 if args.quick else 300
            kinds = time_commands(url, leads, samples, Path(folder))
            report = time_report_command(url, Path(folder))
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
    _say(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}", out)
    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
