"""Quick replies on two workers: a rep who types the next answer as soon as the previous one got
its 200 has every answer stored on its own question, in order, whichever worker takes it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import BotProcess, Database, make_sender
from tests.reliability.driver import ANSWERS, Campaign, Delivery, plan
from tests.reliability.test_retries import wait_for_outbox

THREADS = 60
BANT = ("budget", "authority", "need", "timeline")

pytestmark = pytest.mark.postgres


def test_quick_replies_on_two_workers_each_land_on_their_own_question(
    standin: SlackStandIn,
    postgres_database: Database,
    bot_processes: Callable[[Database], BotProcess],
) -> None:
    workers = [bot_processes(postgres_database), bot_processes(postgres_database)]
    senders = [make_sender(worker.url, standin) for worker in workers]
    # Each delivery (and Slack's one redelivery of it) goes to a random worker.
    delivery = Delivery(senders, duplicates=1)
    campaign = Campaign(
        standin, postgres_database, delivery, wait_for_questions=False, buttons=False
    )
    items = plan(THREADS, seed=11)
    try:
        campaign.run(items, workers=12)
        wait_for_outbox(campaign)
        verdicts = campaign.verdicts()
        for item in items:
            expected = dict(zip(BANT, ANSWERS[item.expected], strict=True))
            assert campaign.answers_by_criterion(item.channel) == expected, item
            assert verdicts[item.lead] == [item.expected], item
            found = campaign.qualification(item.channel)
            assert found is not None and found[2] == "done"
            # Each question once and the verdict once (a quick reply may be posted about
            # before its question is, so the posts are counted, not ordered). The posts, not
            # the messages: an answered question is closed in place to one line.
            # An accepted hot lead's thread also hears who took it over: not counted here.
            texts = sorted(
                str(c.args.get("text"))
                for c in standin.calls("chat.postMessage")
                if c.ok
                and c.args.get("thread_ts") == str(found[1])
                and "took this lead over" not in str(c.args.get("text"))
            )
            assert len(texts) == 5, (item, texts)
            # A question after an answer starts with the line on what that answer was read as.
            asked = sorted(int(n) for t in texts for n in re.findall(r"Question (\d) of 4", t))
            assert asked == [1, 2, 3, 4], (item, texts)
            (verdict,) = [t for t in texts if "Question " not in t]
            assert f"is {item.expected}" in verdict, (item, verdict)
    finally:
        campaign.close()
        for sender in senders:
            sender.close()
