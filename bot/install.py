"""Installs in many workspaces: Bolt's OAuth flow on our database, with our own pages.

``GET /slack/install`` shows the Add to Slack page, whose link carries a one-time ``state``
(kept in ``slack_oauth_states`` and in a cookie of the installer's browser); Slack sends the
installer back to ``GET /slack/oauth_redirect`` with a code, which ``oauth.v2.access`` trades
for the workspace's bot token, kept in ``slack_installations`` and ``slack_bots``.
"""

from __future__ import annotations

import html
import logging

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth import OAuthStateUtils

from bot.rendering import Texts
from bot.services.context import Services
from storage.installations import StateStore

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
_HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(title: str, *paragraphs: str) -> str:
    """A small HTML page of wording from the textbook, which escapes what it fills in
    (``&``, ``<``, ``>``): safe as the text of an element, not escaped again here."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n"
        "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em;"
        "text-align:center}</style>\n"
        f"</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )


def install_page(t: Texts, url: str) -> str:
    """The Add to Slack page: one link to Slack's approval page."""
    link = f'<a href="{html.escape(url, quote=True)}">{t("install_button")}</a>'
    return page(t("install_title"), t("install_intro"), link)


class InstallFlow(AsyncOAuthFlow):
    """Bolt's OAuth flow with the Add to Slack page in the bot's words."""

    def __init__(self, *, texts: Texts, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.texts = texts

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return install_page(self.texts, url)


def _callbacks(t: Texts, state_utils: OAuthStateUtils) -> AsyncCallbackOptions:
    # The browser's state cookie is spent either way.
    headers = {**_HTML, "Set-Cookie": state_utils.build_set_cookie_for_deletion()}

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        team = args.installation.team_name or args.installation.team_id or ""
        log.info("installed in %s (%s)", args.installation.team_id, args.installation.team_name)
        body = page(t("install_done_title"), t("install_done", team=team))
        return BoltResponse(status=200, body=body, headers=dict(headers))

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("install failed: %s", args.reason)
        body = page(t("install_failed_title"), t("install_failed", reason=args.reason))
        return BoltResponse(status=args.suggested_status_code, body=body, headers=dict(headers))

    return AsyncCallbackOptions(success=success, failure=failure)


def install_flow(services: Services) -> tuple[InstallFlow, AsyncInstallationStoreAuthorize]:
    """The OAuth flow of ``/slack/install`` and ``/slack/oauth_redirect``, and the look-up of
    each request's workspace token, both on the installation store of ``services``.

    Each request's token is read from the store (refreshed first when Slack rotates tokens
    and it expires soon); its ``auth.test`` is asked once per token, not per request.
    """
    settings = services.settings
    store = services.installations
    assert store is not None, "installs need the installation store"
    t = services.texts()
    state_utils = OAuthStateUtils()
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.bot_scopes,
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri or None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=settings.authorize_url,
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        state_store=StateStore(services.engine, state_utils.expiration_seconds),
        callback_options=_callbacks(t, state_utils),
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        bot_only=True,
        cache_enabled=True,
        client=services.client,
    )
    return InstallFlow(client=services.client, settings=oauth, logger=log, texts=t), authorize
