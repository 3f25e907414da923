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
        r"re-?approved", r"beantragen", r"wish", r"wunsch", r"entwurf", r"planentwurf", r"draft",
        r"budget round", r"budgetrunde", r"not (?:yet )?(?:signed|approved|final)", r"noch nicht",
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
        r"no timeline", r"no timeframe", r"no time ?frame", r"no deadline", r"no plans?",
        r"not this year", r"some ?day", r"no date", r"not anytime soon", r"not any time soon",
        r"not in the foreseeable future", r"no time ?line", r"on hold", r"indefinitely",
        r"gar nicht", r"not at all",
        r"kein zeitplan", r"kein zeitrahmen", r"keine eile", r"keine frist", r"kein termin",
        r"nicht (?:in )?diese[nms]? jahr", r"nicht so bald", r"auf eis", r"no rush",
        r"kein\w{0,2} (?:zeitplan|zeitrahmen|termin|deadline|frist|zeitdruck)", r"no time pressure",
        r"(?:have|has) no (?:timeline|timeframe|date|deadline)",
        r"auf unbestimmte zeit", r"in ferner zukunft", r"nicht absehbar", r"never", r"nie",
        # Never, said as an idiom of the impossible.
        r"when hell freezes over", r"when pigs fly", r"wenn schweine fliegen",
        r"am sankt-nimmerleins-?tag", r"st\.? never'?s day",
    ]
)  # fmt: skip

# --- authority -----------------------------------------------------------------------------

_TOP = [
    r"ceo", r"cfo", r"cto", r"cio", r"coo", r"cmo", r"cro", r"cpo", r"ciso", r"cdo",
    r"co-?founder", r"founder", r"owner", r"president", r"managing director", r"md",
    r"vp(?: of \w+)?", r"vice president(?: of \w+)?", r"svp", r"evp", r"general manager",
    r"geschäftsführer(?:in)?", r"gf", r"inhaber(?:in)?", r"vorstand\w{0,6}", r"vorständin",
    r"gründer(?:in)?", r"prokurist(?:in)?", r"mitgründer(?:in)?", r"chef(?:in)?", r"gm",
    r"managing partner", r"geschäftsführende[rn]? gesellschafter(?:in)?",
    r"\w{2,12}(?:vorstand|vorständin|chef|chefin|direktor|direktorin)",
    r"chief \w{2,12} officer",
]  # fmt: skip
_OTHER = [
    r"head of \w+", r"director(?: of \w+)?", r"\w*leiter(?:in)?", r"manager(?:in)?",
    r"procurement", r"purchasing", r"einkauf", r"it lead", r"team lead", r"lead \w+",
    r"boss", r"board", r"committee", r"gremium", r"finance", r"legal", r"werkstudent(?:in)?",
    r"assistant", r"assistent(?:in)?",
    r"analyst", r"engineer", r"entwickler(?:in)?", r"admin", r"steerco", r"steering committee",
    r"aufsichtsrat", r"controller", r"controlling", r"buchhaltung", r"sachbearbeiter(?:in)?",
    r"referent(?:in)?", r"specialist", r"coordinator", r"koordinator(?:in)?", r"vorgesetzte[rn]?",
    r"supervisor", r"owner", r"holding", r"parent company", r"mutterkonzern", r"konzern",
    r"hq", r"headquarters", r"zentrale", r"buyer", r"einkäufer(?:in)?", r"business side",
    r"fachbereich", r"fachabteilung",
    r"fachseite", r"it department", r"it-abteilung",
    r"partners?", r"partnerinnen", r"gesellschafter(?:in|innen)?", r"geschäftsleitung",
    r"shareholders?(?:'? meeting)?", r"gesellschafterversammlung", r"treasurer", r"kämmerer(?:in)?",
]  # fmt: skip
ROLES = phrases(_TOP + _OTHER)
TOP_ROLES = re.compile("|".join(_TOP))

NO_AUTHORITY = phrases(
    [
        r"(?:no|keine) (?:decision|entscheidungs)[- ]?(?:rights|rechte|power|befugnis\w{0,2}"
        r"|kompetenz)",
        r"(?:entscheidet|unterschreibt|zeichnet|decides|signs) (?:\w{1,12} )?(?:nicht|not)",
        r"kein\w{0,2} (?:\w{1,12} )?(?:budgetverantwortung|verantwortung|befugnis\w{0,2})",
        r"no (?:signing|budget|spending) authority",
        r"(?:nichts|null|nix|gar nichts) zu (?:melden|sagen)",
        r"(?:won'?t|can'?t|cannot|will not|don'?t) get (?:to|near|access)", r"won'?t let us",
        r"keeps? (?:\w{1,12} ){1,3}away", r"schirm\w{0,3} (?:\w{1,12} ){0,3}ab", r"kein zugang",
        r"(?:nur )?(?:die )?demo (?:\w{1,20} ){0,3}gebucht", r"booked the demo",
        r"no authority", r"no say", r"not (?:the|a) decision ?maker", r"can'?t decide",
        r"cannot decide", r"doesn'?t decide", r"does not decide", r"no influence",
        r"nothing to say", r"no access", r"just an? intern", r"no decision power",
        r"zero say", r"no budget authority", r"not involved", r"out of the loop",
        r"keine entscheidungsbefugnis", r"nicht entscheidungsbefugt",
        r"(?:hat|habe) nichts zu sagen", r"nichts zu melden", r"keinen einfluss",
        r"entscheidet nicht", r"kein zugang", r"kein entscheider", r"darf nicht entscheiden",
        r"nicht beteiligt", r"außen vor", r"nichts zu sagen", r"nix zu sagen",
        r"(?:zero|no|null|kein\w{0,2}|ohne jeglichen?|ohne) (?:\w{1,12} )?(?:influence|einfluss"
        r"|mitspracherecht"
        r"|say|authority|entscheidungs\w{2,12})", r"nothing to do with the decision",
        r"mit der entscheidung nichts zu tun", r"für jemand(?:en)? anderen", r"for someone else",
        r"entscheidet (?:gar |überhaupt )?nichts", r"decides nothing", r"can'?t get (?:to|near)",
        r"(?:kommen|komme) (?:wir |ich )?(?:\w{1,20} ){0,2}nicht ran", r"no access to",
        r"blockt", r"blocks (?:every|all|any)", r"just booked the demo",
        r"no (?:line|way|path|route|channel) to (?:them|him|her|reach)",
        r"refuses? to (?:introduce|connect|loop)", r"weigert sich", r"no involvement",
        r"refuses? (?:\w{1,12} ){0,2}(?:meetings?|calls?|termine?)",
        r"einfluss (?:\w{1,12} ){0,4}(?:hat|habe|haben) (?:er|sie|ich|wir) kein\w{0,2}",
        r"nur als (?:anwender|user|nutzer)\w{0,2}", r"only (?:as )?an? (?:end )?user",
        r"(?:can'?t|cannot|darf nicht|kann nicht) (?:even )?(?:sign|decide|approve|unterschreiben"
        r"|entscheiden|freigeben|pick|choose|order)",
        r"keine beteiligung", r"(?:nix|nichts) mitzureden", r"kein mitspracherecht",
        r"(?:zero|no|null|keine) decision(?:-making)? power",
        r"(?:won'?t|doesn'?t|does not|will not) let (?:anyone|anybody|us) through",
    ]
)  # fmt: skip

PARTIAL_AUTHORITY = phrases(
    [
        r"(?:without|ohne) (?:the |his |her |their |den |die |das |seinen |ihren )?(?:\w{1,12}"
        r" )?(?:board"
        r"|boss|cfo|ceo|coo|manager|vorstand|chef\w{0,2}|gf|geschäftsführ\w{0,4}|einkauf"
        r"|procurement)",
        r"entscheidung fällt (?:im|beim|in der|bei der|durch)",
        r"decision (?:is made|happens|sits|lies)"
        r" (?:in|at|with|by) the",
        r"(?<!putting )(?<!put )(?<!puts )together", r"\w{2,12} \+ \w{2,12}",
        r"über den tisch", r"across (?:the )?\w{2,12}'s desk",
        r"goes through (?:the|their|our) \w{2,20}",
        r"empfehlung\w{0,2}", r"recommendations?",
        r"(?:final )?(?:sign-?off|say|decision|call|unterschrift|entscheidung) (?:is |lies |sits "
        r"|rests "
        r"|liegt )?"
        r"(?:with|bei) (?:the|her|his|their|dem|der)", r"has a voice", r"hat eine stimme",
        r"(?:need|needs|have|has|got) to (?:ask|check|run|get|loop)", r"reports? to",
        r"ask (?:my|her|his|their) (?:boss|manager|cfo|ceo|head|director|vp)",
        r"check with", r"run it by", r"needs? (?:sign-?off|approval|a sign-?off|the ok|an ok)",
        r"committee", r"board (?:decides|approves|signs)", r"recommends?", r"influencer",
        r"influences?", r"part of the decision", r"together with", r"not alone", r"sign-?off from",
        r"loop in", r"buying group", r"one of (?:the|several|\w{2,8}) decision\w{0,6}",
        r"(?:my|her|his|their) (?:boss|manager|cfo|ceo|head|director|vp|supervisor)",
        r"(?:needs|need) (?:her|his|their|my) (?:boss|manager|cfo|ceo|head|director|vp)",
        r"final approval", r"must approve", r"involved", r"beteiligt", r"evaluat\w{1,4}",
        r"also has a say", r"has a say", r"hat (?:auch )?ein wort mitzureden", r"redet mit",
        r"(?:one|einer|eine) (?:of|von) (?:\w{1,12} )?(?:\d{1,2}|two|three|four|five|six|zwei|drei"
        r"|vier|fünf|sechs|several|mehreren)", r"part of", r"teil (?:des|der|vom)",
        r"buying center",
        r"gemeinsam", r"jointly", r"entschieden wird", r"bereitet vor", r"prepares",
        r"(?:unterschreiben|entscheiden|freigeben|zustimmen|signen)"
        r" (?:muss|müssen|tut|wird|werden)",
        r"(?:muss|müssen)(?: \w{1,12}){0,3} (?:zustimmen|freigeben|unterschreiben|absegnen|abnicken"
        r"|approven|signen)",
        r"(?:hat|tut|macht|trifft|gibt) (?:aber )?(?:der|die|das) (?:\w{1,20} )?(?:ceo|cfo|cto"
        r"|cio|coo"
        r"|cro|vorstand|geschäftsführ\w{0,4}|gf|chef\w{0,2}|inhaber\w{0,2}|board|einkauf|holding)",
        r"final call (?:is |lies )?(?:with|hat)", r"says the \w{2,10} (?:signs|decides)",
        r"has to approve", r"needs to approve", r"needs to sign", r"has to sign", r"gatekeeper",
        r"champion", r"drives it", r"owns the evaluation", r"co-?sign\w{0,3}", r"jointly",
        r"fragen", r"abstimmen", r"rücksprache", r"nicht allein", r"gremium", r"empfiehlt",
        r"empfehlen", r"braucht (?:eine |die )?(?:freigabe|zustimmung|unterschrift|ok)",
        r"beeinflusst", r"entscheidet mit", r"mitentscheiden", r"zusammen mit",
        r"muss (?:noch )?zustimmen", r"müssen (?:noch )?zustimmen",
        r"muss (?:noch )?unterschreiben",
        r"muss (?:noch )?freigeben", r"berichtet an", r"(?:sein|ihr|seine|ihre"
        r"|ihren|seinen) (?:chef|chefin|vorgesetzte\w?|cfo|ceo|gf)", r"segnet ab",
        r"absegnen", r"abgesegnet", r"unterschreibt der", r"unterschreibt die",
        r"entscheidet der", r"entscheidet die", r"freigabe vom", r"freigabe von",
        r"zustimmung vom", r"zustimmung von", r"gibt frei",
        # A share in the decision without the decision: input, one voice, a shortlist, a veto.
        r"(?:has|have) (?:some |a lot of )?input", r"(?:gibt|hat|liefert) (?:\w{1,8} )?input",
        r"(?:sein|ihr|his|her|their) (?:vote|stimme) (?:zählt|counts)", r"wird gehört",
        r"(?:is|gets) (?:heard|listened to)", r"each (?:get|have|has|gets) a (?:vote|say)",
        r"(?:is|ist) (?:the|one) \w{2,12} vote", r"right hand", r"rechte hand",
        r"follows (?:her|his|their) (?:advice|recommendation)", r"(?:ist|liegt) beim",
        r"(?:sits|sitzt) (?:on|in|im)", r"decisions? go(?:es)? (?:to|through)",
        r"one (?:voice|vote) (?:of|among) (?:several|many|\w{2,8})", r"eine stimme (?:von|unter)",
        r"on the (?:selection|buying|evaluation|steering) (?:panel|committee|group|team)",
        r"shortlist\w{0,3}", r"bereitet (?:\w{1,20} ){0,3}vor", r"technical veto",
        # The decision is someone else's: "the final sign-off comes from the owner", "is the
        # CFO's".
        r"(?:sign-?off|freigabe|unterschrift|decision|entscheidung|approval|say|call)"
        r" (?:\w{1,12} ){0,2}(?:kommt|comes|come) (?:from|vom|von)",
        r"(?:sign-?off|decision|say|call|budget|money)\w{0,3} is (?:the |her |his |their )?"
        r"[\w-]{2,20}'s",
    ]
)  # fmt: skip

DECIDES = phrases(
    [
        r"(?:liegt|liegen) bei (?:ihr|ihm)", r"(?:lies|is|rests) with (?:her|him)",
        r"freigeben", r"genehmigen", r"entscheiden", r"signen", r"final call", r"final say",
        r"(?:his|her|hers|ihr|sein) (?:call|decision|budget)", r"is (?:his|hers)",
        r"gehört (?:ihr|ihm)",
        r"herself", r"himself", r"selbst", r"allein\w?", r"alone", r"on (?:her|his) own",
        r"i sign", r"signs? off", r"signs?", r"decides?", r"decision ?maker", r"final say",
        r"final decision", r"approves?", r"owns? the budget", r"budget holder", r"budget owner",
        r"calls? the shots", r"makes? the call", r"(?:his|her|their|my) call", r"owns? it",
        r"holds? the budget", r"can sign", r"signing authority", r"has authority", r"decide",
        r"entscheide", r"entscheidet", r"unterschreib\w*", r"zeichne", r"zeichnet",
        r"(?:hat|habe) das letzte wort", r"budgetverantwortlich\w*", r"entscheider(?:in)?",
        r"signt", r"gibt frei", r"darf (?:allein )?entscheiden", r"zeichnungsberechtigt",
        r"verantwortet das budget", r"hat das budget", r"entscheidungsbefugt",
        # Holding the money: "controls spend", "releases the budget", "the money belongs to".
        r"controls? (?:it|the budget|the money|spend\w{0,3}|the purse)", r"releases? the budget",
        r"(?:money|budget) belongs to", r"budgethoheit", r"votes?", r"stimmen ab",
        r"makes? all (?:\w{1,12} )?decisions", r"makes? every (?:\w{1,12} )?decision",
        r"dm", r"decis?on ?maker", r"(?:geld|money|budget) (?:kommt|comes) (?:aus|from)",
    ]
)  # fmt: skip

SELF = phrases(
    [r"i", r"me", r"myself", r"he", r"she", r"they", r"contact", r"our contact", r"er",
     r"sie", r"ich", r"selbst", r"himself", r"herself", r"der kontakt", r"mein kontakt",
     r"unser kontakt", r"she herself", r"he himself", r"allein", r"alone", r"solo"]
)  # fmt: skip

SIGN_LIMIT = re.compile(
    r"(?P<dir>(?:signing |spending |approval )?(?:limit|authority|grenze|freigabegrenze)"
    r"(?: \w{1,12})?(?: of| is| ist| von| liegt bei| goes up to| geht bis| bis| at| up to)"
    r"|goes up to|geht bis|up to|bis(?: zu)?|below|under|unter|less than|max(?:imum|imal)?|<"
    r"|above|over"
    r"|more than|über|ab|beyond|>|anything (?:above|over|under|below|up to)|alles (?:über|ab"
    r"|unter|bis))\s{0,3}(?P<amount>[€$£]?\s?\d[\d.,']{0,12}\s?(?:k|tsd\.?|mio\.?|m|eur|euro|€"
    r"|usd|\$)?)"
)
EXCEPT_ABOVE = phrases([r"above", r"over", r"more than", r"über", r"ab", r"beyond", r">"])

# --- need / pain ---------------------------------------------------------------------------

NICE_TO_HAVE = phrases(
    [
        r"(?:lived|living|live) with it", r"leben (?:\w{1,12} ){0,2}damit",
        r"(?:haben sich|sind) daran gewöhnt",
        r"used to it", r"get by", r"kommen (?:damit )?zurecht",
        r"not because of (?:a |any |real )?(?:pain|need|problem)",
        r"nicht wegen (?:eines )?(?:schmerz|problem)\w{0,2}",
        r"not (?:a )?(?:huge|big|major|massive|serious|great) (?:problem|issue|deal|pain)",
        r"kein (?:großes|riesiges|ernstes) problem",
        r"annoyances?", r"(?:mostly|largely) fine", r"weitgehend (?:ok|okay|gut)", r"somehow",
        r"klein\w{0,3}",
        r"curiosity", r"neugier\w{0,2}", r"not really a (?:pain|problem|priority|need)",
        r"kein echte\w{0,2} (?:schmerz|bedarf|problem)", r"nur mal (?:sehen|schauen|gucken)",
        r"just (?:wanted )?to see what'?s out there", r"was es so gibt",
        r"nicht wirklich ein problem",
        r"luxusproblem", r"luxury problem", r"first world problem", r"irgendwas",
        r"no numbers?(?: \w{1,12}){0,2}", r"(?:nothing|nichts) (?:festes|konkretes|genaues|specific"
        r"|firm|fixed|definite)", r"put a number on", r"keine (?:konkreten )?zahlen",
        r"that'?s all (?:we|i) know", r"mehr (?:wissen wir|weiß ich) (?:nicht|auch nicht)",
        r"irgendein\w{0,2}", r"some kind of", r"something like", r"grobe idee", r"rough idea",
        r"small(?! talk)", r"nothing dramatic", r"nichts dramatisches", r"inconvenien\w{1,4}",
        r"a bit",
        r"but it works", r"it works", r"funktioniert aber", r"kleine\w{0,2}", r"kosmetisch",
        r"naja", r"hätten gern", r"would like", r"'d like", r"mehr nicht", r"nothing more",
        r"komfort\w{0,8}", r"meh", r"\w{1,5}'d be (?:nice|good|cool|great)",
        r"would be (?:good|cool|great)", r"nothing concrete", r"nichts konkretes",
        r"nicht konkret", r"not concrete", r"lukewarm", r"lauwarm", r"eher lau",
        r"nice to have", r"nice-to-have", r"just looking", r"just browsing", r"browsing",
        r"curious", r"exploring", r"researching options", r"looking around", r"maybe later",
        r"not urgent", r"not a priority", r"low priority", r"only vague", r"vague",
        r"would be nice",
        r"minor", r"small (?:annoyance|issue|thing|problem|pain)", r"annoyance", r"nothing serious",
        r"not a big deal", r"no big deal", r"not critical", r"could be better", r"mild",
        r"slight(?:ly)?", r"cosmetic", r"not a showstopper", r"they can live with it",
        r"can live with", r"workaround works", r"somewhat", r"bit of a", r"a little",
        r"wäre (?:nett|schön|cool|gut)", r"schauen sich (?:nur )?um", r"nur (?:mal )?umschauen",
        r"nur informieren", r"informieren sich", r"neugierig", r"keine priorität",
        r"nicht dringend", r"vage", r"mal schauen", r"kleinere?[ns]? (?:ärgernis\w{0,3}|probleme?"
        r"|sache|thema)", r"ärgernis\w{0,3}", r"nicht so wild", r"halb so wild", r"nichts ernstes",
        r"nichts wildes", r"kein drama", r"nicht kritisch", r"geringfügig", r"leichte?",
        r"könnte besser sein", r"lästig", r"nervig", r"etwas", r"kleinigkeit\w{0,2}",
        r"können damit leben", r"kommen klar", r"irgendwie", r"mittelfristig",
        # Understatement: "nicht gerade dramatisch", "kein Weltuntergang", "nothing that keeps
        # them up at night", "hier und da", "a bisserl", "managing fine without it".
        r"nicht gerade (?:dramatisch|schlimm|wild|kritisch|tragisch)", r"not exactly (?:dramatic"
        r"|critical|urgent|a crisis)", r"kein weltuntergang", r"not the end of the world",
        r"nix wildes", r"nichts,? was (?:sie|ihn|sie|uns|die) (?:\w{1,12} ){0,2}(?:stoppt|aufhält"
        r"|wachhält|umbringt)", r"nothing that (?:stops|keeps|kills|blocks)",
        r"hier und da", r"ab und zu", r"(?:ein )?bisschen", r"(?:a )?bisserl", r"halbwegs",
        r"(?:managing|doing|getting by|get by|manage) (?:just )?fine without",
        r"(?:zwingend|notwendig|nötig) ist (?:es|das) nicht", r"nicht zwingend",
        r"(?:wäre|would be|it'?d be) (?:ganz |quite |rather )?(?:praktisch|handy|useful|nützlich)",
        r"(?:eher|more of an?|rather an?) (?:optimierung|optimi[sz]ation|improvement|komfort"
        r"|convenience)", r"nerv\w{0,3}", r"some friction", r"etwas reibung",
        r"(?:weren'?t|wasn'?t|not|nicht) (?:so |ganz )?(?:sure|sicher) (?:it'?s|if|whether|ob)",
        # An aim without its figure or its details: "couldn't turn it into a number".
        r"(?:turn|put) (?:it |that |this )?into (?:a )?numbers?", r"in zahlen (?:fassen|gießen)",
        r"details? (?:fehlen|missing|are missing|unklar)", r"no details(?: yet)?",
        r"(?:ziel)?(?:zahl|kennzahl|number|target)\w{0,2} (?:gibt'?s|gibt es) (?:noch )?nicht",
        r"mehr (?:war|ist) nicht (?:raus\w{0,12}|drin)", r"that'?s all we got",
    ]
)  # fmt: skip

STRONG_NEED = phrases(
    [
        r"end[- ]of[- ]life", r"eol", r"läuft aus", r"support endet", r"support (?:ends|stops)",
        r"(?:pain|problem|need|bedarf|schmerz|leidensdruck) (?:is|ist) (?:\w{1,12} )?(?:real"
        r"|echt|groß|big|huge)",
        r"(?:lose|loses|lost|verliert|verlieren) (?:\w{1,12} ){0,2}(?:deals|customers|clients"
        r"|orders|money"
        r"|revenue|leads|kunden|aufträge|umsatz|geld)", r"daily", r"nothing works",
        r"nichts funktioniert",
        r"lose (?:\w{1,12} ){0,2}jobs?", r"miss (?:\w{1,12} ){0,2}targets?",
        r"verfehlen (?:\w{1,12} ){0,2}ziel\w{0,2}",
        r"losing (?:\w{1,12} ){0,2}(?:deals|customers|clients|money|revenue|leads|time|people)",
        r"bleeding (?:money|cash|customers)", r"massive(?:ly)?", r"huge", r"critical",
        r"desperate(?:ly)?", r"urgent(?:ly)?", r"killing (?:us|them)", r"nightmare", r"disaster",
        r"burning", r"on fire", r"can'?t scale", r"broken", r"painful", r"serious",
        r"severe", r"major", r"big problem", r"real problem", r"real pain", r"top priority",
        r"every (?:day|week|month)", r"churn", r"compliance", r"audit",
        r"(?:regulatory |compliance |heavy )?fines", r"bußgeld\w{0,3}",
        r"massive?n? probleme?", r"riesig\w{0,3}", r"kritisch\w{0,3}", r"dringend\w{0,3}",
        r"verlieren (?:\w{1,12} ){0,2}(?:kunden|deals|geld|umsatz|leads|zeit)",
        r"katastroph\w{0,3}",
        r"brennt", r"großes? problem", r"echte[sn]? problem", r"schmerz\w{0,3}", r"jede woche",
        r"jeden (?:tag|monat)", r"täglich", r"wöchentlich", r"akut", r"existenziell",
        r"verbrennen geld", r"kostet (?:uns |sie )?(?:\w{1,12} ){0,2}(?:geld|zeit|tage|stunden)",
        r"costs? (?:us |them )?(?!a few |a couple |some |ein paar |wenige )(?:\w{1,12}"
        r" ){0,2}(?:money|hours"
        r"|days|time)", r"eats",
        r"frisst", r"wastes?", r"verschwende\w{0,2}",
        # Stakes named: a customer threatening to leave, people quitting, a covenant or a
        # certification lost.
        r"existential", r"threaten(?:ed|s|ing)? to (?:walk|leave|cancel|churn|quit)",
        r"drohen? (?:\w{1,12} ){0,2}(?:abzuspringen|zu kündigen|zu gehen)",
        r"quit over", r"(?:cost|kostete?) (?:them|sie|uns) (?:\w{1,12} ){0,2}(?:top|best|besten)",
        r"(?:miss|lose|verlieren|verfehlen|pull) (?:\w{1,12} ){0,4}(?:covenants?|certification"
        r"|zertifizierung|licen[cs]e|lizenz|tranche|funding|finanzierung)",
    ]
)  # fmt: skip

NEED_WORD = phrases(
    [r"leidensdruck", r"pain points?", r"druck", r"need\w{0,2}", r"problems?", r"issues?",
     r"pain\w{0,3}", r"challenges?", r"struggl\w{1,3}", r"trouble", r"hurt\w{0,3}", r"bedarf",
     r"probleme?", r"schmerz\w{0,3}",
     r"herausforderung\w{0,2}", r"schwierigkeit\w{0,2}", r"braucht?", r"brauchen"]
)  # fmt: skip

NO_PAIN = phrases(
    [
        r"(?:are|is|sind|ist) (?:\w{1,12} )?(?:fine|happy|ok|okay|zufrieden) (?:with|mit)",
        r"(?:problem|issue|pain)\w{0,2} (?:\w{1,12} ){0,3}(?:already )?(?:solved|gelöst|fixed"
        r"|behoben)",
        r"(?:schon|bereits|already) (?:\w{1,12} )?(?:gelöst|solved|fixed|behoben)",
        r"(?:don'?t|do not|doesn'?t|does not) see (?:any |a )?(?:reason|need) (?:to|for)",
        r"see no (?:reason|need) (?:to|for)", r"no reason to (?:change|switch)",
        r"sehen keinen (?:grund|bedarf)", r"kein grund (?:zu|für)",
        r"(?:didn'?t|did not|haven'?t|have not) mention(?:ed)? any",
        r"(?:keine|nichts) (?:\w{1,12} )?genannt",
        r"wunschlos glücklich", r"(?:they'?d|they would|it would|would) be (?:fine|ok|okay)",
        r"perfectly happy", r"totally happy", r"rundum zufrieden",
        r"(?:don'?t|do not|doesn'?t|does not) need (?:it|this|that|us|one|anything)",
        r"brauch\w{0,3} (?:\w{1,12} ){0,2}(?:nicht|kein\w{0,2})", r"works? ok",
        r"reicht (?:ihnen|uns|aus)",
        r"good enough", r"läuft (?:alles )?(?:gut|super|rund)", r"happy as is", r"covers it",
        r"nothing (?:is )?broken", r"nichts (?:ist )?kaputt",
        r"no pain", r"no problems?", r"no issues?", r"all good", r"works? (?:fine|well|great)",
        r"happy with (?:their|the|what|it|current)", r"nothing (?:really )?hurts",
        r"satisfied", r"no complaints", r"nothing broken", r"not broken", r"fine as is",
        r"keine probleme?", r"kein problem", r"alles gut", r"läuft (?:gut|super|rund)",
        r"sind zufrieden", r"zufrieden", r"keine schmerzen", r"funktioniert (?:gut|super)",
        r"nichts kaputt", r"keine beschwerden",
        # Needing it the way a fish needs a bicycle: not at all.
        r"(?:as much as|so sehr wie|wie) (?:a |ein )?fish? (?:needs |braucht )?(?:a |ein )?"
        r"(?:bicycle|fahrrad)",
    ]
)  # fmt: skip

# --- choices (priority, competition) -------------------------------------------------------

CHOICE_MET = phrases(
    [
        r"(?:competitor|competition|wettbewerber|konkurrent|konkurrenz)(?: \w{1,12}){0,2} (?:is"
        r"|ist)"
        r" (?:excel|spreadsheets|the status quo|doing nothing|pen and paper|in-?house|eigenbau)",
        r"kein(?:e)? (?:anderer?n? )?(?:anbieter|wettbewerber|vendor)", r"no one else in the race",
        r"just us", r"nur uns", r"no other vendors?", r"keine anderen anbieter", r"sole vendor",
        r"nase vorn\w?",
        r"(?:the )?(?:other|others|competitors?|competition|rest)(?: \w{1,12}){0,2} (?:are|is"
        r"|liegen|liegt|sind)"
        r" (?:\w{1,12} )?(?:behind|hinten|zurück)", r"in front", r"wunschanbieter", r"preferred",
        r"bevorzugt", r"first choice", r"erste wahl", r"nur zum preisvergleich",
        r"only as a benchmark",
        r"only for (?:a )?price comparison",
        r"top(?: priority| prio)?", r"high(?:est)?(?: priority)?",
        r"priority (?:#|no\.? ?|number )?(?:one|1)",
        r"#1", r"no\.? ?1", r"number one", r"prio 1", r"p1", r"critical", r"urgent",
        r"must[- ]have",
        r"we(?:'re| are) ahead", r"ahead", r"no competitors?", r"only us", r"only vendor",
        r"sole vendor", r"favou?rite", r"we lead", r"we're leading", r"leading",
        r"preferred vendor",
        r"frontrunner", r"front-runner", r"in pole", r"board priority", r"strategic priority",
        r"oberste(?: priorität)?", r"hohe", r"höchste", r"dringend", r"wir liegen vorn\w*",
        r"vorn\w*", r"kein wettbewerb", r"keine konkurrenz", r"nur wir", r"favorit",
        r"prio ?1", r"priorität 1", r"chefsache", r"ganz oben", r"alleinstellung",
        r"wir führen", r"wir sind vorne", r"gesetzt", r"ganz oben auf der liste",
        r"nummer (?:eins|1)", r"platz (?:eins|1)",
        # Leading a race: "clear favourite", "the only vendor in the final round", "nobody else
        # comes close"; a priority made official: "one of three company OKRs".
        r"(?:only|einzige[rn]?) (?:\w{1,12} )?(?:vendor|anbieter)\w{0,2} (?:in|im) (?:the )?"
        r"(?:final|endrunde|finale)\w{0,6}",
        r"(?:nobody|no one|keiner|niemand)(?: else| sonst)? (?:is |ist |comes? |kommt )?(?:even "
        r"|auch nur )?(?:close|near|in der nähe|heran|ran)",
        r"(?:company|board|quarterly|jahres)[- ]?(?:okrs?|goals?|ziele?)",
        r"okrs? (?:for|of) (?:the )?(?:company|h[12]|q[1-4]|year)",
    ]
)  # fmt: skip

CHOICE_PARTIAL = phrases(
    [
        r"on (?:their|the) radar", r"auf dem radar",
        r"mittlere[rns]?",
        r"no (?:clear )?(?:favou?rite|frontrunner|front-runner|leader)(?: yet)?",
        r"kein (?:klarer )?(?:favorit|vorreiter)",
        r"(?:oberen |unteren )?mittelfeld", r"gleichauf", r"on par", r"level with", r"tied",
        r"rennen ist offen", r"race is open",
        r"kopf[- ]an[- ]kopf\w{0,8}", r"neck[- ]and[- ]neck", r"offen", r"open", r"wide open",
        r"medium", r"on the list", r"open race", r"several vendors", r"comparing",
        r"shortlist\w{0,3}",
        r"neck and neck", r"mid", r"one of several", r"one of (?:the |a few |many )?priorities",
        r"prio 2", r"priority 2", r"p2", r"somewhere in the middle", r"evaluating", r"bake-?off",
        r"mittel\w{0,3}", r"auf der liste", r"offenes rennen", r"vergleichen", r"mehrere anbieter",
        r"kopf an kopf", r"eine von mehreren", r"im mittelfeld", r"prio ?2", r"auch im rennen",
        r"short ?list", r"nice to have", r"wäre schön",
        # An even race: "50/50", "one of two finalists", "haven't leaned either way"; a place
        # in the queue: "on the roadmap, after the relaunch", "Platz vier von zehn".
        r"50 ?/ ?50", r"fifty[- ]fifty", r"halbe-halbe", r"one of (?:two|three|\d) finalists",
        r"einer von (?:zwei|drei|\d) finalisten", r"(?:either|any) way", r"on the roadmap",
        r"auf der roadmap", r"platz \w{2,12}(?: oder \w{2,12})? von",
        r"place \w{2,12} (?:of|out of)",
        r"(?:keiner|niemand|nobody|no one) (?:ist )?(?:klar |clearly )?(?:vorne?|ahead|in front"
        r"|leading)",
        r"steht (?:\w{1,12} )?drauf",
    ]
)  # fmt: skip

CHOICE_MISSING = phrases(
    [
        r"not on (?:their|the|his|her) radar", r"nicht auf dem radar", r"off (?:their|the) radar",
        r"abgeschlagen", r"weit hinten", r"chancenlos", r"no chance", r"out of the race",
        r"weiter unten", r"further down",
        r"(?:low|lower|weit unten) (?:on|auf) (?:the|der) list\w?",
        r"verschoben", r"postponed", r"pushed (?:back|out)", r"deferred",
        r"(?:they|sie|die)(?:'re| are)? (?:\w{1,12} )?(?:prefer|bevorzugen|favou?r|lean(?:ing)?"
        r" (?:towards|to)"
        r"|tendieren (?:eher )?zu)",
        r"lost (?:\w{1,12} ){0,3}to", r"(?:haben|hat) (?:\w{1,12} ){0,3}verloren", r"we lost",
        r"(?!wir |we |uns |us )\w{2,20} (?:hat|has|haben|have) (?:klar |deutlich |clearly"
        r" )?(?:die nase"
        r" vorn\w?|the edge|the upper hand|an edge)",
        r"(?!we |wir |us |uns )\w{2,20} (?:ist|is|liegt|liegen|are|sind) (?:\w{1,12} )?(?:klar "
        r"|clearly "
        r"|weit |far )?(?:vorne?|vorn|ahead|in front|leading)", r"nummer zwei", r"number two",
        r"second place", r"platz zwei", r"ferner liefen", r"long grass", r"erst kommt",
        r"(?:überhaupt |gar |not at all |really )?(?:nicht|not) (?:\w{1,12} )?(?:wichtig|important"
        r"|relevant)", r"unwichtig", r"unimportant",
        r"(?!we |wir |us )\w{2,20} (?:ist|is) (?:\w{1,12} )?(?:der |the |their |ihr"
        r" )?(?:klare[rn]? |clear )?"
        r"(?:favou?rite|favorit|frontrunner|front-runner)",
        r"low", r"not a priority", r"no priority", r"behind", r"back ?burner", r"on hold",
        r"on ice", r"parked", r"deprioriti[sz]ed", r"bottom of the list", r"prio 3",
        r"competitor (?:is )?(?:ahead|favou?red|leading|preferred)",
        r"incumbent (?:is )?(?:ahead|favou?red)",
        r"they prefer", r"losing", r"we'?re behind", r"long shot", r"outsider",
        r"niedrig\w{0,3}", r"keine priorität", r"hinten", r"wettbewerb(?:er)? (?:liegt )?vorn\w*",
        r"konkurrenz (?:liegt )?vorn\w*", r"auf eis", r"geparkt", r"zurückgestellt",
        r"nachrangig", r"ganz unten", r"außenseiter", r"liegen hinten", r"wir liegen hinten",
        # Making up the numbers for a rival: "underdog", "column fodder", "nur Statisten", "X is
        # the pick", "distant second", the rival's pilot they love.
        r"underdog", r"column fodder", r"statist\w{0,2}", r"vergleichsanbieter\w{0,2}",
        r"(?:just |only |nur )?(?:there )?(?:to make up the numbers|for the (?:third )?quote"
        r"|pflichtangebot|drittangebot)",
        r"(?:\w{2,20} )?(?:is|ist) (?:the|their|der|die|ihr) (?:pick|choice|wahl)",
        r"distant second", r"entscheidung für \w{2,20} (?:steht|ist)", r"bottom of the pile",
        r"ganz unten auf dem stapel", r"below (?:\w{1,12} ){0,4}(?:repainting|everything|the"
        r" coffee)", r"maybe one day", r"vielleicht irgendwann",
        r"pilot with \w{2,20} (?:\w{1,12} ){0,4}(?:love|like|happy)",
    ]
)  # fmt: skip

VAGUE_TIME = phrases([r"some ?day", r"some ?time", r"irgendwann", r"eventually", r"at some point"])

ACCESS_PENDING = phrases(
    [
        r"(?:wir sprechen|we(?:'re| are)? (?:talking|speaking)|we talk|we speak) (?:\w{1,12}"
        r" )?(?:mit|to|with)"
        r" (?:seinem|ihrem|seiner|ihrer|his|her|their)",
        r"(?:haven'?t|have not|hasn'?t|not yet|never|didn'?t) (?:yet )?met (?:him|her|them|the"
        r" \w{2,12})",
        r"termin (?:steht|ist) (?:\w{1,12} ){0,2}(?:nächste|kommende|am)", r"termin nächste woche",
        r"(?:meeting|call) (?:is )?(?:set|scheduled|planned|booked) (?:for|next)",
        r"(?:meeting|call) next week",
        r"(?:noch )?nicht persönlich", r"not (?:yet )?in person",
        r"(?:haven'?t|have not|hasn'?t|not yet|never|didn'?t) (?:yet )?(?:spoken|talked|met|been"
        r" in touch|had a call)"
        r"(?: \w{1,12}){0,2} (?:to|with)",
        r"only know (?:\w{1,12} )?(?:names?|by name)",
        r"(?:haven'?t|hasn'?t|have not|has not|didn'?t) (?:yet )?had (?:any )?contact",
        # Contact only through others or from afar: "only seen her on LinkedIn", "promised an
        # intro after the pilot", "kein direktes Gespräch", "einen Termin haben wir noch nicht".
        r"only (?:\w{1,12} ){0,2}seen", r"kein direktes gespräch", r"no direct (?:contact"
        r"|conversation|call|meeting)", r"(?:promised|versprochen) (?:us )?(?:an |eine )?intro",
        r"intro (?:after|nach|next)", r"nur kontakt über",
        r"termin (?:\w{1,12} ){0,2}(?:haben|hatten) wir (?:noch )?(?:nicht|keinen)",
        r"not (?:yet )?met(?: yet| so far)",
        r"(?:no|not a) (?:call|meeting|touchpoint|contact) (?:yet|so far)",
        r"only (?:\w{1,12} ){0,2}(?:talked|spoken|met|e-?mailed|written|messaged|emailed)"
        r" (?:to|with|the|his|her|their)",
        r"(?:hasn'?t|haven'?t|has not|have not|wasn'?t|weren'?t) (?:yet )?(?:been )?(?:in|on|at)"
        r" (?:any|a|the|our) (?:meeting|call|demo)s?",
        r"(?:no|not a) (?:call|meeting|touchpoint|contact) (?:yet )?with",
        r"not (?:met|spoken to) (?:him|her|them)",
        r"noch kein\w{0,2} (?:termin|call|touchpoint|kontakt|meeting|gespräch)",
        r"hatten (?:wir )?noch kein\w{0,2}",
        r"(?:kennen|know) (?:\w{1,12} ){0,3}(?:noch nicht|nur|not yet|only)",
        r"nur (?:mit|den|die) (?:\w{1,12} ){0,2}"
        r"(?:team|namen|assistenz)", r"gesprochen haben wir (?:bisher |noch )?nur",
        r"(?:wir )?(?:haben|hatten) (?:noch )?nicht mit (?:ihm|ihr|ihnen) gesprochen",
    ]
)  # fmt: skip
