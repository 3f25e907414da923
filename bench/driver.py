"""The load driver: C virtual reps qualify leads concurrently through a bot's real endpoint.

Each virtual rep owns a channel. It sends a signed ``/qualify``, learns the card's ts from the
first root message the bot posts in that channel, waits for the first question in the card's
thread, then answers question after question with signed ``message`` events until its script is
done, and starts another qualification while the run lasts. The stand-in tells the driver about
every message the bot posts (a store subscriber), so the time a reply lands is taken when the
stand-in stores it, not when the driver gets round to looking.

Step latency is from sending an answer event to the next bot message in the thread (the next
question or the verdict). Ack latency is the HTTP round trip of each command and event.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.standin.payloads import PayloadBuilder, SignedRequest
from bot.standin.server import SlackStandIn
from bot.standin.store import Change

ACK_DEADLINE = 3.0
"""Slack's limit for acknowledging a command, action or event."""

HOT_BANT = ("Budget approved", "Contact decides", "Clear pain", "This quarter")
COLD_BANT = ("No budget", "No say at all", "No need", "Later or never")
DEFAULT_SCRIPTS: tuple[tuple[str, ...], ...] = (HOT_BANT, COLD_BANT)
"""Answers the bot understands without asking back, so every answer is one step."""


@dataclass(frozen=True)
class LoadConfig:
    """How much load to drive.

    Attributes:
        concurrency: Virtual reps running at once (C).
        duration: Seconds during which reps start new qualifications; each finishes its last.
        rounds: At most this many qualifications per rep (None: as many as fit in ``duration``).
        scripts: Answer lists; rep ``i`` uses them in turn.
        step_timeout: Seconds to wait for a bot reply before giving the rep up.
        think: Seconds a rep thinks before each answer, drawn evenly from (low, high); (0, 0)
            answers as soon as the question is there.
    """

    concurrency: int
    duration: float = 20.0
    rounds: int | None = None
    scripts: Sequence[Sequence[str]] = DEFAULT_SCRIPTS
    step_timeout: float = 30.0
    think: tuple[float, float] = (0.0, 0.0)


@dataclass
class QualificationRun:
    """One qualification as the driver drove it."""

    channel: str
    card_ts: str
    sent: list[str] = field(default_factory=list)
    final_text: str = ""


@dataclass
class LoadResult:
    """What one load run measured.

    Attributes:
        elapsed: Wall seconds from the first request to the last reply.
        steps: Answers that got the bot's next message.
        command_acks: Round trips of ``/qualify`` requests, in seconds.
        event_acks: Round trips of answer events, in seconds.
        step_latencies: Answer sent to next bot message, in seconds.
        ack_violations: Requests answered after 3 s or not with 200.
        timeouts: Waits for a bot message that ran out (the rep then stops).
        reconnects: Requests sent again because the server had closed an idle connection.
        runs: Every qualification started, with the answers that were acknowledged.
    """

    elapsed: float = 0.0
    steps: int = 0
    command_acks: list[float] = field(default_factory=list)
    event_acks: list[float] = field(default_factory=list)
    step_latencies: list[float] = field(default_factory=list)
    ack_violations: int = 0
    timeouts: int = 0
    reconnects: int = 0
    runs: list[QualificationRun] = field(default_factory=list)

    @property
    def steps_per_second(self) -> float:
        """Completed steps per wall second."""
        return self.steps / self.elapsed if self.elapsed else 0.0

    def verdicts(self) -> int:
        """How many qualifications ended with a message naming hot, warm or cold."""
        words = (" hot", " warm", " cold")
        return sum(1 for run in self.runs if any(w in run.final_text.lower() for w in words))


class BotMessages:
    """Hands the bot's new messages to the driver's loop, one queue per channel."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queues: dict[str, asyncio.Queue[tuple[dict[str, Any], float]]] = defaultdict(
            asyncio.Queue
        )

    def on_change(self, change: Change) -> None:
        """Store subscriber; runs on the stand-in's thread, so it only stamps and forwards."""
        if change.get("kind") != "message":
            return
        message = change["message"]
        if not message.get("bot_id"):
            return
        self.loop.call_soon_threadsafe(self._put, message, time.perf_counter())

    def _put(self, message: dict[str, Any], at: float) -> None:
        self.queues[str(message["channel"])].put_nowait((message, at))

    async def next(self, channel: str, timeout: float) -> tuple[dict[str, Any], float]:
        """The bot's next message in ``channel`` and when the stand-in stored it."""
        return await asyncio.wait_for(self.queues[channel].get(), timeout)


@dataclass
class _Context:
    standin: SlackStandIn
    events_url: str
    payloads: PayloadBuilder
    http: aiohttp.ClientSession
    messages: BotMessages
    config: LoadConfig
    result: LoadResult
    deadline: float

    async def _post(self, request: SignedRequest) -> tuple[int, str]:
        async with self.http.post(
            self.events_url, data=request.body, headers=request.headers
        ) as response:
            return response.status, await response.text()

    async def send(self, request: SignedRequest, acks: list[float]) -> tuple[bool, str]:
        """POST a signed request; record its round trip; return (acknowledged, body)."""
        started = time.perf_counter()
        try:
            status, body = await self._post(request)
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            # A pooled connection the server had just closed; the request never got there.
            self.result.reconnects += 1
            status, body = await self._post(request)
        took = time.perf_counter() - started
        acks.append(took)
        if status != 200 or took > ACK_DEADLINE:
            self.result.ack_violations += 1
        return status == 200, body


async def _rep(ctx: _Context, index: int) -> None:
    """One virtual rep: qualifications one after another in its own channel."""
    channel, user = f"CB{index:05d}", f"UB{index:05d}"
    timeout = ctx.config.step_timeout
    round_number = 0
    thinking = random.Random(index)
    while ctx.config.rounds is None or round_number < ctx.config.rounds:
        if round_number and time.perf_counter() >= ctx.deadline:
            return
        script = ctx.config.scripts[(index + round_number) % len(ctx.config.scripts)]
        lead = f"Bench Lead {index}-{round_number}"
        round_number += 1
        try:
            await ctx.send(
                ctx.payloads.command("/qualify", lead, user_id=user, channel_id=channel),
                ctx.result.command_acks,
            )
            card, _ = await ctx.messages.next(channel, timeout)
            await ctx.messages.next(channel, timeout)  # the first question, in the card's thread
        except TimeoutError:
            ctx.result.timeouts += 1
            return
        run = QualificationRun(channel=channel, card_ts=str(card["ts"]))
        ctx.result.runs.append(run)
        for text in script:
            if ctx.config.think[1] > 0:
                await asyncio.sleep(thinking.uniform(*ctx.config.think))
            ts = ctx.standin.post_user_message(channel, user, text, thread_ts=run.card_ts)
            request = ctx.payloads.message(
                text, user_id=user, channel_id=channel, thread_ts=run.card_ts, ts=ts
            )
            started = time.perf_counter()
            acknowledged, _ = await ctx.send(request, ctx.result.event_acks)
            if acknowledged:
                run.sent.append(text)
            try:
                reply, at = await ctx.messages.next(channel, timeout)
            except TimeoutError:
                ctx.result.timeouts += 1
                return
            ctx.result.step_latencies.append(at - started)
            ctx.result.steps += 1
            run.final_text = str(reply.get("text") or "")


async def drive(
    standin: SlackStandIn,
    bot_url: str,
    signing_secret: str,
    config: LoadConfig,
    *,
    warm_up: bool = True,
) -> LoadResult:
    """Run the load against a bot (or the bare app) that talks to ``standin``.

    Args:
        standin: The running Web API stand-in the bot posts to.
        bot_url: The server's base URL.
        signing_secret: The secret the server verifies requests with.
        config: How much load.
        warm_up: Run one qualification first, unmeasured, so lazy imports and caches are warm.

    Returns:
        The measurements; qualifications are listed in ``runs`` for the database check.
    """
    loop = asyncio.get_running_loop()
    messages = BotMessages(loop)
    unsubscribe = standin.subscribe(messages.on_change)
    payloads = PayloadBuilder(
        signing_secret, team_id=standin.team_id, response_base=standin.response_url_base
    )
    # Drop idle connections before uvicorn's 5 s keep-alive closes them under our feet.
    connector = aiohttp.TCPConnector(limit=config.concurrency + 16, keepalive_timeout=2.0)
    timeout = aiohttp.ClientTimeout(total=60)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            events_url = bot_url.rstrip("/") + "/slack/events"
            if warm_up:
                warm = _Context(
                    standin, events_url, payloads, http, messages,
                    LoadConfig(concurrency=1, rounds=1, scripts=config.scripts),
                    LoadResult(), deadline=0.0,
                )  # fmt: skip
                await _rep(warm, 99_999)
            result = LoadResult()
            started = time.perf_counter()
            ctx = _Context(
                standin, events_url, payloads, http, messages, config, result,
                deadline=started + config.duration,
            )  # fmt: skip
            await asyncio.gather(*(_rep(ctx, i) for i in range(config.concurrency)))
            result.elapsed = time.perf_counter() - started
            return result
    finally:
        unsubscribe()
