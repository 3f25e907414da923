"""Slack's redeliveries: every event and interaction arrives three times, some at once."""

from __future__ import annotations

import time
from collections import Counter

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import (
    ALERT_CHANNEL,
    MANAGER_CHANNEL,
    Database,
    ThreadBot,
    make_sender,
)
from tests.reliability.driver import Campaign, Delivery, plan

QUALIFICATIONS = 100


def assert_exactly_once(campaign: Campaign, count: int) -> None:
    """Every qualification has one stored answer per question, one verdict, one of each post."""
    items = plan(count)
    per_qualification = campaign.query(
        "SELECT q.channel_id, q.status, count(a.id) FROM qualification q "
        "LEFT JOIN answer a ON a.qualification_id = q.id "
        "WHERE q.thread_ts NOT LIKE 'starting:%' GROUP BY q.id, q.channel_id, q.status"
    )
    by_channel = {str(c): (str(s), int(n)) for c, s, n in per_qualification}
    assert len(by_channel) == count
    verdicts = campaign.verdicts()
    for item in items:
        # Four answers stored, none twice (superseded rows would count here too).
        assert by_channel[item.channel] == ("done", 4), item
        assert verdicts[item.lead] == [item.expected], item

    calls = campaign.standin.calls("chat.postMessage")
    thread_posts = Counter(
        (str(c.args["channel"]), str(c.args.get("text")))
        for c in calls
        if c.ok and str(c.args.get("channel", "")).startswith("CQ")
    )
    doubled = {key: n for key, n in thread_posts.items() if n > 1}
    assert not doubled
    for item in items:
        in_thread = [k for k in thread_posts if k[0] == item.channel]
        # Card, four questions and the verdict: six distinct posts, each once; an accepted
        # hot lead's thread also hears who took it over.
        assert len(in_thread) == (7 if item.expected == "hot" else 6), (item, in_thread)

    hot = [item for item in items if item.expected == "hot"]
    alerts = Counter(
        str(c.args.get("text"))
        for c in calls
        if c.ok and c.args.get("channel") == ALERT_CHANNEL and not c.args.get("thread_ts")
    )
    for item in hot:
        assert sum(n for t, n in alerts.items() if item.lead in t) == 1, item
    dms = [c for c in calls if c.ok and str(c.args.get("channel", "")).startswith("D")]
    summaries = [
        c
        for c in calls
        if c.ok and c.args.get("channel") == ALERT_CHANNEL and c.args.get("thread_ts")
    ]
    notices = Counter(
        str(c.args.get("text")) for c in calls if c.ok and c.args.get("channel") == MANAGER_CHANNEL
    )
    # The daily digest goes to the managers' channel too (once the configured hour has come).
    digests = [t for t in notices if "digest" in t.casefold()]
    # The accepting account executive's handoff and the rep's note of the accept.
    assert len(dms) == 2 * len(hot)
    assert len(summaries) == len(hot)
    assert sum(notices.values()) - len(digests) == len(hot)
    assert set(notices.values()) == {1}
    handoffs = campaign.query("SELECT status, count(*) FROM handoff GROUP BY status")
    assert dict(handoffs) == {"accepted": len(hot)}
    outbox = campaign.query("SELECT status, count(*) FROM outbox_message GROUP BY status")
    assert set(dict(outbox)) == {"sent"}


def wait_for_outbox(campaign: Campaign, timeout: float = 30.0) -> None:
    """Wait until the outbox has nothing left to send."""
    deadline = time.monotonic() + timeout
    while campaign.query("SELECT count(*) FROM outbox_message WHERE status != 'sent'")[0][0]:
        assert time.monotonic() < deadline, campaign.query(
            "SELECT id, method, status, attempts, last_error, substr(payload, 1, 80) "
            "FROM outbox_message WHERE status != 'sent'"
        )
        time.sleep(0.1)
    time.sleep(0.5)


def test_every_event_and_click_delivered_three_times_takes_effect_once(
    standin: SlackStandIn, database: Database, thread_bot: ThreadBot
) -> None:
    senders = [make_sender(thread_bot.url, standin)]
    delivery = Delivery(senders, duplicates=2)
    campaign = Campaign(standin, database, delivery)
    try:
        campaign.run(plan(QUALIFICATIONS), workers=8)
        wait_for_outbox(campaign)
        assert_exactly_once(campaign, QUALIFICATIONS)
        # Three deliveries for each of the answers and accept clicks, one per command.
        assert delivery.sent >= 3 * 4 * QUALIFICATIONS
    finally:
        campaign.close()
        for sender in senders:
            sender.close()
