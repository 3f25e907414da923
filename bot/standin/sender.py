"""Send signed, Slack-shaped requests to a bot's ``/slack/events`` endpoint over real HTTP.

``SlackSender`` uses a blocking ``httpx.Client``; ``AsyncSlackSender`` the same requests over an
``httpx.AsyncClient`` for load tests. Both build their bodies with :class:`PayloadBuilder`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Mapping
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from bot.standin.payloads import PayloadBuilder, SignedRequest
from bot.standin.signing import signed_headers

R = TypeVar("R")
EVENTS_PATH = "/slack/events"


def events_url(bot_url: str) -> str:
    """Return the events endpoint for ``bot_url``: a bare base URL gets ``/slack/events``."""
    if urlsplit(bot_url).path in ("", "/"):
        return bot_url.rstrip("/") + EVENTS_PATH
    return bot_url


class _SenderBase(ABC, Generic[R]):
    """The request kinds Slack sends, shared by the sync and the async sender."""

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        response_base: str | None = None,
    ) -> None:
        self.url = events_url(bot_url)
        self.signing_secret = signing_secret
        self.payloads = PayloadBuilder(
            signing_secret, team_id=team_id, api_app_id=api_app_id, response_base=response_base
        )
        self.last_request: SignedRequest | None = None
        """The request sent last, with what was generated for it (``ts``, ``response_url``...)."""

    @abstractmethod
    def send(self, request: SignedRequest) -> R:
        """Send a built request."""

    @abstractmethod
    def send_raw(self, body: bytes, headers: Mapping[str, str]) -> R:
        """POST ``body`` with exactly ``headers`` (for signature and tampering tests)."""

    def signed_headers(
        self,
        body: bytes | str,
        *,
        timestamp: str | int | None = None,
        content_type: str = "application/json",
    ) -> dict[str, str]:
        """Return headers signing ``body`` with this app's secret at ``timestamp`` (default now)."""
        return signed_headers(
            self.signing_secret, body, timestamp=timestamp, content_type=content_type
        )

    def command(
        self,
        command: str,
        text: str,
        *,
        user_id: str,
        channel_id: str,
        user_name: str | None = None,
        trigger_id: str | None = None,
        timestamp: str | int | None = None,
    ) -> R:
        """Send a slash command such as ``/qualify Acme``."""
        return self.send(
            self.payloads.command(
                command,
                text,
                user_id=user_id,
                channel_id=channel_id,
                user_name=user_name,
                trigger_id=trigger_id,
                timestamp=timestamp,
            )
        )

    def message(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str,
        thread_ts: str | None = None,
        ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        bot_id: str | None = None,
        subtype: str | None = None,
        timestamp: str | int | None = None,
    ) -> R:
        """Send a ``message`` event; ``retry_num`` makes it look like Slack's redelivery."""
        request = self.payloads.message(
            text,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            ts=ts,
            event_id=event_id,
            bot_id=bot_id,
            subtype=subtype,
            timestamp=timestamp,
        )
        if retry_num is not None:
            request.headers["X-Slack-Retry-Num"] = str(retry_num)
            request.headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return self.send(request)

    def assistant_thread_started(
        self, assistant_thread: Mapping[str, Any], *, event_id: str | None = None
    ) -> R:
        """Send ``assistant_thread_started`` for a thread the stand-in opened."""
        return self.send(self.payloads.assistant_thread(assistant_thread, event_id=event_id))

    def assistant_thread_context_changed(self, assistant_thread: Mapping[str, Any]) -> R:
        """Send ``assistant_thread_context_changed`` (the person looks at another channel)."""
        return self.send(self.payloads.assistant_thread(assistant_thread, changed=True))

    def function_executed(
        self,
        run: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        timestamp: str | int | None = None,
    ) -> R:
        """Send ``function_executed`` for a run (``SlackStandIn.start_function``); ``retry_num``
        makes it look like Slack's redelivery."""
        request = self.payloads.function_executed(run, event_id=event_id, timestamp=timestamp)
        if retry_num is not None:
            request.headers["X-Slack-Retry-Num"] = str(retry_num)
            request.headers["X-Slack-Retry-Reason"] = "http_timeout"
        return self.send(request)

    def app_home_opened(self, user_id: str, *, timestamp: str | int | None = None) -> R:
        """Send ``app_home_opened`` for ``user_id``'s Home tab."""
        return self.send(self.payloads.app_home_opened(user_id, timestamp=timestamp))

    def app_uninstalled(self, *, timestamp: str | int | None = None) -> R:
        """Send ``app_uninstalled`` from this sender's workspace."""
        return self.send(self.payloads.app_uninstalled(timestamp=timestamp))

    def tokens_revoked(
        self,
        *,
        bot: list[str] | None = None,
        oauth: list[str] | None = None,
        timestamp: str | int | None = None,
    ) -> R:
        """Send ``tokens_revoked`` from this sender's workspace."""
        return self.send(self.payloads.tokens_revoked(bot=bot, oauth=oauth, timestamp=timestamp))

    def block_action(
        self,
        action_id: str,
        value: str | None,
        *,
        user_id: str,
        channel_id: str | None,
        message_ts: str | None,
        thread_ts: str | None = None,
        block_id: str | None = None,
        trigger_id: str | None = None,
        selected_option: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        container: Mapping[str, Any] | None = None,
        message: Mapping[str, Any] | None = None,
        timestamp: str | int | None = None,
        element_type: str = "button",
    ) -> R:
        """Send a ``block_actions`` interaction: a click on a button or a select choice."""
        return self.send(
            self.payloads.block_action(
                action_id,
                value,
                user_id=user_id,
                channel_id=channel_id,
                message_ts=message_ts,
                thread_ts=thread_ts,
                block_id=block_id,
                trigger_id=trigger_id,
                selected_option=selected_option,
                view=view,
                container=container,
                message=message,
                timestamp=timestamp,
                element_type=element_type,
            )
        )

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[str, Mapping[str, Any]],
        *,
        user_id: str,
        private_metadata: str = "",
        view_id: str | None = None,
        view: Mapping[str, Any] | None = None,
        timestamp: str | int | None = None,
    ) -> R:
        """Send a modal's ``view_submission``; ``values`` as in Slack's ``view.state.values``."""
        return self.send(
            self.payloads.view_submission(
                callback_id,
                values,
                user_id=user_id,
                private_metadata=private_metadata,
                view_id=view_id,
                view=view,
                timestamp=timestamp,
            )
        )

    def url_verification(
        self, challenge: str | None = None, *, timestamp: str | int | None = None
    ) -> R:
        """Send the ``url_verification`` handshake; the bot must echo ``challenge``."""
        return self.send(self.payloads.url_verification(challenge, timestamp=timestamp))


class SlackSender(_SenderBase[httpx.Response]):
    """Blocking sender of signed Slack requests to a bot.

    Args:
        bot_url: The bot's events URL, or its base URL (``/slack/events`` is then appended).
        signing_secret: The secret the bot verifies signatures with.
        team_id: The workspace id put in every request.
        api_app_id: The app id put in every request.
        response_base: Base URL of the stand-in's ``response_url`` endpoint; when given, every
            command and action carries a ``response_url`` the stand-in records.
        timeout: Seconds to wait for the bot's answer.
    """

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        response_base: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(
            bot_url,
            signing_secret,
            team_id=team_id,
            api_app_id=api_app_id,
            response_base=response_base,
        )
        self.client = httpx.Client(timeout=timeout)

    def send(self, request: SignedRequest) -> httpx.Response:
        """POST a built request to the bot and return its answer."""
        self.last_request = request
        return self.client.post(self.url, content=request.body, headers=request.headers)

    def send_raw(self, body: bytes, headers: Mapping[str, str]) -> httpx.Response:
        """POST ``body`` with exactly ``headers``."""
        return self.client.post(self.url, content=body, headers=dict(headers))

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSlackSender(_SenderBase[Awaitable[httpx.Response]]):
    """The asynchronous twin of :class:`SlackSender`: every method returns an awaitable."""

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        response_base: str | None = None,
        timeout: float = 30.0,
        max_connections: int = 500,
    ) -> None:
        super().__init__(
            bot_url,
            signing_secret,
            team_id=team_id,
            api_app_id=api_app_id,
            response_base=response_base,
        )
        limits = httpx.Limits(max_connections=max_connections)
        self.client = httpx.AsyncClient(timeout=timeout, limits=limits)

    def send(self, request: SignedRequest) -> Awaitable[httpx.Response]:
        """POST a built request to the bot; await the result for its answer."""
        self.last_request = request
        return self.client.post(self.url, content=request.body, headers=request.headers)

    def send_raw(self, body: bytes, headers: Mapping[str, str]) -> Awaitable[httpx.Response]:
        """POST ``body`` with exactly ``headers``."""
        return self.client.post(self.url, content=body, headers=dict(headers))

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
