"""Workspace settings in Slack: the Settings modal from App Home, who may save, and what a
saved value changes; end to end through the signed endpoint."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import AE, ALERT_CHANNEL, MANAGER, OTHER_REP, REP, Rig, make_rig
from tests.e2e.test_qualification import HOT_BANT

NEW_ALERTS = "CNEWALERTS"


def _rows(rig: Rig, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql).fetchall()


def _home(rig: Rig, user: str) -> dict[str, Any]:
    before = json.dumps(rig.standin.home(user))
    rig.sender.app_home_opened(user)
    return rig.wait(lambda: (v := rig.standin.home(user)) and json.dumps(v) != before and v)


def _settings_button(view: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (
            b["accessory"]
            for b in view["blocks"]
            if (b.get("accessory") or {}).get("action_id") == "settings_open"
        ),
        None,
    )


def _open_settings(rig: Rig, user: str) -> dict[str, Any]:
    """Click Settings on ``user``'s App Home and return the modal that opened."""
    button = _settings_button(_home(rig, user))
    assert button is not None
    count = len(rig.standin.calls("views.open"))
    rig.sender.block_action(
        "settings_open", button["value"], user_id=user, channel_id=None, message_ts=None
    )
    opened = rig.wait(lambda: rig.standin.calls("views.open")[count:])
    view = opened[0].args["view"]
    return json.loads(view) if isinstance(view, str) else view


def _values(alert_channel: str, *, language: str = "en") -> dict[str, dict[str, Any]]:
    return {
        "alert_channel": {
            "value": {"type": "conversations_select", "selected_conversation": alert_channel}
        },
        "language": {
            "value": {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": language},
                    "value": language,
                },
            }
        },
    }


def test_a_manager_saves_settings_and_the_next_hot_lead_alert_goes_to_the_new_channel(
    rig: Rig,
) -> None:
    rig.standin.invite(NEW_ALERTS)
    modal = _open_settings(rig, MANAGER)
    assert modal["callback_id"] == "workspace_settings"
    types = {b["block_id"]: b["element"]["type"] for b in modal["blocks"] if b["type"] == "input"}
    assert types["alert_channel"] == "conversations_select"
    assert types["manager_channel"] == "conversations_select"
    assert types["account_executives_people"] == "multi_users_select"
    assert types["default_framework"] == "static_select"
    alert_field = next(b for b in modal["blocks"] if b.get("block_id") == "alert_channel")
    assert alert_field["element"]["initial_conversation"] == ALERT_CHANNEL  # the file's value

    saved = rig.sender.view_submission("workspace_settings", _values(NEW_ALERTS), user_id=MANAGER)
    assert saved.status_code == 200 and "errors" not in saved.text
    audit = "SELECT actor_id, detail FROM audit_event WHERE action = 'settings.save'"
    [(actor, detail)] = _rows(rig, audit)
    assert actor == MANAGER and json.loads(detail)["alert_channel"] == NEW_ALERTS
    # English is the file's language already: only what differs from the file is stored.
    assert _rows(rig, "SELECT alert_channel, language FROM workspace_setting") == [
        (NEW_ALERTS, None)
    ]

    card_ts = rig.qualify("Settings Co")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    alert = rig.wait(lambda: next(iter(rig.bot_messages(NEW_ALERTS)), None))
    assert "Settings Co" in json.dumps(alert)
    assert rig.bot_messages(ALERT_CHANNEL) == []


def test_a_rep_cannot_save_settings_and_the_refusal_is_audited(rig: Rig) -> None:
    assert _settings_button(_home(rig, REP)) is None
    refused = rig.sender.view_submission("workspace_settings", _values(NEW_ALERTS), user_id=REP)
    assert refused.status_code == 200
    errors = refused.json()["errors"]
    assert "Only managers" in errors["alert_channel"] and MANAGER in errors["alert_channel"]
    assert _rows(rig, "SELECT COUNT(*) FROM workspace_setting") == [(0,)]
    assert _rows(rig, "SELECT actor_id FROM audit_event WHERE action = 'refused.settings'") == [
        (REP,)
    ]


def test_a_rep_clicking_settings_hears_who_may_change_them(rig: Rig) -> None:
    count = len(rig.standin.calls("views.open"))
    rig.sender.block_action("settings_open", "open", user_id=REP, channel_id=None, message_ts=None)
    opened = rig.wait(lambda: rig.standin.calls("views.open")[count:])
    view = opened[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "callback_id" not in view
    assert "Only managers" in json.dumps(view)


def test_stored_settings_override_the_file_and_app_home_says_so(rig: Rig) -> None:
    home = json.dumps(_home(rig, MANAGER))
    assert "nothing is set here yet" in home and "set here" not in home.replace("set here yet", "")

    values = _values(NEW_ALERTS, language="de")
    values["managers_people"] = {"value": {"type": "multi_users_select", "selected_users": [REP]}}
    rig.sender.view_submission("workspace_settings", values, user_id=MANAGER)

    # The stored managers replace the file's: the rep now sees the settings, in German.
    rep_home = rig.wait(lambda: _settings_button(_home(rig, REP)) and rig.standin.home(REP))
    text = json.dumps(rep_home, ensure_ascii=False)
    assert "Workspace-Einstellungen" in text
    assert f"<#{NEW_ALERTS}>" in text and "hier gesetzt" in text
    assert "gehen vor Team-Konfigurationsdatei" in text


@pytest.fixture
def unconfigured_rig(tmp_path: Path) -> Iterator[Rig]:
    """A first run: no alert or manager channel, nobody named; workspace admins manage."""
    config = "people:\n  admins_are_managers: true\n"
    yield from make_rig(tmp_path, config=config, alert_channel="", manager_channel="")


def test_the_first_admin_is_offered_the_settings_when_nothing_is_set_up(
    unconfigured_rig: Rig,
) -> None:
    rig = unconfigured_rig
    rig.standin.set_user("UADMIN", name="admin", is_admin=True)
    home = _home(rig, "UADMIN")
    # Right under the title, before anything else: the setup prompt and its button.
    first = home["blocks"][1]
    assert first["accessory"]["action_id"] == "settings_open"
    assert first["accessory"]["style"] == "primary"
    assert "Nothing is set up yet" in first["text"]["text"]
    assert _settings_button(_home(rig, REP)) is None

    modal = _open_settings(rig, "UADMIN")
    assert "initial_conversation" not in json.dumps(modal)
    rig.sender.view_submission("workspace_settings", _values(NEW_ALERTS), user_id="UADMIN")
    home = rig.wait(
        lambda: (
            "Workspace settings" in json.dumps(rig.standin.home("UADMIN"))
            and rig.standin.home("UADMIN")
        )
    )
    assert "Nothing is set up yet" not in json.dumps(home)


def test_stored_account_executives_replace_the_files_in_routing_and_decisions(rig: Rig) -> None:
    values = _values(ALERT_CHANNEL)
    values["account_executives_people"] = {
        "value": {"type": "multi_users_select", "selected_users": [OTHER_REP]}
    }
    saved = rig.sender.view_submission("workspace_settings", values, user_id=MANAGER)
    assert "errors" not in saved.text
    card_ts = rig.qualify("Stored AE Co")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    alert = rig.wait(lambda: next(iter(rig.bot_messages(ALERT_CHANNEL)), None))
    assert f"<@{OTHER_REP}>" in json.dumps(alert)  # routed to the stored account executive
    accept = next(
        e
        for b in alert["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "handoff_accept"
    )
    # The file's account executive is one no longer: refused, told who may, audited.
    rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    rig.wait(lambda: rig.standin.ephemerals(AE))
    refused = "SELECT actor_id FROM audit_event WHERE action = 'refused.decide_handoff'"
    assert _rows(rig, refused) == [(AE,)]
    rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=OTHER_REP,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    rig.wait(
        lambda: _rows(rig, "SELECT status, decided_by FROM handoff") == [("accepted", OTHER_REP)]
    )
