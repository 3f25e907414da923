"""Block Kit of the workspace settings: the modal, its submission, and App Home's section."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import button, context, plain, section
from bot.rendering import SlackSafe, Texts, role_mentions, slack_escape
from bot.services.workspace_settings import LANGUAGES, WorkspaceSettings

SETTINGS_CALLBACK = "workspace_settings"
SETTINGS_OPEN_ACTION = "settings_open"
FIELD_ACTION = "value"
# Block ids of the modal: one per field, the role lists split into groups and people.
ALERT_BLOCK = "alert_channel"
MANAGER_CHANNEL_BLOCK = "manager_channel"
AE_GROUPS_BLOCK = "account_executives_groups"
AE_PEOPLE_BLOCK = "account_executives_people"
MANAGER_GROUPS_BLOCK = "managers_groups"
MANAGER_PEOPLE_BLOCK = "managers_people"
FRAMEWORK_BLOCK = "default_framework"
LANGUAGE_BLOCK = "language"
SHOWN_FIELDS = (
    "alert_channel",
    "manager_channel",
    "account_executives",
    "managers",
    "default_framework",
    "language",
)

Group = tuple[str, str]
"""A Slack user group: ``(id, handle)``."""


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any]) -> dict[str, Any]:
    element = {"action_id": FIELD_ACTION, **element}
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label, 2000),
        "element": element,
    }


def _channel_select(current: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if current:
        element["initial_conversation"] = current
    return element


def _role_inputs(
    t: Texts, field: str, entries: frozenset[str], groups: Sequence[Group], blocks: tuple[str, str]
) -> list[dict[str, Any]]:
    """A role as two fields: its user groups (from ``usergroups.list``) and its people."""
    group_block, people_block = blocks
    out = []
    if groups:
        options = [_option(f"@{handle}", group_id) for group_id, handle in groups[:100]]
        element: dict[str, Any] = {"type": "multi_static_select", "options": options}
        chosen = [o for o in options if o["value"] in entries]
        if chosen:
            element["initial_options"] = chosen
        out.append(_input(group_block, t("settings_groups", field=field), element))
    people: dict[str, Any] = {"type": "multi_users_select"}
    users = sorted(e for e in entries if e.startswith(("U", "W")) and e.isalnum())
    if users:
        people["initial_users"] = users
    out.append(_input(people_block, t("settings_people", field=field), people))
    return out


def settings_modal(
    t: Texts,
    current: WorkspaceSettings,
    *,
    frameworks: Mapping[str, str],
    groups: Sequence[Group] = (),
) -> dict[str, Any]:
    """The Settings modal filled with what ``current`` holds.

    Args:
        t: Wording.
        current: The workspace's effective settings.
        frameworks: Key -> name of the loaded frameworks.
        groups: The workspace's user groups (none: only people can be picked).
    """
    framework_options = [_option(name, key) for key, name in sorted(frameworks.items())][:100]
    language_options = [_option(t("language_name", lang=lang), lang) for lang in LANGUAGES]
    framework: dict[str, Any] = {"type": "static_select", "options": framework_options}
    chosen = [o for o in framework_options if o["value"] == current.default_framework]
    if chosen:
        framework["initial_option"] = chosen[0]
    language: dict[str, Any] = {"type": "static_select", "options": language_options}
    language["initial_option"] = next(
        (o for o in language_options if o["value"] == current.language), language_options[0]
    )
    body = [
        context(t("settings_hint")),
        _input(
            ALERT_BLOCK,
            t("settings_field", field="alert_channel"),
            _channel_select(current.alert_channel),
        ),
        _input(
            MANAGER_CHANNEL_BLOCK,
            t("settings_field", field="manager_channel"),
            _channel_select(current.manager_channel),
        ),
        *_role_inputs(
            t,
            "account_executives",
            current.people.account_executives,
            groups,
            (AE_GROUPS_BLOCK, AE_PEOPLE_BLOCK),
        ),
        *_role_inputs(
            t,
            "managers",
            current.people.managers,
            groups,
            (MANAGER_GROUPS_BLOCK, MANAGER_PEOPLE_BLOCK),
        ),
        _input(FRAMEWORK_BLOCK, t("settings_field", field="default_framework"), framework),
        _input(LANGUAGE_BLOCK, t("settings_field", field="language"), language),
    ]
    return {
        "type": "modal",
        "callback_id": SETTINGS_CALLBACK,
        "title": plain(t("settings_title"), 24),
        "submit": plain(t("settings_save"), 24),
        "close": plain(t("settings_cancel"), 24),
        "blocks": body,
    }


def refusal_modal(t: Texts, line: str) -> dict[str, Any]:
    """A modal that only says why the settings cannot be opened."""
    return {
        "type": "modal",
        "title": plain(t("refused_settings_title"), 24),
        "close": plain(t("settings_cancel"), 24),
        "blocks": [section(line)],
    }


def submitted_values(view: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a submitted modal holds (an empty field is None)."""
    values = (view.get("state") or {}).get("values") or {}

    def field(block: str) -> dict[str, Any]:
        return dict((values.get(block) or {}).get(FIELD_ACTION) or {})

    def chosen(block: str) -> str | None:
        option = field(block).get("selected_option") or {}
        return str(option["value"]) if option.get("value") else None

    def role(groups_block: str, people_block: str) -> list[str] | None:
        groups = [str(o["value"]) for o in field(groups_block).get("selected_options") or []]
        people = [str(u) for u in field(people_block).get("selected_users") or []]
        return sorted(set(groups + people)) or None

    return {
        "alert_channel": field(ALERT_BLOCK).get("selected_conversation") or None,
        "manager_channel": field(MANAGER_CHANNEL_BLOCK).get("selected_conversation") or None,
        "account_executives": role(AE_GROUPS_BLOCK, AE_PEOPLE_BLOCK),
        "managers": role(MANAGER_GROUPS_BLOCK, MANAGER_PEOPLE_BLOCK),
        "default_framework": chosen(FRAMEWORK_BLOCK),
        "language": chosen(LANGUAGE_BLOCK),
    }


def _shown(t: Texts, field: str, current: WorkspaceSettings) -> SlackSafe:
    """A value as App Home shows it: channels and people as Slack links, escaped once."""
    if field in ("alert_channel", "manager_channel"):
        channel = getattr(current, field)
        return SlackSafe(f"<#{slack_escape(channel)}>" if channel else "")
    if field in ("account_executives", "managers"):
        return role_mentions(getattr(current.people, field))
    if field == "language":
        return t("language_name", lang=current.language)
    return slack_escape(current.default_framework)


def home_settings_blocks(t: Texts, current: WorkspaceSettings) -> list[dict[str, Any]]:
    """App Home's settings section for those who may change them: where each value comes
    from, and the Settings button (offered first and prominently when nothing is set up)."""
    if not current.configured:
        prominent = button(t("button_settings"), SETTINGS_OPEN_ACTION, "open", "primary")
        return [{**section(t("home_settings_first")), "accessory": prominent}]
    lines = [
        t("home_settings_line", field=f, value=_shown(t, f, current), stored=f in current.stored)
        for f in SHOWN_FIELDS
    ]
    note = t("home_settings_override") if current.stored else t("home_settings_all_file")
    return [
        {"type": "divider"},
        {
            **section(t("home_settings_heading")),
            "accessory": button(t("button_settings"), SETTINGS_OPEN_ACTION, "open"),
        },
        section("\n".join(lines)),
        context(note),
    ]
