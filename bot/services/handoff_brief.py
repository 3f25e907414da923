"""The handoff brief: the thread link, the company and contact with what is known of them,
the figures the rep's answers gave, the gaps and two or three questions for the first call.

Shown in the hot-lead alert and in the accepting account executive's DM; words come from the
templates (``brief_*``, ``first_call_question``). Also the card drawn with the stage a handoff
decision gave the lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot import blocks
from bot.blocks import Message, context, section
from bot.crm import outbox as crm_outbox
from bot.rendering import Texts
from bot.services.context import Services
from flows.model import AnswerKind, Framework, Status, VerdictResult, criterion_title
from storage import leads
from storage.models import Qualification

MAX_QUESTIONS = 3
"""A first call has room for a few open questions, not a questionnaire."""


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What is known of the lead's company and contact (the CRM's firmographics included)."""

    contact: str
    company: str | None = None
    employees: int | None = None
    industry: str | None = None
    region: str | None = None
    engagement: int | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """The parsed values of the answers: an amount, a target date, who signs."""

    amount: dict[str, Any] | str | None = None
    target_date: str | None = None
    signer: str | None = None
    questions: tuple[tuple[str, str], ...] = field(default=())
    """``(kind, criterion name)`` of the gaps to ask about on the first call."""


def _label(framework: Framework | None, key: str, value: Any, lang: str) -> Any:
    """A quick answer's label for its stored code (``decides``: "Contact decides")."""
    if framework is None or not isinstance(value, str) or key not in framework.keys:
        return value
    for choice in framework.criterion(key).choices:
        if choice.value == value:
            return choice.label.get(lang) or choice.label.get("en") or value
    return value


def figures(verdict: VerdictResult, framework: Framework | None, lang: str) -> Figures:
    """Read the figures and the first-call questions from a verdict's stored readings.

    An amount is its ``{"amount", "currency"}`` value, a target date the date of its window,
    who signs the role or name read; a quick answer shows its label instead.
    """
    kinds = {c.key: c.kind for c in framework.criteria} if framework else {}
    found: dict[AnswerKind, Any] = {}
    for key, assessment in verdict.criteria.items():
        kind, value = kinds.get(key), assessment.value
        if kind not in (AnswerKind.AMOUNT, AnswerKind.TIMEFRAME, AnswerKind.ROLE):
            continue
        if assessment.status is Status.MISSING or value in (None, "", {}) or kind in found:
            continue
        if kind is AnswerKind.TIMEFRAME and isinstance(value, dict):
            value = value.get("date")
        found[kind] = _label(framework, key, value, lang)
    asked: list[tuple[str, str]] = []
    for key in verdict.gaps[:MAX_QUESTIONS]:
        kind = kinds.get(key)
        asked.append((kind.value if kind else "text", criterion_title(framework, key, lang)))
    if not asked:
        asked.append(("none", ""))
    return Figures(
        amount=found.get(AnswerKind.AMOUNT),
        target_date=found.get(AnswerKind.TIMEFRAME),
        signer=found.get(AnswerKind.ROLE),
        questions=tuple(asked),
    )


def brief_blocks(
    t: Texts, *, facts: LeadFacts, found: Figures, thread_link: str | None
) -> list[dict[str, Any]]:
    """The brief as Block Kit blocks (the gaps are already in the message's own lines)."""
    lines: Sequence[str] = [
        t(
            "brief_lead",
            company=facts.company,
            contact=facts.contact,
            employees=facts.employees,
            industry=facts.industry,
            region=facts.region,
            engagement=facts.engagement,
        ),
        t("brief_figures", amount=found.amount, date=found.target_date, signer=found.signer),
    ]
    questions = [t("first_call_question", kind=kind, name=name) for kind, name in found.questions]
    blocks = [section("\n".join(lines)), section(t("brief_questions", questions=questions))]
    if thread_link:
        blocks.insert(0, context(t("brief_thread", url=thread_link)))
    return blocks


def handoff_brief(
    services: Services,
    session: Session,
    qualification: Qualification,
    verdict: VerdictResult,
    framework: Framework | None,
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """The brief's blocks: thread link (once Slack gave it), lead facts, figures, questions;
    in ``lang`` (the reader's), else in the thread's language."""
    lang = lang or qualification.language
    lead = leads.get_lead(
        session=session, team_id=qualification.team_id, lead_id=qualification.lead_id
    )
    facts = LeadFacts(
        contact=lead.name if lead else "",
        company=lead.company if lead else None,
        employees=lead.employees if lead else None,
        industry=lead.industry if lead else None,
        region=lead.region if lead else None,
        engagement=(lead.engagement_points or None) if lead else None,
    )
    return brief_blocks(
        services.texts(lang),
        facts=facts,
        found=figures(verdict, framework, lang),
        thread_link=qualification.thread_link,
    )


def card_with_stage(
    services: Services,
    session: Session,
    qualification: Qualification,
    lead_name: str,
    verdict: VerdictResult | None,
) -> Message | None:
    """The thread's card drawn again with the stage a handoff decision gave the lead (None:
    no card or no verdict to draw)."""
    q = qualification
    framework = services.frameworks.get(q.framework)
    lead = leads.get_lead(session=session, team_id=q.team_id, lead_id=q.lead_id)
    if not q.card_ts or verdict is None or framework is None or lead is None:
        return None
    return blocks.card_message(
        services.texts(q.language),
        blocks.CardState(
            lead=lead_name,
            framework_name=framework.name,
            rep_id=q.rep_id,
            answered=len(verdict.criteria),
            total=len(framework.criteria),
            status=q.status,
            verdict=verdict,
            crm_link=crm_outbox.record_link(session, q.team_id, q.lead_id),
            stage=lead.stage,
        ),
    )
