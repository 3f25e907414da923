"""CPU per conversation step, in process and without the network between driver and bot.

The real web app (signature check, Bolt, listeners, services, SQLite) is called through
``httpx.ASGITransport``; the Slack stand-in runs on its own thread and is left out of the
figures. Steps run one after another, so nothing queues and the neighbours' load barely moves
the CPU time each thread spends. Transactions run on a single executor thread, so the event
loop's share and the transaction's share can be told apart and profiled separately.

Usage: ``python -m bench.profile_step [--qualifications N] [--profile] [--top K] [--dump DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.driver import DEFAULT_SCRIPTS, BotMessages
from bot.app import create_web_app
from bot.settings import Settings
from bot.standin.payloads import PayloadBuilder, SignedRequest
from bot.standin.server import SlackStandIn

SECRET = "profile-signing-secret"
TOKEN = "xoxb-profile"


@dataclass
class StepProfile:
    """CPU spent on ``steps`` answers.

    Attributes:
        steps: Answers that got the bot's next message.
        loop_cpu: CPU seconds of the event loop thread (HTTP, Bolt, listeners, Web API calls).
        transaction_cpu: CPU seconds of the transaction thread.
        loop_stats: cProfile of the loop thread, when asked for.
        transaction_stats: cProfile of the transaction thread, when asked for.
    """

    steps: int
    loop_cpu: float
    transaction_cpu: float
    loop_stats: pstats.Stats | None = None
    transaction_stats: pstats.Stats | None = None

    def per_step_ms(self) -> tuple[float, float, float]:
        """Loop, transaction and total CPU milliseconds per step."""
        loop = 1000 * self.loop_cpu / self.steps
        transaction = 1000 * self.transaction_cpu / self.steps
        return loop, transaction, loop + transaction


class _TransactionThread:
    """One executor thread that can measure (and optionally profile) itself."""

    def __init__(self, profile: bool) -> None:
        # CPU time of this thread, not wall time: waits for the GIL or the loop are left out.
        self.profiler = cProfile.Profile(time.thread_time) if profile else None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="txn")

    def _cpu(self) -> float:
        return time.thread_time()

    def _start(self) -> float:
        if self.profiler is not None:
            self.profiler.enable()
        return time.thread_time()

    def _stop(self) -> float:
        if self.profiler is not None:
            self.profiler.disable()
        return time.thread_time()

    def start(self) -> float:
        """Start measuring on the thread; returns its CPU time so far."""
        return self.executor.submit(self._start).result()

    def stop(self) -> float:
        """Stop measuring on the thread; returns its CPU time so far."""
        return self.executor.submit(self._stop).result()


async def _settle(standin: SlackStandIn, quiet_polls: int = 4) -> None:
    """Wait until the bot has stopped calling the stand-in (a verdict's card update included)."""
    seen, quiet = -1, 0
    while quiet < quiet_polls:
        await asyncio.sleep(0.005)
        count = len(standin.calls())
        quiet = quiet + 1 if count == seen else 0
        seen = count


async def _send(http: httpx.AsyncClient, request: SignedRequest) -> None:
    response = await http.post("/slack/events", content=request.body, headers=request.headers)
    response.raise_for_status()


async def _qualifications(
    standin: SlackStandIn,
    http: httpx.AsyncClient,
    payloads: PayloadBuilder,
    messages: BotMessages,
    count: int,
    offset: int,
) -> int:
    steps = 0
    for number in range(count):
        channel, user = f"CP{number + offset:05d}", f"UP{number + offset:05d}"
        await _send(
            http,
            payloads.command(
                "/qualify", f"Profile {number + offset}", user_id=user, channel_id=channel
            ),
        )
        card, _ = await messages.next(channel, 10)
        await messages.next(channel, 10)
        await _settle(standin)
        for text in DEFAULT_SCRIPTS[number % len(DEFAULT_SCRIPTS)]:
            ts = standin.post_user_message(channel, user, text, thread_ts=str(card["ts"]))
            request = payloads.message(
                text, user_id=user, channel_id=channel, thread_ts=str(card["ts"]), ts=ts
            )
            await _send(http, request)
            await messages.next(channel, 10)
            await _settle(standin)
            steps += 1
    return steps


async def profile_steps(qualifications: int, *, profile: bool, folder: Path) -> StepProfile:
    """Run ``qualifications`` BANT qualifications in sequence and measure their answer steps.

    The ``/qualify`` commands are measured too (they are part of the load); the CPU is divided
    by answer steps, as the load benchmark does.

    Args:
        qualifications: How many qualifications to run after one warm-up qualification.
        profile: Collect cProfile statistics of both threads.
        folder: Where the SQLite file goes.

    Returns:
        The measurements.
    """
    standin = SlackStandIn(bot_token=TOKEN).start()
    transactions = _TransactionThread(profile)
    asyncio.get_running_loop().set_default_executor(transactions.executor)
    loop_profiler = cProfile.Profile(time.thread_time) if profile else None
    try:
        settings = Settings(
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=standin.api_url,
            database_url=f"sqlite:///{folder / 'profile.db'}",
            alert_channel="CALERTS",
        )
        app = create_web_app(settings)
        messages = BotMessages(asyncio.get_running_loop())
        unsubscribe = standin.subscribe(messages.on_change)
        payloads = PayloadBuilder(
            SECRET, team_id=standin.team_id, response_base=standin.response_url_base
        )
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://bot") as http,
        ):
            await _qualifications(standin, http, payloads, messages, 1, 90_000)
            txn_before = transactions.start()
            loop_before = time.thread_time()
            if loop_profiler is not None:
                loop_profiler.enable()
            steps = await _qualifications(standin, http, payloads, messages, qualifications, 0)
            if loop_profiler is not None:
                loop_profiler.disable()
            loop_cpu = time.thread_time() - loop_before
            txn_cpu = transactions.stop() - txn_before
        unsubscribe()
    finally:
        standin.stop()
        transactions.executor.shutdown(wait=True)
    return StepProfile(
        steps=steps,
        loop_cpu=loop_cpu,
        transaction_cpu=txn_cpu,
        loop_stats=pstats.Stats(loop_profiler) if loop_profiler else None,
        transaction_stats=pstats.Stats(transactions.profiler) if transactions.profiler else None,
    )


def main(argv: list[str] | None = None) -> None:
    """Print CPU ms per step, and the hottest functions of each thread with ``--profile``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qualifications", type=int, default=50, help="4 steps each")
    parser.add_argument("--profile", action="store_true", help="cProfile both threads")
    parser.add_argument("--top", type=int, default=25, help="functions to list per thread")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument(
        "--dump", type=Path, default=None, help="folder for loop.prof and transaction.prof"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sdrbot-profile-") as folder:
        result = asyncio.run(
            profile_steps(args.qualifications, profile=args.profile, folder=Path(folder))
        )
    loop, transaction, total = result.per_step_ms()
    print(
        f"{result.steps} steps: CPU per step {total:.2f} ms "
        f"(event loop {loop:.2f} ms, transaction thread {transaction:.2f} ms)"
    )
    for name, file_name, stats in (
        ("event loop", "loop.prof", result.loop_stats),
        ("transaction", "transaction.prof", result.transaction_stats),
    ):
        if stats is None:
            continue
        if args.dump is not None:
            args.dump.mkdir(parents=True, exist_ok=True)
            stats.dump_stats(args.dump / file_name)
        print(f"\n--- {name} thread ---")
        stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
