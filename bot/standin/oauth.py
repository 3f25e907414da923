"""Slack's side of installs in many workspaces, for the stand-in: the approval page that hands
out a code, ``oauth.v2.access`` that trades it (or a refresh token) for a bot token, and which
workspace each token speaks for.

Shapes follow Slack's documentation of ``oauth.v2.access``: ``ok``, ``access_token``
(``xoxb-``; ``xoxe.xoxb-`` with token rotation on, then with ``refresh_token`` and
``expires_in``), ``token_type`` ``bot``, ``scope``, ``bot_user_id``, ``app_id``, ``team``
``{id, name}``, ``enterprise`` (null), ``authed_user`` ``{id}``, ``is_enterprise_install``.
Errors: ``invalid_client_id``, ``bad_client_secret``, ``invalid_code``, ``bad_redirect_uri``,
``invalid_grant_type``, ``invalid_refresh_token``.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.standin.apicommon import ApiError
from bot.standin.payloads import BOT_USER_ID

ROTATED_TOKEN_SECONDS = 43_200
"""Slack's rotated bot tokens live 12 hours."""


@dataclass
class Team:
    """A workspace of the stand-in."""

    id: str
    name: str


@dataclass
class Grant:
    """A code handed out by the approval page, not traded yet."""

    team_id: str
    user_id: str
    scope: str
    redirect_uri: str | None


@dataclass
class Issued:
    """A bot token: whose it is, until when it works."""

    team_id: str
    expires_at: float | None = None


@dataclass
class OAuthApp:
    """The distributed app registered with the stand-in."""

    client_id: str
    client_secret: str
    app_id: str = "A0001"
    redirect_uri: str | None = None
    rotation: bool = False


@dataclass
class Installs:
    """Workspaces, tokens and codes. Use under the stand-in's lock.

    Args:
        default_team: The workspace the single bot token belongs to.
        bot_token: That token (it never expires).
        clock: Wall-clock seconds.
    """

    default_team: Team
    bot_token: str
    clock: Callable[[], float] = time.time
    app: OAuthApp | None = None
    teams: dict[str, Team] = field(default_factory=dict)
    tokens: dict[str, Issued] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)
    token_seconds: float = ROTATED_TOKEN_SECONDS
    next_installer: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        self.teams[self.default_team.id] = self.default_team
        self.tokens[self.bot_token] = Issued(self.default_team.id)

    # -- tokens ------------------------------------------------------------------------------

    def team_of(self, token: str) -> str | None:
        """The workspace ``token`` speaks for, or None when it is unknown or revoked.

        Raises:
            ApiError: ``token_expired`` for a rotated token past its 12 hours.
        """
        issued = self.tokens.get(token)
        if issued is None:
            return None
        if issued.expires_at is not None and issued.expires_at <= self.clock():
            raise ApiError("token_expired")
        return issued.team_id

    def team_tokens(self, team_id: str) -> list[str]:
        """The tokens that work in ``team_id``."""
        return [token for token, issued in self.tokens.items() if issued.team_id == team_id]

    def revoke_team(self, team_id: str) -> None:
        """The app is uninstalled from ``team_id``: its tokens stop working."""
        for token in self.team_tokens(team_id):
            del self.tokens[token]
        for refresh, team in list(self.refresh_tokens.items()):
            if team == team_id:
                del self.refresh_tokens[refresh]

    def revoke(self, token: str) -> bool:
        """``auth.revoke``: ``token`` stops working."""
        return self.tokens.pop(token, None) is not None

    # -- the approval page -------------------------------------------------------------------

    def authorize(self, query: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """A person approves the install: where Slack sends their browser, with what.

        The workspace is the ``team`` asked for, else the one set by ``next_installer``,
        else the default one.

        Raises:
            ApiError: ``invalid_client_id`` for an app the stand-in does not know.
        """
        if self.app is None or query.get("client_id") != self.app.client_id:
            raise ApiError("invalid_client_id")
        team_id, user_id = self.next_installer or (self.default_team.id, "UINSTALLER")
        team_id = query.get("team") or team_id
        if team_id not in self.teams:
            raise ApiError("team_not_found")
        redirect_uri = query.get("redirect_uri") or None
        target = redirect_uri or self.app.redirect_uri
        if not target:
            raise ApiError("bad_redirect_uri")
        code = f"{team_id}.{secrets.token_hex(8)}"
        self.codes[code] = Grant(team_id, user_id, query.get("scope", ""), redirect_uri)
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        return target, back

    # -- oauth.v2.access ---------------------------------------------------------------------

    def access(self, args: Mapping[str, Any], authorization: str) -> dict[str, Any]:
        """Answer ``oauth.v2.access``: a code or a refresh token for a bot token.

        The client id and secret come by HTTP Basic authentication, or as arguments.
        """
        client_id, client_secret = _credentials(args, authorization)
        if self.app is None or client_id != self.app.client_id:
            raise ApiError("invalid_client_id")
        if client_secret != self.app.client_secret:
            raise ApiError("bad_client_secret")
        grant_type = str(args.get("grant_type") or "authorization_code")
        if grant_type == "refresh_token":
            team_id = self.refresh_tokens.pop(str(args.get("refresh_token") or ""), None)
            if team_id is None or team_id not in self.teams:
                raise ApiError("invalid_refresh_token")
            return self._bot_token(team_id, scope=None, user_id=None)
        if grant_type != "authorization_code":
            raise ApiError("invalid_grant_type")
        grant = self.codes.pop(str(args.get("code") or ""), None)
        if grant is None:
            raise ApiError("invalid_code")
        if grant.redirect_uri and args.get("redirect_uri") != grant.redirect_uri:
            raise ApiError("bad_redirect_uri")
        return self._bot_token(grant.team_id, scope=grant.scope, user_id=grant.user_id)

    def _bot_token(self, team_id: str, *, scope: str | None, user_id: str | None) -> dict[str, Any]:
        assert self.app is not None
        team = self.teams[team_id]
        existing = [t for t in self.team_tokens(team_id) if self.tokens[t].expires_at is None]
        answer: dict[str, Any] = {
            "ok": True,
            "token_type": "bot",
            "scope": scope if scope is not None else "",
            "bot_user_id": BOT_USER_ID,
            "app_id": self.app.app_id,
            "team": {"id": team.id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if user_id is not None:
            answer["authed_user"] = {"id": user_id}
        if self.app.rotation:
            token = f"xoxe.xoxb-1-{secrets.token_hex(12)}"
            refresh = f"xoxe-1-{secrets.token_hex(12)}"
            self.tokens[token] = Issued(team_id, self.clock() + self.token_seconds)
            self.refresh_tokens[refresh] = team_id
            answer.update(
                access_token=token, refresh_token=refresh, expires_in=int(self.token_seconds)
            )
        else:
            # Without rotation a workspace keeps its bot token across installs.
            token = existing[0] if existing else f"xoxb-{team_id}-{secrets.token_hex(12)}"
            self.tokens[token] = Issued(team_id)
            answer["access_token"] = token
        return answer


def _credentials(args: Mapping[str, Any], authorization: str) -> tuple[str, str]:
    if authorization.startswith("Basic "):
        try:
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode("utf-8")
        except ValueError:
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return str(args.get("client_id") or ""), str(args.get("client_secret") or "")
