"""Clauses of an answer and the cues in each: negation, hedges, not-yet-known, non-answers.

An answer is split where reps change thought (sentences, ``;``, line breaks, bullets, "but" /
"aber"). Each clause keeps its verbatim text (the span) and a normalised form for the rules.
Patterns are word lists with bounded gaps only, so long answers are read in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.lexicon import phrases
from flows.slacktext import plain

MAX_CLAUSES = 400
"""A pasted essay is read by its first clauses only; reps answer in a few lines."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One thought of an answer.

    Attributes:
        span: The clause as written (verbatim from the answer).
        text: Its normalised form, with idioms that only look negative removed.
        contrast: Whether it opens with "but" / "aber" / "however", so it overrides what came
            before.
    """

    span: str
    text: str
    contrast: bool


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes and whitespace, drop trailing punctuation."""
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'").lower()
    return re.sub(r"\s+", " ", text).strip(" .!?;:,-")


_ABBREVIATIONS = frozenset(
    [
        "ca",
        "approx",
        "tsd",
        "mio",
        "mrd",
        "bzw",
        "evtl",
        "ggf",
        "inkl",
        "usw",
        "etc",
        "vs",
        "mo",
        "kw",
        "nr",
        "z.b",
        "zb",
        "dr",
        "mr",
        "ms",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "okt",
        "nov",
        "dec",
        "dez",
        "eur",
        "k.a",
        "ka",
        "u.a",
        "max",
        "min",
        "mind",
        "abt",
    ]
)
_BREAK = re.compile(r"[.!?]+(?=\s)|[;\n]|\s[-–—]{1,2}\s|(?:^|\n)\s{0,8}[-*•·]\s")
_CONTRAST = re.compile(
    r"(?:,\s{0,3}|\s)(?=(?:but|aber|however|though|although|allerdings|jedoch|except|only"
    r" that|nur dass|wobei|trotzdem|still)\b)",
    re.IGNORECASE,
)
_CONTRAST_START = re.compile(
    r"^(?:but|aber|however|though|although|allerdings|jedoch|except|only that|nur dass|wobei"
    r"|trotzdem|still)\b[,:]?\s*",
    re.IGNORECASE,
)

# Phrases that look negative but say yes: removed before the negation rules see the clause.
_IDIOMS = re.compile(
    r"(?<![\w])(?:no doubt(?: about it)?|no question|not only|nicht nur|no worries|kein zweifel"
    r"|keine frage|ohne frage|ohne zweifel|zweifellos|no brainer|no-brainer|can'?t wait"
    r"|cannot wait|kann es kaum erwarten|können es kaum erwarten|kaum erwarten"
    r"|never been (?:more|so)|not bad|nicht schlecht|no matter what|auf jeden fall"
    r"|no exception|without a doubt|without question|none other than)(?![\w])"
    r"|^(?:no problem|kein problem|kein thema|no issue|not a problem|passt|no prob)\b[,!:;-]"
    r"\s{0,3}(?=\S)",
)
# "not without budget", "nicht ohne Grund": two negations that make a yes.
_DOUBLE_NEGATION = re.compile(
    r"(?<![\w])(?:not without|nicht ohne|not un\w{3,20}|never not|not impossible"
    r"|nicht unmöglich|nicht unwichtig|not unimportant|no lack of|kein mangel an)(?![\w])"
)


def _abbreviation_before(text: str, end: int) -> bool:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].lower().strip(".")
    return word in _ABBREVIATIONS or word.isdigit() or len(word) == 1


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Split the original text into (piece, opens-with-contrast) pairs."""
    pieces: list[tuple[str, bool]] = []
    start = 0
    for match in _BREAK.finditer(text):
        if match.group().startswith(".") and _abbreviation_before(text, match.start()):
            continue
        pieces.append((text[start : match.start()], False))
        start = match.end()
        if len(pieces) >= MAX_CLAUSES:
            break
    pieces.append((text[start:], False))
    out: list[tuple[str, bool]] = []
    for piece, _ in pieces:
        cut = 0
        for match in _CONTRAST.finditer(piece):
            out.append((piece[cut : match.start()], cut > 0))
            cut = match.end()
        out.append((piece[cut:], cut > 0))
    return out


def clauses(answer: str) -> list[Clause]:
    """The clauses of an answer, in order, each with its verbatim span.

    Args:
        answer: The rep's answer as typed (Slack formatting allowed).

    Returns:
        Non-empty clauses; an answer with no words gives one clause of its normalised text.
    """
    found: list[Clause] = []
    for piece, contrast in _pieces(answer[:40_000]):
        span = piece.strip(" \t\r\n.,;:!?-–—*•·>")
        if not span:
            continue
        text = normalize(plain(span))
        opens = _CONTRAST_START.match(text)
        if opens:
            text = text[opens.end() :]
            contrast = True
        text = _IDIOMS.sub(" ", text).strip(" ,")
        text = _DOUBLE_NEGATION.sub("indeed", text)
        if text:
            found.append(Clause(span=span, text=text, contrast=contrast or bool(opens)))
    return found


NEGATION = phrases(
    [
        r"not", r"no", r"never", r"\w{1,12}n't",
        r"(?:do|does|did|ca|wo|is|are|was|were|have|has|had|could|would|should)nt", r"none",
        r"zero", r"nothing",
        r"without", r"nobody", r"no one", r"neither", r"nor", r"cannot", r"nowhere",
        r"nicht", r"kein\w{0,4}", r"keinerlei", r"nie", r"niemals", r"ohne", r"weder",
        r"nichts", r"niemand", r"nirgends",
    ]
)  # fmt: skip

HEDGE = phrases(
    [
        r"maybe", r"perhaps", r"possibly", r"hopefully", r"probably", r"prob", r"likely",
        r"might", r"may", r"should", r"could", r"i think", r"i guess", r"i believe",
        r"i assume", r"i suppose", r"i hope", r"we hope", r"they hope", r"hoping", r"if",
        r"once", r"as soon as", r"assuming", r"provided", r"depends", r"depending",
        r"subject to", r"tentative(?:ly)?", r"fingers crossed", r"in theory", r"supposedly",
        r"apparently", r"expect(?:ed|s)? to", r"aiming", r"aim for", r"ideally", r"roughly",
        r"if all goes well", r"unless", r"pending", r"not confirmed", r"unconfirmed",
        r"not final", r"not fixed", r"soft commit\w*", r"verbal(?:ly)?", r"ballpark",
        r"vielleicht", r"eventuell", r"evtl\.?", r"möglicherweise", r"hoffentlich",
        r"wahrscheinlich", r"vermutlich", r"voraussichtlich", r"unter umständen", r"sobald",
        r"falls", r"wenn", r"sofern", r"ich denke", r"ich glaube", r"ich schätze",
        r"glaube ich", r"denke ich", r"schätze ich", r"sollte", r"sollten", r"könnte",
        r"könnten", r"dürfte", r"müsste", r"angeblich", r"im prinzip", r"theoretisch",
        r"muss noch abgesegnet werden", r"noch abgesegnet", r"unter vorbehalt",
        r"nicht final", r"nicht fix", r"nicht bestätigt", r"idealerweise", r"grob",
        r"tendenziell", r"je nachdem", r"kommt drauf an", r"hängt (?:davon )?ab",
        r"depends on",
    ]
)  # fmt: skip

NOT_YET_KNOWN = phrases(
    [
        r"(?:have|has|had)n'?t (?:yet )?(?:asked|discussed|talked about|covered|checked"
        r"|confirmed|clarified|found out|gotten to|got to|brought up|raised|touched)",
        r"(?:have|has|had) not (?:yet )?(?:asked|discussed|talked about|covered|checked"
        r"|confirmed|clarified|found out|gotten to|got to|brought up|raised|touched)",
        r"did(?: not|n'?t) (?:ask|discuss|talk about|cover|check|get to|come up|bring (?:it )?up)",
        r"didn'?t come up", r"did not come up", r"never came up", r"not (?:yet )?discussed",
        r"not discussed yet", r"not (?:yet )?asked", r"not covered", r"not clarified",
        r"need to find out", r"needs? to be clarified", r"to be clarified", r"tbc", r"tbd",
        r"will find out", r"will check", r"will ask",
        r"need to (?:ask|check)(?! (?:my|her|his|their))",
        r"have to (?:ask|check)(?! (?:my|her|his|their))", r"gotta ask", r"find out next",
        r"following up", r"follow up", r"open question", r"still open", r"to be determined",
        r"to be confirmed", r"not known yet", r"don'?t know yet", r"do not know yet",
        r"no info(?:rmation)?(?: yet)?", r"no data", r"too early to (?:say|tell)",
        r"hard to say", r"can'?t say yet", r"unclear", r"not sure yet", r"no clue",
        r"noch nicht (?:besprochen|gefragt|geklärt|angesprochen|thematisiert|diskutiert"
        r"|bekannt|klar)", r"nicht besprochen", r"nicht gefragt", r"nicht angesprochen",
        r"wei(?:ß|ss) ich (?:noch )?nicht", r"wissen wir (?:noch )?nicht",
        r"weiß (?:er|sie|man) (?:noch )?nicht", r"klären wir (?:noch|später|nächste woche)",
        r"muss ich (?:noch )?(?:klären|fragen|herausfinden|nachfragen)",
        r"müssen wir (?:noch )?klären", r"noch zu klären", r"noch offen", r"ist offen",
        r"kam nicht zur sprache", r"war kein thema", r"haben wir nicht (?:drüber )?gesprochen",
        r"noch kein thema", r"frage ich nach", r"frag ich nach", r"kläre ich",
        r"zu früh", r"steht noch nicht fest", r"unklar", r"nicht klar",
    ]
)  # fmt: skip

# A whole answer that says nothing about the lead: a skip, a placeholder or a shrug.
NON_ANSWER = re.compile(
    r"^(?:\?{1,5}|-{1,3}|n/?a|na|tbd|tbc|tba|k\.? ?a\.?|ka|idk|dunno|skip(?:ped)?|pass|offen"
    r"|übersprungen|überspringen|keine angabe|keine ahnung|no idea|no clue|unknown|unbekannt"
    r"|weiß nicht|weiss nicht|don'?t know|not sure|keine infos?|\.{1,3}|later|später"
    r"|ran out of time|call (?:got|was) cut short|cut short|keine zeit mehr|zeit war um"
    r"|too early(?: to (?:say|tell))?|zu früh(?: für eine aussage)?|noch zu früh"
    r"|\(?leer\)?|\(?empty\)?|nothing yet|noch nichts|frag mich was leichteres|no comment"
    r"|kein kommentar|nicht besprochen|not discussed)$"
)
META = phrases(
    [
        r"ran out of time", r"call (?:got|was) cut short", r"cut short",
        r"didn'?t get to (?:it|that)",
        r"no time to ask", r"out of time", r"skipped", r"übersprungen", r"keine zeit mehr",
        r"nicht dazu gekommen", r"call wurde abgebrochen", r"gespräch (?:wurde )?abgebrochen",
    ]
)  # fmt: skip


def negated(text: str, at: int) -> bool:
    """Whether a negation before position ``at`` in the clause reaches the words there.

    The scope runs back to the previous comma or contrast word: "no budget" and "we do not
    have any budget" are negated; "no rush, budget is approved" is not.
    """
    start = max(text.rfind(",", 0, at), text.rfind(" and ", 0, at), text.rfind(" und ", 0, at))
    window = text[start + 1 : at]
    return NEGATION.search(window) is not None
