"""Was this verdict right? Thumbs up / down under each verdict, one vote per person.

The block is Slack's ``feedback_buttons`` element in a ``context_actions`` block; the click
is stored with who gave it (a second click changes the vote) and answered with a short
ephemeral line. ``sdrbot tune`` and the report read the votes beside won and lost.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.blocks import plain
from bot.rendering import Texts
from bot.services.context import Services
from bot.services.turns import button_id, button_value, read_button_value
from storage import feedback

FEEDBACK_ACTION = "verdict_feedback"
UP, DOWN = "up", "down"


def feedback_block(t: Texts, verdict_id: int) -> dict[str, Any]:
    """The thumbs under a verdict; each button's value names the verdict and the vote."""
    return {
        "type": "context_actions",
        "block_id": f"verdict_feedback_{verdict_id}",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": FEEDBACK_ACTION,
                "positive_button": {
                    "text": plain(t("feedback_up")),
                    "value": button_value(v=verdict_id, r=UP),
                    "accessibility_label": t("feedback_up_label"),
                },
                "negative_button": {
                    "text": plain(t("feedback_down")),
                    "value": button_value(v=verdict_id, r=DOWN),
                    "accessibility_label": t("feedback_down_label"),
                },
            }
        ],
    }


def vote(
    services: Services, session: Session, *, team_id: str, user_id: str, value: str | None
) -> str:
    """Store a click on the thumbs and return the line that answers it."""
    data = read_button_value(value)
    verdict_id = button_id(data, "v")
    lang = None
    if verdict_id is not None:
        lang = feedback.verdict_language(session=session, team_id=team_id, verdict_id=verdict_id)
    # The answer speaks the thread's language, like the verdict it is about.
    t = services.texts(lang or services.settings.language)
    if verdict_id is None or data.get("r") not in (UP, DOWN) or not user_id:
        return t("error_generic")
    right = data["r"] == UP
    try:
        before = feedback.record_vote(
            session=session, team_id=team_id, verdict_id=verdict_id, user_id=user_id, right=right
        )
    except LookupError:
        return t("feedback_gone")
    changed = before is not None and before != right
    return t("feedback_thanks", right=right, changed=changed)
