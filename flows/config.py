"""A team's configuration as far as the domain cares: frameworks, overrides, thresholds, ICP.

The team config file is YAML. ``flows`` reads only ``frameworks_dir`` / ``frameworks``,
``overrides``, ``thresholds`` and ``icp``; other sections (people, routing, SLAs...) belong to
the bot and are ignored here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.model import Framework, Thresholds
from flows.schema import (
    FrameworkError,
    builtin_frameworks_dir,
    format_validation_error,
    load_framework_file,
    read_yaml,
)


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive numeric range; either end may be open."""

    min: float | None = None
    max: float | None = None

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the range (open ends always pass)."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True, slots=True)
class Icp:
    """The ideal customer profile: who fits, independent of buying intent."""

    industries: tuple[str, ...] = ()
    employees: Range | None = None
    regions: tuple[str, ...] = ()
    revenue: Range | None = None


@dataclass(frozen=True, slots=True)
class FrameworkOverride:
    """Per-framework tuning from the team config."""

    weights: Mapping[str, float] = field(default_factory=dict)
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    adaptive: bool | None = None


@dataclass(frozen=True, slots=True)
class TeamConfig:
    """What ``flows`` needs from a team's config file."""

    source: Path | None = None
    framework_files: tuple[Path, ...] = ()
    overrides: Mapping[str, FrameworkOverride] = field(default_factory=dict)
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    icp: Icp | None = None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _RangeSpec(_Strict):
    min: Annotated[float, Field(ge=0)] | None = None
    max: Annotated[float, Field(ge=0)] | None = None


class _IcpSpec(_Strict):
    industries: list[str] = Field(default_factory=list)
    employees: _RangeSpec | None = None
    regions: list[str] = Field(default_factory=list)
    revenue: _RangeSpec | None = None


class _ThresholdOverride(_Strict):
    min_budget: Annotated[float, Field(ge=0)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    timeline_met_days: Annotated[int, Field(gt=0)] | None = None
    timeline_partial_days: Annotated[int, Field(gt=0)] | None = None


class _OverrideSpec(_Strict):
    weights: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    thresholds: _ThresholdOverride = Field(default_factory=_ThresholdOverride)
    adaptive: bool | None = None


class _TeamSpec(BaseModel):
    # Unknown top-level sections are other layers' business, so they are allowed here.
    model_config = ConfigDict(extra="ignore")

    frameworks_dir: str | None = None
    frameworks: list[str] = Field(default_factory=list)
    overrides: dict[str, _OverrideSpec] = Field(default_factory=dict)
    thresholds: _ThresholdOverride = Field(default_factory=_ThresholdOverride)
    icp: _IcpSpec | None = None


def _range(spec: _RangeSpec | None) -> Range | None:
    return None if spec is None else Range(min=spec.min, max=spec.max)


def load_team_config(path: str | Path | None) -> TeamConfig:
    """Read a team config file.

    Args:
        path: The YAML file, or ``None`` for the defaults (built-in frameworks, no ICP).

    Returns:
        The parsed configuration; relative framework paths resolve against the file's folder.

    Raises:
        FrameworkError: When the file is unreadable or a field is invalid (message names both).
    """
    if path is None:
        return TeamConfig()
    path = Path(path)
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise FrameworkError(f"{path.name}: (root): must be a mapping")
    try:
        spec = _TeamSpec.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(format_validation_error(path.name, exc)) from exc

    base = path.parent
    files: list[Path] = []
    if spec.frameworks_dir:
        folder = base / spec.frameworks_dir
        if not folder.is_dir():
            raise FrameworkError(f"{path.name}: frameworks_dir: not a folder: {folder}")
        files.extend(sorted(folder.glob("*.yaml")))
    files.extend(base / item for item in spec.frameworks)

    icp = None
    if spec.icp is not None:
        icp = Icp(
            industries=tuple(spec.icp.industries),
            employees=_range(spec.icp.employees),
            regions=tuple(spec.icp.regions),
            revenue=_range(spec.icp.revenue),
        )
    overrides = {
        key: FrameworkOverride(
            weights=dict(o.weights),
            thresholds=o.thresholds.model_dump(exclude_none=True),
            adaptive=o.adaptive,
        )
        for key, o in spec.overrides.items()
    }
    return TeamConfig(
        source=path,
        framework_files=tuple(files),
        overrides=overrides,
        thresholds=spec.thresholds.model_dump(exclude_none=True),
        icp=icp,
    )


def _apply(framework: Framework, config: TeamConfig, source: str) -> Framework:
    override = config.overrides.get(framework.key, FrameworkOverride())
    unknown = sorted(set(override.weights) - set(framework.keys))
    if unknown:
        raise FrameworkError(
            f"{source}: overrides.{framework.key}.weights: unknown criteria {', '.join(unknown)}"
        )
    # Team-wide thresholds beat the framework file; a framework override beats both.
    merged = {**config.thresholds, **override.thresholds}
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


def load_frameworks(config: TeamConfig | None = None) -> dict[str, Framework]:
    """Load the built-in frameworks plus a team's own, with the team's overrides applied.

    Args:
        config: The team configuration; ``None`` means built-ins with their defaults.

    Returns:
        Frameworks by key, built-ins first; a team file with the same key replaces a built-in.

    Raises:
        FrameworkError: When any framework file or override is invalid.
    """
    config = config or TeamConfig()
    frameworks: dict[str, Framework] = {}
    for file in sorted(builtin_frameworks_dir().glob("*.yaml")):
        framework = load_framework_file(file)
        frameworks[framework.key] = framework
    for file in config.framework_files:
        framework = load_framework_file(file)
        frameworks[framework.key] = framework
    source = config.source.name if config.source else "config"
    unknown = sorted(set(config.overrides) - set(frameworks))
    if unknown:
        raise FrameworkError(f"{source}: overrides: unknown frameworks {', '.join(unknown)}")
    return {key: _apply(fw, config, source) for key, fw in frameworks.items()}
