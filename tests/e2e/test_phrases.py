"""What the bot understood, changing it, and the phrasebook a team teaches it; end to end."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.standin.sender import SlackSender
from tests.e2e.conftest import CHANNEL, MANAGER, OTHER_REP, REP, SECRET, Rig

JARGON = "Steerco signs off on it"


def _rows(rig: Rig, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql).fetchall()


def _echo(message: dict[str, Any]) -> dict[str, Any]:
    """The reading line in front of a message: a section with the Change select."""
    block = message["blocks"][0]
    assert block["accessory"]["action_id"] == "reading_change", block
    return block


def _choose(rig: Rig, card_ts: str, message: dict[str, Any], status: str, *, user: str = REP):
    """Pick ``status`` in the Change select of the reading line of ``message``."""
    select = _echo(message)["accessory"]
    option = next(o for o in select["options"] if json.loads(o["value"])["s"] == status)
    count = len(rig.bot_messages(CHANNEL, card_ts))
    response = rig.sender.block_action(
        "reading_change",
        None,
        selected_option=option,
        user_id=user,
        channel_id=CHANNEL,
        message_ts=message["ts"],
        thread_ts=card_ts,
    )
    assert response.status_code == 200
    return count


def _reading_of(message: dict[str, Any]) -> str:
    return str(_echo(message)["text"]["text"])


def _other_status(line: str) -> str:
    """A status the line does not show (so choosing it is a real change)."""
    return "missing" if "*missing*" not in line else "partial"


def test_each_answer_is_echoed_with_a_change_control(rig: Rig) -> None:
    card_ts = rig.qualify("Echo Co")
    rig.reply(card_ts, "50k EUR approved")
    second = rig.bot_messages(CHANNEL, card_ts)[-1]
    line = _reading_of(second)
    assert line.startswith(":eyes: *Budget:* €50,000")
    assert "“50k EUR approved”" in line and line.endswith("*met*")
    assert second["text"].startswith(":eyes: *Budget:*") and "2 of 4" in second["text"]
    statuses = [json.loads(o["value"])["s"] for o in _echo(second)["accessory"]["options"]]
    assert statuses == ["partial", "missing", "unknown"]


def test_the_echo_speaks_german_in_a_german_workspace(rig_de: Rig) -> None:
    card_ts = rig_de.qualify("Echo GmbH")
    rig_de.reply(card_ts, "50.000 € freigegeben")
    line = _echo(rig_de.bot_messages(CHANNEL, card_ts)[-1])
    assert line["text"]["text"] == ":eyes: *Budget:* 50.000 € · „50.000 € freigegeben“ · *erfüllt*"
    assert line["accessory"]["placeholder"]["text"] == "Ändern"


def test_a_correction_is_stored_learned_and_read_so_in_the_next_qualification_only_here(
    rig: Rig,
) -> None:
    card_ts = rig.qualify("Jargon One")
    rig.reply(card_ts, "50k EUR approved")
    rig.reply(card_ts, JARGON)
    echoed = rig.bot_messages(CHANNEL, card_ts)[-1]
    chosen = _other_status(_reading_of(echoed))

    # Someone else may not change it, and hears who may.
    _choose(rig, card_ts, echoed, chosen, user=OTHER_REP)
    note = rig.wait(lambda: rig.standin.ephemerals(OTHER_REP))
    assert f"<@{REP}>" in note[-1]["text"] and "manager" in note[-1]["text"]

    count = _choose(rig, card_ts, echoed, chosen)
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)
    changed = rig.bot_messages(CHANNEL, card_ts)[-1]
    assert f"*{'partly met' if chosen == 'partial' else chosen}*" in _reading_of(changed)
    assert f"Changed by <@{REP}>" in changed["text"]
    assert "Question 3 of 4" in changed["text"]  # still the question that was open
    answers = _rows(
        rig,
        "SELECT status, text, answered_by FROM answer "
        "WHERE criterion = 'authority' AND superseded = 0",
    )
    assert answers == [(chosen, JARGON, REP)]
    learned = _rows(rig, "SELECT team_id, topic, phrase, status, created_by FROM learned_phrase")
    assert learned == [(rig.standin.team_id, "authority", "steerco signs off on it", chosen, REP)]

    # The next qualification in this workspace reads the phrase the way the team taught it.
    second = rig.qualify("Jargon Two")
    rig.reply(second, "50k EUR approved")
    rig.reply(second, JARGON)
    assert f"*{'partly met' if chosen == 'partial' else chosen}*" in _reading_of(
        rig.bot_messages(CHANNEL, second)[-1]
    )

    # Another workspace on the same bot does not.
    other = dataclasses.replace(
        rig,
        sender=SlackSender(
            rig.bot_url, SECRET, team_id="TOTHER", response_base=rig.standin.response_url_base
        ),
    )
    third = other.qualify("Jargon Three")
    other.reply(third, "50k EUR approved")
    other.reply(third, JARGON)
    assert _reading_of(other.bot_messages(CHANNEL, third)[-1]) == _reading_of(echoed)


def test_changing_a_reading_after_the_verdict_recomputes_it(rig: Rig) -> None:
    card_ts = rig.qualify("Flip Co")
    for answer in ("Budget approved", "Contact decides", "Clear pain", "This quarter"):
        rig.reply(card_ts, answer)
    messages = rig.bot_messages(CHANNEL, card_ts)
    assert " is hot" in messages[-1]["text"]
    alerts = len(rig.bot_messages("CALERTS"))
    # The need's question, closed in place to one line that keeps its Change select.
    need_line = rig.wait(
        lambda: next(
            (m for m in messages if m["blocks"][0].get("block_id") == "reading_need"), None
        )
    )
    assert _reading_of(need_line).startswith("✅ *Need*")
    count = _choose(rig, card_ts, need_line, "missing")
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count + 1)
    # The new verdict, then the line that the lead is no longer hot.
    verdict, cooled = (m["text"] for m in rig.bot_messages(CHANNEL, card_ts)[-2:])
    assert " is hot" not in verdict and (" is warm" in verdict or " is cold" in verdict)
    assert "no longer hot" in cooled
    rig.wait(lambda: "hot" not in json.dumps(rig.card(card_ts)["blocks"]).lower())
    assert _rows(rig, "SELECT verdict FROM lead WHERE name = 'Flip Co'")[0][0] != "hot"
    assert len(rig.bot_messages("CALERTS")) == alerts


def test_a_paused_qualification_takes_a_change_and_stays_paused(rig: Rig) -> None:
    card_ts = rig.qualify("Pause Co")
    rig.reply(card_ts, "50k EUR approved")
    echoed = rig.bot_messages(CHANNEL, card_ts)[-1]
    rig.reply(card_ts, "pause")
    count = _choose(rig, card_ts, echoed, "partial")
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)
    changed = rig.bot_messages(CHANNEL, card_ts)[-1]["text"]
    assert "*partly met*" in changed and "Paused" in changed
    assert _rows(rig, "SELECT status FROM qualification") == [("paused",)]
    rig.reply(card_ts, "resume")
    assert "Question 2 of 4" in rig.last_bot_text(card_ts)


def test_a_clarification_choice_records_that_reading_and_teaches_it(rig: Rig) -> None:
    card_ts = rig.qualify("Choice Co")
    value = {"t": card_ts, "c": "budget", "s": "partial", "v": None, "e": "PO is raised"}
    count = len(rig.bot_messages(CHANNEL, card_ts))
    response = rig.sender.block_action(
        "reading_choice_0",
        json.dumps(value),
        user_id=REP,
        channel_id=CHANNEL,
        message_ts=card_ts,
        thread_ts=card_ts,
    )
    assert response.status_code == 200
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)
    assert "Question 2 of 4" in rig.last_bot_text(card_ts)
    assert _rows(rig, "SELECT status, text FROM answer") == [("partial", "PO is raised")]
    assert _rows(rig, "SELECT phrase, status FROM learned_phrase") == [("po is raised", "partial")]
    # The same choice again is stale: budget is no longer the question asked.
    rig.sender.block_action(
        "reading_choice_0",
        json.dumps(value),
        user_id=REP,
        channel_id=CHANNEL,
        message_ts=card_ts,
        thread_ts=card_ts,
    )
    notes = rig.wait(lambda: rig.standin.ephemerals(REP))
    assert "changed since" in notes[-1]["text"]
    # Typed in the next qualification, the phrase is read as taught.
    second = rig.qualify("Choice Two")
    rig.reply(second, "PO is raised")
    assert "*partly met*" in _reading_of(rig.bot_messages(CHANNEL, second)[-1])


def test_notes_after_qualify_prefill_what_they_settle_and_ask_only_the_rest(rig: Rig) -> None:
    notes = "Acme call notes\n- They have 40k EUR approved for this.\n- Jane is the CFO and signs."
    card_ts = rig.qualify(f"Notes Co\n{notes}")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    assert first["text"].startswith(":memo: From your notes I took 2 answers")
    assert "“They have 40k EUR approved for this.”" in first["text"]
    assert "“Jane is the CFO and signs.”" in first["text"]
    assert "Question 3 of 4" in first["text"]
    selects = [b for b in first["blocks"] if (b.get("accessory") or {}).get("type")]
    assert [b["block_id"] for b in selects] == ["reading_budget", "reading_authority"]
    rig.reply(card_ts, "They lose leads every week")
    rig.reply(card_ts, "within 6 weeks")
    assert " is hot" in rig.last_bot_text(card_ts)


def test_notes_after_a_double_dash_and_notes_pasted_in_the_thread(rig: Rig) -> None:
    card_ts = rig.qualify("Dash Co -- They lose leads every week because the CRM is a mess.")
    first = rig.bot_messages(CHANNEL, card_ts)[0]
    assert "I took 1 answer" in first["text"] and "Question 1 of 4" in first["text"]
    rig.reply(card_ts, "We have 60k EUR approved.\nThe VP of Sales decides and signs.")
    reply = rig.bot_messages(CHANNEL, card_ts)[-1]["text"]
    assert "I took 2 answers" in reply and "Question 4 of 4" in reply
    assert _rows(rig, "SELECT criterion, text FROM answer ORDER BY id") == [
        ("budget", "We have 60k EUR approved."),
        ("authority", "The VP of Sales decides and signs."),
    ]


def test_managers_see_learned_phrases_on_app_home_and_can_remove_them(rig: Rig) -> None:
    card_ts = rig.qualify("Home Co")
    rig.reply(card_ts, "50k EUR approved")
    echoed = rig.bot_messages(CHANNEL, card_ts)[-1]
    count = _choose(rig, card_ts, echoed, "partial")
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)

    rig.sender.app_home_opened(REP)
    view = rig.wait(lambda: rig.standin.home(REP))
    assert "Learned phrases" not in json.dumps(view)

    rig.sender.app_home_opened(MANAGER)
    view = rig.wait(lambda: rig.standin.home(MANAGER))
    item = next(b for b in view["blocks"] if "50k eur approved" in json.dumps(b))
    assert item["accessory"]["action_id"] == "phrase_remove"
    rig.sender.block_action(
        "phrase_remove",
        item["accessory"]["value"],
        user_id=OTHER_REP,
        channel_id=None,
        message_ts=None,
    )
    rig.sender.block_action(
        "phrase_remove",
        item["accessory"]["value"],
        user_id=MANAGER,
        channel_id=None,
        message_ts=None,
    )
    rig.wait(lambda: "50k eur approved" not in json.dumps(rig.standin.home(MANAGER)))
    assert _rows(rig, "SELECT COUNT(*) FROM learned_phrase") == [(0,)]
    audit = "SELECT actor_id FROM audit_event WHERE action = 'phrasebook.remove'"
    assert _rows(rig, audit) == [(MANAGER,)]


def _cli(rig: Rig, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": rig.database_url}
    env.pop("SDRBOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "phrases", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(rig.database_url.removeprefix("sqlite:///")).parent,
        timeout=120,
    )


def test_phrases_list_export_and_prune_on_the_command_line(rig: Rig) -> None:
    card_ts = rig.qualify("Cli Co")
    rig.reply(card_ts, "50k EUR approved")
    count = _choose(rig, card_ts, rig.bot_messages(CHANNEL, card_ts)[-1], "partial")
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)
    rig.reply(card_ts, JARGON)
    count = _choose(rig, card_ts, rig.bot_messages(CHANNEL, card_ts)[-1], "unknown")
    rig.wait(lambda: len(rig.bot_messages(CHANNEL, card_ts)) > count)

    listed = _cli(rig, "list")
    assert listed.returncode == 0, listed.stderr
    assert "'50k eur approved'" in listed.stdout and "'steerco signs off on it'" in listed.stdout
    exported = json.loads(_cli(rig, "export").stdout)
    assert {(r["topic"], r["status"], r["created_by"]) for r in exported} == {
        ("budget", "partial", REP),
        ("authority", "unknown", REP),
    }
    csv_lines = _cli(rig, "export", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("id,team_id,topic,phrase") and len(csv_lines) == 3

    assert _cli(rig, "prune").returncode == 2
    budget_id = next(r["id"] for r in exported if r["topic"] == "budget")
    assert _cli(rig, "prune", "--id", str(budget_id), "--team", "TNOBODY").stdout == "0 removed\n"
    assert _cli(rig, "prune", "--id", str(budget_id)).stdout == "1 removed\n"
    assert _cli(rig, "prune", "--older-than", "1").stdout == "0 removed\n"
    assert _cli(rig, "prune", "--topic", "authority").stdout == "1 removed\n"
    audit = "SELECT actor_id, detail FROM audit_event WHERE action = 'phrasebook.remove'"
    assert [(actor, json.loads(detail)["removed"]) for actor, detail in _rows(rig, audit)] == [
        ("cli", 1),
        ("cli", 1),
    ]
    assert "no learned phrases" in _cli(rig, "list").stdout
