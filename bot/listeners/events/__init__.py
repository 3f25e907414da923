"""Events: thread replies (answers) and App Home."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import leads, steps
from bot.services.context import Services
from bot.services.replies import deliver
from bot.services.turns import Turn, parse_thread_text

ACK_BUDGET_SECONDS = 2.0
"""How long an event's answer may wait for its transaction; Slack gives up after 3 s."""

# Subtypes that are still a person typing in the thread; edits, joins, bot posts are not.
_ANSWER_SUBTYPES = {None, "thread_broadcast", "file_share"}


def message_turn(
    body: dict[str, Any], event: dict[str, Any], bot_user_id: str | None
) -> Turn | None:
    """Turn a ``message`` event into a ``Turn``, or None when it is not a rep's thread reply."""
    if event.get("subtype") not in _ANSWER_SUBTYPES or event.get("bot_id"):
        return None
    user = event.get("user")
    thread_ts = event.get("thread_ts")
    ts = event.get("ts")
    if not user or user == bot_user_id or not thread_ts or thread_ts == ts:
        return None
    text = event.get("text") or ""
    if not text.strip():
        return None
    command, argument = parse_thread_text(text)
    return Turn(
        team_id=body.get("team_id") or event.get("team") or "",
        channel_id=event.get("channel") or "",
        thread_ts=str(thread_ts),
        user_id=str(user),
        command=command,
        text=argument,
        event_id=body.get("event_id"),
        message_ts=str(ts) if ts else None,
    )


def register(app: AsyncApp, services: Services) -> None:
    """Register the event listeners."""

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        turn = message_turn(body, event, context.get("bot_user_id"))
        if turn is None:
            return
        # The transaction runs before Slack gets its answer: if it fails, Slack retries. Under a
        # queue of transactions, answer once the budget is spent rather than miss Slack's 3 s
        # (it would retry anyway) and let the step finish in the background.
        step = asyncio.ensure_future(steps.handle_turn(services, turn))
        try:
            outcome = await asyncio.wait_for(asyncio.shield(step), ACK_BUDGET_SECONDS)
        except TimeoutError:
            services.background.spawn(_deliver_when_done(step))
            return
        services.background.spawn(deliver(services, outcome))

    async def _deliver_when_done(step: asyncio.Future[Any]) -> None:
        await deliver(services, await step)

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id = body.get("team_id") or ""
        user_id = event["user"]
        view = await services.transaction(
            lambda session: leads.home_view(services, session, team_id=team_id, user_id=user_id)
        )
        services.background.spawn(services.client.views_publish(user_id=user_id, view=view))
