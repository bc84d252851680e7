"""The Danish phrases that carry meaning, in one place.

Every rule that recognises Danish text lives here, as data: regular expressions and
tables. The stages (``segment``, ``parse``) only apply them. Each pattern is tested with the
real sentence it came from (``tests/test_phrases.py``); when you add one, add its sentence.
"""

from __future__ import annotations

import re

from .model import CaseType, Outcome, SectionKind

# --- text clean-up -------------------------------------------------------------------------

#: A page header/footer left by PDF extraction, alone on a line: "Side 3 af 45", "Side 3".
PAGE_DEBRIS = re.compile(r"^(?:Side|Page)\s+\d+(?:\s*(?:af|/|of)\s*\d+)?$", re.IGNORECASE)

#: Markdown markup around a whole line: heading hashes and bold/italic stars.
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
MD_EMPHASIS = re.compile(r"^(\*\*|__)(.+?)\1\s*$")
#: Bold inside a line: "**Mødedato** Tirsdag d. …"
MD_INLINE_BOLD = re.compile(r"\*\*(.+?)\*\*")

# --- meeting header ------------------------------------------------------------------------

#: "REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023"
TITLE_LINE = re.compile(
    r"^REFERAT\s+(?P<committee>.+?)"
    r"(?:\s+(?P<p1>\d{4})\s*[-–]\s*(?P<p2>\d{4}))?"
    r"\s+(?:d\.|den)\s*(?P<d>\d{1,2})[-.](?P<m>\d{1,2})[-.](?P<y>\d{4})$",
    re.IGNORECASE,
)

#: "Mødedato Tirsdag d. 17. januar 2023 kl. 08:30"
MEETING_DATE = re.compile(
    r"^Mødedato:?\s+(?:(?P<weekday>[A-Za-zÆØÅæøå]+)\s+)?(?:d\.|den)?\s*"
    r"(?P<day>\d{1,2})\.\s*(?P<month>[A-Za-zÆØÅæøå]+)\.?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:kl\.|klokken)\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2}))?",
    re.IGNORECASE,
)

#: "Mødested Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C"
MEETING_PLACE = re.compile(r"^Mødested:?\s+(?P<place>.+)$", re.IGNORECASE)

#: A place that is an online meeting: "Teams-møde", "Virtuelt møde", "Online".
ONLINE_PLACE = re.compile(r"\b(?:teams|skype|zoom|online|virtuel(?:t)?|digitalt\s+møde)", re.IGNORECASE)

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
WEEKDAYS = {
    "mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6,
}

# --- table of contents -----------------------------------------------------------------------

TOC_HEADING = re.compile(r"^Indholdsfortegnelse:?$", re.IGNORECASE)
#: "Godkendelse af dagsorden.....<TAB>3", "D-sag: … signaturp<TAB>15"
TOC_ENTRY = re.compile(r"^(?P<title>.+?)\s*(?:\.{2,}|…+)?\s*\t\s*(?P<page>\d+)\s*$")

# --- agenda items --------------------------------------------------------------------------

#: "Punkt 3: B-sag: Udmøntning af Budget 2023: …"
ITEM_HEADING = re.compile(r"^(?:Punkt|Pkt\.)\s*(?P<number>\d+)\s*[:.]\s*(?P<rest>\S.*)$", re.IGNORECASE)
#: "B-sag: ", "D-Sag: " at the start of an item title
CASE_TYPE_PREFIX = re.compile(r"^(?P<type>[BCD])-sag\s*[:.]\s*", re.IGNORECASE)
#: "(Ophøjet til B-sag)" in a title
UPGRADE_MARKER = re.compile(r"\s*\(\s*Ophøjet\s+til\s+(?P<type>[BCD])-sag\s*\)", re.IGNORECASE)
#: "besluttede at gøre sagen til en B-sag" in a decision
UPGRADE_DECISION = re.compile(r"\bgøre\s+sagen\s+til\s+en\s+(?P<type>[BCD])-sag\b", re.IGNORECASE)

#: The line under an item heading: "15.40.00-A00-5-22", "Åbent - 00.01.00-A00-17-15",
#: "J.nr.: 00.01.00", "Sagsnr.: 326-2010-57347".
CASE_NUMBER_LINE = re.compile(
    r"^(?:(?P<access>Åbent|Lukket)\s*[-–:]\s*)?"
    r"(?:(?:J\.\s?nr\.?|Journalnr\.?|Sagsnr\.?|Sags?nummer)\s*:?\s*)?"
    r"(?P<number>[0-9A-ZÆØÅa-zæøå][0-9A-ZÆØÅa-zæøå./-]{2,39})$"
)
ACCESS_OPEN = {"åbent": True, "lukket": False}

# --- case numbers --------------------------------------------------------------------------

#: KLE journal number: topic code, action facet, serial, two-digit year.
KLE_NUMBER = re.compile(
    r"^(?P<topic>\d{2}\.\d{2}\.\d{2})-(?P<facet>[A-ZÆØÅ]\d{2})-(?P<serial>\d+)-(?P<year>\d{2})$"
)
#: A KLE topic code alone, not a journal number: "J.nr.: 00.01.00" (Kalundborg, 2011).
KLE_TOPIC_ONLY = re.compile(r"^(?P<topic>\d{2}\.\d{2}\.\d{2})$")
#: Starts like a KLE number but is not one ("06.00.00P15-1-25", "00.30.02-S00-26-1").
KLE_LIKE = re.compile(r"^(?P<topic>\d{2}\.\d{2}\.\d{2})(?![\d.])")
#: Other municipalities' case systems: "25-000379", "25/26411", "S2020-43759", "EMN-2026-00445".
OTHER_CASE_NUMBER = re.compile(r"^(?=(?:\D*\d){3})[A-ZÆØÅ]{0,4}-?[0-9][0-9A-Za-z./-]*$")

# --- sections ------------------------------------------------------------------------------

#: Headings of the standard sections (case-folded, trailing colon removed).
SECTION_HEADINGS: dict[str, SectionKind] = {
    "resume": SectionKind.SUMMARY,
    "resumé": SectionKind.SUMMARY,
    "effekt": SectionKind.EFFECT,
    "indstilling": SectionKind.RECOMMENDATION,
    "indstillinger": SectionKind.RECOMMENDATION,
    "beslutning": SectionKind.DECISION,
    "sagsfremstilling": SectionKind.PRESENTATION,
    "sagsbeskrivelse": SectionKind.PRESENTATION,
    "økonomi": SectionKind.FINANCE,
    "bilag": SectionKind.ATTACHMENTS,
}

#: "Bilag 2 - Opsamling …", "Webtilgængeligt bilag 2 Resultater …"
ATTACHMENT_NUMBER = re.compile(r"^(?:Webtilgængelig[te]?\s+)?bilag\s+(?P<number>\d+)\b", re.IGNORECASE)

# --- blocks --------------------------------------------------------------------------------

#: A list entry: "- x", "* x", "• x", "1. x", "2) x", "a) x"
LIST_ENTRY = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*•–]|\d{1,2}[.)]|[a-z][.)])\s+(?P<text>\S.*)$")
#: Table cell markup seen in extracted text: "<b>I alt</b>"
CELL_MARKUP = re.compile(r"</?(?:b|strong|i|em)>", re.IGNORECASE)
#: A separator row of a text table: "--\t----\t---"
TABLE_RULE = re.compile(r"^[\s\t|:-]+$")

# --- decisions -----------------------------------------------------------------------------

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    ["jf", "jfr", "nr", "bl.a", "mio", "mia", "ca", "fx", "f.eks", "pkt", "stk", "evt", "inkl", "ekskl", "dvs", "vedr", "tlf", "st", "ang", "iht", "mht", "pga", "vha", "ift", "hhv", "resp"]
    # Not here: "kr.", "mv.", "m.m.", "osv.", "o.l." end a sentence when a capital follows
    # (000:104 "… ca. 0,2 mio. kr. Beskæftigelses- og Socialforvaltningen vurderer …").
)

#: "Beskæftigelses- og Socialudvalget beder forvaltningen opgøre ressourceforbruget …"
REQUEST = re.compile(r"\bbeder\s+(?:forvaltningen|administrationen|direktøren)\b", re.IGNORECASE)
#: "Beskæftigelses- og Socialudvalget præciserer, at indsatsen skal lægges på …"
REMARK = re.compile(r"\b(?:præciserer|bemærker|understreger|noterer|ønsker|opfordrer)\b", re.IGNORECASE)

#: Outcome of an outcome sentence, tried in this order.
OUTCOME_PATTERNS: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    # "Beskæftigelses- og Socialudvalget godkender ikke indstillingen."
    # "Beskæftigelses- og Socialudvalget godkender ikke indstillingspunkt 1." (DOMAIN.md)
    # "Beskæftigelses- og Socialudvalget anbefaler ikke indstillingen."
    (Outcome.REJECTED, re.compile(
        r"\b(?:godkend(?:er|te)|anbefal(?:er|ede))\s+ikke\s+(?:indstilling|forslag|sag)|"
        r"\bforkast(?:er|ede)\s+(?:indstilling|forslag)",
        re.IGNORECASE,
    )),
    # "Beskæftigelses- og Socialudvalget anbefaler indstillingen."
    (Outcome.RECOMMENDED, re.compile(r"\banbefal(?:er|ede)\b(?!\s+ikke\b)", re.IGNORECASE)),
    # "Beskæftigelses- og Socialudvalget godkender indstillingens punkt 1 og 2, …"
    (Outcome.APPROVED, re.compile(r"\bgodkend(?:er|te)\b(?!\s+ikke\b)", re.IGNORECASE)),
    # "Beskæftigelses- og Socialudvalget drøftede sagen."
    (Outcome.DISCUSSED, re.compile(r"\bdrøft(?:ede|er)\b", re.IGNORECASE)),
    # "Orientering givet."
    (Outcome.NOTED, re.compile(
        r"^orientering(?:en)?\s+(?:er\s+|blev\s+)?(?:givet|taget)|til\s+efterretning\b",
        re.IGNORECASE,
    )),
)

#: When a decision has outcome sentences of several kinds, the item's outcome is the first of
#: these that occurs: a recommendation to the city council outranks an approval, and so on.
OUTCOME_PRECEDENCE = (
    Outcome.RECOMMENDED,
    Outcome.APPROVED,
    Outcome.REJECTED,
    Outcome.DISCUSSED,
    Outcome.NOTED,
)

#: Opening and closing quotation marks around quoted amendment text.
QUOTE_OPEN = "\"„“”»'"
QUOTE_CLOSE = re.compile(r"[\"”“«']\s*[.)]?\s*$")

CASE_TYPES = {c.value: c for c in CaseType}

# --- deliberation: recommendations, votes, amendments, attendance, people ------------------------

#: Danish party letters and the parties' names (DOMAIN.md).
PARTIES = {
    "A": "Socialdemokratiet", "B": "Radikale Venstre", "C": "Det Konservative Folkeparti",
    "D": "Nye Borgerlige", "F": "SF – Socialistisk Folkeparti", "I": "Liberal Alliance",
    "K": "Kristendemokraterne", "M": "Moderaterne", "O": "Dansk Folkeparti", "V": "Venstre",
    "Æ": "Danmarksdemokraterne", "Ø": "Enhedslisten", "Å": "Alternativet",
}

#: Role words written before members' names (any form) → the role, singular.
ROLES = {
    "udvalgsmedlem": "Udvalgsmedlem", "udvalgsmedlemmet": "Udvalgsmedlem",
    "udvalgsmedlemmer": "Udvalgsmedlem", "udvalgsmedlemmerne": "Udvalgsmedlem",
    "rådmand": "Rådmand", "rådmanden": "Rådmand",
    "borgmester": "Borgmester", "borgmesteren": "Borgmester",
    "formand": "Formand", "formanden": "Formand", "udvalgsformand": "Formand",
    "næstformand": "Næstformand", "næstformanden": "Næstformand",
    "medlem": "Udvalgsmedlem", "medlemmerne": "Udvalgsmedlem",
}
ROLE_WORD = re.compile(r"^(?P<role>" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")\s+", re.IGNORECASE)

#: One member's name, with the party letter in brackets when written: "Reza Javid (Ø)".
PERSON_NAME = re.compile(
    r"^(?P<name>[A-ZÆØÅ][\w’'.-]*(?:\s+(?:[A-ZÆØÅ][\w’'.-]*|von|van|de|af))*)"
    r"(?:\s*\((?P<party>[A-ZÆØÅ])\))?$"
)
#: Separators in a list of names: "A (Ø), B (A), C (C) og D (V)".
NAME_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:og\s+)?|\s+og\s+")
#: The committee (not named members) as the subject: "Beskæftigelses- og Socialudvalget", "Udvalget".
COMMITTEE_SUBJECT = re.compile(r"(?:^|\s)(?:\S*udvalg(?:et|ene)|udvalget)$", re.IGNORECASE)
#: … also when a clause follows: "Beskæftigelses- og Socialudvalget besluttede at gøre sagen til …"
COMMITTEE_START = re.compile(r"^(?:\S+-\s+og\s+)?\S*udvalg(?:et|ene)\b", re.IGNORECASE)
#: Words that are never part of a person's name: committees, administrations, hyphenated first parts.
NOT_A_PERSON = re.compile(r"udvalg|forvaltning|byråd|-$", re.IGNORECASE)

#: "Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid deltog ikke i mødet."
#: "Udvalgsmedlem Michael Eskamp Witek deltog ikke i behandlingen af dette punkt."
ABSENCE = re.compile(
    r"^(?P<who>.+?)\s+deltog\s+ikke\s+i\s+(?:(?P<meeting>mødet)|behandlingen\s+af\s+(?:dette|denne)\s+(?:punkt|sag))\b",
    re.IGNORECASE,
)

#: "Beskæftigelses- og Socialforvaltningen indstiller til udvalget, at byrådet godkender:"
#: "Beskæftigelses- og Socialforvaltningen indstiller, at udvalget godkender:"
RECOMMENDS = re.compile(
    r"^(?P<by>[A-ZÆØÅ].*?)\s+indstiller(?:\s+til\s+(?P<to>[^,]+?))?,?\s+at\s+(?P<rest>.+)$", re.DOTALL
)
#: "… at byrådet godkender …": the recommendation goes on to the city council.
TO_CITY_COUNCIL = re.compile(r"^byrådet\b", re.IGNORECASE)
#: The addressee when written after "at": "at udvalget godkender", "at Beskæftigelses- og Socialudvalget godkender"
ADDRESSEE = re.compile(r"^(?P<to>(?:[A-ZÆØÅ][\w-]*(?:\s+og\s+[\w-]+)?udvalget|udvalget|udvalgene|byrådet))\b", re.IGNORECASE)
#: A numbered point inside a quoted amendment: "1) Udkast til kodekset …"
AMENDMENT_POINT = re.compile(r"^[\"„“”]?\s*(?P<number>\d{1,2})\)\s*(?P<text>.+)$")

#: "Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:"
AMENDMENT_PROPOSED = re.compile(r"^(?P<who>.+?)\s+stiller\s+(?:følgende\s+)?ændringsforslag\b", re.IGNORECASE)
#: "Ændringsforslaget er dermed forkastet." "Punkt 4 i ændringsforslaget er dermed forkastet."
AMENDMENT_RESULT = re.compile(
    r"^(?:punkt(?:erne)?\s+(?P<points>\d[\d\s,og–-]*?)\s+i\s+)?ændringsforslaget\s+(?:er\s+)?(?:dermed\s+)?"
    r"(?P<result>forkastet|falder|bortfalder|vedtaget|godkendt)\b",
    re.IGNORECASE,
)
AMENDMENT_RESULTS = {"forkastet": "rejected", "falder": "rejected", "bortfalder": "rejected", "vedtaget": "adopted", "godkendt": "adopted"}

#: "Udvalgsmedlemmerne Mads Thomsen (A), … stemmer imod ændringsforslaget."
#: "Udvalgsmedlem Reza Javid (Ø) stemmer for punkt 4 i ændringsforslaget."
VOTE = re.compile(r"^(?P<who>.+?)\s+stemmer\s+(?P<position>for|imod)\s+(?P<what>.+?)\.?$", re.IGNORECASE)
VOTE_POSITIONS = {"for": "for", "imod": "against"}
#: Named members approving or not approving: "A (V) og B (C) godkender ikke indstillingspunkt 1."
MEMBERS_APPROVE = re.compile(r"^(?P<who>[^,]+?)\s+godkender\s+(?P<neg>ikke\s+)?(?P<what>.+?)\.?$", re.IGNORECASE)
#: "…, men udvalgsmedlem Reza Javid (Ø) undlader at stemme i forhold til den del af …"
ABSTENTION = re.compile(r"(?:^|,\s*men\s+|\s+men\s+)(?P<who>[^,]+?)\s+undlader\s+at\s+stemme(?:\s+(?P<scope>.+?))?\.?$", re.IGNORECASE)

#: Point numbers: "punkt 1 og 2", "punkt 1-3", "punkt 1 – 3", "indstillingspunkt 1", "indstillingens punkt 1 og 2"
POINT_NUMBERS = re.compile(r"\b(?:indstillings)?punkt(?:erne)?\s+(?P<numbers>\d+(?:\s*(?:[-–]|,|og)\s*\d+)*)", re.IGNORECASE)
#: … of the recommendation (not of the amendment): "indstillingspunkt 1", "indstillingens punkt 1 og 2"
RECOMMENDATION_POINTS = re.compile(r"\b(?:indstillingspunkt(?:erne)?|indstillingens\s+punkt(?:er)?)\s+(?P<numbers>\d+(?:\s*(?:[-–]|,|og)\s*\d+)*)", re.IGNORECASE)
#: … of an amendment: "punkt 1-3 i ændringsforslaget"
AMENDMENT_POINTS = re.compile(r"\bpunkt(?:erne)?\s+(?P<numbers>\d+(?:\s*(?:[-–]|,|og)\s*\d+)*)\s+i\s+ændringsforslaget", re.IGNORECASE)
#: The whole recommendation: "godkender indstillingen", "forvaltningens indstilling"
WHOLE_RECOMMENDATION = re.compile(r"\b(?:forvaltningens\s+)?indstilling(?:en)?\b(?!s)", re.IGNORECASE)
#: A heading that scopes the sentences under it to one point: "Indstillingspunkt 1:", "Indstilling 2:"
POINT_HEADING = re.compile(r"^indstilling(?:s)?(?:punkt)?\s+(?P<number>\d+)\s*:?$", re.IGNORECASE)
#: "anbefaler indstillingen med tilføjelse om, at Beskæftigelses- og Socialudvalget bemærker, …"
ADDITION = re.compile(r"\bmed\s+(?:følgende\s+)?tilføjelse(?:r)?(?:\s+om)?,?\s+(?P<addition>.+)$", re.IGNORECASE | re.DOTALL)
#: "… gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf. styrelseslovens § 23 …"
REFERRAL = re.compile(r"^(?P<who>.+?)\s+gør\s+brug\s+af\s+(?:sin|deres)\s+ret\s+til\s+at\s+standse\b", re.IGNORECASE)

# =============================================================================================
# Links between meetings and items (used by link.py): dates of meetings, references inside a
# meeting, expert groups and their numbered recommendations. Every pattern is tested with the
# sentences it came from in tests/test_link.py. Precision first: a pattern that is not sure it
# names a meeting does not match.
# =============================================================================================

_LINK_MONTH = "|".join(MONTHS)
#: A date written with digits only: "31.1.2017", "17.01.2023", "17-01-2023", "12/3-2024",
#: "12.3.24". Day and month with the same separator ("." or "-") before the year, or "/" between
#: day and month and "-" or "/" before the year; the year always written, in four digits or two
#: (a two-digit year is read in the century that puts the date nearest the meeting's date, see
#: link.py). Not a digit, letter or dotted number right before or after it, so that journal
#: numbers ("27.03.00-Ø00-57-22"), amounts ("4.100.000"), times ("kl. 08.30"), paragraph and
#: version numbers are not dates; and the patterns below take it only where they take a date
#: written with its month name (after "den"/"d.", "mødet", a body …). Whether day and month make
#: a real date is checked with datetime (link.py).
_LINK_NUMERIC_OPEN = r"(?<![\w/-])(?<!\d[.,])"
_LINK_NUMERIC_CLOSE = r"(?![\w]|[.,/-]\w)"
_LINK_ONE_NUMERIC = (
    rf"{_LINK_NUMERIC_OPEN}\d{{1,2}}(?:\.\d{{1,2}}\.|-\d{{1,2}}-|/\d{{1,2}}[-/])(?:\d{{4}}|\d{{2}}){_LINK_NUMERIC_CLOSE}"
)
_LINK_ONE_DATE = rf"(?:\d{{1,2}}\.\s*(?:{_LINK_MONTH})\b(?:\s+\d{{4}}\b)?|{_LINK_ONE_NUMERIC})"
#: One date in a reference; the year may be left out ("den 26. november"): "29. november 2022";
#: or with digits only ("31.1.2017": groups ``nday``, ``nmonth``, ``nyear``). (The leading
#: look-ahead lets the engine skip to digits before it tries the alternatives.)
LINK_DATE = re.compile(
    rf"(?=\d)(?:(?P<day>\d{{1,2}})\.\s*(?P<month>{_LINK_MONTH})\b(?:\s+(?P<year>\d{{4}})\b)?|"
    rf"{_LINK_NUMERIC_OPEN}(?P<nday>\d{{1,2}})(?P<sep>[.-]|/)(?P<nmonth>\d{{1,2}})"
    rf"(?:(?P=sep)|(?<=/\d)-|(?<=/\d\d)-)(?P<nyear>\d{{4}}|\d{{2}}){_LINK_NUMERIC_CLOSE})",
    re.IGNORECASE,
)
#: The word before a date: "den", or "d." ("d. 17-01-2023").
_DEN = r"(?:den\s+|d\.\s*)"
#: One or more dates: "28. maj og 11. juni", "12. marts 2024".
_LINK_DATES = rf"{_LINK_ONE_DATE}(?:(?:\s*,\s*|\s+og\s+){_DEN}?{_LINK_ONE_DATE})*"

#: A committee or the city council: by name ("Beskæftigelses- og Socialudvalget(s)",
#: "Økonomiudvalgs", "Ældre- og Handicapudvalget", "Byrådet", "byrådets", "Kommunalbestyrelsen")
#: or as "udvalget", "Udvalgene" (the committee whose minutes these are; not "Udvalget for Teknik
#: og Miljø", which is another committee's name).
_BODY_NAMED = (
    r"\b(?:[A-ZÆØÅ][a-zæøå]+-\s+og\s+)?[A-ZÆØÅ][a-zæøå]*udvalg(?:ets|et|s)?\b|\b[Bb]yråd(?:ets|et)\b|"
    r"\b[Kk]ommunalbestyrelse(?:ns|n)\b"
)
_BODY_GENERIC = r"\b[Uu]dvalg(?:enes|ene|ets|et)\b(?!\s+for\s+[A-ZÆØÅ])"
_BODY = rf"(?:{_BODY_NAMED}|{_BODY_GENERIC})"
_BODIES = rf"{_BODY}(?:\s+og\s+{_BODY})*"
#: … in the genitive only: "Økonomiudvalgs mødet", "udvalgets drøftelse", "byrådets vedtagelse".
_BODY_GENITIVE = (
    r"\b(?:[A-ZÆØÅ][a-zæøå]+-\s+og\s+)?[A-ZÆØÅ][a-zæøå]*udvalg(?:ets|s)\b|\b[Bb]yrådets\b|"
    r"\b[Kk]ommunalbestyrelsens\b|\b[Uu]dvalg(?:ets|enes|s)\b(?!\s+for\s+[A-ZÆØÅ])"
)
LINK_BODY = re.compile(_BODY)
#: A body named without its name: "udvalget", "Udvalgenes" (the committee of the minutes).
LINK_BODY_GENERIC = re.compile(rf"^{_BODY_GENERIC}$")
#: The last word of a body's name, to put it in the nominative: "…udvalgets" → "…udvalget".
LINK_BODY_ENDING = re.compile(r"(?P<root>udvalg|byråd|kommunalbestyrelse)(?:ets|et|ns|n|s)?$", re.IGNORECASE)

#: Verbs of a body meeting, deciding or being told: "besluttede", "vedtog", "vil … blive præsenteret".
_REF_VERB = (
    r"(?:besluttede|besluttet|beslutter|vedtog|vedtaget|vedtager|godkendte|godkendt|godkender|"
    r"drøftede|drøftet|drøfter|behandlede|behandlet|behandler|behandles|orienteret|orienteres|"
    r"præsenteret|præsenteres|havde|har|blev|bliver|vil|skal|fik|får|tilkendegav|anbefalede|bad)"
)
#: Nouns that name a meeting: "mødet", "udvalgsmødet", "udvalgmødet", "fællesmødet",
#: "udvalgsrådet" (sic), "møder"; "byrådssagen" is a case on the city council's agenda.
_MEETING_NOUN = (
    r"(?:fælles\s+)?(?:udvalgs?møde[tr]?|fællesmøde[tr]?|byrådsmøde[tr]?|møde[tr]?|udvalgsråd(?:et)?|"
    r"byrådss?ag(?:en)?)"
)

#: A date named as the date of a meeting of a body, tried in this order; each pattern has the
#: groups ``dates`` and either ``bodies`` (one or more bodies), ``gen`` (a body in the genitive),
#: or neither (the body is then read from the sentence, see link.py).
DATE_REFERENCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Byrådet vedtog den 10. april 2024, at …"; "Beskæftigelses- og Socialudvalget besluttede den
    # 23. april at …"; "Udvalget vil den 26. november blive præsenteret for …"; "Ældre- og
    # Handicapudvalget blev orienteret om indsatserne fra velfærdsprocenten den 29. november 2022."
    ("body-verb", re.compile(
        rf"(?P<bodies>{_BODIES})(?:\s+[^\s,;:]+){{0,3}}?\s+{_REF_VERB}\b"
        rf"(?P<gap>(?:\s+[^\s,;:]+){{0,12}}?)\s+{_DEN}(?P<dates>{_LINK_DATES})"
    )),
    # "Den 27. februar 2024 godkendte Børn- og Ungeudvalget og Beskæftigelses- og Socialudvalget …";
    # "Den 25. november 2020 havde Økonomiudvalget en principiel drøftelse …"
    ("date-verb-body", re.compile(
        rf"\b(?:[Dd]en\s+|[Dd]\.\s*)(?P<dates>{_LINK_DATES}),?\s+{_REF_VERB}\s+(?P<bodies>{_BODIES})"
    )),
    # "(Beskæftigelses- og Socialudvalget 28. maj 2024)", "(… den 28. maj 2024)"
    ("parenthesis", re.compile(
        rf"\(\s*(?P<bodies>{_BODIES})\s+{_DEN}?(?P<dates>{_LINK_DATES})\s*\)"
    )),
    # "på mødet den 29. november 2022", "på mødet 11. juni 2024", "opfølgning på udvalgmødet den
    # 12. marts 2024", "Ved udvalgsmødet den 25. juni 2024 orienterer forvaltningen …",
    # "på Økonomiudvalgs mødet den 12. august 2020", "fællesmødet mellem
    # Beskæftigelses- og Socialudvalget og Ældre- og Handicapudvalget den 9. april 2024",
    # "på møder den 28. maj og 11. juni", "i byrådssagen den 20. januar 2021"
    ("meeting", re.compile(
        rf"(?:(?P<gen>{_BODY_GENITIVE})\s+)?\b(?P<noun>{_MEETING_NOUN})"
        rf"(?:\s+mellem\s+(?P<bodies>{_BODIES}))?\s+{_DEN}?(?P<dates>{_LINK_DATES})"
    )),
    # "På baggrund af udvalgets drøftelse den 29. november 2022"; "byrådets vedtagelse af
    # Beskæftigelsespolitik 2021 og Beskæftigelsesplan 2021-2022 den 9. december 2020"
    ("genitive-noun", re.compile(
        rf"(?P<gen>{_BODY_GENITIVE})\s+(?:drøftelse|beslutning|behandling|godkendelse|vedtagelse)"
        rf"(?:\s+(?:af|om)\s+[^,;:()]{{1,120}}?)?\s+{_DEN}(?P<dates>{_LINK_DATES})"
    )),
    # "vedtaget af udvalget den 24. januar 2017"; "Sagen behandles også i Ældre- og
    # Handicapudvalget den 25. juni 2024."
    ("by-body", re.compile(rf"\b(?:af|i)\s+(?P<bodies>{_BODIES})\s+{_DEN}(?P<dates>{_LINK_DATES})")),
    # The course of a case through other bodies, one line each (Rødovre's minutes):
    # "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:"
    ("treatment-line", re.compile(
        rf"^(?P<bodies>{_BODIES}),\s+{_DEN}?(?P<dates>{_LINK_DATES}),\s+(?:pkt|punkt)\.?\s*\d+\s*:?\s*$"
    )),
    # "Forvaltningen afrapporterer næste gang på Handleplanskataloget den 10. december 2024."
    # (the administration reports to the committee at its meeting)
    ("administration", re.compile(
        rf"\b[Ff]orvaltningen\s+(?:afrapporterer|orienterer|fremlægger|præsenterer|forelægger)\b"
        rf"(?:\s+[^\s,;:]+){{0,8}}?\s+{_DEN}(?P<dates>{_LINK_DATES})"
    )),
)
#: Right before a date, words that make it the date of something else than a meeting:
#: "trådte i kraft den 1. januar 2018", "frem til den 30. april 2022", "Pr. 31. december 2020",
#: "pr. 31.5.2016".
DATE_NOT_A_MEETING = re.compile(
    r"(?:\bi\s+kraft|\bfra|\bfrem\s+til|\btil\s+og\s+med|\btil|\bsenest|\bindtil|\bsiden|\befter|"
    r"\bfør|\binden|\bpr\.?|\bmed\s+virkning)\s+(?:den\s+|d\.\s*)?$",
    re.IGNORECASE,
)
#: Between the verb and the date of "body-verb": a new clause or an event that is not a meeting
#: ("… godkendte tilbuddet, som åbner den 1. marts") breaks the reference.
REFERENCE_GAP_STOP = re.compile(
    r"\b(?:som|der|at|hvor|når|hvis|fordi|åbne[rt]?|åbnede|lukke[rt]?|lukkede|starte[rt]?|startede|"
    r"udløbe[rt]?|udløb|offentliggøres|offentliggjort|offentliggjorde|indvies|afholdes|træde[rt]?|trådte)\b",
    re.IGNORECASE,
)
#: The tense that places a date written without its year: future (checked first) → the next such
#: date after the meeting, past → the last one before it ("Udvalget vil den 26. november …",
#: "… besluttede den 23. april …").
FUTURE_TENSE = re.compile(
    r"\b(?:vil|skal|bliver|kommer\s+til|forventes|næste\s+gang|behandles|drøftes|præsenteres|"
    r"fremlægges|afrapporterer|orienterer|fremlægger)\b",
    re.IGNORECASE,
)
PAST_TENSE = re.compile(
    r"\b(?:besluttede|vedtog|godkendte|drøftede|behandlede|havde|blev|fik|tilkendegav|bad|var|"
    r"vedtaget|besluttet|drøftet|godkendt|behandlet|orienteret)\b",
    re.IGNORECASE,
)

#: Another item of the same meeting, by number: "jævnfør sag nr. 10 om afrapportering på
#: Handleplanskataloget … på nærværende møde". ("punkt N" only with "på dette møde": alone it
#: is usually a point of the recommendation.)
ITEM_REFERENCE_NUMBER = re.compile(
    r"\b(?:jævnfør|jf\.?|jfr\.?|se)\s+(?P<noun>sag|dagsordenspunkt|punkt)\s+(?:nr\.?\s*)?(?P<number>\d{1,2})\b"
    r"(?:\s+om\s+(?P<about>.+?)(?=\s+på\s+(?:nærværende|dette|dagens|samme)\s+møde|[);]|\.(?:\s|$)|$))?",
    re.IGNORECASE,
)
#: "på nærværende møde", "på dette møde", "på dagens møde"
SAME_MEETING = re.compile(r"\bpå\s+(?:nærværende|dette|dagens|samme)\s+møde\b", re.IGNORECASE)
#: Another item by its title in quotes: "under punktet "Drøftelse af fælles fynsk bandeenhed"".
ITEM_REFERENCE_TITLE = re.compile(
    r"\bunder\s+(?:dagsordens)?punkt(?:et)?\s+[„\"“»](?P<title>[^\"”“«]{3,200})[\"”“«]", re.IGNORECASE
)
#: Another item described, not named: "Udvalget behandler i en særskilt sag på dette møde
#: forvaltningens anbefaling til forlængelse af indsatsen Alle unge skal med."
ITEM_REFERENCE_SEPARATE = re.compile(
    r"\b(?:i|under)\s+en\s+(?:særskilt|selvstændig|separat|anden)\s+sag\s+på\s+(?:dette|nærværende|dagens|samme)\s+møde\b",
    re.IGNORECASE,
)
#: Every reference to another item (the three patterns above) has one of these words, so a
#: sentence whose case-folded text has none refers to no item. (Every character that
#: re.IGNORECASE takes for a letter of these words case-folds to that letter; not so for "i".)
ITEM_REFERENCE_WORDS = ("sag", "punkt")
#: Words of a title, and the ones too common to identify it.
TITLE_WORD = re.compile(r"[0-9a-zæøåéüö]+")
TITLE_STOPWORDS = frozenset(
    ["af", "og", "i", "på", "til", "for", "med", "om", "fra", "en", "et", "den", "det", "de", "at", "som", "der", "er", "sag", "sagen", "samt", "eller"]
)

_GROUP_NOUNS = "ekspertgruppe|borgerpanel|arbejdsgruppe|taskforce|tænketank|følgegruppe"
#: A body set up for a task, in a title or sentence: "anbefalinger fra Ekspertgruppen for
#: ikke-vestlige i job", "fra ekspertgruppe og borgerpanel", "ekspertgruppens arbejde".
GROUP_NOUN = re.compile(rf"\b(?P<noun>{_GROUP_NOUNS})(?:ns|ens|ets|n|en|et|s)?\b", re.IGNORECASE)
#: Its name, where written: "Ekspertgruppen for ikke-vestlige i job".
GROUP_NAME = re.compile(rf"\b(?:{_GROUP_NOUNS})(?:n|en|et)?\s+for\s+[^.,;:()\"”“]+", re.IGNORECASE)
#: Its commission as an attachment: "Kommissorium – Ekspertgruppe for at flere odenseanere med
#: indvandrerbaggrund kommer i arbejde".
COMMISSION = re.compile(
    r"^(?:(?:Webtilgængelig[te]?\s+)?bilag\s+\d+\s*[-–:]?\s*)?Kommissori(?:um|et|e)\b\s*[-–:]?\s*(?P<name>.*)$",
    re.IGNORECASE,
)
#: Setting it up, in an approved Indstilling or Beslutning: "1. Medlemmer af ekspertgruppen.",
#: "… godkender indstillingens punkt 1 og 2, med følgende medlemmer af ekspertgruppen:".
GROUP_SETUP = re.compile(
    rf"\b(?:medlemmer\s+af|etablering(?:en)?\s+af|nedsættelse(?:n)?\s+af|sammensætning(?:en)?\s+af|"
    rf"at\s+nedsætte|at\s+etablere)\s+(?:en\s+|et\s+)?(?P<noun>{_GROUP_NOUNS})",
    re.IGNORECASE,
)
#: The sentence before a member list: "…, med følgende medlemmer af ekspertgruppen:".
MEMBER_LIST_INTRO = re.compile(r"\bmedlemmer\b[^:]*:\s*$", re.IGNORECASE)
#: One member, "Name, role, organisation": "Iben Bolvig, seniorforsker, VIVE",
#: "Ryan Jensen, operational manager, GASA Group Denmark A/S".
MEMBER_LINE = re.compile(
    r"^(?P<name>[A-ZÆØÅ][\w'.-]+(?:\s+[A-ZÆØÅ][\w'.-]+){1,4})\s*,\s*(?P<role>[^,]{2,80}?)\s*,\s*"
    r"(?P<organisation>\S[^,]{0,120}?)\s*\.?$"
)
#: Its chair, named: "Forpersonen for ekspertgruppen, Martha Ahlmann National Direktør i Red
#: Barnet, vil på mødet præsentere …".
GROUP_CHAIR = re.compile(
    rf"\b(?P<title>[Ff]orperson(?:en)?|[Ff]ormand(?:en)?|[Ff]orkvinde(?:n)?)\s+for\s+"
    rf"(?P<group>(?:{_GROUP_NOUNS})\w*)\s*,\s*(?P<name>[A-ZÆØÅ][\w'-]+(?:\s+[A-ZÆØÅ][\w'-]+)+?)"
    r"(?:\s*,?\s+(?P<role>(?:[A-ZÆØÅa-zæøå-]+\s+)?[A-ZÆØÅa-zæøå-]*?(?:[Dd]irektør|[Cc]hef|[Ll]eder|"
    r"[Pp]rofessor|[Ff]orsker|[Kk]onsulent|[Rr]ådgiver|[Mm]anager))\s+(?:i|hos|ved|fra)\s+"
    r"(?P<organisation>[A-ZÆØÅ][^,.;:()]*?))?\s*(?:[,.;:]|$)"
)
#: The chair's title, as the role in the group: "Forpersonen" → "Forperson".
CHAIR_TITLES = {"forperson": "Forperson", "forpersonen": "Forperson", "formand": "Formand",
                "formanden": "Formand", "forkvinde": "Forkvinde", "forkvinden": "Forkvinde"}
#: How many numbered recommendations a group made: "Ekspertgruppen offentliggjorde den 24. maj
#: 2023 11 anbefalinger fordelt på tre hovedspor".
RECOMMENDATION_COUNT = re.compile(r"\b(?P<count>\d{1,2})\s+anbefalinger\b", re.IGNORECASE)
#: One recommendation quoted: "anbefaling 9: Odense Kommune skal etablere et … tilbud …"
RECOMMENDATION_TEXT = re.compile(r"\banbefaling\s+(?P<number>\d{1,2})\s*:\s*(?P<text>\S.*)$", re.IGNORECASE)
#: An initiative with the recommendations it implements: "1. Oprettelse af "Job- og
#: integrationshuset" (anbefaling 2 og 8)", "… (anbefaling 5 og 6)".
INITIATIVE = re.compile(
    r"^(?:(?P<position>\d{1,2})[.)]\s+)?(?P<title>\S.*?)\s*\(\s*anbefaling(?:erne)?\s+"
    r"(?P<numbers>\d{1,2}(?:\s*(?:,|og|&)\s*\d{1,2})*)\s*\)\s*\.?$",
    re.IGNORECASE,
)
RECOMMENDATION_NUMBER = re.compile(r"\d{1,2}")
#: A numbered list of recommendations with actions in an item: "Anbefaling 1" … "Handling".
RECOMMENDATION_HEADING = re.compile(r"^Anbefaling\s+(?P<number>\d{1,2})\s*:?\s*$", re.IGNORECASE)
ACTION_HEADING = re.compile(r"^Handling(?:er)?\s*:?\s*$", re.IGNORECASE)
