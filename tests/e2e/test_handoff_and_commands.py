"""Hot-lead alert, accept and reject, ``/lead``, App Home, signatures and health."""

from __future__ import annotations

import json
import sqlite3
import time

from tests.e2e.conftest import AE, AE2, ALERT_CHANNEL, CHANNEL, MANAGER_CHANNEL, REP, Rig
from tests.e2e.test_qualification import HOT_BANT


def _hot_lead(rig: Rig, name: str) -> tuple[str, dict]:
    card_ts = rig.qualify(name)
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    alert = rig.wait(lambda: next(iter(rig.bot_messages(ALERT_CHANNEL)), None))
    return card_ts, alert


def _buttons(message: dict) -> dict[str, dict]:
    return {
        element["action_id"]: element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def _lead_stage(rig: Rig, name: str) -> str:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return str(db.execute("SELECT stage FROM lead WHERE name = ?", (name,)).fetchone()[0])


def test_hot_lead_alert_accept_sends_summary_dm_and_manager_notice(rig: Rig) -> None:
    _card, alert = _hot_lead(rig, "Initech")
    assert "Initech" in alert["text"]
    accept = _buttons(alert)["handoff_accept"]
    click = rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    assert click.status_code == 200
    summary = rig.wait(lambda: rig.bot_messages(ALERT_CHANNEL, alert["ts"]))
    assert "Initech" in summary[0]["text"]
    rig.wait(lambda: rig.standin.calls("conversations.open"))
    dm = rig.wait(
        lambda: [
            c
            for c in rig.standin.calls("chat.postMessage")
            if str(c.args.get("channel", "")).startswith("D")
        ]
    )
    assert "Initech" in json.dumps(dm[0].args)
    notice = rig.wait(lambda: rig.bot_messages(MANAGER_CHANNEL))
    assert f"<@{AE}>" in notice[0]["text"]
    updated = rig.wait(
        lambda: next(
            (
                m
                for m in rig.bot_messages(ALERT_CHANNEL)
                if m["ts"] == alert["ts"] and "Accepted" in json.dumps(m["blocks"])
            ),
            None,
        )
    )
    assert "handoff_accept" not in json.dumps(updated["blocks"])
    assert _lead_stage(rig, "Initech") == "SAL"
    # A second account executive is too late.
    rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=AE2,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    late = rig.wait(lambda: rig.standin.ephemerals(AE2))
    assert f"<@{AE}>" in json.dumps(late)


def test_only_account_executives_may_accept(rig: Rig) -> None:
    _card, alert = _hot_lead(rig, "Hooli")
    accept = _buttons(alert)["handoff_accept"]
    rig.sender.block_action(
        "handoff_accept",
        accept["value"],
        user_id=REP,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    rig.wait(lambda: rig.standin.ephemerals(REP))
    assert _lead_stage(rig, "Hooli") == "SQL"


def test_reject_opens_a_modal_and_the_reason_reaches_the_rep(rig: Rig) -> None:
    card_ts, alert = _hot_lead(rig, "Umbrella")
    reject = _buttons(alert)["handoff_reject"]
    rig.sender.block_action(
        "handoff_reject",
        reject["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    opened = rig.wait(lambda: rig.standin.calls("views.open"))
    view = opened[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "reject_handoff"
    empty = rig.sender.view_submission(
        "reject_handoff",
        {"reason_block": {"reason_input": ""}},
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    assert "errors" in empty.json()
    done = rig.sender.view_submission(
        "reject_handoff",
        {"reason_block": {"reason_input": "No budget until Q3 <!channel>"}},
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    assert done.status_code == 200
    told = rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(CHANNEL, card_ts) if "No budget until Q3" in m["text"]),
            None,
        )
    )
    assert "<!channel>" not in json.dumps(told)
    assert _lead_stage(rig, "Umbrella") == "nurture"


def test_lead_status_suggests_near_names_and_list_shows_verdicts(rig: Rig) -> None:
    card_ts = rig.qualify("Acme Corp")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    unknown = rig.sender.command("/lead", "status Acme Crop", user_id=REP, channel_id=CHANNEL)
    assert "Acme Corp" in unknown.text and "did you mean" in unknown.text.lower()
    status = rig.sender.command("/lead", "status acme corp", user_id=REP, channel_id=CHANNEL)
    assert "hot" in status.text
    listing = rig.sender.command("/lead", "list hot", user_id=REP, channel_id=CHANNEL)
    assert "Acme Corp" in listing.text
    mine = rig.sender.command("/lead", "list mine", user_id=AE, channel_id=CHANNEL)
    assert "Acme Corp" not in mine.text
    helped = rig.sender.command("/lead", "help", user_id=REP, channel_id=CHANNEL)
    assert "/lead status" in helped.text


def test_bad_commands_answer_ephemerally(rig: Rig) -> None:
    usage = rig.sender.command("/qualify", "", user_id=REP, channel_id=CHANNEL)
    assert "/qualify" in usage.text
    unknown = rig.sender.command("/qualify", "Acme framework:spin", user_id=REP, channel_id=CHANNEL)
    assert "meddic" in unknown.text and "bant" in unknown.text
    time.sleep(0.3)
    assert rig.bot_messages(CHANNEL) == []


def test_app_home_lists_open_qualifications(rig: Rig) -> None:
    rig.qualify("Home Co")
    rig.sender.app_home_opened(REP)
    view = rig.wait(lambda: rig.standin.home(REP))
    assert "Home Co" in json.dumps(view)


def test_german_mode_speaks_german(rig_de: Rig) -> None:
    rig = rig_de
    card_ts = rig.qualify("Müller GmbH")
    assert "Frage 1 von 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "Budget freigegeben")
    rig.reply(card_ts, "ändere Budget")
    assert "Frage 1 von 4" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "Budget freigegeben")
    rig.reply(card_ts, "ändere Entscheidungsbefugnis")
    assert "Frage 2 von 4" in rig.last_bot_text(card_ts)
    for answer in ["Kontakt entscheidet", "Klarer Bedarf", "Dieses Quartal"]:
        rig.reply(card_ts, answer)
    assert "heiß" in rig.last_bot_text(card_ts)
    rig.reply(card_ts, "hilfe")
    assert "überspringen" in json.dumps(rig.bot_messages(CHANNEL, card_ts)[-1], ensure_ascii=False)
    alert = rig.wait(lambda: rig.bot_messages(ALERT_CHANNEL))
    assert "Heißer Lead" in alert[0]["text"]


def test_bad_signature_is_refused_and_health_is_ok(rig: Rig) -> None:
    import httpx

    body = b"command=%2Flead&text=help&team_id=T0001&user_id=U1&channel_id=C1"
    headers = rig.sender.signed_headers(body, content_type="application/x-www-form-urlencoded")
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert rig.sender.send_raw(body, headers).status_code == 401
    old = rig.sender.signed_headers(
        body, timestamp=int(time.time()) - 600, content_type="application/x-www-form-urlencoded"
    )
    assert rig.sender.send_raw(body, old).status_code == 401
    assert httpx.get(rig.bot_url + "/healthz").status_code == 200
