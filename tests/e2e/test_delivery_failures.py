"""A message Slack refuses for good is kept, told once to the manager channel and shown to
managers on App Home; the rep's conversation carries on."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from tests.e2e.conftest import ALERT_CHANNEL, CHANNEL, MANAGER, MANAGER_CHANNEL, REP, Rig
from tests.e2e.test_qualification import HOT_BANT


def test_an_alert_to_a_deleted_channel_is_reported_once_and_shown_on_managers_home(
    rig: Rig,
) -> None:
    rig.standin.missing_channels.add(ALERT_CHANNEL)
    for lead in ("Gone Alert Co", "Second Gone Co"):
        card_ts = rig.qualify(lead)
        for answer in HOT_BANT:
            rig.reply(card_ts, answer)
        assert " is hot" in rig.wait(lambda ts=card_ts: rig.last_bot_text(ts))

    notices = rig.wait(
        lambda: [m["text"] for m in rig.bot_messages(MANAGER_CHANNEL) if ALERT_CHANNEL in m["text"]]
    )
    rig.sender.app_home_opened(MANAGER)
    home = json.dumps(rig.wait(lambda: rig.standin.home(MANAGER)))
    assert "could not deliver" in home and "channel_not_found" in home and ALERT_CHANNEL in home
    rig.sender.app_home_opened(REP)
    assert "could not deliver" not in json.dumps(rig.wait(lambda: rig.standin.home(REP)))
    # Two alerts failed the same way: the manager channel heard of it once.
    assert len(notices) == 1 and "channel_not_found" in notices[0]
    assert len([m for m in rig.bot_messages(MANAGER_CHANNEL) if ALERT_CHANNEL in m["text"]]) == 1
    assert rig.bot_messages(CHANNEL)


def test_a_card_slack_refuses_for_good_gives_the_qualification_up_and_tells_the_rep(
    rig: Rig,
) -> None:
    rig.standin.missing_channels.add("CPRIVATE")
    response = rig.sender.command("/qualify", "Private Co", user_id=REP, channel_id="CPRIVATE")
    assert response.status_code == 200
    told = rig.wait(lambda: rig.standin.responses())
    assert len(told) == 1 and "try again" in json.dumps(told[0]).lower()
    assert told[0].get("response_type") == "ephemeral"
    engine = create_engine(rig.database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT status, thread_ts FROM qualification")).all()
    engine.dispose()
    # Given up under its placeholder key: no list, check or report counts it.
    assert [(status, ts.startswith("starting:")) for status, ts in stored] == [("cancelled", True)]
    assert not rig.standin.messages("CPRIVATE")
    # The rep can start it again where the bot is.
    assert rig.qualify("Private Co")
