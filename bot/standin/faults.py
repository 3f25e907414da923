"""Recorded calls and injected faults of the stand-in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One Web API call (or ``response_url`` post) as the stand-in saw it."""

    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    status: int
    at: float
    fault: str | None = None
    team_id: str | None = None
    """The workspace of the call's token (None when the token was unknown)."""
    token: str | None = None
    """The token the call was made with."""

    @property
    def ok(self) -> bool:
        """Whether Slack would have said ``"ok": true``."""
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class Faults:
    """What share of calls fail, and how."""

    rate_limited: float = 0.0
    retry_after: int = 1
    server_error: float = 0.0
    hang: float = 0.0
    hang_seconds: float = 15.0
    methods: set[str] | None = None
    channels: set[str] | None = None
    after_effect: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def draw(self, method: str) -> str | None:
        """Decide whether this call fails; ``response_url`` only fails when named."""
        targeted = method in self.methods if self.methods is not None else method != "response_url"
        if not targeted or not (self.rate_limited or self.server_error or self.hang):
            return None
        roll = self.rng.random()
        if roll < self.rate_limited:
            return "rate_limited"
        if roll < self.rate_limited + self.server_error:
            return "server_error"
        if roll < self.rate_limited + self.server_error + self.hang:
            return "hang"
        return None

    def draw_for(self, method: str, args: dict[str, Any]) -> tuple[str | None, bool]:
        """Decide whether this call fails, and whether it fails after taking effect.

        Returns:
            ``(fault or None, after_effect)``.
        """
        if self.channels is not None:
            target = str(args.get("channel") or args.get("users") or "")
            if target not in self.channels:
                return None, False
        fault = self.draw(method)
        after = (
            fault in ("server_error", "hang")
            and self.after_effect > 0
            and self.rng.random() < self.after_effect
        )
        return fault, after
