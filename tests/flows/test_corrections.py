"""Readings people chose: corrections, clarification choices, notes; and the phrasebook first."""

from __future__ import annotations

from flows.conversation import DONE, Engine
from flows.corrections import record_readings
from flows.model import Assessment, Framework, Status, Verdict
from flows.phrasebook import Phrase, Phrasebook
from flows.understanding import understand

MET = Assessment(status=Status.MET, evidence="chosen")
MISSING = Assessment(status=Status.MISSING, evidence="chosen")


def test_a_choice_for_the_question_asked_moves_on(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    result = record_readings(engine, conversation, {"budget": MET})
    assert (result.kind, result.state) == ("ask", "authority")
    assert conversation.answers["budget"] == MET
    assert conversation.history == ["budget"]
    assert result.recorded == ("budget", MET)


def test_a_correction_of_an_earlier_answer_stays_on_the_question(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "50k EUR approved")
    result = record_readings(engine, conversation, {"budget": MISSING})
    assert (result.kind, result.state) == ("ask", "authority")
    assert conversation.state == "authority"
    assert conversation.answers["budget"].status is Status.MISSING


def test_notes_about_later_questions_fill_them_and_keep_asking_this_one(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    result = record_readings(engine, conversation, {"need": MET, "timeline": MET})
    assert (result.kind, result.state) == ("ask", "budget")
    engine.step(conversation, "answer", "50k EUR approved")
    assert conversation.state == "authority"
    result = engine.step(conversation, "answer", "I am the CFO and I sign")
    assert result.kind == "verdict"


def test_a_correction_after_the_verdict_recomputes_it(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    for answer in ("50k EUR approved", "I am the CFO and I sign", "losing leads weekly", "6 weeks"):
        result = engine.step(conversation, "answer", answer)
    assert result.verdict is not None and result.verdict.verdict is Verdict.HOT
    result = record_readings(
        engine, conversation, {"need": Assessment(status=Status.MISSING, knockout=True)}
    )
    assert result.kind == "verdict" and conversation.state == DONE
    assert result.verdict is not None and result.verdict.verdict is not Verdict.HOT


def test_a_paused_conversation_takes_a_correction_and_stays_paused(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "50k EUR approved")
    engine.step(conversation, "pause")
    result = record_readings(engine, conversation, {"budget": MISSING})
    assert (result.kind, conversation.state) == ("paused", "paused")
    assert conversation.answers["budget"] == MISSING
    assert engine.step(conversation, "resume").state == "authority"


def test_cancelled_conversations_and_unknown_keys_refuse(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    assert record_readings(engine, conversation, {"nope": MET}).kind == "invalid"
    engine.step(conversation, "answer", "50k EUR approved")
    engine.step(conversation, "cancel")
    before = conversation.to_json()
    assert record_readings(engine, conversation, {"budget": MISSING}).kind == "invalid"
    assert conversation.to_json() == before


def test_the_phrasebook_is_read_before_the_rules(frameworks: dict[str, Framework]) -> None:
    budget = frameworks["bant"].criterion("budget")
    thresholds = frameworks["bant"].thresholds
    taught = Phrase("budget", "the usual q-end crunch", Status.PARTIAL, {"amount": 1.0})
    words = "The usual Q-end crunch"
    plain = understand(budget, words, lang="en", thresholds=thresholds)
    learned = understand(
        budget, words, lang="en", thresholds=thresholds, phrasebook=Phrasebook((taught,))
    )
    assert isinstance(learned, Assessment)
    assert (learned.status, learned.value, learned.evidence) == (
        Status.PARTIAL,
        {"amount": 1.0},
        words,
    )
    assert not (isinstance(plain, Assessment) and plain.value == {"amount": 1.0})


def test_the_engine_passes_the_phrasebook_to_the_reader(engine: Engine) -> None:
    book = Phrasebook((Phrase("budget", "the usual q-end crunch", Status.PARTIAL),))
    conversation, _ = engine.start("bant", lang="en")
    result = engine.step(conversation, "answer", "The usual Q-end crunch", phrasebook=book)
    assert result.recorded is not None
    assert result.recorded[1].status is Status.PARTIAL
