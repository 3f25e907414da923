"""Bursts on one ``sdrbot serve`` process, on SQLite and PostgreSQL: 300 simultaneous
``/qualify`` each start exactly one qualification with exactly one first question, then 300
simultaneous answers each produce exactly one next question."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.standin.sender import AsyncSlackSender
from bot.standin.server import SlackStandIn
from tests.reliability.conftest import SECRET, BotProcess, Database, rows

BURST = 300
CHANNELS = 30
"""Ten reps to a channel: several qualifications start side by side in each."""
PHASE_SECONDS = 45
"""Each phase, sending and Slack's side settled, must finish within this (both in about 60 s)."""


def _rep(n: int) -> tuple[str, str, str]:
    """Rep ``n``'s user id, channel and lead."""
    return f"UBURST{n:03d}", f"CBURST{n % CHANNELS:02d}", f"Burst Lead {n:03d}"


def _threads(standin: SlackStandIn) -> dict[str, tuple[str, str, list[dict[str, Any]]]]:
    """Lead name -> (channel, card ts, the bot's replies in the card's thread)."""
    found: dict[str, tuple[str, str, list[dict[str, Any]]]] = {}
    for channel in {_rep(n)[1] for n in range(BURST)}:
        messages = standin.messages(channel)
        for card in messages:
            if not card.get("bot_id") or card.get("thread_ts") not in (None, card["ts"]):
                continue
            lead = card["text"].removeprefix("Qualifying ").rsplit(" with ", 1)[0]
            replies = [
                m
                for m in messages
                if m.get("thread_ts") == card["ts"] and m["ts"] != card["ts"] and m.get("bot_id")
            ]
            assert lead not in found, f"two cards for {lead}"
            found[lead] = (channel, card["ts"], replies)
    return found


def _settle(standin: SlackStandIn, replies_each: int, started: float) -> dict[str, Any]:
    """Wait until every lead's thread holds ``replies_each`` bot replies, then a moment more
    (for a duplicate to show); fail after ``PHASE_SECONDS``."""
    while True:
        threads = _threads(standin)
        if len(threads) == BURST and all(len(t[2]) >= replies_each for t in threads.values()):
            break
        assert time.monotonic() - started < PHASE_SECONDS, (
            f"{len(threads)} cards, {sum(len(t[2]) >= replies_each for t in threads.values())}"
            f" threads with {replies_each} replies after {PHASE_SECONDS} s"
        )
        time.sleep(0.25)
    time.sleep(1.5)
    return _threads(standin)


async def _all_at_once(calls: list[Callable[[], Any]]) -> list[httpx.Response]:
    return list(await asyncio.gather(*(call() for call in calls)))


@pytest.fixture
def burst_bot(
    standin: SlackStandIn, database: Database, team_config: Path, tmp_path: Path
) -> Iterator[BotProcess]:
    """``sdrbot serve`` with Slack's calls given the default ten seconds: the suite's one
    second (for quick takeovers after a crash) counts 300 posts queued at once on a loaded
    machine as timeouts, whose outcome then waits for history reads."""
    bot = BotProcess(standin, database, team_config, tmp_path)
    bot.env["SDRBOT_SLACK_TIMEOUT"] = "10"
    try:
        yield bot.start()
    finally:
        bot.stop()


@pytest.mark.slow
def test_300_simultaneous_qualifies_then_answers_each_take_effect_exactly_once(
    standin: SlackStandIn, database: Database, burst_bot: BotProcess
) -> None:
    bot = burst_bot

    async def qualify_all() -> list[httpx.Response]:
        async with AsyncSlackSender(
            bot.url, SECRET, team_id=standin.team_id, response_base=standin.response_url_base
        ) as sender:
            calls = []
            for n in range(BURST):
                user, channel, lead = _rep(n)
                calls.append(
                    lambda u=user, c=channel, lead=lead: sender.command(
                        "/qualify", lead, user_id=u, channel_id=c
                    )
                )
            return await _all_at_once(calls)

    started = time.monotonic()
    answers = asyncio.run(qualify_all())
    answered = time.monotonic() - started
    assert Counter(r.status_code for r in answers) == {200: BURST}
    # The first request asked Slack who the bot is; the other 299 used its answer.
    assert len(standin.calls("auth.test")) == 1
    # A "try again" would be in the command's answer; a started qualification answers nothing.
    assert [r.text for r in answers if r.text.strip()] == []
    threads = _settle(standin, 1, started)
    first_phase = time.monotonic() - started
    assert sorted(threads) == sorted(_rep(n)[2] for n in range(BURST))
    doubled = {lead: len(t[2]) for lead, t in threads.items() if len(t[2]) != 1}
    assert doubled == {}
    assert all(t[2][0]["text"].startswith("Question 1 of 4") for t in threads.values())
    assert rows(database, "SELECT status, count(*) FROM qualification GROUP BY status") == [
        ("active", BURST)
    ]

    async def answer_all() -> list[httpx.Response]:
        async with AsyncSlackSender(
            bot.url, SECRET, team_id=standin.team_id, response_base=standin.response_url_base
        ) as sender:
            calls = []
            for n in range(BURST):
                user, channel, lead = _rep(n)
                _, card_ts, _ = threads[lead]
                ts = standin.post_user_message(channel, user, "Budget approved", thread_ts=card_ts)
                calls.append(
                    lambda u=user, c=channel, card=card_ts, ts=ts: sender.message(
                        "Budget approved", user_id=u, channel_id=c, thread_ts=card, ts=ts
                    )
                )
            return await _all_at_once(calls)

    started = time.monotonic()
    replies = asyncio.run(answer_all())
    replied = time.monotonic() - started
    assert Counter(r.status_code for r in replies) == {200: BURST}
    threads = _settle(standin, 2, started)
    second_phase = time.monotonic() - started
    doubled = {lead: len(t[2]) for lead, t in threads.items() if len(t[2]) != 2}
    assert doubled == {}
    assert all("Question 2 of 4" in t[2][1]["text"] for t in threads.values())
    assert rows(database, "SELECT criterion, count(*) FROM answer GROUP BY criterion") == [
        ("budget", BURST)
    ]
    print(
        f"{database.kind}: {BURST} /qualify answered in {answered:.1f} s, all first questions"
        f" posted after {first_phase:.1f} s; {BURST} answers acknowledged in {replied:.1f} s,"
        f" all next questions posted after {second_phase:.1f} s"
    )
    assert "Traceback" not in bot.logs()
