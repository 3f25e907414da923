"""The single-workspace manifest and the distributable one ask Slack for the same app; the
distributable one adds only what installs in many workspaces need."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from bot.settings import Settings


def _manifest(name: str) -> dict[str, Any]:
    return yaml.safe_load(resources.files("bot").joinpath(name).read_text(encoding="utf-8"))


def test_the_distributable_manifest_is_the_single_one_plus_redirect_and_uninstall_events():
    single = _manifest("manifest.yml")
    distributed = _manifest("manifest.distributed.yml")
    assert distributed["oauth_config"]["redirect_urls"] == [
        "https://sdrbot.example.com/slack/oauth_redirect"
    ]
    assert distributed["oauth_config"]["scopes"] == single["oauth_config"]["scopes"]
    events = distributed["settings"]["event_subscriptions"]["bot_events"]
    assert events == [
        *single["settings"]["event_subscriptions"]["bot_events"],
        "app_uninstalled",
        "tokens_revoked",
    ]
    for key in ("display_information", "features", "functions", "events"):
        assert distributed[key] == single[key]


def test_an_install_asks_for_the_manifests_scopes_unless_told_otherwise():
    scopes = _manifest("manifest.yml")["oauth_config"]["scopes"]["bot"]
    assert Settings(slack_client_id="1.2", slack_client_secret="s").bot_scopes == sorted(scopes)
    told = Settings(slack_scopes="commands, chat:write")
    assert told.bot_scopes == ["commands", "chat:write"]


def test_client_id_and_secret_turn_installs_on_and_count_as_slack_tokens():
    assert not Settings(slack_client_id="1.2").installs
    both = Settings(slack_client_id="1.2", slack_client_secret="s", slack_signing_secret="x")
    assert both.installs and both.has_slack_tokens
    assert not Settings(slack_client_id="1.2", slack_client_secret="s").has_slack_tokens
    assert both.authorize_url == "https://slack.com/oauth/v2/authorize"
    local = Settings(slack_api_url="http://127.0.0.1:9/api/")
    assert local.authorize_url == "http://127.0.0.1:9/oauth/v2/authorize"
