"""Runtime settings, read from the environment and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_database_url() -> str:
    # Resolved when settings load, not at import, so the working directory of the run counts.
    return f"sqlite:///{Path.cwd() / 'sdrbot.db'}"


class Settings(BaseSettings):
    """Everything the bot needs to know about its surroundings.

    Attributes:
        slack_bot_token: The bot token (``xoxb-...``); empty when running without Slack.
        slack_signing_secret: Secret that signs requests from Slack.
        slack_app_token: App-level token (``xapp-...``) for Socket Mode.
        slack_api_url: Base URL of the Slack Web API handed to ``slack_sdk``.
        database_url: SQLAlchemy URL of the database.
        alert_channel: Channel id where hot leads are announced.
        manager_channel: Channel id where managers hear about handoffs.
        language: Default language of new qualifications.
        config_path: Path of the team's YAML config file, if any.
        slack_timeout: Seconds a Web API call may take before it counts as failed.
        slack_read_interval: Seconds between two reads of history (or of replies) when the
            outbox checks a post whose outcome is unknown; Slack allows one a minute to apps
            outside its Marketplace.
        hubspot_token: HubSpot private-app access token; empty leaves HubSpot alone.
        hubspot_url: HubSpot's API base URL (a stand-in's in tests).
        hubspot_app_secret: The HubSpot app's client secret, which signs its webhooks (v3).
        salesforce_url: The Salesforce org's My Domain URL (token endpoint and login).
        salesforce_client_id: The connected app's consumer key (client credentials flow).
        salesforce_client_secret: Its consumer secret.
        slack_client_id: The app's Client ID; with the secret it turns on installs in many
            workspaces (``/slack/install``), each workspace speaking with its own bot token.
        slack_client_secret: The app's Client Secret.
        slack_scopes: Bot scopes an install asks for, comma-separated; by default those of
            ``bot/manifest.yml``.
        slack_redirect_uri: The Redirect URL registered with the app, when it has several;
            Slack uses the one registered otherwise.
        slack_token_rotation_minutes: With token rotation on, a bot token is refreshed this
            many minutes before it expires.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: str = Field(default="", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    database_url: str = Field(
        default_factory=_default_database_url, validation_alias="DATABASE_URL"
    )
    alert_channel: str = Field(
        default="", validation_alias=AliasChoices("SDRBOT_ALERT_CHANNEL", "alert_channel")
    )
    manager_channel: str = Field(
        default="", validation_alias=AliasChoices("SDRBOT_MANAGER_CHANNEL", "manager_channel")
    )
    language: Literal["en", "de"] = Field(
        default="en", validation_alias=AliasChoices("SDRBOT_LANGUAGE", "language")
    )
    config_path: str | None = Field(
        default=None, validation_alias=AliasChoices("SDRBOT_CONFIG", "config_path")
    )

    slack_timeout: float = Field(
        default=10.0,
        gt=0,
        validation_alias=AliasChoices("SDRBOT_SLACK_TIMEOUT", "slack_timeout"),
    )

    slack_read_interval: float = Field(
        default=60.0,
        gt=0,
        validation_alias=AliasChoices("SDRBOT_SLACK_READ_INTERVAL", "slack_read_interval"),
    )

    hubspot_token: str = Field(
        default="", validation_alias=AliasChoices("SDRBOT_HUBSPOT_TOKEN", "hubspot_token")
    )
    hubspot_url: str = Field(
        default="https://api.hubapi.com",
        validation_alias=AliasChoices("SDRBOT_HUBSPOT_URL", "hubspot_url"),
    )
    hubspot_app_secret: str = Field(
        default="",
        validation_alias=AliasChoices("SDRBOT_HUBSPOT_APP_SECRET", "hubspot_app_secret"),
    )
    salesforce_url: str = Field(
        default="", validation_alias=AliasChoices("SDRBOT_SALESFORCE_URL", "salesforce_url")
    )
    salesforce_client_id: str = Field(
        default="",
        validation_alias=AliasChoices("SDRBOT_SALESFORCE_CLIENT_ID", "salesforce_client_id"),
    )
    salesforce_client_secret: str = Field(
        default="",
        validation_alias=AliasChoices(
            "SDRBOT_SALESFORCE_CLIENT_SECRET", "salesforce_client_secret"
        ),
    )

    slack_client_id: str = Field(default="", validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str = Field(default="", validation_alias="SLACK_CLIENT_SECRET")
    slack_scopes: str = Field(default="", validation_alias="SLACK_SCOPES")
    slack_redirect_uri: str = Field(default="", validation_alias="SLACK_REDIRECT_URI")
    slack_token_rotation_minutes: int = Field(
        default=120,
        gt=0,
        validation_alias=AliasChoices(
            "SDRBOT_TOKEN_ROTATION_MINUTES", "slack_token_rotation_minutes"
        ),
    )

    @classmethod
    def load(cls) -> Settings:
        """Read the settings from the environment (and ``.env``).

        Returns:
            A validated ``Settings`` instance.
        """
        return cls()

    @property
    def has_slack_tokens(self) -> bool:
        """Whether a real Slack app is configured: a signing secret, and a bot token or the
        app's client id and secret."""
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.installs))

    @property
    def installs(self) -> bool:
        """Whether the app is installed through ``/slack/install`` in any number of workspaces
        (client id and secret set) rather than speaking with one ``SLACK_BOT_TOKEN``."""
        return bool(self.slack_client_id.strip() and self.slack_client_secret.strip())

    @property
    def bot_scopes(self) -> list[str]:
        """The bot scopes an install asks for: ``SLACK_SCOPES``, else the manifest's."""
        if self.slack_scopes.strip():
            return [s.strip() for s in self.slack_scopes.split(",") if s.strip()]
        from bot.manifest import bot_scopes

        return sorted(bot_scopes())

    @property
    def authorize_url(self) -> str:
        """Slack's page where a person approves an install: next to the Web API's URL."""
        return urljoin(self.api_base_url, "../oauth/v2/authorize")

    @property
    def outbox_lease_seconds(self) -> float:
        """How long an outbox sender's claim holds: a call with its two retries, plus room for
        Slack's ``Retry-After`` pauses, so no other sender posts a message still in flight."""
        return 3 * self.slack_timeout + 10

    @property
    def api_base_url(self) -> str:
        """The Web API base URL with the trailing slash ``slack_sdk`` expects."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"
