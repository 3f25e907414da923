"""The AI-app side panel: assistant threads in the bot's DM.

A thread opens with a greeting and three suggested prompts. In it the person qualifies a lead
(the card is the thread's first reply from the bot, the questions follow in the same thread,
answered through the same steps as in a channel), asks a lead's status, or lists their open
qualifications. What the bot asked and waits to hear (a lead's name) is kept per thread.

Messages go through the outbox like every other post; the prompts and the status line are
best-effort calls made after the response, never holding a step up.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks
from bot.permissions import Actor
from bot.services import leads, qualify, steps, workspace_settings
from bot.services.context import Services
from bot.services.replies import Outcome, deliver, stage
from bot.services.turns import Command, Turn
from storage import assistant_asks, events, qualifications
from storage.models import QualificationStatus

log = logging.getLogger(__name__)

LEAD = "lead"
"""Waiting for the name of a lead to qualify."""
STATUS = "status"
"""Waiting for the name of a lead to tell the status of."""

PROMPTS = ("assistant_prompt_qualify", "assistant_prompt_status", "assistant_prompt_mine")
"""The suggested prompts, by template name: their title is also the message they send."""

# Typed shortcuts, English and German: input the bot recognises, not wording it says.
_QUALIFY_WORDS = ("qualify", "qualifiziere", "qualifizieren")
_STATUS_WORDS = ("status", "stand")
_MINE_WORDS = ("mine", "meine", "list mine", "liste meine")
_PUNCTUATION = re.compile(r"[\s.!?:…]+$")
_FINISHED = {QualificationStatus.DONE.value, QualificationStatus.CANCELLED.value}


@dataclass(frozen=True, slots=True)
class ThreadKey:
    """An assistant thread: the DM and the thread's ts, with the person in it."""

    team_id: str
    channel_id: str
    thread_ts: str
    user_id: str


def in_thread(event: dict[str, Any]) -> bool:
    """Whether a DM message event is a reply in a thread (where assistant threads talk)."""
    thread_ts = event.get("thread_ts")
    return bool(thread_ts) and thread_ts != event.get("ts")


def prompts(services: Services, lang: str) -> list[dict[str, str]]:
    """The suggested prompts in ``lang``: ``[{"title", "message"}]``."""
    t = services.texts(lang)
    return [{"title": str(t(name)), "message": str(t(name))} for name in PROMPTS]


async def thread_started(services: Services, key: ThreadKey, *, event_id: str | None) -> None:
    """Greet a new assistant thread and offer its prompts.

    The greeting is staged (the step commits before Slack's 200); the prompts are set after
    the response and a failure there is only logged: the greeting says what to type.
    """
    lang = await services.language_of(key.team_id, key.user_id)
    t = services.texts(lang)

    def greet(session: Session) -> Outcome:
        outcome = Outcome()
        if event_id and not events.claim_event(
            session=session, team_id=key.team_id, event_id=event_id
        ):
            return outcome
        outcome.post(
            key.channel_id, blocks.text_message(t("assistant_greeting")), thread_ts=key.thread_ts
        )
        return stage(services, session, outcome, team_id=key.team_id)

    outcome = await services.transaction(greet)
    if not outcome.calls:
        return  # a redelivery: greeted already

    async def after() -> None:
        await _best_effort(
            services.slack_for(key.team_id).assistant_threads_setSuggestedPrompts(
                channel_id=key.channel_id,
                thread_ts=key.thread_ts,
                title=str(t("assistant_prompts_title")),
                prompts=prompts(services, lang),
            ),
            "assistant.threads.setSuggestedPrompts",
        )
        await deliver(services, outcome, team_id=key.team_id)

    services.background.spawn(after())


async def take_message(services: Services, turn: Turn, text: str) -> None:
    """Answer a person's message in an assistant thread.

    In a thread with a qualification the message is a turn of it (the same step as in a
    channel) and the status line shows while it is scored; otherwise it is a prompt, the
    answer to what the bot asked, or something the bot says it does not understand.

    Args:
        services: Shared collaborators.
        turn: The message as a turn of the thread.
        text: What the person typed (unescaped).
    """
    key = ThreadKey(turn.team_id, turn.channel_id, turn.thread_ts, turn.user_id)
    lang = await services.language_of(turn.team_id, turn.user_id)
    status, own_thread = await services.transaction(lambda session: _status_of(session, turn))
    # Words in a finished qualification's thread are for the assistant (a status, a list);
    # commands and corrections there are still the qualification's.
    qualifying = status is not None and not (status in _FINISHED and turn.command is Command.ANSWER)
    shown: asyncio.Task[None] | None = None

    async def clear() -> None:
        if shown is not None:
            await asyncio.wait([shown])  # after the status it clears, never before
            await set_status(services, key, "")  # an empty status clears it

    if qualifying:
        if not own_thread:
            # Started now, not awaited: the step does not wait for Slack. Only an assistant
            # thread has a status line; a card's own thread in the DM (a workflow step's) has not.
            t = services.texts(lang)
            shown = services.background.spawn(
                set_status(services, key, str(t("assistant_status_scoring")))
            )
        try:
            outcome = await steps.handle_turn(services, turn)
        except Exception:
            services.background.spawn(clear())  # Slack delivers the message again
            raise
    else:
        outcome = await services.transaction_as(
            turn.team_id,
            turn.user_id,
            lambda session, actor: stage(
                services,
                session,
                answer(services, session, turn, actor, text=text, lang=lang),
                team_id=turn.team_id,
            ),
        )

    async def after() -> None:
        await deliver(services, outcome, team_id=turn.team_id)
        await clear()

    services.background.spawn(after())


def _status_of(session: Session, turn: Turn) -> tuple[str | None, bool]:
    """The status of the thread's qualification, and whether the thread is its card's own
    (a qualification in an assistant thread has the person's message as its root)."""
    loaded = qualifications.load_step(
        session=session, team_id=turn.team_id, channel_id=turn.channel_id, thread_ts=turn.thread_ts
    )
    if loaded is None:
        return None, False
    qualification = loaded[0]
    return qualification.status, qualification.card_ts == qualification.thread_ts


def answer(
    services: Services, session: Session, turn: Turn, actor: Actor, *, text: str, lang: str
) -> Outcome:
    """The transactional body of a message in an assistant thread without a qualification."""
    outcome = Outcome()
    keys = [turn.event_id] if turn.event_id else []
    if turn.message_ts:
        keys.append(f"msg:{turn.channel_id}:{turn.message_ts}")
    if not events.claim_events(session=session, team_id=turn.team_id, event_ids=keys):
        return outcome
    t = services.texts(lang)
    channel, thread = turn.channel_id, turn.thread_ts

    def say(line: str) -> Outcome:
        outcome.post(channel, blocks.text_message(line), thread_ts=thread)
        return outcome

    def wait_for(awaiting: str, line: str) -> Outcome:
        assistant_asks.ask(
            session=session,
            team_id=turn.team_id,
            channel_id=channel,
            thread_ts=thread,
            user_id=turn.user_id,
            awaiting=awaiting,
            now=services.clock.now(),
        )
        return say(line)

    def lead_line(command: str) -> str:
        return leads.lead_command(
            services, session, team_id=turn.team_id, actor=actor, text=command, lang=lang
        )

    intent, rest = _intent(services, text)
    awaiting = assistant_asks.take(
        session=session,
        team_id=turn.team_id,
        channel_id=channel,
        thread_ts=thread,
        now=services.clock.now(),
    )
    if intent == "qualify" and qualifications.load_step(
        session=session, team_id=turn.team_id, channel_id=channel, thread_ts=thread
    ):
        return say(t("assistant_thread_taken"))
    if intent == "qualify" and not rest:
        return wait_for(LEAD, t("assistant_ask_lead"))
    if intent == "status" and not rest:
        return wait_for(STATUS, t("assistant_ask_status"))
    if intent == "mine":
        return say(lead_line("list mine"))
    if intent == "status":
        return say(lead_line(f"status {rest}"))
    if intent == "qualify":
        return _start(services, session, outcome, turn, rest, lang)
    if awaiting == STATUS:
        return say(lead_line(f"status {text.strip()}"))
    if awaiting == LEAD:
        return _start(services, session, outcome, turn, text, lang)
    return say(t("assistant_not_understood"))


def _start(
    services: Services, session: Session, outcome: Outcome, turn: Turn, text: str, lang: str
) -> Outcome:
    """Start a qualification in the assistant thread, or say why not."""
    t = services.texts(lang)
    channel, thread = turn.channel_id, turn.thread_ts
    settings = workspace_settings.effective(services, session, turn.team_id)
    request = qualify.parse_qualify(
        text, list(services.frameworks), default=settings.default_framework
    )
    if not request.lead:
        outcome.post(channel, blocks.text_message(t("assistant_ask_lead")), thread_ts=thread)
        assistant_asks.ask(
            session=session,
            team_id=turn.team_id,
            channel_id=channel,
            thread_ts=thread,
            user_id=turn.user_id,
            awaiting=LEAD,
            now=services.clock.now(),
        )
        return outcome
    if request.framework is None:
        line = t(
            "unknown_framework",
            key=request.unknown_framework or "",
            keys=sorted(services.frameworks),
        )
        outcome.post(channel, blocks.text_message(line), thread_ts=thread)
        return outcome
    if qualifications.load_step(
        session=session, team_id=turn.team_id, channel_id=channel, thread_ts=thread
    ):
        # A thread holds one qualification (its key); a finished one keeps it.
        outcome.post(channel, blocks.text_message(t("assistant_thread_taken")), thread_ts=thread)
        return outcome
    return qualify.start_in(
        services,
        session,
        team_id=turn.team_id,
        channel_id=channel,
        user_id=turn.user_id,
        request=request,
        language=lang,
        tell={"channel": channel, "user": turn.user_id},
        thread_ts=thread,
    )


def _intent(services: Services, text: str) -> tuple[str | None, str]:
    """What a message asks for (``qualify``, ``status``, ``mine`` or None) and the rest of it.

    A suggested prompt's message (in any language the bot speaks) is the intent alone; a
    shortcut word may carry the lead (``qualify Acme Corp``, ``status Acme``).
    """
    said = _PUNCTUATION.sub("", " ".join(text.split())).casefold()
    for lang in services.textbook.languages:
        t = services.texts(lang)
        for name, intent in zip(PROMPTS, ("qualify", "status", "mine"), strict=True):
            if said == str(t(name)).casefold():
                return intent, ""
    if said in _MINE_WORDS:
        return "mine", ""
    word, _, rest = " ".join(text.split()).partition(" ")
    if word.casefold() in _QUALIFY_WORDS:
        return "qualify", rest.strip()
    if word.casefold() in _STATUS_WORDS:
        return "status", rest.strip()
    return None, ""


async def set_status(services: Services, key: ThreadKey, status: str) -> None:
    """Show (or, with ``""``, clear) the thread's status line; a failure is only logged."""
    await _best_effort(
        services.slack_for(key.team_id).assistant_threads_setStatus(
            channel_id=key.channel_id, thread_ts=key.thread_ts, status=status
        ),
        "assistant.threads.setStatus",
    )


async def _best_effort(call: Awaitable[Any], method: str) -> None:
    try:
        await call
    except SlackApiError as error:
        log.warning("%s failed: %s", method, error.response.get("error"))
    except Exception:
        log.exception("%s failed", method)
