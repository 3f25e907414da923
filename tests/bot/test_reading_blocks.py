"""Reading lines, their change controls, a conflicting answer's choices and the Home phrases."""

from __future__ import annotations

import json

from bot import blocks, reading_blocks
from bot.rendering import TextBook
from bot.services.turns import read_button_value
from flows.config import load_frameworks
from flows.model import Assessment, Status

BANT = load_frameworks()["bant"]
HOSTILE = "<!channel> " + "y" * 5000


def test_a_reading_line_names_value_words_and_status_and_offers_the_other_statuses() -> None:
    t = TextBook()["de"]
    reading = Assessment(
        Status.PARTIAL, {"amount": 40000.0, "currency": "EUR"}, "40.000 € eingeplant"
    )
    block = reading_blocks.reading_section(
        t, criterion=BANT.criterion("budget"), assessment=reading, thread_ts="1.2"
    )
    assert block["text"]["text"] == (
        ":eyes: *Budget:* 40.000 € · „40.000 € eingeplant“ · *teilweise erfüllt*"
    )
    select = block["accessory"]
    assert select["placeholder"]["text"] == "Ändern"
    values = [read_button_value(o["value"]) for o in select["options"]]
    assert values == [{"t": "1.2", "c": "budget", "s": s} for s in ("met", "missing", "unknown")]
    assert all(len(o["value"]) <= 150 and len(o["text"]["text"]) <= 75 for o in select["options"])


def test_hostile_words_stay_inert_and_within_limits() -> None:
    t = TextBook()["en"]
    message = reading_blocks.readings_message(
        t,
        framework=BANT,
        readings={"need": Assessment(Status.MET, HOSTILE, HOSTILE)},
        thread_ts="1.2",
        heading=t("notes_taken", count=1),
    )
    assert "<!channel>" not in json.dumps(message)
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if b.get("text"))


def test_a_conflicting_answer_offers_its_readings_likeliest_first() -> None:
    t = TextBook()["en"]
    readings = (
        Assessment(Status.PARTIAL, {"amount": 40000.0, "currency": "EUR"}, "40k, not signed"),
        Assessment(Status.MET, {"amount": 40000.0, "currency": "EUR"}, "40k, not signed"),
    )
    message = blocks.question_message(
        t,
        framework=BANT,
        criterion=BANT.criterion("budget"),
        thread_ts="1.2",
        clarification=("conflicting", "40k, not signed"),
        readings=readings,
    )
    assert "Which one did you mean?" in message["blocks"][0]["text"]["text"]
    choices = message["blocks"][1]
    assert choices["block_id"] == "reading_choices"
    labels = [e["text"]["text"] for e in choices["elements"]]
    assert labels == ["Partly met · €40,000", "Met · €40,000"]
    first = read_button_value(choices["elements"][0]["value"])
    assert first == {
        "t": "1.2",
        "c": "budget",
        "s": "partial",
        "v": {"amount": 40000.0, "currency": "EUR"},
        "e": "40k, not signed",
    }
    assert blocks.READING_CHOICE_ACTION.match(choices["elements"][1]["action_id"])


def test_a_choice_of_a_huge_answer_still_fits_in_its_button() -> None:
    value = blocks.reading_control_value(
        "1.2", "need", "met", Assessment(Status.MET, HOSTILE, HOSTILE)
    )
    assert len(value) <= 2000
    data = read_button_value(value)
    assert data["s"] == "met" and "v" not in data and HOSTILE.startswith(data["e"])


def test_a_bare_yes_to_how_much_gets_one_short_follow_up() -> None:
    t = TextBook()["en"]
    message = blocks.question_message(
        t,
        framework=BANT,
        criterion=BANT.criterion("budget"),
        thread_ts="1.2",
        clarification=("needs_value", "yes"),
    )
    assert message["text"] == "Roughly how much? _(Budget)_"
    assert message["blocks"][0]["text"]["text"] == message["text"]


def test_home_lists_learned_phrases_only_for_managers_and_keeps_the_block_limit() -> None:
    t = TextBook()["en"]
    plain = blocks.home_view(t, open_lines=["o"] * 40, hot_lines=["h"] * 40)
    assert "Learned phrases" not in json.dumps(plain)
    lines = [(n, f"phrase {n}") for n in range(200)]
    view = blocks.home_view(t, open_lines=["o"] * 40, hot_lines=["h"] * 40, phrase_lines=lines)
    assert len(view["blocks"]) <= blocks.MAX_VIEW_BLOCKS
    removes = [b["accessory"] for b in view["blocks"] if "accessory" in b]
    assert removes and all(a["action_id"] == blocks.PHRASE_REMOVE_ACTION for a in removes)
    assert read_button_value(removes[0]["value"]) == {"p": 0}
    empty = blocks.home_view(t, open_lines=[], hot_lines=[], phrase_lines=[])
    assert "Nothing learned yet" in json.dumps(empty)
