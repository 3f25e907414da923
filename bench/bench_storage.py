"""Time one conversation step (claim the event keys, load the qualification, save an answer).

Runs on a throwaway SQLite file and a throwaway PostgreSQL database and prints, per database,
the step time next to a same-run baseline (a transaction doing a bare ``SELECT 1``) and the
ratio of the two, so figures stay comparable across machines.

Usage: ``python bench/bench_storage.py [--steps N] [--skip-postgres]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from storage.db import make_engine, prepare, session_scope
from storage.events import claim_events
from storage.leads import get_or_create_lead
from storage.models import AnswerCreate
from storage.qualifications import load_step, save_step, start_qualification

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
THREAD = {"channel_id": "C_BENCH", "thread_ts": "1700000000.000100"}


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A throwaway SQLite file URL."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL database URL, dropped afterwards."""
    name = f"sdrbot_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _seed(engine: Engine) -> None:
    with session_scope(engine) as session:
        lead, _ = get_or_create_lead(session=session, team_id="T1", name="Bench Corp")
        assert lead.id is not None
        start_qualification(
            session=session,
            team_id="T1",
            lead_id=lead.id,
            rep_id="U1",
            framework="bant",
            language="en",
            machine_state="ask_budget",
            conversation={"framework": "bant", "answers": {}},
            **THREAD,
        )


def _step(engine: Engine, index: int) -> None:
    with session_scope(engine) as session:
        # Fresh keys every call: warm-up and timed runs reuse the same indexes.
        delivery = uuid.uuid4().hex
        assert claim_events(
            session=session, team_id="T1", event_ids=[f"Ev{delivery}", f"msg:{delivery}"]
        )
        loaded = load_step(session=session, team_id="T1", **THREAD)
        assert loaded is not None
        qualification, _ = loaded
        answers = dict(qualification.conversation["answers"])
        criterion = ("budget", "authority", "need", "timeline")[index % 4]
        answers[criterion] = {"status": "met", "value": index, "evidence": f"answer {index}"}
        save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state=f"ask_{criterion}",
            conversation={"framework": "bant", "answers": answers},
            status="active",
            answer=AnswerCreate(criterion=criterion, text=f"answer {index}", status="met"),
            actor_id="U1",
        )


def _baseline(engine: Engine, _index: int) -> None:
    with session_scope(engine) as session:
        session.execute(text("SELECT 1")).scalar()


def _time(fn: Callable[[Engine, int], None], engine: Engine, runs: int) -> list[float]:
    for index in range(min(20, runs)):  # warm the pool and statement caches
        fn(engine, index)
    samples = []
    for index in range(runs):
        started = time.perf_counter()
        fn(engine, index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench(label: str, url: str, runs: int) -> None:
    """Print step and baseline timings for the database at ``url``."""
    engine = make_engine(url)
    try:
        prepare(engine)
        _seed(engine)
        baseline = _time(_baseline, engine, runs)
        steps = _time(_step, engine, runs)
    finally:
        engine.dispose()
    base_median, step_median = statistics.median(baseline), statistics.median(steps)
    step_p95 = statistics.quantiles(steps, n=20)[-1]
    print(
        f"{label:<10} step median {step_median:7.3f} ms  p95 {step_p95:7.3f} ms | "
        f"baseline SELECT 1 median {base_median:7.3f} ms | ratio {step_median / base_median:5.1f}x"
        f"  ({runs} runs)"
    )


def main() -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with sqlite_database() as url:
        bench("sqlite", url, args.steps)
    if not args.skip_postgres:
        with postgres_database() as url:
            bench("postgresql", url, args.steps)


if __name__ == "__main__":
    main()
