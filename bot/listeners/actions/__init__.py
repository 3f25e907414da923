"""Buttons: quick answers, Skip / Back / Cancel, and Accept / Reject on hot-lead alerts.

Each listener acks after its transaction committed: a click whose transaction fails answers
non-2xx (Bolt's ``process_before_response``), and Slack tells the user it did not go through.
Messages, modals and notes go out after the response.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError

from bot import blocks, privacy_slack
from bot.services import (
    engagement,
    handoffs,
    help_reply,
    leads,
    nurture,
    privacy,
    report_share,
    steps,
    verdict_feedback,
    workspace_settings,
)
from bot.services.context import Services
from bot.services.replies import Outcome, deliver
from bot.services.turns import Command, Turn, button_id, read_button_value

log = logging.getLogger(__name__)

_CONTROL_COMMANDS = {
    blocks.SKIP_ACTION: Command.SKIP,
    blocks.BACK_ACTION: Command.BACK,
    blocks.CANCEL_ACTION: Command.CANCEL,
}


def _team(body: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or body.get("team_id") or "")


def _channel(body: dict[str, Any]) -> str:
    return str(
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or ""
    )


def _clicker(body: dict[str, Any], action: dict[str, Any]) -> tuple[str, str | None]:
    """Who clicked, and the click's idempotency key (None when Slack sent no timestamp)."""
    user = str((body.get("user") or {}).get("id") or "")
    action_ts = action.get("action_ts") or body.get("trigger_id")
    return user, f"action:{user}:{action_ts}" if action_ts else None


def button_turn(body: dict[str, Any], action: dict[str, Any]) -> Turn | None:
    """Turn a question button click into a ``Turn`` (None when the payload is not ours)."""
    value = read_button_value(action.get("value"))
    thread_ts = value.get("t") or (body.get("container") or {}).get("thread_ts")
    criterion = value.get("c")
    if not thread_ts or not criterion:
        return None
    action_id = str(action.get("action_id"))
    command = _CONTROL_COMMANDS.get(action_id, Command.ANSWER)
    user, event_id = _clicker(body, action)
    return Turn(
        team_id=_team(body),
        channel_id=_channel(body),
        thread_ts=str(thread_ts),
        user_id=user,
        command=command,
        text=value.get("a") if command is Command.ANSWER else None,
        # A double click sends two payloads with different action_ts; the state check below
        # (the button's criterion must still be the current one) makes the second a no-op.
        event_id=event_id,
        expected_criterion=str(criterion),
        question_ts=(body.get("container") or {}).get("message_ts")
        or (body.get("message") or {}).get("ts"),
    )


def reading_turn(body: dict[str, Any], action: dict[str, Any]) -> Turn | None:
    """Turn a change of a reading (select) or a clarification's choice (button) into a
    ``correct`` turn (None when the payload is not ours)."""
    raw = action.get("value") or (action.get("selected_option") or {}).get("value")
    value = read_button_value(raw)
    thread_ts, key, status = value.get("t"), value.get("c"), value.get("s")
    if not thread_ts or not isinstance(key, str) or not isinstance(status, str):
        return None
    user, event_id = _clicker(body, action)
    return Turn(
        team_id=_team(body),
        channel_id=_channel(body),
        thread_ts=str(thread_ts),
        user_id=user,
        command=Command.CORRECT,
        event_id=event_id,
        reading=value,
    )


def _decision(body: dict[str, Any], action: dict[str, Any]) -> handoffs.Decision | None:
    handoff_id = button_id(read_button_value(action.get("value")), "h")
    if handoff_id is None:
        return None
    container = body.get("container") or {}
    message = body.get("message") or {}
    return handoffs.Decision(
        team_id=_team(body),
        handoff_id=handoff_id,
        user_id=str((body.get("user") or {}).get("id") or ""),
        alert_channel=_channel(body) or None,
        alert_ts=container.get("message_ts") or message.get("ts"),
    )


def reject_choices(services: Services, lang: str) -> list[tuple[str, str]]:
    """``(code, label)`` of the reject reasons: the config's labels, else the wording's."""
    t = services.texts(lang)
    return [
        (r.code, r.label.get(lang) or r.label.get("en") or t("reject_reason_label", code=r.code))
        for r in services.config.reject_reasons
    ]


async def _open_view(
    services: Services, team_id: str, trigger_id: str, view: dict[str, Any]
) -> None:
    try:
        await services.slack_for(team_id).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open failed: %s", error.response.get("error"))


def register(app: AsyncApp, services: Services) -> None:
    """Register the button listeners."""
    engagement_config = services.config.engagement

    async def on_question_button(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        turn = button_turn(body, action)
        if turn is not None:
            await steps.take_turn(services, turn)
        await ack()

    app.action(blocks.ANSWER_ACTION)(on_question_button)
    for action_id in _CONTROL_COMMANDS:
        app.action(action_id)(on_question_button)

    async def on_reading(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        turn = reading_turn(body, action)
        if turn is not None:
            # The same step path as a question button (bot.services.steps).
            await steps.take_turn(services, turn)
        await ack()

    app.action(blocks.READING_CHANGE_ACTION)(on_reading)
    app.action(blocks.READING_CHOICE_ACTION)(on_reading)

    @app.action(blocks.PHRASE_REMOVE_ACTION)
    async def on_phrase_remove(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        phrase_id = button_id(read_button_value(action.get("value")), "p")
        user = str((body.get("user") or {}).get("id") or "")
        if phrase_id is not None and user:
            team = _team(body)
            view = await services.transaction_as(
                team,
                user,
                lambda session, actor: leads.remove_phrase(
                    services, session, team_id=team, actor=actor, phrase_id=phrase_id
                ),
            )
            if view is not None:
                services.background.spawn(
                    services.slack_for(team).views_publish(user_id=user, view=view)
                )
        await ack()

    @app.action(privacy.ERASE_ACTION)
    async def on_erase(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await privacy_slack.on_erase_click(services, body, action)
        await ack()

    @app.action(blocks.ACCEPT_ACTION)
    async def on_accept(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        decision = _decision(body, action)
        if decision is not None:
            language = await services.language_of(decision.team_id, decision.user_id)
            decision = replace(decision, language=language)
            outcome = await services.transaction_as(
                decision.team_id,
                decision.user_id,
                lambda session, actor: handoffs.decide(
                    services, session, decision, "accepted", actor
                ),
            )
            services.background.spawn(deliver(services, outcome, team_id=decision.team_id))
        await ack()

    @app.action(blocks.REJECT_ACTION)
    async def on_reject(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        decision = _decision(body, action)
        if decision is None:
            await ack()
            return
        # The modal is the decider's, in their language.
        lang = await services.language_of(decision.team_id, decision.user_id)
        refusal, _, lead_name = await services.transaction_as(
            decision.team_id,
            decision.user_id,
            lambda session, actor: handoffs.prepare_reject(services, session, decision, actor),
        )
        await ack()
        if refusal is not None:
            outcome = Outcome()
            channel = decision.alert_channel or await services.transaction(
                lambda session: (
                    workspace_settings.effective(services, session, decision.team_id).alert_channel
                )
            )
            outcome.ephemeral(channel, decision.user_id, refusal)
            services.background.spawn(deliver(services, outcome, team_id=decision.team_id))
            return
        # The trigger id is valid for 3 s and once: the modal opens right after the response.
        modal = blocks.reject_modal(
            services.texts(lang),
            handoff_id=decision.handoff_id,
            reasons=reject_choices(services, lang),
            lead=lead_name,
        )
        trigger_id = body.get("trigger_id")
        if trigger_id:  # Slack always sends one with a click; without it no modal can open
            services.background.spawn(_open_view(services, decision.team_id, trigger_id, modal))

    async def on_help_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = str((body.get("user") or {}).get("id") or "")
        team = _team(body)
        language = await services.language_of(team, user)
        text = await services.transaction_as(
            team,
            user,
            lambda session, actor: help_reply.answer_button(
                services, session, team_id=team, actor=actor, action_id=action["action_id"],
                lang=language,
            ),
        )  # fmt: skip
        await ack()
        channel = _channel(body)
        if channel and user:
            outcome = Outcome()
            outcome.ephemeral(channel, user, text)
            services.background.spawn(deliver(services, outcome, team_id=team))

    app.action(help_reply.COMMANDS_ACTION)(on_help_button)
    app.action(help_reply.MY_LEADS_ACTION)(on_help_button)

    @app.action(verdict_feedback.FEEDBACK_ACTION)
    async def on_feedback(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = str((body.get("user") or {}).get("id") or "")
        team = _team(body)
        line = await services.transaction(
            lambda session: verdict_feedback.vote(
                services, session, team_id=team, user_id=user, value=action.get("value")
            )
        )
        await ack()
        channel = _channel(body)
        if channel and user:
            outcome = Outcome()
            thread = (body.get("container") or {}).get("thread_ts")
            outcome.ephemeral(channel, user, line, thread_ts=thread)
            services.background.spawn(deliver(services, outcome, team_id=team))

    @app.action(blocks.REQUALIFY_ACTION)
    async def on_requalify(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        reminder_id = button_id(read_button_value(action.get("value")), "r")
        if reminder_id is None:
            await ack()
            return
        user = str((body.get("user") or {}).get("id") or "")
        channel = _channel(body)
        note = await nurture.requalify(
            services,
            team_id=_team(body),
            user_id=user,
            reminder_id=reminder_id,
            channel_id=channel or None,
        )
        await ack()
        if note is not None and channel:
            outcome = Outcome()
            outcome.ephemeral(channel, user, note)
            services.background.spawn(deliver(services, outcome, team_id=_team(body)))

    @app.action(blocks.QUALIFY_NOW_ACTION)
    async def on_qualify_now(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        lead_id = button_id(read_button_value(action.get("value")), "lead")
        channel = _channel(body)
        if lead_id is None or not channel:
            await ack()
            return
        user = str((body.get("user") or {}).get("id") or "")
        note = await engagement.qualify_now(
            services, team_id=_team(body), user_id=user, lead_id=lead_id,
            channel_id=channel, config=engagement_config,
        )  # fmt: skip
        await ack()
        if note is not None:
            outcome = Outcome()
            outcome.ephemeral(channel, user, note)
            services.background.spawn(deliver(services, outcome, team_id=_team(body)))

    @app.action(report_share.SHARE_REPORT_ACTION)
    async def on_share_report(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        channel = _channel(body)
        user = str((body.get("user") or {}).get("id") or "")
        if not channel or not user:
            await ack()
            return
        said = await report_share.share_report(
            services, team_id=_team(body), channel_id=channel, user_id=user,
            raw_value=action.get("value"),
        )  # fmt: skip
        await ack()
        services.background.spawn(deliver(services, said, team_id=_team(body)))
