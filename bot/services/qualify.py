"""``/qualify <lead> [framework]``: the card, the stored qualification and the first question."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import blocks
from bot.services import adapter
from bot.services.context import Services
from bot.services.replies import Outcome, deliver, stage
from flows.model import Assessment, Framework
from storage import repo
from storage.models import Lead

log = logging.getLogger(__name__)

_EXPLICIT = re.compile(r"^(?:framework[:=]|--framework=|\[)?([A-Za-z0-9_&/-]+?)\]?$")
_KEYLIKE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class QualifyRequest:
    """A parsed ``/qualify`` command."""

    lead: str
    framework: str | None
    unknown_framework: str | None = None


def parse_qualify(text: str, framework_keys: list[str], default: str = "bant") -> QualifyRequest:
    """Split ``/qualify`` text into the lead name and the framework.

    A trailing word that is a framework key (any case) picks it. A trailing word that looks
    like a misspelt key, or is written ``framework:x`` / ``[x]``, names an unknown framework.

    Args:
        text: The command text.
        framework_keys: Known framework keys.
        default: Framework used when none is named.

    Returns:
        The request; ``lead`` is empty when no name was given.
    """
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
    lead, created = repo.get_or_create_lead(
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

    record = repo.latest_verdict(session=session, team_id=team_id, lead_id=lead_id)
    if record is None or record.framework == framework.key:
        return {}
    earlier = repo.get_qualification_by_id(
        session=session, team_id=team_id, qualification_id=record.qualification_id
    )
    earlier_framework = services.frameworks.get(record.framework)
    if earlier is None or earlier_framework is None:
        return {}
    answers = adapter.load_conversation(earlier.conversation).answers
    return carry_over(answers, earlier_framework, framework)


async def start(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    request: QualifyRequest,
) -> str | None:
    """Create the lead and qualification, post the card and the first question.

    Args:
        services: Shared collaborators.
        team_id: Workspace id.
        channel_id: Where the command was typed (the card goes there).
        user_id: The rep.
        request: The parsed command.

    Returns:
        An ephemeral line for the rep when starting failed, else None.
    """
    assert request.framework is not None
    lang = services.settings.language
    t = services.texts(lang)
    framework = services.frameworks[request.framework]
    lead, prefill = await services.transaction(
        lambda session: lead_and_earlier_answers(
            services,
            session,
            team_id=team_id,
            user_id=user_id,
            request=request,
            framework=framework,
        )
    )
    conversation, first = services.conversations.start(
        request.framework, lang=lang, prefill=prefill
    )
    if str(first.kind) == "verdict":
        # Everything was known already; a fresh qualification should still ask.
        conversation, first = services.conversations.start(request.framework, lang=lang)
    card = blocks.card_message(
        t,
        blocks.CardState(
            lead=lead.name,
            framework_name=framework.name,
            rep_id=user_id,
            answered=adapter.answered_count(conversation),
            total=len(framework.criteria),
        ),
    )
    try:
        posted = await services.client.api_call(
            "chat.postMessage", json={"channel": channel_id, **card}
        )
    except SlackApiError as error:
        log.warning("could not post the card: %s", error.response.get("error"))
        return t("qualify_failed")
    except (TimeoutError, aiohttp.ClientError) as error:
        # Slack did not answer in time (after the client's retries): the rep should hear so.
        log.warning("could not post the card: %r", error)
        return t("qualify_failed")
    card_ts = str(posted["ts"])
    channel = str(posted.get("channel") or channel_id)

    outcome = Outcome()
    criterion = adapter.criterion_of(framework, first, conversation)
    if criterion is not None:
        outcome.post(
            channel,
            blocks.question_message(
                t,
                framework=framework,
                criterion=criterion,
                thread_ts=card_ts,
            ),
            thread_ts=card_ts,
        )

    def store(session: Session) -> Outcome:
        repo.start_qualification(
            session=session,
            team_id=team_id,
            lead_id=lead.id,
            channel_id=channel,
            thread_ts=card_ts,
            rep_id=user_id,
            framework=framework.key,
            language=lang,
            machine_state=adapter.machine_state(conversation),
            conversation=conversation.to_json(),
            card_ts=card_ts,
        )
        # The first question commits with the qualification, so a crash cannot lose it.
        return stage(services, session, outcome, team_id=team_id)

    outcome = await services.transaction(store)
    await deliver(services, outcome)
    return None
