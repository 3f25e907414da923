"""``sdrbot evaluate`` as a user runs it: a subprocess reading JSON on stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOT = {
    "budget": "50k EUR approved",
    "authority": "I am the CFO and I sign",
    "need": "our CRM loses leads every week",
    "timeline": "within 6 weeks",
}


def _run(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "evaluate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_hot_bant() -> None:
    done = _run(["bant"], json.dumps(HOT))
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["verdict"] == "hot" and verdict["stage"] == "SQL"
    assert verdict["criteria"]["budget"]["value"] == {"amount": 50000.0, "currency": "EUR"}
    assert verdict["criteria"]["need"]["evidence"] == HOT["need"]
    assert verdict["gaps"] == []


def test_warm_when_the_timeline_is_years_away() -> None:
    done = _run(["bant"], json.dumps({**HOT, "timeline": "not before 2029"}))
    verdict = json.loads(done.stdout)
    assert verdict["verdict"] == "warm" and "timeline" in verdict["gaps"]


def test_german_and_unclassifiable_answers() -> None:
    answers = {"need": "Unser CRM verliert Leads", "budget": "lila Elefant"}
    done = _run(["bant", "--lang", "de"], json.dumps(answers))
    verdict = json.loads(done.stdout)
    assert verdict["criteria"]["need"]["status"] == "met"
    budget = verdict["criteria"]["budget"]
    assert {k: budget[k] for k in ("status", "value", "evidence")} == {
        "status": "unknown",
        "value": None,
        "evidence": "lila Elefant",
    }
    assert verdict["verdict"] == "cold"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["nope"], "{}", "unknown framework 'nope'"),
        (["bant"], "{not json", "invalid JSON"),
        (["bant"], "[1, 2]", "expected a JSON object"),
        (["bant"], '{"colour": "red"}', "unknown criterion 'colour'"),
        (["bant"], '{"budget": 50000}', "must be a string"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], stdin: str, message: str) -> None:
    done = _run(args, stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr and done.stderr.count("\n") == 1


def test_explain_prints_span_and_confidence_per_criterion() -> None:
    answers = {**HOT, "authority": "Head of IT, the CFO signs"}
    done = _run(["bant", "--explain"], json.dumps(answers))
    assert done.returncode == 0, done.stderr
    first, *lines = done.stdout.splitlines()
    verdict = json.loads(first)
    assert verdict["criteria"]["budget"]["span"] == "50k EUR approved"
    assert 0 < verdict["criteria"]["budget"]["confidence"] <= 1
    explained = {line.split(":", 1)[0]: line for line in lines}
    assert set(explained) == {"budget", "authority", "need", "timeline"}
    assert "partial" in explained["authority"] and "attributed" in explained["authority"]
    assert '"the CFO signs"' in explained["authority"] and "confidence" in explained["authority"]


def test_deeply_nested_input_is_one_line_not_a_traceback() -> None:
    done = _run(["bant"], "[" * 100_000 + "]" * 100_000)
    assert done.returncode == 2 and done.stdout == ""
    assert "nested too deeply" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
