"""The conversation machine: every command from every state, persistence, carry-over, threads."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from flows.conversation import (
    CANCELLED,
    DONE,
    PAUSED,
    Conversation,
    Engine,
    StepKind,
    carry_over,
)
from flows.model import Assessment, Framework, Status, Verdict

HOT_ANSWERS = {
    "budget": "50k EUR approved",
    "authority": "I am the CFO and I sign",
    "need": "our CRM loses leads every week",
    "timeline": "within 6 weeks",
}
QUESTIONS = ["budget", "authority", "need", "timeline"]


def _reach(engine: Engine, state: str) -> Conversation:
    conversation, _ = engine.start("bant", lang="en")
    for key in QUESTIONS:
        if conversation.state == state:
            return conversation
        engine.step(conversation, "answer", HOT_ANSWERS[key])
    if state == DONE:
        return conversation
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", HOT_ANSWERS["budget"])
    engine.step(conversation, "pause" if state == PAUSED else "cancel")
    assert conversation.state == state
    return conversation


ALL_STATES = [*QUESTIONS, DONE, PAUSED, CANCELLED]
# (command, text) -> expected kind per state, "invalid:<reason>" for refusals; answers are
# fitting ones for the question asked.
EXPECTED = {
    ("answer", None): {
        "budget": "ask", "authority": "ask", "need": "ask", "timeline": "verdict",
        DONE: "invalid:finished", PAUSED: "invalid:paused", CANCELLED: "invalid:cancelled",
    },
    ("skip", None): {
        "budget": "ask", "authority": "ask", "need": "ask", "timeline": "verdict",
        DONE: "invalid:finished", PAUSED: "invalid:paused", CANCELLED: "invalid:cancelled",
    },
    ("back", None): {
        "budget": "invalid:no_previous", "authority": "ask", "need": "ask", "timeline": "ask",
        DONE: "ask", PAUSED: "invalid:paused", CANCELLED: "invalid:cancelled",
    },
    ("edit", "need"): {
        "budget": "ask", "authority": "ask", "need": "ask", "timeline": "ask",
        DONE: "ask", PAUSED: "invalid:paused", CANCELLED: "invalid:cancelled",
    },
    ("pause", None): {
        "budget": "paused", "authority": "paused", "need": "paused", "timeline": "paused",
        DONE: "invalid:finished", PAUSED: "invalid:paused", CANCELLED: "invalid:cancelled",
    },
    ("resume", None): {
        "budget": "invalid:not_paused", "authority": "invalid:not_paused",
        "need": "invalid:not_paused", "timeline": "invalid:not_paused",
        DONE: "invalid:not_paused", PAUSED: "resumed", CANCELLED: "invalid:cancelled",
    },
    ("cancel", None): {
        "budget": "cancelled", "authority": "cancelled", "need": "cancelled",
        "timeline": "cancelled", DONE: "invalid:finished", PAUSED: "cancelled",
        CANCELLED: "invalid:cancelled",
    },
}  # fmt: skip


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("command", sorted(EXPECTED))
def test_every_command_from_every_state(
    engine: Engine, state: str, command: tuple[str, str | None]
) -> None:
    conversation = _reach(engine, state)
    before = conversation.to_json()
    text = command[1]
    if command[0] == "answer":
        text = HOT_ANSWERS.get(state, "yes")
    result = engine.step(conversation, command[0], text)
    expected = EXPECTED[command][state]
    kind, _, reason = expected.partition(":")
    assert result.kind == kind
    if kind == "invalid":
        assert result.reason == reason
        assert conversation.to_json() == before
    else:
        assert result.state == conversation.state


def test_hot_qualification_end_to_end(engine: Engine) -> None:
    conversation, first = engine.start("bant", lang="en")
    assert first.kind is StepKind.ASK and first.criterion and first.criterion.key == "budget"
    for key in QUESTIONS:
        result = engine.step(conversation, "answer", HOT_ANSWERS[key])
        assert result.recorded is not None and result.recorded[0] == key
    assert result.kind is StepKind.VERDICT and result.verdict is not None
    assert result.verdict.verdict is Verdict.HOT
    assert conversation.state == DONE
    assert conversation.history == QUESTIONS


def test_unclear_answer_reasks_without_recording(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="de")
    result = engine.step(conversation, "answer", "hmm")
    assert result.kind is StepKind.CLARIFY and result.clarification is not None
    assert result.clarification.reason == "no_amount"
    assert conversation.state == "budget" and conversation.clarifying == "no_amount"
    assert conversation.answers == {}
    engine.step(conversation, "answer", "30 Tsd. Euro")
    assert conversation.clarifying is None and conversation.state == "authority"


def test_skip_records_unknown_with_empty_evidence(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    result = engine.step(conversation, "skip")
    assert result.recorded == ("budget", Assessment(status=Status.UNKNOWN, evidence=""))


def test_back_then_answer_returns_to_the_open_question(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", HOT_ANSWERS["budget"])
    engine.step(conversation, "answer", HOT_ANSWERS["authority"])
    assert engine.step(conversation, "back").criterion.key == "authority"  # type: ignore[union-attr]
    assert engine.step(conversation, "back").criterion.key == "budget"  # type: ignore[union-attr]
    result = engine.step(conversation, "answer", "no budget")
    assert result.criterion is not None and result.criterion.key == "need"
    assert conversation.answers["budget"].status is Status.MISSING


def test_edit_after_verdict_gives_a_new_verdict(engine: Engine) -> None:
    conversation = _reach(engine, DONE)
    assert engine.verdict(conversation).verdict is Verdict.HOT
    engine.step(conversation, "edit", "timeline")
    result = engine.step(conversation, "answer", "maybe next year")
    assert result.kind is StepKind.VERDICT and result.verdict is not None
    assert result.verdict.verdict is Verdict.WARM and "timeline" in result.verdict.gaps


@pytest.mark.parametrize(
    ("framework", "name", "key"),
    [
        ("bant", "Budget", "budget"),
        ("bant", "Zeitrahmen", "timeline"),
        ("bant", "bedarf", "need"),
        ("champ", "Geld", "money"),
        ("meddic", "pain", "identify_pain"),
        ("meddic", "decision process", "decision_process"),
        ("meddpicc", "Konkurrenz", "competition"),
    ],
)
def test_edit_understands_criterion_names(
    engine: Engine, framework: str, name: str, key: str
) -> None:
    conversation, _ = engine.start(framework, lang="de")
    result = engine.step(conversation, "edit", name)
    assert result.kind is StepKind.ASK and result.criterion is not None
    assert result.criterion.key == key and conversation.state == key


def test_edit_unknown_criterion_is_invalid(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    result = engine.step(conversation, "edit", "colour")
    assert result.kind is StepKind.INVALID and result.reason == "unknown_criterion"


def test_pause_and_resume_return_to_the_same_question(engine: Engine) -> None:
    conversation = _reach(engine, "need")
    assert engine.step(conversation, "pause").kind is StepKind.PAUSED
    assert conversation.paused_from == "need"
    result = engine.step(conversation, "resume")
    assert result.kind is StepKind.RESUMED and result.criterion is not None
    assert result.criterion.key == "need" and conversation.paused_from is None


def test_unknown_command_and_framework(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    assert engine.step(conversation, "dance").reason == "unknown_command"
    with pytest.raises(KeyError, match="nope"):
        engine.start("nope", lang="en")


def test_json_round_trip_at_every_step(engine: Engine) -> None:
    conversation, _ = engine.start("meddpicc", lang="en")
    for text in ["cut churn by 20%", "hmm", "the CFO signs", "back", "pause", "resume"]:
        command = text if text in {"back", "pause", "resume"} else "answer"
        engine.step(conversation, command, text)
        restored = Conversation.from_json(json.loads(json.dumps(conversation.to_json())))
        assert restored == conversation
        assert set(vars(conversation)) == {f.name for f in dataclasses.fields(Conversation)}


def test_machine_keeps_no_conversation_attached(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "50k")
    machine, _ = engine._machines["bant"]
    assert machine.models == []


def test_carry_over_from_bant_to_meddic_prefills_and_skips(
    engine: Engine, frameworks: dict[str, Framework]
) -> None:
    bant_conversation = _reach(engine, DONE)
    carried = carry_over(bant_conversation.answers, frameworks["bant"], frameworks["meddic"])
    assert set(carried) == {"economic_buyer", "identify_pain"}
    assert carried["economic_buyer"] == bant_conversation.answers["authority"]
    conversation, first = engine.start("meddic", lang="en", prefill=carried)
    assert first.criterion is not None and first.criterion.key == "metrics"
    asked = [first.criterion.key]
    while True:
        result = engine.step(conversation, "answer", "yes")
        if result.kind is StepKind.VERDICT:
            break
        assert result.criterion is not None
        asked.append(result.criterion.key)
    assert "economic_buyer" not in asked and "identify_pain" not in asked
    assert conversation.prefilled == ["economic_buyer", "identify_pain"]


def test_unknown_answers_are_not_carried(frameworks: dict[str, Framework]) -> None:
    carried = carry_over(
        {"budget": Assessment(status=Status.UNKNOWN)}, frameworks["bant"], frameworks["champ"]
    )
    assert carried == {}


def test_fully_prefilled_start_gives_the_verdict(engine: Engine) -> None:
    prefill = {k: Assessment(status=Status.MET) for k in QUESTIONS}
    conversation, result = engine.start("bant", lang="en", prefill=prefill)
    assert result.kind is StepKind.VERDICT and conversation.state == DONE


def test_adaptive_order_asks_the_most_decisive_first(frameworks: dict[str, Framework]) -> None:
    adaptive = {"bant": dataclasses.replace(frameworks["bant"], adaptive=True)}
    engine = Engine(adaptive)
    _, first = engine.start("bant", lang="en")
    assert first.criterion is not None and first.criterion.key == "need"
    conversation, _ = engine.start(
        "bant", lang="en", prefill={"need": Assessment(status=Status.MET)}
    )
    assert conversation.state == "budget"  # ties fall back to framework order


def test_engine_is_safe_to_share_between_threads(engine: Engine) -> None:
    def run(i: int) -> Verdict:
        conversation, _ = engine.start("bant", lang="en")
        for key in QUESTIONS:
            text = "no budget" if (i % 2 and key == "budget") else HOT_ANSWERS[key]
            result = engine.step(conversation, "answer", text)
        assert result.verdict is not None
        return result.verdict.verdict

    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(run, range(64)))
    assert verdicts == [Verdict.WARM if i % 2 else Verdict.HOT for i in range(64)]


def test_bare_yes_asks_for_the_value_and_a_skip_records_partial(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    result = engine.step(conversation, "answer", "yes")
    assert result.kind is StepKind.CLARIFY and result.clarification is not None
    assert result.clarification.reason == "needs_value"
    assert conversation.answers == {} and conversation.pending is not None
    # The pending reading survives storage as JSON.
    restored = Conversation.from_json(json.loads(json.dumps(conversation.to_json())))
    assert restored.pending == conversation.pending
    skipped = engine.step(restored, "skip")
    assert skipped.recorded is not None
    key, assessment = skipped.recorded
    assert key == "budget" and assessment.status is Status.PARTIAL
    assert assessment.evidence == "yes" and restored.pending is None


def test_the_value_is_asked_for_once(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "yes")
    again = engine.step(conversation, "answer", "yep")
    assert again.recorded is not None and again.recorded[1].status is Status.PARTIAL
    assert conversation.state == "authority"


def test_a_value_after_the_bare_yes_is_read_as_usual(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "ja")
    result = engine.step(conversation, "answer", "50k approved")
    assert result.recorded is not None and result.recorded[1].status is Status.MET
    assert conversation.pending is None and conversation.clarifying is None


def test_conversations_stored_before_pending_readings_load(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    stored = conversation.to_json()
    del stored["pending"]
    for answer in stored["answers"].values():
        for new_key in ("span", "confidence", "notes"):
            answer.pop(new_key, None)
    restored = Conversation.from_json(stored)
    assert restored.pending is None
    old = Assessment.from_json({"status": "met", "value": None, "evidence": "yes"})
    assert old.span == "" and old.confidence == 1.0 and old.notes == ()


def test_signing_limit_is_compared_with_the_budget_answer(engine: Engine) -> None:
    conversation, _ = engine.start("bant", lang="en")
    engine.step(conversation, "answer", "40k approved")
    result = engine.step(conversation, "answer", "she can sign anything up to 25k")
    assert result.recorded is not None
    assert result.recorded[1].status is Status.PARTIAL
    assert "above_signing_limit" in result.recorded[1].notes


def test_the_phrasebook_is_read_before_the_rules(engine: Engine) -> None:
    from flows.phrasebook import Phrase, Phrasebook

    book = Phrasebook((Phrase(topic="budget", text="po is raised", status=Status.MET),))
    conversation, _ = engine.start("bant", lang="en")
    result = engine.step(conversation, "answer", "The PO is raised!", phrasebook=book)
    assert result.recorded is not None
    assessment = result.recorded[1]
    assert assessment.status is Status.MET and assessment.notes == ("learned",)
    assert assessment.span == "PO is raised" and assessment.confidence == 1.0
