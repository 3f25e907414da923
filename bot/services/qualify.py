"""``/qualify <lead> [framework]``: the qualification and its card, then its first question."""

from __future__ import annotations

import dataclasses
import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlmodel import Session

from bot import blocks
from bot.crm import outbox as crm_outbox
from bot.services import adapter, readings
from bot.services.context import Services
from bot.services.outbox_sender import META_KEY, Staged
from bot.services.replies import Outcome, ask_question, stage
from flows.model import Assessment, Framework
from flows.notes import read_notes
from flows.state import StepKind, StepResult
from storage import cards, events, leads, phrases, qualifications
from storage.models import OutboxMessage, Qualification, QualificationStatus

log = logging.getLogger(__name__)

_EXPLICIT = re.compile(r"^(?:framework[:=]|--framework=|\[)?([A-Za-z0-9_&/-]+?)\]?$")
_KEYLIKE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class QualifyRequest:
    """A parsed ``/qualify`` command."""

    lead: str
    framework: str | None
    unknown_framework: str | None = None
    notes: str = ""
    """Call notes pasted after the first line or after `` -- ``."""


def split_notes(text: str) -> tuple[str, str]:
    """``/qualify`` text as the command line and the call notes that follow it.

    Notes start on the line after the lead (and framework), or after a `` -- ``.
    """
    head, _, rest = text.strip().partition("\n")
    if " -- " in f" {head} ":
        head, _, before = f" {head} ".partition(" -- ")
        rest = f"{before.strip()}\n{rest}"
    return head.strip(), rest.strip()


def parse_qualify(text: str, framework_keys: list[str], default: str = "bant") -> QualifyRequest:
    """Split ``/qualify`` text into the lead name, the framework and any call notes.

    A trailing word that is a framework key (any case) picks it. A trailing word that looks
    like a misspelt key, or is written ``framework:x`` / ``[x]``, names an unknown framework.
    Notes follow on the next lines or after `` -- `` (see :func:`split_notes`).

    Args:
        text: The command text.
        framework_keys: Known framework keys.
        default: Framework used when none is named.

    Returns:
        The request; ``lead`` is empty when no name was given.
    """
    head, notes = split_notes(text)
    request = _parse_head(head, framework_keys, default)
    return dataclasses.replace(request, notes=notes) if notes and request.lead else request


def _parse_head(text: str, framework_keys: list[str], default: str) -> QualifyRequest:
    words = text.split()
    if not words:
        return QualifyRequest("", None)
    last = words[-1]
    explicit = last.startswith(("framework:", "framework=", "--framework=", "[")) and len(words) > 1
    match = _EXPLICIT.match(last)
    candidate = (match.group(1) if match else last).casefold().replace("&", "_").replace("/", "_")
    candidate = candidate.replace("-", "_")
    keys = {key.casefold(): key for key in framework_keys}
    if len(words) > 1 and candidate in keys:
        return QualifyRequest(" ".join(words[:-1]), keys[candidate])
    if len(words) > 1 and (
        explicit
        or (
            _KEYLIKE.match(last)
            and (difflib.get_close_matches(candidate, list(keys), n=1, cutoff=0.75) or "_" in last)
        )
    ):
        return QualifyRequest(" ".join(words[:-1]), None, unknown_framework=last)
    return QualifyRequest(" ".join(words), default)


def earlier_answers(
    services: Services, session: Session, *, team_id: str, lead_id: int, framework: Framework
) -> dict[str, Assessment]:
    """Answers of the lead's last qualified framework that carry over to ``framework``.

    Budget, authority, need and timeline answered under BANT need not be asked again under
    MEDDIC or ANUM; the same framework again starts from scratch.
    """
    from flows.conversation import carry_over

    record = qualifications.latest_verdict(session=session, team_id=team_id, lead_id=lead_id)
    if record is None or record.framework == framework.key:
        return {}
    earlier = qualifications.get_qualification_by_id(
        session=session, team_id=team_id, qualification_id=record.qualification_id
    )
    earlier_framework = services.frameworks.get(record.framework)
    if earlier is None or earlier_framework is None:
        return {}
    answers = adapter.load_conversation(earlier.conversation).answers
    return carry_over(answers, earlier_framework, framework)


CARD_KIND = "card"
PERMALINK_KIND = "thread_link"
"""Outbox meta of the card's ``chat.getPermalink``: its answer is kept on the qualification."""
"""``__meta`` kind of a card: when it is sent (or fails for good), :func:`card_settled`."""
RESPOND_METHOD = "sdrbot.respond"
"""Outbox method that answers a slash command through its ``response_url``."""


async def start(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    request: QualifyRequest,
    tell: dict[str, str] | None = None,
    trigger_id: str | None = None,
) -> Outcome:
    """Store the lead and its qualification and stage its card, in one transaction.

    Runs inside the command's request, so the rep hears at once when the database fails.
    The command's ``trigger_id`` is claimed in the same transaction as an idempotency key:
    a replayed request (the same signed body again within Slack's five minutes) starts nothing.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        channel_id: Where the command was typed (the card goes there).
        user_id: The rep.
        request: The parsed command.
        tell: Where the rep hears that the card could not be posted (see :func:`store_start`).
        trigger_id: The command's ``trigger_id``, unique to one invocation.

    Returns:
        The staged card, to :func:`~bot.services.replies.deliver` after the response;
        nothing for a replay.
    """
    # The thread keeps the language it starts in: the rep's Slack locale, else the team's.
    language = await services.language_of(team_id, user_id)

    def store(session: Session) -> Outcome:
        if trigger_id and not events.claim_event(
            session=session, team_id=team_id, event_id=f"trigger:{trigger_id}"
        ):
            return Outcome()
        return start_in(
            services,
            session,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            request=request,
            language=language,
            tell=tell,
        )

    return await services.transaction(store)


def start_in(
    services: Services,
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    request: QualifyRequest,
    language: str,
    tell: dict[str, str] | None = None,
    thread_ts: str | None = None,
) -> Outcome:
    """Store the lead and its qualification and stage its card, in the caller's transaction.

    Args:
        services: Shared collaborators.
        session: The caller's transaction.
        team_id: Workspace id.
        channel_id: Where the card goes.
        user_id: The rep.
        request: The parsed request (its framework known).
        language: The qualification's language.
        tell: Where the rep hears that the card could not be posted.
        thread_ts: A thread that exists already (an assistant thread): the card is its
            first reply and the qualification runs in it; None: the card opens a thread.

    Returns:
        The staged card, to :func:`~bot.services.replies.deliver` after the commit.
    """
    assert request.framework is not None
    framework = services.frameworks[request.framework]
    lead, _ = leads.get_or_create_lead(
        session=session, team_id=team_id, name=request.lead, owner_id=user_id
    )
    assert lead.id is not None
    prefill = earlier_answers(
        services, session, team_id=team_id, lead_id=lead.id, framework=framework
    )
    noted = None
    if request.notes:
        noted = read_notes(
            framework,
            request.notes,
            lang=language,
            thresholds=framework.thresholds,
            today=services.clock.now().date(),
            phrasebook=phrases.load_phrasebook(session=session, team_id=team_id),
        )
    return store_start(
        services,
        session,
        team_id=team_id,
        lead_id=lead.id,
        lead_name=lead.name,
        channel_id=channel_id,
        rep_id=user_id,
        framework=framework,
        language=language,
        prefill=prefill,
        noted=noted,
        tell=tell,
        thread_ts=thread_ts,
    )


def store_start(
    services: Services,
    session: Session,
    *,
    team_id: str,
    lead_id: int,
    lead_name: str,
    channel_id: str,
    rep_id: str,
    framework: Framework,
    language: str,
    prefill: dict[str, Assessment],
    noted: dict[str, Assessment] | None = None,
    requalify: bool = False,
    tell: dict[str, str] | None = None,
    thread_ts: str | None = None,
    stored: Callable[[Qualification], None] | None = None,
) -> Outcome:
    """Store a new qualification of a lead and stage its card, in the caller's transaction.

    The qualification waits under a placeholder thread key (``storage.cards``) until the
    outbox has posted the card; :func:`card_settled` then keys it by the card and stages the
    first question. Used by ``/qualify``, "Qualify now" and a re-qualification.

    Args:
        services: Shared collaborators.
        session: The caller's transaction.
        team_id: Workspace id.
        lead_id: The lead.
        lead_name: The lead's name, for the card.
        channel_id: Where the card goes.
        rep_id: Who answers the questions.
        framework: The framework asked.
        language: The qualification's language.
        prefill: Answers carried over; a start that would know everything asks afresh.
        noted: Answers read from pasted call notes (``None`` when none were pasted); they
            win over carried-over ones and are shown with the first question.
        requalify: Say in the thread, before the first question, what is already known.
        tell: Where the rep hears that the card could not be posted: ``{"response_url"}``
            of a command, or ``{"channel", "user"}`` for an ephemeral note.
        thread_ts: The thread the qualification runs in when it is not the card's own (an
            assistant thread, whose root is the person's); the card is posted in it.
        stored: Called with the new qualification once it has its id.

    Returns:
        The staged card, to :func:`~bot.services.replies.deliver` after the commit.
    """
    conversation, first = services.conversations.start(
        framework.key, lang=language, prefill={**prefill, **(noted or {})}
    )
    if str(first.kind) == "verdict":
        # Everything was known already; a fresh qualification should still ask, at least the
        # last thing the notes settled (for the rep to confirm).
        if noted:
            noted = dict(list(noted.items())[:-1])
        conversation, first = services.conversations.start(
            framework.key, lang=language, prefill=noted or {}
        )
    qualification = qualifications.start_qualification(
        session=session,
        team_id=team_id,
        lead_id=lead_id,
        channel_id=channel_id,
        thread_ts=cards.placeholder_thread(),
        status=QualificationStatus.STARTING,
        rep_id=rep_id,
        framework=framework.key,
        language=language,
        machine_state=adapter.machine_state(conversation),
        conversation=conversation.to_json(),
    )
    assert qualification.id is not None
    if stored is not None:
        stored(qualification)
    card = blocks.card_message(
        services.texts(language),
        blocks.CardState(
            lead=lead_name,
            framework_name=framework.name,
            rep_id=rep_id,
            answered=adapter.answered_count(conversation),
            total=len(framework.criteria),
        ),
    )
    meta: dict[str, Any] = {"kind": CARD_KIND, "qualification": qualification.id}
    if noted is not None:
        meta["notes"] = list(noted)
    if requalify:
        meta["requalify"] = True
    if tell:
        meta["tell"] = tell
    if thread_ts:
        meta["thread"] = thread_ts
    outcome = Outcome()
    outcome.post(channel_id, {**card, META_KEY: meta}, thread_ts=thread_ts)
    return stage(services, session, outcome, team_id=team_id)


def card_settled(
    services: Services,
    session: Session,
    message: OutboxMessage,
    meta: dict[str, Any],
    result: dict[str, Any] | None,
) -> list[Staged]:
    """Key the qualification by its card and stage what follows it, in the outbox's
    transaction that records the card as sent (or as failed for good: ``result`` None).

    A card that failed for good gives the qualification up and tells the rep. Both happen
    with the card's own record, so a crash between them cannot leave one without the other.

    Returns:
        What was staged: the first question (with a re-qualification's intro and what
        pasted notes settled), or the line for the rep.
    """
    team_id = message.team_id
    qualification = cards.waiting(
        session=session, team_id=team_id, qualification_id=int(meta["qualification"])
    )
    if qualification is None:
        return []
    t = services.texts(qualification.language)
    outcome = Outcome()
    if result is None:
        from bot.services import workflow_steps  # it builds on this module

        cards.give_up(session=session, qualification=qualification)
        lead = leads.get_lead(session=session, team_id=team_id, lead_id=qualification.lead_id)
        workflow_steps.qualification_finished(
            services,
            session,
            outcome,
            qualification,
            lead_name=lead.name if lead is not None else "",
            failed="step_card_failed",
        )
        tell = meta.get("tell") or {}
        if "response_url" in tell:
            outcome.add(RESPOND_METHOD, url=tell["response_url"], text=t("qualify_failed"))
        elif tell:
            outcome.add("chat.postEphemeral", **tell, text=t("qualify_failed"))
    else:
        channel = str(result.get("channel") or qualification.channel_id)
        card_ts = str(result["ts"])
        # The thread is the card's own, or the one the card was posted in.
        thread = str(meta.get("thread") or card_ts)
        cards.attach_card(
            session=session,
            qualification=qualification,
            channel_id=channel,
            card_ts=card_ts,
            thread_ts=thread,
        )
        crm_outbox.stage_company(services, session, qualification, channel, card_ts)
        # The thread's link for the handoff; asked for after the card, never waited for.
        outcome.add(
            "chat.getPermalink",
            channel=channel,
            message_ts=card_ts,
            **{META_KEY: {"kind": PERMALINK_KIND, "qualification": qualification.id}},
        )
        framework = services.frameworks[qualification.framework]
        conversation = adapter.load_conversation(qualification.conversation)
        if meta.get("requalify"):
            intro = t("requalify_intro", rep=qualification.rep_id, known=len(conversation.answers))
            outcome.post(channel, blocks.text_message(intro), thread_ts=thread)
        taken = None
        if "notes" in meta:
            noted = {
                key: conversation.answers[key]
                for key in meta["notes"]
                if key in conversation.answers
            }
            taken = readings.notes_message(t, framework=framework, noted=noted, thread_ts=thread)
        ask_question(
            outcome,
            t,
            framework=framework,
            conversation=conversation,
            result=StepResult(StepKind.ASK, conversation.state),  # asks the state's criterion
            channel=channel,
            thread_ts=thread,
            before=taken,
            qualification_id=qualification.id,
        )
    return services.outbox.stage_many(
        session, team_id=team_id, calls=[(call.method, call.args) for call in outcome.calls]
    )


async def respond(payload: dict[str, Any]) -> dict[str, Any]:
    """Answer a slash command through its ``response_url`` with an ephemeral line.

    Slack keeps a ``response_url`` for 30 minutes: a refusal is logged, not retried; a
    request that did not get through raises, and the outbox tries again.
    """
    response = await AsyncWebhookClient(payload["url"]).send(
        text=payload["text"], response_type="ephemeral"
    )
    if response.status_code != 200:
        log.warning("response_url refused the answer: %s", response.status_code)
    return {}
