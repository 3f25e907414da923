"""The outbox sender against the stand-in: faults, lanes, checks, permanent errors, two workers."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from bot.app import create_client
from bot.services.outbox_sender import OutboxSender, Staged
from bot.settings import Settings
from bot.standin.access import ReadLimit, manifest_scopes
from bot.standin.server import SlackStandIn
from storage import outbox
from storage.db import make_engine, session_scope
from storage.models import OutboxMessage, OutboxStatus

ALERTS = "CALERTS"
SALES = "CSALES"
ADMIN = "CADMIN"
FAST_READS = 0.3
"""Seconds between two reads here: Slack's minute would make each check wait that long."""


@pytest.fixture
def standin() -> SlackStandIn:
    server = SlackStandIn(
        missing_channels={"CGONE"}, read_limit=ReadLimit(per_seconds=FAST_READS)
    ).start()
    yield server
    server.stop()


def _sender(engine: Engine, standin: SlackStandIn) -> OutboxSender:
    client = create_client(
        Settings(slack_bot_token="xoxb-test", slack_api_url=standin.api_url, slack_timeout=2)
    )
    return OutboxSender(engine, client, admin_channel=ADMIN, read_interval=FAST_READS)


def _enqueue(engine: Engine, texts: list[str], channel: str = ALERTS) -> None:
    with session_scope(engine) as session:
        for text in texts:
            outbox.enqueue(
                session=session,
                team_id="T1",
                method="chat.postMessage",
                payload={"channel": channel, "text": text},
                dedupe_key=f"alert:{text}",
            )


def _stage(engine: Engine, sender: OutboxSender, texts: list[str], channel: str) -> list[Staged]:
    with session_scope(engine) as session:
        return sender.stage_many(
            session,
            team_id="T1",
            calls=[("chat.postMessage", {"channel": channel, "text": t}) for t in texts],
        )


def _open(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(
            session.scalar(
                select(func.count()).where(
                    OutboxMessage.status.in_(
                        [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
                    )
                )
            )
            or 0
        )


def _row(engine: Engine, message_id: int) -> OutboxMessage:
    with session_scope(engine) as session:
        found = outbox.get_message(session=session, message_id=message_id)
        assert found is not None
        return found


async def _drain(engine: Engine, senders: list[OutboxSender], timeout: float = 60) -> list[int]:
    """Run the senders side by side until the outbox is empty; messages claimed by each."""

    async def run(sender: OutboxSender) -> int:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        claimed = 0
        while await asyncio.to_thread(_open, engine) and loop.time() < deadline:
            claimed += await sender.send_due()
            await asyncio.sleep(0.1)
        return claimed

    return list(await asyncio.gather(*(run(s) for s in senders)))


def _delivered(standin: SlackStandIn, channel: str = ALERTS) -> Counter[str]:
    return Counter(m["text"] for m in standin.messages(channel) if m.get("bot_id"))


def _speed_up_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    # Backoff of half a second at most so the test does not wait minutes; the policy is
    # unchanged.
    original = outbox.retry_delay
    monkeypatch.setattr(
        outbox,
        "retry_delay",
        lambda attempts, **kw: min(original(attempts, **kw), original(0, base_seconds=0.5)),
    )


def test_every_alert_is_delivered_once_though_faults_come_before_or_after_slack_posted(
    engine: Engine, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speed_up_retries(monkeypatch)
    texts = [f"hot lead {i}" for i in range(12)]
    _enqueue(engine, texts)
    standin.set_faults(
        rate_limited=0.2,
        server_error=0.3,
        after_effect=0.5,
        methods={"chat.postMessage"},
        seed=7,
    )
    asyncio.run(_drain(engine, [_sender(engine, standin)]))
    faults = Counter(c.fault for c in standin.calls("chat.postMessage") if c.fault)
    assert faults["rate_limited"] > 0 and faults["server_error"] > 0
    assert _delivered(standin) == Counter({text: 1 for text in texts})
    assert _open(engine) == 0
    # Checking a post whose outcome was unknown needed the channel: the bot joined it.
    assert standin.is_member(ALERTS)
    assert standin.calls("conversations.history")


def test_two_workers_share_the_outbox_and_send_each_message_once(
    engine: Engine, db, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speed_up_retries(monkeypatch)
    texts = [f"shared {i}" for i in range(30)]
    _enqueue(engine, texts)
    standin.set_faults(server_error=0.2, methods={"chat.postMessage"}, seed=3)
    second_engine = make_engine(db.url)
    try:
        first, second = _sender(engine, standin), _sender(second_engine, standin)
        claimed = asyncio.run(_drain(engine, [first, second]))
    finally:
        second_engine.dispose()
    assert _delivered(standin) == Counter({text: 1 for text in texts})
    assert all(count > 0 for count in claimed), claimed  # both workers took a share
    with session_scope(engine) as session:
        results = list(session.scalars(select(OutboxMessage.result)))
    assert len(results) == len(texts) and all(r and r.get("ts") for r in results)


def test_a_429_in_one_channel_neither_sleeps_nor_holds_up_another_channel(
    engine: Engine, standin: SlackStandIn
) -> None:
    sender = _sender(engine, standin)
    (alert,) = _stage(engine, sender, ["alert"], ALERTS)
    (question,) = _stage(engine, sender, ["question"], SALES)
    standin.set_faults(rate_limited=1.0, retry_after=30, channels={ALERTS})

    async def both() -> float:
        started = time.monotonic()
        await asyncio.gather(sender.send_staged([alert]), sender.send_staged([question]))
        return time.monotonic() - started

    assert asyncio.run(both()) < 5
    assert _delivered(standin, SALES) == Counter({"question": 1})
    waiting = _row(engine, alert.id)
    assert waiting.status == "pending"
    due_in = (waiting.next_attempt_at - datetime.now(UTC)).total_seconds()
    assert 20 < due_in <= 30  # Retry-After, scheduled, not slept


def test_messages_of_one_channel_keep_their_order_after_a_rate_limit(
    engine: Engine, standin: SlackStandIn
) -> None:
    sender = _sender(engine, standin)
    staged = _stage(engine, sender, ["first", "second", "third"], ALERTS)
    standin.set_faults(rate_limited=1.0, retry_after=1, channels={ALERTS})
    asyncio.run(sender.send_staged(staged))
    assert [_row(engine, call.id).status for call in staged] == ["pending"] * 3
    assert len(standin.calls("chat.postMessage")) == 1  # the others waited behind it
    standin.set_faults()
    time.sleep(1.1)
    asyncio.run(_drain(engine, [sender], timeout=10))
    assert [m["text"] for m in standin.messages(ALERTS)] == ["first", "second", "third"]


def test_a_post_made_before_a_timeout_is_found_and_not_made_again(
    engine: Engine, standin: SlackStandIn
) -> None:
    sender = _sender(engine, standin)
    (staged,) = _stage(engine, sender, ["hot lead"], ALERTS)
    standin.set_faults(hang=1.0, hang_seconds=4, after_effect=1.0, channels={ALERTS})
    asyncio.run(sender.send_staged([staged]))
    row = _row(engine, staged.id)
    assert row.status == "pending" and row.last_error.startswith(outbox.OUTCOME_UNKNOWN)
    standin.set_faults()
    asyncio.run(_drain(engine, [sender], timeout=20))
    assert _delivered(standin) == Counter({"hot lead": 1})
    row = _row(engine, staged.id)
    assert row.status == "sent" and row.result["ts"] == standin.messages(ALERTS)[0]["ts"]


def test_a_dm_that_cannot_be_checked_waits_long_and_is_never_dropped(
    engine: Engine, standin: SlackStandIn
) -> None:
    standin.set_scopes(manifest_scopes() - {"im:history"})
    sender = _sender(engine, standin)
    with session_scope(engine) as session:
        (staged,) = sender.stage_many(
            session, team_id="T1", calls=[("sdrbot.dm", {"user": "UAE1", "text": "handoff"})]
        )
    standin.set_faults(server_error=1.0, methods={"chat.postMessage"})
    asyncio.run(sender.send_staged([staged]))
    standin.set_faults()
    asyncio.run(sender.send_due())  # not due yet
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == staged.id)
            .values(next_attempt_at=datetime.now(UTC))
        )
    asyncio.run(_sender(engine, standin).send_due())  # the check is refused: missing_scope
    row = _row(engine, staged.id)
    assert row.status == "pending" and "cannot check" in row.last_error
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(minutes=4)
    assert not [c for c in standin.calls("chat.postMessage") if c.ok]


def test_a_permanent_error_is_kept_and_told_to_the_admin_channel_once(
    engine: Engine, standin: SlackStandIn
) -> None:
    _enqueue(engine, ["lost one", "lost two"], channel="CGONE")
    _enqueue(engine, ["private"], channel="GSECRET")  # a private channel it was never invited to
    asyncio.run(_drain(engine, [_sender(engine, standin)], timeout=20))
    with session_scope(engine) as session:
        failed = list(
            session.scalars(
                select(OutboxMessage.last_error).where(
                    OutboxMessage.status == OutboxStatus.FAILED.value
                )
            )
        )
        shown = outbox.failed_messages(session=session, team_id="T1")
    assert len(failed) == 3 and all("channel_not_found" in e for e in failed)
    assert {m.payload["channel"] for m in shown} == {"CGONE", "GSECRET"}
    notices = [m["text"] for m in standin.messages(ADMIN) if m.get("bot_id")]
    assert len(notices) == 2 and all("channel_not_found" in n for n in notices)


def test_a_post_refused_for_want_of_membership_joins_and_posts(
    engine: Engine, standin: SlackStandIn
) -> None:
    standin.set_scopes(manifest_scopes() - {"chat:write.public"})
    _enqueue(engine, ["alert"], channel=ALERTS)
    asyncio.run(_drain(engine, [_sender(engine, standin)], timeout=10))
    assert _delivered(standin) == Counter({"alert": 1})
    assert standin.is_member(ALERTS)
