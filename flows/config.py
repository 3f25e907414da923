"""The domain's sections of a team's config: its own frameworks, overrides, thresholds, ICP.

These are frozen pydantic models and hold only data. The file itself is read by the one loader
of the team config, :func:`bot.config.load_team_config`, whose ``TeamConfig`` extends
:class:`DomainConfig` with the sections the bot needs (people, routing, SLA, ...); ``flows``
only turns these sections into frameworks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from flows.model import Framework, Thresholds
from flows.schema import FrameworkError, builtin_frameworks_dir, load_framework_file


class Frozen(BaseModel):
    """Base of every section of the team config: immutable, unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(Frozen):
    """An inclusive numeric range; either end may be open."""

    min: Annotated[float, Field(ge=0)] | None = None
    max: Annotated[float, Field(ge=0)] | None = None

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the range (open ends always pass)."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Icp(Frozen):
    """The ideal customer profile: who fits, independent of buying intent."""

    industries: tuple[str, ...] = ()
    employees: Range | None = None
    regions: tuple[str, ...] = ()
    revenue: Range | None = None


class ThresholdOverride(Frozen):
    """Budget and timeline limits a team sets over a framework file's own."""

    min_budget: Annotated[float, Field(ge=0)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    timeline_met_days: Annotated[int, Field(gt=0)] | None = None
    timeline_partial_days: Annotated[int, Field(gt=0)] | None = None


class FrameworkOverride(Frozen):
    """Per-framework tuning from the team config."""

    weights: Mapping[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    thresholds: ThresholdOverride = Field(default_factory=ThresholdOverride)
    adaptive: bool | None = None


class DomainConfig(Frozen):
    """What ``flows`` needs from a team's config file.

    Relative framework paths are resolved against the folder given as ``base`` in the
    validation context (the config file's folder).
    """

    frameworks_dir: Path | None = None
    frameworks: tuple[Path, ...] = ()
    overrides: Mapping[str, FrameworkOverride] = Field(default_factory=dict)
    thresholds: ThresholdOverride = Field(default_factory=ThresholdOverride)
    icp: Icp | None = None

    @field_validator("frameworks_dir")
    @classmethod
    def _folder(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        folder = _resolve(value, info)
        if not folder.is_dir():
            raise ValueError(f"not a folder: {folder}")
        return folder

    @field_validator("frameworks")
    @classmethod
    def _files(cls, value: tuple[Path, ...], info: ValidationInfo) -> tuple[Path, ...]:
        return tuple(_resolve(item, info) for item in value)

    @property
    def framework_files(self) -> tuple[Path, ...]:
        """The team's own framework files: the folder's, then the listed ones."""
        found = sorted(self.frameworks_dir.glob("*.yaml")) if self.frameworks_dir else []
        return (*found, *self.frameworks)


def _resolve(path: Path, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base")
    return Path(base) / path if base is not None else path


def _apply(framework: Framework, config: DomainConfig, source: str) -> Framework:
    override = config.overrides.get(framework.key, FrameworkOverride())
    unknown = sorted(set(override.weights) - set(framework.keys))
    if unknown:
        raise FrameworkError(
            f"{source}: overrides.{framework.key}.weights: unknown criteria {', '.join(unknown)}"
        )
    # Team-wide thresholds beat the framework file; a framework override beats both.
    merged = {
        **config.thresholds.model_dump(exclude_none=True),
        **override.thresholds.model_dump(exclude_none=True),
    }
    thresholds: Thresholds = dataclasses.replace(framework.thresholds, **merged)
    criteria = tuple(
        dataclasses.replace(c, weight=float(override.weights[c.key]))
        if c.key in override.weights
        else c
        for c in framework.criteria
    )
    adaptive = framework.adaptive if override.adaptive is None else override.adaptive
    return dataclasses.replace(
        framework, criteria=criteria, thresholds=thresholds, adaptive=adaptive
    )


def load_frameworks(
    config: DomainConfig | None = None, *, source: str = "config"
) -> dict[str, Framework]:
    """Load the built-in frameworks plus a team's own, with the team's overrides applied.

    Args:
        config: The team configuration; ``None`` means built-ins with their defaults.
        source: The config file's name, for error messages.

    Returns:
        Frameworks by key, built-ins first; a team file with the same key replaces a built-in.

    Raises:
        FrameworkError: When any framework file or override is invalid.
    """
    config = config or DomainConfig()
    frameworks: dict[str, Framework] = {}
    for file in (*sorted(builtin_frameworks_dir().glob("*.yaml")), *config.framework_files):
        framework = load_framework_file(file)
        frameworks[framework.key] = framework
    unknown = sorted(set(config.overrides) - set(frameworks))
    if unknown:
        raise FrameworkError(f"{source}: overrides: unknown frameworks {', '.join(unknown)}")
    return {key: _apply(fw, config, source) for key, fw in frameworks.items()}
