"""Who is who in the team, read from the ``people`` section of the team config file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class People:
    """Roles that grant rights beyond the rep's own qualifications.

    Attributes:
        managers: User ids of managers (may answer any thread, accept and reject handoffs).
        account_executives: User ids allowed to accept or reject handoffs.
    """

    managers: frozenset[str] = field(default_factory=frozenset)
    account_executives: frozenset[str] = field(default_factory=frozenset)

    def is_manager(self, user_id: str) -> bool:
        """Whether ``user_id`` is a manager."""
        return user_id in self.managers

    def may_decide_handoff(self, user_id: str) -> bool:
        """Whether ``user_id`` may accept or reject a hot-lead handoff."""
        return user_id in self.managers or user_id in self.account_executives


def _ids(raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if isinstance(raw, str):
        return frozenset({raw})
    return frozenset(str(item) for item in raw)


def load_people(path: str | Path | None) -> People:
    """Read ``people: {managers: [...], account_executives: [...]}`` from the team config.

    Args:
        path: The team config YAML file; ``None`` or a missing section gives nobody.

    Returns:
        The team's roles.

    Raises:
        ValueError: When the file or its ``people`` section is not shaped as expected.
    """
    if path is None:
        return People()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the team config must be a mapping")
    people = data.get("people") or {}
    if not isinstance(people, dict):
        raise ValueError(f"{path}: 'people' must be a mapping")
    return People(
        managers=_ids(people.get("managers")),
        account_executives=_ids(people.get("account_executives")),
    )
