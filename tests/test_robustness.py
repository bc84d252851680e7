"""The same minutes in other clothes give the same meeting model.

The 2023 sample (``000_83328fd846afc9b6.txt``) is re-encoded, given other line endings, other
spaces, stray blank lines and page-break debris in ``tmp_path``; the meeting model
(:func:`referatgraph.model.to_dict`) must not change, apart from the source record's checksum
and encoding. The plain-text flavour (Markdown markup stripped) must give the same items.
And the parser never refuses input: on any text it returns issues instead of raising.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referatgraph.model import Severity, to_dict
from referatgraph.parse import parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "odense").glob("*.txt"))
S2023 = ROOT / "examples" / "odense" / "000_83328fd846afc9b6.txt"
EXPECTED_2023 = ROOT / "tests" / "expected" / "000_83328fd846afc9b6.json"

TEXT = S2023.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def model(result) -> dict:
    """The meeting as plain JSON, without what legitimately differs between the variants."""
    assert result.meeting is not None, [i.format("x") for i in result.issues]
    d = to_dict(result.meeting)
    for key in ("sha256", "encoding", "path"):
        d["source"].pop(key)
    return d


def without_spans(x):
    if isinstance(x, dict):
        return {k: without_spans(v) for k, v in x.items() if k != "span"}
    if isinstance(x, list):
        return [without_spans(v) for v in x]
    return x


def parse_bytes(tmp_path: Path, data: bytes, name: str = S2023.name):
    path = tmp_path / name
    path.write_bytes(data)
    return parse_file(path, name)


@pytest.fixture(scope="module")
def reference():
    result = parse_file(S2023, S2023.name)
    assert result.ok and result.issues == ()
    return result


def codes(result) -> list[tuple[str, str, int | None]]:
    return [(i.severity.value, i.code, i.line) for i in result.issues]


# --- encodings and line endings ---------------------------------------------------------------


def test_utf8_with_bom(tmp_path, reference):
    result = parse_bytes(tmp_path, b"\xef\xbb\xbf" + S2023.read_bytes())
    assert result.source.encoding == "utf-8-sig"
    assert codes(result) == []
    assert model(result) == model(reference)


def test_crlf_line_endings(tmp_path, reference):
    result = parse_bytes(tmp_path, TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


def test_lone_cr_line_endings(tmp_path, reference):
    result = parse_bytes(tmp_path, TEXT.replace("\n", "\r").encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


def test_windows_1252(tmp_path, reference):
    result = parse_bytes(tmp_path, TEXT.encode("cp1252"))
    assert result.source.encoding == "cp1252"
    assert [(i.severity, i.code, i.line, i.message) for i in result.issues] == [
        (Severity.INFO, "encoding-cp1252", None, "not UTF-8; decoded as Windows-1252")
    ]
    assert model(result) == model(reference)
    assert result.meeting.items[1].case_number.kle_facet == "Ø00"


def test_utf16_with_bom(tmp_path, reference):
    result = parse_bytes(tmp_path, TEXT.encode("utf-16"))
    assert result.source.encoding == "utf-16"
    assert codes(result) == []
    assert model(result) == model(reference)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("variant", ["bom", "crlf", "cp1252", "utf-16"])
def test_every_sample_survives_reencoding(tmp_path, sample, variant):
    text = sample.read_text(encoding="utf-8")
    data = {
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cp1252": text.encode("cp1252"),
        "utf-16": text.encode("utf-16"),
    }[variant]
    base = parse_file(sample, sample.name)
    result = parse_bytes(tmp_path, data, sample.name)
    extra = [("info", "encoding-cp1252", None)] if variant == "cp1252" else []
    assert codes(result) == extra + codes(base)
    assert model(result) == model(base)


# --- spaces -----------------------------------------------------------------------------------


def test_non_breaking_spaces(tmp_path, reference):
    lines = list(LINES)
    # title line, Mødedato, Mødested, an item heading, a TOC entry, a decision sentence
    for i in (2, 4, 6, 10, 128, 159, 310):
        assert " " in lines[i], i
        lines[i] = lines[i].replace(" ", "\u00a0")
    for i in (29, 63):  # every other space only
        parts = lines[i].split(" ")
        lines[i] = "".join(p + ("\u00a0" if k % 2 else " ") for k, p in enumerate(parts))[:-1]
    result = parse_bytes(tmp_path, "\n".join(lines).encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


def test_other_exotic_spaces_and_zero_width(tmp_path, reference):
    text = (
        TEXT.replace("Beskæftigelses- og", "Beskæftigelses-\u2009og")  # thin space
        .replace("Udvalgsmedlemmerne", "Udvalgs\u200bmedlemmerne")  # zero-width space
        .replace("kl. 08:30", "kl.\u202f08:30")  # narrow no-break space
    )
    result = parse_bytes(tmp_path, text.encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


def test_trailing_white_space(tmp_path, reference):
    result = parse_bytes(tmp_path, TEXT.replace("\n", " \t \n").encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


# --- blank lines and page debris ---------------------------------------------------------------


def test_stray_blank_lines_between_paragraphs(tmp_path, reference):
    """Three more (blank or white-space-only) lines at every paragraph break: spans move, nothing else."""
    out = []
    added = 0
    for i, line in enumerate(LINES):
        out.append(line)
        if line == "" and 0 < i < len(LINES) - 1 and LINES[i - 1] and LINES[i + 1]:
            out.extend(["", "   ", "\t"])
            added += 3
    assert added > 300
    result = parse_bytes(tmp_path, "\n".join(out).encode("utf-8"))
    assert codes(result) == []
    got, want = model(result), model(reference)
    assert got["source"]["line_count"] == want["source"]["line_count"] + added
    got["source"].pop("line_count")
    want["source"].pop("line_count")
    assert without_spans(got) == without_spans(want)
    # the spans did move: item 8's heading was line 363
    assert result.meeting.items[-1].span.first > 363


def test_blank_lines_at_the_end(tmp_path, reference):
    result = parse_bytes(tmp_path, (TEXT + "\n\n\n  \n\t\n").encode("utf-8"))
    assert codes(result) == []
    got, want = model(result), model(reference)
    got["source"].pop("line_count")
    want["source"].pop("line_count")
    assert got == want  # spans included


def test_blank_lines_at_the_start(tmp_path, reference):
    """Three blank lines before the title: everything moves by exactly three lines."""
    result = parse_bytes(tmp_path, ("\n\n\n" + TEXT).encode("utf-8"))
    assert codes(result) == []
    assert result.meeting.span.first == reference.meeting.span.first + 3
    assert [it.span.first for it in result.meeting.items] == [
        it.span.first + 3 for it in reference.meeting.items
    ]
    assert without_spans(model(result)["items"]) == without_spans(model(reference)["items"])


# 0-based indexes of blank lines replaced by page debris: between the TOC and item 1, inside a
# paragraph split by a page break (lines 88/90 and 297/299), between a table and a paragraph,
# inside a Beslutning.
DEBRIS_AT = (18, 88, 117, 297, 311, 345)


@pytest.mark.parametrize("debris", ["Side 3 af 18", "Side 12", "Page 3 of 18", "Side 3/18", "  Side 3 af 18  "])
def test_page_debris_in_place_of_blank_lines(tmp_path, reference, debris):
    lines = list(LINES)
    for i in DEBRIS_AT:
        assert lines[i] == "", i
        lines[i] = debris
    result = parse_bytes(tmp_path, "\n".join(lines).encode("utf-8"))
    assert [(i.severity, i.code, i.line, i.message) for i in result.issues] == [
        (Severity.INFO, "page-debris", None, 'blanked 6 page-break line(s) ("Side n af m")')
    ]
    assert model(result) == model(reference)  # line numbers unchanged, spans included


def test_form_feeds_at_page_breaks(tmp_path, reference):
    lines = list(LINES)
    for i in DEBRIS_AT:
        lines[i] = "\f"
    lines[89] = "\f" + lines[89]  # "eksempelvis er med til …", continued after a page break
    result = parse_bytes(tmp_path, "\n".join(lines).encode("utf-8"))
    assert codes(result) == []
    assert model(result) == model(reference)


# --- the plain-text flavour -------------------------------------------------------------------


def plain_text(markdown: str) -> str:
    """What the PDF text of the same minutes looks like: no '#' headings, no '**' bold."""
    return "\n".join(re.sub(r"^#{1,6}\s+", "", ln).replace("**", "") for ln in markdown.split("\n"))


def test_plain_text_flavour_same_items(tmp_path, reference):
    text = plain_text(TEXT)
    assert "#" not in text and "**" not in text
    result = parse_bytes(tmp_path, text.encode("utf-8"))
    assert result.ok, [i.format("plain") for i in result.issues]
    assert codes(result) == []

    expected = json.loads(EXPECTED_2023.read_text(encoding="utf-8"))
    m = result.meeting
    assert m.committee == expected["meeting"]["committee"]
    assert m.date.isoformat() == expected["meeting"]["date"]
    assert m.place == expected["meeting"]["place"]
    assert [(t.title, t.page) for t in m.toc] == [(t["title"], t["page"]) for t in expected["toc"]]
    got = [
        (
            it.number,
            it.title,
            it.case_type and it.case_type.value,
            it.case_number and it.case_number.text,
            [s.kind.value for s in it.sections],
            it.decision and it.decision.outcome and it.decision.outcome.value,
            [a.title for a in it.attachments],
            it.span.first,
        )
        for it in m.items
    ]
    want = [
        (
            e["number"],
            e["title"],
            e["case_type"],
            e["journal"],
            e["sections"],
            e["outcome"],
            e["attachments"],
            e["heading_line"],
        )
        for e in expected["items"]
    ]
    assert got == want
    # and the subsections ("Baggrund", "Pædagogiske overvejelser", ...) are found the same way
    assert [[[sub.heading for sub in s.subsections] for s in it.sections] for it in m.items] == [
        [[sub.heading for sub in s.subsections] for s in it.sections] for it in reference.meeting.items
    ]


def test_plain_text_flavour_same_model(tmp_path, reference):
    result = parse_bytes(tmp_path, plain_text(TEXT).encode("utf-8"))
    got, want = model(result), model(reference)
    got.pop("source")
    want.pop("source")
    assert got == want


# --- the parser never refuses input -------------------------------------------------------------

SAMPLE_LINES = [ln for p in SAMPLES for ln in p.read_text(encoding="utf-8").split("\n")]
TRICKY_LINES = [
    "",
    "Punkt 1: x",
    "Punkt 99: B-sag: x",
    "Pkt. 2. D-Sag: y",
    "Beslutning",
    "## **Beslutning**",
    "Indholdsfortegnelse",
    "x.....\t3",
    "REFERAT X d. 31-02-2023",
    "REFERAT X 2022-2025 d. 17-01-2023",
    "Mødedato Mandag d. 99. smarts 2023 kl. 25:99",
    "Mødested Teams-møde",
    '- "a',
    '"b".',
    "#### Indstillingspunkt 1:",
    "06.00.00P15-1-25",
    "Åbent - 00.01.00-A00-17-15",
    "Side 3 af 18",
    "\t\t",
]


def check_never_refuses(text: str) -> None:
    result = parse_text(text)
    n = len(text.replace("\r\n", "\n").split("\n"))
    errors = [i for i in result.issues if i.severity is Severity.ERROR]
    # a meeting, or exactly one error saying why not
    assert (result.meeting is None) == (len(errors) == 1)
    assert len(errors) <= 1
    for issue in result.issues:
        assert issue.line is None or 1 <= issue.line <= n, issue
        assert "\n" not in issue.message
    if result.meeting is not None:
        for it in result.meeting.items:
            assert 1 <= it.span.first <= it.span.last <= n
            for s in it.sections:
                assert it.span.first <= s.span.first <= s.span.last <= it.span.last
        json.dumps(to_dict(result.meeting))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_text_never_raises_on_any_text(text):
    check_never_refuses(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.sampled_from(SAMPLE_LINES), st.sampled_from(TRICKY_LINES), st.text(max_size=40)),
        max_size=80,
    )
)
def test_parse_text_never_raises_on_minutes_like_text(lines):
    check_never_refuses("\n".join(lines))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_text_never_raises_on_cut_and_shuffled_samples(data):
    lines = data.draw(st.sampled_from(SAMPLES)).read_text(encoding="utf-8").split("\n")
    a = data.draw(st.integers(0, len(lines)))
    b = data.draw(st.integers(a, len(lines)))
    how = data.draw(st.sampled_from(["cut-out", "keep-only", "reverse", "repeat"]))
    if how == "cut-out":
        lines = lines[:a] + lines[b:]
    elif how == "keep-only":
        lines = lines[a:b]
    elif how == "reverse":
        lines = lines[:a] + lines[a:b][::-1] + lines[b:]
    else:
        lines = lines[:b] + lines[a:b] + lines[b:]
    check_never_refuses("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_file_never_raises_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.txt"
        path.write_bytes(data)
        result = parse_file(path, "x.txt")
    errors = [i for i in result.issues if i.severity is Severity.ERROR]
    assert (result.meeting is None) == (len(errors) == 1)



# --- the reader's fast clean-up equals its plain definition -----------------------------------

_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\f\v\x00"
_EXOTIC = _SPACES + _INVISIBLE
#: The reader's clean-up as a str.translate table: spaces made plain, invisible characters gone.
_TRANSLATE = {**dict.fromkeys(map(ord, _SPACES), " "), **dict.fromkeys(map(ord, _INVISIBLE), None)}


def _control_count(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")


def _check_clean_up(text: str) -> None:
    from referatgraph.read import _control_ratio, _replace_characters

    assert _replace_characters(text) == text.translate(_TRANSLATE)
    sample = text[:8192]
    assert _control_ratio(text) == (_control_count(sample) / len(sample) if sample else 0.0)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_clean_up_equals_translate_on_the_samples(sample):
    text = sample.read_text(encoding="utf-8")
    _check_clean_up(text)
    # every exotic character and control character, spread through the real text
    extra = _EXOTIC + "".join(map(chr, range(0x100)))
    _check_clean_up("".join(c + extra[k % len(extra)] if k % 7 == 0 else c for k, c in enumerate(text)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_EXOTIC + "".join(map(chr, range(0x100))) + "æøå\u2028\U0001f600")))
def test_clean_up_equals_translate_on_any_text(text):
    _check_clean_up(text)


# --- bugs found -------------------------------------------------------------------------------


def test_one_stray_cp1252_byte_does_not_garble_the_file(tmp_path):
    # The sample without its two ” quotes (byte 0x9D, undefined in Windows-1252) so that the
    # Windows-1252 fallback succeeds; then one "ø" of line 32 written in Windows-1252.
    lines = TEXT.replace("”", '"').split("\n")
    assert lines[31] == "Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid deltog ikke i mødet."
    data = "\n".join(lines).encode("utf-8").replace(
        lines[31].encode("utf-8"), lines[31].encode("utf-8").replace("ø".encode(), b"\xf8"), 1
    )
    result = parse_bytes(tmp_path, data)
    if result.meeting is None:
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        assert [e.line for e in errors] == [32]
    else:
        assert result.meeting.committee == "Beskæftigelses- og Socialudvalget"
        assert result.meeting.place == "Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C"
        assert "Ã" not in json.dumps(to_dict(result.meeting), ensure_ascii=False)
