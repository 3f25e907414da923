"""Thread replies read as commands or answers, and ``/qualify`` text parsing."""

from __future__ import annotations

import pytest

from bot.services.qualify import parse_qualify
from bot.services.turns import Command, button_value, parse_thread_text, read_button_value

KEYS = ["bant", "meddic", "meddpicc", "champ", "anum", "gpctba_ci"]


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("skip", Command.SKIP),
        ("Überspringen", Command.SKIP),
        ("back", Command.BACK),
        ("zurück", Command.BACK),
        ("pause", Command.PAUSE),
        ("resume", Command.RESUME),
        ("weiter", Command.RESUME),
        ("cancel", Command.CANCEL),
        ("Abbrechen!", Command.CANCEL),
        ("help", Command.HELP),
        ("hilfe", Command.HELP),
    ],
)
def test_keywords_become_commands(text: str, command: Command) -> None:
    assert parse_thread_text(text) == (command, None)


@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        ("edit budget", "budget"),
        ("ändere Budget", "budget"),
        ("edit economic buyer", "economic_buyer"),
    ],
)
def test_edit_names_a_criterion(text: str, criterion: str) -> None:
    assert parse_thread_text(text) == (Command.EDIT, criterion)


def test_anything_else_is_an_answer_with_whitespace_collapsed() -> None:
    assert parse_thread_text("  about   50k EUR  ") == (Command.ANSWER, "about 50k EUR")
    assert parse_thread_text("skip the small talk")[0] is Command.ANSWER


def test_button_values_round_trip_and_garbage_is_empty() -> None:
    packed = button_value(t="1.2", c="budget", a="Budget approved")
    assert read_button_value(packed) == {"t": "1.2", "c": "budget", "a": "Budget approved"}
    assert read_button_value("not json") == {}
    assert read_button_value("[1]") == {}


def test_qualify_default_framework_is_bant() -> None:
    request = parse_qualify("Acme Corp", KEYS)
    assert (request.lead, request.framework) == ("Acme Corp", "bant")


def test_qualify_trailing_key_picks_the_framework_in_any_case() -> None:
    assert parse_qualify("Acme Corp MEDDIC", KEYS).framework == "meddic"
    assert parse_qualify("Acme Corp meddic", KEYS).lead == "Acme Corp"
    assert parse_qualify("Acme gpctba_ci", KEYS).framework == "gpctba_ci"


@pytest.mark.parametrize("text", ["Acme Corp medic", "Acme Corp framework:spin", "Acme [spin]"])
def test_qualify_misspelt_or_explicit_unknown_framework_is_reported(text: str) -> None:
    request = parse_qualify(text, KEYS)
    assert request.framework is None
    assert request.unknown_framework


def test_qualify_lone_word_is_a_lead_name_even_if_it_is_a_key() -> None:
    assert parse_qualify("bant", KEYS).lead == "bant"
    assert parse_qualify("", KEYS).lead == ""


@pytest.mark.parametrize(
    ("text", "lead", "framework", "notes"),
    [
        ("Acme Corp meddic\n- 40k approved\n- CFO", "Acme Corp", "meddic", "- 40k approved\n- CFO"),
        ("Acme Corp -- 40k approved. CFO signs.", "Acme Corp", "bant", "40k approved. CFO signs."),
        ("Acme Corp anum -- 40k approved\nCFO", "Acme Corp", "anum", "40k approved\nCFO"),
        ("Acme Corp\n", "Acme Corp", "bant", ""),
    ],
)  # fmt: skip
def test_qualify_notes_follow_on_the_next_lines_or_after_a_double_dash(
    text: str, lead: str, framework: str, notes: str
) -> None:
    request = parse_qualify(text, KEYS)
    assert (request.lead, request.framework, request.notes) == (lead, framework, notes)


def test_qualify_notes_without_a_lead_are_no_request() -> None:
    assert parse_qualify(" -- 40k approved", KEYS).lead == ""
