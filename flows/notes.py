"""Call notes pasted by a rep: which criteria they settle, each with its sentence as evidence.

Notes are split into sentences; each sentence goes to the criteria whose topic words it uses
most (money words to budget, who-signs words to authority, pain words to need, dates and
periods to timeline, ...; English and German) and is read there by the ordinary reader. Only
clear readings are kept: a clarification, an unknown, a doubtful reading or two sentences that
disagree about one criterion leave that criterion to be asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from flows.model import Assessment, Criterion, Framework, Status, Thresholds
from flows.phrasebook import Phrasebook, topic_of
from flows.understanding import understand

MIN_CONFIDENCE = 0.75
"""Readings the reader is less sure of than this are asked instead of pre-filled."""

_MONTHS = (
    r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|march|märz|maerz|apr(?:il)?|june?|juni|july?|juli|"
    r"aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"dez(?:ember)?|mai"
)
_AMOUNT = (
    r"[€$£]\s?\d[\d.,']*|\d[\d.,']*\s?(?:k|m|mio|mill?ion(?:en)?|tsd|tausend|€|eur|euro|usd|\$)"
)

_PERIOD = r"(?<!every )(?<!each )(?<!per )(?<!a )(?<!jede )(?<!jeden )(?<!pro )(?<!im )"
"""A period word, unless it counts how often (``every week``, ``jede Woche``) rather than when."""

_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "budget": (
        r"budgets?", r"money", r"funds?", r"funding", r"spend(?:ing)?", r"costs?", r"pric(?:e|ing)",
        r"euros?", r"dollars?", r"set aside", r"allocated", r"po", r"purchase order", r"capex",
        r"opex", r"approved", r"geld", r"mittel", r"kosten", r"preis", r"etat", r"eingeplant",
        r"freigegeben", r"investition", _AMOUNT,
    ),
    "authority": (
        r"signs?", r"signed off", r"sign-?off", r"decides?", r"decision[- ]maker", r"decider",
        r"approves?", r"approval", r"final say", r"has the say", r"c[efitom]o", r"vp",
        r"head of", r"director", r"founder", r"owner", r"boss", r"board", r"budget holder",
        r"economic buyer", r"reports to", r"steerco", r"committee",
        r"unterschreibt", r"unterschrift", r"entscheidet", r"entscheider(?:in)?", r"freigabe",
        r"zeichnet", r"geschäftsführer(?:in)?", r"gf", r"vorstand", r"chef(?:in)?",
        r"leiter(?:in)?", r"prokurist(?:in)?", r"inhaber(?:in)?",
    ),
    "need": (
        r"problems?", r"pain(?:s| points?)?", r"issues?", r"challenges?", r"struggl\w*",
        r"los(?:e|es|ing)", r"lost", r"broken", r"manual(?:ly)?", r"slow", r"frustrat\w*",
        r"needs?", r"headaches?", r"bottlenecks?", r"churn", r"errors?", r"mess", r"chaos",
        r"problem(?:e|en)?", r"schmerz\w*", r"herausforderung(?:en)?", r"bedarf", r"brauch\w*",
        r"verlier\w*", r"manuell", r"langsam", r"fehler", r"ärger\w*", r"engpass", r"chaos",
    ),
    "timeline": (
        _MONTHS, r"(?:in|by|until|before|after|end of|early|mid|late|from) may", r"may \d",
        r"q[1-4]", r"h[12]", r"quarters?", r"quartal", _PERIOD + r"(?:weeks?|wks?|months?|years?)",
        r"mo", r"fy\s?\d*", r"asap", r"soon", r"immediately", r"timeline", r"time ?frame",
        r"deadline", r"go[- ]live", r"launch", r"roll ?out", r"kick ?off", r"year[- ]end",
        r"summer", r"winter", r"spring", r"autumn", r"xmas", r"christmas", r"easter",
        r"\d{1,2}[./]\d{1,2}\.?", r"20\d\d", r"(?:kw|cw|wk) ?\d{1,2}",
        r"zeitplan", r"zeitrahmen", _PERIOD + r"(?:wochen?|monat(?:e|en)?|jahr(?:es)?)",
        r"jahresende",
        r"sommer", r"herbst", r"frühjahr", r"ostern", r"weihnachten", r"sofort", r"demnächst",
        r"bald", r"start(?:en|et)?",
    ),
    "metrics": (
        r"metrics?", r"kpis?", r"roi", r"\d+ ?%", r"percent", r"sav(?:e|es|ings)", r"reduce",
        r"cut", r"kennzahl\w*", r"einspar\w*", r"prozent", r"senken", r"reduzieren",
    ),
    "champion": (
        r"champion", r"advocate", r"sponsor", r"pushes", r"fan", r"on our side",
        r"fürsprecher(?:in)?", r"unterstützer(?:in)?", r"treibt",
    ),
    "competition": (
        r"competitors?", r"competition", r"alternatives?", r"also looking at", r"other vendors?",
        r"wettbewerb(?:er)?", r"konkurren\w*", r"alternativen?",
    ),
    "decision_process": (
        r"process", r"steps?", r"pilot", r"poc", r"proof of concept", r"evaluation",
        r"entscheidungsprozess", r"ablauf", r"testphase",
    ),
    "decision_criteria": (
        r"criteria", r"requirements?", r"matters? most", r"must[- ]haves?", r"kriterien",
        r"anforderungen",
    ),
    "paper_process": (
        r"contracts?", r"legal", r"paperwork", r"procurement", r"msa", r"nda", r"vertrag",
        r"rechtsabteilung", r"einkauf",
    ),
    "prioritization": (
        r"priorit(?:y|ies|ised|ized)", r"prio", r"back burner", r"on hold", r"priorität",
        r"auf eis",
    ),
    "goals": (r"goals?", r"aims?", r"objectives?", r"ziele?", r"wollen erreichen"),
    "plans": (r"plans?", r"planning", r"roadmap", r"pläne", r"vorhaben"),
    "consequences": (r"consequences?", r"otherwise", r"if they don'?t", r"folgen", r"sonst"),
    "implications": (r"benefits?", r"gain", r"upside", r"vorteile?", r"nutzen"),
}  # fmt: skip

_TOPICS: dict[str, re.Pattern[str]] = {
    topic: re.compile(rf"(?<![\w])(?:{'|'.join(words)})(?![\w])")
    for topic, words in _TOPIC_WORDS.items()
}

_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "z.b", "ca", "approx", "vs", "bzw", "u.a", "d.h", "mr", "mrs", "ms", "dr", "etc"}
)
_BREAK = re.compile(r"[\r\n]+|;|(?<=[.!?])\s+")
_BULLET = re.compile(r"^\s*(?:[-*•·–>]+|\d{1,2}[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """The sentences of pasted notes: lines, bullets, ``;`` and ends of sentences.

    A period after an abbreviation (``e.g.``, ``z.B.``) or a day number (``am 15. März``,
    ``15.3.``) does not end a sentence.
    """
    pieces: list[str] = []
    carry = ""
    for raw in _BREAK.split(text):
        piece = _BULLET.sub("", raw).strip()
        if not piece:
            continue
        joined = f"{carry} {piece}".strip() if carry else piece
        last = joined.rsplit(None, 1)[-1].casefold().rstrip(".") if joined else ""
        if joined.endswith(".") and (
            last in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?", last)
        ):
            carry = joined
            continue
        pieces.append(joined)
        carry = ""
    if carry:
        pieces.append(carry)
    return pieces


def topics_of(sentence: str) -> set[str]:
    """The topics a sentence is most about (several when they tie); empty when none fits."""
    lowered = sentence.replace("’", "'").casefold()
    counts = {
        topic: len(set(pattern.findall(lowered)))
        for topic, pattern in _TOPICS.items()
        if pattern.search(lowered)
    }
    if not counts:
        return set()
    best = max(counts.values())
    return {topic for topic, count in counts.items() if count == best}


def _criteria_for(
    framework: Framework, sentence: str, phrasebook: Phrasebook | None
) -> Iterable[Criterion]:
    topics = topics_of(sentence)
    for criterion in framework.criteria:
        learned = phrasebook is not None and phrasebook.lookup(criterion, sentence) is not None
        if learned or topic_of(criterion) in topics or criterion.key in topics:
            yield criterion


def _sure(reading: object) -> bool:
    if not isinstance(reading, Assessment) or reading.status is Status.UNKNOWN:
        return False
    return float(getattr(reading, "confidence", 1.0)) >= MIN_CONFIDENCE


def read_notes(
    framework: Framework,
    text: str,
    *,
    lang: str,
    thresholds: Thresholds,
    today: date,
    phrasebook: Phrasebook | None = None,
) -> dict[str, Assessment]:
    """The criteria that pasted notes settle, read sentence by sentence.

    Args:
        framework: The framework being qualified.
        text: The notes as pasted (lines, bullets, sentences; English or German).
        lang: The conversation's language.
        thresholds: The framework's thresholds for amounts and timeframes.
        today: Reference day for timeframes.
        phrasebook: The workspace's learned readings, read first as in every answer.

    Returns:
        Clear readings by criterion key, in the framework's order; each has the sentence it
        came from as evidence. Criteria the notes leave unclear, unknown or contradictory
        are left out.
    """
    found: dict[str, Assessment] = {}
    disputed: set[str] = set()
    for sentence in split_sentences(text):
        for criterion in _criteria_for(framework, sentence, phrasebook):
            key = criterion.key
            if key in disputed:
                continue
            reading = understand(
                criterion,
                sentence,
                lang=lang,
                thresholds=thresholds,
                today=today,
                phrasebook=phrasebook,
            )
            if not _sure(reading):
                continue
            assert isinstance(reading, Assessment)
            earlier = found.get(key)
            if earlier is None:
                found[key] = reading
            elif earlier.status is not reading.status:
                # Two sentences disagree: the rep should say which holds.
                del found[key]
                disputed.add(key)
    return {key: found[key] for key in framework.keys if key in found}
