"""What ``bot/manifest.yml`` asks Slack for."""

from __future__ import annotations

from importlib import resources

import yaml


def bot_scopes() -> frozenset[str]:
    """The bot scopes that ``bot/manifest.yml`` asks for."""
    text = resources.files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")
    return frozenset(yaml.safe_load(text)["oauth_config"]["scopes"]["bot"])
