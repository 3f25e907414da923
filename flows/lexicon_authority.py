"""Words of authority, in English and German: roles, who decides, who only influences, access.

Regular-expression fragments matched on word boundaries against normalised text (see
:mod:`flows.lexicon`, whose ``phrases`` builds them). Bounded gaps only.
"""

from __future__ import annotations

import re

from flows.lexicon import phrases

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
        r"entscheidet (?:gar |überhaupt )?nichts", r"decides nothing",
        r"no input(?: (?:on|in|into) (?:the )?(?:decision|choice|purchase))?",
        r"kein\w{0,5} mitspracherecht", r"someone else (?:has )?decide[sd]?",
        r"jemand (?:anderes|anders) (?:hat )?entschied\w{0,2}",
        r"no (?:purchasing|buying|decision|signing|budget) (?:power|authority|rights)",
        r"not (?:his|her|their) (?:call|decision)", r"not (?:even )?(?:part of|in) (?:the )?"
        r"(?:decision|loop)",
        r"(?:null|gar nichts|überhaupt nichts|nix|nichts) (?:zu sagen|mitzureden|zu melden)",
        r"(?:komplett|völlig|ganz) (?:\w{1,12} )?raus", r"can'?t get (?:to|near)",
        r"(?:kommen|komme) (?:wir |ich )?(?:\w{1,20} ){0,2}(?<!noch )(?<!bisher )nicht ran",
        r"no access to",
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
        r" (?:muss|müssen|tut|wird|werden)"
        # ... but not "entscheiden tut sie allein": the one we speak of decides.
        r"(?! (?:aber )?(?:sie|er) (?:\w{1,12} )?(?:allein\w?|selbst)\b)",
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
        # Someone named after the verb decides, not "klar entscheidet der" (the contact) nor
        # "entscheidet der Vertriebsleiter allein" (the one we speak of, alone).
        r"entscheidet (?:der|die)(?= \w)(?! (?:\w{1,20} ){0,2}(?:allein|alleine|selbst)\b)",
        r"freigabe vom", r"freigabe von",
        # A named other role who decides: "but the BU head decides", "ihr Chef unterschreibt".
        r"(?:the|their|his|her|sein\w{0,2}|ihr\w{0,2}) (?:\w{1,12} )?(?:head|lead|leiter\w{0,2}"
        r"|chef\w{0,2}|manager|director|vp|board|vorstand|owner|inhaber\w{0,2})(?: of \w{1,12})?"
        r" (?:decides|signs|approves|entscheidet|unterschreibt)"
        r"(?! (?:alone|himself|herself|on (?:his|her) own|allein\w?|selbst)\b)",
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
        r"(?:hat|habe) das letzte wort", r"(?:hat|habe) (?:\w{1,12} ){1,3}das letzte wort",
        r"(?:has|'s got|got|hat|have) (?:both )?(?:the )?(?:budget and (?:the )?)?(?:signature"
        r"|unterschrift|sign-?off)",
        r"(?:entscheiden|unterschreiben|freigeben) tut (?:sie|er) (?:\w{1,12} )?"
        r"(?:allein\w?|selbst)",
        r"budgetverantwortlich\w*", r"entscheider(?:in)?",
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
        # Out of reach for now: "an den kommen wir (noch) nicht ran", "no access to her yet".
        r"(?:kommen|komme|kommt) (?:\w{1,12} ){0,2}(?:noch|bisher) nicht (?:\w{1,12} )?ran",
        r"no (?:direct )?access to (?:him|her|them|the \w{2,12})",
        # "mit dem haben wir noch nie gesprochen", "noch nie getroffen", "nie kennengelernt".
        r"(?:noch )?(?:nie|nicht) (?:\w{1,12} ){0,3}(?:gesprochen|getroffen|kennengelernt"
        r"|telefoniert)",
    ]
)  # fmt: skip
