"""Durable direct posts: a message written to the outbox in the step's transaction reaches Slack
exactly once, whether its worker posts it, dies before posting, or dies after posting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine, update

from bot.services.outbox_sender import METADATA_EVENT, OutboxSender
from bot.standin.access import ReadLimit
from bot.standin.server import SlackStandIn
from storage import outbox
from storage.db import make_engine, session_scope
from storage.models import OutboxMessage
from tests.reliability.conftest import Database

CHANNEL = "CDURABLE"


@pytest.fixture
def engine(sqlite_database: Database) -> Iterator[Engine]:
    built = make_engine(sqlite_database.url)
    yield built
    built.dispose()


def _sender(engine: Engine, standin: SlackStandIn, lease: float = 30.0) -> OutboxSender:
    client = AsyncWebClient(token="xoxb-test", base_url=standin.api_url)
    return OutboxSender(engine, client, lease_seconds=lease)


def _posts(standin: SlackStandIn, text: str) -> int:
    return sum(1 for c in standin.calls("chat.postMessage") if c.ok and c.args["text"] == text)


def _stage(engine: Engine, sender: OutboxSender, text: str, thread_ts: str | None = None) -> int:
    payload = {"channel": CHANNEL, "text": text}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    with session_scope(engine) as session:
        [staged] = sender.stage_many(session, team_id="T1", calls=[("chat.postMessage", payload)])
    return staged.id


def _expire(engine: Engine, message_id: int) -> None:
    """Let the claim run out, as it does when its worker was killed."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )


def _row(engine: Engine, message_id: int) -> OutboxMessage:
    with session_scope(engine) as session:
        found = outbox.get_message(session=session, message_id=message_id)
        assert found is not None
        return found


def test_the_standin_keeps_message_metadata_and_returns_it_only_when_asked() -> None:
    with SlackStandIn(members={CHANNEL}, read_limit=ReadLimit(calls=10)) as standin:
        _metadata_round_trip(standin)


def _metadata_round_trip(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": "k1"}}
    root = client.chat_postMessage(channel=CHANNEL, text="root", metadata=metadata)
    client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=root["ts"], metadata=metadata)

    plain = client.conversations_history(channel=CHANNEL)["messages"]
    assert "metadata" not in plain[0]
    history = client.conversations_history(channel=CHANNEL, include_all_metadata=True)
    assert history["messages"][0]["metadata"] == metadata
    replies = client.conversations_replies(
        channel=CHANNEL, ts=root["ts"], include_all_metadata=True
    )["messages"]
    assert [m.get("metadata") for m in replies] == [metadata, metadata]


def test_a_staged_post_is_sent_once_by_its_worker_and_marked_sent(
    standin: SlackStandIn, engine: Engine
) -> None:
    sender = _sender(engine, standin)
    with session_scope(engine) as session:
        [staged] = sender.stage_many(
            session,
            team_id="T1",
            calls=[("chat.postMessage", {"channel": CHANNEL, "text": "question 1"})],
        )
    row = _row(engine, staged.id)
    assert (row.status, row.claimed_by) == ("sending", sender.worker_id)
    # Nothing is due for other senders while the claim holds.
    other = _sender(engine, standin)
    assert asyncio.run(other.send_due()) == 0
    assert _posts(standin, "question 1") == 0

    asyncio.run(sender.send_staged([staged]))
    assert _posts(standin, "question 1") == 1
    row = _row(engine, staged.id)
    assert (row.status, row.attempts) == ("sent", 0)
    assert row.result is not None and row.result["ts"]
    posted = standin.calls("chat.postMessage")[-1].args
    assert posted["metadata"] == {
        "event_type": METADATA_EVENT,
        "event_payload": {"id": staged.id},
    }


def test_a_post_whose_worker_died_before_sending_is_sent_by_another_once(
    standin: SlackStandIn, engine: Engine
) -> None:
    dead = _sender(engine, standin)
    message_id = _stage(engine, dead, "lost question")
    _expire(engine, message_id)

    survivor = _sender(engine, standin)
    assert asyncio.run(survivor.send_due()) == 1
    assert _posts(standin, "lost question") == 1
    # It never started an attempt, so Slack was not read before sending it.
    assert not standin.calls("conversations.history")
    row = _row(engine, message_id)
    assert row.status == "sent"
    assert row.attempts == 1  # the dead worker's attempt counts, outcome unknown
    posted = standin.calls("chat.postMessage")[-1].args
    assert posted["metadata"]["event_payload"]["id"] == row.id


@pytest.mark.parametrize("in_thread", [False, True], ids=["root", "reply"])
def test_a_post_whose_worker_died_after_slack_took_it_is_not_sent_again(
    standin: SlackStandIn, engine: Engine, in_thread: bool
) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    thread_ts = str(client.chat_postMessage(channel=CHANNEL, text="card")["ts"])
    dead = _sender(engine, standin)
    message_id = _stage(engine, dead, "alert", thread_ts if in_thread else None)
    # The worker marked the attempt, posted it (with its outbox id in the metadata) and died
    # before marking it sent.
    with session_scope(engine) as session:
        assert outbox.mark_attempting(
            session=session, message_id=message_id, worker_id=dead.worker_id, since=time.time()
        )
    first = client.chat_postMessage(
        channel=CHANNEL,
        text="alert",
        thread_ts=thread_ts if in_thread else None,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"id": message_id}},
    )
    # Later messages do not hide it.
    for n in range(3):
        client.chat_postMessage(channel=CHANNEL, text=f"later {n}")
    _expire(engine, message_id)

    survivor = _sender(engine, standin)
    assert asyncio.run(survivor.send_due()) == 1
    assert _posts(standin, "alert") == 1
    row = _row(engine, message_id)
    assert row.status == "sent"
    assert row.result == {"ts": first["ts"], "channel": CHANNEL}


def test_a_live_claim_is_left_alone_until_it_runs_out(
    standin: SlackStandIn, engine: Engine
) -> None:
    holder = _sender(engine, standin, lease=0.5)
    message_id = _stage(engine, holder, "in flight")
    other = _sender(engine, standin)
    assert asyncio.run(other.send_due()) == 0
    time.sleep(0.6)
    assert asyncio.run(other.send_due()) == 1
    assert _posts(standin, "in flight") == 1
    assert _row(engine, message_id).status == "sent"


def test_a_failed_staged_call_is_kept_failed_and_its_sibling_still_sent(
    engine: Engine,
) -> None:
    standin = SlackStandIn(missing_channels={"CGONE"}).start()
    try:
        sender = _sender(engine, standin)
        with session_scope(engine) as session:
            gone, kept = sender.stage_many(
                session,
                team_id="T1",
                calls=[
                    ("chat.postMessage", {"channel": "CGONE", "text": "lost"}),
                    ("chat.postMessage", {"channel": CHANNEL, "text": "kept"}),
                ],
            )

        asyncio.run(sender.send_staged([gone, kept]))
        failed = _row(engine, gone.id)
        assert failed.status == "failed"  # a permanent error: no retry
        assert failed.last_error is not None and "channel_not_found" in failed.last_error
        assert _row(engine, kept.id).status == "sent"
    finally:
        standin.stop()
