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
    "jf jfr nr bl.a mio mia kr ca fx f.eks pkt stk mv m.m evt inkl ekskl dvs o.l osv vedr tlf "
    "st ang iht mht pga vha ift hhv resp".split()
)

#: "Beskæftigelses- og Socialudvalget beder forvaltningen opgøre ressourceforbruget …"
REQUEST = re.compile(r"\bbeder\s+(?:forvaltningen|administrationen|direktøren)\b", re.IGNORECASE)
#: "Beskæftigelses- og Socialudvalget præciserer, at indsatsen skal lægges på …"
REMARK = re.compile(r"\b(?:præciserer|bemærker|understreger|noterer|ønsker|opfordrer)\b", re.IGNORECASE)

#: Outcome of an outcome sentence, tried in this order.
OUTCOME_PATTERNS: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    # "Beskæftigelses- og Socialudvalget godkender ikke indstillingen."
    (Outcome.REJECTED, re.compile(
        r"\b(?:godkender|godkendte)\s+ikke\s+(?:indstillingen|forslaget|sagen)\b|"
        r"\bforkast(?:er|ede)\s+(?:indstillingen|forslaget)\b",
        re.IGNORECASE,
    )),
    # "Beskæftigelses- og Socialudvalget anbefaler indstillingen."
    (Outcome.RECOMMENDED, re.compile(r"\banbefal(?:er|ede)\b", re.IGNORECASE)),
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
