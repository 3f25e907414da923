"""Phrases reps use, in English and German, as compiled patterns over normalised text.

Each entry is a regular-expression fragment matched on word boundaries against text that
:func:`flows.understanding.normalize` lower-cased. Kept apart from the logic so that adding a
phrasing is a one-line change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _phrases(fragments: Iterable[str]) -> re.Pattern[str]:
    body = "|".join(sorted(fragments, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


DONT_KNOW = _phrases(
    [
        r"don'?t know", r"do not know", r"not sure", r"unsure", r"no idea", r"no clue",
        r"dunno", r"unclear", r"unknown", r"can'?t say", r"cannot say", r"hard to say", r"tbd",
        r"not known", r"no visibility",
        r"keine ahnung", r"wei(?:ß|ss) (?:ich )?nicht", r"unklar", r"nicht sicher",
        r"unbekannt", r"k\.\s?a\.?", r"kann ich nicht sagen", r"schwer zu sagen",
        r"nicht bekannt",
    ]
)  # fmt: skip

KNOCKOUT = _phrases(
    [
        r"not interested", r"no interest", r"no need", r"don'?t need (?:it|this|that|one|anything)",
        r"do not need (?:it|this|that|one|anything)", r"signed with (?:a |the )?competitor",
        r"signed with \w+ for", r"went with (?:a |the )?competitor",
        r"chose (?:a |the )?competitor",
        r"already (?:bought|purchased|signed)", r"locked in", r"never going to buy",
        r"kein(?:erlei)? interesse", r"nicht interessiert", r"kein(?:en)? bedarf",
        r"brauchen (?:wir|sie) (?:das )?nicht", r"bereits (?:einen )?vertrag",
        r"(?:schon|bereits) gekauft", r"für (?:einen|den) wettbewerber entschieden",
        r"beim wettbewerb unterschrieben",
    ]
)  # fmt: skip

YES = _phrases(
    [
        r"yes", r"yep", r"yeah", r"yup", r"ya", r"sure", r"absolutely", r"definitely",
        r"of course", r"correct", r"confirmed", r"indeed", r"certainly", r"totally",
        r"for sure", r"affirmative", r"100 ?%", r"we do", r"they do", r"there is", r"we have",
        r"they have",
        r"ja", r"jap", r"jep", r"jo", r"jawohl", r"genau", r"klar", r"natürlich", r"sicher",
        r"auf jeden fall", r"bestätigt", r"stimmt", r"richtig", r"definitiv",
        r"selbstverständlich", r"absolut", r"gibt es", r"haben wir",
    ]
)  # fmt: skip

PARTIAL = _phrases(
    [
        r"partly", r"partially", r"kind of", r"kinda", r"sort of", r"somewhat",
        r"to some extent", r"more or less", r"in part", r"half", r"sometimes", r"a bit",
        r"a little", r"not fully", r"not completely", r"sort of",
        r"teilweise", r"zum teil", r"jein", r"bedingt", r"halbwegs", r"einigermaßen",
        r"so halb", r"mehr oder weniger", r"ein bisschen", r"eher ja", r"nicht ganz",
        r"nicht vollständig",
    ]
)  # fmt: skip

NO = _phrases(
    [
        r"no", r"nope", r"nah", r"not really", r"none", r"never", r"negative", r"not at all",
        r"nothing", r"no one", r"nobody", r"not yet",
        r"nein", r"nö", r"nee", r"ne", r"keine?", r"gar nicht", r"niemand", r"nichts",
        r"eher nicht", r"noch nicht", r"nie",
    ]
)  # fmt: skip

STARTS_NO = re.compile(r"(?:no|nope|nah|none|nothing|nein|nö|nee|nichts|keine?)(?![\w])")

NEGATION = _phrases(
    [r"not", r"\w+n't", r"no", r"never", r"nobody", r"no one", r"nicht", r"kein\w*", r"nie",
     r"niemand"]
)  # fmt: skip

HEDGE = _phrases(
    [
        r"maybe", r"perhaps", r"possibly", r"hopefully", r"probably", r"might", r"not sure",
        r"if all goes well", r"vielleicht", r"eventuell", r"evtl\.?", r"möglicherweise",
        r"hoffentlich", r"wahrscheinlich", r"unter umständen",
    ]
)  # fmt: skip

# --- budget --------------------------------------------------------------------------------

NO_BUDGET = _phrases(
    [
        r"no budget", r"no money", r"no funds?", r"no funding", r"nothing allocated",
        r"zero budget", r"budget is zero", r"nothing budgeted", r"can'?t afford",
        r"kein budget", r"kein geld", r"keine mittel", r"nichts eingeplant", r"kein etat",
        r"budget ist null", r"können (?:wir|sie) sich nicht leisten",
    ]
)  # fmt: skip

PLANNED = _phrases(
    [
        r"planned", r"planning", r"needs? approval", r"pending", r"not (?:yet )?approved",
        r"awaiting approval", r"waiting (?:for|on) (?:approval|sign-?off)", r"being discussed",
        r"in discussion", r"requested", r"to be approved", r"not signed off",
        r"needs? sign-?off", r"has to be approved", r"next year'?s budget", r"in the works",
        r"in planung", r"geplant", r"planen", r"beantragt", r"muss (?:noch )?freigegeben",
        r"(?:noch )?nicht freigegeben", r"wird (?:gerade )?diskutiert", r"in abstimmung",
        r"muss (?:noch )?genehmigt", r"freigabe steht (?:noch )?aus", r"noch offen",
        r"nicht genehmigt",
    ]
)  # fmt: skip

APPROVED = _phrases(
    [
        r"approved", r"available", r"allocated", r"signed off", r"set aside", r"in place",
        r"secured", r"budgeted", r"earmarked", r"(?:we |they )?(?:have|has|got) (?:a |the )?budget",
        r"budget is there", r"ready to spend", r"funded",
        r"freigegeben", r"genehmigt", r"vorhanden", r"steht bereit", r"eingeplant", r"bewilligt",
        r"budget (?:ist|steht)", r"(?:haben|hat) (?:ein |das )?budget",
    ]
)  # fmt: skip

# --- timeline ------------------------------------------------------------------------------

NO_TIMELINE = _phrases(
    [
        r"no timeline", r"no timeframe", r"no time ?frame", r"no deadline", r"no rush",
        r"no plans?", r"not this year", r"some ?day", r"no date", r"not anytime soon",
        r"kein zeitplan", r"kein zeitrahmen", r"keine eile", r"keine frist", r"kein termin",
        r"nicht (?:in )?diese[nms]? jahr", r"irgendwann", r"nicht so bald",
    ]
)  # fmt: skip

# --- authority -----------------------------------------------------------------------------

_TOP = [
    r"ceo", r"cfo", r"cto", r"cio", r"coo", r"cmo", r"cro", r"cpo", r"ciso", r"co-?founder",
    r"founder", r"owner", r"president", r"managing director", r"vp(?: of \w+)?",
    r"vice president(?: of \w+)?", r"svp", r"evp", r"general manager",
    r"geschäftsführer(?:in)?", r"gf", r"inhaber(?:in)?", r"vorstand", r"vorständin",
    r"gründer(?:in)?", r"prokurist(?:in)?",
]  # fmt: skip
_OTHER = [
    r"head of \w+", r"director(?: of \w+)?", r"\w*leiter(?:in)?", r"manager(?:in)?",
    r"procurement", r"purchasing", r"einkauf", r"it lead", r"team lead", r"lead \w+",
    r"boss", r"chef(?:in)?", r"board", r"committee", r"gremium",
]  # fmt: skip
ROLES = _phrases(_TOP + _OTHER)
TOP_ROLES = re.compile("|".join(_TOP))

NO_AUTHORITY = _phrases(
    [
        r"no authority", r"no say", r"not (?:the|a) decision ?maker", r"can'?t decide",
        r"cannot decide", r"doesn'?t decide", r"does not decide", r"no influence",
        r"nothing to say", r"no access", r"just an? intern",
        r"keine entscheidungsbefugnis", r"nicht entscheidungsbefugt",
        r"(?:hat|habe) nichts zu sagen",
        r"entscheidet nicht", r"kein zugang", r"kein entscheider", r"darf nicht entscheiden",
    ]
)  # fmt: skip

PARTIAL_AUTHORITY = _phrases(
    [
        r"(?:need|needs|have|has) to (?:ask|check|run)",
        r"ask (?:my|her|his|their) (?:boss|manager)",
        r"check with", r"run it by", r"needs? (?:sign-?off|approval)", r"committee",
        r"board (?:decides|approves)", r"recommends?", r"influencer", r"influences?",
        r"part of the decision", r"together with", r"not alone", r"sign-?off from",
        r"loop in", r"buying group", r"one of (?:the|several) decision",
        r"fragen", r"abstimmen", r"rücksprache", r"nicht allein", r"gremium", r"empfiehlt",
        r"empfehlen", r"braucht (?:eine )?freigabe", r"beeinflusst", r"entscheidet mit",
        r"mitentscheiden", r"zusammen mit",
    ]
)  # fmt: skip

DECIDES = _phrases(
    [
        r"i sign", r"signs? off", r"signs?", r"decides?", r"decision ?maker", r"final say",
        r"final decision", r"approves?", r"owns? the budget", r"budget holder",
        r"calls? the shots", r"makes? the call", r"(?:his|her|their|my) call",
        r"entscheide", r"entscheidet", r"unterschreib\w*", r"zeichne", r"zeichnet",
        r"(?:hat|habe) das letzte wort", r"budgetverantwortlich\w*", r"entscheider(?:in)?",
    ]
)  # fmt: skip

# --- need / pain ---------------------------------------------------------------------------

NICE_TO_HAVE = _phrases(
    [
        r"nice to have", r"just looking", r"just browsing", r"browsing", r"curious",
        r"exploring", r"researching", r"looking around", r"maybe later", r"not urgent",
        r"not a priority", r"low priority", r"only vague", r"vague", r"would be nice",
        r"wäre (?:nett|schön)", r"schauen sich (?:nur )?um", r"nur (?:mal )?umschauen",
        r"nur informieren", r"informieren sich", r"neugierig", r"keine priorität",
        r"nicht dringend", r"vage", r"mal schauen",
    ]
)  # fmt: skip

NO_PAIN = _phrases(
    [
        r"no pain", r"no problems?", r"no issues?", r"all good", r"works? fine",
        r"happy with (?:their|the|what)", r"nothing (?:really )?hurts",
        r"keine probleme?", r"kein problem", r"alles gut", r"läuft gut", r"sind zufrieden",
    ]
)  # fmt: skip

# --- choices (priority, competition) -------------------------------------------------------

CHOICE_MET = _phrases(
    [
        r"top", r"high(?:est)?(?: priority)?", r"priority (?:#|no\.? ?|number )?(?:one|1)",
        r"critical", r"urgent", r"we(?:'re| are) ahead", r"ahead", r"no competitors?",
        r"only us", r"favou?rite", r"we lead",
        r"oberste", r"hohe", r"höchste", r"dringend", r"wir liegen vorn\w*", r"vorn\w*",
        r"kein wettbewerb", r"keine konkurrenz", r"nur wir", r"favorit",
    ]
)  # fmt: skip

CHOICE_PARTIAL = _phrases(
    [
        r"medium", r"on the list", r"open race", r"several vendors", r"comparing",
        r"neck and neck", r"mid", r"one of several",
        r"mittel", r"auf der liste", r"offenes rennen", r"vergleichen", r"mehrere anbieter",
        r"kopf an kopf",
    ]
)  # fmt: skip

CHOICE_MISSING = _phrases(
    [
        r"low", r"not a priority", r"no priority", r"behind",
        r"competitor (?:is )?(?:ahead|favou?red)",
        r"they prefer", r"losing",
        r"niedrig", r"keine priorität", r"hinten", r"wettbewerb(?:er)? (?:liegt )?vorn\w*",
        r"konkurrenz (?:liegt )?vorn\w*",
    ]
)  # fmt: skip
