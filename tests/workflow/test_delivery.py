"""The outbox dispatcher against the stand-in: faults, permanent errors, two workers."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import Engine, func, select

from bot.app import create_client
from bot.services.outbox_sender import OutboxSender
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from storage import outbox
from storage.db import make_engine, session_scope
from storage.models import OutboxMessage, OutboxStatus

ALERTS = "CALERTS"
ADMIN = "CADMIN"


@pytest.fixture
def standin() -> SlackStandIn:
    server = SlackStandIn(missing_channels={"CGONE"}).start()
    yield server
    server.stop()


def _sender(engine: Engine, standin: SlackStandIn) -> OutboxSender:
    client = create_client(Settings(slack_bot_token="xoxb-test", slack_api_url=standin.api_url))
    return OutboxSender(engine, client, admin_channel=ADMIN)


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


async def _drain(engine: Engine, senders: list[OutboxSender], timeout: float = 90) -> list[int]:
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
    # Backoff of a second at most so the test does not wait minutes; the policy is unchanged.
    from storage import outbox

    original = outbox.retry_delay
    monkeypatch.setattr(
        outbox,
        "retry_delay",
        lambda attempts, **kw: min(original(attempts, **kw), original(0, base_seconds=0.5)),
    )


def test_every_alert_is_delivered_once_despite_429_and_500(
    engine: Engine, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speed_up_retries(monkeypatch)
    texts = [f"hot lead {i}" for i in range(15)]
    _enqueue(engine, texts)
    standin.set_faults(rate_limited=0.25, server_error=0.25, methods={"chat.postMessage"}, seed=7)
    asyncio.run(_drain(engine, [_sender(engine, standin)]))
    faults = Counter(c.fault for c in standin.calls("chat.postMessage") if c.fault)
    assert faults["rate_limited"] > 0 and faults["server_error"] > 0
    assert _delivered(standin) == Counter({text: 1 for text in texts})
    assert _open(engine) == 0


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


def test_a_permanent_error_is_kept_and_told_to_the_admin_channel_once(
    engine: Engine, standin: SlackStandIn
) -> None:
    _enqueue(engine, ["lost one", "lost two"], channel="CGONE")
    asyncio.run(_drain(engine, [_sender(engine, standin)], timeout=20))
    with session_scope(engine) as session:
        failed = list(
            session.scalars(
                select(OutboxMessage.last_error).where(
                    OutboxMessage.status == OutboxStatus.FAILED.value
                )
            )
        )
    assert len(failed) == 2 and all("channel_not_found" in e for e in failed)
    notices = [m["text"] for m in standin.messages(ADMIN) if m.get("bot_id")]
    assert len(notices) == 1 and "channel_not_found" in notices[0]
