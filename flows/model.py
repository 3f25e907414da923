"""Typed objects of the qualification domain, shared by every layer.

Everything here is plain data: frozen dataclasses and string enums that serialise to JSON
without help, so storage can keep them and the bot can render them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LANGUAGES = ("en", "de")

Localized = Mapping[str, str]
"""Text per language code, e.g. ``{"en": "...", "de": "..."}``."""


def name_form(text: str) -> str:
    """How a criterion's name, key or word is compared: ``Economic buyer`` -> ``economic_buyer``."""
    return text.strip().casefold().replace(" ", "_").replace("-", "_")


class AnswerKind(StrEnum):
    YESNO = "yesno"
    AMOUNT = "amount"
    TIMEFRAME = "timeframe"
    ROLE = "role"
    CHOICE = "choice"
    TEXT = "text"


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


class Stage(StrEnum):
    SQL = "SQL"
    MQL = "MQL"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a ``choice`` question and the status it gives."""

    value: str
    status: Status
    label: Localized


@dataclass(frozen=True, slots=True)
class Criterion:
    """One question of a framework."""

    key: str
    kind: AnswerKind
    question: Localized
    help: Localized
    quick_answers: Mapping[str, tuple[str, ...]]
    weight: float
    key_criterion: bool = False
    choices: tuple[Choice, ...] = ()
    concept: str | None = None
    """Shared concept (``budget``, ``authority``, ``need``, ``timeline``) for carry-over."""
    name: Localized = field(default_factory=dict)
    """What the bot calls the criterion, per language."""
    words: tuple[str, ...] = ()
    """Further names for ``edit X`` (compared as lower case with ``_`` for spaces)."""

    def title(self, lang: str) -> str:
        """The criterion's name in ``lang`` (English, or the spaced key, when it has none)."""
        return self.name.get(lang) or self.name.get("en") or self.key.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Team-tunable limits that turn values into statuses."""

    min_budget: float = 10_000.0
    currency: str = "EUR"
    timeline_met_days: int = 90
    timeline_partial_days: int = 365


@dataclass(frozen=True, slots=True)
class Framework:
    key: str
    name: str
    description: Localized
    criteria: tuple[Criterion, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    adaptive: bool = False

    def criterion(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def key_criterion(self) -> Criterion:
        return next(c for c in self.criteria if c.key_criterion)


def criterion_title(framework: Framework | None, key: str, lang: str) -> str:
    """The name of criterion ``key`` in ``lang``; its spaced key when the framework lacks it.

    Stored verdicts outlive frameworks: a team may drop a framework file or a criterion.
    """
    if framework is not None and key in framework.keys:
        return framework.criterion(key).title(lang)
    return key.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Assessment:
    """What one answer says about one criterion.

    ``value`` is JSON-able: a number of EUR for amounts, an ISO date or a number of days for
    timeframes, a role word, a choice value, or the plain text.
    """

    status: Status
    value: Any = None
    evidence: str = ""
    knockout: bool = False
    span: str = ""
    """The words of the answer that decided the reading, verbatim."""
    confidence: float = 1.0
    """How sure the reader is, 0..1."""
    notes: tuple[str, ...] = ()
    """Machine codes of what shaped the reading (``negated``, ``hedged``, ``knockout:...``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "value": self.value,
            "evidence": self.evidence,
            "knockout": self.knockout,
            "span": self.span,
            "confidence": self.confidence,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Assessment:
        # Answers stored before span, confidence and notes existed load with the defaults.
        return cls(
            status=Status(data["status"]),
            value=data.get("value"),
            evidence=data.get("evidence", ""),
            knockout=bool(data.get("knockout", False)),
            span=data.get("span", ""),
            confidence=float(data.get("confidence", 1.0)),
            notes=tuple(data.get("notes", ())),
        )


@dataclass(frozen=True, slots=True)
class Clarification:
    """The engine could not classify an answer: ask again, with quick answers."""

    criterion: str
    reason: str
    """Machine code of why, e.g. ``no_amount``, ``ambiguous_yesno``; templates word it."""
    quick_answers: tuple[str, ...]
    evidence: str = ""
    readings: tuple[Assessment, ...] = ()
    """Likely readings, likeliest first: the provisional reading for ``needs_value``, the
    competing ones for ``conflicting`` (offered as buttons)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One machine-readable reason of a verdict; templates word it."""

    code: str
    criterion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "criterion": self.criterion}


@dataclass(frozen=True, slots=True)
class VerdictResult:
    framework: str
    verdict: Verdict
    score: int
    stage: Stage
    criteria: Mapping[str, Assessment]
    gaps: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()
    flip: tuple[str, ...] = ()
    """Fewest criteria whose improvement would raise the verdict one bucket; for a hot lead
    (``flip_to`` is ``None``) the partial criteria to firm up."""
    flip_to: Verdict | None = None
    fit_score: int | None = None
    disqualified_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "verdict": self.verdict.value,
            "score": self.score,
            "stage": self.stage.value,
            "criteria": {
                key: {
                    "status": a.status.value,
                    "value": a.value,
                    "evidence": a.evidence,
                    "span": a.span,
                    "confidence": a.confidence,
                }
                for key, a in self.criteria.items()
            },
            "gaps": list(self.gaps),
            "reasons": [r.to_json() for r in self.reasons],
            "flip": {
                "to": self.flip_to.value if self.flip_to else None,
                "criteria": list(self.flip),
            },
            "fit_score": self.fit_score,
            "disqualified_by": self.disqualified_by,
        }
