"""Each workspace's bot token for calls made outside a request (the outbox, the scheduler):
read from the installation store, refreshed before it expires, gone after an uninstall."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.delivery_checks import Permanent, classify
from bot.services.workspaces import InstalledTokens, NotInstalled, Workspaces
from bot.standin.server import SlackStandIn
from storage.db import make_engine, prepare
from storage.installations import InstallationStore

CLIENT_ID = "1111.2222"
SECRET = "client-secret"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        server.oauth_app(CLIENT_ID, SECRET, redirect_uri="https://bot/r", token_rotation=True)
        server.add_team("T2", "Other Corp")
        yield server


@pytest.fixture
def store(tmp_path: Path) -> InstallationStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    prepare(engine)
    return InstallationStore(CLIENT_ID, engine)


def _install(standin: SlackStandIn, store: InstallationStore, team: str) -> dict:
    """Install through the stand-in (its approval page skipped) and keep the answer."""
    standin.install_as(team, "UADMIN")
    import httpx

    location = httpx.get(
        f"{standin.authorize_url}?client_id={CLIENT_ID}&scope=commands&state=s"
    ).headers["location"]
    code = location.split("code=")[1].split("&")[0]
    answer = WebClient(base_url=standin.api_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret=SECRET, code=code
    )
    store.sync.save(
        Installation(
            app_id=answer["app_id"],
            enterprise_id=None,
            team_id=team,
            bot_token=answer["access_token"],
            bot_refresh_token=answer["refresh_token"],
            bot_token_expires_in=answer["expires_in"],
            bot_user_id=answer["bot_user_id"],
            user_id="UADMIN",
            installed_at=time.time(),
        )
    )
    return answer.data


def _tokens(standin: SlackStandIn, store: InstallationStore) -> InstalledTokens:
    client = AsyncWebClient(base_url=standin.api_url)
    rotator = AsyncTokenRotator(client_id=CLIENT_ID, client_secret=SECRET, client=client)
    return InstalledTokens(store, rotator, rotation_minutes=120)


def test_a_token_that_expires_soon_is_refreshed_kept_and_used(standin, store) -> None:
    first = _install(standin, store, "T2")  # 12 hours: not due yet
    tokens = _tokens(standin, store)

    async def run() -> None:
        assert await tokens.bot_token("T2") == first["access_token"]
        standin.expire_tokens_in(3600)  # inside the two hours before expiry: refresh
        tokens.forget("T2")
        store.sync.save(
            Installation(
                app_id="A0001",
                enterprise_id=None,
                team_id="T2",
                bot_token=first["access_token"],
                bot_refresh_token=first["refresh_token"],
                bot_token_expires_in=3600,
                user_id="UADMIN",
                installed_at=time.time(),
            )
        )
        refreshed = await tokens.bot_token("T2")
        assert refreshed != first["access_token"] and refreshed in standin.tokens_of("T2")
        assert store.find_team_bot("T2").bot_token == refreshed
        client = Workspaces(tokens).client("T2", AsyncWebClient(base_url=standin.api_url))
        await client.chat_postMessage(channel="C2", text="from the outbox")

    asyncio.run(run())
    refreshes = [c for c in standin.calls("oauth.v2.access") if c.args.get("grant_type")]
    assert len(refreshes) == 1
    [post] = standin.team("T2").calls("chat.postMessage")
    assert post.ok and post.token == store.find_team_bot("T2").bot_token


def test_a_workspace_without_an_installation_fails_for_good(standin, store) -> None:
    tokens = _tokens(standin, store)
    client = Workspaces(tokens).client("T9", AsyncWebClient(base_url=standin.api_url))

    async def run() -> Exception:
        try:
            await client.chat_postMessage(channel="C1", text="nobody reads this")
        except NotInstalled as error:
            return error
        raise AssertionError("no installation, yet the call went out")

    error = asyncio.run(run())
    assert classify(False, error) == Permanent("not_installed")
    assert standin.calls("chat.postMessage") == []


def test_with_one_bot_token_every_workspace_uses_the_apps_client() -> None:
    client = AsyncWebClient(token="xoxb-test")
    assert Workspaces().client("T2", client) is client
