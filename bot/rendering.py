"""Jinja2 environment and text lookup: every word the bot says lives in ``templates/``.

Each language has one ``messages.j2`` file made of macros; Python asks for a macro by name and
builds Block Kit structures around the returned strings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import templates as templates_package
from flows.slacktext import unescape

SECTION_TEXT_LIMIT = 3000
BUTTON_VALUE_LIMIT = 2000
PRIVATE_METADATA_LIMIT = 3000
PLAIN_TEXT_LIMIT = 150
ELLIPSIS = "…"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class SlackSafe(str):
    """Text already escaped for mrkdwn; the environment's finalizer leaves it alone."""

    __slots__ = ()


def slack_escape(value: object) -> SlackSafe:
    """Neutralise Slack control characters in user text.

    Slack mrkdwn only treats ``&``, ``<`` and ``>`` specially; escaping them turns tokens such as
    ``<!channel>`` or ``<@U123>`` into inert text.

    Args:
        value: Any value; ``None`` becomes an empty string.

    Returns:
        The text with ``&``, ``<`` and ``>`` escaped.
    """
    if isinstance(value, SlackSafe):
        return value
    text = "" if value is None else str(value)
    # Three C-level replaces ("&" first, so the entities are not escaped again) instead of a
    # Python loop over every character: this runs for every expression of every message.
    return SlackSafe(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def clip(value: object, limit: int) -> str:
    """Shorten text to at most ``limit`` characters, marking the cut with an ellipsis.

    Args:
        value: Text to shorten; ``None`` becomes an empty string.
        limit: Maximum length of the result.

    Returns:
        The text, cut to fit.
    """
    text = "" if value is None else str(value)
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def clip_escaped(value: object, limit: int) -> SlackSafe:
    """Escape user text for mrkdwn and keep it under ``limit`` characters after escaping.

    Cutting after escaping could split an entity such as ``&amp;``; cutting the raw text first
    and shrinking until the escaped form fits avoids that.

    Args:
        value: Raw user text.
        limit: Maximum length of the escaped result.

    Returns:
        Escaped text no longer than ``limit``.
    """
    # Wording rendered already (another macro's output) is taken back to its characters
    # first, so it is escaped once, not twice.
    raw = unescape(value) if isinstance(value, SlackSafe) else "" if value is None else str(value)
    escaped = slack_escape(raw)
    if len(escaped) <= limit:
        return escaped
    budget = limit - len(ELLIPSIS)
    pieces: list[str] = []
    for char in raw:
        piece = _ESCAPES.get(char, char)
        if len(piece) > budget:
            break
        pieces.append(piece)
        budget -= len(piece)
    return SlackSafe("".join(pieces) + ELLIPSIS)


_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]+$")


def role_mentions(entries: Iterable[str]) -> SlackSafe:
    """People and user groups of a role as Slack shows them: ``<@U1>, <!subteam^S1>, @ae-team``.

    Only well-formed ids become mentions; anything else is shown as escaped text.
    """
    shown = []
    for entry in sorted(entries):
        if _USER_ID.match(entry):
            shown.append(f"<@{entry}>")
        elif _GROUP_ID.match(entry):
            shown.append(f"<!subteam^{entry}>")
        else:
            shown.append(slack_escape(entry))
    return SlackSafe(", ".join(shown))


def templates_dir() -> Path:
    """Folder holding ``en/`` and ``de/`` templates."""
    return Path(templates_package.__file__).resolve().parent


def create_environment(directory: Path | None = None) -> Environment:
    """Build the Jinja2 environment the bot renders with.

    Args:
        directory: Template folder; defaults to the ``templates`` package.

    Returns:
        An environment with ``StrictUndefined``, the ``slack_escape`` / ``clip`` /
        ``clip_escaped`` filters, and a finalizer that escapes every expression's output.
    """
    env = Environment(
        loader=FileSystemLoader(str(directory or templates_dir())),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Every {{ expression }} is escaped unless it already is: wording never has to
        # remember to escape, and ids, numbers and enum values are escaped too.
        finalize=slack_escape,
    )
    env.filters["slack_escape"] = slack_escape
    env.filters["clip"] = clip
    env.filters["clip_escaped"] = clip_escaped
    return env


_PLAIN_VALUES = frozenset({str, SlackSafe, int, bool, type(None)})
_RENDERS_KEPT = 4096
"""Renders a language keeps at most; past that it starts over (people's words pass through
some macros, and must not pile up)."""


def _render_key(name: str, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """What a render is kept under, or None when a value is not plain (a list, an object)."""
    if not values:
        return (name,)
    key: list[Any] = [name]
    for argument, value in values.items():
        kind = type(value)
        if kind not in _PLAIN_VALUES and not isinstance(value, Enum):
            return None
        key += (argument, kind, value)
    return tuple(key)


class Texts:
    """The wording of one language, looked up by macro name.

    Args:
        env: Environment from ``create_environment``.
        lang: Language code (``en`` or ``de``).
    """

    def __init__(self, env: Environment, lang: str) -> None:
        self.lang = lang
        self._module = env.get_template(f"{lang}/messages.j2").module
        # Renders of macros called with plain values, by name and values (and their types:
        # a SlackSafe and a str of the same characters render differently). A macro is a
        # function of its arguments, and a step asks for the same labels again and again.
        self._rendered: dict[tuple[Any, ...], SlackSafe] = {}

    def __call__(self, name: str, /, **values: Any) -> SlackSafe:
        """Render the macro ``name`` with ``values`` and strip surrounding whitespace.

        Args:
            name: Macro name in ``messages.j2``.
            **values: Macro arguments.

        Returns:
            The rendered mrkdwn text.

        Raises:
            KeyError: When the language has no such macro.
        """
        key = _render_key(name, values)
        if key is not None:
            rendered = self._rendered.get(key)
            if rendered is not None:
                return rendered
        macro = getattr(self._module, name, None)
        if macro is None:
            raise KeyError(f"{self.lang}/messages.j2 has no macro {name!r}")
        # Every expression was escaped by the finalizer: the result is mrkdwn, marked so that
        # it is not escaped again inside another macro, and unescaped where it goes into
        # plain_text (bot.blocks.plain).
        rendered = SlackSafe(str(macro(**values)).strip())
        if key is not None:
            if len(self._rendered) >= _RENDERS_KEPT:
                self._rendered.clear()
            self._rendered[key] = rendered
        return rendered

    def has(self, name: str) -> bool:
        """Whether the language defines the macro ``name``."""
        return getattr(self._module, name, None) is not None


class TextBook:
    """Texts for every language, built once per app.

    Args:
        env: Environment from ``create_environment``; a fresh one when omitted.
    """

    def __init__(self, env: Environment | None = None) -> None:
        self._env = env or create_environment()
        self._by_lang: dict[str, Texts] = {}

    @functools.cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages with wording (``en``, ``de``), read from the template folder once."""
        found = (d.name for d in templates_dir().iterdir() if (d / "messages.j2").is_file())
        return tuple(sorted(found))

    def __getitem__(self, lang: str) -> Texts:
        if lang not in self._by_lang:
            self._by_lang[lang] = Texts(self._env, lang)
        return self._by_lang[lang]
