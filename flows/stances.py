"""How sure the rep is: hedges, conditions, not-yet-known answers and meta answers.

Patterns over normalised text (:func:`flows.cues.normalize`), English and German. A hedge or a
condition lowers a reading to partial; a not-yet-known answer or a meta answer (the topic was
not reached, the lead kept it to themselves, the rep will follow up) reads unknown.
"""

from __future__ import annotations

import re

from flows.lexicon import phrases

HEDGE = phrases(
    [
        r"maybe", r"perhaps", r"possibly", r"hopefully", r"probably", r"prob", r"likely",
        r"might", r"may (?:be|have|get|need|sign|go|happen|want|buy|decide|start|slip)", r"should",
        r"could", r"i think", r"i guess", r"i believe", r"fairly confident", r"pretty confident",
        r"reasonably sure", r"we think", r"we believe", r"we assume",
        r"wir denken", r"wir glauben", r"glauben wir", r"denken wir",
        r"soll (?:\w{1,12} ){0,3}sein",
        r"supposed to", r"kann sein", r"könnte sein", r"could be",
        r"might be", r"may be", r"i'd say", r"i would say", r"wohl",
        r"pretty sure", r"ziemlich sicher", r"würde sagen", r"hopefully", r"supposedly",
        r"presumably", r"i reckon", r"sounds like", r"seems", r"scheint", r"klingt nach",
        r"i assume", r"i suppose", r"i hope", r"we hope", r"they hope", r"hoping", r"if",
        r"once", r"as soon as", r"assuming", r"provided", r"depends", r"depending",
        r"subject to", r"tentative(?:ly)?", r"fingers crossed", r"in theory", r"supposedly",
        r"apparently", r"aiming", r"aim for",
        r"if all goes well", r"unless", r"pending", r"not confirmed", r"unconfirmed",
        r"not final", r"not fixed", r"soft commit\w*", r"verbal(?:ly)?",
        r"vielleicht", r"eventuell", r"evtl\.?", r"möglicherweise", r"hoffentlich", r"vl+t",
        r"(?<!sehr )(?<!so )wohl", r"\w{2,12}-ish",
        r"(?:eher |nur )?geraten", r"(?:rough |wild )?guess(?:ed|ing)?", r"ballpark",
        r"wahrscheinlich", r"vermutlich", r"voraussichtlich", r"unter umständen", r"sobald",
        r"falls", r"sofern", r"ich denke", r"ich glaube", r"ich schätze",
        r"glaube ich", r"denke ich", r"schätze ich", r"sollte", r"sollten", r"könnte",
        r"könnten", r"dürfte", r"müsste", r"angeblich", r"im prinzip", r"theoretisch",
        r"muss noch abgesegnet werden", r"noch abgesegnet", r"unter vorbehalt",
        r"nicht final", r"nicht fix", r"nicht bestätigt",
        r"tendenziell", r"je nachdem", r"kommt drauf an", r"hängt (?:davon )?ab",
        r"depends on",
        # Conditions: "provided that", "vorausgesetzt", "with some luck", "if all goes to plan".
        r"provided that", r"on condition that", r"vorausgesetzt", r"vorbehaltlich",
        r"i'?d guess", r"my guess", r"würde (?:ich )?(?:mal )?(?:tippen|schätzen)", r"vermute",
        r"gesetzt den fall",
        r"unter der (?:voraussetzung|bedingung)", r"as long as", r"solange",
        r"with (?:some|a bit of|a little|any|a lot of|enough) luck", r"if we'?re lucky",
        r"mit (?:etwas|ein bisschen|ein wenig|viel|einem quäntchen|etwas) glück",
        r"wenn (?:wir |alles )?glück (?:haben|hat|geht)", r"if all goes to plan",
        r"wenn alles (?:gut |nach plan )?(?:geht|läuft|klappt)",
        r"if (?:legal|finance|it|the board)",
        r"still needs? to (?:counter-?)?sign", r"muss (?:\w{1,12} )?noch (?:gegen)?zeichnen",
    ]
)  # fmt: skip

# "What happens if they do nothing?" is answered with "would" and "might": grammar, not doubt.
MODAL = re.compile(
    r"\b(?:might|could|would|should|may be|könnte[n]?|dürfte[n]?|sollte[n]?|würde[n]?|wenn|if)\b"
)

# German "wenn" is "if" and "when"; after "erst", "immer" or "nur" it is only "when".
CONDITION = re.compile(
    r"(?<!erst, )(?<!erst )(?<!immer )(?<!nur )(?<!\w)wenn(?!\w)(?! (?:eh|sowieso|ohnehin)\b)"
)

# A condition about the shape of the purchase, not the criterion: "40-60k approved, depending on
# the package" is still an approved range; "if possible" is a wish for sooner, not a doubt. Such
# words are taken out before hedges are looked for.
OTHER_CONDITION = re.compile(
    r"(?:if (?:at all )?possible|wenn möglich|falls möglich|nach möglichkeit"
    r"|wenn'?s (?:irgendwie )?geht)"
    # The condition of a threat being reported: "threatened to walk if it isn't fixed".
    r"|if (?:\w{1,12} ){0,3}(?:isn'?t|aren'?t|is not|are not) (?:fixed|solved|resolved|sorted)"
    # An aside about whom one asks: "yesterday, if you ask them".
    r"|if you ask (?:them|him|her|me|the \w{2,12})|wenn (?:du|man|sie) (?:die|ihn|sie|mich) fragst?"
    r"|(?:depending on|depends on|je nach|abhängig von|hängt (?:vom|von der|von den)) (?:the "
    r"|dem |der |den |die )?(?:final |exact |genauen? )?(?:\w{1,12} )?(?:package|paket\w{0,2}"
    r"|seats?|plätze\w?|lizenz\w{0,2}|licen[cs]es?|users?|nutzer\w{0,2}|edition|modules?|modul\w{0,2}"
    r"|tier|plan|option|variante|configuration|konfiguration|ausbaustufe|number of \w{2,12}"
    r"|anzahl (?:der )?\w{2,12})(?: ab\b)?"
)

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
        r"(?<!they'd )(?<!they )need to (?:ask|check)(?! (?:my|her|his|their))",
        r"(?<!they'd )(?<!they )have to (?:ask|check)(?! (?:my|her|his|their))", r"gotta ask",
        r"find out next",
        r"following up", r"follow up", r"open question", r"still open", r"to be determined",
        r"to be confirmed", r"not known yet", r"don'?t know yet", r"do not know yet",
        r"no info(?:rmation)?(?: yet)?", r"no data", r"too early to (?:say|tell)",
        r"hard to say", r"can'?t say yet", r"unclear", r"not sure yet", r"no clue",
        r"noch nicht (?:\w{1,12} ){0,2}(?:besprochen|gefragt|nachgefragt|erfragt|geklärt"
        r"|angesprochen|thematisiert|diskutiert|bekannt|klar|herausgefunden|rausgefunden"
        r"|ermittelt|identifiziert|geprüft|recherchiert|benannt|genannt|formuliert|konkretisiert"
        r"|asked|discussed|checked|covered|clarified)", r"nicht besprochen", r"nicht gefragt",
        # Not "keiner weiß warum": that the cause is unknown is part of the pain.
        r"(?:nobody|no one|no-one|niemand|keiner) (?:\w{1,12} )?(?:knows|weiß|kennt)"
        r"(?! (?:why|warum|wieso|weshalb|woran))",
        r"(?:doesn'?t|don'?t|does not|do not) know (?:\w{1,12} ){0,6}yet",
        r"(?:doesn'?t|don'?t|does not|do not) know (?:himself|herself|themselves|either)",
        r"will confirm", r"to confirm after", r"skip(?:ping)? (?:this |it )?for now",
        r"nicht angesprochen",
        r"wei(?:ß|ss) ich (?:noch )?nicht", r"wissen wir (?:noch )?nicht",
        r"weiß (?:er|sie|man) (?:noch )?nicht", r"klären wir (?:noch|später|nächste woche)",
        r"muss ich (?:noch )?(?:klären|fragen|herausfinden|nachfragen)",
        r"müssen wir (?:noch )?klären", r"noch zu klären", r"noch offen",
        r"kam nicht zur sprache", r"war kein thema",
        r"(?:kam|kommt) (?:\w{1,12} )?(?:noch )?nicht (?:auf|zur sprache|vor)",
        r"(?:kommt|kommen|comes? up|will come up|coming up) (?:erst )?(?:im|in the|beim|at the"
        r"|on the|in our|im nächsten) (?:\d\.?|nächsten|zweiten|next|second|follow-?up)?\w{0,2}"
        r" ?(?:call|termin|gespräch|meeting)",
        r"noch nich(?:t)? (?:\w{1,12} ){0,2}(?:abgefragt|gefragt|besprochen|geklärt)",
        r"(?:noch|bisher|so far|still) (?:unbekannt|unknown)",
        r"not (?:yet )?decided(?: yet)?", r"noch nicht entschieden",
        # Kept for a later call: "hab ich mir fürs Zweitgespräch aufgehoben".
        r"(?:fürs?|für den|im|beim) (?:\w{1,12} )?(?:zweitgespräch|folgetermin|follow-?up"
        r"|nächsten (?:call|termin|gespräch))", r"aufgehoben|aufgespart",
        # Any "not yet" with a participle, except those of an approval (a planned budget).
        r"noch nicht (?:\w{1,12} ){0,3}(?!genehmigt|freigegeben|unterschrieben|abgesegnet"
        r"|gezeichnet|signiert|beauftragt|bestellt|gekauft|budgetiert|eingeplant|verabschiedet)"
        r"ge\w{3,14}(?:t|en)\b",
        r"(?:konnten|konnte|können|kann) (?:\w{1,12} ){0,2}noch nicht (?:klären|besprechen|fragen"
        r"|herausfinden)",
        r"(?:zeitlich )?nicht (?:mehr )?geschafft", r"folgt (?:im|nächste|beim)",
        r"(?:wird|werden) erst (?:\w{1,12} ){0,5}(?:definiert|festgelegt|geklärt|besprochen"
        r"|erarbeitet|entschieden)",
        r"(?:haven'?t|hasn'?t|have not|has not) (?:defined|set|agreed on|settled|finali[sz]ed)"
        r"(?: \w{1,12}){0,3} yet",
        r"(?:wollte|wollten|wollen|will|möchte|konnte|konnten|kann) (?:\w{1,12} ){0,3}"
        r"(?:nicht|nichts|nix) (?:\w{1,12} )?(?:sagen|verraten|nennen)",
        r"(?:zeitplan|termin|timeline|datum|zeitrahmen|ablauf) (?:ist |is )?(?:noch )?offen",
        r"klärt (?:sie|er) (?:das )?noch",
        r"(?:she|he)(?:'s| is) (?:still )?(?:checking|finding out)",
        r"(?:haven'?t|have not|hasn'?t|has not) (?:yet )?talked", r"nothing to share yet",
        r"(?:hab|habe|haben) (?:ich|wir) (?:noch )?nicht (?:gefragt|nachgefragt|geklärt"
        r"|besprochen)",
        r"(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) (?:yet )?come up",
        r"(?:hasn'?t|haven'?t|has not|have not|didn'?t) (?:\w{1,12} )?(?:happened|started|begun"
        r"|taken place|kicked off)(?: yet)?",
        r"noch nicht (?:\w{1,12} )?(?:passiert|gelaufen|gestartet|erfolgt|angelaufen)",
        r"haben wir nicht (?:drüber )?gesprochen",
        r"noch kein thema", r"frage ich nach", r"frag ich nach", r"kläre ich",
        r"(?:couldn'?t|could not|didn'?t|did not) get (?:a |any )?(?:number|answer|figure"
        r"|info\w{0,9})",
        r"noch nicht (?:\w{1,12} )?(?:verstanden|durchdacht)",
        r"haven'?t (?:really )?(?:understood|figured)",
        r"hängt (?:\w{1,12} ){0,3}ab", r"depends on",
        r"zu früh", r"steht noch nicht fest", r"unklar", r"nicht klar", r"not clear",
        r"noch (?:\w{1,12} )?offen",
        r"(?:völlig|komplett|totally|completely|still|wide) (?:offen|open)",
        r"(?:kenne|weiß|kennen|wissen) (?:ich|wir) (?:\w{1,12} )?(?:noch )?nicht",
        r"(?:don'?t|do not) know (?:the|their|how|what|who|when)",
        r"(?:kann|können) (?:ich|wir|man) (?:\w{1,12} ){0,2}noch nichts sagen", r"keine aussage",
        r"no answer on (?:that|this|it)", r"erst nach dem \w{2,20} besprechen",
        r"will discuss (?:it )?after",
        r"(?<!they'd )(?<!they )(?<!he'd )(?<!she'd )(?<!he )(?<!she )(?:will|i'll|we'll|gonna"
        r"|going to"
        r"|need to|needs to|have to|must) (?:ask|find out|check"
        r"|know|clarify|follow up|update|dig)", r"(?:find|figure|figured) (?:that |it |this )?out",
        r"haven'?t (?:\w{1,12} )?(?:figured|found out|gotten|got|dug|seen|asked|checked)",
        # Not yet found out, in the words reps use for it: "haven't identified who controls it".
        r"(?:have|has|had)(?:n'?t| not) (?:yet )?(?:\w{1,12} )?(?:identified|determined"
        r"|established|pinned down|nailed down|uncovered|explored|qualified|mapped|learn[te]d)",
        r"(?:didn'?t|did not|never|haven'?t|have not|hasn'?t) (?:\w{1,12} )?(?:get|got|gotten"
        r"|come|came"
        r"|dig|dug|go|went|talk|touch)(?: \w{1,12}){0,2} (?:to|into|that far|there|on|about)",
        r"(?:didn'?t|did not|couldn'?t|could not|wouldn'?t|would not|won'?t|will not) (?:want to )?"
        r"(?:say|tell|share|disclose|talk|discuss)", r"too (?:soon|early)", r"not that far",
        r"so far unknown", r"no answer yet",
        r"waiting (?:for|on) (?:their |an? )?(?:answer"
        r"|reply|feedback|info)", r"pending, ", r"in klärung", r"wird geklärt", r"klären wir",
        r"(?:wissen|weiß) (?:wir|ich|man) (?:\w{1,12} )?(?:nach|erst|morgen|nächste|bald|später)",
        r"(?:raus|heraus)finden", r"nachfragen", r"frag(?:e)? ich", r"ich frag\w{0,2}",
        r"vergessen (?:zu fragen|nachzufragen)", r"forgot to ask", r"forgot",
        r"(?:sagen|sagten|verraten|wollten|wollen) (?:\w{1,12} ){0,3}nicht",
        r"nichts (?:dazu )?gesagt",
        r"(?:nicht|noch nicht|gar nicht) (?:\w{1,12} ){0,2}(?:gekommen|gesprochen|geredet)",
        r"so weit sind wir noch nicht", r"kam nicht auf", r"noch nicht (?:gesehen|drüber|dazu)",
        r"hab(?:e)? ich noch nicht", r"have(?:n't| not) seen", r"n/a",
        # Still finding out: the lead or the rep is working on it.
        r"(?:working|figuring|mapping) out (?:the|what|who|how|when|whether|if|their)",
        r"still scoping", r"(?:are|is|'re|'s) scoping", r"still working on (?:it|that|this)",
        r"(?:is|are|'s|'re) working on (?:it|that|this|the numbers?)",
        r"no (?:number|figure|amount|date|name|answer|details?) yet", r"noch nicht raus",
        r"klär(?:e)? ich(?: noch)?", r"(?:hat|haben) sich (?:noch )?nicht festgelegt",
        r"(?:hasn'?t|haven'?t|didn'?t) (?:yet )?committed to (?:a|an|any)",
        r"checking internally", r"(?:prüft|prüfen|klärt|klären) (?:\w{1,12} ){0,2}intern",
        r"(?:can'?t|cannot|couldn'?t) (?:say|tell) yet", r"noch (?:nicht|nichts) sagen",
        r"waiting to hear back", r"hear back",
        r"(?:wissen|weiß) (?:sie|die|er) (?:\w{1,12} ){0,2}(?:noch )?nicht",
        r"nothing (?:so far|yet)", r"bisher nichts", r"(?:isn'?t|is not|not yet) (?:done|ready"
        r"|finished|final)", r"(?:noch )?nicht fertig",
        r"(?:haben|hat) (?:sie|er|die) (?:\w{1,12} )?nicht genannt",
        r"(?:didn'?t|did not|haven'?t|hasn'?t) (?:name|mention|give) (?:a |the |any )?(?:number"
        r"|figure|sum|amount)",
        r"(?:haven'?t|hasn'?t|have not|has not) (?:yet )?(?:told|shared|said|explained|shown"
        r"|given)",
        r"(?:konnte|konnten|kann|können) (?:\w{1,12} ){0,2}nicht sagen", r"nicht weiß",
        r"no (?:word|insights?|visibility|details?) (?:\w{1,12} ){0,3}(?:yet|so far)",
        r"noch keine (?:rückmeldung|antwort|info\w{0,2}|einblicke?)",
        r"up in the air", r"in der schwebe", r"(?:worked|work|working) out",
        r"(?:haven'?t|hasn'?t|not) (?:yet )?committed to anything",
        r"not (?:yet )?defined", r"noch nicht (?:definiert|festgelegt|raus\w{0,12}|heraus\w{0,12})",
        r"(?:drafting|being drafted|erstellen gerade|in arbeit)",
    ]
)  # fmt: skip

# A whole answer that says nothing about the lead: a skip, a placeholder or a shrug.
NON_ANSWER = re.compile(
    r"^(?:[?!.\-–—_ ]{1,8}|n/?a(?: for now| atm)?|na|tbd|tbc|tba|k\.? ?a\.?|ka|idk|dunno"
    r"|skip(?:ped)?|pass|offen"
    r"|übersprungen|überspringen|keine angabe|pending|keine ahnung|no idea|no clue|unknown"
    r"|unbekannt"
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
        # The rep will follow up: "I'll circle back", "da muss ich nachhaken", "reiche ich nach".
        r"circle back", r"get back to (?:you|me|us|them) on", r"(?:i'?ll|we'?ll|will) update",
        r"nach ?(?:zu)?haken", r"hake (?:\w{1,12} ){0,2}nach",
        r"reich(?:e)? (?:ich )?(?:\w{1,12} )?nach",
        r"ich update", r"vergessen zu fragen", r"forgot to ask",
        # The lead kept it to themselves: "kept their cards close", "haben sich bedeckt gehalten".
        r"cards (?:close|hidden|to (?:the|their) chest)", r"close to the (?:chest|vest)",
        r"tight-?lipped", r"(?:bedeckt|zugeknöpft|verschlossen) (?:gehalten|geblieben|gegeben)",
        r"(?:hielten|halten|hält|hielt) sich (?:\w{1,12} ){0,3}bedeckt",
        r"(?:didn'?t|did not|never) get a (?:straight|clear|real) answer",
        r"keine (?:klare|richtige|eindeutige) antwort", r"(?:opened|open) up about",
        r"nicht (?:\w{1,12} )?(?:verraten|erzählt|preisgegeben)",
        # The topic was not reached: "never got to money, time was up", "im Call untergegangen".
        r"(?:never|didn'?t|did not) (?:\w{1,12} )?(?:got|get) (?:round |around )?to (?:\w{1,12} )?"
        r"(?:money|budget|pricing|numbers|it|that|this|the topic)",
        r"time (?:was|ran) (?:up|out)", r"zeit war (?:um|knapp|zu kurz)", r"untergegangen",
        r"(?:barely|hardly|didn'?t) (?:got |get )?past (?:the )?(?:intros?|introductions"
        r"|small talk)",
        r"(?:first|erste[sn]?|nächste[sn]?) (?:real|proper|actual|richtige[sn]?|echte[sn]?"
        r"|discovery)[- ]?(?:call|meeting|gespräch|termin)",
        r"noch kein\w{0,2} (?:discovery|erst\w{0,2}|richtige\w{0,2})[- ]?(?:call|gespräch|termin"
        r"|meeting)",
        r"(?:haben|hab|habe) (?:wir |ich )?(?:dazu |zu \w{1,12} \w{1,20} )?noch nichts",
        r"walk us through (?:it|that|this)(?: \w{1,12}){0,2} (?:after|later|next)",
        r"(?:they'?d|they'?ll|they will|they would) send (?:it|that|this|them) over",
        # The answer will come with a later step: "they'll share the KPI sheet after the
        # holidays", "bekommen wir mit der Ausschreibung", "vorher keine Infos".
        r"(?:they'?ll|they will|they'?d|will) (?:share|send|present|show) (?:us )?(?:their |the )?",
        r"(?:bekommen|kriegen|erhalten) wir (?:\w{1,12} ){0,2}(?:mit|nach|im|am)",
        r"(?:wollen|werden|möchten) (?:sie|die) uns (?:\w{1,12} ){0,3}(?:vorstellen|schicken"
        r"|zeigen|sagen|nennen)",
        r"vorher keine infos?", r"kommt nach (?:dem|der) (?:angebot|call|termin|demo|workshop)",
        r"should be in (?:there|it)",
        r"kommt (?:im|in|mit|nach) (?:dem |der |einem )?(?:workshop|follow-?up|call|termin"
        r"|meeting)",
        r"(?:we'?ll|we will) (?:get|see|hear) (?:\w{1,12} ){0,4}(?:in|at|after|once|when) (?:the )?"
        r"(?:follow-?up|next call|workshop|procurement|they)",
        r"(?:we'?ll|we will) see (?:it|them) (?:once|when|after)",
    ]
)  # fmt: skip


# A rep correcting themselves mid-answer: "Q2 – no wait, Q1", "£8,500 – sorry, I mean £18,500",
# "bis März, äh nein, bis April". Only what follows the last correction is the answer.
_CORRECTION = re.compile(
    r"(?:\bno,? wait\b|\bwait,? no\b|\bsorry,? (?:i )?mean[t]?\b|\bi mean(?:t)?\b(?=,|:| \S)"
    r"|\bcorrection:|\bscratch that\b|\bstrike that\b|\blet me correct\b|\bmy bad,"
    r"|\b(?:nein|ne|nee),? warte\b|\bwarte,? (?:nein|ne|nee)\b|\bsorry,? ich mein(?:t)?e\b"
    r"|\bich mein(?:t)?e\b(?=,|:| \S)|\bkorrektur:|\bkorrigiere(?: mich)?\b|\bäh,? nein\b"
    r"|\bquatsch,|\b(?:nein|no|ne|nee),? sorry\b|\bsorry,? (?:nein|no|ne|nee)\b)",
    re.IGNORECASE,
)


def after_correction(text: str) -> str:
    """The part of ``text`` after the rep's last self-correction, or all of it."""
    found = list(_CORRECTION.finditer(text))
    if not found:
        return text
    last = found[-1]
    rest = text[last.end() :].strip(" ,.:;-–—")
    return rest if re.search(r"\w", rest) else text
