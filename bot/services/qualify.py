"""``/qualify <lead> [framework]``: the stored qualification, then its card and first question."""

from __future__ import annotations

import dataclasses
import difflib
import logging
import re
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks
from bot.services import adapter, readings
from bot.services.context import Services
from bot.services.replies import Outcome, ask_question, deliver, stage
from flows.conversation import Conversation, StepResult
from flows.model import Assessment, Framework
from flows.notes import read_notes
from storage import cards, leads, phrases, qualifications
from storage.models import Lead, QualificationStatus

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


def lead_and_earlier_answers(
    services: Services,
    session: Session,
    *,
    team_id: str,
    user_id: str,
    request: QualifyRequest,
    framework: Framework,
) -> tuple[Lead, dict[str, Assessment]]:
    """The lead of a ``/qualify`` (created when new) and the answers that carry over to it.

    Both are read in one transaction, before the card is posted.
    """
    lead, created = leads.get_or_create_lead(
        session=session, team_id=team_id, name=request.lead, owner_id=user_id
    )
    if created:
        return lead, {}  # a lead created just now has no verdict to carry answers over from
    assert lead.id is not None
    return lead, earlier_answers(
        services, session, team_id=team_id, lead_id=lead.id, framework=framework
    )


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


@dataclass(frozen=True, slots=True)
class Started:
    """A qualification stored by :func:`start`, waiting for its card (:func:`post_card`)."""

    team_id: str
    qualification_id: int
    channel_id: str
    language: str
    framework: Framework
    conversation: Conversation
    first: StepResult
    card: dict[str, Any]
    intro: str | None = None
    """A line posted in the thread before the first question."""
    noted: dict[str, Assessment] | None = None
    """What pasted call notes settled; shown with the first question when notes were given."""


async def start(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    request: QualifyRequest,
) -> Started:
    """Store the lead and its qualification in one transaction; the card comes after it.

    Runs inside the command's request, so the rep hears at once when the database fails.
    The qualification waits under a placeholder thread key (``storage.cards``) until
    :func:`post_card` has posted the card, whose ts becomes the key.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        channel_id: Where the command was typed (the card goes there).
        user_id: The rep.
        request: The parsed command.

    Returns:
        What :func:`post_card` needs.
    """
    assert request.framework is not None
    framework = services.frameworks[request.framework]

    language = services.settings.language

    def store(session: Session) -> Started:
        lead, prefill = lead_and_earlier_answers(
            services,
            session,
            team_id=team_id,
            user_id=user_id,
            request=request,
            framework=framework,
        )
        assert lead.id is not None
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
        )

    return await services.transaction(store)


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
) -> Started:
    """Store a new qualification of a lead, waiting for its card, in the caller's transaction.

    Used by ``/qualify`` and by a re-qualification; :func:`post_card` posts the card after
    the commit.

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
            win over carried-over ones.

    Returns:
        What :func:`post_card` needs.
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
    return Started(
        team_id,
        qualification.id,
        channel_id,
        language,
        framework,
        conversation,
        first,
        card,
        noted=noted,
    )


async def post_card(
    services: Services, started: Started, *, tell: tuple[str, str] | None = None
) -> str | None:
    """Post the card of a stored qualification, key it by the card and ask the first question.

    Runs after the command was answered. A card that cannot be posted gives the
    qualification up (cancelled, never seen) and returns the line for the rep.

    Args:
        services: Shared collaborators.
        started: What :func:`start` (or :func:`store_start`) stored.
        tell: ``(channel, user)`` to send the failure line to as an ephemeral note.

    Returns:
        An ephemeral line for the rep when the card could not be posted, else None.
    """
    t = services.texts(started.language)
    try:
        posted = await services.client.api_call(
            "chat.postMessage", json={"channel": started.channel_id, **started.card}
        )
    except (SlackApiError, TimeoutError, aiohttp.ClientError) as error:
        # Slack refused, or did not answer in time after the client's retries.
        log.warning("could not post the card: %r", error)
        await services.transaction(
            lambda session: cards.give_up(
                session=session,
                team_id=started.team_id,
                qualification_id=started.qualification_id,
            )
        )
        failure = t("qualify_failed")
        if tell is not None:
            note = Outcome()
            note.ephemeral(*tell, failure)
            await deliver(services, note)
        return failure
    card_ts = str(posted["ts"])
    channel = str(posted.get("channel") or started.channel_id)
    outcome = Outcome()
    if started.intro:
        outcome.post(channel, blocks.text_message(started.intro), thread_ts=card_ts)
    taken = None
    if started.noted is not None:
        taken = readings.notes_message(
            t, framework=started.framework, noted=started.noted, thread_ts=card_ts
        )
    ask_question(
        outcome,
        t,
        framework=started.framework,
        conversation=started.conversation,
        result=started.first,
        channel=channel,
        thread_ts=card_ts,
        before=taken,
    )

    def attach(session: Session) -> Outcome:
        if not cards.attach_card(
            session=session,
            team_id=started.team_id,
            qualification_id=started.qualification_id,
            channel_id=channel,
            card_ts=card_ts,
        ):
            return Outcome()
        # The first question commits with the thread key, so a crash cannot lose it.
        return stage(services, session, outcome, team_id=started.team_id)

    await deliver(services, await services.transaction(attach))
    return None
