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

READ_LIMIT = 2_000
"""Characters of an answer that are read. Slack allows 40,000; an answer that long is a pasted
document, and its first screenful says what the rep means."""

MAX_CLAUSES = 60
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


_QUOTES = re.compile(r"[\"“”„«»]")


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes and whitespace, drop trailing punctuation."""
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'").lower()
    # Quotation marks around a rep's paraphrase ("quick check") carry no meaning.
    text = _QUOTES.sub("", text)
    # "nich" is how many type "nicht".
    text = re.sub(r"\bnich\b", "nicht", text)
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
_COMMA = re.compile(r",\s|\s\(|\)\s")
# A one- or two-word aside in brackets belongs to its clause: "kommen wir (noch) nicht ran".
_SHORT_ASIDE = re.compile(r"\((\w{1,10}(?: \w{1,10})?)\)")
# "Ist nicht so, dass ...": the comma does not end the idiom (see _IDIOMS).
_NOT_THAT = re.compile(r"\b(nicht so|not like|not as if|not that),\s*(dass|that)\b", re.IGNORECASE)
# English "but" turns a sentence anywhere; German "aber" mid-clause is often a particle ("muss
# aber noch freigeben"), so it turns the sentence only after a comma or dash.
_CONTRAST = re.compile(
    r"(?<!question of if)(?<!question of if,)(?:,\s{0,3}|\s)(?=(?:(?:well )?actually no"
    r"|correction|but|however|though|although"
    r"|except|only that)\b)"
    r"|,\s{0,3}(?=(?:aber|allerdings|jedoch|nur dass|wobei|trotzdem|still)\b)",
    re.IGNORECASE,
)
_CONTRAST_START = re.compile(
    r"^(?:but|aber|however|though|although|allerdings|jedoch|except|only that|nur dass|wobei"
    r"|trotzdem|still|(?:well )?actually no|correction)\b[,:]?\s*",
    re.IGNORECASE,
)

# Phrases that look negative but say yes: removed before the negation rules see the clause.
_IDIOMS = re.compile(
    r"(?<![\w])(?:no doubt(?: about it)?|no question|not only|nicht nur|no worries|kein zweifel"
    r"|keine frage|ohne frage|ohne zweifel|zweifellos|no brainer|no-brainer|can'?t wait"
    r"|cannot wait|kann es kaum erwarten|können es kaum erwarten|kaum erwarten"
    r"|never been (?:more|so)|not bad|nicht schlecht|no matter what|auf jeden fall"
    r"|no exception|without a doubt|zero doubt|null zweifel|without question|none other than|no"
    r" surprises(?: there)?"
    r"|no open (?:points|issues|questions|items)|keine offenen (?:punkte|fragen|themen)"
    # The thing named is not what stands in the way: "am Geld scheitert's nicht", "Need ist
    # nicht das Problem", "money isn't the issue".
    r"|(?:am|an dem) \w{2,12} scheitert'?s nicht|scheitert (?:es )?nicht am \w{2,12}"
    r"|(?:ist|is|sind|are) (?:\w{1,8}\.? )?(?:nicht|not) (?:das|the|ein|an?) (?:problem|issue|thema"
    r"|hindernis|blocker)|(?:isn'?t|aren'?t) (?:\w{1,8} )?(?:the|an?) (?:problem|issue|blocker)"
    # Who said it, not who decides: "hat er selbst gesagt", "he told me so himself".
    r"|(?:hat|habe|hab|hatte) (?:er|sie|es|man|der|die) (?:\w{1,8} )?(?:selbst|selber) gesagt"
    r"|sagt (?:er|sie|der|die) (?:\w{1,8} )?(?:selbst|selber)"
    r"|(?:he|she|they) (?:told|said|tell|says|say)(?: (?:me|us))?(?: so)?"
    r" (?:himself|herself|themselves)|in (?:his|her|their) own words"
    r"|in (?:seinen|ihren) eigenen worten"
    r"|(?:ist|it'?s|it is) (?:nicht|not) so,? (?:dass|that) [^;–]{0,60}"
    # The status quo as the premise of a consequence: "if nothing changes, they miss target".
    r"|(?:if|unless) (?:nothing|none of this) (?:changes|happens|is done|gets done)"
    r"|if (?:they|we|he|she) (?:do|does|did|change|changes) nothing"
    r"|wenn sich nichts ändert|wenn (?:sie|er|die|wir) nichts (?:tun|tut|ändern|ändert|machen)"
    r"|no blockers?|keine blocker|no red flags|no concerns|keine bedenken|no objections"
    r"|keine einwände|without exaggeration|no exaggeration|ohne übertreibung|ohne witz|no kidding"
    r"|not gonna lie|no joke|not just|nicht einfach nur"
    r"|(?:it'?s |it is |es ist )?not (?:like|as if)"
    r" (?:they|we|he|she|it)\b[^,;]{0,60}"
    r"|nicht dass [^,;–]{0,60}|not that [^,;–]{0,60}|never seen a \w{1,20}|not a day to lose"
    r"|keinen tag zu verlieren|doesn'?t matter|egal"
    r"|no (?:issues?|problems?|worries) (?:on|with|regarding|about) (?:the )?\w{2,20}(?: side|"
    r" front)?"
    r"|kein (?:issue|problem|thema) (?:beim|bei|mit dem|mit der) \w{2,20}"
    r"|(?:no one|nobody|niemand|keiner) (?:else|sonst|anderes)(?: \w{1,12}){0,2}"
    r"|(?:muss|needs? to|has to|have to|must) (?:niemanden|nobody|no one|keinen) (?:\w{1,12} )?"
    r"(?:fragen|ask|einbeziehen|involve|loop in)"
    r"|no (?:budget |money )?(?:discussions?|talks?|debates?|questions?) (?:needed|necessary"
    r"|required)"
    r"|not a question of if(?:,)? but when|nicht die frage ob(?:,)? sondern wann"
    # "no one can deny it hurts": a denial that nobody makes is an assertion.
    r"|(?:no one|nobody|niemand|keiner) (?:can|could|kann|könnte|will) (?:\w{1,12} )?(?:deny"
    r"|bestreiten|leugnen|abstreiten)|can'?t deny|cannot deny|nicht (?:zu )?(?:leugnen"
    r"|bestreiten)"
    r")(?![\w])"
    r"|^(?:no problem|kein problem|kein thema|no issue|not a problem|passt|no prob)\b[,!:;-]"
    r"\s{0,3}(?=\S)",
)
_FILLER = re.compile(
    r"(?:no problem|kein problem|no worries|kein thema|no doubt|no question|keine frage"
    r"|ohne frage|no kidding|not gonna lie|ohne witz|ohne übertreibung|no exaggeration"
    r"|without exaggeration|no joke|no surprises(?: there)?|keine überraschungen|ehrlich gesagt"
    r"|kein issue|no issue"
    r"|honestly|to be honest|tbh|ngl|anyway|jedenfalls|also|so|well|naja|hmm+|ok|okay)"
)
# "budget isn't an issue", "Geld ist kein Problem": the money is there.
_MONEY_NO_ISSUE = re.compile(
    r"(?<!\w)(?:never|not|no)(?: been)? (?:a |an )?(?:budget|money|cost|price) (?:issue|problem"
    r"|concern)"
    r"|(?<!\w)(?:budget|money|geld|funding|the price|der preis|kosten|cost)\w{0,3} (?:won'?t be"
    r"|will not be|wird kein|is|isn'?t"
    r"|ist|are"
    r"|aren'?t|sind|wäre|would be)(?: not| no| kein| nicht)? (?:an? |das |the )?(?:issue|problem"
    r"|thema"
    r"|concern|hindernis|hurdle)(?!\w)"
)
# "she never needs anyone's approval": she decides.
_NEEDS_NOBODY = re.compile(
    r"(?<!\w)(?:muss|braucht|needs? to|has to|have to|must) (?:niemanden|nobody|no one|keinen)"
    r" (?:\w{1,12} )?(?:zu )?(?:fragen|ask|einbeziehen|involve|loop in)|(?<!\w)(?:never|doesn'?t"
    r"|does not|don'?t) needs? (?:anyone'?s |any |an? )?(?:approval"
    r"|sign-?off"
    r"|permission)|needs no (?:approval|sign-?off)|braucht keine (?:freigabe|zustimmung"
    r"|genehmigung)"
)
# "not without budget", "nicht ohne Grund": two negations that make a yes.
_DOUBLE_NEGATION = re.compile(
    r"(?<![\w])(?:not short of|no shortage of|nicht knapp bei|not without|nicht ohne|not"
    r" un\w{3,20}|never not|not impossible"
    r"|nicht unmöglich|nicht unwichtig|not unimportant|no lack of|kein mangel an"
    # Understated money: "nicht gerade üppig (ausgestattet)" still names what there is.
    r"|nicht gerade üppig(?: ausgestattet)?|not exactly (?:generous|lavish)"
    # Litotes: "not a small thing" is a big one; doing nothing "is not an option".
    r"|not a small (?:thing|problem|issue)|kein kleines (?:problem|thema)"
    r"|(?:alles andere als|anything but|far from|weit entfernt von) (?:unklar|vage|klein|gering"
    r"|unwichtig|egal|unclear|vague|small|minor|trivial|unimportant)"
    r"|not (?:vague|unclear|fuzzy)(?: at all| anymore)?"
    r"|(?:nicht|nicht mehr) (?:vage|unklar|schwammig)"
    r"|(?:ist|is|sind|are) (?:gar |auch )?(?:nicht|not) (?:gerade |exactly )?(?:klein|small|minor)"
    r"|(?:not|no longer) (?:just |merely |only )?a nice[- ]to[- ]have|(?:kein|nicht nur|nicht mehr)"
    r" (?:ein )?nice[- ]to[- ]have|(?:nichts tun|doing"
    r" nothing|abwarten|waiting) (?:ist|is) (?:keine|not an?|no) option)(?![\w])"
)


def _abbreviation_before(text: str, end: int) -> bool:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].lower().strip(".")
    # "15.3." and "4.1." are dates, not sentence ends.
    return word in _ABBREVIATIONS or word.replace(".", "").isdigit() or len(word) == 1


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
            out.extend(_commas(piece[cut : match.start()], cut > 0))
            cut = match.end()
        out.extend(_commas(piece[cut:], cut > 0))
    return out


def _commas(piece: str, contrast: bool) -> list[tuple[str, bool]]:
    """Comma-separated parts of a clause; only the first keeps the contrast mark."""
    parts = _COMMA.split(piece)
    return [(part, contrast and i == 0) for i, part in enumerate(parts)]


def clauses(answer: str) -> list[Clause]:
    """The clauses of an answer, in order, each with its verbatim span.

    Args:
        answer: The rep's answer as typed (Slack formatting allowed).

    Returns:
        Non-empty clauses; an answer with no words gives one clause of its normalised text.
    """
    found: list[Clause] = []
    text = _NOT_THAT.sub(r"\1 \2", _SHORT_ASIDE.sub(r"\1", answer[:READ_LIMIT]))
    pieces = _pieces(text)[:MAX_CLAUSES]
    carried = False
    for piece, marked in pieces:
        span = piece.strip(" \t\r\n.,;!?-–—•·>()")
        if not span:
            continue
        contrast = marked or carried
        text = normalize(plain(span))
        if len(pieces) > 1 and _FILLER.fullmatch(text):
            # "no problem, the budget is there": the filler says nothing on its own.
            carried = contrast
            continue
        opens = _CONTRAST_START.match(text)
        if opens:
            text = text[opens.end() :]
            contrast = True
        # "..., well actually no, it was rejected": the turn belongs to what follows it.
        carried = contrast and not text.strip(" ,")
        text = _MONEY_NO_ISSUE.sub("budget is there", text)
        text = _NEEDS_NOBODY.sub("decides alone", text)
        text = _IDIOMS.sub(" ", text).strip(" ,")
        text = _DOUBLE_NEGATION.sub("indeed", text)
        if text:
            found.append(Clause(span=span, text=text, contrast=contrast))
            carried = False
    return found


NEGATION = phrases(
    [
        r"not", r"no", r"never", r"\w{1,12}n't",
        r"(?:do|does|did|ca|wo|is|are|was|were|have|has|had|could|would|should)nt", r"none",
        r"zero", r"nothing",
        r"without", r"nobody", r"no one", r"neither", r"nor", r"cannot", r"nowhere",
        r"nicht", r"kein\w{0,4}", r"keinerlei", r"null", r"nie", r"niemals", r"ohne", r"weder",
        r"nichts", r"niemand", r"nirgends",
    ]
)  # fmt: skip

# A negation reaches no further back than these: "no CRM, so leads get lost every week".
_SCOPE_ENDS = (
    ",",
    " and ",
    " und ",
    " so ",
    " because ",
    " weil ",
    " which ",
    " deshalb ",
    " daher ",
    " therefore ",
    " sodass ",
    " so dass ",
    " also ",
    " but ",
    " aber ",
)


def negated(text: str, at: int) -> bool:
    """Whether a negation before position ``at`` in the clause reaches the words there.

    The scope runs back to the previous comma or contrast word: "no budget" and "we do not
    have any budget" are negated; "no rush, budget is approved" is not.
    """
    start = max(text.rfind(b, 0, at) for b in _SCOPE_ENDS)
    window = text[start + 1 : at]
    return NEGATION.search(window) is not None
