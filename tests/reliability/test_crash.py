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
from tests.reliability.driver import Campaign, Delivery, plan
from tests.reliability.test_retries import assert_exactly_once, wait_for_outbox

QUALIFICATIONS = 100


def _alert_counts(standin: SlackStandIn, leads: list[str]) -> dict[str, int]:
    texts = [
        str(c.args.get("text"))
        for c in standin.calls("chat.postMessage")
        if c.ok and c.args.get("channel") == ALERT_CHANNEL and not c.args.get("thread_ts")
    ]
    return {lead: sum(lead in t for t in texts) for lead in leads}


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
    # Questions may be lost in a crash (they are re-derivable, not in the outbox); the rep
    # answers as soon as the previous answer was taken.
    campaign = Campaign(standin, database, delivery, wait_for_questions=False, buttons=False)
    done = threading.Event()
    kills = 0

    def killer() -> None:
        nonlocal kills
        rng = random.Random(3)
        while not done.wait(rng.uniform(1.0, 3.0)):
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
    wait_for_outbox(campaign, timeout=60)

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
    print(
        f"crash: kills={kills} failed_deliveries={delivery.failed_deliveries} "
        f"hot={len(hot)} alerts_lost={len(lost)} alerts_doubled={len(doubled)} "
        f"handoffs={handoffs}"
    )
    assert kills >= 5
    assert not lost
    # Known window: a SIGKILL between Slack's answer and marking the row sent makes the
    # outbox send that alert again after the restart (at-least-once). Bounded by the kills.
    assert len(doubled) <= kills
    assert all(alerts[lead] <= 2 for lead in doubled)
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
