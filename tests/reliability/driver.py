"""Drives many qualifications through the real endpoint the way Slack and a rep would, with
redeliveries, and reads back what ended up in the stand-in and the database."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bot.standin.payloads import SignedRequest
from bot.standin.sender import SlackSender
from bot.standin.server import SlackStandIn
from tests.reliability.conftest import AE, ALERT_CHANNEL, REP, Database

ANSWERS: dict[str, list[str]] = {
    "hot": ["Budget approved", "Contact decides", "Clear pain", "This quarter"],
    "warm": ["Budget approved", "Contact decides", "Clear pain", "Later or never"],
    "cold": ["No budget", "No say at all", "No need", "Later or never"],
}
ANSWER_ACTION = "qa_answer"


@dataclass
class Planned:
    """One qualification to run and what it must end as."""

    index: int
    expected: str

    @property
    def lead(self) -> str:
        return f"Reliable {self.index:03d} GmbH"

    @property
    def channel(self) -> str:
        # One channel per qualification keeps its card the only root message there.
        return f"CQ{self.index:04d}"


def plan(count: int, seed: int = 7) -> list[Planned]:
    """``count`` qualifications with a fixed mix of hot, warm and cold outcomes."""
    rng = random.Random(seed)
    return [Planned(i, rng.choice(["hot", "hot", "warm", "cold"])) for i in range(count)]


class Delivery:
    """Sends requests like Slack: retries until a 2xx, with Slack's retry headers.

    Args:
        senders: Senders to the bot's workers; each delivery picks one at random.
        duplicates: Extra deliveries of every request after the first 2xx (Slack's retries).
        rng: Dice for choosing workers and concurrency.
        patience: Seconds to keep retrying a request that gets no 2xx.
    """

    def __init__(
        self,
        senders: list[SlackSender],
        *,
        duplicates: int = 2,
        rng: random.Random | None = None,
        patience: float = 60.0,
    ) -> None:
        self.senders = senders
        self.duplicates = duplicates
        self.rng = rng or random.Random(1)
        self.lock = threading.Lock()
        self.patience = patience
        self.failed_deliveries = 0
        self.sent = 0

    def _pick(self) -> SlackSender:
        with self.lock:
            return self.rng.choice(self.senders)

    def _post(self, request: SignedRequest, retry: int) -> int:
        headers = dict(request.headers)
        if retry:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout" if retry % 2 else "http_error"
        with self.lock:
            self.sent += 1
        try:
            return self._pick().send_raw(request.body, headers).status_code
        except httpx.TransportError:
            return 0

    def deliver(self, request: SignedRequest, *, concurrent: bool = False) -> None:
        """Deliver ``request`` until it gets a 2xx, then ``duplicates`` more times."""
        deadline = time.monotonic() + self.patience
        retry = 0
        while not 200 <= self._post(request, retry) < 300:
            with self.lock:
                self.failed_deliveries += 1
            retry += 1
            if time.monotonic() > deadline:
                raise AssertionError("a request never got a 2xx")
            time.sleep(0.2)
        extra = [retry + n + 1 for n in range(self.duplicates)]
        if concurrent and extra:
            threads = [threading.Thread(target=self._post, args=(request, n)) for n in extra]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        else:
            for n in extra:
                self._post(request, n)


class Campaign:
    """Runs planned qualifications concurrently and checks their effects.

    Args:
        standin: The Slack stand-in.
        database: The bot's database.
        delivery: How requests reach the bot.
        wait_for_questions: Wait for each question in the thread before answering (needed for
            buttons); without it the rep answers as soon as the previous answer got its 2xx.
        buttons: Answer some questions with the quick-answer buttons.
    """

    def __init__(
        self,
        standin: SlackStandIn,
        database: Database,
        delivery: Delivery,
        *,
        wait_for_questions: bool = True,
        buttons: bool = True,
        timeout: float = 60.0,
    ) -> None:
        self.standin = standin
        self.database = database
        self.delivery = delivery
        self.wait_for_questions = wait_for_questions
        self.buttons = buttons
        self.timeout = timeout
        self.engine = create_engine(database.url, pool_size=20, max_overflow=20)
        self.payloads = delivery.senders[0].payloads

    # -- reading back ---------------------------------------------------------------------------

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params).fetchall()]

    def _until(self, read: Callable[[], Any], what: str, timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = read()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def qualification(self, channel: str) -> tuple[Any, ...] | None:
        found = self.query(
            "SELECT id, thread_ts, status FROM qualification "
            # A qualification whose card is not posted yet keeps a placeholder thread key.
            "WHERE channel_id = :c AND thread_ts NOT LIKE 'starting:%'",
            c=channel,
        )
        return found[0] if found else None

    def answers_stored(self, qualification_id: int) -> int:
        return int(
            self.query(
                "SELECT count(*) FROM answer WHERE qualification_id = :q AND superseded = false",
                q=qualification_id,
            )[0][0]
        )

    def answers_by_criterion(self, channel: str) -> dict[str, str]:
        """The answers in force of the qualification in ``channel``: criterion -> text."""
        return {
            str(criterion): str(answer)
            for criterion, answer in self.query(
                "SELECT a.criterion, a.text FROM answer a "
                "JOIN qualification q ON q.id = a.qualification_id "
                "WHERE q.channel_id = :c AND a.superseded = false",
                c=channel,
            )
        }

    def questions(self, channel: str, card_ts: str) -> list[dict[str, Any]]:
        """The thread's questions in the order posted, answered ones (closed in place to a
        line without buttons) included, so that question n stays at index n."""
        posted = {
            str(c.response.get("ts"))
            for c in self.standin.calls("chat.postMessage")
            if c.ok
            and c.args.get("thread_ts") == card_ts
            and ANSWER_ACTION in json.dumps(c.args.get("blocks") or [])
        }
        return [
            m
            for m in self.standin.messages(channel, thread_ts=card_ts, include_root=False)
            if m.get("bot_id") and m["ts"] in posted
        ]

    # -- one qualification ----------------------------------------------------------------------

    def start(self, item: Planned) -> tuple[int, str]:
        """``/qualify`` once; its 2xx means its card is staged and comes, however Slack fares."""
        request = self.payloads.command("/qualify", item.lead, user_id=REP, channel_id=item.channel)
        # Slack never redelivers a slash command, so it goes out once (again only without a 2xx,
        # as a rep would type it again).
        Delivery(self.delivery.senders, duplicates=0, rng=self.delivery.rng).deliver(request)
        # A card whose sender died is posted by another once the lease runs out.
        found = self._until(lambda: self.qualification(item.channel), "card")
        return int(found[0]), str(found[1])

    def run_one(self, item: Planned) -> None:
        qualification_id, card_ts = self.start(item)
        rng = random.Random(item.index)
        for number, answer in enumerate(ANSWERS[item.expected]):
            concurrent = rng.random() < 0.5
            use_button = self.buttons and rng.random() < 0.5
            if self.wait_for_questions or use_button:
                question = self._until(
                    lambda n=number: (
                        len(self.questions(item.channel, card_ts)) > n
                        and self.questions(item.channel, card_ts)[n]
                    ),
                    f"question {number + 1} of {item.lead}",
                )
            if use_button:
                request = self._button(item, card_ts, question, answer)
            else:
                ts = self.standin.post_user_message(item.channel, REP, answer, thread_ts=card_ts)
                request = self.payloads.message(
                    answer, user_id=REP, channel_id=item.channel, thread_ts=card_ts, ts=ts
                )
            self.delivery.deliver(request, concurrent=concurrent)
            # Slack's 200 comes after the step's commit: an answer acknowledged is stored.
            stored = self.answers_stored(qualification_id)
            assert stored > number, f"answer {number + 1} of {item.lead} acked, not stored"
        if item.expected == "hot":
            self.accept(item)

    def _button(
        self, item: Planned, card_ts: str, question: dict[str, Any], answer: str
    ) -> SignedRequest:
        element = next(
            e
            for block in question["blocks"]
            if block["type"] == "actions"
            for e in block["elements"]
            if json.loads(e.get("value") or "{}").get("a") == answer
        )
        return self.payloads.block_action(
            element["action_id"],
            element["value"],
            user_id=REP,
            channel_id=item.channel,
            message_ts=question["ts"],
            thread_ts=card_ts,
        )

    def alert_of(self, lead: str) -> dict[str, Any] | None:
        return next(
            (
                m
                for m in self.standin.messages(ALERT_CHANNEL)
                if m.get("bot_id")
                and lead in m.get("text", "")
                and m.get("thread_ts") in (None, m["ts"])
            ),
            None,
        )

    def accept(self, item: Planned) -> None:
        """The account executive clicks Accept on the lead's alert (delivered repeatedly)."""
        alert = self._until(lambda: self.alert_of(item.lead), f"alert of {item.lead}")
        element = next(
            e
            for block in alert["blocks"]
            if block["type"] == "actions"
            for e in block["elements"]
            if e["action_id"] == "handoff_accept"
        )
        request = self.payloads.block_action(
            "handoff_accept",
            element["value"],
            user_id=AE,
            channel_id=ALERT_CHANNEL,
            message_ts=alert["ts"],
        )
        self.delivery.deliver(request, concurrent=True)

    def run(self, items: list[Planned], workers: int = 8) -> None:
        """Run every item, ``workers`` at a time; re-raise the first failure."""
        with ThreadPoolExecutor(workers) as pool:
            for future in [pool.submit(self.run_one, item) for item in items]:
                future.result()

    # -- effects ------------------------------------------------------------------------------

    def verdicts(self) -> dict[str, list[str]]:
        """Stored verdicts by lead name."""
        found: dict[str, list[str]] = {}
        for name, verdict in self.query(
            "SELECT l.name, v.verdict FROM verdict_record v JOIN lead l ON l.id = v.lead_id"
        ):
            found.setdefault(str(name), []).append(str(verdict))
        return found

    def posts(self) -> Counter[tuple[str, str]]:
        """Successful ``chat.postMessage`` calls, counted by (channel, text)."""
        return Counter(
            (str(c.args.get("channel")), str(c.args.get("text")))
            for c in self.standin.calls("chat.postMessage")
            if c.ok
        )

    def close(self) -> None:
        self.engine.dispose()
