"""Events: thread replies (answers), assistant threads (the AI-app side panel), App Home, and
changes to user groups.

Bolt acknowledges an event when its listener returns (``process_before_response``), so the
step's transaction has committed by the time Slack gets its 200; a listener that raises
answers non-2xx and Slack delivers the event again.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import assistant, help_reply, leads, steps
from bot.services.context import Services
from bot.services.replies import deliver, stage
from bot.services.turns import Turn, parse_thread_text
from flows.slacktext import unescape

# Subtypes that are still a person typing in the thread; edits, joins, bot posts are not.
_ANSWER_SUBTYPES = {None, "thread_broadcast", "file_share"}


def is_person(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Whether a person (not a bot, an edit or a join) wrote the event's message."""
    user = event.get("user")
    return (
        event.get("subtype") in _ANSWER_SUBTYPES
        and not event.get("bot_id")
        and bool(user)
        and user != bot_user_id
    )


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
    text = unescape(event.get("text") or "")
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

    async def answer_help(body: dict[str, Any], event: dict[str, Any], *, direct: bool) -> None:
        team_id = body.get("team_id") or event.get("team") or ""
        language = await services.language_of(team_id, str(event.get("user") or ""))
        outcome = await services.transaction(
            lambda session: stage(
                services,
                session,
                help_reply.answer_help(
                    services,
                    session,
                    team_id=body.get("team_id") or event.get("team") or "",
                    channel_id=str(event.get("channel") or ""),
                    user_id=str(event.get("user") or ""),
                    event_id=body.get("event_id"),
                    thread_ts=event.get("thread_ts"),
                    direct=direct,
                    lang=language,
                ),
                team_id=body.get("team_id") or event.get("team") or "",
            )
        )
        services.background.spawn(deliver(services, outcome, team_id=team_id))

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        turn = message_turn(body, event, context.get("bot_user_id"))
        if event.get("channel_type") == "im":
            if not is_person(event, context.get("bot_user_id")):
                return
            # A reply in a DM thread is the AI-app side panel talking (an assistant thread).
            turn = message_turn(body, event, context.get("bot_user_id"))
            if turn is not None and assistant.in_thread(event):
                await assistant.take_message(services, turn, unescape(event.get("text") or ""))
                return
            # A direct message to the bot: it qualifies in channels, so it says how.
            await answer_help(body, event, direct=True)
            return
        if turn is not None:
            await steps.take_turn(services, turn)

    @app.event("assistant_thread_started")
    async def on_assistant_thread(body: dict[str, Any], event: dict[str, Any]) -> None:
        thread = event.get("assistant_thread") or {}
        if not thread.get("channel_id") or not thread.get("thread_ts"):
            return
        key = assistant.ThreadKey(
            team_id=str(body.get("team_id") or ""),
            channel_id=str(thread["channel_id"]),
            thread_ts=str(thread["thread_ts"]),
            user_id=str(thread.get("user_id") or ""),
        )
        await assistant.thread_started(services, key, event_id=body.get("event_id"))

    @app.event("assistant_thread_context_changed")
    async def on_assistant_context(event: dict[str, Any]) -> None:
        # The person looks at another channel: nothing here depends on it.
        return

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        if is_person(event, context.get("bot_user_id")):
            await answer_help(body, event, direct=False)

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id = body.get("team_id") or ""
        user_id = event["user"]
        view = await services.transaction_as(
            team_id,
            user_id,
            lambda session, actor: leads.home_view(services, session, team_id=team_id, actor=actor),
        )
        services.background.spawn(
            services.slack_for(team_id).views_publish(user_id=user_id, view=view)
        )

    @app.event("subteam_members_changed")
    async def on_group_members(body: dict[str, Any], event: dict[str, Any]) -> None:
        # A user group named in the config changed: roles follow at once, not after the cache.
        group_id = event.get("subteam_id")
        if isinstance(group_id, str) and group_id:
            services.roles.group_changed(
                str(body.get("team_id") or event.get("team_id") or ""),
                group_id,
                added=[u for u in event.get("added_users") or [] if isinstance(u, str)],
                removed=[u for u in event.get("removed_users") or [] if isinstance(u, str)],
            )
