"""One language per person: the Slack locale, then the team config, then ``SDRBOT_LANGUAGE``;
and the private report's "Share in channel" button."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    AE,
    AE2,
    ALERT_CHANNEL,
    CHANNEL,
    MANAGER,
    MANAGER_CHANNEL,
    OTHER_REP,
    REP,
    TEAM_CONFIG,
    Rig,
    make_rig,
)

HOT_DE = ["Budget freigegeben", "Kontakt entscheidet", "Klarer Bedarf", "Dieses Quartal"]
HOT_EN = ["Budget approved", "Contact decides", "Clear pain", "This quarter"]


def _thread_text(rig: Rig, card_ts: str) -> str:
    return json.dumps(rig.bot_messages(CHANNEL, card_ts), ensure_ascii=False)


def _alert_for(rig: Rig, lead: str) -> dict:
    return rig.wait(
        lambda: next((m for m in rig.bot_messages(ALERT_CHANNEL) if lead in m["text"]), None)
    )


def _accept(rig: Rig, alert: dict, user: str) -> None:
    value = next(
        e["value"]
        for b in alert["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "handoff_accept"
    )
    click = rig.sender.block_action(
        "handoff_accept", value, user_id=user, channel_id=ALERT_CHANNEL, message_ts=alert["ts"]
    )
    assert click.status_code == 200


def _dm_to(rig: Rig, user: str, lead: str) -> str:
    """The text of the bot's DM about ``lead`` to ``user``."""

    def posts() -> list:
        opened = {
            c.response["channel"]["id"]
            for c in rig.standin.calls("conversations.open")
            if c.ok and user in str(c.args.get("users"))
        }
        return [
            c
            for c in rig.standin.calls("chat.postMessage")
            if c.args.get("channel") in opened and lead in json.dumps(c.args, ensure_ascii=False)
        ]

    return json.dumps(rig.wait(posts)[0].args, ensure_ascii=False)


def test_a_german_rep_qualifies_in_german_in_an_english_workspace(rig: Rig) -> None:
    rig.standin.set_user(OTHER_REP, locale="de-DE")
    german = rig.qualify("Müller GmbH", user=OTHER_REP)
    english = rig.qualify("Acme Corp", user=REP)
    assert "Frage 1 von 4" in rig.last_bot_text(german)
    assert "Question 1 of 4" in rig.last_bot_text(english)
    assert "Qualifizierung" in rig.card(german)["text"]
    for answer in HOT_DE:
        rig.reply(german, answer, user=OTHER_REP)
    for answer in HOT_EN:
        rig.reply(english, answer, user=REP)
    in_german = _thread_text(rig, german)
    # Questions, the echo of what was understood and the verdict, all in German.
    assert "erfüllt" in in_german and "heiß" in rig.last_bot_text(german)
    assert "Zeitrahmen" in in_german and "Question" not in in_german
    in_english = _thread_text(rig, english)
    assert "hot" in rig.last_bot_text(english) and "Frage" not in in_english
    # The thread keeps its language when the rep's locale changes afterwards.
    rig.standin.set_user(OTHER_REP, locale="en-US")
    rig.reply(german, "hilfe", user=OTHER_REP)
    assert "überspringen" in _thread_text(rig, german)

    # The account executive reads the handoff in their own language, whoever qualified it.
    rig.standin.set_user(AE2, locale="de-DE")
    _accept(rig, _alert_for(rig, "Müller GmbH"), AE)
    _accept(rig, _alert_for(rig, "Acme Corp"), AE2)
    to_ae = _dm_to(rig, AE, "Müller GmbH")
    assert "Handoff" in to_ae and "Übergabe" not in to_ae
    to_ae2 = _dm_to(rig, AE2, "Acme Corp")
    assert "Übergabe" in to_ae2 and "Handoff" not in to_ae2
    # The managers' channel hears the team's language.
    notices = rig.wait(lambda: len(rig.bot_messages(MANAGER_CHANNEL)) >= 2 or None)
    assert notices and all("accepted" in m["text"] for m in rig.bot_messages(MANAGER_CHANNEL))


@pytest.fixture
def rig_team_de(tmp_path: Path) -> Iterator[Rig]:
    # A team config in German over an English SDRBOT_LANGUAGE.
    yield from make_rig(tmp_path, config=TEAM_CONFIG + "language: de\n")


def test_a_failed_users_info_falls_back_to_the_team_language(rig_team_de: Rig) -> None:
    rig = rig_team_de
    rig.standin.set_user(REP, missing=True)  # users.info answers user_not_found
    rig.standin.set_user(OTHER_REP, locale="en-GB")
    unknown = rig.qualify("Fallback AG", user=REP)
    english = rig.qualify("Locale Ltd", user=OTHER_REP)
    assert rig.standin.calls("users.info")
    assert not [c for c in rig.standin.calls("users.info") if c.args.get("user") == REP and c.ok]
    assert "Frage 1 von 4" in rig.last_bot_text(unknown)
    assert "Question 1 of 4" in rig.last_bot_text(english)
    # The lookup never blocks a step: the qualification goes on to its verdict.
    for answer in HOT_DE:
        rig.reply(unknown, answer, user=REP)
    assert "heiß" in rig.last_bot_text(unknown)


def _share_value(report: dict) -> str:
    return next(
        e["value"]
        for b in report["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "report_share"
    )


def _share(rig: Rig, value: str, user: str) -> None:
    click = rig.sender.block_action(
        "report_share",
        value,
        user_id=user,
        channel_id=CHANNEL,
        message_ts=None,
        container={"type": "message", "is_ephemeral": True, "channel_id": CHANNEL},
    )
    assert click.status_code == 200


def test_share_posts_the_private_report_once_and_refuses_a_rep(rig: Rig) -> None:
    rig.standin.set_user(MANAGER, locale="de-DE")
    rig.qualify("Reported AG")
    report = rig.sender.command("/lead", "report 7d", user_id=MANAGER, channel_id=CHANNEL).json()
    assert report["response_type"] == "ephemeral" and "Lead-Funnel · 7d" in report["text"]
    value = _share_value(report)
    # Only the manager's DM got a chart so far; nothing is in the channel.
    rig.wait(lambda: [f for f in rig.standin.files().values() if f["completed"]], 20)
    assert not [m for m in rig.bot_messages(CHANNEL) if "Lead-Funnel" in m["text"]]

    _share(rig, value, REP)
    refusal = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert f"<@{MANAGER}>" in json.dumps(refusal)

    _share(rig, value, MANAGER)
    shared = rig.wait(
        lambda: [m for m in rig.bot_messages(CHANNEL) if "Lead-Funnel · 7d" in m["text"]] or None
    )
    assert f"<@{MANAGER}>" in shared[0]["text"]
    charts = rig.wait(
        lambda: (
            [m for m in rig.standin.messages(CHANNEL) if m.get("files") and m.get("bot_id")] or None
        ),
        20,
    )
    titles = {f["title"] for f in rig.standin.files().values() if f["completed"]}
    assert "Lead-Funnel 7d" in titles and len(charts) == 1

    _share(rig, value, MANAGER)
    again = rig.wait(lambda: rig.standin.ephemerals(MANAGER))
    assert "schon im Channel" in json.dumps(again, ensure_ascii=False)
    assert len([m for m in rig.bot_messages(CHANNEL) if "Lead-Funnel" in m["text"]]) == 1
    assert len([m for m in rig.standin.messages(CHANNEL) if m.get("files")]) == 1


def test_commands_and_the_dm_help_answer_in_the_askers_language(rig: Rig) -> None:
    rig.standin.set_user(OTHER_REP, locale="de-AT")
    help_de = rig.sender.command("/lead", "help", user_id=OTHER_REP, channel_id=CHANNEL).json()
    help_en = rig.sender.command("/lead", "help", user_id=REP, channel_id=CHANNEL).json()
    assert "Lead-Befehle" in help_de["text"] and "Lead commands" not in help_de["text"]
    assert "Lead-Befehle" not in help_en["text"]
    usage = rig.sender.command("/qualify", "", user_id=OTHER_REP, channel_id=CHANNEL)
    assert "Aufruf" in usage.text
    erase = rig.sender.command("/lead", "erase Acme", user_id=OTHER_REP, channel_id=CHANNEL)
    assert "nur Führungskräfte" in erase.json()["text"]
    dm = f"D{OTHER_REP}"
    rig.sender.message("hallo", user_id=OTHER_REP, channel_id=dm, ts="1700000000.000100")
    said = rig.wait(lambda: [m for m in rig.standin.messages(dm) if m.get("bot_id")] or None)
    assert "Qualifiziere" in said[0]["text"] or "qualifiziere" in said[0]["text"]
    # The locale is asked once and kept: five answers, one users.info.
    asked = [
        c
        for c in rig.standin.calls("users.info")
        if c.args.get("user") == OTHER_REP
        and str(c.args.get("include_locale")).lower() in ("true", "1")
    ]
    assert len(asked) == 1
