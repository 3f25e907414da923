"""The stand-in's installs: Slack's approval page, ``oauth.v2.access`` and its errors, tokens
that speak for one workspace each, rotation and uninstall; through slack_sdk's own client."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin.server import SlackStandIn

CLIENT_ID = "1111.2222"
SECRET = "client-secret"
REDIRECT = "https://bot.example.com/slack/oauth_redirect"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        server.oauth_app(CLIENT_ID, SECRET, redirect_uri=REDIRECT)
        server.add_team("T2", "Other Corp")
        yield server


def _code(standin: SlackStandIn, team: str, **query: str) -> tuple[str, dict[str, str]]:
    params = {"client_id": CLIENT_ID, "scope": "commands,chat:write", "state": "s1", **query}
    standin.install_as(team, "UADMIN")
    answer = httpx.get(f"{standin.authorize_url}?{urlencode(params)}")
    assert answer.status_code == 302
    location = answer.headers["location"]
    back = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return location, back


def test_the_approval_page_sends_the_browser_back_with_a_code_and_the_state(standin) -> None:
    location, back = _code(standin, "T2")
    assert location.startswith(REDIRECT + "?")
    assert back["state"] == "s1" and back["code"]
    unknown = httpx.get(f"{standin.authorize_url}?client_id=nope&state=s")
    assert unknown.status_code == 400 and unknown.text == "invalid_client_id"


def test_a_code_buys_one_bot_token_of_its_workspace(standin) -> None:
    _, back = _code(standin, "T2")
    slack = WebClient(base_url=standin.api_url)
    answer = slack.oauth_v2_access(client_id=CLIENT_ID, client_secret=SECRET, code=back["code"])
    assert answer["ok"] and answer["token_type"] == "bot"
    assert answer["team"] == {"id": "T2", "name": "Other Corp"}
    assert answer["enterprise"] is None and answer["authed_user"] == {"id": "UADMIN"}
    assert answer["scope"] == "commands,chat:write" and answer["bot_user_id"]
    token = answer["access_token"]
    assert token.startswith("xoxb-") and "refresh_token" not in answer
    tested = WebClient(token=token, base_url=standin.api_url).auth_test()
    assert (tested["team_id"], tested["team"]) == ("T2", "Other Corp")
    assert WebClient(token="xoxb-test", base_url=standin.api_url).auth_test()["team_id"] == "T0001"
    with pytest.raises(SlackApiError) as spent:
        slack.oauth_v2_access(client_id=CLIENT_ID, client_secret=SECRET, code=back["code"])
    assert spent.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("client_id", "secret", "error"),
    [("nope", SECRET, "invalid_client_id"), (CLIENT_ID, "wrong", "bad_client_secret")],
)
def test_bad_credentials_are_refused(standin, client_id, secret, error) -> None:
    _, back = _code(standin, "T2")
    with pytest.raises(SlackApiError) as refused:
        WebClient(base_url=standin.api_url).oauth_v2_access(
            client_id=client_id, client_secret=secret, code=back["code"]
        )
    assert refused.value.response["error"] == error


def test_each_workspace_keeps_its_own_messages(standin) -> None:
    _, back = _code(standin, "T2")
    slack = WebClient(base_url=standin.api_url)
    token = slack.oauth_v2_access(client_id=CLIENT_ID, client_secret=SECRET, code=back["code"])[
        "access_token"
    ]
    WebClient(token=token, base_url=standin.api_url).chat_postMessage(channel="C2", text="hi")
    assert [m["text"] for m in standin.team("T2").messages("C2")] == ["hi"]
    assert standin.messages("C2") == []
    assert [c.token for c in standin.team("T2").calls("chat.postMessage")] == [token]


def test_rotated_tokens_expire_refresh_once_and_an_uninstall_revokes_them(standin) -> None:
    standin.oauth_app(CLIENT_ID, SECRET, redirect_uri=REDIRECT, token_rotation=True)
    standin.expire_tokens_in(0)
    _, back = _code(standin, "T2")
    slack = WebClient(base_url=standin.api_url)
    first = slack.oauth_v2_access(client_id=CLIENT_ID, client_secret=SECRET, code=back["code"])
    assert first["access_token"].startswith("xoxe.xoxb-") and first["expires_in"] == 0
    with pytest.raises(SlackApiError) as expired:
        WebClient(token=first["access_token"], base_url=standin.api_url).auth_test()
    assert expired.value.response["error"] == "token_expired"

    standin.expire_tokens_in(43_200)
    refreshed = slack.oauth_v2_access(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert refreshed["team"]["id"] == "T2" and refreshed["refresh_token"] != first["refresh_token"]
    fresh = WebClient(token=refreshed["access_token"], base_url=standin.api_url)
    assert fresh.auth_test()["team_id"] == "T2"
    with pytest.raises(SlackApiError) as reused:
        slack.oauth_v2_access(
            client_id=CLIENT_ID,
            client_secret=SECRET,
            grant_type="refresh_token",
            refresh_token=first["refresh_token"],
        )
    assert reused.value.response["error"] == "invalid_refresh_token"

    standin.uninstall("T2")
    with pytest.raises(SlackApiError) as gone:
        fresh.auth_test()
    assert gone.value.response["error"] == "invalid_auth"
