"""Words of needs and of choices, in English and German: severity, no pain, priority, the race.

Regular-expression fragments matched on word boundaries against normalised text (see
:mod:`flows.lexicon`, whose ``phrases`` builds them). Bounded gaps only.
"""

from __future__ import annotations

from flows.lexicon import phrases

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
        r"können damit leben", r"kommen klar", r"irgendwie", r"mittelfristig", r"überschaubar",
        r"kommen? (?:\w{1,12} ){1,5}(?:noch )?klar", r"(?:so )?mittel(?:mäßig)?", r"mostly works",
        r"there-?ish",
        r"manageable", r"bissl", r"bisschen",
        r"not (?:their|the) (?:biggest|top|most urgent|main|first) (?:fire|priority|problem|issue"
        r"|pain)", r"nicht (?:ihr|das) (?:größtes?|dringendstes?|wichtigstes?) (?:problem|thema)",
        r"(?:können|kann|könnten) (?:\w{1,12} ){0,3}damit (?:\w{1,12} ){0,3}leben",
        r"(?:can|could) live with it(?: \w{1,12}){0,3}",
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
        r"(?:wir sind|sind wir) (?:\w{1,12} )?(?:die )?einzige\w{0,2}", r"einzige\w{0,2} im rennen",
        r"(?:we'?re|we are) the only ones?(?: \w{1,12}){0,4}", r"only ones? in the race",
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
        r"keine prio(?:rität)?", r"(?:not even|nicht ?mal|nicht einmal|nichtmal) (?:\w{1,12} )?"
        r"(?:on|auf) (?:the|their|der|ihrer) (?:\w{1,12} )?(?:list|liste)",
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
