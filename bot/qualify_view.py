"""Block Kit of App Home's Qualify a lead: the modal (lead, framework, channel, notes) and
what its submission holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blocks import plain
from bot.rendering import Texts

QUALIFY_OPEN_ACTION = "qualify_open"
QUALIFY_CALLBACK = "qualify_lead"
FIELD_ACTION = "value"
LEAD_BLOCK = "lead"
FRAMEWORK_BLOCK = "framework"
CHANNEL_BLOCK = "channel"
NOTES_BLOCK = "notes"
LEAD_MAX = 200
NOTES_MAX = 2900


def qualify_modal(t: Texts, *, frameworks: Mapping[str, str], default: str) -> dict[str, Any]:
    """The Qualify a lead modal; ``frameworks`` maps key -> name, ``default`` is preselected."""
    options = [{"text": plain(name, 75), "value": key} for key, name in sorted(frameworks.items())][
        :100
    ]
    framework: dict[str, Any] = {
        "type": "static_select",
        "action_id": FIELD_ACTION,
        "options": options,
    }
    chosen = [o for o in options if o["value"] == default]
    if chosen:
        framework["initial_option"] = chosen[0]
    return {
        "type": "modal",
        "callback_id": QUALIFY_CALLBACK,
        "title": plain(t("qualify_modal_title"), 24),
        "submit": plain(t("qualify_modal_submit"), 24),
        "close": plain(t("settings_cancel"), 24),
        "blocks": [
            {
                "type": "input",
                "block_id": LEAD_BLOCK,
                "label": plain(t("qualify_modal_lead"), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": FIELD_ACTION,
                    "max_length": LEAD_MAX,
                },
            },
            {
                "type": "input",
                "block_id": FRAMEWORK_BLOCK,
                "label": plain(t("qualify_modal_framework"), 2000),
                "element": framework,
            },
            {
                "type": "input",
                "block_id": CHANNEL_BLOCK,
                "label": plain(t("qualify_modal_channel"), 2000),
                "element": {
                    "type": "conversations_select",
                    "action_id": FIELD_ACTION,
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
            },
            {
                "type": "input",
                "block_id": NOTES_BLOCK,
                "optional": True,
                "label": plain(t("qualify_modal_notes"), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": FIELD_ACTION,
                    "multiline": True,
                    "max_length": NOTES_MAX,
                },
            },
        ],
    }


def submitted(view: Mapping[str, Any]) -> dict[str, str]:
    """``lead``, ``framework``, ``channel`` and ``notes`` of a submitted modal ("" if empty)."""
    values = (view.get("state") or {}).get("values") or {}

    def field(block: str) -> dict[str, Any]:
        return dict((values.get(block) or {}).get(FIELD_ACTION) or {})

    option = field(FRAMEWORK_BLOCK).get("selected_option") or {}
    return {
        "lead": str(field(LEAD_BLOCK).get("value") or "").strip(),
        "framework": str(option.get("value") or ""),
        "channel": str(field(CHANNEL_BLOCK).get("selected_conversation") or ""),
        "notes": str(field(NOTES_BLOCK).get("value") or "").strip(),
    }


def errors(t: Texts, fields: Mapping[str, str]) -> dict[str, str]:
    """What the modal must fix before a qualification starts (empty when fine)."""
    found = {}
    if not fields["lead"]:
        found[LEAD_BLOCK] = str(t("qualify_modal_lead_required"))
    if not fields["channel"]:
        found[CHANNEL_BLOCK] = str(t("qualify_modal_channel_required"))
    return found
