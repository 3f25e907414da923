"""Knock-outs: answers that rule a lead out, in English and German, each with a machine code.

Codes: ``competitor`` (just signed or renewed with another vendor for a term, or a rival posing
as a prospect), ``no_need`` (also curiosity only), ``research`` (students, coursework, research,
a consultant gathering material), ``closing``, ``insolvent``, ``acquired`` (when buying stops
with it) and ``mandated`` (a group standard imposed from above). A knock-out that is negated
("they're not closing") does not count. The words are in :mod:`flows.knockout_words`.
"""

from __future__ import annotations

from flows.cues import NEGATION, negated
from flows.knockout_words import KNOCKOUTS

_GAPPED = ("competitor", "acquired")


def knockout_code(text: str) -> str | None:
    """The code of the first knock-out in normalised text, or ``None``.

    Args:
        text: A clause or a whole answer after :func:`flows.cues.normalize`.

    Returns:
        ``competitor``, ``no_need``, ``research``, ``closing``, ``insolvent``, ``acquired``,
        ``mandated`` or ``None``.
    """
    for code, pattern in KNOCKOUTS.items():
        for hit in pattern.finditer(text):
            # "no need" carries its own negation; the others are undone by one before them ("not
            # closing"), and an event told across a gap by one inside ("the extension is not
            # signed yet").
            inside = code in _GAPPED and NEGATION.search(hit.group(0))
            if code == "no_need" or not (negated(text, hit.start()) or inside):
                return code
    return None
