"""Who may do what: only the rep (or a manager) steers a qualification, only AEs and managers
decide handoffs, and nothing crosses from one workspace to another."""

from __future__ import annotations

import pytest

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import (
    AE,
    ALERT_CHANNEL,
    MANAGER,
    OTHER_REP,
    REP,
    AsgiBot,
    Database,
    rows,
)
from tests.reliability.inproc import Workspace, button_ids

CHANNEL = "CAUTH"


@pytest.fixture
def workspace(asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn) -> Workspace:
    bot, database = asgi_bot
    return Workspace(bot, standin, database)


@pytest.mark.parametrize(
    "text", ["Budget approved", "edit budget", "pause", "cancel", "skip", "back", "resume"]
)
def test_a_non_owner_cannot_steer_by_text(workspace: Workspace, text: str) -> None:
    card_ts = workspace.qualify("Guarded AG", CHANNEL)
    workspace.reply(CHANNEL, card_ts, "Budget approved")
    workspace.wait(lambda: len(workspace.thread(CHANNEL, card_ts)) >= 2)
    before = workspace.state(CHANNEL)
    assert workspace.reply(CHANNEL, card_ts, text, user=OTHER_REP).status_code == 200
    note = workspace.wait(lambda: workspace.standin.ephemerals(OTHER_REP))
    assert f"<@{REP}>" in note[0]["text"]
    assert workspace.state(CHANNEL) == before


@pytest.mark.parametrize("action", ["qa_answer_0", "qa_skip", "qa_back", "qa_cancel"])
def test_a_non_owner_cannot_steer_by_buttons(workspace: Workspace, action: str) -> None:
    card_ts = workspace.qualify("Buttoned AG", CHANNEL)
    if action == "qa_back":
        # Back is offered from the second question on (the first has nothing before it).
        workspace.reply(CHANNEL, card_ts, "Budget approved")
        workspace.wait(lambda: len(workspace.thread(CHANNEL, card_ts)) > 1)
    question = workspace.thread(CHANNEL, card_ts)[-1]
    before = workspace.state(CHANNEL)
    assert action in button_ids(question), button_ids(question)
    assert workspace.click(question, action, OTHER_REP, CHANNEL).status_code == 200
    workspace.wait(lambda: workspace.standin.ephemerals(OTHER_REP))
    assert workspace.state(CHANNEL) == before
    # The owner's click on the same button still works afterwards.
    workspace.click(question, action, REP, CHANNEL)
    workspace.wait(lambda: workspace.state(CHANNEL) != before)


def test_a_manager_may_answer_for_the_rep(workspace: Workspace) -> None:
    card_ts = workspace.qualify("Managed AG", CHANNEL)
    workspace.reply(CHANNEL, card_ts, "Budget approved", user=MANAGER)
    workspace.wait(lambda: workspace.state(CHANNEL)[3] == 1)


@pytest.mark.parametrize("user", [REP, OTHER_REP])
def test_only_account_executives_and_managers_decide_handoffs(
    workspace: Workspace, user: str
) -> None:
    _card, alert = workspace.hot_lead("Decided GmbH", CHANNEL)
    for action in ("handoff_accept", "handoff_reject"):
        assert workspace.click(alert, action, user, ALERT_CHANNEL).status_code == 200
    workspace.wait(lambda: len(workspace.standin.ephemerals(user)) >= 2)
    assert rows(workspace.database, "SELECT status FROM handoff") == [("pending",)]
    assert workspace.standin.views() == []
    workspace.click(alert, "handoff_accept", AE, ALERT_CHANNEL)
    workspace.wait(
        lambda: rows(workspace.database, "SELECT status FROM handoff") == [("accepted",)]
    )


def test_the_same_ids_under_another_workspace_do_nothing_to_team_one(
    workspace: Workspace, asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn
) -> None:
    bot, database = asgi_bot
    card_ts, alert = workspace.hot_lead("Tenant One", CHANNEL)
    # Team one's own last posts (the card's final update, queued behind the verdict in its
    # thread) go out first, so that they are not counted as calls of team two's requests.
    bot.settle(1.0)
    other = Workspace(bot, standin, database, team_id="T0002")
    before = workspace.state(CHANNEL)
    handoffs = rows(database, "SELECT id, status, team_id FROM handoff")
    calls = len(standin.calls())
    for text in ("edit budget", "cancel", "No budget"):
        assert other.reply(CHANNEL, card_ts, text, user=REP).status_code == 200
    for action in ("handoff_accept", "handoff_reject"):
        other.click(alert, action, AE, ALERT_CHANNEL)
    other.send(
        other.payloads.command("/lead", "status Tenant One", user_id=REP, channel_id=CHANNEL)
    )
    bot.settle(0.5)
    assert workspace.state(CHANNEL) == before
    assert rows(database, "SELECT id, status, team_id FROM handoff") == handoffs
    # The only calls allowed are ephemeral notes and reading the clicker's locale (the
    # language of that note); nothing posts, updates or opens a view.
    later = standin.calls()[calls:]
    allowed = ("chat.postEphemeral", "response_url", "users.info")
    assert [c.method for c in later if c.method not in allowed] == []
    assert "Tenant One" not in " ".join(str(c.args) for c in later)
