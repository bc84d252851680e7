"""Bad input: one clear error line naming file and line, the other files still publish.

Every bad file here is made from the real 2023 sample (``000_83328fd846afc9b6.txt``, eight
items in its table of contents) in ``tmp_path``; the good files beside it are the two other real
samples (meetings of 2021-02-02 and 2024-06-25). A bad file must:

* give exactly one error line, ``file[:line]: error: message``, on stderr;
* not stop the other files: they convert and are published;
* leave nothing half-written: no file of the bad meeting, no staging or temporary files;
* make the build exit non-zero (1).

A missing journal number and a malformed KLE number are warnings, not errors: the file converts.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from referatgraph.cli import main
from referatgraph.model import Severity
from referatgraph.parse import parse_file
from referatgraph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "odense"
S2023 = SAMPLES / "000_83328fd846afc9b6.txt"  # 2023-01-17, 8 items
S2024 = SAMPLES / "001_89e122cf77fe0064.txt"  # 2024-06-25, 16 items
S2021 = SAMPLES / "004_22c6d353a3b71871.txt"  # 2021-02-02, 4 items
DOMAIN_MD = ROOT.parent / "shared" / "DOMAIN.md"

KEY2021 = "beskaeftigelses-og-socialudvalget-2021-02-02"
KEY2023 = "beskaeftigelses-og-socialudvalget-2023-01-17"
KEY2024 = "beskaeftigelses-og-socialudvalget-2024-06-25"
#: The files every release has (a release may hold more: pages, other serialisations).
RELEASE_CORE = {"context.jsonld", "dataset.jsonld", "dataset.ttl", "report.json"}
GOOD_MEETING_FILES = {
    f"{KEY2021}.jsonld",
    f"{KEY2021}.ttl",
    f"{KEY2024}.jsonld",
    f"{KEY2024}.ttl",
}
NOT_MINUTES = (
    "not minutes: no 'REFERAT <committee> … d. dd-mm-yyyy' title line and no 'Punkt N:' item heading"
)


def sample_lines() -> list[str]:
    """The 2023 sample as lines: ``lines[i]`` is line ``i + 1`` of the file."""
    return S2023.read_text(encoding="utf-8").split("\n")


def png_bytes() -> bytes:
    """A real, complete 1x1 PNG (signature, IHDR, IDAT, IEND): binary, with NUL bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


README = """\
# referatgraph

Converts Danish committee minutes (referater) to linked open data.

## Usage

    referatgraph build examples/odense --out output
    referatgraph validate output

## License

MIT
"""

#: A README that quotes the first lines of a minutes file as an example.
README_QUOTING = """\
# referatgraph

Converts Danish committee minutes (referater) to linked open data.

## Usage

    referatgraph build examples/odense --out output
    referatgraph validate output

The input is the text of the minutes, for example:

    REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 17-01-2023
    Mødedato Tirsdag d. 17. januar 2023 kl. 08:30

## License

MIT
"""

# H.C. Andersen, "Den grimme ælling" (1843), public domain.
NOVEL = (
    "Der var så dejligt ude på landet; det var sommer, kornet stod gult, havren grøn, høet var "
    "rejst i stakke nede i de grønne enge, og der gik storken på sine lange, røde ben og snakkede "
    "ægyptisk, for det sprog havde han lært af sin moder.\n"
)


def truncated_in_item_5() -> bytes:
    """The sample cut in the middle of line 293 (item 5 runs from line 273 to 313)."""
    lines = sample_lines()
    assert lines[272].startswith("# Punkt 5:") and lines[314].startswith("## **Punkt 6:")
    assert lines[292].startswith("Oplevelsesmidlerne er blevet brugt")
    return ("\n".join(lines[:292]) + "\n" + lines[292][:120]).encode("utf-8")


def duplicate_item_number() -> bytes:
    """Item 6's heading renumbered to 5: two items number 5 (lines 273 and 315)."""
    lines = sample_lines()
    assert lines[314] == (
        "## **Punkt 6: D-sag: Brug af kunstig intelligens til at målrette "
        "beskæftigelsesindsatsen. Orientering om signaturprojekt.**"
    )
    lines[314] = lines[314].replace("Punkt 6:", "Punkt 5:")
    return "\n".join(lines).encode("utf-8")


# (file name, bytes or None for a file that does not exist, issue code, issue line, stderr line)
FAILING = [
    pytest.param("empty.txt", b"", "unreadable", None, "empty.txt: error: empty file", id="empty"),
    pytest.param(
        "blank.txt", b"\n \n\t\r\n", "unreadable", None, "blank.txt: error: empty file", id="only-white-space"
    ),
    pytest.param(
        "scan.txt",
        png_bytes(),
        "unreadable",
        None,
        "scan.txt: error: binary file (NUL bytes), not text minutes",
        id="binary-png",
    ),
    pytest.param("README.md", README.encode(), "not-minutes", 1, f"README.md:1: error: {NOT_MINUTES}", id="readme"),
    pytest.param("novel.txt", NOVEL.encode(), "not-minutes", 1, f"novel.txt:1: error: {NOT_MINUTES}", id="novel"),
    pytest.param(
        "truncated.txt",
        truncated_in_item_5(),
        "truncated",
        293,
        "truncated.txt:293: error: truncated: the table of contents lists 8 items, the text ends after item 5",
        id="truncated-in-item-5",
    ),
    pytest.param(
        "duplicate.txt",
        duplicate_item_number(),
        "item-number-duplicate",
        315,
        "duplicate.txt:315: error: duplicate item number 5 (also at line 273)",
        id="duplicate-item-number",
    ),
    pytest.param(
        "missing.txt",
        None,
        "unreadable",
        None,
        "missing.txt: error: cannot read file: No such file or directory",
        id="does-not-exist",
    ),
]


def release_files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def meeting_files(out: Path) -> set[str]:
    return {p.name for p in (out / "meetings").iterdir()}


def assert_only_good_meetings_published(out: Path, good: set[str] = GOOD_MEETING_FILES) -> None:
    """The good meetings are published; nothing of the 2023 meeting, nothing staged."""
    files = release_files(out)
    assert RELEASE_CORE <= files
    assert meeting_files(out) == good
    assert [f for f in files if KEY2023 in f] == []
    assert KEY2023 not in (out / "dataset.ttl").read_text(encoding="utf-8")
    assert leftovers(out) == []


def leftovers(out: Path) -> list[str]:
    """Anything staged or temporary: every name starting with '.' anywhere under ``out``."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.name.startswith("."))


def write_input(tmp_path: Path, name: str, data: bytes | None) -> Path:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    path = src / name
    if data is not None:
        path.write_bytes(data)
    return path


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="referatgraph")


# --- parse_file: the issue itself -----------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "code", "line", "stderr"), FAILING)
def test_parse_file_reports_one_error(tmp_path, name, data, code, line, stderr):
    path = write_input(tmp_path, name, data)
    result = parse_file(path, name)
    assert result.meeting is None
    assert not result.ok
    errors = [i for i in result.issues if i.severity is Severity.ERROR]
    assert [(e.code, e.line) for e in errors] == [(code, line)]
    assert errors[0].format(name) == stderr


# --- build: the other files still publish, nothing half-written -----------------------------


@pytest.mark.parametrize(("name", "data", "code", "line", "stderr"), FAILING)
def test_build_publishes_the_good_files(tmp_path, name, data, code, line, stderr):
    bad = write_input(tmp_path, name, data)
    out = tmp_path / "out"
    result = build([bad, S2021, S2024], out)

    assert not result.ok
    status = {f.file: f.status for f in result.files}
    assert status == {name: "failed", S2021.name: "converted", S2024.name: "converted"}
    failed = next(f for f in result.files if f.file == name)
    assert [(i.severity, i.code, i.line) for i in failed.issues] == [(Severity.ERROR, code, line)]
    assert failed.meeting is None and failed.triples == 0

    assert_only_good_meetings_published(out)
    dataset = (out / "dataset.ttl").read_text(encoding="utf-8")
    assert KEY2021 in dataset and KEY2024 in dataset
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    entry = next(f for f in report["files"] if f["file"] == name)
    assert entry["status"] == "failed"
    assert [(i["severity"], i["code"], i["line"]) for i in entry["issues"]] == [("error", code, line)]


@pytest.mark.parametrize(("name", "data", "code", "line", "stderr"), FAILING)
def test_cli_build_one_error_line_and_exit_1(tmp_path, name, data, code, line, stderr):
    bad = write_input(tmp_path, name, data)
    out = tmp_path / "out"
    res = run_cli("build", "--quiet", str(bad), str(S2021), str(S2024), "--out", str(out))

    assert res.exit_code == 1, res.output
    assert res.stderr.splitlines() == [stderr]
    assert "  files       3: 2 converted, 0 not conforming, 1 failed" in res.stdout.splitlines()
    assert "  status      FAILED (exit 1)" in res.stdout.splitlines()
    assert_only_good_meetings_published(out)


@pytest.mark.parametrize(("name", "data", "code", "line", "stderr"), FAILING)
def test_cli_parse_bad_file(tmp_path, name, data, code, line, stderr):
    path = write_input(tmp_path, name, data)
    res = run_cli("parse", str(path), "--json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["meeting"] is None
    assert [(i["severity"], i["code"], i["line"]) for i in doc["issues"]] == [("error", code, line)]


def test_bad_files_in_a_folder_are_named_by_folder_path(tmp_path):
    """Files found in a folder are reported as folder/file, so the error names the right file."""
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "000_83328fd846afc9b6.txt").write_bytes(truncated_in_item_5())
    (src / "004_22c6d353a3b71871.txt").write_bytes(S2021.read_bytes())
    out = tmp_path / "out"
    res = run_cli("build", "-q", str(src), "--out", str(out))
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        ("corpus/000_83328fd846afc9b6.txt:293: error: truncated: the table of contents lists 8 items, "
        "the text ends after item 5")
    ]
    assert_only_good_meetings_published(out, {f"{KEY2021}.jsonld", f"{KEY2021}.ttl"})


def test_several_bad_files_each_get_their_own_line(tmp_path):
    empty = write_input(tmp_path, "empty.txt", b"")
    dup = write_input(tmp_path, "duplicate.txt", duplicate_item_number())
    res = run_cli("build", "-q", str(empty), str(dup), str(S2021), str(S2024), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        "duplicate.txt:315: error: duplicate item number 5 (also at line 273)",
        "empty.txt: error: empty file",
    ]
    assert_only_good_meetings_published(tmp_path / "out")


def test_duplicated_heading_line(tmp_path):
    """The heading of item 5 written twice (a copy-paste slip): the second copy is at line 275."""
    lines = sample_lines()
    heading = lines[272]
    assert heading == "# Punkt 5: D-sag: Afrapportering på oplevelsesmidler fra Socialstyrelsen"
    lines[272:272] = [heading, ""]
    path = write_input(tmp_path, "twice.txt", "\n".join(lines).encode())
    result = parse_file(path, "twice.txt")
    assert result.meeting is None
    errors = [i for i in result.issues if i.severity is Severity.ERROR]
    assert [(e.code, e.line, e.message) for e in errors] == [
        ("item-number-duplicate", 275, "duplicate item number 5 (also at line 273)")
    ]


def test_the_domain_notes_are_not_minutes(tmp_path):
    """DOMAIN.md quotes a title line and an item heading inside a code block: still not minutes."""
    if not DOMAIN_MD.exists():
        pytest.skip(f"{DOMAIN_MD} not present")
    result = parse_file(DOMAIN_MD, "DOMAIN.md")
    assert [(i.severity, i.code, i.line) for i in result.issues] == [(Severity.ERROR, "not-minutes", 1)]


def test_item_headings_without_title_line(tmp_path):
    """Item headings but no 'REFERAT … d. dd-mm-yyyy' line (title lines 1-8 cut off)."""
    lines = sample_lines()
    path = write_input(tmp_path, "headless.txt", "\n".join(lines[8:]).encode())
    result = parse_file(path, "headless.txt")
    assert result.meeting is None
    assert [(i.severity, i.code, i.line) for i in result.issues] == [(Severity.ERROR, "no-committee", 1)]


def test_same_meeting_twice_second_fails(tmp_path):
    """The same minutes in two folders: the second copy is an error, the first is published."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / S2023.name).write_bytes(S2023.read_bytes())
    out = tmp_path / "out"
    res = run_cli("build", "-q", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out))
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        (f"b/{S2023.name}:3: error: the same meeting (Beskæftigelses- og Socialudvalget, 2023-01-17) "
        f"was already converted from a/{S2023.name}")
    ]
    assert meeting_files(out) == {f"{KEY2023}.jsonld", f"{KEY2023}.ttl"}


# --- warnings: the file still converts ------------------------------------------------------


def test_missing_journal_number_is_a_warning(tmp_path):
    lines = sample_lines()
    assert lines[128].startswith("## **Punkt 3: B-sag:") and lines[130] == "15.40.00-A00-5-22"
    del lines[129:131]  # the blank line after the heading and the journal number
    path = write_input(tmp_path, "nojournal.txt", "\n".join(lines).encode())

    parsed = parse_file(path, "nojournal.txt")
    assert parsed.ok
    assert [(i.severity, i.code, i.line) for i in parsed.issues] == [
        (Severity.WARNING, "case-number-missing", 129)
    ]
    item3 = parsed.meeting.items[2]
    assert (item3.number, item3.case_number) == (3, None)
    assert [it.case_number.text for it in parsed.meeting.items if it.number != 3] == [
        "85.02.02-P35-12-22",
        "27.03.00-Ø00-57-22",
        "27.00.00-G01-5482-22",
        "27.00.00-P20-3-22",
        "85.11.00-P20-30-20",
        "15.00.00-P05-1-23",
        "85.02.02-G01-8-22",
    ]

    out = tmp_path / "out"
    res = run_cli("build", "-q", str(path), str(S2021), "--out", str(out))
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines() == ["nojournal.txt:129: warning: item 3: no case number under the heading"]
    assert "  files       2: 2 converted, 0 not conforming, 0 failed" in res.stdout.splitlines()
    ttl = (out / "meetings" / f"{KEY2023}.ttl").read_text(encoding="utf-8")
    assert "case:15.40.00-A00-5-22" not in ttl
    assert "case:27.00.00-G01-5482-22" in ttl
    assert leftovers(out) == []


def test_malformed_kle_number_is_kept_as_text(tmp_path):
    lines = sample_lines()
    assert lines[130] == "15.40.00-A00-5-22"
    lines[130] = "06.00.00P15-1-25"  # as printed by a real portal: no hyphen before the facet
    path = write_input(tmp_path, "malformed.txt", "\n".join(lines).encode())

    parsed = parse_file(path, "malformed.txt")
    assert parsed.ok
    assert [(i.severity, i.code, i.line, i.text) for i in parsed.issues] == [
        (Severity.WARNING, "journal-number-malformed", 131, "06.00.00P15-1-25")
    ]
    cn = parsed.meeting.items[2].case_number
    assert (cn.text, cn.scheme, cn.kle_topic, cn.kle_facet, cn.serial, cn.year) == (
        "06.00.00P15-1-25", "kle-malformed", "06.00.00", None, None, None
    )

    out = tmp_path / "out"
    res = run_cli("build", "-q", str(path), "--out", str(out))
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines() == [
        ("malformed.txt:131: warning: item 3: case number '06.00.00P15-1-25' looks like a KLE journal "
        "number but is malformed (kept as text)")
    ]


    g = rdflib.Graph().parse(out / "meetings" / f"{KEY2023}.ttl", format="turtle")
    base = "https://referatgraph.example/id/"
    case = rdflib.URIRef(f"{base}case/06.00.00P15-1-25")
    item = rdflib.URIRef(f"{base}item/{KEY2023}-3")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    rg = rdflib.Namespace("https://w3id.org/referatgraph/ns#")
    assert (item, dct.isPartOf, case) in g
    assert list(g.objects(case, dct.identifier)) == [rdflib.Literal("06.00.00P15-1-25")]
    assert list(g.objects(case, rg.caseNumberScheme)) == [rdflib.Literal("kle-malformed")]
    assert list(g.objects(case, rg.kleTopicCode)) == [rdflib.Literal("06.00.00")]
    assert list(g.objects(case, rg.kleActionFacetCode)) == []


# --- nothing half-written when the build itself breaks --------------------------------------


def test_crash_mid_build_leaves_previous_release_untouched(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build([SAMPLES], out)
    assert first.ok
    before = {p: (out / p).read_bytes() for p in release_files(out)}

    from referatgraph import pipeline

    real = pipeline.meeting_triples
    calls = []

    def flaky(meeting, minter, **kw):
        calls.append(meeting.date)
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return real(meeting, minter, **kw)

    monkeypatch.setattr(pipeline, "meeting_triples", flaky)
    with pytest.raises(OSError, match="simulated"):
        build([SAMPLES], out)
    assert len(calls) == 2
    assert {p: (out / p).read_bytes() for p in release_files(out)} == before
    assert leftovers(out) == []


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="workers see the patch only when forked")
def test_crash_in_a_worker_process_leaves_previous_release_untouched(tmp_path, monkeypatch):
    """The same with two worker processes (they start by fork, so they see the patch): the
    error reaches the build, which removes what it staged."""
    out = tmp_path / "out"
    assert build([SAMPLES], out).ok
    before = {p: (out / p).read_bytes() for p in release_files(out)}

    from referatgraph import pipeline

    real = pipeline.meeting_triples

    def flaky(meeting, minter, **kw):
        if meeting.date.year == 2024:
            raise OSError("disk full (simulated)")
        return real(meeting, minter, **kw)

    monkeypatch.setattr(pipeline, "meeting_triples", flaky)
    with pytest.raises(OSError, match="simulated"):
        build([SAMPLES], out, jobs=2)
    assert {p: (out / p).read_bytes() for p in release_files(out)} == before
    assert leftovers(out) == []


# --- found while writing these tests (fixed since): keep them fixed -----------------------


def test_bom_only_file_is_empty(tmp_path):
    """A file holding only a byte-order mark (an empty file saved by Notepad) is empty."""
    path = write_input(tmp_path, "bom.txt", b"\xef\xbb\xbf\r\n")
    result = parse_file(path, "bom.txt")
    assert [i.format("bom.txt") for i in result.issues] == ["bom.txt: error: empty file"]


def test_truncated_inside_a_character_one_error_line(tmp_path):
    """Cut inside a two-byte 'æ' before any byte Windows-1252 cannot decode: still UTF-8."""
    raw = S2023.read_bytes()
    lines = raw.split(b"\n")
    assert lines[220] == "Beskæftigelses- og Socialudvalget godkender indstillingen.".encode()
    cut = len(b"\n".join(lines[:220])) + 1 + len(b"Besk") + 1  # first byte of the two-byte "æ"
    path = write_input(tmp_path, "truncated.txt", raw[:cut])
    parsed = parse_file(path, "truncated.txt")
    assert "encoding-cp1252" not in [i.code for i in parsed.issues]
    res = run_cli("build", "-q", str(path), str(S2021), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    errors = res.stderr.splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith("truncated.txt:221: error: "), errors


def test_readme_quoting_a_title_line_one_error_line(tmp_path):
    """A failed file gets one line: its error (not its 'header line not understood' warnings)."""
    path = write_input(tmp_path, "README.md", README_QUOTING.encode())
    res = run_cli("build", "-q", str(path), str(S2021), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    assert res.stderr.splitlines() in (
        ["README.md:12: error: no agenda items ('Punkt N:' headings) found"],
        [f"README.md:1: error: {NOT_MINUTES}"],
    )
