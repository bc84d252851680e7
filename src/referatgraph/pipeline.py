"""The whole pipeline for a set of files: read → segment → parse → map → validate → publish.

:func:`build` is what ``referatgraph build`` runs. Each file is converted on its own: a file
that fails is reported and the others still publish. Each meeting is validated on its own
(linear cost), and the resources that link meetings (committees, cases) once more on the
merged shared graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .describe import ReleaseConfig
from .iris import DEFAULT_BASE_IRI, Minter
from .link import Linker
from .map import concept_triples, meeting_triples
from .model import Issue, ParseResult, Severity
from .parse import parse_file
from .publish import Release
from .validate import Report, Result, validate_triples
from .vocab import CONCEPTS_BASE, DCT, REPO

#: The bundled sample corpus, converted when ``build`` is given no input.
SAMPLE_CORPUS = REPO / "examples" / "odense"
MINUTES_SUFFIXES = (".txt", ".md", ".markdown", ".text")


@dataclass
class FileOutcome:
    """What became of one input file."""

    file: str
    status: str = "failed"  # "converted" | "invalid" (published, does not conform) | "failed"
    meeting: str | None = None
    items: int = 0
    triples: int = 0
    issues: list[Issue] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "meeting": self.meeting,
            "items": self.items,
            "triples": self.triples,
            "issues": [
                {"severity": i.severity.value, "code": i.code, "line": i.line, "message": i.message, "text": i.text}
                for i in self.issues
            ],
            "validation": [r.__dict__ for r in self.results],
        }


@dataclass
class BuildResult:
    out: Path
    files: list[FileOutcome]
    shared: Report | None = None
    triples: int = 0
    written: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status != "converted"]

    @property
    def conforms(self) -> bool:
        return all(f.status != "invalid" for f in self.files) and (self.shared is None or self.shared.conforms)

    @property
    def ok(self) -> bool:
        return bool(self.files) and not self.failed and self.conforms

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.files for i in f.issues if i.severity is severity)


def discover(inputs: Iterable[str | Path] | None) -> list[tuple[Path, str]]:
    """Minutes files named by ``inputs`` (files, or folders searched recursively), sorted.

    With no inputs, the bundled sample corpus. Returns (path, display name); the display name
    is stable wherever the command runs: the file name for a file given directly,
    ``folder/relative/path`` for a file found in a folder.
    """
    found: dict[str, Path] = {}
    for raw in inputs or [SAMPLE_CORPUS]:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in MINUTES_SUFFIXES:
                    found[f"{p.resolve().name}/{f.relative_to(p).as_posix()}"] = f
        else:
            found[p.name] = p  # a missing file is reported by the reader
    return [(found[k], k) for k in sorted(found)]


def build(
    inputs: Iterable[str | Path] | None,
    out: str | Path = "output",
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Callable[[str], None] | None = None,
    release_config: ReleaseConfig | None = None,
    engine: str = "turbo",
) -> BuildResult:
    """Convert minutes files or folders (default: the sample corpus) to a dataset in ``out``.

    ``engine``: the SHACL engine, "turbo" (pyshacl-turbo, default) or "pyshacl" (the reference).
    """
    return build_files(discover(inputs), out, base_iri, progress, release_config, engine)


def build_files(
    files: list[tuple[Path, str]],
    out: str | Path = "output",
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Callable[[str], None] | None = None,
    release_config: ReleaseConfig | None = None,
    engine: str = "turbo",
) -> BuildResult:
    """Convert the given (path, display name) files; never raises for bad input."""
    minter = Minter(base_iri)
    release = Release(Path(out), minter.prefixes(), release_config)
    concepts = list(concept_triples())
    # Resources that several meetings share: written once in the dataset files, and repeated in
    # every meeting file that uses them, so that a meeting file is self-contained (the concept
    # schemes included).
    shared_kinds = ("body", "case", "place", "person", "party", "role", "membership")
    shared_ns = tuple(minter.namespace(k) for k in shared_kinds) + (
        minter.software().value,
        CONCEPTS_BASE,
    )
    linker = Linker(minter)  # links within and across meetings (link.py); timelines at the end
    shared_ns += linker.shared_namespaces()
    result = BuildResult(Path(out), [])
    seen: dict[str, str] = {}
    meeting_dates: list = []
    try:
        for path, display in files:
            outcome = FileOutcome(display)
            result.files.append(outcome)
            parsed: ParseResult = parse_file(path, display)
            outcome.issues = list(parsed.issues)
            if progress:
                progress(display)
            if not parsed.ok:
                continue
            meeting = parsed.meeting
            key = minter.meeting_key(meeting.committee, meeting.date)
            if key in seen:
                outcome.issues.append(
                    Issue(Severity.ERROR, "meeting-duplicate", f"the same meeting ({meeting.committee}, {meeting.date}) was already converted from {seen[key]}", meeting.span.first)
                )
                continue
            seen[key] = display
            triples = linker.extend(meeting, meeting_triples(meeting, minter))
            report = validate_triples(triples + concepts, engine)
            outcome.results = list(report.results)
            outcome.meeting = minter.meeting(meeting.committee, meeting.date).value
            outcome.items = len(meeting.items)
            outcome.triples = len(triples)
            outcome.status = "converted" if report.conforms else "invalid"
            release.add_meeting(key, triples + concepts, lambda s: s.value.startswith(shared_ns) or s in linker.stubs)
            meeting_dates.extend(t for t in triples if t.subject.value == outcome.meeting and t.predicate == DCT.date)
        release.shared.update(linker.finish())
        # A meeting referred to by date is published with its date and committee (a stub) so
        # that the link can be checked; when that meeting was converted too, its own part says
        # the same: keep it once.
        converted = {f.meeting for f in result.files if f.meeting}
        release.shared.difference_update([t for t in release.shared if t.subject.value in converted])
        if release.shared:
            # The shared resources once more, merged across meetings (with each meeting's
            # date, which a cross-meeting rule needs: one party per person and meeting date).
            result.shared = validate_triples(list(release.shared) + meeting_dates, engine)
        result.triples = sum(release.own_counts.values()) + len(release.shared)
        report = {
            "tool": f"referatgraph {__version__}",
            "base_iri": base_iri,
            "shacl_engine": engine,
            "files": [f.to_dict() for f in result.files],
            "shared_validation": [r.__dict__ for r in (result.shared.results if result.shared else ())],
            "triples": result.triples,
        }
        result.written = release.finish(report)
    except BaseException:
        release.abort()
        raise
    return result
