"""Block Kit structures built around texts from the templates; no wording lives here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.rendering import (
    BUTTON_VALUE_LIMIT,
    PLAIN_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    SlackSafe,
    Texts,
    clip,
)
from bot.services.turns import button_value
from flows.model import Assessment, Criterion, Framework, Status, VerdictResult, criterion_title
from flows.slacktext import unescape

Message = dict[str, Any]
MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
BUTTON_TEXT_LIMIT = 75

ANSWER_ACTION = re.compile(r"^qa_answer_\d+$")
SKIP_ACTION = "qa_skip"
BACK_ACTION = "qa_back"
CANCEL_ACTION = "qa_cancel"
ACCEPT_ACTION = "handoff_accept"
REJECT_ACTION = "handoff_reject"
REJECT_CALLBACK = "reject_handoff"
REJECT_BLOCK = "reason_block"
REJECT_INPUT = "reason_input"
REJECT_CODE_BLOCK = "reason_code_block"
REJECT_CODE_INPUT = "reason_code_input"
REQUALIFY_ACTION = "nurture_requalify"
QUALIFY_NOW_ACTION = "engagement_qualify_now"
READING_CHANGE_ACTION = "reading_change"
READING_CHOICE_ACTION = re.compile(r"^reading_choice_\d+$")
PHRASE_REMOVE_ACTION = "phrase_remove"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section, clipped to Slack's 3,000-character limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_LIMIT)}}


def context(text: str) -> dict[str, Any]:
    """A small-print context block."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2000)}]}


def plain(text: str, limit: int = PLAIN_TEXT_LIMIT) -> dict[str, Any]:
    """A plain_text object, clipped to ``limit``.

    Slack shows plain_text as it is: wording rendered for mrkdwn (``SlackSafe``) is unescaped
    first, so "Procter & Gamble" does not show as ``Procter &amp; Gamble``; raw text stays.
    """
    if isinstance(text, SlackSafe):
        text = unescape(text)
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button element; ``value`` is clipped to Slack's 2,000 characters."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, BUTTON_TEXT_LIMIT),
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style:
        element["style"] = style
    return element


def confirm_dialog(t: Texts, what: str) -> dict[str, Any]:
    """Slack's confirm dialog for a destructive button: one click alone does nothing.

    Args:
        t: Wording.
        what: Which action is confirmed (``cancel``, ``remove``), as the wording names it.
    """
    return {
        "title": plain(t("confirm_title", what=what), 100),
        "text": plain(t("confirm_text", what=what), 300),
        "confirm": plain(t("confirm_yes", what=what), 30),
        "deny": plain(t("confirm_no"), 30),
        "style": "danger",
    }


def closed_question(t: Texts, *, name: str, status: str, words: str, user: str) -> Message:
    """An answered question, closed in place: one line, no buttons.

    Args:
        t: Wording.
        name: The criterion's name.
        status: ``met`` / ``partial`` / ``missing`` / ``unknown``, or ``skipped``.
        words: What the person typed or clicked (empty for a skip).
        user: Who answered.
    """
    line = t("question_closed", name=name, status=status, words=words, user=user)
    return message(line, [section(line)])


def message(text: str, blocks: Sequence[dict[str, Any]]) -> Message:
    """A message body: fallback ``text`` and at most 50 blocks."""
    return {"text": clip(text, 3000), "blocks": list(blocks)[:MAX_BLOCKS]}


def text_message(text: str) -> Message:
    """A message made of one section."""
    return message(text, [section(text)])


@dataclass(frozen=True, slots=True)
class CardState:
    """What the qualification card shows."""

    lead: str
    framework_name: str
    rep_id: str
    answered: int
    total: int
    status: str = "active"
    verdict: VerdictResult | None = None
    crm_link: tuple[str, str] | None = None
    """The lead's CRM record: ``(url, CRM name)``."""
    stage: str | None = None
    """The lead's stage when a handoff decision moved it past the verdict's (SAL, nurture...)."""


def card_message(t: Texts, card: CardState) -> Message:
    """The root message of a qualification thread.

    The card is updated only when the status changes, not on every answer, so it never claims
    a running count: an active card names the questions and how many were answered when it
    started or resumed, and leaves how far it got to the thread; a paused or cancelled card
    keeps the count of that moment, which stays true until the next status change.
    """
    blocks = [
        section(t("card_title", lead=card.lead, framework=card.framework_name)),
        context(t("card_meta", rep=card.rep_id)),
    ]
    if card.verdict is not None:
        v = card.verdict
        blocks.append(
            section(
                t(
                    "card_verdict",
                    verdict=v.verdict.value,
                    score=v.score,
                    stage=card.stage or v.stage.value,
                )
            )
        )
        if card.crm_link:
            url, crm = card.crm_link
            blocks.append(context(t("crm_link", url=url, crm=crm)))
        fallback = t("verdict_fallback", lead=card.lead, verdict=v.verdict.value, score=v.score)
        return message(fallback, blocks)
    if card.status == "active":
        blocks.append(context(t("card_questions", known=card.answered, total=card.total)))
    else:
        if card.status == "paused":
            blocks.append(section(t("card_paused")))
        elif card.status == "cancelled":
            blocks.append(section(t("card_cancelled")))
        blocks.append(context(t("card_progress", answered=card.answered, total=card.total)))
    return message(t("card_fallback", lead=card.lead, framework=card.framework_name), blocks)


def question_message(
    t: Texts,
    *,
    framework: Framework,
    criterion: Criterion,
    thread_ts: str,
    clarification: tuple[str, str] | None = None,
    readings: Sequence[Assessment] = (),
    can_go_back: bool = True,
) -> Message:
    """A question in the thread with quick answers and Skip / Back / Cancel.

    Args:
        t: Texts of the qualification's language.
        framework: The framework asked, for the question's number of its total.
        criterion: The criterion asked.
        thread_ts: Thread of the qualification (carried in button values).
        clarification: ``(reason code, evidence)`` when re-asking after an unclear answer.
        readings: The likely readings of a conflicting answer, likeliest first: offered as
            buttons above the quick answers.
        can_go_back: Whether an earlier question exists; without one Back is not offered.
    """
    number = framework.keys.index(criterion.key) + 1
    total = len(framework.criteria)
    question_text = _localized(criterion.question, t.lang)
    name = criterion.title(t.lang)
    if clarification is None:
        body = t("question", number=number, total=total, name=name, text=question_text)
        fallback = t("question_fallback", number=number, total=total, text=question_text)
    elif clarification[0] == "needs_value":
        # A bare "yes" to "how much?": one short follow-up rather than the whole question.
        body = fallback = t("ask_value", kind=criterion.kind.value, name=name)
    else:
        reason, evidence = clarification
        body = t("clarify", reason=reason, evidence=evidence, name=name, text=question_text)
        fallback = t("clarify_fallback", reason=reason)
        if readings:
            body = f"{body}\n{t('pick_reading')}"
    quick = criterion.quick_answers.get(t.lang) or criterion.quick_answers.get("en") or ()
    answers = [
        button(label, f"qa_answer_{index}", button_value(t=thread_ts, c=criterion.key, a=label))
        for index, label in enumerate(quick[:20])
    ]
    control_value = button_value(t=thread_ts, c=criterion.key)
    controls = [button(t("button_skip"), SKIP_ACTION, control_value)]
    if can_go_back:
        controls.append(button(t("button_back"), BACK_ACTION, control_value))
    cancel = button(t("button_cancel"), CANCEL_ACTION, control_value, "danger")
    cancel["confirm"] = confirm_dialog(t, "cancel")
    controls.append(cancel)
    blocks = [section(body)]
    if readings:
        blocks.append(
            reading_choices(t, criterion=criterion, thread_ts=thread_ts, readings=readings)
        )
    # An actions block holds at most 25 elements; answers and controls sit in separate rows.
    if answers:
        blocks.append({"type": "actions", "block_id": "qa_answers", "elements": answers[:25]})
    blocks.append({"type": "actions", "block_id": "qa_controls", "elements": controls})
    blocks.append(context(t("question_hint")))
    return message(fallback, blocks)


def reading_control_value(
    thread_ts: str, key: str, status: str, assessment: Assessment | None = None
) -> str:
    """The value of a reading control: the thread, the criterion, the status chosen and, for a
    clarification's choice, the reading's value, words and knock-out (clipped to fit)."""
    if assessment is None:
        return button_value(t=thread_ts, c=key, s=status)
    fields = {"t": thread_ts, "c": key, "s": status, "v": assessment.value}
    if assessment.knockout:
        fields["k"] = 1
    words = assessment.evidence
    packed = button_value(**fields, e=words)
    if len(packed) > BUTTON_VALUE_LIMIT:
        # A long answer's value repeats its words: keep the words, clipped, and drop the value.
        fields.pop("v")
        room = BUTTON_VALUE_LIMIT - len(button_value(**fields, e="")) - 50
        packed = button_value(**fields, e=words[: max(room, 0)])
    return packed


def reading_choices(
    t: Texts, *, criterion: Criterion, thread_ts: str, readings: Sequence[Assessment]
) -> dict[str, Any]:
    """The likely readings of an unclear answer as buttons, likeliest first."""
    elements = [
        button(
            t(
                "reading_choice",
                status=reading.status.value,
                kind=criterion.kind.value,
                value=reading.value,
            ),
            f"reading_choice_{index}",
            reading_control_value(thread_ts, criterion.key, reading.status.value, reading),
            "primary" if index == 0 else None,
        )
        for index, reading in enumerate(readings[:5])
    ]
    return {"type": "actions", "block_id": "reading_choices", "elements": elements}


def _titles(t: Texts, framework: Framework | None, keys: Sequence[str]) -> list[str]:
    return [criterion_title(framework, key, t.lang) for key in keys]


def verdict_message(
    t: Texts, *, lead: str, verdict: VerdictResult, framework: Framework | None
) -> Message:
    """The verdict reply: bucket, scores, met criteria, gaps, flip and next step.

    ``framework`` names the criteria (``None`` when the team no longer has it).
    """
    v = verdict
    met = [key for key, a in v.criteria.items() if a.status == Status.MET]
    blocks = [
        section(t("verdict_heading", lead=lead, verdict=v.verdict.value, score=v.score)),
        section(
            "\n".join(
                [
                    t("verdict_scores", score=v.score, fit_score=v.fit_score, stage=v.stage.value),
                    t("verdict_met", names=_titles(t, framework, met)),
                    t("verdict_gaps", names=_titles(t, framework, v.gaps)),
                    t(
                        "verdict_flip",
                        names=_titles(t, framework, v.flip),
                        to=v.flip_to.value if v.flip_to else None,
                    ),
                ]
            )
        ),
    ]
    if v.disqualified_by:
        name = criterion_title(framework, v.disqualified_by, t.lang)
        blocks.append(section(t("verdict_disqualified", name=name)))
    blocks.append(section(evidence_text(t, v, framework)))
    blocks.append(section(t("next_step", verdict=v.verdict.value, stage=v.stage.value)))
    return message(t("verdict_fallback", lead=lead, verdict=v.verdict.value, score=v.score), blocks)


def evidence_text(t: Texts, verdict: VerdictResult, framework: Framework | None) -> str:
    """One line per criterion with its status and the rep's words."""
    return "\n".join(
        t(
            "evidence_line",
            name=criterion_title(framework, key, t.lang),
            status=a.status.value,
            evidence=a.evidence,
        )
        for key, a in verdict.criteria.items()
    )


def alert_message(
    t: Texts,
    *,
    handoff_id: int,
    lead: str,
    verdict: VerdictResult,
    rep_id: str,
    framework: Framework | None,
    decided: str | None = None,
    routed: str | None = None,
    crm_link: tuple[str, str] | None = None,
    brief: Sequence[dict[str, Any]] = (),
) -> Message:
    """The hot-lead alert; with ``decided`` (a rendered line) the buttons are replaced by it.

    ``brief`` holds the handoff brief's blocks (``bot/handoff_brief.py``), shown after the
    evidence.

    ``routed`` is the rendered line naming the account executive the lead was routed to;
    ``framework`` is ``None`` when the team no longer has the verdict's framework;
    ``crm_link`` is the lead's CRM record, ``(url, CRM name)``.
    """
    v = verdict
    name = framework.name if framework else v.framework
    heading = t("alert_heading", lead=lead, score=v.score, rep=rep_id, framework=name)
    blocks = [section(heading), section(evidence_text(t, v, framework)), *brief]
    if routed and decided is None:
        blocks.append(context(routed))
    if crm_link:
        url, crm = crm_link
        blocks.append(context(t("crm_link", url=url, crm=crm)))
    if decided is None:
        value = button_value(h=handoff_id)
        blocks.append(
            {
                "type": "actions",
                "block_id": "handoff",
                "elements": [
                    button(t("button_accept"), ACCEPT_ACTION, value, "primary"),
                    button(t("button_reject"), REJECT_ACTION, value, "danger"),
                ],
            }
        )
    else:
        blocks.append(section(decided))
    return message(t("alert_fallback", lead=lead, score=v.score), blocks)


def handoff_message(
    t: Texts,
    *,
    lead: str,
    verdict: VerdictResult,
    framework: Framework | None,
    accepter: str,
    brief: Sequence[dict[str, Any]] = (),
) -> Message:
    """The handoff summary for the accepting account executive, with the handoff brief."""
    v = verdict
    blocks = [
        section(t("handoff_heading", lead=lead, user=accepter)),
        section(
            "\n".join(
                [
                    t("verdict_scores", score=v.score, fit_score=v.fit_score, stage="SAL"),
                    t("verdict_gaps", names=_titles(t, framework, v.gaps)),
                ]
            )
        ),
        *brief,
        section(evidence_text(t, v, framework)),
    ]
    return message(t("handoff_fallback", lead=lead), blocks)


def reject_modal(
    t: Texts, *, handoff_id: int, reasons: Sequence[tuple[str, str]] = (), lead: str = ""
) -> dict[str, Any]:
    """The modal asking why a handoff is rejected; ``private_metadata`` is the handoff id.

    Args:
        t: Wording.
        handoff_id: The handoff.
        reasons: ``(code, label)`` choices of the reason menu; without them only the text.
        lead: The lead's name, shown at the top so the rejecter knows which one it is.
    """
    text_block: dict[str, Any] = {
        "type": "input",
        "block_id": REJECT_BLOCK,
        "label": plain(t("reject_text_label") if reasons else t("reject_label"), 2000),
        "optional": bool(reasons),
        "element": {
            "type": "plain_text_input",
            "action_id": REJECT_INPUT,
            "multiline": True,
            "max_length": 1000,
            "placeholder": plain(t("reject_placeholder"), 150),
        },
    }
    body: list[dict[str, Any]] = [section(t("reject_intro", lead=lead))] if lead else []
    if reasons:
        body.append(
            {
                "type": "input",
                "block_id": REJECT_CODE_BLOCK,
                "label": plain(t("reject_select_label"), 2000),
                "element": {
                    "type": "static_select",
                    "action_id": REJECT_CODE_INPUT,
                    "placeholder": plain(t("reject_select_placeholder"), 150),
                    "options": [
                        {"text": plain(label, 75), "value": code} for code, label in reasons[:100]
                    ],
                },
            }
        )
    body.append(text_block)
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK,
        "private_metadata": str(handoff_id),
        "title": plain(t("reject_title"), 24),
        "submit": plain(t("reject_submit"), 24),
        "close": plain(t("reject_close"), 24),
        "blocks": body,
    }


def reminder_message(
    t: Texts,
    *,
    reminder_id: int,
    lead: str,
    verdict: str,
    days: int,
    gaps: Sequence[str],
    framework: Framework | None,
) -> Message:
    """The nurture reminder to the owning rep, with a one-click Re-qualify button."""
    line = t("nurture_reminder", lead=lead, verdict=verdict, days=days)
    blocks: list[dict[str, Any]] = [section(line)]
    if gaps:
        blocks.append(context(t("nurture_gaps", names=_titles(t, framework, gaps))))
    blocks.append(
        {
            "type": "actions",
            "block_id": "nurture",
            "elements": [
                button(
                    t("button_requalify"),
                    REQUALIFY_ACTION,
                    button_value(r=reminder_id),
                    "primary",
                )
            ],
        }
    )
    return message(line, blocks)


def mql_message(
    t: Texts, *, lead_id: int, lead: str, score: int, threshold: int, owner_id: str | None
) -> Message:
    """The MQL announcement of an engaged lead, with a one-click "Qualify now" button."""
    macro = "mql_announcement" if owner_id else "mql_announcement_unowned"
    line = t(macro, lead=lead, score=score, threshold=threshold)
    button_element = button(
        t("button_qualify_now"), QUALIFY_NOW_ACTION, button_value(lead=lead_id), "primary"
    )
    return message(
        line,
        [section(line), {"type": "actions", "block_id": "mql", "elements": [button_element]}],
    )


def home_view(
    t: Texts,
    *,
    open_lines: Sequence[str],
    hot_lines: Sequence[str],
    phrase_lines: Sequence[tuple[int, str]] | None = None,
    failed_lines: Sequence[str] = (),
    role_blocks: Sequence[dict[str, Any]] = (),
    settings_blocks: Sequence[dict[str, Any]] = (),
    settings_first: bool = False,
) -> dict[str, Any]:
    """The App Home tab: open qualifications, recent hot leads and, for managers, the messages
    that could not be delivered, (``phrase_lines`` given) the learned phrases with a Remove
    button each and the workspace settings (first when nothing is set up yet)."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": plain(t("home_title"))}]
    if settings_first:
        blocks += settings_blocks
    blocks.append(section(t("home_open_heading")))
    blocks += [section(line) for line in open_lines[:40]] or [section(t("home_open_none"))]
    blocks += role_blocks  # what the person's roles add: Qualify a lead, handoffs, the funnel
    blocks.append({"type": "divider"})
    blocks.append(section(t("home_hot_heading")))
    blocks += [section(line) for line in hot_lines[:40]] or [section(t("home_hot_none"))]
    if failed_lines:
        blocks.append({"type": "divider"})
        blocks.append(section(t("home_failed_heading")))
        blocks += [section(line) for line in failed_lines[:10]]
    if phrase_lines is not None:
        blocks += [{"type": "divider"}, section(t("home_phrases_heading"))]
        room = MAX_VIEW_BLOCKS - len(blocks) - (0 if settings_first else len(settings_blocks))
        blocks += [
            {
                **section(line),
                "accessory": {
                    **button(
                        t("button_remove"),
                        PHRASE_REMOVE_ACTION,
                        button_value(p=phrase_id),
                        "danger",
                    ),
                    "confirm": confirm_dialog(t, "remove"),
                },
            }
            for phrase_id, line in phrase_lines[:room]
        ] or [section(t("home_phrases_none"))]
    if not settings_first:
        blocks += settings_blocks
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _localized(mapping: Any, lang: str) -> str:
    if lang in mapping:
        return str(mapping[lang])
    return str(mapping.get("en", next(iter(mapping.values()), "")))
