"""The handoff an account executive can act on: the thread link, the lead's facts, the parsed
figures and first-call questions in the alert and the DM; the rep hears of the decision; every
surface shows the new stage; thumbs up / down under each verdict reach ``sdrbot tune``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.e2e.conftest import AE, ALERT_CHANNEL, CHANNEL, MANAGER, REP, Rig

# Hot, with an amount, a target date and a signer to read.
HOT_WITH_FIGURES = [
    "50k EUR approved",
    "I am the CFO and I sign",
    "our CRM loses leads every week",
    "within 6 weeks",
]


def _db(rig: Rig) -> sqlite3.Connection:
    return sqlite3.connect(rig.database_url.removeprefix("sqlite:///"))


def _thread_link(rig: Rig, card_ts: str) -> str:
    """The card's permalink once the outbox stored what ``chat.getPermalink`` answered."""

    def stored() -> str | None:
        with _db(rig) as db:
            row = db.execute(
                "SELECT thread_link FROM qualification WHERE thread_ts = ?", (card_ts,)
            ).fetchone()
        return row[0] if row and row[0] else None

    return str(rig.wait(stored))


def _qualified(rig: Rig, name: str, answers: list[str]) -> tuple[str, str]:
    card_ts = rig.qualify(name)
    link = _thread_link(rig, card_ts)
    for answer in answers:
        rig.reply(card_ts, answer)
    return card_ts, link


def _alert(rig: Rig, name: str) -> dict:
    return rig.wait(
        lambda: next((m for m in rig.bot_messages(ALERT_CHANNEL) if name in m["text"]), None)
    )


def _buttons(message: dict) -> dict[str, dict]:
    return {
        element["action_id"]: element
        for block in message["blocks"]
        if block["type"] in ("actions", "context_actions")
        for element in block["elements"]
    }


def _dms_to(rig: Rig, user: str) -> list[str]:
    opened = {
        c.response.get("channel", {}).get("id"): c.args.get("users")
        for c in rig.standin.calls("conversations.open")
        if c.response
    }
    return [
        json.dumps(c.args, ensure_ascii=False)
        for c in rig.standin.calls("chat.postMessage")
        if user in str(opened.get(c.args.get("channel"), ""))
    ]


def test_alert_and_dm_carry_thread_link_figures_and_questions_and_rep_hears(rig: Rig) -> None:
    card_ts, link = _qualified(rig, "Globex", HOT_WITH_FIGURES)
    assert link.startswith("https://") and card_ts.replace(".", "") in link
    alert = _alert(rig, "Globex")
    shown = json.dumps(alert["blocks"], ensure_ascii=False)
    assert link in shown
    assert "€50,000" in shown and "CFO" in shown
    assert "Ask on the first call" in shown
    rig.sender.block_action(
        "handoff_accept",
        _buttons(alert)["handoff_accept"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    ae_dm = rig.wait(lambda: [d for d in _dms_to(rig, AE) if "Globex" in d])
    assert link in ae_dm[0] and "€50,000" in ae_dm[0] and "Ask on the first call" in ae_dm[0]
    rep_dm = rig.wait(lambda: [d for d in _dms_to(rig, REP) if "accepted" in d])
    assert f"<@{AE}>" in rep_dm[0] and "Globex" in rep_dm[0]
    told = rig.wait(
        lambda: [m for m in rig.bot_messages(CHANNEL, card_ts) if "took this lead" in m["text"]]
    )
    assert told


def test_a_permalink_slack_fails_to_give_blocks_nothing(rig: Rig) -> None:
    rig.standin.set_faults(server_error=1.0, methods={"chat.getPermalink"})
    card_ts = rig.qualify("Hooli XYZ")
    for answer in HOT_WITH_FIGURES:
        rig.reply(card_ts, answer)
    shown = json.dumps(_alert(rig, "Hooli XYZ")["blocks"], ensure_ascii=False)
    assert [c for c in rig.standin.calls("chat.getPermalink") if c.status == 500]
    assert "qualification thread" not in shown and "€50,000" in shown
    rig.standin.set_faults()


def test_first_call_questions_are_drawn_from_the_gaps(rig: Rig) -> None:
    # Hot with one gap: a timeline four months out is only partly met.
    answers = [*HOT_WITH_FIGURES[:3], "in 4 months"]
    _card, _link = _qualified(rig, "Vandelay", answers)
    shown = json.dumps(_alert(rig, "Vandelay")["blocks"], ensure_ascii=False)
    assert "By when does this need to be live" in shown
    assert "What budget is set aside" not in shown


def test_german_brief_reads_german(rig_de: Rig) -> None:
    answers = [
        "50.000 EUR sind freigegeben",
        "Ich bin der CFO und unterschreibe",
        "Unser CRM verliert jede Woche Leads",
        "in 4 Monaten",
    ]
    card_ts, link = _qualified(rig_de, "Vandelay DE", answers)
    shown = json.dumps(_alert(rig_de, "Vandelay DE")["blocks"], ensure_ascii=False)
    assert link in shown and "Zum Qualifizierungs-Thread" in shown
    assert "50.000 €" in shown and "Fürs Erstgespräch" in shown
    assert "Bis wann muss das stehen" in shown
    verdict = next(m for m in rig_de.bot_messages(CHANNEL, card_ts) if "verdict_feedback" in str(m))
    rig_de.sender.block_action(
        "verdict_feedback",
        _buttons(verdict)["verdict_feedback"]["positive_button"]["value"],
        user_id=REP,
        channel_id=CHANNEL,
        message_ts=verdict["ts"],
        thread_ts=card_ts,
        element_type="feedback_buttons",
    )
    thanked = rig_de.wait(lambda: rig_de.standin.ephemerals(REP))
    assert "Danke, notiert" in str(thanked)


def test_thumbs_down_is_stored_once_per_person_and_reaches_tune(rig: Rig) -> None:
    card_ts, _link = _qualified(rig, "Stark", HOT_WITH_FIGURES)
    verdict = rig.wait(
        lambda: next(
            (m for m in rig.bot_messages(CHANNEL, card_ts) if "verdict_feedback" in str(m)),
            None,
        )
    )
    thumbs = _buttons(verdict)["verdict_feedback"]
    assert thumbs["type"] == "feedback_buttons"
    down = thumbs["negative_button"]["value"]
    up = thumbs["positive_button"]["value"]
    for value, user in ((down, MANAGER), (down, MANAGER), (up, REP), (down, REP)):
        response = rig.sender.block_action(
            "verdict_feedback",
            value,
            user_id=user,
            channel_id=CHANNEL,
            message_ts=verdict["ts"],
            thread_ts=card_ts,
            element_type="feedback_buttons",
        )
        assert response.status_code == 200
    changed = rig.wait(
        lambda: [e for e in rig.standin.ephemerals(REP) if "Changed your vote" in str(e)]
    )
    assert changed
    with _db(rig) as db:
        votes = db.execute(
            'SELECT user_id, "right" FROM verdict_feedback ORDER BY user_id'
        ).fetchall()
    assert votes == [(MANAGER, 0), (REP, 0)]
    env = {**os.environ, "DATABASE_URL": rig.database_url}
    env.pop("SDRBOT_CONFIG", None)
    tuned = subprocess.run(
        [sys.executable, "-m", "bot.cli", "tune", "--framework", "bant",
         "--team", rig.standin.team_id],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert tuned.returncode == 0, tuned.stderr
    assert "Votes on verdicts" in tuned.stdout
    assert "hot       0 / 2" in tuned.stdout
    reported = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "--format", "json",
         "--team", rig.standin.team_id],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert reported.returncode == 0, reported.stderr
    assert json.loads(reported.stdout)["verdict_votes"] == {"hot": {"right": 0, "wrong": 2}}


def _surfaces(rig: Rig, name: str, card_ts: str, alert_ts: str) -> dict[str, str]:
    """What the card, the alert, ``/lead status`` and ``/lead list`` say of the lead now;
    ``name`` as Slack delivers it typed (``&lt;`` for ``<``)."""
    status = rig.sender.command("/lead", f"status {name}", user_id=REP, channel_id=CHANNEL)
    listing = rig.sender.command("/lead", "list", user_id=REP, channel_id=CHANNEL)
    alert = next(m for m in rig.bot_messages(ALERT_CHANNEL) if m["ts"] == alert_ts)
    rig.sender.app_home_opened(REP)
    home = rig.wait(lambda: rig.standin.home(REP))
    return {
        # The view's text as JSON: its lines are split at the escaped newlines.
        "home": next(line for line in json.dumps(home).split("\\n") if name in line),
        "card": json.dumps(rig.card(card_ts)["blocks"]),
        "alert": json.dumps(alert["blocks"]),
        "status": status.text,
        "list": next(line for line in listing.text.splitlines() if name in line),
    }


def test_every_surface_shows_the_stage_after_accept(rig: Rig) -> None:
    card_ts, _link = _qualified(rig, "Initrode", HOT_WITH_FIGURES)
    alert = _alert(rig, "Initrode")
    assert "SQL" in json.dumps(rig.card(card_ts)["blocks"])
    rig.sender.block_action(
        "handoff_accept",
        _buttons(alert)["handoff_accept"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    rig.wait(lambda: "SAL" in json.dumps(rig.card(card_ts)["blocks"]))
    seen = _surfaces(rig, "Initrode", card_ts, alert["ts"])
    assert "Accepted" in seen["alert"] and "handoff_accept" not in seen["alert"]
    for surface in ("card", "status", "list", "home"):
        assert "SAL" in seen[surface] and "SQL (" not in seen[surface], surface


def test_reject_modal_names_the_lead_and_every_surface_shows_nurture(rig: Rig) -> None:
    card_ts, _link = _qualified(rig, "Soylent <EU>", HOT_WITH_FIGURES)
    alert = _alert(rig, "Soylent")
    rig.sender.block_action(
        "handoff_reject",
        _buttons(alert)["handoff_reject"]["value"],
        user_id=AE,
        channel_id=ALERT_CHANNEL,
        message_ts=alert["ts"],
    )
    opened = rig.wait(lambda: rig.standin.calls("views.open"))
    view = opened[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "Soylent &lt;EU&gt;" in json.dumps(view["blocks"][0])
    rig.sender.view_submission(
        "reject_handoff",
        {"reason_block": {"reason_input": "No budget until Q3"}},
        user_id=AE,
        private_metadata=view["private_metadata"],
    )
    rig.wait(lambda: "nurture" in json.dumps(rig.card(card_ts)["blocks"]))
    seen = _surfaces(rig, "Soylent &lt;EU&gt;", card_ts, alert["ts"])
    assert "Rejected" in seen["alert"] and "No budget until Q3" in seen["alert"]
    for surface in ("card", "status", "list", "home"):
        assert "nurture" in seen[surface] and "SQL (" not in seen[surface], surface
    rep_dm = rig.wait(lambda: [d for d in _dms_to(rig, REP) if "rejected" in d])
    assert "No budget until Q3" in rep_dm[0]
