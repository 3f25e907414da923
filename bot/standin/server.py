"""``SlackStandIn``: a loopback HTTP server that answers like Slack's Web API and records calls.

It runs an aiohttp server on its own event loop in a background thread, so blocking tests and
async load tests can both talk to it, and injected latency is an ``asyncio.sleep`` that never
serialises concurrent calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import random
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from bot.standin.access import READ_METHODS, Access, ReadLimit, manifest_scopes
from bot.standin.blockkit import call_problems
from bot.standin.faults import Faults, RecordedCall
from bot.standin.loop_thread import LoopbackSite, LoopThread
from bot.standin.oauth import Installs, OAuthApp, Team
from bot.standin.queries import WorkspaceQueries
from bot.standin.responses import ResponseTarget, apply_response
from bot.standin.store import Workspace
from bot.standin.webapi import ApiError, WebApi

# Form-encoded calls carry these as JSON strings; JSON calls carry them as values.
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "users")
_HANG_STATUS = 504
MAX_RESPONSE_URL_USES = 5


def _parse_args(raw: bytes, content_type: str, query: Mapping[str, str]) -> dict[str, Any]:
    args: dict[str, Any] = dict(query)
    if raw:
        if content_type.startswith("application/json"):
            args.update(json.loads(raw))
        else:
            args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for name in _JSON_FIELDS:
        value = args.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # Slack would reject bad JSON; the method handler then reports invalid arguments.
            with contextlib.suppress(json.JSONDecodeError):
                args[name] = json.loads(value)
    return args


class SlackStandIn(WorkspaceQueries, LoopbackSite):
    """A stand-in for Slack's Web API on loopback.

    Args:
        bot_token: The only token accepted; others get ``invalid_auth``.
        host: Interface to listen on (keep it loopback).
        port: Port to listen on; 0 picks a free one.
        latency: Seconds every call waits before answering; settable at runtime.
        seed: Seed of the fault dice, so a failing run can be replayed.
        team_id: The workspace id.
        users: Profiles for ``users.info`` by user id (``name``, ``real_name``, ``tz``...).
        missing_channels: Channel ids that answer ``channel_not_found``.
        scopes: The bot's granted scopes; by default those ``bot/manifest.yml`` asks for.
        members: Channels the bot was invited to (it is in its DMs anyway).
        read_limit: Limit on ``conversations.history`` / ``.replies``; by default Slack's for
            apps outside its Marketplace (one call a minute per method, 15 messages).
        team_name: The workspace's name.

    More workspaces join with :meth:`add_team`, each with its own channels, messages and
    people; installs through Slack's approval page (:meth:`oauth_app`, ``authorize_url``)
    and ``oauth.v2.access`` hand out a bot token per workspace, and every call is answered
    in the workspace of its token.
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        seed: int = 0,
        team_id: str = "T0001",
        users: Mapping[str, Mapping[str, Any]] | None = None,
        missing_channels: set[str] | None = None,
        scopes: set[str] | frozenset[str] | None = None,
        members: set[str] | None = None,
        read_limit: ReadLimit | None = None,
        team_name: str = "sdrbot local",
    ) -> None:
        self.bot_token = bot_token
        self.host = host
        self.port = port
        self.latency = latency
        self.team_id = team_id
        self.missing_channels: set[str] = set(missing_channels or ())
        self.workspace = Workspace()
        self.faults = Faults(rng=random.Random(seed))
        self.access = Access(
            scopes=frozenset(manifest_scopes() if scopes is None else scopes),
            members=set(members or ()),
            read_limit=read_limit or ReadLimit(),
        )
        self.api = WebApi(
            self.workspace,
            team_id=team_id,
            users=users or {},
            missing_channels=self.missing_channels,
            upload_base=lambda: f"{self.base_url}/upload",
            access=self.access,
        )
        self.installs = Installs(Team(team_id, team_name), bot_token)
        self._teams: dict[str, TeamSpace] = {}
        self._calls: list[RecordedCall] = []
        self._response_uses: dict[str, int] = {}
        self._response_targets: dict[str, ResponseTarget] = {}
        self._runner: web.AppRunner | None = None
        self._loop_thread = LoopThread("slack-standin")

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """The Web API base URL for ``slack_sdk`` (``base_url``), with its trailing slash."""
        return f"{self.base_url}/api/"

    @property
    def response_url_base(self) -> str:
        """Base of the ``response_url`` endpoints; give it to the sender as ``response_base``."""
        return f"{self.base_url}/response"

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_get("/oauth/v2/authorize", self._handle_authorize)
        app.router.add_post("/response/{token}", self._handle_response_url)
        app.router.add_post("/response/{team}/{token}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_post("/upload/{team}/{file_id}", self._handle_upload)
        return app

    # -- HTTP handlers -----------------------------------------------------------------------

    def _record(self, call: RecordedCall) -> None:
        with self.workspace.lock:
            self._calls.append(call)
            self.workspace.changed.notify_all()

    async def _apply_fault(
        self, method: str, args: dict[str, Any], fault: str | None, *, after_effect: bool = False
    ) -> web.Response | None:
        if fault is None:
            return None
        if fault == "hang":
            await asyncio.sleep(self.faults.hang_seconds)
            body, status, headers = {"ok": False, "error": "request_timeout"}, _HANG_STATUS, {}
        elif fault == "rate_limited":
            retry = str(self.faults.retry_after)
            body, status, headers = (
                {"ok": False, "error": "ratelimited"},
                429,
                {"Retry-After": retry},
            )
        else:
            body, status, headers = {"ok": False, "error": "internal_error"}, 500, {}
        named = f"{fault}_after_effect" if after_effect else fault
        self._record(RecordedCall(method, args, body, status, time.time(), named))
        return web.json_response(body, status=status, headers=headers)

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.read()
        try:
            args = _parse_args(raw, request.content_type, request.query)
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "invalid_json"})
        if self.latency:
            await asyncio.sleep(self.latency)
        fault, after_effect = self.faults.draw_for(method, args)
        if not after_effect:
            faulted = await self._apply_fault(method, args, fault)
            if faulted is not None:
                return faulted
        auth = request.headers.get("Authorization", "")
        if method == "oauth.v2.access":
            return self._oauth_access(args, auth)
        token = auth.removeprefix("Bearer ").strip() if auth else str(args.pop("token", ""))
        args.pop("token", None)
        team_id = None
        try:
            with self.workspace.lock:
                team_id = self.installs.team_of(token) if token else None
                if team_id is None and token and self.api.functions.is_token(token):
                    team_id = self.team_id  # a workflow step run's own token, while it runs
        except ApiError as error:
            body = {"ok": False, "error": error.error}
        else:
            if not token:
                body = {"ok": False, "error": "not_authed"}
            elif team_id is None:
                body = {"ok": False, "error": "invalid_auth"}
            else:
                body = self._answer(method, args, token, team_id)
        if "retry_after" in body:  # Slack's limit on reading history and replies
            wait = body.pop("retry_after")
            self._record(
                RecordedCall(method, args, body, 429, time.time(), "read_limit", team_id, token)
            )
            return web.json_response(body, status=429, headers={"Retry-After": f"{wait:.0f}"})
        if after_effect:
            # The call took effect, yet its caller hears a failure (or nothing in time).
            faulted = await self._apply_fault(method, args, fault, after_effect=True)
            if faulted is not None:
                return faulted
        body.setdefault("warning", None)
        if body["warning"] is None:
            del body["warning"]
        self._record(
            RecordedCall(method, args, copy.deepcopy(body), 200, time.time(), None, team_id, token)
        )
        return web.json_response(body)

    def _answer(
        self, method: str, args: dict[str, Any], token: str, team_id: str
    ) -> dict[str, Any]:
        """Answer a call made with ``token`` in its workspace ``team_id``."""
        space = self._space(team_id)
        if method in READ_METHODS and (wait := space.access.take_read(method)) is not None:
            return {"ok": False, "error": "ratelimited", "retry_after": wait}
        try:
            with self.workspace.lock:
                if method == "auth.revoke":
                    revoked = not _flag(args.get("test")) and self.installs.revoke(token)
                    return {"ok": True, "revoked": revoked}
                body = space.api.call(method, args)
                if method == "auth.test":
                    body["team"] = self.installs.teams[team_id].name
            return body
        except ApiError as error:
            return {"ok": False, "error": error.error}

    def _oauth_access(self, args: dict[str, Any], authorization: str) -> web.Response:
        try:
            with self.workspace.lock:
                body = self.installs.access(args, authorization)
        except ApiError as error:
            body = {"ok": False, "error": error.error}
        team = (body.get("team") or {}).get("id")
        self._record(
            RecordedCall("oauth.v2.access", args, copy.deepcopy(body), 200, time.time(), None, team)
        )
        return web.json_response(body)

    async def _handle_authorize(self, request: web.Request) -> web.Response:
        """Slack's approval page, approved at once: back to the app with a code."""
        try:
            with self.workspace.lock:
                target, query = self.installs.authorize(request.query)
        except ApiError as error:
            return web.Response(status=400, text=error.error)
        location = f"{target}{'&' if '?' in target else '?'}{urlencode(query)}"
        raise web.HTTPFound(location)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        space = self._space(request.match_info.get("team") or self.team_id)
        raw = await request.read()
        try:
            args = json.loads(raw) if raw else {}
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        fault, _ = self.faults.draw_for("response_url", args)
        faulted = await self._apply_fault("response_url", args, fault)
        if faulted is not None:
            return faulted
        with self.workspace.lock:
            uses = self._response_uses.get(token, 0) + 1
            self._response_uses[token] = uses
            if uses > MAX_RESPONSE_URL_USES:
                self._record(RecordedCall("response_url", args, {"ok": False}, 404, time.time()))
                return web.Response(status=404, text="used_url")
            apply_response(space.workspace, token, args, self._response_targets.get(token))
            self.api.block_kit_problems += call_problems("response_url", args)
        self._record(RecordedCall("response_url", args, {"ok": True}, 200, time.time()))
        return web.Response(text="ok")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        space = self._space(request.match_info.get("team") or self.team_id)
        with self.workspace.lock:
            stored = space.api.store_upload(request.match_info["file_id"], data)
        if not stored:
            return web.Response(status=404, text="file_not_found")
        return web.Response(text=f"OK - {len(data)}")

    # -- workspaces and installs ------------------------------------------------------------

    def _space(self, team_id: str) -> TeamSpace:
        with self.workspace.lock:
            space = self._teams.get(team_id)
            if space is None:
                space = TeamSpace(self, team_id, self.workspace, self.api, self.access)
                self._teams[team_id] = space
            return space

    def add_team(self, team_id: str, name: str | None = None) -> TeamSpace:
        """Another workspace, with channels, messages and people of its own; the app is not
        installed there until an install hands out its token."""
        with self.workspace.lock:
            if team_id in self._teams or team_id == self.team_id:
                return self._space(team_id)
            self.installs.teams[team_id] = Team(team_id, name or team_id)
            workspace = Workspace(lock=self.workspace.lock)
            access = Access(
                scopes=self.access.scopes, members=set(), read_limit=self.access.read_limit
            )
            api = WebApi(
                workspace,
                team_id=team_id,
                users={},
                missing_channels=set(),
                upload_base=lambda: f"{self.base_url}/upload/{team_id}",
                access=access,
            )
            api.default_locale = self.api.default_locale
            api.block_kit_problems = self.api.block_kit_problems  # one list for every workspace
            space = TeamSpace(self, team_id, workspace, api, access)
            self._teams[team_id] = space
            return space

    def team(self, team_id: str) -> TeamSpace:
        """The workspace ``team_id`` (the default one too), to read and set up."""
        if team_id != self.team_id and team_id not in self._teams:
            raise KeyError(team_id)
        return self._space(team_id)

    def oauth_app(
        self,
        client_id: str,
        client_secret: str,
        *,
        redirect_uri: str | None = None,
        token_rotation: bool = False,
        app_id: str = "A0001",
    ) -> None:
        """Register the distributed app (its Client ID and Secret, its Redirect URL)."""
        with self.workspace.lock:
            self.installs.app = OAuthApp(
                client_id, client_secret, app_id, redirect_uri, rotation=token_rotation
            )

    @property
    def authorize_url(self) -> str:
        """Slack's approval page (``https://slack.com/oauth/v2/authorize``) on the stand-in."""
        return f"{self.base_url}/oauth/v2/authorize"

    def install_as(self, team_id: str, user_id: str) -> None:
        """Who approves the next installs on the approval page, in which workspace."""
        with self.workspace.lock:
            self.installs.next_installer = (team_id, user_id)

    def uninstall(self, team_id: str) -> None:
        """The app is removed from ``team_id``: its tokens stop working (``invalid_auth``)."""
        with self.workspace.lock:
            self.installs.revoke_team(team_id)

    def tokens_of(self, team_id: str) -> list[str]:
        """The bot tokens that work in ``team_id`` now."""
        with self.workspace.lock:
            return self.installs.team_tokens(team_id)

    def expire_tokens_in(self, seconds: float) -> None:
        """Rotated tokens handed out from now on expire after ``seconds`` (12 hours at first)."""
        with self.workspace.lock:
            self.installs.token_seconds = seconds

    # -- setup of the workspace -------------------------------------------------------------

    def start_function(self, callback_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Start a run of the app's function ``callback_id`` as a workflow step would; send it
        to the bot with ``SlackSender.function_executed``.

        Raises:
            KeyError: The manifest declares no such function.
        """
        with self.workspace.lock:
            return self.api.functions.start(callback_id, inputs)

    def function_run(self, function_execution_id: str) -> dict[str, Any]:
        """A run as it stands: ``state`` (running, completed, failed), ``outputs``, ``error``."""
        with self.workspace.lock:
            return copy.deepcopy(self.api.functions.runs[function_execution_id])

    def register_trigger(self, trigger_id: str, user_id: str) -> None:
        """Tie a ``trigger_id`` to the clicking user, so ``views.open`` knows the modal's owner."""
        with self.workspace.lock:
            self.api.register_trigger(trigger_id, user_id)

    def register_response_url(self, url: str, target: ResponseTarget) -> None:
        """Say where a ``response_url`` handed to the bot leads, so posts to it show up there."""
        with self.workspace.lock:
            self._response_targets[url.rstrip("/").rsplit("/", 1)[-1]] = target

    def deliver_response(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Apply a response as if posted to ``url``; used for acknowledgement bodies.

        Slack shows the body of a command's acknowledgement like a ``response_url`` post.
        """
        token = url.rstrip("/").rsplit("/", 1)[-1]
        with self.workspace.lock:
            self.api.block_kit_problems += call_problems("response", payload)
            return apply_response(self.workspace, token, payload, self._response_targets.get(token))

    @property
    def block_kit_problems(self) -> list[str]:
        """What slack_sdk's Block Kit models found wrong in the bot's messages and views."""
        with self.workspace.lock:
            return list(self.api.block_kit_problems)

    def invite(self, *channels: str) -> None:
        """Invite the bot to ``channels`` (``/invite @sdrbot``)."""
        with self.workspace.lock:
            self.access.members.update(channels)

    def is_member(self, channel: str) -> bool:
        """Whether the bot is in ``channel`` (invited, joined, or its DM)."""
        with self.workspace.lock:
            return self.access.is_member(channel)

    def set_scopes(self, scopes: set[str] | frozenset[str]) -> None:
        """Grant the bot exactly ``scopes`` from now on."""
        with self.workspace.lock:
            self.access.scopes = frozenset(scopes)

    def set_user(self, user_id: str, **profile: Any) -> None:
        """Set the ``users.info`` profile (``name``, ``real_name``, ``tz``...) of ``user_id``."""
        with self.workspace.lock:
            self.api.users[user_id] = dict(profile)

    def set_default_locale(self, locale: str) -> None:
        """The ``locale`` ``users.info`` tells for people set without one (``en-US`` at first)."""
        with self.workspace.lock:
            self.api.default_locale = locale

    def set_usergroup(
        self, group_id: str, handle: str, users: list[str], *, disabled: bool = False
    ) -> None:
        """Create or change the user group ``group_id`` (``@handle``) with ``users``."""
        with self.workspace.lock:
            self.api.usergroups[group_id] = {
                "id": group_id,
                "name": handle.replace("-", " ").title(),
                "handle": handle,
                "users": list(users),
                "date_delete": 1 if disabled else 0,
            }

    def set_channel_members(self, channel: str, users: list[str]) -> None:
        """The people in ``channel``, as ``conversations.members`` lists them."""
        with self.workspace.lock:
            self.api.channel_members[channel] = list(users)

    def close_view(self, view_id: str) -> None:
        """Mark a modal closed (the user submitted or dismissed it)."""
        with self.workspace.lock:
            if view_id in self.workspace.views:
                self.workspace.views[view_id]["open"] = False
        self.workspace.emit({"kind": "view_closed", "view_id": view_id})

    def reset(self) -> None:
        """Forget calls, messages, views, files and faults; keep the server running."""
        with self.workspace.lock:
            self._calls.clear()
            self._response_uses.clear()
            self._response_targets.clear()
            self.faults = Faults()
            self.api.triggers.clear()
            self.api.functions.runs.clear()
            self.api.block_kit_problems.clear()
            others = [space.workspace for space in self._teams.values()]
        self.workspace.clear()
        for workspace in others:
            if workspace is not self.workspace:
                workspace.clear()

    # -- faults ------------------------------------------------------------------------------

    def set_faults(
        self,
        *,
        rate_limited: float = 0.0,
        retry_after: int = 1,
        server_error: float = 0.0,
        hang: float = 0.0,
        hang_seconds: float = 15.0,
        methods: set[str] | None = None,
        channels: set[str] | None = None,
        after_effect: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Make a share of calls fail; a failed call changes nothing in the store, unless
        it is one of the ``after_effect`` share.

        Args:
            rate_limited: Share of calls answered 429 with ``Retry-After``.
            retry_after: Seconds named in ``Retry-After``.
            server_error: Share of calls answered 500.
            hang: Share of calls that wait ``hang_seconds`` and then answer 504.
            hang_seconds: How long a hanging call waits.
            methods: Only these methods fail (``"response_url"`` names the response endpoints);
                all Web API methods when None.
            channels: Only calls to these channels (or DMs to these user ids) fail; all when
                None.
            after_effect: Share of server errors and hangs that come after the call took
                effect (the post was made, its caller hears a 500 or nothing in time), as
                Slack's can; a 429 never does.
            seed: Seed of the dice, for repeatable runs.
        """
        with self.workspace.lock:
            self.faults = Faults(
                rate_limited=rate_limited,
                retry_after=retry_after,
                server_error=server_error,
                hang=hang,
                hang_seconds=hang_seconds,
                methods=set(methods) if methods is not None else None,
                channels=set(channels) if channels is not None else None,
                after_effect=after_effect,
                rng=random.Random(seed),
            )


def _flag(value: Any) -> bool:
    return str(value or "").lower() in ("true", "1")


class TeamSpace(WorkspaceQueries):
    """One workspace of the stand-in: its store and people, and the calls made in it."""

    def __init__(
        self, standin: SlackStandIn, team_id: str, workspace: Workspace, api: WebApi, access: Access
    ) -> None:
        self.standin = standin
        self.team_id = team_id
        self.workspace = workspace
        self.api = api
        self.access = access

    @property
    def _calls(self) -> list[RecordedCall]:  # type: ignore[override]
        return [call for call in self.standin._calls if call.team_id == self.team_id]

    @property
    def response_url_base(self) -> str:
        """Base of this workspace's ``response_url`` endpoints (for a sender's
        ``response_base``)."""
        return f"{self.standin.base_url}/response/{self.team_id}"

    def invite(self, *channels: str) -> None:
        """Invite the bot to ``channels`` of this workspace."""
        with self.workspace.lock:
            self.access.members.update(channels)

    def set_user(self, user_id: str, **profile: Any) -> None:
        """Set the ``users.info`` profile of ``user_id`` in this workspace."""
        with self.workspace.lock:
            self.api.users[user_id] = dict(profile)
