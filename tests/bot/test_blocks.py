"""Block Kit builders keep Slack's limits and never echo user text live."""

from __future__ import annotations

import json

from bot import blocks
from bot.rendering import TextBook
from flows.config import load_frameworks
from flows.model import Assessment, Stage, Status, Verdict, VerdictResult

HUGE = "<!channel> " + "x" * 5000


def _verdict(framework_key: str, evidence: str) -> VerdictResult:
    framework = load_frameworks()[framework_key]
    return VerdictResult(
        framework=framework_key,
        verdict=Verdict.HOT,
        score=88,
        stage=Stage.SQL,
        criteria={k: Assessment(Status.MET, None, evidence) for k in framework.keys},
        gaps=(),
        flip=(),
        fit_score=70,
    )


def _section_texts(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def test_verdict_message_stays_within_limits_and_names_the_bucket() -> None:
    t = TextBook()["en"]
    message = blocks.verdict_message(
        t, lead=HUGE, verdict=_verdict("gpctba_ci", HUGE), framework=load_frameworks()["gpctba_ci"]
    )
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS
    assert all(len(text) <= 3000 for text in _section_texts(message))
    assert " is hot" in message["text"]
    assert "<!channel>" not in json.dumps(message)


def test_question_buttons_carry_thread_and_criterion_within_value_limits() -> None:
    t = TextBook()["de"]
    bant = load_frameworks()["bant"]
    message = blocks.question_message(
        t, framework=bant, criterion=bant.criterion("budget"), thread_ts="1700000000.000100"
    )
    elements = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    values = [json.loads(e["value"]) for e in elements]
    assert all(v["t"] == "1700000000.000100" and v["c"] == "budget" for v in values)
    assert {e["action_id"] for e in elements} >= {"qa_skip", "qa_back", "qa_cancel"}
    assert "Budget freigegeben" in [v.get("a") for v in values]
    assert all(len(e["value"]) <= 2000 for e in elements)
    assert "Frage 1 von 4" in message["text"]


def test_clarification_re_asks_with_the_reason() -> None:
    t = TextBook()["en"]
    bant = load_frameworks()["bant"]
    message = blocks.question_message(
        t,
        framework=bant,
        criterion=bant.criterion("budget"),
        thread_ts="1.1",
        clarification=("no_amount", "<@U99> some"),
    )
    body = message["blocks"][0]["text"]["text"]
    assert "amount" in body and "&lt;@U99&gt;" in body


def test_alert_has_buttons_until_decided() -> None:
    t = TextBook()["en"]
    verdict = _verdict("bant", "fine")
    open_alert = blocks.alert_message(
        t, handoff_id=7, lead="Acme", verdict=verdict, rep_id="U1", framework=None
    )
    buttons = {e["action_id"]: e for e in open_alert["blocks"][-1]["elements"]}
    assert json.loads(buttons[blocks.REJECT_ACTION]["value"]) == {"h": 7}
    assert json.loads(buttons[blocks.ACCEPT_ACTION]["value"]) == {"h": 7}
    decided = blocks.alert_message(
        t,
        handoff_id=7,
        lead="Acme",
        verdict=verdict,
        rep_id="U1",
        framework=load_frameworks()["bant"],
        decided=t("alert_accepted", user="U2"),
    )
    assert "handoff_accept" not in json.dumps(decided)
    assert "<@U2>" in json.dumps(decided)


def test_reject_modal_fits_slack_limits() -> None:
    modal = blocks.reject_modal(TextBook()["de"], handoff_id=12345)
    assert modal["private_metadata"] == "12345"
    assert modal["callback_id"] == "reject_handoff"
    assert all(len(modal[k]["text"]) <= 24 for k in ("title", "submit", "close"))


def test_home_view_caps_its_blocks() -> None:
    t = TextBook()["en"]
    view = blocks.home_view(t, open_lines=["x"] * 500, hot_lines=["y"] * 500)
    assert len(view["blocks"]) <= blocks.MAX_VIEW_BLOCKS


def _card_lines(lang: str, *, answered: int, status: str) -> list[str]:
    """The card's texts below its title and meta line."""
    card = blocks.CardState(
        lead="Acme", framework_name="BANT", rep_id="U1", answered=answered, total=4, status=status
    )
    message = blocks.card_message(TextBook()[lang], card)
    return [
        block["text"]["text"] if block["type"] == "section" else block["elements"][0]["text"]
        for block in message["blocks"][2:]
    ]


def test_an_active_card_claims_no_running_count_and_a_paused_one_keeps_its_count() -> None:
    # Answers leave the card alone, so only what was true when it started or resumed is said.
    assert _card_lines("en", answered=0, status="active") == [
        "4 questions · the thread shows how far it got"
    ]
    assert _card_lines("en", answered=2, status="active") == [
        "4 questions · 2 already answered when it started or last resumed"
        " · the thread shows how far it got"
    ]
    assert _card_lines("de", answered=1, status="active") == [
        "4 Fragen · 1 davon schon vorher beantwortet · wie weit ihr seid, steht im Thread"
    ]
    paused = _card_lines("en", answered=3, status="paused")
    assert paused[-1] == "Progress: 3 of 4 questions answered" and "Paused" in paused[0]
    cancelled = _card_lines("de", answered=3, status="cancelled")
    assert cancelled[-1] == "3 von 4 Fragen beantwortet"
    assert "Abgebrochen" in cancelled[0]


def test_a_card_with_a_verdict_names_it_instead_of_a_count() -> None:
    card = blocks.CardState(
        lead="Acme",
        framework_name="BANT",
        rep_id="U1",
        answered=4,
        total=4,
        status="done",
        verdict=_verdict("bant", "fine"),
    )
    message = blocks.card_message(TextBook()["en"], card)
    text = json.dumps(message, ensure_ascii=False)
    assert "Verdict: *hot*" in text and "questions" not in text
    assert message["text"] == "Acme is hot (score 88/100)"
