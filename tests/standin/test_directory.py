"""The stand-in's directory answers as Slack does: users.info with admin, owner and locale,
user groups, and a channel's members, each refused without its scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin.access import manifest_scopes
from bot.standin.server import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url)


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_the_manifest_asks_for_the_directory_scopes() -> None:
    assert {"usergroups:read", "users:read", "channels:read", "groups:read"} <= manifest_scopes()


def test_users_info_tells_admins_owners_and_the_locale(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.set_user("U_ADMIN", is_admin=True, locale="de-DE")
    standin.set_user("U_OWNER", is_owner=True)
    admin = client.users_info(user="U_ADMIN", include_locale=True)["user"]
    assert (admin["is_admin"], admin["is_owner"], admin["locale"]) == (True, False, "de-DE")
    owner = client.users_info(user="U_OWNER")["user"]
    assert owner["is_admin"] and owner["is_owner"] and "locale" not in owner
    assert not client.users_info(user="U_REP")["user"]["is_admin"]
    standin.set_user("U_GONE", missing=True)
    assert _error(lambda: client.users_info(user="U_GONE")) == "user_not_found"
    standin.set_scopes(manifest_scopes() - {"users:read"})
    assert _error(lambda: client.users_info(user="U_ADMIN")) == "missing_scope"


def test_usergroups_list_and_their_users(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_usergroup("S0AE", "ae-team", ["U_AE1", "U_AE2"])
    standin.set_usergroup("S0OLD", "old-team", ["U_X"], disabled=True)
    groups = client.usergroups_list()["usergroups"]
    assert [(g["id"], g["handle"], g["user_count"]) for g in groups] == [("S0AE", "ae-team", 2)]
    assert "users" not in groups[0]
    with_users = client.usergroups_list(include_users=True, include_disabled=True)["usergroups"]
    assert {g["id"]: g["users"] for g in with_users} == {
        "S0AE": ["U_AE1", "U_AE2"],
        "S0OLD": ["U_X"],
    }
    assert client.usergroups_users_list(usergroup="S0AE")["users"] == ["U_AE1", "U_AE2"]
    assert _error(lambda: client.usergroups_users_list(usergroup="S0NONE")) == "no_such_subteam"
    standin.set_scopes(manifest_scopes() - {"usergroups:read"})
    assert _error(lambda: client.usergroups_list()) == "missing_scope"
    assert _error(lambda: client.usergroups_users_list(usergroup="S0AE")) == "missing_scope"


def test_conversations_members_pages_and_needs_the_channel_kinds_scope(
    client: WebClient, standin: SlackStandIn
) -> None:
    people = [f"U{n:03d}" for n in range(5)]
    standin.set_channel_members("C_ALERT", people)
    standin.set_channel_members("G_PRIVATE", ["U001"])
    first = client.conversations_members(channel="C_ALERT", limit=3)
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_members(channel="C_ALERT", limit=3, cursor=cursor)
    assert first["members"] + rest["members"] == people
    assert rest["response_metadata"]["next_cursor"] == ""
    assert client.conversations_members(channel="G_PRIVATE")["members"] == ["U001"]
    standin.set_scopes(manifest_scopes() - {"channels:read"})
    assert _error(lambda: client.conversations_members(channel="C_ALERT")) == "missing_scope"
    assert client.conversations_members(channel="G_PRIVATE")["ok"]  # groups:read still granted
