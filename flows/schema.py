"""Validation of framework files into the frozen types of :mod:`flows.model`.

Framework files are data written by people; a mistake must be reported with the file and the
field so it can be fixed without reading code, e.g. ``bant.yaml: criteria[2].weight: must be > 0``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.model import (
    LANGUAGES,
    AnswerKind,
    Choice,
    Criterion,
    Framework,
    Status,
    Thresholds,
    name_form,
)

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class FrameworkError(ValueError):
    """A framework or team config file is invalid; the message names file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class LocalizedText(_Strict):
    """A text in every supported language."""

    en: NonEmpty
    de: NonEmpty


class AnswerSpec(_Strict):
    """One quick answer: its value, the status it stands for and its label per language."""

    value: NonEmpty
    status: Status
    en: NonEmpty
    de: NonEmpty


# Read defaults off an instance: on a slotted dataclass the class attributes are descriptors.
_DEFAULT_THRESHOLDS = Thresholds()


class ThresholdSpec(_Strict):
    """Budget and timeline limits of a framework file."""

    min_budget: float = Field(default=_DEFAULT_THRESHOLDS.min_budget, ge=0)
    currency: str = Field(default=_DEFAULT_THRESHOLDS.currency, pattern=r"^[A-Z]{3}$")
    timeline_met_days: int = Field(default=_DEFAULT_THRESHOLDS.timeline_met_days, gt=0)
    timeline_partial_days: int = Field(default=_DEFAULT_THRESHOLDS.timeline_partial_days, gt=0)

    def to_thresholds(self) -> Thresholds:
        """The frozen domain object."""
        return Thresholds(
            min_budget=self.min_budget,
            currency=self.currency,
            timeline_met_days=self.timeline_met_days,
            timeline_partial_days=self.timeline_partial_days,
        )


class CriterionSpec(_Strict):
    """One question of a framework file.

    ``name`` is what the bot calls the criterion in each language (default: its key, spaced);
    ``words`` are further names a rep may use in ``edit X`` / ``ändere X``.
    """

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    name: LocalizedText | None = None
    words: list[NonEmpty] = Field(default_factory=list)
    kind: AnswerKind
    question: LocalizedText
    help: LocalizedText
    weight: Annotated[float, Field(gt=0)]
    key_criterion: bool = False
    concept: Annotated[str, Field(pattern=KEY_PATTERN)] | None = None
    answers: Annotated[list[AnswerSpec], Field(min_length=2, max_length=5)]

    @field_validator("answers")
    @classmethod
    def _labels_unique(cls, answers: list[AnswerSpec]) -> list[AnswerSpec]:
        for lang in LANGUAGES:
            labels = [getattr(a, lang).casefold() for a in answers]
            if len(set(labels)) != len(labels):
                raise ValueError(f"quick answer labels must be unique per language ({lang})")
        return answers

    def to_criterion(self) -> Criterion:
        """The frozen domain object; quick answers become the criterion's choices."""
        choices = tuple(
            Choice(value=a.value, status=a.status, label={"en": a.en, "de": a.de})
            for a in self.answers
        )
        if self.name is None:
            shown = self.key.replace("_", " ").capitalize()
            name = {lang: shown for lang in LANGUAGES}
        else:
            name = {"en": self.name.en, "de": self.name.de}
        return Criterion(
            key=self.key,
            name=name,
            words=tuple(name_form(word) for word in self.words),
            kind=self.kind,
            question={"en": self.question.en, "de": self.question.de},
            help={"en": self.help.en, "de": self.help.de},
            quick_answers={
                lang: tuple(getattr(a, lang) for a in self.answers) for lang in LANGUAGES
            },
            weight=float(self.weight),
            key_criterion=self.key_criterion,
            choices=choices,
            concept=self.concept,
        )


class FrameworkSpec(_Strict):
    """A whole framework file."""

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    name: NonEmpty
    description: LocalizedText
    adaptive: bool = False
    thresholds: ThresholdSpec = Field(default_factory=ThresholdSpec)
    criteria: Annotated[list[CriterionSpec], Field(min_length=1, max_length=12)]

    @field_validator("criteria")
    @classmethod
    def _criteria_consistent(cls, criteria: list[CriterionSpec]) -> list[CriterionSpec]:
        keys = [c.key for c in criteria]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate criterion keys: {', '.join(duplicates)}")
        key_count = sum(c.key_criterion for c in criteria)
        if key_count != 1:
            raise ValueError(f"exactly one key_criterion required, found {key_count}")
        owners: dict[str, str] = {}
        for c in criteria:
            names = [c.key, *c.words, *((c.name.en, c.name.de) if c.name else ())]
            for form in {name_form(n) for n in names}:
                if owners.setdefault(form, c.key) != c.key:
                    raise ValueError(f"{form!r} names both {owners[form]} and {c.key}")
        return criteria

    def to_framework(self) -> Framework:
        """The frozen domain object."""
        return Framework(
            key=self.key,
            name=self.name,
            description={"en": self.description.en, "de": self.description.de},
            criteria=tuple(c.to_criterion() for c in self.criteria),
            thresholds=self.thresholds.to_thresholds(),
            adaptive=self.adaptive,
        )


def _location(loc: Sequence[int | str]) -> str:
    """Render a pydantic error location as ``criteria[2].weight``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(root)"


def _message(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type")
    # Short, familiar wording for the limits people hit most when editing by hand.
    if kind == "greater_than":
        return f"must be > {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx.get('ge')}"
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown field"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def format_validation_error(filename: str, exc: ValidationError) -> str:
    """Turn the first pydantic error into ``file: field.path: message``."""
    first = exc.errors()[0]
    return f"{filename}: {_location(first['loc'])}: {_message(first)}"


def read_yaml(path: Path) -> Any:
    """Read a YAML file, reporting syntax errors as :class:`FrameworkError`."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise FrameworkError(f"{path.name}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{path.name}: invalid YAML: {exc}") from exc


def parse_framework(data: Any, *, filename: str) -> Framework:
    """Validate already-loaded framework data.

    Args:
        data: The parsed YAML document.
        filename: Name used in error messages.

    Returns:
        The validated framework.

    Raises:
        FrameworkError: When a field is missing or invalid.
    """
    if not isinstance(data, dict):
        raise FrameworkError(f"{filename}: (root): must be a mapping")
    try:
        spec = FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(format_validation_error(filename, exc)) from exc
    stem = Path(filename).stem
    if stem != spec.key:
        raise FrameworkError(f"{filename}: key: must match the file name ({stem!r})")
    return spec.to_framework()


def load_framework_file(path: str | Path) -> Framework:
    """Load and validate one framework file.

    Args:
        path: A ``.yaml`` file following the framework schema.

    Returns:
        The validated framework.

    Raises:
        FrameworkError: When the file cannot be read or is invalid.
    """
    path = Path(path)
    return parse_framework(read_yaml(path), filename=path.name)


def builtin_frameworks_dir() -> Path:
    """The folder of the frameworks shipped with the package."""
    return Path(__file__).parent / "frameworks"
