"""The private report's "Share in channel" button: the report and its chart for everyone.

``/lead report`` answers a manager alone, with the button under the text. Its value carries
the period as it was computed (label, start and end) and a key of its own: the shared post
is staged in the outbox under that key, so the report is posted once however often the
button is clicked. Who may share is decided by the matrix (``Action.REPORT``), asked again
at the click.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks
from bot.permissions import Action
from bot.rendering import SECTION_TEXT_LIMIT, Texts, role_mentions
from bot.services import reporting
from bot.services.context import Services
from bot.services.replies import Outcome
from bot.services.turns import button_value, read_button_value
from storage import events, outbox

log = logging.getLogger(__name__)

SHARE_REPORT_ACTION = "report_share"


def _sections(text: str) -> list[dict[str, Any]]:
    """The report's lines as sections under Slack's 3,000 characters each."""
    chunks: list[str] = []
    for line in text.split("\n"):
        if chunks and len(chunks[-1]) + 1 + len(line) <= SECTION_TEXT_LIMIT:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [blocks.section(chunk) for chunk in chunks[: blocks.MAX_BLOCKS - 1]]


def private_report(t: Texts, report: reporting.Report) -> dict[str, Any]:
    """The report for the asker alone, with the button that shares it in the channel."""
    text = reporting.render_text(report, t)
    period = report.period
    value = button_value(
        p=period.label,
        s=period.start.isoformat(),
        e=period.end.isoformat(),
        k=secrets.token_hex(8),
    )
    share = blocks.button(t("report_share_button"), SHARE_REPORT_ACTION, value)
    return {
        "text": text,
        "blocks": [*_sections(text), {"type": "actions", "elements": [share]}],
    }


def _period(value: dict[str, Any]) -> reporting.Period | None:
    try:
        return reporting.Period(
            str(value["p"]),
            datetime.fromisoformat(str(value["s"])),
            datetime.fromisoformat(str(value["e"])),
        )
    except (KeyError, ValueError):
        return None


async def share_report(
    services: Services, *, team_id: str, channel_id: str, user_id: str, raw_value: str | None
) -> Outcome:
    """Stage the report of the clicked button for ``channel_id``, once; its chart follows.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        channel_id: Where the private report was shown.
        user_id: Who clicked.
        raw_value: The button's value (period and key).

    Returns:
        The note for the clicker (a refusal, or that it was shared already), to deliver after
        the click is answered; the shared post is in the outbox.
    """
    t = services.texts(await services.language_of(team_id, user_id))
    value = read_button_value(raw_value)
    period = _period(value)
    key = str(value.get("k") or "")
    said = Outcome()
    if not await services.may(Action.REPORT, team_id, user_id):
        managers = role_mentions(services.config.people.managers)
        said.ephemeral(channel_id, user_id, t("refused_report", managers=managers))
    elif period is None or not key:
        said.ephemeral(channel_id, user_id, t("error_generic"))
    else:
        report_period = period

        def post(session: Session) -> reporting.Report | None:
            if not events.claim_event(
                session=session, team_id=team_id, event_id=f"report-share:{key}"
            ):
                return None
            report = reporting.build_report(session=session, team_id=team_id, period=report_period)
            text = t("report_shared_by", user=user_id) + "\n" + reporting.render_text(report, t)
            outbox.enqueue(
                session=session,
                team_id=team_id,
                method="chat.postMessage",
                payload={"channel": channel_id, "text": text, "blocks": _sections(text)},
                dedupe_key=f"report-share:{key}",
            )
            return report

        shared = await services.transaction(post)
        if shared is None:
            said.ephemeral(channel_id, user_id, t("report_already_shared"))
        else:
            said.outbox_enqueued = True
            services.background.spawn(_upload(services, team_id, shared, channel_id, t))
    return said


async def _upload(
    services: Services, team_id: str, report: reporting.Report, channel_id: str, t: Texts
) -> None:
    try:
        await reporting.upload_chart(
            services.slack_for(team_id), report, channel_id=channel_id, t=t
        )
    except SlackApiError as error:
        log.warning("report chart not shared: %s", error.response.get("error"))
