"""Installs in many workspaces: Bolt's OAuth flow on our database, with our own pages.

``GET /slack/install`` shows the Add to Slack page, whose link carries a one-time ``state``
(kept in ``slack_oauth_states`` and in a cookie of the installer's browser); Slack sends the
installer back to ``GET /slack/oauth_redirect`` with a code, which ``oauth.v2.access`` trades
for the workspace's bot token, kept in ``slack_installations`` and ``slack_bots``.
"""

from __future__ import annotations

import html
import logging

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth import OAuthStateUtils

from bot.rendering import Texts
from bot.services.context import Services
from bot.services.workspaces import InstalledTokens, NotInstalled
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


class WorkspaceAuthorize(AsyncAuthorize):
    """Bolt's look-up of a request's bot token, from the same token source as every other
    call of the workspace (so one process refreshes a rotating token in one place, once);
    ``auth.test`` is asked once per token, not per request."""

    def __init__(self, tokens: InstalledTokens) -> None:
        self.tokens = tokens
        self._known: dict[str, AuthorizeResult] = {}

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        if not team_id:
            return None  # installs across a whole Enterprise Grid org are not offered
        try:
            token = await self.tokens.bot_token(team_id)
        except NotInstalled:
            return None
        known = self._known.get(token)
        if known is None:
            try:
                answer = await context.client.auth_test(token=token)
            except SlackApiError as error:
                log.warning("the token of %s is refused: %s", team_id, error.response.get("error"))
                self.tokens.forget(team_id)
                return None
            known = AuthorizeResult.from_auth_test_response(
                auth_test_response=answer, bot_token=token
            )
            # A workspace's older tokens (rotated away) are not kept.
            self._known = {t: r for t, r in self._known.items() if r.team_id != team_id}
            self._known[token] = known
        return known


def install_flow(services: Services) -> tuple[InstallFlow, WorkspaceAuthorize]:
    """The OAuth flow of ``/slack/install`` and ``/slack/oauth_redirect`` on the installation
    store of ``services``, and the look-up of each request's workspace token."""
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
    tokens = services.workspaces.tokens
    assert tokens is not None, "installs need each workspace's tokens"
    flow = InstallFlow(client=services.client, settings=oauth, logger=log, texts=t)
    return flow, WorkspaceAuthorize(tokens)
