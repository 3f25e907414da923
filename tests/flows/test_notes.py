"""Pasted call notes: sentences go to the criteria they are about, only clear readings count."""

from __future__ import annotations

from datetime import date

import pytest

from flows.model import Framework, Status
from flows.notes import read_notes, split_sentences, topics_of
from flows.phrasebook import Phrase, Phrasebook

TODAY = date(2026, 12, 1)


def _read(framework: Framework, text: str, lang: str = "en", **kwargs: object) -> dict:
    return read_notes(
        framework, text, lang=lang, thresholds=framework.thresholds, today=TODAY, **kwargs
    )


def test_sentences_split_on_lines_bullets_and_ends_but_not_on_dates_or_abbreviations() -> None:
    text = "Intro call.\n- 40k approved; CFO signs\n• Start am 15. März, z.B. mit Team A. Done!"
    assert split_sentences(text) == [
        "Intro call.",
        "40k approved",
        "CFO signs",
        "Start am 15. März, z.B. mit Team A.",
        "Done!",
    ]


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        ("They have 40k EUR set aside", "budget"),
        ("Das Budget von 50.000 € ist freigegeben", "budget"),
        ("Jane is the CFO and signs", "authority"),
        ("Der Geschäftsführer unterschreibt", "authority"),
        ("They lose leads every week", "need"),
        ("Großes Problem mit manueller Pflege", "need"),
        ("Go-live planned for March", "timeline"),
        ("Start nach Ostern", "timeline"),
    ],
)
def test_topic_words_in_both_languages(sentence: str, topic: str) -> None:
    assert topics_of(sentence) == {topic}


def test_a_sentence_with_no_topic_words_goes_nowhere() -> None:
    assert topics_of("Nice chat with Jane, she has two dogs") == set()


def test_english_notes_fill_what_they_settle_and_keep_each_sentence(
    frameworks: dict[str, Framework],
) -> None:
    bant = frameworks["bant"]
    notes = (
        "Call with Jane from Acme.\n"
        "- They have 40k EUR approved for this.\n"
        "- Jane is the CFO and signs.\n"
        "- They lose leads every week because the CRM is a mess."
    )
    found = _read(bant, notes)
    assert list(found) == ["budget", "authority", "need"]
    assert found["budget"].status is Status.MET
    assert found["budget"].value == {"amount": 40000.0, "currency": "EUR"}
    assert found["budget"].evidence == "They have 40k EUR approved for this."
    assert found["authority"].evidence == "Jane is the CFO and signs."
    assert found["need"].status is Status.MET


def test_german_notes(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    notes = "Budget: 50.000 € freigegeben. Der Geschäftsführer unterschreibt selbst."
    found = _read(bant, notes, lang="de")
    assert {key: a.status for key, a in found.items()} == {
        "budget": Status.MET,
        "authority": Status.MET,
    }


def test_unclear_and_unknown_sentences_are_left_to_be_asked(
    frameworks: dict[str, Framework],
) -> None:
    bant = frameworks["bant"]
    found = _read(bant, "Budget: no idea yet. Timeline is fuzzy, somewhere around the goal.")
    assert "budget" not in found
    assert "timeline" not in found


def test_two_sentences_that_disagree_leave_the_criterion_open(
    frameworks: dict[str, Framework],
) -> None:
    bant = frameworks["bant"]
    found = _read(bant, "They have 40k EUR approved. Later: there is no budget at all.")
    assert "budget" not in found


def test_notes_read_the_workspace_phrasebook_first(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    book = Phrasebook((Phrase("budget", "the usual q-end crunch", Status.PARTIAL),))
    notes = "The usual Q-end crunch. Nice call."
    assert _read(bant, notes, phrasebook=book)["budget"].status is Status.PARTIAL
    assert "budget" not in _read(bant, notes)


def test_notes_use_the_framework_criteria_of_the_concept(frameworks: dict[str, Framework]) -> None:
    anum = frameworks["anum"]
    found = _read(anum, "Budget of 60k EUR approved. The VP decides alone.")
    assert found["money"].status is Status.MET
    assert found["authority"].status is Status.MET
