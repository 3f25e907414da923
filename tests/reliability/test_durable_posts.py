"""Durable direct posts: a message written to the outbox in the step's transaction reaches Slack
exactly once, whether its worker posts it, dies before posting, or dies after posting; the posts
its worker made are marked sent in batches, several steps to a transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine, event, update

from bot.services.outbox_sender import METADATA_EVENT, OutboxSender, Staged
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


def _sender(
    engine: Engine, standin: SlackStandIn, lease: float = 30.0, **marking: float
) -> OutboxSender:
    client = AsyncWebClient(token="xoxb-test", base_url=standin.api_url)
    return OutboxSender(engine, client, lease_seconds=lease, **marking)


async def _send_and_mark(sender: OutboxSender, staged: list[Staged]) -> None:
    await sender.send_staged(staged)
    await sender.flush_marks()


def _posts(standin: SlackStandIn, text: str) -> int:
    return sum(1 for c in standin.calls("chat.postMessage") if c.ok and c.args["text"] == text)


def _stage(engine: Engine, sender: OutboxSender, text: str, thread_ts: str | None = None) -> int:
    payload = {"channel": CHANNEL, "text": text}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    with session_scope(engine) as session:
        staged = sender.stage(session, team_id="T1", method="chat.postMessage", payload=payload)
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


def test_the_standin_keeps_message_metadata_and_returns_it_only_when_asked(
    standin: SlackStandIn,
) -> None:
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
        staged = sender.stage(
            session,
            team_id="T1",
            method="chat.postMessage",
            payload={"channel": CHANNEL, "text": "question 1"},
        )
    row = _row(engine, staged.id)
    assert (row.status, row.claimed_by) == ("sending", sender.worker_id)
    # Nothing is due for other senders while the claim holds.
    other = _sender(engine, standin)
    assert asyncio.run(other.send_due()) == 0
    assert _posts(standin, "question 1") == 0

    asyncio.run(_send_and_mark(sender, [staged]))
    assert _posts(standin, "question 1") == 1
    row = _row(engine, staged.id)
    assert (row.status, row.attempts) == ("sent", 0)
    assert row.result is not None and row.result["ts"]
    posted = standin.calls("chat.postMessage")[-1].args
    assert posted["metadata"] == {
        "event_type": METADATA_EVENT,
        "event_payload": {"key": staged.dedupe_key},
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
    row = _row(engine, message_id)
    assert row.status == "sent"
    assert row.attempts == 1  # the dead worker's attempt counts, outcome unknown
    posted = standin.calls("chat.postMessage")[-1].args
    assert posted["metadata"]["event_payload"]["key"] == row.dedupe_key


@pytest.mark.parametrize("in_thread", [False, True], ids=["root", "reply"])
def test_a_post_whose_worker_died_after_slack_took_it_is_not_sent_again(
    standin: SlackStandIn, engine: Engine, in_thread: bool
) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    thread_ts = str(client.chat_postMessage(channel=CHANNEL, text="card")["ts"])
    dead = _sender(engine, standin)
    message_id = _stage(engine, dead, "alert", thread_ts if in_thread else None)
    key = _row(engine, message_id).dedupe_key
    # The worker posted it (with its key in the metadata) and died before marking it sent.
    first = client.chat_postMessage(
        channel=CHANNEL,
        text="alert",
        thread_ts=thread_ts if in_thread else None,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
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


def _stage_posts(engine: Engine, sender: OutboxSender, texts: list[str]) -> list[Staged]:
    """Stage one post per text, each in its own transaction, as successive steps do."""
    staged = []
    for text in texts:
        with session_scope(engine) as session:
            staged.append(
                sender.stage(
                    session,
                    team_id="T1",
                    method="chat.postMessage",
                    payload={"channel": CHANNEL, "text": text},
                )
            )
    return staged


def _marking_statements(engine: Engine) -> list[str]:
    """Record every statement that marks outbox messages sent."""
    marking: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGE SET STATUS"):
            marking.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return marking


def test_posts_of_several_steps_are_marked_sent_together_after_sending_returns(
    standin: SlackStandIn, engine: Engine
) -> None:
    sender = _sender(engine, standin, mark_delay_seconds=30)
    staged = _stage_posts(engine, sender, ["step 1", "step 2", "step 3"])
    marking = _marking_statements(engine)

    async def steps() -> list[str]:
        for call in staged:
            await sender.send_staged([call])
        before_flush = [_row(engine, call.id).status for call in staged]
        await sender.flush_marks()
        return before_flush

    assert asyncio.run(steps()) == ["sending"] * 3
    assert [_posts(standin, f"step {n}") for n in (1, 2, 3)] == [1, 1, 1]
    assert [_row(engine, call.id).status for call in staged] == ["sent"] * 3
    assert len(marking) == 1


def test_a_full_batch_is_marked_without_waiting(standin: SlackStandIn, engine: Engine) -> None:
    sender = _sender(engine, standin, mark_delay_seconds=30, mark_batch_size=2)
    staged = _stage_posts(engine, sender, ["one", "two"])

    async def send_and_wait() -> None:
        await sender.send_staged(staged)
        deadline = time.monotonic() + 5
        while _row(engine, staged[-1].id).status != "sent":
            assert time.monotonic() < deadline, "the full batch was not marked"
            await asyncio.sleep(0.02)

    asyncio.run(send_and_wait())
    assert [_row(engine, call.id).status for call in staged] == ["sent", "sent"]


def test_stopping_the_sender_marks_what_it_sent(standin: SlackStandIn, engine: Engine) -> None:
    sender = _sender(engine, standin, mark_delay_seconds=30)
    (staged,) = _stage_posts(engine, sender, ["last words"])

    async def send_and_stop() -> float:
        await sender.send_staged([staged])
        started = time.monotonic()
        await sender.stop()
        return time.monotonic() - started

    assert asyncio.run(send_and_stop()) < 5  # not the 30 s a batch may wait for company
    assert _row(engine, staged.id).status == "sent"


def test_a_failed_staged_call_is_handed_back_at_once_and_its_sibling_still_marked(
    engine: Engine,
) -> None:
    standin = SlackStandIn(missing_channels={"CGONE"}).start()
    try:
        sender = _sender(engine, standin, mark_delay_seconds=30)
        with session_scope(engine) as session:
            gone, kept = sender.stage_many(
                session,
                team_id="T1",
                calls=[
                    ("chat.postMessage", {"channel": "CGONE", "text": "lost"}),
                    ("chat.postMessage", {"channel": CHANNEL, "text": "kept"}),
                ],
            )

        async def send() -> str:
            await sender.send_staged([gone, kept])
            failed_before_flush = _row(engine, gone.id)
            assert failed_before_flush.last_error is not None
            assert "channel_not_found" in failed_before_flush.last_error
            await sender.flush_marks()
            return failed_before_flush.status

        assert asyncio.run(send()) == "failed"  # a permanent error: no retry
        assert _row(engine, kept.id).status == "sent"
    finally:
        standin.stop()
