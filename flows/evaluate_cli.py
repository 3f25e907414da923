"""``sdrbot evaluate FRAMEWORK``: a verdict for answers given as JSON on stdin."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import IO

from flows.config import load_frameworks
from flows.model import AnswerKind, Assessment, Status, VerdictResult
from flows.schema import FrameworkError
from flows.scoring import evaluate
from flows.understanding import understand

EXIT_USAGE = 2


class _InputError(ValueError):
    pass


def _read_answers(stdin: IO[str], keys: tuple[str, ...]) -> dict[str, str]:
    try:
        data = json.loads(stdin.read())
    except json.JSONDecodeError as exc:
        raise _InputError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:
        # "[[[[...]]]]" a hundred thousand deep exhausts the parser's stack.
        raise _InputError("invalid JSON: nested too deeply") from exc
    if not isinstance(data, dict):
        raise _InputError("expected a JSON object of criterion -> answer text")
    for key, value in data.items():
        if key not in keys:
            raise _InputError(f"unknown criterion {key!r}; expected one of {', '.join(keys)}")
        if not isinstance(value, str):
            raise _InputError(f"answer for {key!r} must be a string")
    return data


def _explain(verdict: VerdictResult, stdout: IO[str]) -> None:
    for key, a in verdict.criteria.items():
        notes = f" [{', '.join(a.notes)}]" if a.notes else ""
        stdout.write(
            f"{key}: {a.status.value} (confidence {a.confidence:.2f}){notes}"
            f" span: {json.dumps(a.span, ensure_ascii=False)}\n"
        )


def run_evaluate(
    framework: str,
    *,
    lang: str,
    stdin: IO[str],
    stdout: IO[str],
    today: date | None = None,
    explain: bool = False,
) -> int:
    """Understand each answer, evaluate the framework and print the verdict as JSON.

    An answer the rules cannot classify counts as unknown, with the words kept as evidence.
    Money answers are read first, so a signing limit in the authority answer is compared with
    the deal's amount.

    Args:
        framework: Framework key, e.g. ``bant``.
        lang: ``en`` or ``de``.
        stdin: Where the ``{"criterion": "answer text"}`` JSON comes from.
        stdout: Where the verdict JSON goes.
        today: Reference day for timeframes; defaults to the current date.
        explain: After the JSON, print one line per criterion with its status, confidence,
            notes and the words that decided it.

    Returns:
        0 on success, 2 for a bad framework name or bad input (one line on stderr).
    """
    try:
        frameworks = load_frameworks()
    except FrameworkError as exc:
        print(f"sdrbot evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    chosen = frameworks.get(framework)
    if chosen is None:
        known = ", ".join(sorted(frameworks))
        print(f"sdrbot evaluate: unknown framework {framework!r}; known: {known}", file=sys.stderr)
        return EXIT_USAGE
    try:
        texts = _read_answers(stdin, chosen.keys)
    except _InputError as exc:
        print(f"sdrbot evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    day = today or date.today()
    answers: dict[str, Assessment] = {}
    money_first = sorted(texts, key=lambda k: chosen.criterion(k).kind is not AnswerKind.AMOUNT)
    for key in money_first:
        text = texts[key]
        result = understand(
            chosen.criterion(key),
            text,
            lang=lang,
            thresholds=chosen.thresholds,
            today=day,
            known=answers,
        )
        answers[key] = (
            result
            if isinstance(result, Assessment)
            else Assessment(status=Status.UNKNOWN, evidence=text.strip())
        )
    ordered = {k: answers[k] for k in texts}
    verdict = evaluate(chosen, ordered)
    stdout.write(json.dumps(verdict.to_json()) + "\n")
    if explain:
        _explain(verdict, stdout)
    return 0
