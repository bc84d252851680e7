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

#: Sentence kinds of a Beslutning, tried in this order; the first that matches wins.
DECISION_SENTENCE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid deltog ikke i mødet."
    # "Udvalgsmedlem Michael Eskamp Witek deltog ikke i behandlingen af dette punkt."
    ("absence", re.compile(r"\bdeltog\s+ikke\s+i\s+(?:mødet|behandlingen)\b", re.IGNORECASE)),
    # "… gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf.
    #  styrelseslovens § 23 …"
    ("referral", re.compile(r"\bgør\s+brug\s+af\s+(?:sin|deres)\s+ret\s+til\s+at\s+standse\b", re.IGNORECASE)),
    # "Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:"
    # "Ændringsforslaget er dermed forkastet." "Punkt 4 i ændringsforslaget er dermed forkastet."
    ("amendment", re.compile(
        r"\bstiller\s+(?:følgende\s+)?ændringsforslag|"
        r"ændringsforslaget\s+(?:er\s+)?(?:dermed\s+)?(?:forkastet|falder|vedtaget|godkendt|bortfalder)",
        re.IGNORECASE,
    )),
    # "Udvalgsmedlemmerne Mads Thomsen (A), … stemmer imod ændringsforslaget."
    ("vote", re.compile(r"\bstemmer\s+(?:for|imod)\b|\bundlader\s+at\s+stemme\b(?!.*\bgodkender\b)", re.IGNORECASE)),
    ("outcome", re.compile(
        r"\b(?:godkend(?:er|te)|anbefal(?:er|ede)|drøft(?:ede|er)|forkast(?:er|ede)|"
        r"tager\s+(?:\w+\s+){0,3}til\s+efterretning|taget\s+til\s+efterretning)\b|"
        r"^orientering(?:en)?\s+(?:er\s+|blev\s+)?(?:givet|taget)",
        re.IGNORECASE,
    )),
    # "Beskæftigelses- og Socialudvalget beder forvaltningen opgøre ressourceforbruget …"
    ("request", re.compile(r"\bbeder\s+(?:forvaltningen|administrationen|direktøren)\b", re.IGNORECASE)),
    # "Beskæftigelses- og Socialudvalget præciserer, at indsatsen skal lægges på …"
    ("remark", re.compile(r"\b(?:præciserer|bemærker|understreger|noterer|ønsker|opfordrer)\b", re.IGNORECASE)),
)

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
