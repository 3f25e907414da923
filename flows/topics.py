"""A negation whose scope covers the topic of the question: "not a single euro earmarked".

Each criterion has a topic vocabulary (money words for a budget, vote / say / sign words for
authority, goal words for goals ...), in English and German, as stems so that compounds and
verb forms match ("Budgetfreigabe", "entschieden"). An answer says no when a negation reaches
a topic word: before it, in its scope ("he doesn't get a vote", "kein einziger Euro"), or
after it in the German verb-final order ("Zahlen interessieren die nicht", "pushen tut sie
nix"), or as the answer to the topic echoed as a question ("champion? keiner"). Quantifiers
("not a single", "keinerlei", "whatsoever") only strengthen it.
"""

from __future__ import annotations

import re

from flows.combine import weak
from flows.cues import Clause, negated
from flows.model import Assessment, Clarification, Status

_MONEY = (
    r"budget\w*|money|geld\w*|funds?|funding|cents?|euros?|dollars?|penny|pennies|dime|mittel"
    r"|etat\w*|kohle|spend\w*|capex|opex|invest\w*|\w{2,12}budget\w*"
)
_SAY = (
    r"votes?|say|decid\w*|decision\w*|sign\w*|approv\w*|authority|stimme|entscheid\w*"
    r"|unterschreib\w*|unterschrift\w*|freigeb\w*|freigabe\w*|mitsprache\w*|befugnis\w*"
    r"|zu (?:sagen|melden)|zeichn\w*"
)
_PUSH = (
    r"champion\w*|push\w*|advocat\w*|sponsor\w*|einsetz\w*|fürsprech\w*|vorantreib\w*"
    r"|stark ?mach\w*|back(?:ing)? us|fight for|kämpf\w*|treib\w*"
)
_PAIN = (
    r"problems?|pain\w*|issues?|challenges?|needs?|bedarf\w*|brauch\w*|schmerz\w*|probleme?n?"
    r"|herausforderung\w*|hindernis\w*|leidensdruck"
)
_TOPICS: dict[str, str] = {
    "budget": _MONEY,
    "money": _MONEY,
    "authority": _SAY,
    "economic_buyer": _SAY + "|" + _MONEY,
    "champion": _PUSH,
    "goals": r"goals?|targets?|objectives?|kpis?|ziel\w*|vorgaben",
    "plans": r"plan\w*|roadmap|pläne?n?|planung\w*|vorhaben|projekt\w*",
    "metrics": r"numbers?|metrics?|kpis?|figures?|measur\w*|track\w*|zahlen|kennzahl\w*|mess\w*"
    r"|gemessen|quantif\w*",
    "decision_criteria": r"criteria|kriteri\w*|requirements?|anforderung\w*|checklist\w*",
    "decision_process": r"process\w*|\w{0,16}prozess\w*|steps?|ablauf\w*|schritte?",
    "paper_process": r"contracts?|procurement|legal|vertr[äa]g\w*|einkauf\w*|paperwork",
    "need": _PAIN,
    "identify_pain": _PAIN,
    "challenges": _PAIN,
    "consequences": r"chang\w*|änder\w*|passier\w*|happen\w*|impact\w*|auswirk\w*|folgen?"
    r"|consequences?",
    "implications": r"chang\w*|änder\w*|passier\w*|happen\w*|impact\w*|auswirk\w*|folgen?"
    r"|implications?",
    "prioritization": r"priorit\w*|lists?|liste\w*|bandwidth|kapazität\w*|radar",
}
_COMPILED = {key: re.compile(rf"(?<!\w)(?:{words})(?!\w)") for key, words in _TOPICS.items()}

_NEGATIVE = (
    r"(?:nicht|nix|nichts|kein\w{0,4}|keinerlei|niemand|none|nobody|no one|nothing|nope|null"
    r"|zero)"
)
# German verb-final negation: "Zahlen interessieren die nicht", "pushen tut sie nix".
_AFTER = r"(?: [\w']{1,14}){0,4} " + _NEGATIVE + r"(?!\w)"
# The topic echoed as a question and answered: "champion? keiner", "criteria? gibt keine".
_ECHO = (
    r"(?: [\w']{1,14}){0,3}\?\s{0,3}(?:gibt(?:'?s)?(?: es)? )?(?:" + _NEGATIVE + r"|lol|haha\w{0,6}"
    r"|rofl)(?!\w)(?! (?:ahnung|idea|clue|plan)\b)"
)
# Quantifiers that make a negation total: "not a single", "keinerlei", "whatsoever".
QUANTIFIED = re.compile(
    r"(?<!\w)(?:at all|whatsoever|not a single|not one|not even|kein(?:e|en)? einzige[rsn]?"
    r"|keinerlei|überhaupt|gar (?:nicht|kein\w{0,2}|nichts)|nicht (?:mal|einmal)|zero|null"
    r"|anything|nothing|nichts|irgendwas|any)(?!\w)"
)
# "nobody / niemand" as the subject reaches into its relative clause: "niemand, der uns pusht".
_NOBODY = re.compile(r"(?<!\w)(?:nobody|no one|niemand\w{0,2}|keiner)(?!\w)")
# "gibt es nicht", "there is no": the thing asked about does not exist.
_EXISTENCE = re.compile(r"(?:gibt es|gibt's|there is|there are|there's) (?:nicht|kein\w{0,2}|no)")


def echo_negated(text: str, key: str) -> str | None:
    """``"total"`` when the criterion's topic is echoed as a question and answered with a no.

    Args:
        text: The whole answer, normalised, question marks kept ("budget? lol").
        key: The criterion's key.

    Returns:
        ``"total"`` or ``None``.
    """
    pattern = _COMPILED.get(key)
    if pattern is None:
        return None
    for hit in pattern.finditer(text):
        if re.match(_ECHO, text[hit.end() :]):
            return "total"
    return None


def negates_topic(text: str, key: str) -> str | None:
    """How a negation in the normalised ``text`` covers the topic of criterion ``key``.

    Args:
        text: An answer or a clause after :func:`flows.cues.normalize`.
        key: The criterion's key (``budget``, ``authority``, ``goals``, ...).

    Returns:
        ``"total"`` when the negation is total (a quantifier, "nobody", the echoed question
        answered with "none", the thing said not to exist), ``"plain"`` for another negation
        that reaches a topic word, ``None`` when none does.
    """
    pattern = _COMPILED.get(key)
    if pattern is None:
        return None
    found = None
    for hit in pattern.finditer(text):
        rest = text[hit.end() :]
        before = text[max(0, hit.start() - 60) : hit.start()]
        if re.match(_ECHO, rest) or (_NOBODY.search(before) and not re.search(r"[.;!?]", before)):
            return "total"
        if negated(text, hit.start()) or re.match(_AFTER, rest):
            start = max(0, hit.start() - 40)
            if QUANTIFIED.search(text, start, hit.end() + 40) or _EXISTENCE.search(text):
                return "total"
            found = "plain"
    return found


_VAGUE_NOTES = frozenset(("negated", "described", "minor", "hedged"))


_ASKED = re.compile(
    r"(?:do|does|did|is|are|was|has|have|can|will|would|hat|ist|sind|gibt|haben|kann|wird|wer"
    r"|who|what|was|wie|how)\b"
)


def echoed(clause: Clause, evidence: str) -> bool:
    """Whether the clause is the question repeated: it ends in "?" and asks or names a topic.

    Args:
        clause: One clause of the answer.
        evidence: The answer as typed, where the clause's question mark is looked for.

    Returns:
        ``True`` for "does he decide?" or "budget?" before the actual answer.
    """
    at = evidence.find(clause.span)
    if at < 0 or not evidence[at + len(clause.span) :].lstrip(" *_").startswith("?"):
        return False
    return len(clause.text.split()) <= 2 or _ASKED.match(clause.text) is not None


def settle_by_topic(
    key: str,
    parts: list[Clause],
    result: Assessment | Clarification,
    whole: str,
) -> Assessment | Clarification:
    """A negation over the question's topic decides an answer the rules left open or vague.

    "not a single euro earmarked", "er hat keine Stimme", "haben keinerlei Ziele": no phrase
    of the rules matched, or only a plain description did, but the answer plainly says no to
    what was asked. A vague partial ("not a big problem") gives way only to a quantified
    negation ("no numbers whatsoever", "not one KPI"). The clauses are read with their
    idioms taken out ("no doubt", "nicht dass ...").

    Args:
        key: The criterion's key.
        parts: The answer's clauses.
        result: The reading the rules made.
        whole: The whole answer, normalised (for the echoed question).

    Returns:
        ``result``, or a missing reading when a negation over the topic decides.
    """
    said = ", ".join(clause.text for clause in parts)
    echo = echo_negated(whole, key)
    how = negates_topic(said, key) or echo
    if how is None:
        return result
    if isinstance(result, Clarification):
        open_ = result.reason not in ("needs_value", "conflicting")
    elif result.status is Status.MET:
        open_ = weak(result)
    else:
        # A vague or hedged partial gives way only to a total negation.
        open_ = (
            how == "total"
            and result.status is Status.PARTIAL
            and bool(_VAGUE_NOTES & set(result.notes))
        )
    if not open_:
        return result
    return Assessment(
        status=Status.MISSING,
        evidence=result.evidence,
        span=result.evidence,
        confidence=0.8,
        notes=("negated", "topic"),
    )
