"""A scripted tour: hot, warm and cold BANT qualifications typed and clicked as people would.

The demo drives the same :class:`Bridge` the page uses, so every step is a signed request to the
bot and every answer shows up on the page as it happens.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.simulator.bridge import Bridge
from bot.simulator.demo_scripts import SCRIPTS, VERDICT_WORDS, Answer, Script
from bot.simulator.people import HOT_LEADS

T = TypeVar("T")
ANSWER_BLOCK = "qa_answers"
ACCEPT_ACTION = "handoff_accept"
log = logging.getLogger(__name__)


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
    verdict_words: tuple[str, ...]
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
        lead = self.script.lead.lower()
        for message in thread:
            text = str(message.get("text") or "").lower()
            is_question = any(b.get("block_id") == ANSWER_BLOCK for b, _ in buttons(message))
            if (
                message.get("bot_id")
                and not is_question
                and lead in text
                and any(word in text for word in self.verdict_words)
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
            answer = script.answers.get(criterion, Answer(script.fallback_button))
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
                        if script.lead in json.dumps(m, ensure_ascii=False)
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
    bridge: Bridge,
    *,
    language: str = "en",
    scripts: tuple[Script, ...] | None = None,
    pause: float = 1.2,
) -> list[dict[str, Any]]:
    """Play the scripts one after another.

    Args:
        bridge: The simulator's bridge.
        language: The bot's language; picks the scripts and how verdicts are recognised.
        scripts: The qualifications to play (the language's own by default).
        pause: Seconds between steps, so a person can follow along.

    Returns:
        The verdict message of each script.
    """
    verdicts = []
    words = VERDICT_WORDS.get(language, VERDICT_WORDS["en"])
    for script in scripts or SCRIPTS.get(language, SCRIPTS["en"]):
        verdicts.append(await _Run(bridge, script, pause, words).play())
        await asyncio.sleep(pause)
    return verdicts


class DemoPlayer:
    """Plays the demo once a page has opened, and again whenever the page asks for a replay.

    Started before anyone looks, the demo would be over by the time the page is open; so it
    waits for the page's first connection. All methods run on the page's event loop.

    Args:
        bridge: The simulator's bridge.
        language: The bot's language.
        pause: Seconds between steps.
    """

    def __init__(self, bridge: Bridge, *, language: str = "en", pause: float = 1.2) -> None:
        self.bridge = bridge
        self.language = language
        self.pause = pause
        self.plays = 0
        self.changes = 0
        """Bumped when a play starts or ends, so the page's long poll wakes up to show it."""
        self.verdicts: list[dict[str, Any]] = []
        self._page_open = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Whether a play is under way."""
        return self._task is not None and not self._task.done()

    def page_connected(self) -> None:
        """A page asked for the workspace: the first time, the demo starts."""
        if not self._page_open.is_set():
            self._page_open.set()
            self.replay()

    def replay(self) -> bool:
        """Play the demo (again) unless it is playing; returns whether it started."""
        if self.running:
            return False
        self._task = asyncio.get_running_loop().create_task(self._play())
        return True

    async def wait_until_idle(self) -> None:
        """Wait for the play under way, if any, to finish."""
        if self._task is not None:
            await asyncio.wait({self._task})

    async def cancel(self) -> None:
        """Stop a play under way (the simulator is shutting down)."""
        if self.running:
            assert self._task is not None
            self._task.cancel()
            await asyncio.wait({self._task})

    async def _play(self) -> None:
        self.plays += 1
        self.changes += 1
        try:
            self.verdicts = await play_demo(self.bridge, language=self.language, pause=self.pause)
        except Exception:
            log.exception("the demo stopped")
        finally:
            self.changes += 1

    def status(self) -> dict[str, Any]:
        """What the page shows of the demo."""
        return {"running": self.running, "plays": self.plays}
