"""Slack Web API faults: the stand-in answers 429 with ``Retry-After`` to 20 % of calls, 500 to
10 %, and hangs past the bot's Web API timeout on 2 %, for a whole run of qualifications. No
crash, no message twice, every question, verdict, alert and handoff message delivered."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import create_web_app
from bot.standin.server import SlackStandIn
from tests.e2e.conftest import _start_server, free_port
from tests.reliability.conftest import REP, Database, bot_settings, make_sender, rows
from tests.reliability.driver import Campaign, Delivery, plan
from tests.reliability.test_retries import assert_exactly_once, wait_for_outbox

QUALIFICATIONS = 40
TIMEOUT_SECONDS = 2.0
"""The bot's Web API timeout here; hanging calls wait three times as long. Not shorter: on a
loaded machine an ordinary call would time out too, and each such failure doubles the wait."""


@pytest.fixture
def faulty_bot_url(
    standin: SlackStandIn, sqlite_database: Database, team_config: Path
) -> Iterator[str]:
    settings = bot_settings(standin, sqlite_database, team_config).model_copy(
        update={"slack_timeout": TIMEOUT_SECONDS}
    )
    port = free_port()
    server, thread = _start_server(create_web_app(settings), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.slow
def test_rate_limits_server_errors_and_hangs_lose_and_double_nothing(
    standin: SlackStandIn, sqlite_database: Database, faulty_bot_url: str
) -> None:
    standin.set_faults(
        rate_limited=0.20,
        retry_after=1,
        server_error=0.10,
        hang=0.02,
        hang_seconds=3 * TIMEOUT_SECONDS,
    )
    # A hung call is cut off by the bot's timeout before the stand-in records it, so the
    # faults are counted as they are drawn.
    drawn: Counter[str] = Counter()
    draw = standin.faults.draw

    def counting_draw(method: str) -> str | None:
        fault = draw(method)
        if fault is not None:
            drawn[fault] += 1
        return fault

    standin.faults.draw = counting_draw  # type: ignore[method-assign]
    sender = make_sender(faulty_bot_url, standin)
    # The claim is eventual exactly-once delivery, not speed: a message unlucky enough to fail
    # several times waits out its backoff, so the run gets room for that on a loaded machine.
    campaign = Campaign(standin, sqlite_database, Delivery([sender], duplicates=1), timeout=180)
    try:
        campaign.run(plan(QUALIFICATIONS), workers=8)
        wait_for_outbox(campaign, timeout=180)
        print(f"slack faults: {dict(drawn)} over {sum(drawn.values())} faulted calls")
        assert drawn["rate_limited"] and drawn["server_error"] and drawn["hang"]
        assert_exactly_once(campaign, QUALIFICATIONS)
    finally:
        campaign.close()
        sender.close()


def test_a_card_slack_hangs_on_waits_hidden_and_is_posted_once_when_slack_answers(
    standin: SlackStandIn, faulty_bot_url: str, sqlite_database: Database
) -> None:
    standin.set_faults(hang=1.0, hang_seconds=5, methods={"chat.postMessage"})
    sender = make_sender(faulty_bot_url, standin)
    started = time.monotonic()
    assert sender.command("/qualify", "Hung AG", user_id=REP, channel_id="CHANG").status_code == 200
    # The command is answered after its transaction, not after Slack.
    assert time.monotonic() - started < 3
    time.sleep(4 * TIMEOUT_SECONDS)  # a few attempts cut off by the timeout
    # A hang may have made the post, so the card is not given up: it waits, hidden.
    stored = rows(sqlite_database, "SELECT status, thread_ts FROM qualification")
    assert [(status, ts.startswith("starting:")) for status, ts in stored] == [("starting", True)]
    assert not standin.responses() and not standin.messages("CHANG")
    standin.set_faults()
    deadline = time.monotonic() + 40
    while not rows(sqlite_database, "SELECT 1 FROM qualification WHERE status = 'active'"):
        assert time.monotonic() < deadline, "the card never came"
        time.sleep(0.2)
    [(card_ts,)] = rows(sqlite_database, "SELECT thread_ts FROM qualification")
    cards = [m for m in standin.messages("CHANG") if m.get("thread_ts", m["ts"]) == m["ts"]]
    assert [m["ts"] for m in cards] == [card_ts]
    questions = standin.wait_for(
        lambda: standin.messages("CHANG", thread_ts=card_ts, include_root=False)
    )
    assert len(questions) == 1 and "Question 1 of 4" in str(questions[0])
    assert not standin.responses()
    sender.close()
