"""What a service decided to say, sent after its transaction committed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks, reading_blocks
from bot.blocks import Message
from bot.rendering import Texts
from bot.services import adapter
from bot.services.context import Services
from bot.services.outbox_sender import META_KEY, Staged
from flows.conversation import Conversation, StepResult
from flows.model import Assessment, Criterion, Framework

DURABLE_METHODS = frozenset(
    {"chat.postMessage", "chat.update", "functions.completeSuccess", "functions.completeError"}
)
"""Calls that go through the outbox when staged: every visible message and card update, and
the end of a Workflow Builder step."""

QUESTION_KIND = "question"
"""``__meta`` kind of a question's post: once sent, its ts is kept on the qualification."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackCall:
    """One Web API call; ``staged`` when it was written to the outbox in the step's
    transaction (then a crash after the commit cannot lose it)."""

    method: str
    args: dict[str, Any]
    staged: Staged | None = None


@dataclass
class Outcome:
    """The result of a service step: direct calls, and whether the outbox got new messages."""

    calls: list[SlackCall] = field(default_factory=list)
    outbox_enqueued: bool = False

    def add(self, method: str, **args: Any) -> None:
        """Queue a direct Web API call."""
        self.calls.append(SlackCall(method, args))

    def post(self, channel: str, body: dict[str, Any], *, thread_ts: str | None = None) -> None:
        """Queue ``chat.postMessage`` of ``body`` (``text`` and ``blocks``)."""
        args: dict[str, Any] = {"channel": channel, **body}
        if thread_ts:
            args["thread_ts"] = thread_ts
        self.add("chat.postMessage", **args)

    def ephemeral(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> None:
        """Queue ``chat.postEphemeral`` of a plain line to ``user``."""
        args: dict[str, Any] = {"channel": channel, "user": user, "text": text}
        if thread_ts:
            args["thread_ts"] = thread_ts
        self.add("chat.postEphemeral", **args)

    def update(self, channel: str, ts: str, body: dict[str, Any]) -> None:
        """Queue ``chat.update`` of the message at ``ts``."""
        self.add("chat.update", channel=channel, ts=ts, **body)


def ask_question(
    outcome: Outcome,
    t: Texts,
    *,
    framework: Framework,
    conversation: Conversation,
    result: StepResult,
    channel: str,
    thread_ts: str,
    before: Message | None = None,
    qualification_id: int | None = None,
) -> bool:
    """Add the question that ``result`` asks to the thread (nothing when it asks none).

    A ``clarify`` result re-asks its criterion with the reason the answer was unclear, and
    offers the likely readings of a conflicting answer as buttons.

    Args:
        outcome: Where the post is added.
        t: Wording of the qualification's language.
        framework: The qualification's framework.
        conversation: The conversation after the step (its state names the question when the
            result does not).
        result: The step's (or the start's) result.
        channel: The qualification's channel.
        thread_ts: The qualification's thread (the card).
        before: What the bot understood of the last answer or of pasted notes, shown in the
            same message in front of the question.
        qualification_id: The qualification; given, the post remembers its ts once sent
            (``QUESTION_KIND``), so that the answer can close the question in place.

    Returns:
        Whether a question was added.
    """
    criterion = adapter.criterion_of(framework, result, conversation)
    if criterion is None:
        return False
    clarification = None
    choices: tuple[Assessment, ...] = ()
    if str(result.kind) == "clarify" and result.clarification is not None:
        clarification = (result.clarification.reason, result.clarification.evidence)
        if result.clarification.reason == "conflicting":
            choices = tuple(getattr(result.clarification, "readings", ()))
    message = blocks.question_message(
        t,
        framework=framework,
        criterion=criterion,
        thread_ts=thread_ts,
        clarification=clarification,
        readings=choices,
        # Back walks the history; on the first question there is nowhere to go.
        can_go_back=any(key != criterion.key for key in conversation.history),
    )
    body = reading_blocks.preceded_by(before, message)
    if qualification_id is not None:
        body = {
            **body,
            META_KEY: {
                "kind": QUESTION_KIND,
                "qualification": qualification_id,
                "criterion": criterion.key,
            },
        }
    outcome.post(channel, body, thread_ts=thread_ts)
    return True


def close_question(
    outcome: Outcome,
    t: Texts,
    *,
    channel: str,
    question_ts: str | None,
    criterion: Criterion,
    assessment: Assessment | None,
    user: str,
    thread_ts: str,
) -> None:
    """Replace an answered question's message by one line without buttons (``chat.update``).

    The line of an answer keeps its Change select, so a reading can still be corrected once
    the question is closed; a skip has nothing to change.

    Args:
        outcome: Where the update is added.
        t: Wording of the qualification's language.
        channel: The qualification's channel.
        question_ts: The question's message; nothing happens without it (its post may not
            have gone out yet).
        criterion: The criterion answered.
        assessment: The reading recorded; None for a skip that recorded nothing.
        user: Who answered.
        thread_ts: The qualification's thread (carried in the Change select's values).
    """
    if not question_ts:
        return
    status, words = "skipped", ""
    if assessment is not None and (assessment.status.value != "unknown" or assessment.evidence):
        status, words = assessment.status.value, assessment.evidence
    closed = blocks.closed_question(
        t, name=criterion.title(t.lang), status=status, words=words, user=user
    )
    if assessment is not None and status != "skipped":
        select = reading_blocks.reading_section(
            t, criterion=criterion, assessment=assessment, thread_ts=thread_ts
        )
        line = closed["blocks"][0]
        closed["blocks"][0] = {
            **line,
            "block_id": select["block_id"],
            "accessory": select["accessory"],
        }
    outcome.update(channel, question_ts, closed)


def retire_question(
    outcome: Outcome,
    t: Texts,
    *,
    channel: str,
    question_ts: str | None,
    framework: Framework,
    criterion: Criterion,
    thread_ts: str,
) -> None:
    """Take the buttons off a question that is asked again further down (a clarification),
    so that only the newest copy of it can be clicked."""
    if not question_ts:
        return
    asked = blocks.question_message(
        t, framework=framework, criterion=criterion, thread_ts=thread_ts
    )
    kept = [block for block in asked["blocks"] if block["type"] == "section"]
    kept.append(blocks.context(t("asked_again")))
    outcome.update(channel, question_ts, blocks.message(asked["text"], kept))


def settle_asked_question(
    outcome: Outcome,
    t: Texts,
    *,
    framework: Framework,
    channel: str,
    thread_ts: str,
    asked: str | None,
    question_ts: str | None,
    answered: Mapping[str, Assessment],
    asked_again: bool,
    user: str,
) -> None:
    """Tidy the question a step dealt with: closed to one line when ``answered`` holds its
    reading, stripped of its buttons when it is ``asked_again`` further down."""
    if asked is None or asked not in framework.keys:
        return
    criterion = framework.criterion(asked)
    if asked_again:
        retire_question(
            outcome,
            t,
            channel=channel,
            question_ts=question_ts,
            framework=framework,
            criterion=criterion,
            thread_ts=thread_ts,
        )
    elif asked in answered:
        close_question(
            outcome,
            t,
            channel=channel,
            question_ts=question_ts,
            criterion=criterion,
            assessment=answered[asked],
            user=user,
            thread_ts=thread_ts,
        )


def stage(services: Services, session: Session, outcome: Outcome, *, team_id: str) -> Outcome:
    """Write the outcome's posts and card updates into the outbox in the caller's transaction.

    They stay claimed by this process's sender, which posts them right after the commit
    (:func:`deliver`); if the process dies first, another sender delivers them once the claim
    runs out. Ephemeral notes stay direct: they are answers to a click, not state.

    Args:
        services: Shared collaborators.
        session: The step's transaction.
        outcome: What the step decided to say.
        team_id: The workspace.

    Returns:
        A copy of ``outcome`` with its durable calls staged (``outcome`` itself is left as it
        is, so a retried transaction stages them afresh).
    """
    durable = [call for call in outcome.calls if call.method in DURABLE_METHODS]
    staged = iter(
        services.outbox.stage_many(
            session, team_id=team_id, calls=[(call.method, call.args) for call in durable]
        )
        if durable
        else []
    )
    calls = [
        SlackCall(call.method, call.args, next(staged)) if call.method in DURABLE_METHODS else call
        for call in outcome.calls
    ]
    return Outcome(calls=calls, outbox_enqueued=outcome.outbox_enqueued)


async def deliver(services: Services, outcome: Outcome, *, team_id: str) -> None:
    """Make the outcome's calls in workspace ``team_id`` and wake the outbox if it got messages.

    Direct calls go first, in order, then the staged ones, in order. A failing call is logged
    (a staged one goes back to the outbox) and the rest still go out.
    """
    if outcome.outbox_enqueued:
        services.wake_outbox()
    staged = [call.staged for call in outcome.calls if call.staged is not None]
    for call in outcome.calls:
        if call.staged is not None:
            continue
        try:
            await services.slack_for(team_id).api_call(call.method, json=call.args)
        except SlackApiError as error:
            log.warning("%s failed: %s", call.method, error.response.get("error"))
        except Exception:
            log.exception("%s failed", call.method)
    if staged:
        await services.outbox.send_staged(staged)
