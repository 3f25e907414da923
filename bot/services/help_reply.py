"""A short help with buttons for a direct message or an @-mention of the bot.

The bot qualifies in channel threads; a person who writes to it elsewhere hears what it does
and gets two buttons (the commands, their own leads) instead of silence.
"""

from __future__ import annotations

from sqlmodel import Session

from bot import blocks
from bot.permissions import Actor
from bot.services import leads
from bot.services.context import Services
from bot.services.replies import Outcome
from storage import events, qualifications

COMMANDS_ACTION = "help_commands"
MY_LEADS_ACTION = "help_my_leads"


def help_message(services: Services, lang: str | None = None) -> blocks.Message:
    """The help: what the bot does and where, with the two buttons, in ``lang``."""
    t = services.texts(lang)
    line = t("dm_help")
    row = [
        blocks.button(t("button_help_commands"), COMMANDS_ACTION, "commands"),
        blocks.button(t("button_help_my_leads"), MY_LEADS_ACTION, "mine", "primary"),
    ]
    return blocks.message(
        line, [blocks.section(line), {"type": "actions", "block_id": "help", "elements": row}]
    )


def answer_help(
    services: Services,
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    event_id: str | None,
    thread_ts: str | None = None,
    direct: bool,
    lang: str | None = None,
) -> Outcome:
    """Say the help once per event: in the DM itself, or to the person alone in a channel.

    A mention inside a qualification thread is that thread's business (an answer), not a
    call for help.

    Args:
        services: Shared collaborators.
        session: The event's transaction.
        team_id: Workspace.
        channel_id: The DM or the channel of the mention.
        user_id: Who wrote.
        event_id: Slack's event id, claimed so that a redelivery says nothing twice.
        thread_ts: The thread of a mention, if any.
        direct: A direct message (answered in the DM) rather than a mention.
        lang: The writer's language; the team's when None.
    """
    outcome = Outcome()
    if event_id and not events.claim_events(
        session=session, team_id=team_id, event_ids=[f"help:{event_id}"]
    ):
        return outcome
    if thread_ts and qualifications.load_step(
        session=session, team_id=team_id, channel_id=channel_id, thread_ts=thread_ts
    ):
        return outcome
    body = help_message(services, lang)
    if direct:
        outcome.post(channel_id, body)
    else:
        outcome.add("chat.postEphemeral", channel=channel_id, user=user_id, **body)
    return outcome


def answer_button(
    services: Services,
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    action_id: str,
    lang: str | None = None,
) -> str:
    """The text a help button shows: the lead commands, or the person's own leads, in
    ``lang``."""
    text = "list mine" if action_id == MY_LEADS_ACTION else "help"
    return leads.lead_command(services, session, team_id=team_id, actor=actor, text=text, lang=lang)
