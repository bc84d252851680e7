"""The whole pipeline for a set of files: read → segment → parse → map → validate → publish.

:func:`build` is what ``referatgraph build`` runs. Each file is converted on its own, by a
:class:`Converter` (read, parse, map, link, validate, render its part of the release), in a
worker process from 8 files on (``jobs``): a file that fails is reported and the others still
publish. The build's process takes the converted documents in input order, so the output is the
same bytes whatever the number of workers. Each meeting is validated on its own (linear cost),
and the resources that link meetings (committees, cases, persons …) once more, merged.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from . import __version__
from .describe import ReleaseConfig
from .iris import DEFAULT_BASE_IRI, Minter
from .link import SHARED_KINDS as LINK_SHARED_KINDS
from .link import Linker, TimelineEntry, link_meeting, with_links
from .map import concept_triples, meeting_triples, sort_key
from .model import Issue, ParseResult, Severity
from .parse import parse_file
from .publish import MeetingRelease, Release, Spool, base_of, render_meeting
from .sharedstore import SharedStore
from .site import Site
from .validate import Report, Result, validate_triples
from .validate_shared import validate_store
from .vocab import CONCEPTS_BASE, DCT, PREFIXES, REPO

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
    #: How many files each top-level folder or file of ``out`` got ("meetings": 6, "dataset.ttl": 1 …).
    written: dict[str, int] = field(default_factory=dict)
    #: What the links across meetings could not decide (e.g. a group reported on under another
    #: journal number whose evidence points to two groups): warnings, in report.json too.
    link_warnings: list[str] = field(default_factory=list)
    #: Wall-clock seconds of the build's phases: "convert" (every document), "shared" (the
    #: shared resources and their validation), "finish" (the release files). Not published.
    timings: dict[str, float] = field(default_factory=dict)

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
    jobs: int = 0,
) -> BuildResult:
    """Convert minutes files or folders (default: the sample corpus) to a dataset in ``out``.

    ``engine``: the SHACL engine, "turbo" (pyshacl-turbo, default) or "pyshacl" (the reference).
    ``jobs``: processes converting documents at once (0: one per CPU for 8 files or more). The
    output is the same bytes whatever the number.
    """
    return build_files(discover(inputs), out, base_iri, progress, release_config, engine, jobs)


#: Kinds of resource that several meetings share: published once in the dataset files, and
#: repeated in every meeting file that uses them, so that a meeting file is self-contained.
SHARED_KINDS = ("body", "case", "place", "person", "party", "role", "membership")


@dataclass
class Converted:
    """One document converted (in a worker process): what :func:`build_files` needs of it."""

    outcome: FileOutcome
    key: str | None = None
    release: MeetingRelease | None = None
    treatments: list[TimelineEntry] = field(default_factory=list)
    dates: list[Triple] = field(default_factory=list)  # the meeting's dct:date (shared validation)
    meeting: str = ""  # "committee, date", for messages
    line: int | None = None  # where the meeting starts


class Converter:
    """Converts one document: read, parse, map, link, validate, render its release parts.

    Holds what every document of a build uses (the IRI minter, the concept schemes, the compiled
    shapes, the page templates); one per process.
    """

    def __init__(self, base_iri: str, engine: str, work: Path):
        self.work = work  # the release's work folder: each document's files go to parts/N/
        self.minter = Minter(base_iri)
        self.engine = engine
        self.concepts = list(concept_triples())
        self.shared_ns = tuple(self.minter.namespace(k) for k in (*SHARED_KINDS, *LINK_SHARED_KINDS)) + (
            self.minter.software().value, CONCEPTS_BASE)
        prefixes = {**PREFIXES, **self.minter.prefixes()}
        self.site = Site(None, base_of(prefixes), prefixes)
        self.spool: Spool | None = None  # made at the first document, in the process converting it

    def __call__(self, n: int, path: Path, display: str) -> Converted:
        """Convert the ``n``-th document of the build."""
        outcome = FileOutcome(display)
        parsed: ParseResult = parse_file(path, display)
        outcome.issues = list(parsed.issues)
        if not parsed.ok:
            return Converted(outcome)
        meeting, minter = parsed.meeting, self.minter
        key = minter.meeting_key(meeting.committee, meeting.date)
        found = link_meeting(meeting, minter)
        triples = with_links(meeting_triples(meeting, minter, ordered=False), found)
        report = validate_triples(triples + self.concepts, self.engine)
        outcome.results = list(report.results)
        outcome.meeting = minter.meeting(meeting.committee, meeting.date).value
        outcome.items = len(meeting.items)
        outcome.triples = len(triples)
        outcome.status = "converted" if report.conforms else "invalid"
        if self.spool is None:
            self.spool = Spool(self.work / f"spool-{os.getpid()}")
        stubs = found.stubs
        shared_ns = self.shared_ns
        part = render_meeting(key, sorted(triples + self.concepts, key=sort_key),
                              lambda s: s.value.startswith(shared_ns) or s in stubs, self.site, self.work / "parts" / f"{n:07d}",
                              self.spool)
        dates = [t for t in triples if t.subject.value == outcome.meeting and t.predicate == DCT.date]
        return Converted(outcome, key, part, found.treatments, dates, f"{meeting.committee}, {meeting.date}", meeting.span.first)


_converter: Converter | None = None


def _start_worker(base_iri: str, engine: str, work: Path) -> None:
    global _converter
    _converter = Converter(base_iri, engine, work)


def _convert_in_worker(n: int, path: Path, display: str) -> Converted:
    return _converter(n, path, display)


def _validate_shared(store: str, engine: str) -> Report:
    """In a worker: the shared resources of the build's store (with the meetings' dates), in
    parts (:func:`~referatgraph.validate_shared.validate_store`)."""
    shared = SharedStore(Path(store), readonly=True)
    try:
        return validate_store(shared, engine)
    finally:
        shared.close()


def _pool(jobs: int, base_iri: str, engine: str, work: Path):
    """Worker processes, each with its :class:`Converter` (None for ``jobs`` 1: this process)."""
    if jobs <= 1:
        return contextlib.nullcontext(None)
    # fork where there is one (Linux): workers start at once and a script calling build() needs
    # no ``if __name__ == "__main__"`` guard. The build's process has no other threads then.
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(base_iri, engine, work))


def _converted(files: list[tuple[Path, str]], pool, convert: Callable[[int, Path, str], Converted],
               jobs: int) -> Iterator[Converted]:
    """The documents converted, in the order given: by ``convert`` in this process, or in the
    pool's workers with at most four documents per worker in flight (memory stays flat). With
    two, a worker that had finished the small meetings queued to it waited for the other's large
    one to be taken in order: 0.1 s of idle workers in a build of 25."""
    if pool is None:
        for n, (path, display) in enumerate(files):
            yield convert(n, path, display)
        return
    pending: deque = deque()
    try:
        for n, (path, display) in enumerate(files):
            pending.append(pool.submit(_convert_in_worker, n, path, display))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def default_jobs(files: int) -> int:
    """Worker processes for a build of ``files`` documents: one per usable CPU, none (work in
    this process) below 8 documents, where starting workers costs more than it saves."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if files < 8 else max(1, min(cpus, files))


def build_files(
    files: list[tuple[Path, str]],
    out: str | Path = "output",
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Callable[[str], None] | None = None,
    release_config: ReleaseConfig | None = None,
    engine: str = "turbo",
    jobs: int = 0,
) -> BuildResult:
    """Convert the given (path, display name) files; never raises for bad input."""
    minter = Minter(base_iri)
    release = Release(Path(out), minter.prefixes(), release_config)
    linker = Linker(minter, release.work / "treatments.sqlite")  # the timelines of cases across meetings, at the end (link.py)
    result = BuildResult(Path(out), [])
    jobs = jobs or default_jobs(len(files))
    try:
        with _pool(jobs, base_iri, engine, release.work) as pool:
            convert = Converter(base_iri, engine, release.work) if pool is None else None
            result.written = _build(_converted(files, pool, convert, jobs), pool, jobs, release, linker, result,
                                    engine, base_iri, progress)
    except BaseException:
        release.abort()
        raise
    return result


def _build(converted: Iterator[Converted], pool, jobs: int, release: Release, linker: Linker, result: BuildResult,
           engine: str, base_iri: str, progress: Callable[[str], None] | None) -> dict[str, int]:
    """The build proper: take each converted document in order, then the shared resources,
    their validation and the release's files."""
    seen: dict[str, str] = {}
    clock = time.perf_counter()
    for done in converted:
        outcome = done.outcome
        result.files.append(outcome)
        if progress:
            progress(outcome.file)
        if done.key is None:
            continue
        if done.key in seen:
            result.files[-1] = FileOutcome(outcome.file, issues=outcome.issues + [Issue(
                Severity.ERROR, "meeting-duplicate",
                f"the same meeting ({done.meeting}) was already converted from {seen[done.key]}", done.line)])
            continue
        seen[done.key] = outcome.file
        release.add(done.release)
        linker.add(done.treatments)
        release.shared.add_context(done.dates)  # for the shared validation (below)
    result.timings["convert"] = time.perf_counter() - clock
    clock = time.perf_counter()
    release.shared.add(linker.finish(), from_meeting=False)
    result.link_warnings = list(linker.ambiguous)
    linker.close()
    # A meeting referred to by date is published with its date and committee (a stub) so
    # that the link can be checked; when that meeting was converted too, its own part says
    # the same: keep it once.
    release.shared.remove_subjects(f.meeting for f in result.files if f.meeting)
    shared_check = None
    if len(release.shared):
        # The shared resources once more, merged across meetings (with each meeting's
        # date, which a cross-meeting rule needs: one party per person and meeting date), in
        # parts of bounded size; in a worker while this process writes the release.
        release.shared.commit()
        shared_check = (pool.submit(_validate_shared, str(release.shared.path), engine) if pool is not None
                        else validate_store(release.shared, engine))
    result.triples = sum(release.own_counts.values()) + len(release.shared)

    def report() -> dict:
        """What report.json says (asked for when the release is written)."""
        if shared_check is not None:
            result.shared = shared_check if isinstance(shared_check, Report) else shared_check.result()
        return {
            "tool": f"referatgraph {__version__}",
            "base_iri": base_iri,
            "shacl_engine": engine,
            "files": [f.to_dict() for f in result.files],
            "shared_validation": [r.__dict__ for r in (result.shared.results if result.shared else ())],
            "link_warnings": result.link_warnings,
            "triples": result.triples,
        }

    result.timings["shared"] = time.perf_counter() - clock
    clock = time.perf_counter()
    written = release.finish(report, pool.submit if pool is not None else None, jobs)
    result.timings["finish"] = time.perf_counter() - clock
    return written
