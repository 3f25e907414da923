"""Block Kit checks with slack_sdk's own models, so a message Slack would refuse shows up here.

The stand-in keeps serving such a call (its own limits in ``apicommon.check_blocks`` refuse
what Slack refuses by size) and records what slack_sdk found wrong; a test asserts the record
stays empty over the end-to-end flows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def _objects(value: Any) -> Iterator[JsonObject]:
    """Every model object inside ``value``: ``validate_json`` checks one object's own fields,
    so the elements, texts, options and confirm dialogs inside a block are walked too."""
    if isinstance(value, JsonObject):
        yield value
        for name, attribute in vars(value).items():
            if not name.startswith("_"):
                yield from _objects(attribute)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _objects(item)


def _check(model: JsonObject) -> str | None:
    try:
        for part in _objects(model):
            part.validate_json()
    except SlackObjectFormationError as error:
        return str(error)
    return None


def block_problems(blocks: Any) -> list[str]:
    """What slack_sdk finds wrong with a message's ``blocks`` (empty when they pass).

    Args:
        blocks: The ``blocks`` argument as the bot sent it (a list of dicts, or a JSON string
            already decoded by the caller).
    """
    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list):
        return [f"blocks is not a list: {type(blocks).__name__}"]
    problems: list[str] = []
    for index, raw in enumerate(blocks):
        try:
            parsed = Block.parse(raw)
        except (SlackObjectFormationError, TypeError, ValueError) as error:
            problems.append(f"block {index}: {error}")
            continue
        if parsed is None:
            problems.append(f"block {index}: unknown block {raw!r:.200}")
            continue
        problem = _check(parsed)
        if problem:
            problems.append(f"block {index} ({raw.get('type')}): {problem}")
    return problems


def view_problems(view: Any) -> list[str]:
    """What slack_sdk finds wrong with a modal or Home ``view`` (empty when it passes)."""
    if not isinstance(view, dict):
        return [f"view is not an object: {type(view).__name__}"]
    try:
        model = View(**view)
    except (SlackObjectFormationError, TypeError, ValueError) as error:
        return [f"view: {error}"]
    problem = _check(model)
    return [f"view ({view.get('type')}): {problem}"] if problem else []


def call_problems(method: str, args: dict[str, Any]) -> list[str]:
    """Block Kit problems of one Web API call or ``response_url`` post (empty when none)."""
    problems: list[str] = []
    if "blocks" in args:
        problems += block_problems(args["blocks"])
    if "view" in args:
        problems += view_problems(args["view"])
    return [f"{method}: {problem}" for problem in problems]
