"""Workflow Builder steps end to end: ``function_executed`` through the real endpoint, and the
step's end (``functions.completeSuccess`` / ``completeError``) as the stand-in records it."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from tests.e2e.conftest import CHANNEL, MANAGER, OTHER_REP, REP, Rig
from tests.e2e.test_qualification import COLD_BANT, HOT_BANT


def _run(rig: Rig, callback_id: str, **inputs: Any) -> dict[str, Any]:
    """Start a run of the step and deliver its event; the bot answers 200 after its commit."""
    run = rig.standin.start_function(callback_id, inputs)
    response = rig.sender.function_executed(run)
    assert response.status_code == 200, response.text
    return run


def _ended(rig: Rig, run: dict[str, Any]) -> dict[str, Any]:
    """The run once the bot ended it."""
    execution_id = run["function_execution_id"]
    return rig.wait(
        lambda: (state := rig.standin.function_run(execution_id))["state"] != "running" and state
    )


def _card(rig: Rig, channel: str) -> str:
    """The ts of the card in ``channel`` once its first question is in the thread."""
    card = rig.wait(
        lambda: next(
            (
                m
                for m in rig.standin.messages(channel)
                if m.get("bot_id") and m.get("thread_ts") in (None, m["ts"])
            ),
            None,
        )
    )
    rig.wait(lambda: rig.bot_messages(channel, card["ts"]))
    return str(card["ts"])


def _lead_row(rig: Rig, name: str) -> tuple[int, str, str | None]:
    with sqlite3.connect(rig.database_url.removeprefix("sqlite:///")) as db:
        row = db.execute("SELECT id, stage, owner_id FROM lead WHERE name = ?", (name,)).fetchone()
    return int(row[0]), str(row[1]), row[2]


def _completions(rig: Rig) -> list[Any]:
    return rig.standin.calls("functions.completeSuccess") + rig.standin.calls(
        "functions.completeError"
    )


def test_qualify_step_runs_a_qualification_and_completes_with_its_outputs(rig: Rig) -> None:
    run = _run(rig, "qualify_lead", lead="Acme Corp", rep=REP, channel=CHANNEL)
    card_ts = _card(rig, CHANNEL)
    assert "budget" in rig.bot_messages(CHANNEL, card_ts)[0]["text"].lower()
    # The step keeps running while the rep answers.
    assert rig.standin.function_run(run["function_execution_id"])["state"] == "running"
    for answer in HOT_BANT[:-1]:
        rig.reply(card_ts, answer)
    assert rig.standin.function_run(run["function_execution_id"])["state"] == "running"
    assert _completions(rig) == []
    rig.reply(card_ts, HOT_BANT[-1])
    ended = _ended(rig, run)
    lead_id, stage, owner = _lead_row(rig, "Acme Corp")
    assert ended["state"] == "completed"
    assert ended["outputs"] == {
        "lead_id": lead_id,
        "verdict": "hot",
        "score": ended["outputs"]["score"],
        "stage": "SQL",
    }
    assert 0 <= ended["outputs"]["score"] <= 100 and stage == "SQL" and owner == REP
    assert "hot" in rig.last_bot_text(card_ts)
    # Ended once, even though the verdict is edited afterwards.
    rig.reply(card_ts, "edit timeline")
    rig.reply(card_ts, "Later or never")
    time.sleep(0.3)
    assert len(_completions(rig)) == 1


def test_qualify_step_without_a_channel_runs_in_a_direct_message_with_the_rep(rig: Rig) -> None:
    run = _run(rig, "qualify_lead", lead="Tiny Shop", rep=REP, framework="BANT")
    dm = rig.standin.workspace.dm_for(REP)
    card_ts = _card(rig, dm)
    assert not rig.bot_messages(CHANNEL)
    for answer in COLD_BANT:
        rig.reply(card_ts, answer, channel=dm)
    ended = _ended(rig, run)
    assert ended["state"] == "completed"
    assert ended["outputs"]["verdict"] == "cold"
    assert ended["outputs"]["stage"] in ("nurture", "disqualified")
    assert ended["outputs"]["stage"] == _lead_row(rig, "Tiny Shop")[1]
    # The card's own thread is no assistant thread: it has no status line to set.
    assert not rig.standin.calls("assistant.threads.setStatus")

    # The answers in the DM's thread were answers, not a call for help.
    def roots() -> list[dict[str, Any]]:
        return [m for m in rig.bot_messages(dm) if m.get("thread_ts") in (None, m["ts"])]

    assert [m["ts"] for m in roots()] == [card_ts]
    # A reply in a DM thread that is no qualification is still answered.
    rig.sender.message("hello?", user_id=REP, channel_id=dm)
    help_post = rig.wait(lambda: roots()[1:])[0]
    said = len(rig.bot_messages(dm))
    ts = rig.standin.post_user_message(dm, REP, "and now?", thread_ts=help_post["ts"])
    rig.sender.message("and now?", user_id=REP, channel_id=dm, thread_ts=help_post["ts"], ts=ts)
    rig.wait(lambda: len(rig.bot_messages(dm)) > said)


def test_qualify_step_refuses_what_it_cannot_start_with_a_clear_error(rig: Rig) -> None:
    unknown = _run(rig, "qualify_lead", lead="Globex", rep=REP, framework="spiced")
    assert _ended(rig, unknown)["state"] == "failed"
    error = _ended(rig, unknown)["error"]
    assert '"spiced"' in error and "meddic" in error and "&quot;" not in error
    nameless = _run(rig, "qualify_lead", lead="  ", rep=REP)
    assert "lead's name" in _ended(rig, nameless)["error"]
    # Someone else's qualification: only the rep or a manager may start it.
    other = _run(rig, "qualify_lead", lead="Initech", rep=REP, requested_by=OTHER_REP)
    assert "Only the rep themselves or a manager" in _ended(rig, other)["error"]
    assert not rig.standin.messages(CHANNEL) and not rig.standin.messages(
        rig.standin.workspace.dm_for(REP)
    )
    managed = _run(rig, "qualify_lead", lead="Initech", rep=REP, requested_by=MANAGER)
    _card(rig, rig.standin.workspace.dm_for(REP))
    assert rig.standin.function_run(managed["function_execution_id"])["state"] == "running"
    # A lead another rep owns is theirs (or a manager's) to qualify again.
    taken = _run(rig, "qualify_lead", lead="Initech", rep=OTHER_REP)
    assert "belongs to someone else" in _ended(rig, taken)["error"]


def test_a_redelivered_step_starts_one_qualification(rig: Rig) -> None:
    run = rig.standin.start_function("qualify_lead", {"lead": "Retry Co", "rep": REP})
    for attempt in range(2):
        response = rig.sender.function_executed(
            run, event_id="Ev-step-1", retry_num=attempt or None
        )
        assert response.status_code == 200
    # Slack may also deliver the same run under a new event id.
    assert rig.sender.function_executed(run).status_code == 200
    dm = rig.standin.workspace.dm_for(REP)
    _card(rig, dm)
    time.sleep(0.3)
    roots = [m for m in rig.standin.messages(dm) if m.get("thread_ts") in (None, m["ts"])]
    assert len(roots) == 1


def test_a_cancelled_qualification_fails_its_step(rig: Rig) -> None:
    run = _run(rig, "qualify_lead", lead="Umbrella", rep=REP, channel=CHANNEL)
    card_ts = _card(rig, CHANNEL)
    rig.reply(card_ts, "cancel")
    ended = _ended(rig, run)
    assert ended["state"] == "failed"
    assert (
        ended["error"] == "The qualification of Umbrella was cancelled before it reached a verdict."
    )


def test_a_card_that_cannot_be_posted_fails_its_step(rig: Rig) -> None:
    rig.standin.missing_channels.add("CGONE")
    run = _run(rig, "qualify_lead", lead="Nowhere Ltd", rep=REP, channel="CGONE")
    ended = _ended(rig, run)
    assert ended["state"] == "failed"
    assert "Nowhere Ltd could not be posted" in ended["error"]


def test_record_outcome_step_marks_the_lead_and_completes(rig: Rig) -> None:
    rig.qualify("Acme Corp")
    lead_id = _lead_row(rig, "Acme Corp")[0]
    run = _run(rig, "record_outcome", lead="acme corp", outcome="won", requested_by=REP)
    ended = _ended(rig, run)
    assert ended["state"] == "completed"
    assert ended["outputs"] == {"lead_id": lead_id, "stage": "customer"}
    assert _lead_row(rig, "Acme Corp")[1] == "customer"


def test_record_outcome_step_errors_for_an_unknown_lead_or_a_caller_without_the_right(
    rig: Rig,
) -> None:
    rig.qualify("Acme Corp")
    unknown = _run(rig, "record_outcome", lead="Hooli", outcome="won", requested_by=REP)
    assert _ended(rig, unknown)["state"] == "failed"
    assert _ended(rig, unknown)["error"] == 'There is no lead called "Hooli".'
    near = _run(rig, "record_outcome", lead="Acme Crop", outcome="won", requested_by=REP)
    assert (
        _ended(rig, near)["error"]
        == 'There is no lead called "Acme Crop". Did you mean "Acme Corp"?'
    )
    refused = _run(
        rig,
        "record_outcome",
        lead="Acme Corp",
        outcome="lost",
        reason="price",
        requested_by=OTHER_REP,
    )
    assert _ended(rig, refused)["error"].startswith("Only the lead's owner")
    reasonless = _run(rig, "record_outcome", lead="Acme Corp", outcome="lost", requested_by=REP)
    assert _ended(rig, reasonless)["error"] == "A lost deal needs a reason."
    assert _lead_row(rig, "Acme Corp")[1] != "lost"
    managed = _run(
        rig,
        "record_outcome",
        lead="Acme Corp",
        outcome="lost",
        reason="price",
        requested_by=MANAGER,
    )
    assert _ended(rig, managed)["outputs"]["stage"] == "lost"
    assert _lead_row(rig, "Acme Corp")[1] == "lost"


def test_step_errors_speak_the_workspace_language(rig_de: Rig) -> None:
    run = _run(rig_de, "record_outcome", lead="Hooli", outcome="gewonnen", requested_by=REP)
    assert _ended(rig_de, run)["error"] == "Einen Lead namens „Hooli“ gibt es nicht."


def test_erasing_the_lead_fails_the_step_waiting_for_it(rig: Rig) -> None:
    run = _run(rig, "qualify_lead", lead="Forget Me Inc", rep=REP, channel=CHANNEL)
    card_ts = _card(rig, CHANNEL)
    rig.reply(card_ts, HOT_BANT[0])
    asked = rig.sender.command("/lead", "erase Forget Me Inc", user_id=MANAGER, channel_id=CHANNEL)
    button = asked.json()["blocks"][-1]["elements"][0]
    rig.sender.block_action(
        "privacy_erase", button["value"], user_id=MANAGER, channel_id=CHANNEL, message_ts=None
    )
    ended = _ended(rig, run)
    assert ended["state"] == "failed"
    assert ended["error"].startswith("The lead was erased")
    assert "Forget Me" not in ended["error"]


def test_an_event_that_names_no_run_is_answered_and_does_nothing(rig: Rig) -> None:
    run = rig.standin.start_function("qualify_lead", {"lead": "Ghost Co", "rep": REP})
    assert rig.sender.function_executed({**run, "function_execution_id": ""}).status_code == 200
    time.sleep(0.3)
    assert _completions(rig) == [] and not rig.standin.messages(rig.standin.workspace.dm_for(REP))
