"""Phrases reps use, in English and German, as compiled patterns over normalised text.

Each entry is a regular-expression fragment matched on word boundaries against text that
:func:`flows.cues.normalize` lower-cased. Kept apart from the logic so that adding a phrasing is
a one-line change. Fragments use bounded gaps only (``\\w{0,20}``), never nested repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def phrases(fragments: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of the fragments as whole words, longest first."""
    body = "|".join(sorted(fragments, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


DONT_KNOW = phrases(
    [
        r"(?:sicher|sure) bin ich (?:mir )?(?:da )?nicht", r"not 100 ?% sure",
        r"nicht 100 ?% sicher",
        r"don'?t know", r"do not know", r"not sure", r"unsure", r"no idea", r"no clue",
        r"dunno", r"idk", r"unclear", r"unknown", r"can'?t say", r"cannot say", r"hard to say",
        r"tbd", r"not known", r"no visibility into (?:the )?(?:budget|decision|timing)",
        r"keine ahnung", r"wei(?:ß|ss) (?:ich |er |sie |man )?(?:noch )?nicht", r"unklar",
        r"nicht sicher", r"unbekannt", r"k\.\s?a\.?", r"kann ich nicht sagen",
        r"schwer zu sagen", r"nicht bekannt", r"keinen plan",
    ]
)  # fmt: skip

YES = phrases(
    [
        r"yes", r"yep", r"yeah", r"yup", r"ya", r"yas", r"yess?", r"sure", r"absolutely",
        r"definitely", r"of course", r"correct", r"confirmed", r"indeed", r"certainly",
        r"totally", r"for sure", r"affirmative", r"100 ?%", r"we do", r"they do", r"there is",
        r"we have", r"they have", r"ok", r"okay", r"yes sir", r"def", r"deffo", r"si",
        r"ja", r"jap", r"jep", r"jo", r"joa", r"jawohl", r"genau", r"klar", r"natürlich",
        r"sicher", r"bestätigt", r"stimmt", r"richtig", r"definitiv", r"selbstverständlich",
        r"absolut", r"gibt es", r"haben wir", r"passt", r"logo", r"freilich",
    ]
)  # fmt: skip

BARE_YES = re.compile(
    r"^(?:(?:yes|yep|yeah|yup|ya|yess?|sure|absolutely|definitely|of course|correct|ok|okay"
    r"|certainly|for sure|indeed|yes indeed|totally|100 ?%|def|ja|jap|jep|jo|joa|jawohl|genau"
    r"|klar|natürlich|sicher|definitiv|absolut|logo|passt|jup|ja klar|klar doch|ja genau"
    r"|sure thing|yes sir|si)[\s,.!]{0,3}){1,3}$"
)

PARTIAL = phrases(
    [
        r"wenig (?:gewicht|einfluss|mitspracherecht)",
        r"little (?:influence|weight|say|clout|pull)",
        r"kaum einfluss",
        r"steht noch aus", r"noch ausstehend", r"still (?:pending|outstanding)",
        r"zur hälfte", r"half of it",
        r"roughly", r"half-?way", r"partway", r"to a degree", r"ish",
        r"partly", r"partially", r"kind of", r"kinda", r"sort of", r"somewhat",
        r"to some extent", r"more or less", r"in part", r"half", r"sometimes", r"a bit",
        r"a little", r"not fully", r"not completely", r"yes and no", r"so-so", r"meh",
        r"teilweise", r"zum teil", r"jein", r"bedingt", r"halbwegs", r"einigermaßen",
        r"so halb", r"mehr oder weniger", r"ein bisschen", r"eher ja", r"nicht ganz",
        r"nicht vollständig", r"ja und nein", r"so lala",
        r"halb-halb", r"halb/halb", r"teils", r"teils-teils",
    ]
)  # fmt: skip

NO = phrases(
    [
        r"no", r"nope", r"nah", r"not really", r"none", r"never", r"negative", r"not at all",
        r"nothing", r"no one", r"nobody", r"zero", r"nada", r"not a chance",
        r"nein", r"nö", r"nee", r"ne", r"keine?", r"gar nicht", r"niemand", r"nichts",
        r"eher nicht", r"nie", r"überhaupt nicht", r"keinerlei", r"leider nicht", r"nicht wirklich",
    ]
)  # fmt: skip

STARTS_NO = re.compile(
    # An ironic wish as the whole reply is a no: "I wish", "dream on", "schön wär's".
    r"(?:i wish|if only|dream on|as if|schön wär'?s|schön wäre es|wär'? schön|träum weiter"
    r"|wenn'?s nur so wäre)(?![\w])(?! (?:\w{1,12} ){0,2}(?:had|has|have|were|was|hätten|hätte))|"
    # A bare negated auxiliary as the whole reply: "they don't", "hat er nicht".
    r"(?:(?:no|nope|nein),? )?(?:they|he|she|we|it|the company|the client)"
    r" (?:don'?t|doesn'?t|do not|does not|haven'?t|hasn'?t|have not|has not|can'?t|cannot"
    r"|aren'?t|isn'?t|won'?t)(?: really| at all)?[.!]*$|"
    r"(?:haben|hat|können|kann) (?:sie|er|die|wir) (?:leider )?(?:nicht|keins?|keine[ns]?)[.!]*$|"
    r"(?:null|zero|nix)(?=[.!,]|$)|"
    r"(?:(?:so|also|thus|kurz|in short|bottom line:?|fazit:?)\s)?(?!(?:nothing|nichts) (?:works"
    r"|is working"
    r"|funktioniert|läuft|klappt|geht))(?:(?:no|nein|nee"
    r"|ne)(?:[,.!:;-]|$)|(?:nope|nah|nö|nada|nothing|nichts|none|no one|nobody"
    r"|niemand|keiner|not really|nicht wirklich|eher nicht)(?![\w]))"
)

# --- budget --------------------------------------------------------------------------------

BUDGET_WORD = phrases(
    [r"budget\w{0,6}", r"money", r"funds?", r"funding", r"geld", r"mittel", r"etat", r"spend",
     r"capex", r"opex", r"kohle"]
)  # fmt: skip

NO_BUDGET = phrases(
    [
        r"laughed", r"lachte\w{0,2}", r"haben gelacht",
        r"rejected", r"abgelehnt", r"turned down", r"nicht bewilligt", r"denied",
        r"not (?:a|one) (?:single )?(?:euro|cent|dollar|penny|dime)",
        r"keinen (?:einzigen )?(?:euro|cent)",
        r"no way", r"keine chance", r"auf keinen fall",
        r"budget:? ?(?:0|null|zero|nil|nada|none)", r"0 ?(?:€|eur|euro|k|usd|\$)",
        r"fehlanzeige", r"(?:nothing|nichts) (?:\w{1,12} )?(?:im|in the) (?:topf|pot|kitty)",
        r"(?:topf|pot) (?:ist |is )?(?:leer|empty)",
        r"no budget(?! (?:discussion|talk|question|issue|problem|concern|worries))", r"no money",
        r"no funds?", r"no funding", r"nothing allocated", r"zero budget",
        r"(?:kein\w{0,6}|null|zero|no) (?:\w{1,12} )?(?:budget|geld|mittel|etat|money|funds?"
        r"|funding)",
        r"(?:it'?s|is|was|got|has been|ist|wurde|sind) (?:\w{1,12} )?(?:frozen|eingefroren|gestoppt"
        r"|cancelled|canceled|gekippt|scrapped|killed|pulled)",
        r"budget (?:is|was|got|has been) (?:zero|frozen|killed|scrapped|pulled)",
        r"nothing budgeted", r"can'?t afford", r"cannot afford", r"budget freeze", r"hiring freeze",
        r"cut to zero", r"(?:cut|slashed|reduced) to (?:zero|nothing|0)", r"spending freeze",
        r"to zero", r"to nothing", r"cut completely", r"completely cut", r"komplett gestrichen",
        r"already (?:went|gone|spent|allocated elsewhere)",
        r"(?:went|gone) (?:elsewhere|to another)",
        r"spent (?:this|the) year'?s budget", r"none planned", r"nothing planned",
        r"nichts geplant",
        r"kein budget", r"kein geld", r"keine mittel", r"nichts eingeplant", r"kein etat",
        r"budget ist null", r"können (?:wir|sie) sich nicht leisten", r"gestrichen",
        r"auf null", r"eingefroren", r"budgetstopp", r"ausgabenstopp", r"keinen cent",
        r"not a cent", r"no spend", r"broke", r"pleite", r"nothing set aside", r"nothing earmarked",
        # Not in this budget period, or there is budget but not for this.
        r"(?:not|nicht) (?:in )?(?:this|dieses|diesem|the current|current) (?:year|jahr"
        r"|fiscal year|fy|geschäftsjahr|quarter|quartal)",
        r"(?:just |but |only )?not for (?:us|this|our \w{2,12}|them)", r"nicht für uns",
        r"(?:went|gone|goes|going|allocated|spent|geht|ging|fließt|floss) (?:\w{1,12} ){0,2}"
        r"(?:to|on|into|in|für|ins) (?:the |their |another |a |das |den |die |ein )?"
        r"(?:\w{2,20} )?(?:project|initiative|projekt|programm)",
        r"[$€£] ?0(?!\d|[.,]\d)",
        r"(?:budget|geld|mittel) (?:\w{1,12} ){0,4}gibt'?s (?:\w{1,12} ){0,4}nicht",
        r"(?:nichts|nix|null|nothing|zero) (?:\w{1,12} )?(?:eingeplant|geplant|budgetiert"
        r"|vorgesehen|planned|budgeted|allocated)",
        r"(?:got|has|have|gets|with|bekommt|hat|haben|bekam) (?:\w{1,12} )?(?:0|zero|nothing|nix"
        r"|null|nichts) (?:allocated|assigned|earmarked|budgeted|zugeteilt|eingeplant|bekommen"
        r"|abbekommen)",
        # Money that would first have to be found is money they do not have.
        r"(?:have|has|need|needs|'d have|would have) to (?:find|scrape together|free up|dig up)"
        r" (?:the |some |any )?(?:money|budget|funds?|funding)",
        r"(?:geld|budget|mittel) (?:\w{1,12} ){0,2}(?:erst )?(?:noch )?(?:finden|auftreiben"
        r"|zusammenkratzen|freischaufeln)",
    ]
)  # fmt: skip

PLANNED = phrases(
    [
        r"ask (?:the )?(?:\w{1,12} ){0,2}for (?:funds|money|budget|funding)",
        r"only if", r"nur wenn", r"nur falls",
        r"(?:kommt|comes) (?:erst )?(?:mit|with|im|in|nach|after)",
        r"new (?:fiscal|financial) year",
        r"neue[nms]? geschäftsjahr\w{0,2}",
        r"look(?:ing)? into it", r"checking (?:it|internally)",
        r"prüfen (?:das|es) (?:gerade|noch)",
        r"gecheckt", r"geprüft", r"being checked", r"under review", r"freigabe fehlt",
        r"approval (?:is )?(?:missing|outstanding)",
        r"find (?:the )?(?:money|budget|funds)", r"(?:geld|budget|mittel) (?:\w{1,12} ){0,2}finden",
        r"free up", r"freimachen", r"freischaufeln",
        r"(?:need to|have to|must|müssen) (?:first )?find"
        r" (?:the )?(?:money|budget|funds)",
        r"no (?:formal |final )?(?:approval|sign-?off)(?: yet)?",
        r"keine (?:freigabe|genehmigung)", r"(?:ohne|without) (?:freigabe|approval|sign-?off)",
        r"(?:only |still )?(?:gets|will be|is to be|would be|needs to be|has to be) (?:\w{1,12} )?"
        r"(?:approved|signed off|signed|greenlit)", r"into the (?:20\d\d )?plan", r"auf der kippe",
        r"im gespräch", r"wackelt", r"on the fence", r"in the balance",
        r"wird (?:\w{1,12} ){0,4}(?:freigegeben|genehmigt|abgesegnet|bewilligt)",
        r"pencil+ed in", r"penciled", r"vorgemerkt",
        r"noch (?:freigeben|zustimmen|absegnen|genehmigen|approven|unterschreiben|abnicken)",
        r"(?:still )?(?:has|have|needs?) to (?:be )?(?:approve|approved|sign off|signed off"
        r"|re-?approved|sign)",
        r"(?:muss|müssen)(?: \w{1,12}){0,3} (?:freigeben|approven|zustimmen|absegnen|abnicken"
        r"|genehmigen|unterschreiben)",
        r"re-?approved", r"beantragen", r"(?<!i )wish", r"wunsch", r"entwurf", r"planentwurf",
        r"draft",
        r"budget round", r"budgetrunde",
        r"freigegeben (?:ist|is) (?:noch )?(?:nix|nichts)", r"noch (?:nix|nichts) freigegeben",
        r"needs? (?:\w{1,12} ){1,2}(?:approval|sign-?off)", r"request for",
        r"not (?:yet )?(?:signed|approved|final)", r"noch nicht",
        r"planned", r"planning", r"plan to", r"needs? approval", r"pending",
        r"not (?:yet )?approved",
        r"awaiting approval", r"waiting (?:for|on) (?:approval|sign-?off|the cfo|finance)",
        r"being discussed", r"in discussion", r"requested", r"to be approved", r"not signed off",
        r"needs? sign-?off", r"has to be approved", r"needs to be approved", r"next year'?s budget",
        r"in the works", r"budget cycle",
        r"submitted", r"proposal", r"business case", r"applying for", r"asking for",
        r"in planung", r"geplant", r"planen", r"beantragt", r"muss (?:noch )?freigegeben",
        r"(?:noch )?nicht freigegeben", r"wird (?:gerade )?diskutiert", r"in abstimmung",
        r"muss (?:noch )?genehmigt", r"freigabe steht (?:noch )?aus", r"nicht genehmigt",
        r"nächste[ns]? (?:jahr|gj|geschäftsjahr|budgetrunde)", r"budgetrunde", r"eingereicht",
        r"noch nicht (?:final|bewilligt|genehmigt|freigegeben)", r"abgesegnet werden",
        r"less than last year", r"weniger als letztes jahr", r"reduced", r"gekürzt", r"halbiert",
        r"halved", r"cut (?:in half|back|down)", r"got cut", r"was cut",
        # A figure someone has in mind, a pilot sum before the real budget, an approval by
        # someone else still outstanding.
        r"im (?:hinter)?kopf", r"in (?:mind|their heads?|his head|her head)", r"ballpark",
        r"(?:real|actual|proper|eigentliche) budget (?:comes|kommt) (?:\w{1,12} )?(?:later"
        r"|später|noch)", r"steht (?:noch )?aus", r"muss noch durch",
        r"(?:haven'?t|hasn'?t|have not|has not) (?:yet )?agreed",
        r"letzte wort hat (?:der|die|das)",
        r"(?:freigegeben|eingeplant|genehmigt|approved|budgeted) (?:ist|is|wurde|sind) (?:\w{1,8}"
        r" ){0,2}(?:nichts|nothing)",
    ]
)  # fmt: skip

APPROVED = phrases(
    [
        r"there'?s (?:\w{1,12} )?budget",
        r"approved", r"available", r"allocated", r"signed off", r"set aside", r"in place",
        r"secured", r"budgeted", r"earmarked",
        r"(?:we |they )?(?:have|has|got) (?:a |the |some |an? )?(?:\w{1,12} )?budget",
        r"budget is there", r"ready to spend", r"funded", r"green ?lit", r"greenlit",
        r"doubled", r"increased", r"there is (?:a |some )?budget", r"budget exists", r"reserved",
        r"freigegeben", r"genehmigt", r"vorhanden", r"steht bereit", r"eingeplant", r"bewilligt",
        r"budget (?:ist|steht)(?! noch nicht)", r"(?:haben|hat) (?:ein |das |\w{1,12}es )?budget",
        r"verdoppelt", r"erhöht", r"reserviert", r"gibt es", r"abgesegnet", r"ist da",
        r"sind da", r"sind drin", r"ist drin", r"po can go out", r"po is raised", r"signed",
    ]
)  # fmt: skip

UP_TO = phrases([r"up to", r"max(?:imum)?", r"at most", r"bis zu", r"höchstens", r"maximal"])
AT_LEAST = phrases([r"at least", r"min(?:imum)?", r"mindestens", r"more than", r"über", r"over"])

# --- timeline ------------------------------------------------------------------------------

NO_TIMELINE = phrases(
    [
        r"diese[sn]? jahr (?:\w{1,12} )?nicht(?: mehr)?", r"this year(?:'s)? (?:not|no longer|out)",
        r"no urgency", r"keine dringlichkeit", r"not urgent", r"nicht dringend", r"eilt nicht",
        r"(?:zero|null|keine?n?|no) (?:urgency|dringlichkeit|druck|zeitdruck|pressure|eile|rush)",
        r"dringend (?:ist|is) (?:da |das |es )?(?:gar |überhaupt )?(?:nix|nichts)",
        r"(?:gar |überhaupt )?(?:nix|nichts) dringend\w{0,2}",
        r"no timeline", r"no timeframe", r"no time ?frame", r"no deadline", r"no plans?",
        r"not this year", r"some ?day", r"no date", r"not anytime soon", r"not any time soon",
        r"not in the foreseeable future", r"no time ?line", r"on hold", r"indefinitely",
        r"gar nicht", r"not at all",
        r"kein zeitplan", r"kein zeitrahmen", r"keine eile", r"keine frist", r"kein termin",
        r"ohne (?:festen |konkreten |fixen )?(?:termin|zeitplan|zeitrahmen|datum|deadline|frist)",
        r"without (?:a |any )?(?:fixed |set |firm |concrete )?(?:date|deadline|timeline|timeframe)",
        r"nicht (?:in )?diese[nms]? jahr", r"nicht so bald", r"auf eis", r"no rush",
        r"kein\w{0,2} (?:zeitplan|zeitrahmen|termin|deadline|frist|zeitdruck)", r"no time pressure",
        r"(?:have|has) no (?:timeline|timeframe|date|deadline)",
        r"auf unbestimmte zeit", r"in ferner zukunft", r"nicht absehbar", r"never", r"nie",
        # Never, said as an idiom of the impossible.
        r"when hell freezes over", r"when pigs fly", r"wenn schweine fliegen",
        r"am sankt-nimmerleins-?tag", r"st\.? never'?s day",
    ]
)  # fmt: skip

VAGUE_TIME = phrases([r"some ?day", r"some ?time", r"irgendwann", r"eventually", r"at some point"])
