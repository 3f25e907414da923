"""Installs in many workspaces: the Add to Slack page, Slack's redirect back, each workspace
answered with its own bot token, an uninstall, and two workspaces that never meet."""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.standin.sender import SlackSender
from storage.db import make_engine
from storage.installations import InstallationStore
from tests.e2e.conftest import CHANNEL, REP, SECRET, TEAM_CONFIG, Rig, make_rig

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "install-secret"
HOME = "T0001"  # the stand-in's first workspace
OTHER = "T0002"
OTHER_CHANNEL = "C2SALES"
OTHER_REP = "U2REP1"
STATE_COOKIE = "slack-app-oauth-state"


@pytest.fixture
def installs(tmp_path: Path) -> Iterator[Rig]:
    yield from _rig(tmp_path)


def _rig(tmp_path: Path, *, config: str = TEAM_CONFIG, rotation: bool = False) -> Iterator[Rig]:
    rigs = make_rig(
        tmp_path, config=config, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET
    )
    rig = next(rigs)
    rig.standin.oauth_app(
        CLIENT_ID,
        CLIENT_SECRET,
        redirect_uri=f"{rig.bot_url}/slack/oauth_redirect",
        token_rotation=rotation,
    )
    rig.standin.add_team(OTHER, "Other Corp")
    yield rig
    yield from rigs


def _store(rig: Rig) -> InstallationStore:
    return InstallationStore(CLIENT_ID, make_engine(rig.database_url))


def _add_to_slack(rig: Rig) -> tuple[str, str]:
    """Open the Add to Slack page: its link, and the state cookie it set."""
    page = httpx.get(f"{rig.bot_url}/slack/install")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    link = html.unescape(re.search(r'<a href="([^"]+)">Add to Slack</a>', page.text)[1])
    return link, page.cookies[STATE_COOKIE]


def install(rig: Rig, team_id: str, installer: str = "UINSTALLER") -> httpx.Response:
    """Add the app to ``team_id`` as a person would: the page, Slack's approval, and back."""
    link, state = _add_to_slack(rig)
    rig.standin.install_as(team_id, installer)
    approved = httpx.get(link)  # Slack's approval page sends the browser back with a code
    assert approved.status_code == 302, approved.text
    # The browser brings back the state cookie (httpx keeps Secure cookies to https).
    return httpx.get(approved.headers["location"], cookies={STATE_COOKIE: state})


def in_workspace(rig: Rig, team_id: str) -> Rig:
    """The same bot as seen from workspace ``team_id``: its sender and its channels."""
    space = rig.standin.team(team_id)
    sender = SlackSender(
        rig.bot_url, SECRET, team_id=team_id, response_base=space.response_url_base
    )
    return Rig(standin=space, sender=sender, bot_url=rig.bot_url, database_url=rig.database_url)  # type: ignore[arg-type]


def _rows(rig: Rig, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql, args).fetchall()


def test_the_add_to_slack_page_links_to_slacks_approval_with_a_one_time_state(
    installs: Rig,
) -> None:
    link, state = _add_to_slack(installs)
    parts = urlsplit(link)
    assert link.startswith(installs.standin.authorize_url + "?")
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["state"] == state
    assert {"commands", "chat:write", "users:read"} <= set(query["scope"].split(","))
    assert _rows(installs, "SELECT state FROM slack_oauth_states") == [(state,)]

    # Back from Slack with a state this browser was never given: refused, nothing stored.
    forged = httpx.get(
        f"{installs.bot_url}/slack/oauth_redirect",
        params={"code": "x", "state": "forged"},
        cookies={STATE_COOKIE: "forged"},
    )
    assert forged.status_code == 401
    assert "The install did not go through" in forged.text
    assert _rows(installs, "SELECT COUNT(*) FROM slack_installations") == [(0,)]


def test_an_install_stores_the_token_and_that_workspace_is_answered_with_it(
    installs: Rig,
) -> None:
    done = install(installs, OTHER, installer="U2ADMIN")
    assert done.status_code == 200, done.text
    assert "sdrbot is now in Other Corp" in done.text
    [token] = installs.standin.tokens_of(OTHER)
    assert token != installs.standin.bot_token
    bot = _store(installs).find_team_bot(OTHER)
    assert bot is not None and bot.bot_token == token and bot.team_name == "Other Corp"
    assert _rows(installs, "SELECT team_id, user_id FROM slack_installations") == [
        (OTHER, "U2ADMIN")
    ]
    # The code is spent: Slack's redirect replayed is refused.
    assert [c.response["ok"] for c in installs.standin.calls("oauth.v2.access")] == [True]

    other = in_workspace(installs, OTHER)
    card_ts = other.qualify("Acme Corp", user=OTHER_REP, channel=OTHER_CHANNEL)
    other.reply(card_ts, "50k EUR approved", user=OTHER_REP, channel=OTHER_CHANNEL)
    assert "Acme Corp" in other.card(card_ts, OTHER_CHANNEL)["text"]

    calls = [c for c in other.standin.calls() if c.method != "oauth.v2.access"]
    # (A question answered before its post is recorded stays open: chat.update may not come.)
    assert {c.method for c in calls} >= {"auth.test", "users.info", "chat.postMessage"}
    assert {c.token for c in calls} == {token}
    assert all(c.ok for c in calls), [(c.method, c.response) for c in calls if not c.ok]
    # Nothing of it reached the first workspace.
    assert installs.standin.messages(OTHER_CHANNEL) == []
    assert installs.standin.team(HOME).calls() == []


def test_a_workspace_that_did_not_install_the_app_is_told_so(installs: Rig) -> None:
    stranger = in_workspace(installs, OTHER)
    answer = stranger.sender.command(
        "/qualify", "Acme Corp", user_id=OTHER_REP, channel_id=OTHER_CHANNEL
    )
    assert answer.status_code == 200
    said = stranger.wait(lambda: stranger.standin.responses())
    assert "not installed in this workspace" in said[0]["text"]
    assert _rows(installs, "SELECT COUNT(*) FROM lead") == [(0,)]


def test_an_uninstall_removes_the_tokens_and_keeps_the_data_by_default(installs: Rig) -> None:
    install(installs, OTHER)
    other = in_workspace(installs, OTHER)
    other.qualify("Acme Corp", user=OTHER_REP, channel=OTHER_CHANNEL)
    installs.standin.uninstall(OTHER)  # Slack revokes the tokens, then tells the app
    gone = other.sender.app_uninstalled()
    assert gone.status_code == 200
    assert _store(installs).find_team_bot(OTHER) is None
    assert _rows(installs, "SELECT COUNT(*) FROM slack_installations") == [(0,)]
    assert _rows(installs, "SELECT COUNT(*) FROM slack_bots") == [(0,)]
    assert _rows(installs, "SELECT name FROM lead WHERE team_id = ?", OTHER) == [("Acme Corp",)]
    # Slack's redelivery of the event is harmless.
    assert other.sender.app_uninstalled().status_code == 200

    other.sender.command("/lead", "list", user_id=OTHER_REP, channel_id=OTHER_CHANNEL)
    said = other.wait(lambda: other.standin.responses())
    assert "not installed in this workspace" in said[-1]["text"]

    # Installed again, the workspace finds its leads where it left them.
    install(installs, OTHER)
    listing = other.sender.command("/lead", "list", user_id=OTHER_REP, channel_id=OTHER_CHANNEL)
    assert "Acme Corp" in listing.text


def test_an_uninstall_erases_the_workspace_when_the_config_says_so(tmp_path: Path) -> None:
    config = TEAM_CONFIG + "privacy:\n  on_uninstall: erase\n"
    rigs = _rig(tmp_path, config=config)
    rig = next(rigs)
    try:
        install(rig, HOME)
        install(rig, OTHER)
        rig.qualify("Acme Corp")
        other = in_workspace(rig, OTHER)
        other.qualify("Acme Corp", user=OTHER_REP, channel=OTHER_CHANNEL)
        rig.standin.uninstall(OTHER)
        revoked = other.sender.tokens_revoked(bot=["UBOT"])
        assert revoked.status_code == 200
        assert _store(rig).find_team_bot(OTHER) is None
        assert _rows(rig, "SELECT DISTINCT team_id FROM lead") == [(HOME,)]
        assert _rows(rig, "SELECT DISTINCT team_id FROM qualification") == [(HOME,)]
        assert _rows(rig, "SELECT COUNT(*) FROM outbox_message WHERE team_id = ?", OTHER) == [(0,)]
        assert _store(rig).find_team_bot(HOME) is not None
    finally:
        for _ in rigs:
            pass


def test_two_workspaces_never_see_each_others_leads_phrases_or_settings(installs: Rig) -> None:
    install(installs, HOME)
    install(installs, OTHER)
    home = installs
    other = in_workspace(installs, OTHER)

    home_card = home.qualify("Acme Corp")
    home.reply(home_card, "50k EUR approved")
    home.qualify("Globex")
    other_card = other.qualify("Acme Corp", user=OTHER_REP, channel=OTHER_CHANNEL)

    # Same name, two leads: one per workspace.
    assert sorted(_rows(home, "SELECT team_id, name FROM lead WHERE name = 'Acme Corp'")) == [
        (HOME, "Acme Corp"),
        (OTHER, "Acme Corp"),
    ]
    home_list = home.sender.command("/lead", "list", user_id=REP, channel_id=CHANNEL).text
    other_list = other.sender.command(
        "/lead", "list", user_id=OTHER_REP, channel_id=OTHER_CHANNEL
    ).text
    assert "Acme Corp" in home_list and "Globex" in home_list
    assert "Acme Corp" in other_list and "Globex" not in other_list
    other_status = other.sender.command(
        "/lead", "status Acme Corp", user_id=OTHER_REP, channel_id=OTHER_CHANNEL
    ).text
    home_status = home.sender.command("/lead", "status Acme Corp", user_id=REP, channel_id=CHANNEL)
    assert "owner <@UREP1>" in home_status.text and "U2REP1" not in home_status.text
    assert "owner <@U2REP1>" in other_status and "<@UREP1>" not in other_status
    other_globex = other.sender.command(
        "/lead", "status Globex", user_id=OTHER_REP, channel_id=OTHER_CHANNEL
    ).text
    assert "stage" not in other_globex and "owner" not in other_globex

    # A correction taught in one workspace is learned there only.
    from tests.e2e.test_phrases import _choose, _other_status, _reading_of

    echoed = home.bot_messages(CHANNEL, home_card)[1]
    _choose(home, home_card, echoed, _other_status(_reading_of(echoed)))
    home.wait(lambda: _rows(home, "SELECT team_id FROM learned_phrase"))
    assert {team for (team,) in _rows(home, "SELECT team_id FROM learned_phrase")} == {HOME}

    # Settings saved in one workspace leave the other's as the file has them.
    from tests.e2e.test_settings import _values

    saved = home.sender.view_submission(
        "workspace_settings", _values("CHOMEALERTS"), user_id="UMGR1"
    )
    assert saved.status_code == 200 and "errors" not in saved.text
    assert _rows(home, "SELECT team_id, alert_channel FROM workspace_setting") == [
        (HOME, "CHOMEALERTS")
    ]
    assert other_card  # the other workspace's thread is untouched by all of it
    other_calls = [c for c in other.standin.calls() if c.method != "oauth.v2.access"]
    assert {c.token for c in other_calls} == set(home.standin.tokens_of(OTHER))
    assert all(c.team_id == HOME for c in home.standin.team(HOME).calls())


def test_rotated_tokens_are_refreshed_before_they_expire_and_every_call_works(
    tmp_path: Path,
) -> None:
    rigs = _rig(tmp_path, rotation=True)
    rig = next(rigs)
    try:
        # Slack's tokens live 12 hours; these one, less than the 2 hours before expiry at
        # which the bot refreshes: every token it gets is due at once.
        rig.standin.expire_tokens_in(3600)
        install(rig, OTHER)
        installed = _store(rig).find_team_bot(OTHER)
        assert installed.bot_token.startswith("xoxe.xoxb-") and installed.bot_refresh_token
        other = in_workspace(rig, OTHER)
        card_ts = other.qualify("Acme Corp", user=OTHER_REP, channel=OTHER_CHANNEL)
        other.reply(card_ts, "50k EUR approved", user=OTHER_REP, channel=OTHER_CHANNEL)

        refreshes = [
            c
            for c in rig.standin.calls("oauth.v2.access")
            if c.args.get("grant_type") == "refresh_token"
        ]
        assert refreshes and all(c.ok for c in refreshes)
        calls = [c for c in other.standin.calls() if c.method != "oauth.v2.access"]
        assert all(c.ok for c in calls), [(c.method, c.response) for c in calls if not c.ok]
        posts = {c.token for c in calls if c.method in ("chat.postMessage", "chat.update")}
        assert installed.bot_token not in posts
        stored = _store(rig).find_team_bot(OTHER)
        assert stored.bot_token != installed.bot_token
        assert stored.bot_token in rig.standin.tokens_of(OTHER)
    finally:
        for _ in rigs:
            pass


def test_with_one_bot_token_there_is_no_install_page_and_the_token_speaks(rig: Rig) -> None:
    assert httpx.get(f"{rig.bot_url}/slack/install").status_code == 404
    assert httpx.get(f"{rig.bot_url}/slack/oauth_redirect?code=x").status_code == 404
    rig.qualify("Acme Corp")
    assert {c.token for c in rig.standin.calls()} == {rig.standin.bot_token}
