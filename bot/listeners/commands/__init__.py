"""Slash commands: ``/qualify`` and ``/lead``.

Each answers after its transaction committed (Bolt's ``process_before_response``); Slack never
retries a command, so a failed transaction is answered with a line to try again. The card of
``/qualify`` (staged in the outbox by its transaction) and the chart of ``/lead report`` go out
after the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from sqlalchemy.exc import SQLAlchemyError

from bot import privacy_slack
from bot.services import leads, qualify, reporting, workspace_settings
from bot.services.context import Services
from bot.services.replies import deliver
from flows.slacktext import unescape

log = logging.getLogger(__name__)


def register(app: AsyncApp, services: Services) -> None:
    """Register the slash command listeners."""

    @app.command("/qualify")
    async def on_qualify(ack: AsyncAck, command: dict[str, Any]) -> None:
        t = services.texts(await services.language_of(command["team_id"], command["user_id"]))
        try:
            settings = await services.transaction(
                lambda session: workspace_settings.effective(services, session, command["team_id"])
            )
        except SQLAlchemyError as error:
            # Slack never retries a command: the rep hears it in the answer instead.
            log.warning("/qualify not stored: %s", error.__class__.__name__)
            await ack(t("qualify_failed"))
            return
        request = qualify.parse_qualify(
            unescape(command.get("text") or ""),
            list(services.frameworks),
            default=settings.default_framework,
        )
        if not request.lead:
            await ack(t("qualify_usage"))
            return
        if request.framework is None:
            line = t(
                "unknown_framework",
                key=request.unknown_framework or "",
                keys=sorted(services.frameworks),
            )
            await ack(line)
            return
        url = command.get("response_url")
        try:
            card = await qualify.start(
                services,
                team_id=command["team_id"],
                channel_id=command["channel_id"],
                user_id=command["user_id"],
                request=request,
                tell={"response_url": url} if url else None,
                trigger_id=str(command.get("trigger_id") or "") or None,
            )
        except SQLAlchemyError as error:
            # Slack never retries a command: the rep hears it in the answer instead.
            log.warning("/qualify not stored: %s", error.__class__.__name__)
            await ack(t("qualify_failed"))
            return
        await ack()
        services.background.spawn(deliver(services, card, team_id=command["team_id"]))

    @app.command("/lead")
    async def on_lead(ack: AsyncAck, command: dict[str, Any]) -> None:
        typed = unescape(command.get("text") or "")
        sub, _, rest = " ".join(typed.split()).partition(" ")
        language = await services.language_of(command["team_id"], command["user_id"])
        if sub.casefold() in ("report", "bericht"):
            await reporting.answer_report_command(
                services,
                ack,
                team_id=command["team_id"],
                channel_id=command["channel_id"],
                user_id=command["user_id"],
                period_text=rest,
            )
            return
        if sub.casefold() in privacy_slack.ERASE_WORDS:
            try:
                body = await services.transaction_as(
                    command["team_id"],
                    command["user_id"],
                    lambda session, actor: privacy_slack.erase_command(
                        services, session, team_id=command["team_id"], actor=actor,
                        query=rest, lang=language,
                    ),
                )  # fmt: skip
            except SQLAlchemyError:
                log.exception("/lead erase failed")
                body = {"text": services.texts(language)("error_generic")}
            await ack(response_type="ephemeral", **body)
            return
        try:
            text = await services.transaction_as(
                command["team_id"],
                command["user_id"],
                lambda session, actor: leads.lead_command(
                    services,
                    session,
                    team_id=command["team_id"],
                    actor=actor,
                    text=typed,
                    lang=language,
                ),
            )
        except SQLAlchemyError:
            # Slack never retries a command: tell the user instead of failing the request.
            log.exception("/lead failed")
            text = services.texts(language)("error_generic")
        await ack(text=text, response_type="ephemeral")
