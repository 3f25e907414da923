"""Crashes and parallel workers: ``sdrbot serve`` killed with SIGKILL mid-run, and two workers on
one PostgreSQL database receiving the same events."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable

import pytest

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import ALERT_CHANNEL, BotProcess, Database, make_sender
from tests.reliability.driver import Campaign, Delivery, Planned, plan
from tests.reliability.test_retries import assert_exactly_once, wait_for_outbox

QUALIFICATIONS = 100


def _alert_counts(standin: SlackStandIn, leads: list[str]) -> dict[str, int]:
    texts = [
        str(c.args.get("text"))
        for c in standin.calls("chat.postMessage")
        if c.ok and c.args.get("channel") == ALERT_CHANNEL and not c.args.get("thread_ts")
    ]
    return {lead: sum(lead in t for t in texts) for lead in leads}


def _thread_posts(campaign: Campaign, items: list[Planned]) -> tuple[list[str], list[str]]:
    """Leads whose thread misses one of its posts (four questions and the verdict, and for an
    accepted hot lead who took it over), and those where one outbox message was posted twice."""
    lost: list[str] = []
    doubled: list[str] = []
    for item in items:
        found = campaign.qualification(item.channel)
        assert found is not None
        replies = campaign.standin.messages(item.channel, thread_ts=str(found[1]))
        posts = [m for m in replies if m.get("bot_id") and m["ts"] != found[1]]
        outbox_ids = Counter(
            (campaign.standin.metadata(item.channel, m["ts"]) or {})
            .get("event_payload", {})
            .get("id")
            for m in posts
        )
        if len(outbox_ids) != (6 if item.expected == "hot" else 5):
            lost.append(item.lead)
        if any(n > 1 for n in outbox_ids.values()):
            doubled.append(item.lead)
    return lost, doubled


@pytest.mark.slow
def test_worker_killed_at_random_points_loses_and_doubles_nothing(
    standin: SlackStandIn,
    sqlite_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    database = sqlite_database
    bot = bot_processes(database)
    sender = make_sender(bot.url, standin)
    delivery = Delivery([sender], duplicates=1, patience=90)
    # The rep waits for each question (half are answered by button): a question lost in a
    # crash would stall the run.
    campaign = Campaign(standin, database, delivery, timeout=90)
    done = threading.Event()
    kills = 0

    def killer() -> None:
        nonlocal kills
        rng = random.Random(3)
        while not done.wait(rng.uniform(0.5, 2.0)):
            bot.kill()
            kills += 1
            bot.start()

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    items = plan(QUALIFICATIONS)
    try:
        campaign.run(items, workers=8)
    finally:
        done.set()
        thread.join(timeout=60)
    wait_for_outbox(campaign, timeout=90)

    verdicts = campaign.verdicts()
    for item in items:
        assert verdicts[item.lead] == [item.expected], item
    stored = dict(
        campaign.query(
            "SELECT q.channel_id, count(a.id) FROM qualification q "
            "JOIN answer a ON a.qualification_id = q.id GROUP BY q.channel_id"
        )
    )
    assert all(stored[item.channel] == 4 for item in items)
    hot = [item.lead for item in items if item.expected == "hot"]
    alerts = _alert_counts(standin, hot)
    lost = [lead for lead, n in alerts.items() if n == 0]
    doubled = [lead for lead, n in alerts.items() if n > 1]
    handoffs = dict(campaign.query("SELECT status, count(*) FROM handoff GROUP BY status"))
    thread_lost, thread_doubled = _thread_posts(campaign, items)
    print(
        f"crash: kills={kills} failed_deliveries={delivery.failed_deliveries} "
        f"hot={len(hot)} alerts_lost={len(lost)} alerts_doubled={len(doubled)} "
        f"thread_posts_lost={thread_lost} thread_posts_doubled={thread_doubled} "
        f"handoffs={handoffs}"
    )
    assert kills >= 3, f"the run ended after {kills} kills: too few to prove anything"
    assert not lost
    assert not doubled
    assert (thread_lost, thread_doubled) == ([], [])
    assert handoffs == {"accepted": len(hot)}
    campaign.close()
    sender.close()


@pytest.mark.postgres
def test_two_workers_on_one_postgres_receiving_the_same_events_act_once(
    standin: SlackStandIn,
    postgres_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    first = bot_processes(postgres_database)
    second = bot_processes(postgres_database)
    senders = [make_sender(first.url, standin), make_sender(second.url, standin)]
    # Each request goes to a random worker and its two redeliveries to random workers too.
    delivery = Delivery(senders, duplicates=2)
    campaign = Campaign(standin, postgres_database, delivery)
    try:
        campaign.run(plan(QUALIFICATIONS), workers=8)
        wait_for_outbox(campaign)
        assert_exactly_once(campaign, QUALIFICATIONS)
        claimed_by = Counter(
            str(w) for (w,) in campaign.query("SELECT claimed_by FROM outbox_message")
        )
        print(f"two workers: outbox claims {dict(claimed_by)}")
    finally:
        campaign.close()
        for sender in senders:
            sender.close()
