"""Shared pieces of the stand-in's Web API methods: the error answer and Slack's limits."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Args = dict[str, Any]
Handler = Callable[[Args], dict[str, Any]]

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_MESSAGE_TEXT = 40_000
TRIGGER_LIFETIME_SECONDS = 3.0


class ApiError(Exception):
    """A Slack error answer: ``{"ok": false, "error": code}``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def require(args: Args, name: str, error: str | None = None) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise ApiError(error or "invalid_arguments")
    return value


def check_blocks(blocks: Any, limit: int) -> list[dict[str, Any]]:
    """Apply Slack's block limits so a bot that breaks them fails here as it would in Slack."""
    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list) or len(blocks) > limit:
        raise ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            raise ApiError("invalid_blocks")
        text = block.get("text")
        if isinstance(text, dict) and len(str(text.get("text", ""))) > MAX_SECTION_TEXT:
            raise ApiError("invalid_blocks")
    return copy.deepcopy(blocks)
