"""The authorization matrix (``bot/permissions.py``), row by row, through the real endpoint.

Every request is signed and answered by the bot against the Slack stand-in; roles come from
the team config, from Slack user groups, from workspace admins, and (with no config at all)
from the alert channel's members.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.permissions import MATRIX, Action, Actor, Role, permits
from tests.e2e.conftest import (
    AE,
    AE2,
    ALERT_CHANNEL,
    CHANNEL,
    MANAGER,
    OTHER_REP,
    REP,
    Rig,
    make_rig,
)
from tests.e2e.test_qualification import HOT_BANT

STRANGER = "USTRANGER"
ADMIN = "UADMIN"
GROUP_CONFIG = """
people:
  managers: ["@sales-leads"]
  account_executives: ["@ae-team"]
"""


@pytest.fixture
def bare_rig(tmp_path: Path) -> Iterator[Rig]:
    """The bot with no team config at all: no managers, no account executives."""
    yield from make_rig(tmp_path, config="")


@pytest.fixture
def group_rig(tmp_path: Path) -> Iterator[Rig]:
    """Managers and account executives named by Slack user groups only."""
    yield from make_rig(tmp_path, config=GROUP_CONFIG)


def _hot_lead(rig: Rig, name: str) -> tuple[str, dict]:
    card_ts = rig.qualify(name)
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    alert = rig.wait(lambda: next(iter(rig.bot_messages(ALERT_CHANNEL)), None))
    return card_ts, alert


def _click(rig: Rig, alert: dict, action: str, user: str) -> None:
    value = next(
        e["value"]
        for b in alert["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action
    )
    response = rig.sender.block_action(
        action, value, user_id=user, channel_id=ALERT_CHANNEL, message_ts=alert["ts"]
    )
    assert response.status_code == 200


def _rows(rig: Rig, sql: str) -> list[tuple]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql).fetchall()


def _refusals(rig: Rig, action: Action) -> list[str]:
    rows = _rows(rig, f"SELECT actor_id FROM audit_event WHERE action = 'refused.{action.value}'")
    return [r[0] for r in rows]


def _dms_to(rig: Rig, user: str) -> list[dict]:
    return [
        c.args
        for c in rig.standin.calls("chat.postMessage")
        if c.args.get("channel") in (user, rig.standin.workspace.dms.get(user))
    ]


def _lead(rig: Rig, text: str, user: str) -> str:
    return rig.sender.command("/lead", text, user_id=user, channel_id=CHANNEL).json()["text"]


# -- the done-when: no config at all ---------------------------------------------------------


def test_with_no_config_a_member_of_the_alert_channel_accepts_and_the_rep_cannot(
    bare_rig: Rig,
) -> None:
    rig = bare_rig
    rig.standin.set_channel_members(ALERT_CHANNEL, [REP, AE, OTHER_REP])
    _card, alert = _hot_lead(rig, "Firstrun GmbH")
    # The alert says exactly who may act: the channel, and not the rep who qualified it.
    said = json.dumps(alert["blocks"])
    assert f"<#{ALERT_CHANNEL}>" in said and f"except <@{REP}>" in said
    _click(rig, alert, "handoff_accept", REP)
    refusal = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert f"<#{ALERT_CHANNEL}>" in refusal[0]["text"] and f"<@{REP}>" in refusal[0]["text"]
    assert _rows(rig, "SELECT status FROM handoff") == [("pending",)]
    assert _refusals(rig, Action.DECIDE_HANDOFF) == [REP]
    _click(rig, alert, "handoff_accept", STRANGER)  # not in the channel
    rig.wait(lambda: rig.standin.ephemerals(STRANGER))
    assert _rows(rig, "SELECT status FROM handoff") == [("pending",)]
    _click(rig, alert, "handoff_accept", AE)
    rig.wait(lambda: _rows(rig, "SELECT status, decided_by FROM handoff") == [("accepted", AE)])
    handoff = rig.wait(lambda: _dms_to(rig, AE))
    assert "Firstrun GmbH" in json.dumps(handoff)


def test_with_no_config_the_alert_text_is_german_too(tmp_path: Path) -> None:
    for rig in make_rig(tmp_path, config="", language="de"):
        rig.standin.set_channel_members(ALERT_CHANNEL, [AE])
        _card, alert = _hot_lead(rig, "Erstlauf AG")  # English answers read in German mode too
        said = json.dumps(alert["blocks"], ensure_ascii=False)
        assert f"<#{ALERT_CHANNEL}>" in said and f"außer <@{REP}>" in said


# -- start ----------------------------------------------------------------------------------


def test_anyone_may_start_a_qualification(bare_rig: Rig) -> None:
    card_ts = bare_rig.qualify("Open Door AG", user=STRANGER)
    assert bare_rig.bot_messages(CHANNEL, card_ts)


# -- steer ----------------------------------------------------------------------------------


def _admin_answers(rig: Rig, *, admins_are_managers: bool) -> None:
    rig.standin.set_user(ADMIN, is_admin=True)
    card_ts = rig.qualify("Steered AG")
    rig.reply(card_ts, "Budget approved", user=ADMIN, wait_for_bot=False)
    if admins_are_managers:
        rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) >= 2)
        assert not rig.standin.ephemerals(ADMIN)
    else:
        note = rig.wait(lambda: rig.standin.ephemerals(ADMIN))
        assert f"<@{REP}>" in note[0]["text"]
        assert _refusals(rig, Action.STEER) == [ADMIN]


@pytest.mark.parametrize("admins_are_managers", [True, False])
def test_a_workspace_admin_steers_as_a_manager_unless_the_config_says_not(
    tmp_path: Path, admins_are_managers: bool
) -> None:
    config = f"people:\n  admins_are_managers: {str(admins_are_managers).lower()}\n"
    for rig in make_rig(tmp_path, config=config):
        _admin_answers(rig, admins_are_managers=admins_are_managers)


def test_a_stranger_cannot_steer_and_the_refusal_is_audited(rig: Rig) -> None:
    card_ts = rig.qualify("Guarded AG")
    rig.reply(card_ts, "cancel", user=STRANGER, wait_for_bot=False)
    note = rig.wait(lambda: rig.standin.ephemerals(STRANGER))
    assert f"<@{REP}>" in note[0]["text"] and "manager" in note[0]["text"]
    assert _refusals(rig, Action.STEER) == [STRANGER]
    assert _rows(rig, "SELECT status FROM qualification") == [("active",)]


# -- accept / reject ------------------------------------------------------------------------


def test_account_executives_and_managers_from_user_groups_decide(group_rig: Rig) -> None:
    rig = group_rig
    rig.standin.set_usergroup("S0AE", "ae-team", [AE])
    rig.standin.set_usergroup("S0LEADS", "sales-leads", [MANAGER])
    _card, alert = _hot_lead(rig, "Grouped GmbH")
    _click(rig, alert, "handoff_reject", AE2)  # not in @ae-team
    refusal = rig.wait(lambda: rig.standin.ephemerals(AE2))
    assert "@ae-team" in refusal[0]["text"]
    assert rig.standin.views() == []
    assert _refusals(rig, Action.DECIDE_HANDOFF) == [AE2]
    # Slack says AE2 joined the group: the next click counts at once, cache or not.
    event = {
        "type": "subteam_members_changed",
        "subteam_id": "S0AE",
        "team_id": rig.standin.team_id,
        "added_users": [AE2],
        "added_users_count": "1",
        "removed_users": [],
        "removed_users_count": "0",
    }
    rig.standin.set_usergroup("S0AE", "ae-team", [AE, AE2])
    assert rig.sender.send(rig.sender.payloads.event(event)).status_code == 200
    _click(rig, alert, "handoff_accept", AE2)
    rig.wait(lambda: _rows(rig, "SELECT status, decided_by FROM handoff") == [("accepted", AE2)])


def test_a_group_member_removed_by_the_event_may_no_longer_decide(group_rig: Rig) -> None:
    rig = group_rig
    rig.standin.set_usergroup("S0AE", "ae-team", [AE, AE2])
    _card, alert = _hot_lead(rig, "Shrunk GmbH")
    _click(rig, alert, "handoff_accept", OTHER_REP)  # fills the cache with the group
    rig.wait(lambda: rig.standin.ephemerals(OTHER_REP))
    event = {"type": "subteam_members_changed", "subteam_id": "S0AE", "removed_users": [AE2]}
    assert rig.sender.send(rig.sender.payloads.event(event)).status_code == 200
    _click(rig, alert, "handoff_accept", AE2)
    rig.wait(lambda: rig.standin.ephemerals(AE2))
    assert _rows(rig, "SELECT status FROM handoff") == [("pending",)]


def test_a_manager_from_a_user_group_decides(group_rig: Rig) -> None:
    rig = group_rig
    rig.standin.set_usergroup("S0LEADS", "sales-leads", [MANAGER])
    _card, alert = _hot_lead(rig, "Managed GmbH")
    _click(rig, alert, "handoff_accept", MANAGER)
    rig.wait(lambda: _rows(rig, "SELECT status FROM handoff") == [("accepted",)])


def test_without_the_usergroups_scope_nobody_gains_a_role(group_rig: Rig) -> None:
    rig = group_rig
    rig.standin.set_usergroup("S0AE", "ae-team", [AE])
    rig.standin.set_scopes(rig.standin.access.scopes - {"usergroups:read"})
    _card, alert = _hot_lead(rig, "Scoped GmbH")
    _click(rig, alert, "handoff_accept", AE)
    rig.wait(lambda: rig.standin.ephemerals(AE))
    assert _rows(rig, "SELECT status FROM handoff") == [("pending",)]


# -- won / lost -----------------------------------------------------------------------------


def test_won_and_lost_belong_to_the_owner_the_accepter_and_managers(rig: Rig) -> None:
    _card, alert = _hot_lead(rig, "Outcome AG")
    refused = _lead(rig, "won Outcome AG", STRANGER)
    assert f"<@{REP}>" in refused and "manager" in refused
    assert _rows(rig, "SELECT stage FROM lead") == [("SQL",)]
    assert _refusals(rig, Action.RECORD_OUTCOME) == [STRANGER]
    _click(rig, alert, "handoff_accept", AE2)
    rig.wait(lambda: _rows(rig, "SELECT status FROM handoff") == [("accepted",)])
    refused_ae = _lead(rig, "won Outcome AG", AE)  # an account executive who did not accept it
    assert f"<@{AE2}>" in refused_ae
    assert _rows(rig, "SELECT stage FROM lead") == [("SAL",)]
    assert "lost" in _lead(rig, "lost Outcome AG budget cut", REP)
    assert "won" in _lead(rig, "won Outcome AG", MANAGER)
    assert _rows(rig, "SELECT stage FROM lead") == [("customer",)]
    assert "lost" in _lead(rig, "lost Outcome AG went elsewhere", AE2)
    assert _rows(rig, "SELECT stage FROM lead") == [("lost",)]


# -- status and lists -----------------------------------------------------------------------


def test_reps_see_their_own_leads_and_those_of_their_channels(rig: Rig) -> None:
    rig.standin.set_channel_members(CHANNEL, [REP, OTHER_REP])
    rig.qualify("Visible AG")
    assert "Visible AG" in _lead(rig, "status Visible AG", REP)
    assert "Visible AG" in _lead(rig, "status Visible AG", OTHER_REP)  # in the channel
    assert "Visible AG" in _lead(rig, "status Visible AG", AE)  # account executive
    refused = _lead(rig, "status Visible AG", STRANGER)
    assert "Visible AG" not in refused and f"<@{REP}>" in refused
    assert _refusals(rig, Action.VIEW_LEAD) == [STRANGER]
    assert "Visible AG" in _lead(rig, "list", OTHER_REP)
    assert "Visible AG" in _lead(rig, "list", MANAGER)
    assert "Visible AG" not in _lead(rig, "list", STRANGER)


# -- report ---------------------------------------------------------------------------------


def test_only_managers_see_the_report_and_it_stays_private(rig: Rig) -> None:
    rig.qualify("Reported AG")
    refused = rig.sender.command("/lead", "report 7d", user_id=REP, channel_id=CHANNEL).json()
    assert refused["response_type"] == "ephemeral" and f"<@{MANAGER}>" in refused["text"]
    assert _refusals(rig, Action.REPORT) == [REP]
    report = rig.sender.command("/lead", "report 7d", user_id=MANAGER, channel_id=CHANNEL).json()
    assert report["response_type"] == "ephemeral" and "7d" in report["text"]
    shared = rig.wait(lambda: [f for f in rig.standin.files().values() if f["completed"]], 20)
    assert shared and not [m for m in rig.standin.messages(CHANNEL) if m.get("files")]


# -- erase ----------------------------------------------------------------------------------


def test_erase_is_for_managers_only() -> None:
    assert MATRIX[Action.ERASE] == (Role.MANAGER,)
    assert permits(Action.ERASE, Actor(user_id="U1", manager=True, complete=True))
    assert not permits(Action.ERASE, Actor(user_id="U1", account_executive=True, complete=True))
