"""Every pattern of ``referatgraph.phrases``, with the real sentence it came from.

The sentences are quoted from the sample minutes (``examples/odense``, file and line given) or,
where the samples have none, from ``../shared/DOMAIN.md`` and the case-number fixture
(``../shared/fixtures/case-numbers.tsv``). Each pattern gets positive and negative cases.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from referatgraph import phrases as P
from referatgraph.casenumbers import four_digit_year, parse_case_number
from referatgraph.model import CaseType, Outcome, SectionKind
from referatgraph.parse import parse_file, parse_text, split_sentences
from referatgraph.segment import clean_line

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "odense"
S2023 = SAMPLES / "000_83328fd846afc9b6.txt"
S2024 = SAMPLES / "001_89e122cf77fe0064.txt"
S2021 = SAMPLES / "004_22c6d353a3b71871.txt"
FIXTURE = ROOT.parent / "shared" / "fixtures" / "case-numbers.tsv"


def line(path: Path, no: int) -> str:
    """Line ``no`` (1-based) of a sample, exactly as in the file."""
    return path.read_text(encoding="utf-8").split("\n")[no - 1]


def clean(path: Path, no: int) -> str:
    """The line as the parser sees it: heading hashes and bold markup removed."""
    return clean_line(no, line(path, no)).text.strip()


# --- text clean-up ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Side 3 af 45", "Side 3 af 18", "Side 3", "side 12 af 45", "Page 2 of 10", "Side 3/18", "Side 3 / 18"])
def test_page_debris(text):
    assert P.PAGE_DEBRIS.match(text)


@pytest.mark.parametrize(
    "text",
    [
        # 000 line 207: a real sentence that starts with "Side…"
        "Sideløbende med at de fordrevne ukrainere bor i den midlertidige indkvartering, foregår der et arbejde",
        "Side 3 af 45 i rapporten",
        "Se side 3",
        "Side tre",
    ],
)
def test_page_debris_negative(text):
    assert not P.PAGE_DEBRIS.match(text)


def test_markdown_heading_and_emphasis():
    m = P.MD_HEADING.match(line(S2023, 3))  # "# **REFERAT … d. 17-01-2023**"
    assert (m[1], m[2]) == ("#", "**REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023**")
    e = P.MD_EMPHASIS.match(m[2])
    assert e[2] == "REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023"
    m = P.MD_HEADING.match(line(S2024, 279))  # "#### Indstillingspunkt 1:"
    assert (m[1], m[2]) == ("####", "Indstillingspunkt 1:")
    assert not P.MD_EMPHASIS.match(m[2])
    # 000 line 5: bold label inside the line, not a bold line
    assert line(S2023, 5) == "**Mødedato** Tirsdag d. 17. januar 2023 kl. 08:30"
    assert not P.MD_HEADING.match(line(S2023, 5))
    assert not P.MD_EMPHASIS.match(line(S2023, 5))
    assert P.MD_INLINE_BOLD.sub(r"\1", line(S2023, 5)) == "Mødedato Tirsdag d. 17. januar 2023 kl. 08:30"
    # a Danish sentence with '#' inside is no heading
    assert not P.MD_HEADING.match("Beskæftigelses- og Socialudvalget godkender indstillingen.")
    assert not P.MD_HEADING.match("#hashtag")


@pytest.mark.parametrize(
    ("path", "no", "text", "level", "bold"),
    [
        (S2023, 3, "REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023", 1, True),
        (S2023, 20, "Punkt 1: Godkendelse af dagsorden", 2, True),
        (S2023, 58, "INDSTILLING", 3, True),
        (S2023, 62, "Beslutning", 2, False),
        (S2023, 5, "Mødedato Tirsdag d. 17. januar 2023 kl. 08:30", 0, False),
        (S2021, 60, "Beslutning", 0, False),
    ],
)
def test_clean_line_on_real_lines(path, no, text, level, bold):
    ln = clean_line(no, line(path, no))
    assert (ln.text.strip(), ln.level, ln.bold) == (text, level, bold)


# --- meeting header -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "committee", "period", "date"),
    [
        (S2023, "Beskæftigelses- og Socialudvalget", ("2022", "2025"), ("17", "01", "2023")),
        (S2024, "Beskæftigelses- og Socialudvalget", ("2022", "2025"), ("25", "06", "2024")),
        (S2021, "Beskæftigelses- og Socialudvalget", ("2018", "2021"), ("02", "02", "2021")),
    ],
)
def test_title_line(path, committee, period, date):
    m = P.TITLE_LINE.match(clean(path, 3))
    assert m["committee"] == committee
    assert (m["p1"], m["p2"]) == period
    assert (m["d"], m["m"], m["y"]) == date


@pytest.mark.parametrize(
    "text",
    [
        # DOMAIN.md, the annotated anatomy: a comment after the date
        "REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023      <- committee, electoral period, date",
        "DAGSORDEN Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023",
        "REFERAT Beskæftigelses- og Socialudvalget 2022-2025",
        "Mødedato Tirsdag d. 17. januar 2023 kl. 08:30",
    ],
)
def test_title_line_negative(text):
    assert not P.TITLE_LINE.match(text)


def test_title_line_without_period():
    m = P.TITLE_LINE.match("REFERAT Beskæftigelses- og Socialudvalget d. 17-01-2023")
    assert (m["committee"], m["p1"], m["d"], m["m"], m["y"]) == ("Beskæftigelses- og Socialudvalget", None, "17", "01", "2023")


@pytest.mark.parametrize(
    ("path", "groups", "date"),
    [
        (S2023, ("Tirsdag", "17", "januar", "2023", "08", "30"), dt.date(2023, 1, 17)),
        (S2024, ("Tirsdag", "25", "juni", "2024", "10", "30"), dt.date(2024, 6, 25)),
        (S2021, ("Tirsdag", "02", "februar", "2021", "08", "30"), dt.date(2021, 2, 2)),
    ],
)
def test_meeting_date(path, groups, date):
    m = P.MEETING_DATE.match(clean(path, 5))
    assert (m["weekday"], m["day"], m["month"], m["year"], m["hour"], m["minute"]) == groups
    assert P.MONTHS[m["month"]] == date.month
    assert P.WEEKDAYS[m["weekday"].casefold()] == date.weekday()


@pytest.mark.parametrize(
    "text",
    [
        "Mødested Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C",
        "Mødedato",
        # 000 line 26: a date in a sentence
        "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 17. januar 2023.",
    ],
)
def test_meeting_date_negative(text):
    assert not P.MEETING_DATE.match(text)


def test_months_and_weekdays_are_complete():
    assert [P.MONTHS[m] for m in ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]] == list(range(1, 13))
    assert [P.WEEKDAYS[d] for d in ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]] == list(range(7))


@pytest.mark.parametrize(
    ("path", "place", "online"),
    [
        (S2023, "Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C", False),
        (S2024, "Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C", False),
        (S2021, "Teams-møde", True),
    ],
)
def test_meeting_place_and_online(path, place, online):
    m = P.MEETING_PLACE.match(clean(path, 7))
    assert m["place"] == place
    assert bool(P.ONLINE_PLACE.search(place)) is online


def test_meeting_place_negative():
    assert not P.MEETING_PLACE.match(clean(S2023, 5))
    assert not P.MEETING_PLACE.match("Mødestedet er ændret til Teams-møde")


# --- table of contents --------------------------------------------------------------------------


def test_toc_heading():
    assert P.TOC_HEADING.match(clean(S2023, 9))  # "## Indholdsfortegnelse"
    assert P.TOC_HEADING.match(clean(S2021, 9))  # "Indholdsfortegnelse"
    assert not P.TOC_HEADING.match("Indholdsfortegnelse over bilag")


@pytest.mark.parametrize(
    ("path", "no", "title", "page"),
    [
        (S2023, 11, "Godkendelse af dagsorden", "3"),
        (S2023, 12, "Afregning af kost på krisecentre og forsorgshjem (tilbud efter servicelovens §§ 109 og 110)", "4"),
        (S2023, 13, 'B-sag: Udmøntning af Budget 2023: "Flere odenseanere med indvandrerbaggrund i arbejde"', "8"),
        # cut at about 100 characters: no dot leaders
        (S2023, 16, "D-sag: Brug af kunstig intelligens til at målrette beskæftigelsesindsatsen. Orientering om signaturp", "15"),
        (S2023, 18, "D-sag: Aktuelle sager", "18"),
        (S2024, 12, 'Forlængelse af indsatsen "Alle unge skal med"', "4"),
        (S2024, 21, "D-sag: Første halvårslige afrapportering på udmøntning af anbefalinger fra Ekspertgruppen for ikke-", "33"),
        (S2024, 26, "D-sag: Aktuelle sager", "45"),
        (S2021, 11, "Indsatser for øget frivillighed 2021 - Beskæftigelses- og Socialudvalget", "3"),
    ],
)
def test_toc_entry(path, no, title, page):
    m = P.TOC_ENTRY.match(line(path, no))
    assert (m["title"].strip(), m["page"]) == (title, page)


@pytest.mark.parametrize(
    "text",
    [
        "Indholdsfortegnelse",
        "Godkendelse af dagsorden.....",  # no page number
        "Godkendelse af dagsorden..... 3",  # no tab before the page number
        # 000 line 114: a table header row
        "Takster 2023\tOpholdstakst (pr. døgn)\tKost (pr. døgn)\tI alt (pr. døgn)",
        # 000 line 115: a table row ends in a Danish-formatted number
        "Krisecenter Odense\t2.681\t115\t2.796",
    ],
)
def test_toc_entry_negative(text):
    assert not P.TOC_ENTRY.match(text)


# --- agenda items -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "no", "number", "rest"),
    [
        (S2023, 20, "1", "Godkendelse af dagsorden"),
        (S2023, 129, "3", 'B-sag: Udmøntning af Budget 2023: "Flere odenseanere med indvandrerbaggrund i arbejde"'),
        (S2023, 273, "5", "D-sag: Afrapportering på oplevelsesmidler fra Socialstyrelsen"),
        (S2024, 428, "5", "B-sag: Beslutning om proces for udarbejdelse af værdighedskodeks"),
        (S2024, 1241, "15", "D-sag: Bekæmpelse af børnefattigdom. anbefalinger til Odense Kommune fra ekspertgruppe og borgerpanel."),
        (S2021, 16, "1", "Indsatser for øget frivillighed 2021 - Beskæftigelses- og Socialudvalget"),
        (S2021, 246, "4", "Aktuelle sager"),
    ],
)
def test_item_heading(path, no, number, rest):
    m = P.ITEM_HEADING.match(clean(path, no))
    assert (m["number"], m["rest"]) == (number, rest)


@pytest.mark.parametrize(
    "text",
    [
        # 001 line 461, in a Beslutning, alone between blank lines: the trap
        "Punkt 4 i ændringsforslaget er dermed forkastet.",
        # 001 line 279
        "Indstillingspunkt 1:",
        # 000 line 160
        "Beskæftigelses- og Socialudvalget godkender indstillingens punkt 1 og 2, med følgende medlemmer af ekspertgruppen:",
        "Punkt 3:",
        "Punktet behandles på næste møde.",
    ],
)
def test_item_heading_negative(text):
    assert not P.ITEM_HEADING.match(text)


def test_item_heading_trap_in_context():
    """In the 2024 minutes the trap sentence (line 461) stays inside item 5's Beslutning."""
    assert line(S2024, 461) == "Punkt 4 i ændringsforslaget er dermed forkastet."
    m = parse_file(S2024, S2024.name).meeting
    assert [it.number for it in m.items] == list(range(1, 17))
    item5 = m.items[4]
    assert (item5.span.first, item5.span.last) == (428, 498)
    sentence = next(s for s in item5.decision.sentences if s.span.first == 461)
    assert (sentence.text, sentence.kind, sentence.outcome) == (line(S2024, 461), "amendment", None)


@pytest.mark.parametrize(
    ("title", "case_type", "rest"),
    [
        ('B-sag: Udmøntning af Budget 2023: "Flere odenseanere med indvandrerbaggrund i arbejde"', "B",
         'Udmøntning af Budget 2023: "Flere odenseanere med indvandrerbaggrund i arbejde"'),
        ("C-sag: Drøftelse af fælles fynsk bandeenhed", "C", "Drøftelse af fælles fynsk bandeenhed"),
        ("D-sag: Aktuelle sager", "D", "Aktuelle sager"),
        ("D-Sag: Aktuelle sager", "D", "Aktuelle sager"),  # DOMAIN.md: "D-Sag" also occurs
    ],
)
def test_case_type_prefix(title, case_type, rest):
    m = P.CASE_TYPE_PREFIX.match(title)
    assert m["type"].upper() == case_type
    assert title[m.end():] == rest
    assert P.CASE_TYPES[m["type"].upper()] is CaseType(case_type)


@pytest.mark.parametrize(
    "title",
    [
        "Beslutning om proces for udarbejdelse af værdighedskodeks",  # 001 item 5, after "B-sag: "
        "Aktuelle sager",
        "Godkendelse af dagsorden",
        "E-sag: Aktuelle sager",
        "Orientering om B-sag: x",
    ],
)
def test_case_type_prefix_negative(title):
    assert not P.CASE_TYPE_PREFIX.match(title)


def test_upgrade_marker():
    title = "Aktuelle sager (Ophøjet til B-sag)"  # DOMAIN.md: "(Ophøjet til B-sag)" in a title
    m = P.UPGRADE_MARKER.search(title)
    assert m["type"] == "B"
    assert title[: m.start()] == "Aktuelle sager"
    assert not P.UPGRADE_MARKER.search("Aktuelle sager")
    assert not P.UPGRADE_MARKER.search("Afrapportering på oplevelsesmidler fra Socialstyrelsen")


def test_upgrade_decision():
    m = P.UPGRADE_DECISION.search("Beskæftigelses- og Socialudvalget besluttede at gøre sagen til en B-sag.")
    assert m["type"] == "B"
    assert not P.UPGRADE_DECISION.search("Beskæftigelses- og Socialudvalget godkender indstillingen.")


def upgraded_2023_sample() -> str:
    lines = S2023.read_text(encoding="utf-8").split("\n")
    assert lines[362] == "## **Punkt 8: D-sag: Aktuelle sager**" and lines[374] == "Orientering givet."
    lines[362] = "## **Punkt 8: D-sag: Aktuelle sager (Ophøjet til B-sag)**"
    lines[374] = "Beskæftigelses- og Socialudvalget besluttede at gøre sagen til en B-sag."
    return "\n".join(lines)


def test_upgrade_in_a_parsed_item():
    item = parse_text(upgraded_2023_sample()).meeting.items[7]
    assert (item.number, item.title, item.case_type, item.upgraded_to) == (8, "Aktuelle sager", CaseType.D, CaseType.B)
    assert item.heading == "Punkt 8: D-sag: Aktuelle sager (Ophøjet til B-sag)"


# --- case number lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "access", "number"),
    [
        (line(S2023, 22), None, "85.02.02-P35-12-22"),
        (line(S2023, 36), None, "27.03.00-Ø00-57-22"),
        (line(S2023, 131), None, "15.40.00-A00-5-22"),
        (line(S2021, 155), None, "15.00.30-A00-196-20"),
        # fixture rows O1/P1: the Odense SBSYS pages and Kalundborg
        ("Åbent - 00.01.00-A00-17-15", "Åbent", "00.01.00-A00-17-15"),
        ("J.nr.: 00.01.00", None, "00.01.00"),
        ("Sagsnr.: 326-2010-57347", None, "326-2010-57347"),
        ("Lukket - 20.00.00-G01-99-16", "Lukket", "20.00.00-G01-99-16"),
    ],
)
def test_case_number_line(text, access, number):
    m = P.CASE_NUMBER_LINE.match(text)
    assert (m["access"], m["number"]) == (access, number)


@pytest.mark.parametrize(
    "text",
    [
        line(S2023, 26),  # "Godkendelse af dagsordenen til … den 17. januar 2023."
        "Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:",
        "Åbent - ",
        "- Iben Bolvig, seniorforsker, VIVE",
    ],
)
def test_case_number_line_negative(text):
    assert not P.CASE_NUMBER_LINE.match(text)


@pytest.mark.parametrize("text", ["Resume", "Beslutning", "Effekt", "INDSTILLING", "Bilag"])
def test_section_word_is_not_a_case_number(text):
    """CASE_NUMBER_LINE alone accepts a single word; parse_case_number then says no."""
    assert P.CASE_NUMBER_LINE.match(text)
    assert parse_case_number(text, 2023) is None


def test_access_marks_open_items():
    assert P.ACCESS_OPEN == {"åbent": True, "lukket": False}
    lines = S2023.read_text(encoding="utf-8").split("\n")
    lines[21] = "Åbent - 85.02.02-P35-12-22"
    lines[35] = "Lukket - 27.03.00-Ø00-57-22"
    result = parse_text("\n".join(lines))
    assert result.issues == ()
    items = result.meeting.items
    assert [(it.open_item, it.case_number.text) for it in items[:3]] == [
        (True, "85.02.02-P35-12-22"),
        (False, "27.03.00-Ø00-57-22"),
        (None, "15.40.00-A00-5-22"),
    ]


# --- case numbers: every row of the fixture ---------------------------------------------------

KLE = "kle"
#: printed text -> (scheme, topic, facet, serial, four-digit year); written by hand from the rows
CASE_NUMBERS = {
    "06.00.05-P15-1-26": (KLE, "06.00.05", "P15", 1, 2026),
    "01.02.00-P15-1-26": (KLE, "01.02.00", "P15", 1, 2026),
    "01.24.20-G00-2-26": (KLE, "01.24.20", "G00", 2, 2026),
    "06.00.00P15-1-25": ("kle-malformed", "06.00.00", None, None, None),
    "01.30.00-P20-2-23": (KLE, "01.30.00", "P20", 2, 2023),
    "06.00.05-P15-4-26": (KLE, "06.00.05", "P15", 4, 2026),
    "06.11.00-P22-1-22": (KLE, "06.11.00", "P22", 1, 2022),
    "06.00.05-P00-6-24": (KLE, "06.00.05", "P00", 6, 2024),
    "06.00.05-P16-7-26": (KLE, "06.00.05", "P16", 7, 2026),
    "05.01.11-A00-1-26": (KLE, "05.01.11", "A00", 1, 2026),
    "05.01.08-A00-2-26": (KLE, "05.01.08", "A00", 2, 2026),
    "05.01.08-A00-3-26": (KLE, "05.01.08", "A00", 3, 2026),
    "01.18.10-P20-2-26": (KLE, "01.18.10", "P20", 2, 2026),
    "01.24.00-P00-24-26": (KLE, "01.24.00", "P00", 24, 2026),
    "01.24.20-P20-1-21": (KLE, "01.24.20", "P20", 1, 2021),
    "06.00.05-P00-1-25": (KLE, "06.00.05", "P00", 1, 2025),
    "05.01.02-P20-58-23": (KLE, "05.01.02", "P20", 58, 2023),
    "25-000379": ("other", None, None, None, None),
    "26-001587": ("other", None, None, None, None),
    "25-026664": ("other", None, None, None, None),
    "25-013926": ("other", None, None, None, None),
    "26-013322": ("other", None, None, None, None),
    "26-007384": ("other", None, None, None, None),
    "20-332957F": ("other", None, None, None, None),
    "25/26411": ("other", None, None, None, None),
    "25/3004": ("other", None, None, None, None),
    "26/9092": ("other", None, None, None, None),
    "26/12985": ("other", None, None, None, None),
    "25/985": ("other", None, None, None, None),
    "26/10609": ("other", None, None, None, None),
    "25/5989": ("other", None, None, None, None),
    "22/3353": ("other", None, None, None, None),
    "2025-07636": ("other", None, None, None, None),
    "S2020-43759": ("other", None, None, None, None),
    "S2025-4603": ("other", None, None, None, None),
    "EMN-2026-00445": ("other", None, None, None, None),
    "EMN-25/0001886": ("other", None, None, None, None),
    "00.01.00-A00-17-15": (KLE, "00.01.00", "A00", 17, 2015),  # meeting 2016
    "20.00.00-G01-99-16": (KLE, "20.00.00", "G01", 99, 2016),  # meeting 2016
    "13.06.02-G01-263-18": (KLE, "13.06.02", "G01", 263, 2018),  # meeting 2019
    "01.00.00-G01-93-16": (KLE, "01.00.00", "G01", 93, 2016),  # meeting 2017
    "EMN-2023-009832": ("other", None, None, None, None),
    "EMN-2025-003383": ("other", None, None, None, None),
    "EMN-2025-009242": ("other", None, None, None, None),
    # KLE topic only, printed with a label ("KLE emne only" in the fixture): a topic code, not a
    # malformed journal number.
    "J.nr.: 00.01.00": ("kle-topic", "00.01.00", None, None, None),
    # "possibly truncated" (one-digit year): not decomposed, flagged
    "00.30.02-S00-26-1": ("kle-malformed", "00.30.02", None, None, None),
}


def fixture_rows() -> list[dict]:
    if not FIXTURE.exists():
        pytest.skip(f"case-number fixture not found at {FIXTURE}")
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_fixture_rows_are_all_covered():
    rows = fixture_rows()
    assert len(rows) == 46
    assert [r["case_number_as_published"] for r in rows] == list(CASE_NUMBERS)


def test_parse_case_number_every_fixture_row():
    rows = fixture_rows()
    got = {}
    for row in rows:
        printed = row["case_number_as_published"]
        year = int(re.match(r"\d{4}", row["meeting_date"])[0])
        m = P.CASE_NUMBER_LINE.match(printed)
        assert m is not None, printed
        number = m["number"]
        assert number == printed or printed == "J.nr.: 00.01.00", printed
        cn = parse_case_number(number, year)
        assert cn is not None, printed
        assert cn.text == number
        got[printed] = (cn.scheme, cn.kle_topic, cn.kle_facet, cn.serial, cn.year)
    assert got == CASE_NUMBERS


def test_fixture_scheme_column_agrees():
    """KLE rows are decomposed, the malformed one is flagged, the rest are 'other'."""
    for row in fixture_rows():
        scheme = CASE_NUMBERS[row["case_number_as_published"]][0]
        if row["scheme"] == "KLE":
            assert scheme == "kle", row
        elif row["scheme"] == "KLE (malformed)":
            assert scheme == "kle-malformed", row
        elif not row["scheme"].startswith("KLE"):
            assert scheme == "other", row


def test_kle_patterns_directly():
    m = P.KLE_NUMBER.match("27.03.00-Ø00-57-22")  # DOMAIN.md
    assert (m["topic"], m["facet"], m["serial"], m["year"]) == ("27.03.00", "Ø00", "57", "22")
    assert P.KLE_NUMBER.match("15.00.00-A00-10-24") and P.KLE_NUMBER.match("15.00.00-A00-10-18")
    for text in ("06.00.00P15-1-25", "00.30.02-S00-26-1", "00.01.00", "27.03.00-Ø00-57-2022", "27.03.00-00-57-22"):
        assert not P.KLE_NUMBER.match(text), text
    assert P.KLE_LIKE.match("06.00.00P15-1-25")["topic"] == "06.00.00"
    for text in ("06.00.001-P15-1-25", "25/26411", "2025-07636", "1.300.000"):
        assert not P.KLE_LIKE.match(text), text
    for text in ("25-000379", "25/26411", "S2020-43759", "EMN-2026-00445", "20-332957F", "326-2010-57347"):
        assert P.OTHER_CASE_NUMBER.match(text), text
    for text in ("Resume", "B-sag", "EMN-12", "Teams-møde", "12"):
        assert not P.OTHER_CASE_NUMBER.match(text), text


@pytest.mark.parametrize(
    ("yy", "reference", "year"),
    [(22, 2023, 2022), (20, 2023, 2020), (24, 2024, 2024), (25, 2024, 2025), (15, 2016, 2015), (99, 2001, 1999), (0, 2000, 2000)],
)
def test_four_digit_year(yy, reference, year):
    assert four_digit_year(yy, reference) == year


# --- sections and attachments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "no", "kind"),
    [
        (S2023, 24, SectionKind.SUMMARY),  # ### **Resume**
        (S2023, 48, SectionKind.EFFECT),  # ### **Effekt**
        (S2023, 58, SectionKind.RECOMMENDATION),  # ### **INDSTILLING**
        (S2024, 442, SectionKind.RECOMMENDATION),  # ### **Indstilling**
        (S2023, 62, SectionKind.DECISION),  # ## Beslutning
        (S2023, 68, SectionKind.PRESENTATION),  # ## Sagsfremstilling
        (S2023, 106, SectionKind.FINANCE),  # ## Økonomi
        (S2023, 125, SectionKind.ATTACHMENTS),  # ## **Bilag**
        (S2021, 20, SectionKind.SUMMARY),  # plain: Resume
        (S2021, 60, SectionKind.DECISION),  # plain: Beslutning
    ],
)
def test_section_headings(path, no, kind):
    assert P.SECTION_HEADINGS[clean(path, no).rstrip(":").casefold()] is kind


@pytest.mark.parametrize(
    "heading",
    [
        "Status",  # 000 line 323: a subsection of Resume
        "Baggrund",
        "Økonomiske overvejelser",
        "Indstillingspunkt 1",
        "Inddragelse af målgruppen",
        "Beslutning om proces for udarbejdelse af værdighedskodeks",
    ],
)
def test_section_headings_negative(heading):
    assert heading.casefold() not in P.SECTION_HEADINGS


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (line(S2023, 127), 1),  # "Bilag 1 Tabel til dagsordensag om afregning af kost …"
        ("Bilag 1 Handleplanskatalog webtilgængeligt", 1),  # 001 line 950
        ("Webtilgængeligt bilag 2 Resultater fra den tværkommunale borgerundersøgelse 2024", 2),  # 001 line 952
    ],
)
def test_attachment_number(text, number):
    assert int(P.ATTACHMENT_NUMBER.match(text)["number"]) == number


@pytest.mark.parametrize(
    "text",
    [
        "Kommissorium – Ekspertgruppe for at flere odenseanere med indvandrerbaggrund kommer i arbejde",  # 000 line 195
        "Bilag",
        "Tabellen findes i en webtilgængelig version i bilag 1.",  # 000 line 112
        "Bilagsliste 2",
    ],
)
def test_attachment_number_negative(text):
    assert not P.ATTACHMENT_NUMBER.match(text)


# --- blocks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "indent", "marker", "entry"),
    [
        (line(S2023, 162), "", "-", "Iben Bolvig, seniorforsker, VIVE"),
        (line(S2023, 155), "", "1.", "Medlemmer af ekspertgruppen."),
        (line(S2021, 30), "", "-", "A: Flere frivillige skal bidrage til at reducere uligheden i sundhed."),
        (line(S2024, 1020), "  ", "-", "ny information på [www.odense.dk](http://www.odense.dk), som er henvendt til borgere og fagpersoner"),
        (line(S2024, 450), "", "-", '"1) Udkast til kodekset skal komme som en sag til drøftelse først.'),
        ("2) Kodekset skal ved fysisk fremmøde", "", "2)", "Kodekset skal ved fysisk fremmøde"),
        ("a) første punkt", "", "a)", "første punkt"),
        ("• punkt", "", "•", "punkt"),
    ],
)
def test_list_entry(text, indent, marker, entry):
    m = P.LIST_ENTRY.match(text)
    assert (m["indent"], m["marker"], m["text"]) == (indent, marker, entry)


@pytest.mark.parametrize(
    "text",
    [
        "15.40.00-A00-5-22",
        "2.681",
        "-920",
        "Beskæftigelses- og Socialudvalget godkender indstillingen.",
        "2023. Det er godt",  # a year at the start of a wrapped line is no numbered entry
        "-",
    ],
)
def test_list_entry_negative(text):
    assert not P.LIST_ENTRY.match(text)


def test_cell_markup():
    row = line(S2024, 133)
    assert row == "<b>Alle unge skal med - 1.000 kr.</b>\t<b>2025</b>\t<b>2026</b>\t<b>2027</b>\t<b>I alt</b>"
    assert [P.CELL_MARKUP.sub("", c) for c in row.split("\t")] == ["Alle unge skal med - 1.000 kr.", "2025", "2026", "2027", "I alt"]
    assert P.CELL_MARKUP.sub("", "<strong>Samlet</strong> <i>x</i>") == "Samlet x"
    assert P.CELL_MARKUP.sub("", "a <br> b") == "a <br> b"


def test_table_rule():
    assert P.TABLE_RULE.match("--\t----\t---")
    assert P.TABLE_RULE.match("|---|:--:|")
    assert not P.TABLE_RULE.match(line(S2023, 115))  # "Krisecenter Odense\t2.681\t115\t2.796"
    assert not P.TABLE_RULE.match(line(S2024, 306))  # "\t<b>I alt</b>\t<b>5.700</b>"
    assert not P.TABLE_RULE.match("-920\t-920")


def test_quotes():
    opening = line(S2024, 271)  # the amendment text opens with a straight quote
    assert opening[0] in P.QUOTE_OPEN and not P.QUOTE_CLOSE.search(opening)
    closing = line(S2024, 273)  # … status qua bevares på det sociale område".
    assert closing.endswith('område".') and P.QUOTE_CLOSE.search(closing)
    assert P.QUOTE_CLOSE.search(line(S2024, 453))  # - 4) … ret til en ny praktik".
    assert not P.QUOTE_CLOSE.search(line(S2024, 450))  # - "1) … drøftelse først.
    assert line(S2023, 303)[0] == "”" and "”" in P.QUOTE_OPEN  # Danish ” opening a quote
    assert not P.QUOTE_CLOSE.search("Orientering givet.")


# --- decisions --------------------------------------------------------------------------------------
#
# The Beslutning sentences of the samples, pattern by pattern, then as the parser reads them.

O = Outcome


def outcome_of(text: str) -> Outcome | None:
    """The first outcome pattern that matches, as the parser tries them."""
    return next((o for o, pat in P.OUTCOME_PATTERNS if pat.search(text)), None)


@pytest.mark.parametrize(
    ("path", "no", "outcome"),
    [
        (S2023, 30, O.APPROVED),  # "… godkender dagsordenen."
        (S2023, 64, O.RECOMMENDED),  # "… anbefaler indstillingen."
        (S2023, 160, O.APPROVED),  # "… godkender indstillingens punkt 1 og 2, med følgende medlemmer …:"
        (S2023, 221, O.APPROVED),  # "… godkender indstillingen."
        (S2023, 311, O.NOTED),  # "Orientering givet."
        (S2024, 285, O.APPROVED),  # "… godkender indstillingspunkt 2."
        (S2024, 463, O.APPROVED),  # "… godkender dermed forvaltningens indstilling og punkt 1 – 3 i ændringsforslaget."
        (S2024, 661, O.DISCUSSED),  # "… drøftede sagen."
        (S2021, 62, O.RECOMMENDED),  # "… anbefaler indstillingen med tilføjelse om, at …"
    ],
)
def test_outcome_patterns_real_sentences(path, no, outcome):
    assert outcome_of(line(path, no)) is outcome


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        # phrases.py / DOMAIN.md
        ("Beskæftigelses- og Socialudvalget godkender ikke indstillingen.", O.REJECTED),
        ("Beskæftigelses- og Socialudvalget godkendte ikke forslaget.", O.REJECTED),
        ("Beskæftigelses- og Socialudvalget forkaster indstillingen.", O.REJECTED),
        ("Udvalget godkender indstillingen.", O.APPROVED),
        ("Udvalget anbefaler indstillingen.", O.RECOMMENDED),
        ("Udvalget drøftede sagen.", O.DISCUSSED),
        ("Beskæftigelses- og Socialudvalget tager orienteringen til efterretning.", O.NOTED),
        ("Orienteringen blev taget til efterretning.", O.NOTED),
    ],
)
def test_outcome_patterns_domain_sentences(text, outcome):
    assert outcome_of(text) is outcome


@pytest.mark.parametrize(
    "text",
    [
        line(S2023, 32),  # "Udvalgsmedlemmerne … deltog ikke i mødet."
        line(S2024, 269),  # "Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:"
        line(S2024, 277),  # "Ændringsforslaget er dermed forkastet." is no rejection of the item
        line(S2024, 275),  # "… stemmer imod ændringsforslaget."
        line(S2024, 465),  # "… beder forvaltningen opgøre ressourceforbruget …"
        "Orientering om den aktuelle bandesituation i Odense Kommune",  # an item title (001 item 13)
        "Mundtlig orientering:",  # 000 line 369
    ],
)
def test_outcome_patterns_negative(text):
    assert outcome_of(text) is None


def test_outcome_precedence():
    assert P.OUTCOME_PRECEDENCE == (O.RECOMMENDED, O.APPROVED, O.REJECTED, O.DISCUSSED, O.NOTED)


@pytest.mark.parametrize(
    ("path", "no", "who", "whole_meeting"),
    [
        (S2023, 32, "Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid", True),
        (S2024, 40, "Rådmand Christoffer Lilleholt", True),
        (S2021, 64, "Udvalgsmedlem Michael Eskamp Witek", False),
        (S2024, 1271, "Udvalgsmedlem Rune Hartung Larsen", False),
    ],
)
def test_absence(path, no, who, whole_meeting):
    m = P.ABSENCE.match(line(path, no))
    assert m["who"] == who
    assert bool(m["meeting"]) is whole_meeting


@pytest.mark.parametrize(
    "text",
    [
        line(S2023, 30),
        "Martha Ahlmann deltog i mødet under behandlingen af punkt 15.",
        "Udvalgsmedlemmerne deltog ikke i en workshop.",
    ],
)
def test_absence_negative(text):
    assert not P.ABSENCE.match(text)


def test_referral():
    # DOMAIN.md: "… gør brug af deres ret til at standse udførelsen …, jf. styrelseslovens § 23"
    text = "Udvalgsmedlemmerne Reza Javid (Ø) og Mads Thomsen (A) gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf. styrelseslovens § 23."
    assert P.REFERRAL.match(text)["who"] == "Udvalgsmedlemmerne Reza Javid (Ø) og Mads Thomsen (A)"
    assert P.REFERRAL.match(text.replace("deres", "sin").replace("Udvalgsmedlemmerne Reza Javid (Ø) og Mads Thomsen (A)", "Udvalgsmedlem Reza Javid (Ø)"))
    assert not P.REFERRAL.match("Udvalget gør brug af sin ret til at få sagen belyst.")
    assert not P.REFERRAL.match(line(S2024, 277))


def test_amendment_proposed():
    assert P.AMENDMENT_PROPOSED.match(line(S2024, 269))["who"] == "Udvalgsmedlem Reza Javid (Ø)"
    assert P.AMENDMENT_PROPOSED.match(line(S2024, 448))["who"] == "Udvalgsmedlem Reza Javid (Ø)"
    assert not P.AMENDMENT_PROPOSED.match(line(S2024, 273))  # "Enhedslisten foreslår, at …" (inside the quote)
    assert not P.AMENDMENT_PROPOSED.match(line(S2024, 277))


@pytest.mark.parametrize(
    ("text", "points", "result"),
    [
        (line(S2024, 277), None, "forkastet"),  # "Ændringsforslaget er dermed forkastet."
        (line(S2024, 461), "4", "forkastet"),  # "Punkt 4 i ændringsforslaget er dermed forkastet."
        ("Ændringsforslaget falder dermed.", None, "falder"),  # DOMAIN.md
    ],
)
def test_amendment_result(text, points, result):
    m = P.AMENDMENT_RESULT.match(text)
    assert (m["points"], m["result"]) == (points, result)
    assert P.AMENDMENT_RESULTS[m["result"].casefold()] == "rejected"


def test_amendment_result_negative():
    assert not P.AMENDMENT_RESULT.match(line(S2024, 463))  # "… godkender dermed … punkt 1 – 3 i ændringsforslaget."
    assert not P.AMENDMENT_RESULT.match(line(S2024, 275))  # "… stemmer imod ændringsforslaget."


@pytest.mark.parametrize(
    ("no", "who", "position", "what"),
    [
        (275, "Udvalgsmedlemmerne Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V)", "imod", "ændringsforslaget"),
        (455, "Udvalgsmedlemmerne Reza Javid (Ø), Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V)", "for", "punkt 1-3 i ændringsforslaget"),
        (457, "Udvalgsmedlem Reza Javid (Ø)", "for", "punkt 4 i ændringsforslaget"),
        (459, "Udvalgsmedlemmerne Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V)", "imod", "punkt 4 i ændringsforslaget"),
    ],
)
def test_vote(no, who, position, what):
    m = P.VOTE.match(line(S2024, no))
    assert (m["who"], m["position"], m["what"]) == (who, position, what)
    assert P.VOTE_POSITIONS[m["position"]] == {"for": "for", "imod": "against"}[position]


def test_vote_negative():
    assert not P.VOTE.match(line(S2024, 281))  # "… undlader at stemme i forhold til …"
    assert not P.VOTE.match(line(S2023, 30))


def test_members_approve():
    # the example of phrases.py
    m = P.MEMBERS_APPROVE.match("Nicolai Busch Bæhrenz (V) og Rune Hartung Larsen (C) godkender ikke indstillingspunkt 1.")
    assert (m["who"], m["neg"], m["what"]) == ("Nicolai Busch Bæhrenz (V) og Rune Hartung Larsen (C)", "ikke ", "indstillingspunkt 1")
    m = P.MEMBERS_APPROVE.match(line(S2024, 285))
    assert (m["who"], m["neg"], m["what"]) == ("Beskæftigelses- og Socialudvalget", None, "indstillingspunkt 2")
    assert not P.MEMBERS_APPROVE.match(line(S2024, 661))


def test_abstention():
    m = P.ABSTENTION.search(line(S2024, 281))
    assert m["who"] == "udvalgsmedlem Reza Javid (Ø)"
    assert m["scope"] == "i forhold til den del af indstillingspunktet, som vedrører det forhøjede krav på 0,25 procentpoint"
    assert P.ABSTENTION.search("Udvalgsmedlem Reza Javid (Ø) undlader at stemme.")["scope"] is None
    assert not P.ABSTENTION.search(line(S2024, 285))
    assert not P.ABSTENTION.search(line(S2024, 275))


def test_point_numbers():
    assert P.POINT_NUMBERS.search(line(S2023, 160))["numbers"] == "1 og 2"
    assert P.RECOMMENDATION_POINTS.search(line(S2023, 160))["numbers"] == "1 og 2"  # indstillingens punkt 1 og 2
    assert P.RECOMMENDATION_POINTS.search(line(S2024, 281))["numbers"] == "1"  # indstillingspunkt 1
    assert not P.RECOMMENDATION_POINTS.search(line(S2024, 455))  # punkt 1-3 i ændringsforslaget
    assert P.AMENDMENT_POINTS.search(line(S2024, 455))["numbers"] == "1-3"
    assert P.AMENDMENT_POINTS.search(line(S2024, 463))["numbers"] == "1 – 3"
    assert not P.AMENDMENT_POINTS.search(line(S2023, 160))


def test_whole_recommendation():
    assert P.WHOLE_RECOMMENDATION.search(line(S2023, 221))  # "godkender indstillingen"
    assert P.WHOLE_RECOMMENDATION.search(line(S2024, 463))  # "forvaltningens indstilling"
    assert not P.WHOLE_RECOMMENDATION.search(line(S2023, 160))  # "indstillingens punkt 1 og 2"
    assert not P.WHOLE_RECOMMENDATION.search(line(S2024, 285))  # "indstillingspunkt 2"


@pytest.mark.parametrize(("text", "number"), [(clean(S2024, 279), "1"), (clean(S2024, 283), "2"), ("Indstilling 2:", "2")])
def test_point_heading(text, number):
    assert P.POINT_HEADING.match(text)["number"] == number


@pytest.mark.parametrize("text", ["Indstilling", "INDSTILLING", "Indstillingspunkter", "Beslutning"])
def test_point_heading_negative(text):
    assert not P.POINT_HEADING.match(text)


def test_addition():
    m = P.ADDITION.search(line(S2021, 62))
    assert m["addition"].startswith("at Beskæftigelses- og Socialudvalget bemærker, at det er de unge")
    assert not P.ADDITION.search(line(S2023, 64))


@pytest.mark.parametrize(
    ("path", "no", "by", "to", "rest_start", "city_council"),
    [
        (S2023, 60, "Beskæftigelses- og Socialforvaltningen", "udvalget", "byrådet godkender ændringen i praksis", True),
        (S2023, 153, "Beskæftigelses- og Socialforvaltningen", None, "udvalget godkender:", False),
        (S2021, 55, "Beskæftigelses- og Socialforvaltningen", "udvalget", "byrådet godkender:", True),
        (S2024, 444, "Beskæftigelses- og Socialforvaltningen", None, "udvalget godkender forslag til proces", False),
    ],
)
def test_recommends(path, no, by, to, rest_start, city_council):
    m = P.RECOMMENDS.match(line(path, no))
    assert (m["by"], m["to"]) == (by, to)
    assert m["rest"].startswith(rest_start)
    assert bool(P.TO_CITY_COUNCIL.match(m["rest"])) is city_council


def test_recommends_negative():
    assert not P.RECOMMENDS.match(line(S2023, 64))  # the decision, not the recommendation
    # 000 line 46: "Med denne sag indstiller …" is not the Indstilling's opening
    assert line(S2023, 46).startswith("Med denne sag indstiller Beskæftigelses- og Socialforvaltningen derfor")


def test_addressee():
    assert P.ADDRESSEE.match("udvalget godkender:")["to"] == "udvalget"
    assert P.ADDRESSEE.match("Beskæftigelses- og Socialudvalget godkender")["to"] == "Beskæftigelses- og Socialudvalget"
    assert P.ADDRESSEE.match("byrådet godkender:")["to"] == "byrådet"
    assert not P.ADDRESSEE.match("forvaltningen godkender")


def test_amendment_point():
    m = P.AMENDMENT_POINT.match(line(S2024, 450).lstrip("- "))  # - "1) Udkast til kodekset …
    assert (m["number"], m["text"]) == ("1", "Udkast til kodekset skal komme som en sag til drøftelse først.")
    m = P.AMENDMENT_POINT.match(line(S2024, 453).lstrip("- "))
    assert (m["number"], m["text"]) == ("4", 'I tilfælde, hvor virksomheden ikke overholder værdighedskodekset, har borgeren ret til en ny praktik".')
    assert not P.AMENDMENT_POINT.match(line(S2024, 271))  # "Ingen fremskrivning …" has no point number


def test_people_patterns():
    assert P.ROLES[P.ROLE_WORD.match(line(S2023, 32))["role"].casefold()] == "Udvalgsmedlem"  # Udvalgsmedlemmerne
    assert P.ROLES[P.ROLE_WORD.match(line(S2024, 40))["role"].casefold()] == "Rådmand"
    assert not P.ROLE_WORD.match(line(S2023, 30))
    m = P.PERSON_NAME.match("Reza Javid (Ø)")
    assert (m["name"], m["party"]) == ("Reza Javid", "Ø")
    m = P.PERSON_NAME.match("Joachim Hoffmann-Petersen")
    assert (m["name"], m["party"]) == ("Joachim Hoffmann-Petersen", None)
    assert not P.PERSON_NAME.match("dette punkt")
    assert not P.PERSON_NAME.match("Reza Javid (Ø) stemmer for")
    assert P.NAME_LIST_SEPARATOR.split(
        "Reza Javid (Ø), Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V)"
    ) == ["Reza Javid (Ø)", "Mads Thomsen (A)", "Rune Hartung Larsen (C)", "Nicolai Busch Bæhrenz (V)"]
    assert P.COMMITTEE_SUBJECT.search("Beskæftigelses- og Socialudvalget")
    assert P.COMMITTEE_SUBJECT.search("Udvalget")
    assert not P.COMMITTEE_SUBJECT.search("Udvalgsmedlem Reza Javid (Ø)")


def test_parties():
    # DOMAIN.md: "Party letters: A Socialdemokratiet, …, Å Alternativet."
    assert P.PARTIES == {
        "A": "Socialdemokratiet", "B": "Radikale Venstre", "C": "Det Konservative Folkeparti",
        "D": "Nye Borgerlige", "F": "SF – Socialistisk Folkeparti", "I": "Liberal Alliance",
        "K": "Kristendemokraterne", "M": "Moderaterne", "O": "Dansk Folkeparti", "V": "Venstre",
        "Æ": "Danmarksdemokraterne", "Ø": "Enhedslisten", "Å": "Alternativet",
    }


def test_request_and_remark():
    assert P.REQUEST.search(line(S2024, 465))  # "… beder forvaltningen opgøre ressourceforbruget …"
    assert not P.REQUEST.search("Udvalget beder om en status på næste møde.")
    second = split_sentences(line(S2021, 62))[1]
    assert second.startswith("Beskæftigelses- og Socialudvalget præciserer, at indsatsen")
    assert P.REMARK.search(second)
    assert not P.REMARK.search(line(S2023, 30))


# --- decisions as the parser reads them ---------------------------------------------------------


def sentence_kinds(item) -> list[tuple[int, str, Outcome | None]]:
    return [(s.span.first, s.kind, s.outcome) for s in item.decision.sentences]


def test_decision_2024_item_4_amendment_and_abstention():
    item = parse_file(S2024, S2024.name).meeting.items[3]
    assert sentence_kinds(item) == [
        (269, "amendment", None),
        (271, "amendment-text", None),
        (273, "amendment-text", None),
        (273, "amendment-text", None),
        (275, "vote", None),
        (277, "amendment", None),
        (281, "outcome", O.APPROVED),  # godkender indstillingspunkt 1, men … undlader at stemme …
        (285, "outcome", O.APPROVED),
        (287, "absence", None),
    ]
    d = item.decision
    assert d.outcome is O.APPROVED
    assert [(p.point, p.outcome) for p in d.point_outcomes] == [(1, O.APPROVED), (2, O.APPROVED)]
    assert [(a.number, a.result, [p.name for p in a.proposers]) for a in d.amendments] == [(1, "rejected", ["Reza Javid"])]
    votes = {v.target: v for v in d.votes}
    against = votes[("amendment", 1, None)]
    assert [p.name for p in against.voters_against] == ["Mads Thomsen", "Rune Hartung Larsen", "Nicolai Busch Bæhrenz"]
    assert (against.voters_for, against.result) == ((), "rejected")
    abstain = votes[("recommendation", 1)]
    assert [p.name for p in abstain.abstainers] == ["Reza Javid"]
    assert abstain.abstention_scope == "i forhold til den del af indstillingspunktet, som vedrører det forhøjede krav på 0,25 procentpoint"


def test_decision_2024_item_5_the_trap_sentence():
    """'Punkt 4 i ændringsforslaget er dermed forkastet.' is part of the amendment, not an item."""
    item = parse_file(S2024, S2024.name).meeting.items[4]
    assert sentence_kinds(item) == [
        (448, "amendment", None),
        (450, "amendment-text", None),
        (451, "amendment-text", None),
        (452, "amendment-text", None),
        (453, "amendment-text", None),
        (455, "vote", None),
        (457, "vote", None),
        (459, "vote", None),
        (461, "amendment", None),
        (463, "outcome", O.APPROVED),
        (465, "request", None),
        (467, "absence", None),
    ]
    (am,) = item.decision.amendments
    assert (am.result, am.adopted_points, am.rejected_points) == ("partly-adopted", (1, 2, 3), (4,))
    assert [p.number for p in am.points] == [1, 2, 3, 4]
    assert item.decision.requests == (line(S2024, 465),)


def test_decision_2021_item_1_recommendation_with_addition():
    item = parse_file(S2021, S2021.name).meeting.items[0]
    assert sentence_kinds(item) == [(62, "outcome", O.RECOMMENDED), (62, "remark", None), (64, "absence", None)]
    assert [(a.person.name, a.scope) for a in item.decision.absences] == [("Michael Eskamp Witek", "item")]


def test_amendment_rejection_is_not_the_items_outcome():
    items = parse_file(S2024, S2024.name).meeting.items
    assert not any(s.outcome is O.REJECTED for it in items if it.decision for s in it.decision.sentences)


def decide(*paragraphs: str):
    """Item 3 of the 2023 minutes (recommendation points 1 and 2) with another Beslutning text."""
    lines = S2023.read_text(encoding="utf-8").split("\n")
    assert lines[157] == "### **Beslutning**" and lines[170] == "## **Sagsfremstilling**"
    body = [x for p in paragraphs for x in (p, "")]
    result = parse_text("\n".join(lines[:159] + body + lines[170:]))
    item = result.meeting.items[2]
    assert item.number == 3
    issues = [(i.code, i.text) for i in result.issues if i.code == "decision-sentence-not-understood"]
    return item.decision, issues


@pytest.mark.parametrize(
    ("text", "kind", "outcome"),
    [
        (line(S2023, 30), "outcome", O.APPROVED),
        ("Beskæftigelses- og Socialudvalget godkender ikke indstillingen.", "outcome", O.REJECTED),
        ("Beskæftigelses- og Socialudvalget tager orienteringen til efterretning.", "outcome", O.NOTED),
        (line(S2024, 661), "outcome", O.DISCUSSED),
        ("Udvalgsmedlemmerne Reza Javid (Ø) og Mads Thomsen (A) gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf. styrelseslovens § 23.", "referral", None),
        (line(S2024, 1271), "absence", None),
    ],
)
def test_decide_one_sentence(text, kind, outcome):
    d, issues = decide(text)
    assert [(s.kind, s.outcome) for s in d.sentences] == [(kind, outcome)]
    assert issues == []


def test_decide_referral_names_the_members():
    d, _ = decide("Udvalgsmedlemmerne Reza Javid (Ø) og Mads Thomsen (A) gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf. styrelseslovens § 23.")
    (ref,) = d.referrals
    assert [(p.name, p.party, p.role) for p in ref.persons] == [("Reza Javid", "Ø", "Udvalgsmedlem"), ("Mads Thomsen", "A", "Udvalgsmedlem")]


def test_rejection_of_one_point():
    d, issues = decide("Beskæftigelses- og Socialudvalget godkender ikke indstillingspunkt 1.")
    assert issues == []
    assert [(p.point, p.outcome) for p in d.point_outcomes] == [(1, O.REJECTED)]


def test_members_not_approving_a_point():
    d, issues = decide("Nicolai Busch Bæhrenz (V) og Rune Hartung Larsen (C) godkender ikke indstillingspunkt 1.")
    assert issues == []
    (vote,) = d.votes
    assert vote.target == ("recommendation", 1)
    assert [p.name for p in vote.voters_against] == ["Nicolai Busch Bæhrenz", "Rune Hartung Larsen"]


def test_not_recommended_is_not_recommended():
    assert outcome_of("Beskæftigelses- og Socialudvalget anbefaler ikke indstillingen.") is O.REJECTED


def test_upgrade_sentence_is_understood():
    result = parse_text(upgraded_2023_sample())
    assert [i.code for i in result.issues] == []


# --- sentence splitting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "no", "count"),
    [
        (S2021, 62, 2),  # anbefaler … med tilføjelse … / præciserer …
        (S2024, 273, 2),  # Enhedslisten foreslår … i udvalget. / Beløbet beholdes …
        (S2024, 271, 1),  # … 1.372.000 kr. (E5+E6)
        (S2024, 281, 1),  # … 0,25 procentpoint.
        (S2023, 160, 1),
        (S2024, 99, 1),  # … ca. 27 uger plus …
        (S2024, 482, 3),  # … (jævnfør sag nr. 10 om …) … møde). / I august … / Forslag til deltagerkreds er:
    ],
)
def test_split_sentences_real_paragraphs(path, no, count):
    text = line(path, no)
    parts = split_sentences(text)
    assert len(parts) == count, parts
    assert " ".join(parts) == text


def test_split_sentences_exact():
    assert split_sentences(line(S2024, 273)) == [
        "Enhedslisten foreslår, at der ikke anvises forslag til prioritering af ovennævnte beløb i udvalget.",
        ("Beløbet beholdes og anvendes til fremskrivning på tilskud til sociale formål samt på paragraf 18 "
        'midler til Budget 2025, således at status qua bevares på det sociale område".'),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # abbreviations followed by a capital or a digit do not end the sentence
        "Beskæftigelses- og Socialudvalget godkender indstillingen, jf. Byrådets beslutning den 10. april 2024.",
        "Krisecenter Odense og St. Dannesbo Forsorgshjem i 2021 i alt ca. 0,5 mio. kr.",
        "Det drejer sig bl.a. Behandlingscenter Odense og Værested Øst.",
        "Forvaltningen henviser til sag nr. 10 om afrapportering.",
        "Udvalgsmedlem Reza Javid (Ø) gør brug af sin ret til at standse udførelsen, jf. Styrelseslovens § 23.",
    ],
)
def test_split_sentences_does_not_split_after_abbreviations(text):
    assert split_sentences(text) == [text]


def test_split_sentences_splits_real_sentence_ends():
    text = "Beskæftigelses- og Socialudvalget godkender indstillingen. Rådmand Christoffer Lilleholt deltog ikke i mødet."
    assert split_sentences(text) == [
        "Beskæftigelses- og Socialudvalget godkender indstillingen.",
        "Rådmand Christoffer Lilleholt deltog ikke i mødet.",
    ]
    assert split_sentences("Orientering givet. Udvalgsmedlem Rune Hartung Larsen deltog ikke i behandlingen af dette punkt.") == [
        "Orientering givet.",
        "Udvalgsmedlem Rune Hartung Larsen deltog ikke i behandlingen af dette punkt.",
    ]
    assert split_sentences("") == []


@pytest.mark.parametrize(
    ("path", "no", "count"),
    [(S2023, 104, 5), (S2023, 108, 2), (S2024, 979, 2)],
)
def test_split_sentences_after_kr_and_mv(path, no, count):
    assert len(split_sentences(line(path, no))) == count


def test_split_sentences_after_point_number():
    # 001 lines 285 and 287, as one paragraph (the blank line between them lost)
    text = f"{line(S2024, 285)} {line(S2024, 287)}"
    assert text == "Beskæftigelses- og Socialudvalget godkender indstillingspunkt 2. Rådmand Christoffer Lilleholt deltog ikke i mødet."
    assert split_sentences(text) == [line(S2024, 285), line(S2024, 287)]
