"""A workspace's phrasebook: readings that people corrected, consulted before the rules.

When a rep or a manager changes how the bot read an answer, the phrase and the reading they
chose are kept (in the database, by ``storage``) and handed back to the reader as a
:class:`Phrasebook`. The reader asks it first, so a team's own jargon ("PO is raised", "the
Steerco signs") is read the way that team means it from then on. Plain data, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flows.model import Criterion, Status

MAX_PHRASE_WORDS = 24
"""Longer corrections are kept as answers but not learned: a whole paragraph is no phrase."""


def phrase_key(text: str) -> str:
    """The form a phrase is stored and matched in: lower-case words, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").casefold()
    words = re.findall(r"[\w'€$£%.,/-]+", text)
    return " ".join(w.strip(".,") for w in words if w.strip(".,"))


def learnable(text: str) -> bool:
    """Whether ``text`` is short enough to be learned as a phrase."""
    key = phrase_key(text)
    return bool(key) and len(key.split()) <= MAX_PHRASE_WORDS


@dataclass(frozen=True, slots=True)
class Phrase:
    """One learned reading.

    Attributes:
        topic: The criterion's concept (``budget``, ``authority`` ...) or, without one, its key:
            a phrase learned on BANT's budget also reads CHAMP's money.
        text: The phrase in :func:`phrase_key` form.
        status: The reading people chose.
        value: The value they gave with it, if any (JSON-able).
    """

    topic: str
    text: str
    status: Status
    value: Any = None


def topic_of(criterion: Criterion) -> str:
    """The topic a criterion's phrases are filed under."""
    return criterion.concept or criterion.key


@dataclass(frozen=True, slots=True)
class Phrasebook:
    """The learned phrases of one workspace, newest correction last."""

    phrases: tuple[Phrase, ...] = ()

    def lookup(self, criterion: Criterion, text: str) -> Phrase | None:
        """The learned reading for an answer, or ``None``.

        An answer that is the phrase itself wins; otherwise the longest phrase that the
        answer contains as whole words. Among equals the newest correction wins.

        Args:
            criterion: The question the answer belongs to.
            text: The rep's answer as typed.

        Returns:
            The phrase whose reading applies, or ``None`` when nothing learned fits.
        """
        if not self.phrases:
            return None
        topic = topic_of(criterion)
        answer = phrase_key(text)
        if not answer:
            return None
        padded = f" {answer} "
        exact: Phrase | None = None
        contained: Phrase | None = None
        for phrase in self.phrases:
            if phrase.topic != topic:
                continue
            if phrase.text == answer:
                exact = phrase
            elif f" {phrase.text} " in padded and (
                contained is None or len(phrase.text) >= len(contained.text)
            ):
                contained = phrase
        return exact or contained
