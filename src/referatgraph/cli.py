"""Command line: thin wrappers over the pipeline; the only place errors become messages.

Exit codes (every command): 0 success / conforms, 1 some input failed or the data does not
conform, 2 usage or unexpected error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .commands import COMMANDS, release_options
from .errors import ReferatgraphError
from .iris import DEFAULT_BASE_IRI
from .model import Severity, to_dict
from .parse import parse_file
from .pipeline import MINUTES_SUFFIXES, build_files, discover
from .validate import RDF_SUFFIXES, Report, load_graph, validate_graph

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="referatgraph")
def main() -> None:
    """Danish committee minutes (referater) as validated, standards-aligned linked open data."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("output"), show_default=True, help="Release directory.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base of every data IRI (end it with '/').")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary, no progress bar.")
@click.option("--engine", type=click.Choice(["turbo", "pyshacl"]), default="turbo", show_default=True,
              help="SHACL engine: pyshacl-turbo (fast; differential-tested against pySHACL) or pySHACL (the reference).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes converting documents at once; 0: one per CPU from 8 files on. Same output whatever the number.")
@release_options
def build(inputs: tuple[Path, ...], out: Path, base_iri: str, quiet: bool, engine: str, jobs: int, release_config=None) -> None:
    """Convert minutes files or folders (default: the bundled sample corpus) to a dataset.

    Parses, maps, validates and writes OUT/dataset.ttl, OUT/dataset.jsonld (+ context.jsonld),
    one Turtle and one JSON-LD file per meeting in OUT/meetings/, and OUT/report.json.
    Exit 0 only when every file converted and the data conforms to the shapes.
    """
    files = discover(inputs)
    if not files:
        _fail(f"no minutes files ({', '.join(MINUTES_SUFFIXES)}) in {', '.join(map(str, inputs))}")
    try:
        if quiet or len(files) < 2:
            result = build_files(files, out, base_iri, release_config=release_config, engine=engine, jobs=jobs)
        else:
            with click.progressbar(length=len(files), label="Converting", file=sys.stderr, show_pos=True) as bar:
                result = build_files(files, out, base_iri, progress=lambda _: bar.update(1), release_config=release_config, engine=engine, jobs=jobs)
    except (ReferatgraphError, ValueError) as exc:
        _fail(str(exc))
    _summary(result)
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


def _summary(result) -> None:
    echo = click.echo
    converted = sum(1 for f in result.files if f.status == "converted")
    invalid = sum(1 for f in result.files if f.status == "invalid")
    failed = sum(1 for f in result.files if f.status == "failed")
    items = sum(f.items for f in result.files)
    warnings = sum(1 for f in result.files if f.status != "failed" for i in f.issues if i.severity is Severity.WARNING)
    violations = sum(1 for f in result.files for r in f.results if r.severity == "Violation")
    if result.shared:
        violations += len(result.shared.violations)
    for f in result.files:
        for i in f.issues:
            if i.severity is Severity.ERROR:
                echo(i.format(f.file), err=True)
    shown = 0
    for f in result.files:
        if f.status == "failed":
            continue  # one line for a failed file: its error; the rest is in report.json
        for i in f.issues:
            if i.severity is Severity.WARNING and shown < 8:
                echo(i.format(f.file), err=True)
                shown += 1
    if warnings > shown:
        echo(f"… {warnings - shown} more warnings in {result.out / 'report.json'}", err=True)
    for w in result.link_warnings:
        echo(f"warning: links across meetings: {w}", err=True)
    warnings += len(result.link_warnings)
    for f in result.files:
        for r in f.results[:5]:
            if r.severity == "Violation":
                echo(r.format(), err=True)
    echo("")
    echo(f"referatgraph {__version__}")
    echo(f"  files       {len(result.files)}: {converted} converted, {invalid} not conforming, {failed} failed")
    echo(f"  meetings    {converted + invalid}")
    echo(f"  items       {items}")
    echo(f"  triples     {result.triples:,}")
    echo(f"  warnings    {warnings}")
    echo(f"  shapes      {'conforms' if result.conforms else f'{violations} violations'}")
    meeting_files = result.written.get("meetings", 0)
    echo(f"  output      {result.out}/ ({sum(result.written.values())} files): dataset.ttl, dataset.jsonld, meetings/ ({meeting_files} files), report.json")
    echo("  status      " + ("OK" if result.ok else "FAILED (exit 1)"))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the document model as plain JSON.")
def parse(file: Path, as_json: bool) -> None:
    """Parse one minutes FILE and print its document model (the debugging view)."""
    result = parse_file(file, str(file))
    if as_json:
        doc = {
            "meeting": to_dict(result.meeting) if result.meeting else None,
            "issues": [to_dict(i) for i in result.issues],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        m = result.meeting
        if m:
            click.echo(f"{m.committee} {m.date} {m.start_time or ''} {m.place or ''}".rstrip())
            for it in m.items:
                ct = it.case_type.value if it.case_type else "-"
                cn = it.case_number.text if it.case_number else "-"
                oc = it.decision.outcome.value if it.decision and it.decision.outcome else "-"
                click.echo(f"  {it.number:>3} {ct} {cn:<22} {oc:<11} {it.title}")
        for i in result.issues:
            click.echo(i.format(str(file)), err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


@main.command()
@click.argument("data", nargs=-1, type=click.Path(path_type=Path))
def validate(data: tuple[Path, ...]) -> None:
    """SHACL-validate a built dataset (default: ./output) or the graph built from minutes files.

    DATA may be a release directory (each meetings/*.ttl is validated on its own), RDF files
    (.ttl .nt .jsonld .nq .trig, validated together) or minutes files (.txt .md, converted
    first). Prints one line per result: source file:line, focus node, path, message.
    Exit 0 conforms, 1 does not conform, 2 error.
    """
    from .iris import Minter
    from .map import concept_triples, meeting_triples
    from .validate import to_rdflib, validate_triples

    data = data or (Path("output"),)
    reports: list[Report] = []
    rdf_files: list[Path] = []
    try:
        for d in data:
            if not d.exists() and d.suffix.lower() not in MINUTES_SUFFIXES:
                _fail(f"{d}: no such file")
            if d.is_dir() and (d / "meetings").is_dir():
                rdf_files.extend(sorted((d / "meetings").glob("*.ttl")))
                if not rdf_files:
                    _fail(f"{d}: no meetings/*.ttl in this release directory")
                for f in rdf_files:
                    g = load_graph([f]) + to_rdflib(concept_triples())
                    reports.append(validate_graph(g))
                rdf_files = []
            elif d.suffix.lower() in RDF_SUFFIXES:
                rdf_files.append(d)
            elif d.suffix.lower() in MINUTES_SUFFIXES or d.is_dir():
                for path, display in discover([d]):
                    parsed = parse_file(path, display)
                    for i in parsed.issues:
                        if i.severity is Severity.ERROR:
                            click.echo(i.format(display), err=True)
                    if not parsed.ok:
                        sys.exit(EXIT_ERROR)
                    reports.append(validate_triples(meeting_triples(parsed.meeting, Minter()) + list(concept_triples())))
            else:
                _fail(f"{d}: not a release directory, RDF file or minutes file")
        if rdf_files:
            reports.append(validate_graph(load_graph(rdf_files) + to_rdflib(concept_triples())))
    except FileNotFoundError as exc:
        _fail(f"{exc.filename}: no such file")
    except (ReferatgraphError, ValueError, SyntaxError) as exc:
        _fail(str(exc))
    results = [r for rep in reports for r in rep.results]
    for r in results:
        click.echo(r.format())
    conforms = all(rep.conforms for rep in reports)
    n_viol = sum(1 for r in results if r.severity == "Violation")
    click.echo(f"{'Conforms' if conforms else 'Does not conform'}: {len(reports)} graph(s), {n_viol} violation(s), {len(results) - n_viol} warning(s)/info(s)")
    sys.exit(EXIT_OK if conforms else EXIT_FAILED)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(inputs: tuple[Path, ...], fmt: str) -> None:
    """How much of each file's decisions was understood (default: the sample corpus).

    Per file: agenda items, decision sentences, how many were recognised (outcome, vote,
    amendment, absence, request, …) and the coverage; the sentences not understood are listed
    with their line. Phrasing differs between municipalities and years: this shows where.
    """
    rows = []
    for path, display in discover(inputs):
        result = parse_file(path, display)
        sentences = [(it.number, s) for it in (result.meeting.items if result.meeting else ()) if it.decision for s in it.decision.sentences]
        understood = sum(1 for _, s in sentences if s.kind != "unknown")
        rows.append({
            "file": display,
            "status": "ok" if result.ok else "failed",
            "items": len(result.meeting.items) if result.meeting else 0,
            "decision_sentences": len(sentences),
            "understood": understood,
            "coverage": round(understood / len(sentences), 3) if sentences else None,
            "not_understood": [{"item": n, "line": s.span.first, "text": s.text} for n, s in sentences if s.kind == "unknown"],
        })
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max([len(r["file"]) for r in rows] + [4])
        click.echo(f"{'file':<{width}}  items  sentences  understood  coverage")
        for r in rows:
            cov = "-" if r["coverage"] is None else f"{100 * r['coverage']:.1f} %"
            click.echo(f"{r['file']:<{width}}  {r['items']:>5}  {r['decision_sentences']:>9}  {r['understood']:>10}  {cov:>8}")
            for u in r["not_understood"]:
                click.echo(f"  {r['file']}:{u['line']}: item {u['item']}: {u['text']}")
    sys.exit(EXIT_OK if all(r["status"] == "ok" for r in rows) else EXIT_FAILED)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


for _command in COMMANDS:  # publish, load, query, serve, push (commands.py)
    main.add_command(_command)

from .cli_links import case as _case
from .cli_links import group as _group
from .cli_links import kle as _kle

main.add_command(_case)
main.add_command(_group)
main.add_command(_kle)
