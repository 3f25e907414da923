"""The words of knock-outs, by code, in English and German (read by :mod:`flows.knockouts`).

Each code lists the events and situations that rule a lead out, with their verb forms in both
languages: signing or renewing elsewhere for a term, having no need, research or coursework,
closing, insolvency, a takeover or group standard that settles the tools, a rival or consultant
posing as a buyer.
"""

from __future__ import annotations

import re

from flows.lexicon import phrases

_RIVAL = r"(?:a |the |an |another |our )?(?:competitor|competition|rival|other vendor|incumbent)"
_TERM = (
    r"(?:(?:for|until|till|through|bis|für)(?: the next| another| a further)? (?:\d{1,2}|a|one|two"
    r"|three|four|five|zwei|drei|vier|fünf|multiple|several)(?:[- ]more)? (?:years?|yrs?|months?"
    r"|jahre?n?|monate?n?)|(?:until|till|through|to|into|bis)"
    r" (?:(?:ende|end of|mitte|mid|anfang) )?20\d\d)"
)
_SIGNED = (
    r"(?:(?:counter-?)?signed|renewed|extended|locked in|committed|went|re-?signed|inked"
    r"|gesigned|gesignt|abgeschlossen|unterschrieben|verlängert)"
)
KNOCKOUTS: dict[str, re.Pattern[str]] = {
    "competitor": phrases(
        [
            rf"{_SIGNED}(?: \w{{1,20}}){{0,8}} (?:on |for |with )?an? (?:\d{{1,2}}|one|two|three"
            rf"|five|multi)"
            r"[- ]?(?:month|year|yr)s?[- ]?(?:deal|contract|term|agreement)",
            rf"{_SIGNED} (?:with|mit|bei) \w{{2,20}},? (?:for )?(?:\d{{1,2}}|two|three|four|five"
            rf"|zwei|drei"
            r"|vier|fünf) (?:years?|yrs|jahre|months?|monate)",
            r"vertrag über (?:\d{1,2}|zwei|drei|vier|fünf) (?:monate|jahre)",
            r"(?:schon|bereits|gerade|eben) (?:bei|mit) \w{2,20} (?:unterschrieben|verlängert"
            r"|abgeschlossen)",
            r"laufzeit (?:von )?(?:\d{1,2}|zwei|drei|vier|fünf) (?:jahre|monate)",
            rf"{_SIGNED}(?: \w{{1,20}}){{0,4}} (?:with|for|to) {_RIVAL}",
            rf"{_SIGNED}(?: \w{{1,20}}){{0,6}} {_TERM}",
            r"(?:\d{1,2}|two|three|four|five|multi)[- ]?(?:year|yr) (?:contract|deal|agreement)",
            r"chose (?:a |the )?(?:competitor|competition|rival)",
            # Decided for another tool, with the term that binds them: "haben sich für X
            # entschieden, Vertrag läuft 2 Jahre".
            r"für (?!uns\b|euch\b|unser)\w{2,20} entschieden\b.{0,60}?\b(?:vertrag|laufzeit)"
            r"(?: \w{1,12}){0,2} (?:\d{1,2}|zwei|drei|vier|fünf) (?:jahre|monate)",
            # Gone over to a rival already: "switched to a competitor last month",
            # "sind zur Konkurrenz gewechselt".
            rf"(?:switched|moved|migrated|changed|went over|gone over|defected)"
            rf"(?: \w{{1,12}}){{0,3}} (?:to|over to) {_RIVAL}",
            r"(?:zur|zum|zu einem|zu einer) (?:\w{1,12} )?(?:konkurrenz|wettbewerber|mitbewerber"
            r"|konkurrenten)(?: \w{1,12}){0,2} (?:gewechselt|abgewandert|umgestiegen|übergelaufen)",
            r"already (?:bought|purchased|signed)",
            r"(?:vertrag|verträge)(?: \w{1,20}){0,7} (?:verlängert|unterschrieben|abgeschlossen)",
            r"(?:verlängert|unterschrieben|abgeschlossen)(?: \w{1,20}){0,4} (?:wettbewerber"
            r"|mitbewerber|konkurrenz|konkurrenten)",
            r"(?:mit|bei) (?:einem |dem |der )?(?:wettbewerber|mitbewerber|konkurrenz|konkurrenten)"
            r"(?: \w{1,20}){0,4} (?:verlängert|unterschrieben|abgeschlossen|entschieden)",
            r"(?:verlängert|unterschrieben|abgeschlossen|gebunden)(?: \w{1,20}){0,3} (?:bis 20\d\d"
            r"|für (?:\d{1,2}|zwei|drei|vier|fünf) (?:jahre|monate))",
            r"(?:\d{1,2}|zwei|drei|fünf) jahre (?:\w{1,20} ){0,3}(?:verlängert|unterschrieben"
            r"|abgeschlossen|gebunden)",
            r"bereits (?:einen )?vertrag",
            r"(?:schon|bereits|gerade) gekauft",
            r"für (?:einen|den) (?:wettbewerber|mitbewerber) entschieden",
            r"(?:\d{1,2}|zwei|drei|fünf)[- ]?jahres-?(?:vertrag|deal)",
            r"laufzeit (?:\w{1,12} )?(?:bis|until) (?:ende |end of )?20\d\d",
            r"bis 20\d\d (?:\w{1,20} ){0,3}gebunden",
            r"gebunden bis 20\d\d",
            r"locked in until 20\d\d",
            r"tied (?:in|up) until 20\d\d",
            r"vertraglich gebunden",
            r"langfristig gebunden",
            # A renewal or extension with the tool they already have, once it is signed or runs
            # for a term: "staying with X, extension through 2029 signed", "Verlängerung mit
            # dem Bestandsanbieter ist unterschrieben".
            rf"(?:renewal|extension|verlängerung|renewed|extended|verlängert)\b.{{0,80}}?"
            rf"(?:\bsigned|unterschrieben|abgeschlossen|\bdone|durch\b|{_TERM}"
            r"|(?:runs?|läuft) (?:\w{1,12} ){0,2}(?:\d{1,2}|two|three|four|five|zwei|drei|vier"
            r"|fünf|another|weitere) \w{0,8} ?(?:years?|jahre))",
            r"(?:signed|unterschrieben|abgeschlossen)\b.{0,40}?\b(?:renewal|extension"
            r"|verlängerung)",
            # A signed deal and its term told apart: "signed with X on Friday, 24-month term".
            rf"{_SIGNED}\b.{{0,60}}?\b(?:\d{{1,2}}|two|three|four|five|zwei|drei|vier|fünf|multi)"
            r"[- ]?(?:months?|years?|yrs?|monat\w{0,2}|jahr\w{0,2})[- ]?(?:\w{1,20} )?(?:term|deal"
            r"|contract|agreement|laufzeit|vertrag)",
            rf"{_SIGNED}(?: \w{{1,20}}){{0,3}} an? (?:\d{{1,2}}|one|two|three|four|five|multi)"
            r"[- ]?(?:month|year|yr)s?[- ]\w{1,20} (?:deal|contract|term|agreement)",
            # Someone from a rival posing as a prospect.
            r"(?:works?|working|arbeite[nt]?) (?:at|for|bei|für)"
            r" (?:one of |einem |einer |unserem |n?em |'nem |ner |'ner )?"
            r"(?:our |a |the )?(?:direct |direkten )?(?:competitors?|rivals?|wettbewerbern?"
            r"|konkurrenten|mitbewerbern?)",
            r"(?:competitor|rival|wettbewerber|konkurrent\w{0,2}|mitbewerber)\b.{0,60}?\b(?:recon"
            r"|spying|fishing|posing|posed|ausgegeben|spionier\w{0,3}|ausspionier\w{0,3})",
            # A rival found out: "Produktmanager bei X, also direkte Konkurrenz", "email domain
            # belongs to a competitor", "will nur unsere Demo abgreifen".
            r"(?:bei|at|for) \w{2,20},? (?:also |i\.?e\.? |so |sprich )?(?:eine? |a |the |our )?"
            r"(?:direkte[rn]? |direct )?(?:konkurrenz|konkurrent\w{0,2}|wettbewerber\w{0,2}"
            r"|competitor|rival)",
            r"(?:domain|e-?mail|address|adresse)(?: \w{1,12}){0,3} (?:belongs to|is from|gehört"
            r"(?: zu)?) (?:a |an |einem |einer |the )?(?:competitor|rival|wettbewerber"
            r"|konkurrent\w{0,2})",
            r"(?:preise|demo|infos?|unterlagen|präsentation|konzept\w{0,2}) (?:\w{1,12} )?"
            r"abgreifen",
            r"benchmarking (?:\w{1,12} ){0,2}for (?:his|her|their) own",
            # A contract signed so recently that "the ink is barely dry" (figurative).
            r"ink (?:is |was )?(?:\w{1,8} )?(?:barely|hardly|still|not even|scarcely) (?:dry|wet)",
            r"tinte (?:ist |war )?(?:\w{1,8} )?(?:kaum|noch nicht|gerade erst|noch) (?:trocken"
            r"|nass|feucht)",
        ]
    ),
    "no_need": phrases(
        [
            r"(?:don'?t|do not|doesn'?t|does not) need (?:anything|any of this|this|it)(?: like"
            r" this)?"
            r",? (?:full stop|period|punkt|whatsoever)",
            r"no need(?! to)(?! for (?:a |an )?(?:rush|hurry))(?! (?:to|for) (?:loop|ask|involve))",
            r"zero need",
            r"no need at all",
            r"no use case",
            r"no requirement",
            r"not interested",
            r"no interest",
            r"never going to buy",
            r"not a fit at all",
            r"null bedarf",
            r"(?:don'?t|do not|doesn'?t|does not) need (?:it|this|that|one|anything|us) at all",
            r"kein(?:erlei)? interesse",
            r"nicht interessiert",
            r"kein(?:en|erlei)? bedarf",
            r"brauchen (?:wir |sie )?(?:das |es |sowas |so etwas )?(?:überhaupt|gar) nicht",
            r"keinen use ?case",
            r"überhaupt keinen bedarf",
            # Nothing to solve, said with a quantifier: "no pain whatsoever".
            r"no (?:pain|problems?|need|issues?)(?: \w{1,12})? (?:whatsoever|at all)",
            r"(?:überhaupt|gar|absolut) kein(?:e|en|erlei)? (?:schmerz\w{0,2}|probleme?|bedarf)",
            r"keinerlei (?:schmerz\w{0,2}|probleme?|bedarf|pain)",
            # Curiosity only: content interest, not buying interest.
            r"(?:reine|pure|purely|just|only|nur|aus) (?:\w{1,8} )?(?:neugier\w{0,2}|curiosity"
            r"|curious|interesse halber)",
            # Asked to stop the contact: "asked us not to follow up", "wir sollen uns nicht
            # mehr melden".
            r"(?:asked|told|begged|want(?:ed|s)?) (?:us |me )?(?:not to|to stop|to never|never to)"
            r" (?:\w{1,12} )?(?:call|contact|follow|reach|email|ping|bother|get in touch)",
            r"(?:don'?t|do not|never) (?:call|contact|email) (?:us|them) again",
            r"(?:sollen|sollten|mögen) (?:\w{1,12} ){0,2}(?:nicht mehr|nie wieder|nicht wieder)"
            r" (?:\w{1,12} ){0,2}(?:melden|anrufen|kontaktieren|schreiben)",
            r"(?:baten|bitten|gebeten) (?:\w{1,12} ){0,3}(?:nicht mehr|nicht wieder"
            r"|keine?n? (?:\w{1,12} )?(?:anrufe?|kontakt))",
            # The offering's field does not concern their business at all.
            r"(?:category|product|solution|offering|space|kategorie|produkt\w{0,2}|lösung\w{0,2}"
            r"|thema|bereich) (?:\w{1,12} ){0,2}(?:is |are |ist |sind )?(?:completely |totally "
            r"|entirely |völlig |komplett |total )?(?:irrelevant|not relevant|nicht relevant"
            r"|doesn'?t matter|does not matter|spielt keine rolle) (?:to|for|für) (?:their|them"
            r"|ihr\w{0,2}|sie|das|die) (?:whole |ganze\w? )?(?:business|company|geschäft"
            r"|unternehmen|firma)",
        ]
    ),
    "research": phrases(
        [
            r"run by students",
            r"uni(?:versity)? competition",
            r"hackathon",
            r"school competition",
            r"for (?:a|their|her|his) (?:course|seminar)",
            r"(?:a |just |only |for )?(?:a )?students?(?: project| only| group| team| doing)",
            r"(?:a )?students? (?:working on|doing|writing)",
            r"class project",
            r"for (?:a|her|his) class",
            r"(?:only|just|purely|for) (?:a )?(?:students?|research|academic|university|school)",
            r"research (?:only|purposes|project)",
            r"(?:researcher|forscher\w{0,2}|wissenschaftler\w{0,2}) (?:at|bei|an der|am) \w{2,20}",
            r"(?:doing|for|writing|für) (?:a |an |eine |einer )?(?:market study|marktstudie|study"
            r"|studie|thesis|abschlussarbeit)",
            r"no (?:purchase|buying intent|intent to buy)(?: \w{1,12}){0,2}",
            r"kein\w{0,2} (?:kaufabsicht|kaufinteresse|kauf dahinter)",
            r"academic (?:only|purposes|use|research|project)",
            r"university project",
            r"uni project",
            r"thesis",
            r"dissertation",
            r"school project",
            r"homework",
            r"for a paper",
            r"phd",
            r"no commercial use",
            r"non-?commercial",
            r"(?:nur|rein) (?:für )?(?:studenten|studierende|forschung|akademisch\w{0,3}|die uni)",
            r"reine forschung",
            r"kein kommerzieller einsatz",
            r"lehrstuhl",
            r"uni-?seminar",
            r"für die uni",
            r"paper für",
            r"studenten(?:projekt|gruppe|team)",
            r"studentisches projekt",
            r"forschungs(?:zwecke|projekt)",
            r"zu forschungszwecken",
            r"uni-?projekt",
            r"abschlussarbeit",
            r"masterarbeit",
            r"bachelorarbeit",
            r"doktorarbeit",
            r"hausarbeit",
            r"seminararbeit",
            # Who is asking is a student, or what it is for is coursework.
            r"(?:he|she|they|it|er|sie|contact|kontakt|ansprechpartner\w{0,2})(?:'s|'re| is| are"
            r"| was| were| ist| sind| war| waren) (?:a |an |eine? |noch |just |only |nur )?"
            r"(?:(?:master'?s|bachelor'?s|phd|doctoral|grad|graduate|university|uni|business"
            r"|mba|master|bachelor)[- ])?(?:students?|student(?:in|en)|studierende[rn]?"
            r"|schüler(?:in|innen)?|praktikant\w{0,2} an der uni)",
            r"(?:case study|fallstudie|term paper|coursework|course ?work|semesterarbeit"
            r"|projektarbeit|studienarbeit|assignment for)",
            r"(?:university|uni|college|hochschul\w{0,2}|fh) (?:course|class|module|assignment"
            r"|kurs|seminar|modul|vorlesung)",
            r"for (?:a |an |their |her |his )?(?:course|module|lecture|class) (?:they|she|he)",
            # A consultant or analyst gathering material with no buyer behind it.
            r"(?:consultant|analyst|berater\w{0,2}|agentur|agency)\b.{0,40}?\b(?:collecting"
            r"|gathering|sammelt|for an? (?:report|study|market scan)|für eine (?:studie"
            r"|marktanalyse|bericht)|no client|kein\w{0,2} (?:kunde|auftraggeber))",
            r"no (?:client|customer|buyer|end client) behind",
            r"kein\w{0,2} (?:kunde|auftraggeber|endkunde) dahinter",
            r"(?:kurs|vorlesung|seminar|modul) an der (?:uni\w{0,8}|hochschule|fh)",
            r"schulklasse",
            r"planspiel",
            r"school class",
        ]
    ),
    # Not a buyer at all: a recruiter, a journalist, a reseller of a rival, "not a prospect".
    "not_a_buyer": phrases(
        [
            r"not an? (?:real |actual |genuine )?(?:prospect|buyer)",
            r"not a (?:real|genuine|actual) (?:lead|company)",
            r"kein(?:e|en)? (?:echte[rn]? |richtige[rn]? )?(?:interessent\w{0,2}|käufer)",
            r"kein unternehmen",
            r"(?:it'?s|it was|is|was|ist|war|he'?s|she'?s|they'?re|er ist|sie ist) (?:a|an|ein"
            r"|eine|just a|only a|nur ein\w?) (?:\w{1,12} )?(?:recruiter|headhunter"
            r"|journalist\w{0,2}"
            r"|reporter\w{0,2}|blogger\w{0,2}|redakteur\w{0,2})",
            r"(?:reseller|wiederverkäufer|vertriebspartner|händler) (?:of|for|von|eines|einer)"
            r" (?:a |an |einem |einer )?(?:competing|rival|competitor\w{0,2}|konkurrenz\w{0,8}"
            r"|wettbewerb\w{0,6})",
        ]
    ),
    # A group standard imposed from above: "the parent rolled out Dynamics to every BU".
    "mandated": phrases(
        [
            r"group (?:has |have |just )?(?:mandated|standardi[sz]ed on|rolled out)",
            r"(?:parent|group(?:'s| it| hq| level| management)|konzern\w{0,8}|\w{0,8}mutter\w{0,12}"
            r"|new owners?|neue[rn]? (?:eigentümer|besitzer|investor)\w{0,2}"
            r"|hq|headquarters|zentrale"
            r"|holding)\b.{0,80}?\b(?:rolled out|rolling out|mandat\w{1,5}|standardi[sz]\w{1,6}"
            r"|verordnet|kein spielraum|no (?:leeway|choice)|für alle (?:töchter\w{0,2}"
            r"|tochter\w{0,12}|standorte|gesellschaften)|for all (?:subsidiaries|entities|sites)"
            r"|konzernvertrag|group[- ]wide (?:contract|deal|agreement)"
            r"|every (?:bu|business unit|site|subsidiary|team)|no exceptions|keine ausnahmen"
            r"|vorgeschrieben|vorgegeben|ausgerollt|ausrollen|schreibt (?:\w{1,12} ){0,3}vor)",
        ]
    ),
    "closing": phrases(
        [
            r"clos(?:es|ing) (?:its|their) doors",
            r"schließt (?:die|seine|ihre) (?:türen|pforten)",
            r"(?:company|business|shop|subsidiary|firm|startup) (?:is |are )?"
            r"(?:being )?(?:closing|shutting down|shut down|winding down|wound down)"
            r"(?! (?:the|their|its|our|an?|old|legacy) )",
            r"(?:closing|shutting) down(?! (?:the|their|its|our|an?|old|legacy) )",
            r"(?:closing|shutting down|winding down) (?:the |their )?(?:subsidiary|company|business"
            r"|operations)",
            r"being (?:shut|wound) down",
            r"wind-?down",
            r"going out of business",
            r"ceasing operations",
            r"dicht ?machen",
            # A site or firm that closes on a date: "the whole site closes in March" (a deal
            # that closes is not among these subjects).
            r"(?:site|plant|factory|office|branch|location|store|shop|company|business|firm"
            r"|subsidiary|standort|werk|filiale|niederlassung|büro|firma)\w{0,2} (?:\w{1,12} )?"
            r"(?:closes|is closing|will close|shuts|will shut|schließt|wird geschlossen)",
            r"dicht ?gemacht",
            r"mach(?:t|en|te|ten) (?:\w{1,12} ){0,3}dicht",
            r"abwicklung",
            r"geschäftsaufgabe",
            r"stellen? den betrieb ein",
            r"betrieb wird eingestellt",
            r"(?:firma|unternehmen|laden|tochter|gesellschaft|geschäft|betrieb) (?:\w{1,12}"
            r" ){0,3}wird"
            r" (?:\w{1,12} ){0,3}(?:geschlossen|aufgelöst|abgewickelt|eingestellt)",
            r"wird (?:\w{1,12} ){0,3}(?:geschlossen|aufgelöst|abgewickelt)",
            # Closing told as an event, with its verb forms: "shut their doors", "ceased
            # trading", "den Geschäftsbetrieb eingestellt", "no longer exists".
            r"(?:shut|shuts|shutting|closed|close|closing) (?:\w{1,8} )?(?:their|its|the|our)"
            r" doors",
            r"(?:ceased?|ceasing|stopp?(?:ed|ing)) (?:all )?(?:trading|operations|business)",
            r"(?:went|go|going|gone) out of business",
            r"wound up",
            r"sold (?:off )?for parts",
            # A site or a firm that shuts: "der Standort macht zu", "die machen den Laden zu",
            # "die Firma hört auf", "shutting the sales office", "everyone was laid off".
            r"(?:standort|firma|laden|werk|filiale|büro|niederlassung|unternehmen|geschäft"
            r"|betrieb)\w{0,2} (?:\w{1,12} )?mach\w{0,2} (?:\w{1,12} ){0,4}zu",
            r"mach\w{0,2} (?:den laden|die firma|das geschäft|den standort|das werk|die filiale"
            r"|den betrieb) (?:\w{1,12} ){0,3}zu",
            r"(?:firma|unternehmen|laden|geschäft|betrieb) (?:\w{1,12} )?hört (?:\w{1,12} )?auf",
            r"(?:shutting|closing|shut|close|closed) (?:down )?(?:the|their|its) (?:sales office"
            r"|division|unit|site|plant|branch|location|subsidiary|office for good)",
            # Laid off (passive), not "haben gekündigt" (they quit, a pain, not a closing).
            r"(?:leute|mitarbeiter\w{0,4}|belegschaft|beschäftigten) (?:\w{1,12} ){0,2}(?:sind"
            r"|wurden|werden) (?:\w{1,12} ){0,2}gekündigt",
            r"(?:everyone|everybody|all staff|the whole team)(?:'s| was| were| has been"
            r"| have been)? laid off",
            r"(?:closed|shut|closing|shutting|close) (?:down )?(?:the |their |its )?(?:whole "
            r"|entire )?(?:business|company|firm|shop|operations)",
            # The owner retires without a successor.
            r"(?:rente|ruhestand|retir\w{1,4})\b.{0,60}?\b(?:keinen nachfolger|no successor)",
            r"broken up",
            r"winding down(?! (?:the|their|its|our|an?|old|legacy) )",
            r"(?:löst|lösen) sich (?:\w{1,12} ){0,3}auf",
            r"dissolv\w{1,4}",
            r"(?:unit|abteilung|firma|team|standort|niederlassung|tochter|bereich|sparte|division)"
            r"\b.{0,30}?\b(?:abgewickelt|aufgelöst|dichtgemacht|geschlossen|shut down|dissolved)",
            r"winding up",
            r"(?:company|business|firm|shop|they) (?:\w{1,12} )?no longer exists?",
            r"(?:firma|unternehmen|laden|betrieb) (?:gibt es|existiert)"
            r" (?:\w{1,12} ){0,2}nicht mehr",
            r"(?:gibt es|existiert) (?:die firma|das unternehmen|den laden) (?:\w{1,12} ){0,2}nicht"
            r" mehr",
            r"(?:geschäfts)?betrieb\w{0,2} (?:\w{1,12} ){0,4}(?:eingestellt|aufgegeben)",
            r"stell\w{0,3} (?:\w{1,12} ){0,3}(?:geschäfts)?betrieb\w{0,2} (?:\w{1,12} ){0,3}ein",
            r"(?:türen|pforten) (?:\w{1,12} ){0,2}geschlossen",
        ]
    ),
    "insolvent": phrases(
        [
            r"insolvent",
            r"insolvency",
            r"bankrupt(?:cy)?",
            r"chapter 11",
            r"in administration",
            r"receivership",
            r"insolvenz\w{0,10}",
            r"pleite",
            r"konkurs",
            # Insolvency as a proceeding: liquidation, administrators, filing.
            r"liquidat\w{0,6}",
            r"liquidier\w{0,4}",
            r"administrators? (?:\w{1,12} ){0,2}(?:appointed|called in|took over|in charge)",
            r"administrators? (?:\w{1,12} ){0,2}(?:run|runs|running) (?:things|the company"
            r"|the business|everything)",
            r"(?:filed|filing|file) for (?:bankruptcy|insolvency|administration|chapter)",
            r"(?:went|gone|going|go) (?:bust|under|belly[- ]up)",
            r"administrators? (?:\w{1,12} ){0,2}(?:froze|frozen|freeze|stopped) (?:all )?"
            r"(?:payments|spending|purchases|contracts)",
            r"zahlungsunfähig\w{0,2}",
            r"insolvency court",
            r"antrag beim amtsgericht",
            r"schutzschirmverfahren",
        ]
    ),
    "acquired": phrases(
        [
            r"(?:being|wird|werden|gets|is getting|are getting) (?:\w{1,12} )?(?:acquired|bought"
            r"|taken over|übernommen|gekauft|aufgekauft)",
            r"acquisition (?:is )?pending",
            r"(?:acquired|bought|taken over) by (?:a |an |the |one of )?(?:competitor|rival"
            r"|konkurrent)",
            r"(?:acquired|bought|taken over) by (?:\w{1,20} ){1,4}(?:and|,|so|,? which)(?:"
            r" \w{1,20}){0,6}"
            r" (?:frozen|freeze|centrali[sz]\w{1,4}|consolidat\w{1,5}|migrat\w{1,5}|parent|hq"
            r"|headquarters|group standard)",
            r"(?:acquired|bought|taken over|übernommen|gekauft|aufgekauft|absorbed|swallowed"
            r"|geschluckt|einverleibt)\b.{0,120}?\b(?:frozen"
            r"|freeze|migrier\w{0,4}|central(?:ly)?|zentral\w{0,3}"
            r"|centrali[sz]\w{1,4}|consolidat\w{1,5}|migrat\w{1,5}|parent|gestoppt|eingefroren"
            r"|gefreezt"
            r"|zentral|mutter|konsolidiert|konzernvorgabe)",
            r"(?:von|durch) (?:einem |einen |dem )?(?:wettbewerber|konkurrenten|mitbewerber)"
            r"(?: \w{1,12}){0,2} (?:übernommen|gekauft|aufgekauft)",
            r"merging into",
            # Taken over by a group whose own tools are now mandated: "swallowed by a holding
            # that prescribes its own CRM", "geschluckt, der Konzern gibt die Tools vor".
            r"(?:acquired|bought|taken over|swallowed|absorbed|snapped up|geschluckt|übernommen"
            r"|gekauft|aufgekauft|einverleibt|übernahme|takeover|acquisition|spun off|spin-?off"
            r"|(?:being|been|was|were|is|got) (?:\w{1,12} )?sold"
            r"|(?:wurde|wird|werden) (?:\w{1,12} )?"
            r"verkauft|ausgegliedert|eingegliedert)\b.{0,120}?\b"
            r"(?:mandat\w{0,5}|abgeschaltet|abgelöst|switched off|shut off|sunset\w{0,3}"
            r"|brings? (?:its|their) own|bringt (?:seine|ihre) eigene\w?"
            r"|prescrib\w{0,4}|gestoppt|stopped|halted|frozen|eingefroren"
            r"|(?:deren|dessen|their|its) (?:\w{1,12} )?(?:systeme?n?|systems?|tools?|stack"
            r"|software|crm)"
            r"|(?:own|eigenen?) (?:\w{1,12}[- ])?(?:tech-?stack|stack|tools?|crm|systeme?)"
            r"|dictat\w{0,4}|impos\w{0,4}|enforc\w{0,4}|own (?:tools?|stack|crm|systems?|software"
            r"|platform)|group[- ]wide|konzernweit\w{0,2}|schreib\w{0,3} (?:\w{1,12} ){0,3}vor"
            r"|vorgeschrieben|vorgegeben|gibt (?:\w{1,12} ){0,4}vor|eigenen? (?:tools?|systeme?"
            r"|software|crm|stack|plattform))",
        ]
    ),
}
