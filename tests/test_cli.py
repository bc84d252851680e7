"""The command line: parse, build, validate, on the real sample corpus.

Exit codes (every command): 0 success / conforms, 1 some input failed or the data does not
conform, 2 usage or unexpected error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner

from referatgraph import __version__
from referatgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "odense"
SAMPLES = sorted(CORPUS.glob("*.txt"))
S2023 = CORPUS / "000_83328fd846afc9b6.txt"
EXPECTED = ROOT / "tests" / "expected"

KEYS = [
    "beskaeftigelses-og-socialudvalget-2021-02-02",
    "beskaeftigelses-og-socialudvalget-2023-01-17",
    "beskaeftigelses-og-socialudvalget-2024-06-25",
]
KEY2023 = KEYS[1]
BASE = "https://referatgraph.example/id/"
ITEM3 = f"{BASE}item/{KEY2023}-3"
#: The files every release has (it may hold more: pages, other serialisations).
RELEASE_CORE = {"context.jsonld", "dataset.jsonld", "dataset.ttl", "report.json"}
MEETING_FILES = {f"{k}.{ext}" for k in KEYS for ext in ("ttl", "jsonld")}
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SCHEMA = rdflib.Namespace("http://schema.org/")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="referatgraph")


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The sample corpus built once into a fresh directory (read-only for the tests)."""
    out = tmp_path_factory.mktemp("release")
    res = run("build", CORPUS, "--out", out)
    assert res.exit_code == 0, res.output
    return out


def copy_release(release: Path, dest: Path) -> Path:
    for rel, data in files(release).items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    return dest


# --- help and version -----------------------------------------------------------------------


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS], ids=["main"] + COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(command, flag):
    res = run(*command, flag)
    assert res.exit_code == 0, res.output
    usage = res.stdout.splitlines()[0]
    assert usage.startswith(" ".join(["Usage: referatgraph", *command]))


def test_help_lists_the_commands():
    res = run("--help")
    commands = res.stdout.split("\nCommands:\n", 1)[1]
    names = re.findall(r"^  (\w+)\s", commands, re.MULTILINE)
    assert names == COMMANDS
    assert {"build", "parse", "validate"} <= set(names)


def test_version():
    res = run("--version")
    assert res.exit_code == 0
    assert res.stdout == f"referatgraph, version {__version__}\n"


def test_unknown_command_is_a_usage_error():
    res = run("convert", S2023)
    assert res.exit_code == 2
    assert "No such command 'convert'" in res.stderr


# --- parse ----------------------------------------------------------------------------------


def headings_in(path: Path) -> list[tuple[int, str]]:
    """Item numbers and titles read straight from the document's 'Punkt N:' heading lines."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = re.fullmatch(r"(?:#+ )?(?:\*\*)?Punkt (\d+): (?:[BCD]-[sS]ag: )?(.*?)(?:\*\*)?", line)
        if m:
            out.append((int(m[1]), m[2]))
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_parse_json(sample):
    res = run("parse", sample, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == {"meeting", "issues"}
    items = doc["meeting"]["items"]
    assert [(it["number"], it["title"]) for it in items] == headings_in(sample)
    expected = json.loads((EXPECTED / f"{sample.stem}.json").read_text(encoding="utf-8"))
    assert [(it["number"], it["title"]) for it in items] == [(e["number"], e["title"]) for e in expected["items"]]
    assert [it["span"]["first"] for it in items] == [e["heading_line"] for e in expected["items"]]
    assert doc["meeting"]["source"]["file_name"] == sample.name
    assert all(i["severity"] != "error" for i in doc["issues"])


def test_parse_json_2023_exact_header():
    doc = json.loads(run("parse", S2023, "--json").stdout)
    m = doc["meeting"]
    assert (m["committee"], m["date"], m["start_time"], m["weekday"], m["place"], m["online"]) == (
        "Beskæftigelses- og Socialudvalget",
        "2023-01-17",
        "08:30:00",
        "Tirsdag",
        "Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C",
        False,
    )
    assert m["electoral_period"] == [2022, 2025]
    assert m["items"][2]["case_number"] == {
        "text": "15.40.00-A00-5-22",
        "scheme": "kle",
        "kle_topic": "15.40.00",
        "kle_facet": "A00",
        "serial": 5,
        "year": 2022,
    }
    assert doc["issues"] == []


def test_parse_text_view():
    res = run("parse", S2023)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "Beskæftigelses- og Socialudvalget 2023-01-17 08:30:00 Udvalgsværelset, stuen, Skulkenborg 1, 5000 Odense C"
    assert len(lines) == 9
    assert lines[3].split(None, 4) == [
        "3", "B", "15.40.00-A00-5-22", "approved",
        'Udmøntning af Budget 2023: "Flere odenseanere med indvandrerbaggrund i arbejde"',
    ]
    assert lines[2].split(None, 4)[:4] == ["2", "-", "27.03.00-Ø00-57-22", "recommended"]
    assert res.stderr == ""


def test_parse_missing_file():
    res = run("parse", "/nonexistent/minutes.txt")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == ["/nonexistent/minutes.txt: error: cannot read file: No such file or directory"]


# --- build ----------------------------------------------------------------------------------


def test_build_sample_corpus(tmp_path):
    out = tmp_path / "out"
    res = run("build", CORPUS, "--out", out)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert "  files       3: 3 converted, 0 not conforming, 0 failed" in lines
    assert "  meetings    3" in lines
    assert "  items       28" in lines  # 8 + 16 + 4
    assert "  shapes      conforms" in lines
    assert "  status      OK" in lines
    assert f"referatgraph {__version__}" in lines
    assert RELEASE_CORE <= set(files(out))
    assert {p.name for p in (out / "meetings").iterdir()} == MEETING_FILES  # 3 .ttl, 3 .jsonld
    assert [p for p in files(out) if any(part.startswith(".") for part in p.split("/"))] == []

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(f["file"], f["status"], f["items"]) for f in report["files"]] == [
        ("odense/000_83328fd846afc9b6.txt", "converted", 8),
        ("odense/001_89e122cf77fe0064.txt", "converted", 16),
        ("odense/004_22c6d353a3b71871.txt", "converted", 4),
    ]
    assert report["tool"] == f"referatgraph {__version__}"


def test_build_without_inputs_converts_the_sample_corpus(tmp_path):
    out = tmp_path / "out"
    res = run("build", "--quiet", "--out", out)
    assert res.exit_code == 0, res.output
    assert "  files       3: 3 converted, 0 not conforming, 0 failed" in res.stdout.splitlines()
    assert {p.name for p in (out / "meetings").iterdir()} == MEETING_FILES


def test_build_output_reads_back(release):
    whole = rdflib.Graph().parse(release / "dataset.ttl", format="turtle")
    assert len(whole) > 0
    per_meeting = rdflib.Graph()
    for k in KEYS:
        g = rdflib.Graph().parse(release / "meetings" / f"{k}.ttl", format="turtle")
        g2 = rdflib.Graph().parse(release / "meetings" / f"{k}.jsonld", format="json-ld")
        assert rdflib.compare.isomorphic(g, g2), k
        per_meeting += g
    assert set(per_meeting) <= set(whole)
    dataset_jsonld = rdflib.Graph().parse(release / "dataset.jsonld", format="json-ld")
    assert rdflib.compare.isomorphic(whole, dataset_jsonld)
    doc = json.loads((release / "dataset.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "context.jsonld"


def test_build_twice_same_bytes(tmp_path, release):
    """Rebuild into the same directory and into another one: every file byte-identical."""
    first = files(release)
    again = copy_release(release, tmp_path / "again")
    res = run("build", "-q", CORPUS, "--out", again)
    assert res.exit_code == 0
    assert files(again) == first
    other = tmp_path / "other"
    res = run("build", "-q", CORPUS, "--out", other)
    assert res.exit_code == 0
    assert files(other) == first


def test_build_same_bytes_across_processes(tmp_path, release):
    """Nothing depends on the process: other hash seeds, other working directory."""
    first = files(release)
    for seed in ("1", "4242"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", "from referatgraph.cli import main; main()",
             "build", "-q", str(CORPUS), "--out", str(out)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert files(out) == first, seed


def test_build_removes_meetings_no_longer_built(tmp_path, release):
    out = copy_release(release, tmp_path / "out")
    res = run("build", "-q", CORPUS / "004_22c6d353a3b71871.txt", "--out", out)
    assert res.exit_code == 0
    assert sorted(p.name for p in (out / "meetings").iterdir()) == [f"{KEYS[0]}.jsonld", f"{KEYS[0]}.ttl"]


def test_build_folder_without_minutes(tmp_path):
    (tmp_path / "empty").mkdir()
    res = run("build", tmp_path / "empty", "--out", tmp_path / "out")
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [f"error: no minutes files (.txt, .md, .markdown, .text) in {tmp_path / 'empty'}"]


def test_build_bad_base_iri(tmp_path):
    res = run("build", S2023, "--out", tmp_path / "out", "--base-iri", "not an iri")
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == "error: base IRI must be an http(s) IRI ending in '/' or '#': 'not an iri'"


def test_build_out_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a directory")
    res = run("build", S2023, "--out", blocker)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1].startswith(f"error: {blocker}: cannot write output directory")


# --- validate -------------------------------------------------------------------------------


def test_validate_release(release):
    res = run("validate", release)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["Conforms: 3 graph(s), 0 violation(s), 0 warning(s)/info(s)"]


@pytest.mark.parametrize("name", ["dataset.ttl", "dataset.jsonld", f"meetings/{KEY2023}.ttl"])
def test_validate_rdf_file(release, name):
    res = run("validate", release / name)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["Conforms: 1 graph(s), 0 violation(s), 0 warning(s)/info(s)"]


def test_validate_minutes_file():
    res = run("validate", S2023)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["Conforms: 1 graph(s), 0 violation(s), 0 warning(s)/info(s)"]


def edit_meeting(release: Path, dest: Path, change) -> Path:
    """Copy the release, load the 2023 meeting Turtle, change the graph, write it back."""
    out = copy_release(release, dest)
    ttl = out / "meetings" / f"{KEY2023}.ttl"
    g = rdflib.Graph().parse(ttl, format="turtle")
    change(g)
    g.serialize(destination=ttl, format="turtle")
    return out


def test_validate_item_without_title(tmp_path, release):
    item = rdflib.URIRef(ITEM3)

    def drop_titles(g):
        assert len(list(g.objects(item, DCT.title))) == 1
        g.remove((item, DCT.title, None))

    out = edit_meeting(release, tmp_path / "out", drop_titles)
    res = run("validate", out)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    violations = [ln for ln in lines if ": violation: " in ln]
    assert len(violations) == 1, lines
    assert violations[0].startswith(f"000_83328fd846afc9b6.txt:129: violation: <{ITEM3}> dct:title: ")
    assert lines[-1] == "Does not conform: 3 graph(s), 1 violation(s), 0 warning(s)/info(s)"

    # the file on its own gives the same line
    res = run("validate", out / "meetings" / f"{KEY2023}.ttl")
    assert res.exit_code == 1
    assert [ln for ln in res.stdout.splitlines() if ": violation: " in ln] == violations


def test_validate_item_with_two_positions(tmp_path, release):
    item = rdflib.URIRef(ITEM3)
    out = edit_meeting(
        release, tmp_path / "out", lambda g: g.add((item, SCHEMA.position, rdflib.Literal(9)))
    )
    res = run("validate", out)
    assert res.exit_code == 1
    violations = [ln for ln in res.stdout.splitlines() if ": violation: " in ln]
    assert len(violations) == 1
    assert violations[0].startswith(f"000_83328fd846afc9b6.txt:129: violation: <{ITEM3}> ")
    assert "position" in violations[0]


def test_validate_path_uses_the_data_prefix(tmp_path, release):
    item = rdflib.URIRef(ITEM3)
    out = edit_meeting(
        release, tmp_path / "out", lambda g: g.add((item, SCHEMA.position, rdflib.Literal(9)))
    )
    violations = [ln for ln in run("validate", out).stdout.splitlines() if ": violation: " in ln]
    assert violations[0].startswith(f"000_83328fd846afc9b6.txt:129: violation: <{ITEM3}> schema:position: ")


@pytest.mark.parametrize(
    ("missing", "stderr"),
    [
        ("/nonexistent/dataset.ttl", "error: /nonexistent/dataset.ttl: no such file"),
        ("/nonexistent/dataset.jsonld", "error: /nonexistent/dataset.jsonld: no such file"),
        # a minutes file is named by its file name, as in build
        ("/nonexistent/minutes.txt", "minutes.txt: error: cannot read file: No such file or directory"),
    ],
)
def test_validate_missing_path_exit_2(missing, stderr):
    res = run("validate", missing)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.splitlines() == [stderr]


def test_validate_missing_directory_exit_2():
    res = run("validate", "/nonexistent/release")
    assert res.exit_code == 2
    assert res.stdout == ""
    assert len(res.stderr.splitlines()) == 1
    assert res.stderr.startswith("error: /nonexistent/release: ")


def test_validate_default_output_missing(tmp_path, monkeypatch):
    """No argument: ./output, which does not exist here."""
    monkeypatch.chdir(tmp_path)
    res = run("validate")
    assert res.exit_code == 2
    assert res.stderr.startswith("error: output: ")


def test_validate_missing_directory_message():
    res = run("validate", "/nonexistent/release")
    assert res.stderr.splitlines() == ["error: /nonexistent/release: no such file"]


def test_validate_bad_turtle_syntax_exit_2(tmp_path, release):
    out = copy_release(release, tmp_path / "out")
    ttl = out / "meetings" / f"{KEY2023}.ttl"
    lines = ttl.read_text(encoding="utf-8").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith(f"item:{KEY2023}-3 "))
    end = next(i for i in range(k, len(lines)) if lines[i].endswith(" ."))
    lines[end] = lines[end][: -len(" .")]  # the statement is no longer closed
    ttl.write_text("\n".join(lines), encoding="utf-8")
    res = run("validate", out)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("error: ")


def test_validate_bad_turtle_syntax_names_file_and_line(tmp_path, release):
    out = copy_release(release, tmp_path / "out")
    ttl = out / "meetings" / f"{KEY2023}.ttl"
    lines = ttl.read_text(encoding="utf-8").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith(f"item:{KEY2023}-3 "))
    end = next(i for i in range(k, len(lines)) if lines[i].endswith(" ."))
    lines[end] = lines[end][: -len(" .")]
    ttl.write_text("\n".join(lines), encoding="utf-8")
    res = run("validate", out)
    errors = res.stderr.splitlines()
    assert len(errors) == 1, errors
    assert f"{KEY2023}.ttl:{end + 2}" in errors[0], errors  # the error is seen on the next line


def test_validate_bad_minutes_file_exit_2(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = run("validate", bad)
    assert res.exit_code == 2
    assert res.stderr.splitlines() == ["empty.txt: error: empty file"]


def test_build_summary_counts_meeting_files(tmp_path):
    res = run("build", "-q", CORPUS, "--out", tmp_path / "out")
    out_line = next(ln for ln in res.stdout.splitlines() if ln.startswith("  output"))
    assert "meetings/ (6 files)" in out_line


def test_build_with_worker_processes_writes_the_same_release(release, tmp_path):
    """`build --jobs 2` converts in two worker processes: the same files, byte for byte, and
    the same summary."""
    res = run("build", CORPUS, "--out", tmp_path / "out", "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert "3 converted" in res.output
    assert files(tmp_path / "out") == files(release)


def test_jobs_must_not_be_negative(tmp_path):
    res = run("build", CORPUS, "--out", tmp_path / "out", "--jobs", "-1")
    assert res.exit_code == 2 and "jobs" in res.output
