"""A scripted tour: hot, warm and cold BANT qualifications typed and clicked as people would.

The demo drives the same :class:`Bridge` the page uses, so every step is a signed request to the
bot and every answer shows up on the page as it happens.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.simulator.bridge import Bridge
from bot.simulator.people import ALEX, HOT_LEADS, RILEY, SALES, SAM

T = TypeVar("T")
ANSWER_BLOCK = "qa_answers"
ACCEPT_ACTION = "handoff_accept"


@dataclass(frozen=True, slots=True)
class Answer:
    """How the rep answers one question: the button to click, or words to type first."""

    button: str
    typed: str | None = None


@dataclass(frozen=True, slots=True)
class Script:
    """One qualification from ``/qualify`` to the verdict (and the handoff, if hot)."""

    lead: str
    rep: str
    answers: dict[str, Answer]
    accept_by: str | None = None
    channel: str = SALES


SCRIPTS: tuple[Script, ...] = (
    Script(
        lead="Acme Corp",
        rep=RILEY,
        answers={
            "budget": Answer("Budget approved", "80k EUR are approved for this"),
            "authority": Answer("Contact decides"),
            "need": Answer("Clear pain", "Manual lead routing loses them deals every week"),
            "timeline": Answer("This quarter"),
        },
        accept_by=ALEX,
    ),
    Script(
        lead="Globex",
        rep=SAM,
        answers={
            "budget": Answer("Budget being planned"),
            "authority": Answer("Contact decides"),
            "need": Answer("Clear pain"),
            "timeline": Answer("Later or never"),
        },
    ),
    Script(
        lead="Initech",
        rep=RILEY,
        answers={
            "budget": Answer("No budget"),
            "authority": Answer("No say at all"),
            "need": Answer("Nice to have"),
            "timeline": Answer("Later or never"),
        },
    ),
)


def buttons(message: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield ``(actions block, button)`` for every button of a message."""
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                if element.get("type") == "button":
                    yield block, element


def button_data(element: dict[str, Any]) -> dict[str, Any]:
    """The JSON packed into a button's value (empty when it is not JSON)."""
    try:
        data = json.loads(element.get("value") or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def wait_until(probe: Callable[[], T | None], timeout: float = 20.0) -> T:
    """Poll ``probe`` until it returns something, without blocking the event loop."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise TimeoutError("the bot did not answer in time")


@dataclass
class _Run:
    bridge: Bridge
    script: Script
    pause: float
    handled: set[str] = field(default_factory=set)
    typed: set[str] = field(default_factory=set)

    async def click(
        self, message: dict[str, Any], block: dict[str, Any], element: dict[str, Any], user: str
    ) -> None:
        await self.bridge.click(
            user,
            {
                "action_id": element["action_id"],
                "block_id": block.get("block_id"),
                "value": element.get("value"),
                "channel": message["channel"],
                "message_ts": message["ts"],
                "thread_ts": message.get("thread_ts"),
            },
        )

    def next_question(self, root_ts: str) -> tuple[dict[str, Any], str] | None:
        thread = self.bridge.standin.messages(self.script.channel, thread_ts=root_ts)
        for message in reversed(thread):
            if message["ts"] in self.handled or not message.get("bot_id"):
                continue
            for block, element in buttons(message):
                if block.get("block_id") == ANSWER_BLOCK:
                    return message, str(button_data(element).get("c") or "")
        return None

    def verdict(self, root_ts: str) -> dict[str, Any] | None:
        thread = self.bridge.standin.messages(
            self.script.channel, thread_ts=root_ts, include_root=False
        )
        for message in thread:
            text = str(message.get("text") or "").lower()
            if (
                message.get("bot_id")
                and not any(buttons(message))
                and any(word in text for word in ("hot", "warm", "cold"))
            ):
                return message
        return None

    async def play(self) -> dict[str, Any]:
        script, standin = self.script, self.bridge.standin
        before = {m["ts"] for m in standin.messages(script.channel)}
        await self.bridge.send_text(script.rep, script.channel, f"/qualify {script.lead}")
        root = await wait_until(
            lambda: next(
                (
                    m
                    for m in standin.messages(script.channel)
                    if m["ts"] not in before
                    and m.get("bot_id")
                    and script.lead in m.get("text", "")
                ),
                None,
            )
        )
        root_ts = root["ts"]
        while True:
            found = await wait_until(lambda: self.next_question(root_ts) or self.verdict(root_ts))
            if isinstance(found, dict):
                break
            message, criterion = found
            self.handled.add(message["ts"])
            await asyncio.sleep(self.pause)
            answer = script.answers.get(criterion, Answer("Don't know"))
            if answer.typed and criterion not in self.typed:
                self.typed.add(criterion)
                await self.bridge.send_text(script.rep, script.channel, answer.typed, root_ts)
                continue
            choice = next(
                ((b, e) for b, e in buttons(message) if e["text"]["text"] == answer.button),
                None,
            ) or next(iter(buttons(message)))
            await self.click(message, *choice, user=script.rep)
        verdict = await wait_until(lambda: self.verdict(root_ts))
        if script.accept_by:
            await asyncio.sleep(self.pause)
            alert = await wait_until(
                lambda: next(
                    (
                        m
                        for m in standin.messages(HOT_LEADS)
                        if script.lead in json.dumps(m)
                        and any(e["action_id"] == ACCEPT_ACTION for _, e in buttons(m))
                    ),
                    None,
                )
            )
            block, element = next(
                (b, e) for b, e in buttons(alert) if e["action_id"] == ACCEPT_ACTION
            )
            await self.click(alert, block, element, user=script.accept_by)
        return verdict


async def play_demo(
    bridge: Bridge, *, scripts: tuple[Script, ...] = SCRIPTS, pause: float = 1.2
) -> list[dict[str, Any]]:
    """Play the scripts one after another.

    Args:
        bridge: The simulator's bridge.
        scripts: The qualifications to play.
        pause: Seconds between steps, so a person can follow along.

    Returns:
        The verdict message of each script.
    """
    verdicts = []
    for script in scripts:
        verdicts.append(await _Run(bridge, script, pause).play())
        await asyncio.sleep(pause)
    return verdicts
