"""Stage 7 — publish: the release directory, deterministically and atomically.

Layout of a release directory (it is also the root of the browsable site: IRIs under the base
map onto its paths, see :mod:`referatgraph.site`)::

    dataset.ttl             the whole dataset (meetings in the order of the input files, then the
                            shared resources)
    dataset.nt              the same as N-Triples
    dataset.jsonld          the same as compact JSON-LD, "@context": "context.jsonld"
    dataset.framed.jsonld   the same as JSON-LD with one tree per meeting (items, sections,
                            treatments, decisions … nested inside the meeting)
    dataset.trig            one named graph per source document (graph IRI = the document's
    dataset.nq              IRI) plus one for the concept schemes: TriG and N-Quads
    context.jsonld          the JSON-LD context (so the JSON reads as plain JSON)
    meetings/KEY.ttl        one meeting, self-contained (its committee, cases, place included)
    meetings/KEY.jsonld     the same as compact JSON-LD, "@context": "../context.jsonld"
    ontology/               the ontology, the concept schemes, the SHACL shapes, and index.html:
                            their documentation
    void.ttl, catalog.ttl   the dataset description: VoID and DCAT-AP-DK (:mod:`.describe`)
    index.html, site.css    the browsable site: meeting/, item/, case/, body/, person/, party/
                            hold one page (.html) per resource with its data (.ttl, .jsonld)
    manifest.json           the named graphs (IRI, byte range in dataset.nq, SHA-256, triples):
                            what `load` and `push` replace, graph by graph
    report.json             what the build saw: per file, the issues and validation results

Same input, same bytes: triples are sorted (:func:`referatgraph.map.sort_key`), JSON keys are
sorted, nothing depends on the clock or the machine (dates of issue come from the inputs or the
configuration). Every file is written to a staging directory and renamed into place; nothing is
replaced before the whole release has been staged, and files of an earlier release that this one
no longer has (a meeting removed) are deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from pyoxigraph import Literal, NamedNode, Quad, Triple

from . import __version__, vocab
from . import jsonld as _fast  # the fast path for JSON-LD compaction; PyLD for the rest
from .describe import (
    FILE_TYPES,
    FileInfo,
    ReleaseConfig,
    Stats,
    catalog_graph,
    dataset_iri,
    namespace_of,
    void_graph,
)
from .errors import PublishError
from .iris import DEFAULT_BASE_IRI
from .jsonld import NATIVE, json_bytes
from .map import sort_key
from .memory import trim
from .ontodoc import ontology_html
from .sharedstore import SharedStore
from .site import PAGE_KINDS, Site, SiteMeeting
from .vocab import (
    CONCEPTS_BASE,
    CONCEPTS_FILE,
    ONTOLOGY_FILE,
    PREFIXES,
    RDF,
    REPO,
    SHAPES_FILE,
)

CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
_RDF_TYPE = RDF.type.value
DCT_DATE = vocab.DCT.date.value
RG_SOURCE_DOCUMENT = vocab.RG.SourceDocument.value
#: Named graph of the concept schemes; of the ontology (loaded by `load` and `push` too).
CONCEPTS_GRAPH = CONCEPTS_BASE
ONTOLOGY_GRAPH = "https://w3id.org/referatgraph/ns"
#: Graph (under the base) of the resources that meetings share (committees, cases, places,
#: persons …) and of what the pipeline adds after the meetings (links across meetings). Kept
#: out of the documents' graphs so that no triple is in two graphs: Oxigraph's union default
#: graph (like most stores') is a union of quads and would return a shared triple once per graph.
SHARED_GRAPH = "graph/shared"
#: The tree file's context: the shipped one, and the reverse of dct:subject (item → treatment).
TREE_CONTEXT = ["context.jsonld", {"treatment": {"@reverse": "http://purl.org/dc/terms/subject", "@type": "@id"}}]
#: Links along which meeting_tree does not embed (they point back, or to concepts).
NO_EMBED = {"previousItem", "previousTreatment", "meeting", "subject", "caseType", "outcome", "sectionKind",
            "upgradedTo", "language", "inScheme", "topConceptOf", "hasTopConcept"}
DUMPS = ("dataset.nt", "dataset.ttl", "dataset.nq", "dataset.trig", "dataset.jsonld", "dataset.framed.jsonld")
#: What the index page offers for download.
DOWNLOADS = ["dataset.ttl", "dataset.nt", "dataset.jsonld", "dataset.framed.jsonld", "dataset.trig", "dataset.nq", "context.jsonld"]
EXAMPLE_CLASSES = {
    "http://data.vlaanderen.be/ns/besluit#Zitting", "http://data.vlaanderen.be/ns/besluit#Agendapunt",
    "https://w3id.org/referatgraph/ns#Case", "http://data.vlaanderen.be/ns/besluit#Besluit",
}
#: Folders of a release that belong to it wholly: files there that a build did not write go.
MANAGED_FOLDERS = ("meetings", "ontology", *PAGE_KINDS)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def context() -> dict:
    """The JSON-LD context shipped with every release (``ontology/context.jsonld``)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def turtle(triples: Iterable[Triple], prefixes: dict[str, str], header: bool = True, ordered: bool = False) -> bytes:
    """Sorted Turtle (``ordered``: the triples already are in sort_key order). With
    ``header=False`` the ``@prefix`` lines are left out (for chunks)."""
    data = ox.serialize(triples if ordered else sorted(triples, key=sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return data if header else _strip_prefixes(data)


def named_graph(graph: str, triples: list[Triple], nt: bytes, ttl: bytes, prefixes: dict[str, str]) -> tuple[bytes, bytes]:
    """N-Quads and TriG (without ``@prefix`` lines) of ``triples`` in the named graph ``graph``,
    the bytes ``ox.serialize`` writes for those quads, made from the triples' N-Triples ``nt``
    and Turtle ``ttl`` (``header=False``) instead: each N-Triples line ends in " .\n" (newlines
    in literals are escaped) and gets the graph's IRI before that; a TriG graph is the Turtle
    with each line indented by a tab, between the graph's name (as Oxigraph writes it, with the
    prefixes) and "}". (tests/test_release.py compares with ``ox.serialize`` of the quads.)"""
    if not triples:
        return b"", b""
    nq = nt.replace(b" .\n", f" <{graph}> .\n".encode())
    t = triples[0]
    first = ox.serialize([Quad(t.subject, t.predicate, t.object, NamedNode(graph))], format=ox.RdfFormat.TRIG, prefixes=prefixes)
    name = _strip_prefixes(first).split(b"\n", 1)[0]  # "document:… {"
    return nq, name + b"\n\t" + ttl.replace(b"\n", b"\n\t")[:-1] + b"}\n"


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(prefixes.items())).encode()


def _native(node):
    """Expanded JSON-LD as PyLD's ``fromRdf`` would give it with ``useNativeTypes`` and
    ``useRdfType=False``: xsd:integer and xsd:boolean values as JSON numbers and booleans, and
    ``rdf:type`` as ``@type``. (For PyLD, which gets the rest.)"""
    if isinstance(node, list):
        return [_native(x) for x in node]
    if isinstance(node, dict):
        conv = NATIVE.get(node.get("@type")) if "@value" in node else None
        if conv is not None:
            return {"@value": conv(node["@value"])}
        out = {k: _native(v) for k, v in node.items() if k != _RDF_TYPE}
        if _RDF_TYPE in node:
            out["@type"] = [t["@id"] for t in node[_RDF_TYPE]]
        return out
    return node


class Subjects:
    """Triples in sort_key order, grouped by subject in one pass over them: :attr:`props` maps
    each subject's value (in that order) to its predicates' IRIs (in order), each to its objects
    (in order); :meth:`of` gives the triples of some of the subjects."""

    def __init__(self, triples: list[Triple]):
        self.triples = triples
        self.props: dict[str, dict[str, list]] = {}
        self._spans: dict[str, tuple[int, int]] = {}  # subject → where its triples are in ``triples``
        last = last_p = None
        start = 0
        props: dict[str, list] = {}
        objects: list = []
        for i, (s, p, o) in enumerate(triples):
            if s != last:
                if last is not None:
                    self._spans[last.value] = (start, i)
                last, last_p, start = s, None, i
                props = self.props[s.value] = {}
            if p != last_p:  # (a subject's triples with one predicate are together too)
                last_p = p
                objects = props[p.value] = []
            objects.append(o)
        if last is not None:
            self._spans[last.value] = (start, len(triples))

    def term(self, subject: str):
        """The subject's term (a NamedNode, or a BlankNode)."""
        return self.triples[self._spans[subject][0]].subject

    def of(self, subjects: Iterable[str]) -> list[Triple]:
        """The triples of these subjects (those that have triples here), in sort_key order."""
        spans = sorted(self._spans[s] for s in subjects if s in self._spans)
        return [t for a, b in spans for t in self.triples[a:b]]


class TurtleBlocks:
    """The Turtle of triples (:class:`Subjects`), serialized once, and the Turtle of any of their
    subjects cut out of it without serializing again: Oxigraph writes the ``@prefix`` lines, then
    each subject's triples as one block of lines that depends only on them, and only the last
    line of a block ends in " ." (a literal's newlines are escaped). (tests/test_site.py compares
    with ``ox.serialize`` of the subjects' triples.)"""

    def __init__(self, described: Subjects, prefixes: dict[str, str]):
        self.text = turtle(described.triples, prefixes, ordered=True)
        start = 0
        while self.text.startswith(b"@prefix ", start):
            start = self.text.index(b"\n", start) + 1
        self.header = self.text[:start]
        blocks = self.text[start:].split(b" .\n")
        if len(blocks) != len(described.props) + 1:
            raise PublishError(f"Turtle of {len(described.props)} subjects came in {len(blocks) - 1} blocks")
        self._blocks = {s: (n, block + b" .\n") for n, (s, block) in enumerate(zip(described.props, blocks))}

    def body(self, subjects: Iterable[str]) -> bytes:
        """The blocks of these subjects (those that have triples), in sort_key order."""
        return b"".join(block for _, block in sorted(self._blocks[s] for s in subjects if s in self._blocks))

    def document(self, subjects: Iterable[str]) -> bytes:
        """The Turtle document of these subjects' triples (empty if they have none)."""
        body = self.body(subjects)
        return self.header + body if body else b""


def compact_nodes(subjects: Subjects) -> list[dict]:
    """Compact JSON-LD node objects (sorted by id) of the triples, with the shipped context."""
    if not subjects.triples:
        return []
    compactor = _compactor()
    try:  # the same nodes as PyLD gives (tests/test_jsonld.py)
        nodes = [compactor.node(subjects.term(s), props) for s, props in subjects.props.items()]
    except _fast.Unsupported:
        expanded = _native(json.loads(ox.serialize(subjects.triples, format=ox.RdfFormat.JSON_LD)))
        doc = jsonld.compact(expanded, {"@context": context()}, {"graph": True})
        nodes = doc.get("@graph", [])
    return sorted(nodes, key=lambda n: n.get("id", ""))


@lru_cache(maxsize=1)
def _compactor():
    return _fast.Compactor(context())


def jsonld_document(nodes: list[dict], context_ref: str | list) -> bytes:
    """``{"@context": ref, "@graph": [...]}`` of node objects. (The dataset's JSON-LD files are
    written the same way, part by part: :meth:`Release._entry`.)"""
    return _jsonld_head(context_ref) + _graph_entries(nodes) + _JSONLD_TAIL


def _jsonld_head(context_ref: str | list) -> bytes:
    return f'{{\n"@context": {json.dumps(context_ref, sort_keys=True)},\n"@graph": [\n'.encode()


_JSONLD_TAIL = b"\n]\n}\n"


@dataclass
class MeetingRelease:
    """Everything one meeting contributes to a release, made by :func:`render_meeting` (in the
    worker process that converted the meeting) and taken by :meth:`Release.add`."""

    key: str
    folder: str  # where its files were written (write_files: named by their number in ``files``)
    files: list[str]  # the paths in the release: meetings/KEY.*, the site's pages
    chunks: dict[str, tuple[str, int, int]]  # ".ttl", ".nt", ".json", ".tree.json", ".nq", ".trig" → its part of that dataset file, in a Spool
    graph: str  # the named graph of its source document
    own: int  # its own triples (in its named graph)
    own_subjects: int
    shared: list[tuple]  # the shared resources as this meeting describes them (SharedStore.rows)
    shared_namespaces: set[str]
    own_namespaces: set[str]
    classes: Counter
    properties: Counter
    examples: dict[str, str]
    dates: list[dt.date]
    site: SiteMeeting | None


class Spool:
    """An append-only file of a process's meetings' parts of the dataset files: the worker
    writes them here, the build's process reads them back by position (os.pread), which costs
    less than sending them through a pipe or making a file for each."""

    def __init__(self, path: Path):
        self.path = str(path)
        self.f = open(path, "ab")  # noqa: SIM115 - open for the life of the process

    def put(self, data: bytes) -> tuple[str, int, int]:
        offset = self.f.tell()
        self.f.write(data)
        return self.path, offset, len(data)

    def flush(self) -> None:
        self.f.flush()


def render_meeting(key: str, triples: list[Triple], is_shared, site: Site, folder: Path, spool: Spool) -> MeetingRelease:
    """Write one meeting's files into ``folder`` (a folder of its own; :meth:`Release.add`
    moves them into the release), and its parts of the dataset files into ``spool``.
    ``triples`` (sort_key order) are the meeting's, with the shared resources and the concept
    schemes it uses; ``is_shared`` tells the shared subjects. Runs in the worker that converted
    the meeting."""
    prefixes = site.prefixes
    described = Subjects(triples)
    flags = {s: bool(is_shared(described.term(s))) for s in described.props}  # subject → shared?
    own_ids = [s for s, flag in flags.items() if not flag]
    own, shared = described.of(own_ids), described.of(s for s, flag in flags.items() if flag)
    ttl = TurtleBlocks(described, prefixes)
    files: dict[str, bytes] = {f"meetings/{key}.ttl": ttl.text}
    nodes = compact_nodes(described)
    files[f"meetings/{key}.jsonld"] = jsonld_document(nodes, "../context.jsonld")
    own_set = set(own_ids)
    own_nodes = [n for n in nodes if n.get("id") in own_set or _expand_id(n.get("id")) in own_set]
    # The named graph of the source document: the meeting's own triples (the shared ones are in
    # the shared graph, the concept schemes in theirs).
    graph = source_document(described) or f"{site.base}meeting/{key}"
    own_ttl, nt = ttl.body(own_ids), ox.serialize(own, format=ox.RdfFormat.N_TRIPLES)
    nq, trig = named_graph(graph, own, nt, own_ttl, prefixes)
    chunks = {
        ".ttl": own_ttl,
        ".nt": nt,
        ".json": _graph_entries(own_nodes),
        ".nq": nq,
        ".trig": trig,
        ".tree.json": _graph_entries(meeting_tree(nodes)),
    }
    classes, properties, examples = Counter(), Counter(), {}
    own_props = [(s, described.props[s]) for s in own_ids]
    _count(own_props, classes, properties, examples)
    dates = []
    for _, props in own_props:
        for o in props.get(DCT_DATE, ()):
            if isinstance(o, Literal):
                try:
                    dates.append(dt.date.fromisoformat(o.value))
                except ValueError:
                    pass

    def shared_iri(iri: str) -> bool:
        flag = flags.get(iri)
        return bool(is_shared(NamedNode(iri))) if flag is None else flag

    page_files, record = site.render_meeting(described, ttl, nodes, shared_iri)
    files |= page_files
    write_files(folder, files)
    chunks = {suffix: spool.put(data) for suffix, data in chunks.items()}
    spool.flush()
    return MeetingRelease(
        key, str(folder), list(files), chunks, graph, len(own), len(own_ids), SharedStore.rows(shared),
        {namespace_of(s) for s, flag in flags.items() if flag}, {namespace_of(s) for s in own_ids},
        classes, properties, examples, dates, record,
    )


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write the contents of ``files`` (path in the release → content) into ``folder`` (made
    here), each named by its number in ``files`` (0, 1, …): :meth:`Release.add` moves them to
    their paths. (Flat, so that the meeting's folders, meeting/, item/ …, are made only once, in
    the release.)"""
    folder.mkdir(parents=True, exist_ok=True)
    for n, data in enumerate(files.values()):
        with open(os.path.join(folder, str(n)), "wb") as f:
            f.write(data)


def _graph_entries(nodes: list[dict]) -> bytes:
    """Node objects as the entries of a JSON-LD document's "@graph": each as :func:`json_text`
    writes it, indented by two spaces, comma-separated (the JSON of the list without its
    brackets)."""
    return json_bytes(nodes)[2:-2]


def _count(described: Iterable[tuple[str, dict[str, list]]], classes: Counter, properties: Counter, examples: dict) -> None:
    """Count the properties and classes used by (subject, :attr:`Subjects.props` of it) pairs, and
    keep the first subject (by IRI) of each example class."""
    for s, props in described:
        for p, objects in props.items():
            properties[p] += len(objects)
            if p == _RDF_TYPE:
                for o in objects:
                    k = o.value
                    classes[k] += 1
                    if k in EXAMPLE_CLASSES and (k not in examples or s < examples[k]):
                        examples[k] = s


#: SQL condition (and its arguments) on a shared triple: about a concept of the concept schemes.
_CONCEPT_SQL = "substr(iri, 1, ?) = ?"
_CONCEPT_ARGS = (len(CONCEPTS_BASE), CONCEPTS_BASE)


class Release:
    """Stages a release in a temporary directory inside ``out`` and moves it into place.

    Memory does not grow with the corpus: each meeting's parts are written to the staging
    directory as they come (:meth:`add`), the shared resources go to an on-disk
    :class:`~referatgraph.sharedstore.SharedStore`, and :meth:`finish` streams the dataset files
    together from those parts.
    """

    def __init__(self, out: Path, prefixes: dict[str, str], config: ReleaseConfig | None = None):
        self.out = Path(out)
        self.prefixes = {**PREFIXES, **prefixes}
        self.config = config or ReleaseConfig()
        self.base = base_of(self.prefixes)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.stage = Path(tempfile.mkdtemp(dir=self.out, prefix=".staging-"))
        except OSError as exc:
            raise PublishError(f"{self.out}: cannot write output directory: {exc.strerror or exc}") from None
        (self.stage / "meetings").mkdir()
        #: Work files, not part of the release: the meetings' folders, the shared store.
        self.work = self.stage / ".work"
        (self.work / "parts").mkdir(parents=True)
        self.shared = SharedStore(self.work / "shared.sqlite")
        # The dataset files, written as the meetings come (in the order of the input files),
        # then the shared resources at the end; hashed as they are written (for DCAT).
        self._dumps = {name: _HashingFile(self.stage / name) for name in DUMPS}
        self._dumps["dataset.ttl"].write(prefix_header(self.prefixes))
        self._dumps["dataset.trig"].write(prefix_header(self.prefixes))
        self._dumps["dataset.jsonld"].write(_jsonld_head("context.jsonld"))
        self._dumps["dataset.framed.jsonld"].write(_jsonld_head(TREE_CONTEXT))
        self._entries = {"dataset.jsonld": 0, "dataset.framed.jsonld": 0}  # "@graph" parts written
        self.graphs: list[dict] = []  # the named graphs in dataset.nq (manifest.json)
        self._spool: Spool | None = None  # for add_meeting
        self._spool_fds: dict[str, int] = {}  # the workers' spools, open for reading
        self._dirs: set[Path] = set()
        self.own_counts: dict[str, int] = {}
        self.shared_namespaces: set[str] = set()
        self.own_namespaces: set[str] = set()
        self.stats = Stats()
        self.classes: Counter = Counter()
        self.properties: Counter = Counter()
        self.own_subjects = 0
        self.examples: dict[str, str] = {}
        self.site = Site(self.stage, self.base, self.prefixes, self.shared)

    def add_meeting(self, key: str, triples: list[Triple], is_shared) -> None:
        """Render one meeting (:func:`render_meeting`) and add it."""
        if self._spool is None:
            self._spool = Spool(self.work / "spool")
        self.add(render_meeting(key, sorted(triples, key=sort_key), is_shared, self.site, self.work / "parts" / key, self._spool))

    def add(self, part: MeetingRelease) -> None:
        """Write one meeting's files and pages, and spool its parts of the dataset files."""
        key = part.key
        for n, rel in enumerate(part.files):
            target = self.stage / rel
            if target.parent not in self._dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._dirs.add(target.parent)
            os.replace(os.path.join(part.folder, str(n)), target)
        dumps, chunks = self._dumps, {suffix: self._read(*where) for suffix, where in part.chunks.items()}
        dumps["dataset.ttl"].write(b"\n" + chunks[".ttl"])
        dumps["dataset.nt"].write(chunks[".nt"])
        self._entry("dataset.jsonld", chunks[".json"])
        self._entry("dataset.framed.jsonld", chunks[".tree.json"])
        nq = chunks[".nq"]
        self.graphs.append({"graph": part.graph, "meeting": key, "triples": part.own, "source": "dataset.nq",
                            "offset": dumps["dataset.nq"].size, "length": len(nq), "sha256": hashlib.sha256(nq).hexdigest()})
        dumps["dataset.nq"].write(nq)
        dumps["dataset.trig"].write(b"\n" + chunks[".trig"])
        self.shared.insert(part.shared)
        self.shared_namespaces |= part.shared_namespaces
        self.own_namespaces |= part.own_namespaces
        self.own_counts[key] = part.own
        self.classes.update(part.classes)
        self.properties.update(part.properties)
        for k, v in part.examples.items():
            if k not in self.examples or v < self.examples[k]:
                self.examples[k] = v
        self.own_subjects += part.own_subjects
        self.stats.dates.extend(part.dates)
        if part.site is not None:
            self.site.add(part.site)

    def finish(self, report: dict | Callable[[], dict], submit=None, workers: int = 1) -> dict[str, int]:
        """Finish the dataset files (the meetings' parts are in already; the shared resources
        are read in batches: memory stays flat), write the description, the documentation and
        the site's lists, then move the staged release into ``out``. ``submit`` (a process pool's,
        of ``workers`` processes): the entity pages of the site are written there while the
        dataset files are assembled.
        ``report``: what report.json says, or a function giving it (called once the release
        files are written)."""
        started = self.site.start_entity_pages(self.shared, submit, workers)
        shared_graph = f"{self.base}{SHARED_GRAPH}"
        dumps = self._dumps
        graphs = self.graphs
        # The shared resources, in one pass: the shared graph's, then the concepts'.
        dumps["dataset.ttl"].write(b"\n")
        blocks = {shared_graph: [hashlib.sha256(), 0, 0, dumps["dataset.nq"].size], CONCEPTS_GRAPH: [hashlib.sha256(), 0, 0, 0]}
        concepts: list[Triple] = []
        shared_triples = 0
        for batch in self.shared.triples(batch=5000):
            described = Subjects(batch)
            dumps["dataset.ttl"].write(turtle(batch, self.prefixes, header=False, ordered=True))
            dumps["dataset.nt"].write(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES))
            self._entry("dataset.jsonld", _graph_entries(compact_nodes(described)))
            _count(described.props.items(), self.classes, self.properties, self.examples)
            shared_triples += len(batch)
            concepts.extend(t for t in batch if t.subject.value.startswith(CONCEPTS_BASE))
            self._graph_block(shared_graph, [t for t in batch if not t.subject.value.startswith(CONCEPTS_BASE)], blocks)
            del batch, described
            trim()
        blocks[CONCEPTS_GRAPH][3] = dumps["dataset.nq"].size
        self._graph_block(CONCEPTS_GRAPH, concepts, blocks)
        for graph, (sha, n, length, offset) in blocks.items():
            if n:
                graphs.append({"graph": graph, "meeting": None, "triples": n, "source": "dataset.nq", "offset": offset,
                               "length": length, "sha256": sha.hexdigest()})
        # The framed file: after the meetings' trees, the concept schemes and the resources
        # only the build added (links across meetings).
        for batch in self._batches_of(self.shared.subjects(f"meeting = 0 OR {_CONCEPT_SQL}", _CONCEPT_ARGS)):
            self._entry("dataset.framed.jsonld", _graph_entries(compact_nodes(Subjects(batch))))
            del batch
            trim()
        dumps["dataset.jsonld"].write(_JSONLD_TAIL)
        dumps["dataset.framed.jsonld"].write(_JSONLD_TAIL)
        for f in dumps.values():
            f.close()
        (self.stage / "context.jsonld").write_bytes(CONTEXT_FILE.read_bytes())
        onto = self.stage / "ontology"
        onto.mkdir(exist_ok=True)
        (onto / "referatgraph.ttl").write_bytes(ONTOLOGY_FILE.read_bytes())
        (onto / "concepts.ttl").write_bytes(CONCEPTS_FILE.read_bytes())
        (onto / "shapes.ttl").write_bytes(SHAPES_FILE.read_bytes())
        (onto / "index.html").write_bytes(ontology_html())
        # The site: pages of cases, committees, persons, parties; the index.
        self.site.finish(started, DOWNLOADS, self.config.title_da, self.config.description_da)
        # The description, from what was written.
        st = self.stats
        st.triples = sum(self.own_counts.values()) + shared_triples
        st.entities = self.own_subjects + len(self.shared.subjects())
        st.classes = dict(self.classes)
        st.properties = dict(self.properties)
        st.examples = sorted(self.examples.values())
        st.graphs = [(g["graph"], g["triples"]) for g in graphs]
        files = [FileInfo(name, dumps[name].size, dumps[name].sha1.hexdigest()) if name in dumps else
                 FileInfo(name, (self.stage / name).stat().st_size, _sha_file(self.stage / name, "sha1"))
                 for name in FILE_TYPES if (self.stage / name).is_file()]
        vocabularies = {namespace_of(p) for p in st.properties} | {namespace_of(c) for c in st.classes}
        (self.stage / "void.ttl").write_bytes(void_graph(self.base, self.config, st, DUMPS, vocabularies))
        (self.stage / "catalog.ttl").write_bytes(catalog_graph(self.base, self.config, st, files))
        description = (self.stage / "void.ttl").read_bytes() + (self.stage / "catalog.ttl").read_bytes()
        graphs.append({"graph": dataset_iri(self.base), "meeting": None, "files": ["void.ttl", "catalog.ttl"],
                       "sha256": hashlib.sha256(description).hexdigest()})
        graphs.append({"graph": ONTOLOGY_GRAPH, "meeting": None, "files": ["ontology/referatgraph.ttl"],
                       "sha256": _sha_file(onto / "referatgraph.ttl")})
        manifest = {
            "tool": f"referatgraph {__version__}",
            "base_iri": self.base,
            # How `publish` tells shared resources from a meeting's own, as the build did: by
            # namespace, and one by one where a namespace has both (meetings referred to).
            "shared_namespaces": sorted(self.shared_namespaces - self.own_namespaces),
            "shared_subjects": [s for s in self.shared.subjects_from_meetings() if namespace_of(s) in self.own_namespaces],
            "triples": st.triples,
            "graphs": graphs,
        }
        (self.stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8")
        report = report() if callable(report) else report  # (the build's may still be validating)
        (self.stage / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
        )
        self._close()
        shutil.rmtree(self.work)
        return self._commit()

    def _close(self) -> None:
        self.shared.close()
        for f in self._dumps.values():
            f.close()
        for fd in self._spool_fds.values():
            os.close(fd)
        self._spool_fds.clear()
        if self._spool is not None:
            self._spool.f.close()

    def _graph_block(self, graph: str, triples: list[Triple], blocks: dict) -> None:
        """Append triples of a named graph to dataset.nq and dataset.trig."""
        if not triples:
            return
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        nq_bytes, trig = named_graph(graph, triples, nt, turtle(triples, self.prefixes, header=False, ordered=True), self.prefixes)
        self._dumps["dataset.nq"].write(nq_bytes)
        self._dumps["dataset.trig"].write(b"\n" + trig)
        block = blocks[graph]
        block[0].update(nq_bytes)
        block[1] += len(triples)
        block[2] += len(nq_bytes)

    def _read(self, path: str, offset: int, length: int) -> bytes:
        """Bytes of a worker's spool file."""
        fd = self._spool_fds.get(path)
        if fd is None:
            fd = self._spool_fds[path] = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        if hasattr(os, "pread"):
            return os.pread(fd, length, offset)
        os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
        return os.read(fd, length)

    def _entry(self, name: str, part: bytes) -> None:
        """Append entries (:func:`_graph_entries`) to the "@graph" of a JSON-LD dataset file."""
        if part:
            self._dumps[name].write(part if not self._entries[name] else b",\n" + part)
            self._entries[name] += 1

    def _batches_of(self, subjects: list[str], size: int = 500):
        """The triples of these subjects, ``size`` subjects at a time. (2,000 at a time, the
        link records of a 1,000-meeting build took the build's process from 100 to 118 MiB.)"""
        for k in range(0, len(subjects), size):
            yield self.shared.triples_of(subjects[k:k + size])

    def _commit(self) -> dict[str, int]:
        """Move the staged release into ``out``: each managed folder whole (the earlier one is
        moved aside first, then deleted: files a release no longer has go with it), the other
        files one by one. Returns how many files each top-level folder or file of ``out`` got
        (counts, not the paths: those grow with the corpus)."""
        stage = str(self.stage)
        counts: dict[str, int] = {}
        loose: list[str] = []  # files outside the managed folders, relative to the stage
        for d, _, fs in os.walk(stage):
            rel = os.path.relpath(d, stage)
            top = rel.split(os.sep, 1)[0]
            if top in MANAGED_FOLDERS:
                counts[top] = counts.get(top, 0) + len(fs)
                continue
            for f in fs:
                loose.append(f if rel == "." else os.path.join(rel, f))
                key = f if rel == "." else top
                counts[key] = counts.get(key, 0) + 1
        old = Path(tempfile.mkdtemp(dir=self.out, prefix=".old-"))
        try:
            for folder in MANAGED_FOLDERS:
                target = self.out / folder
                if target.is_dir() and not target.is_symlink():
                    os.replace(target, old / folder)
                if (self.stage / folder).is_dir():
                    os.replace(self.stage / folder, target)
            for rel in sorted(loose):
                target = self.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.stage / rel, target)
        finally:
            shutil.rmtree(old, ignore_errors=True)
            shutil.rmtree(self.stage, ignore_errors=True)
        return dict(sorted(counts.items()))

    def abort(self) -> None:
        self._close()
        shutil.rmtree(self.stage, ignore_errors=True)


class _HashingFile:
    """A file written once, front to back: its size and SHA-1 are known when it is closed."""

    def __init__(self, path: Path):
        self.f = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.sha1 = hashlib.sha1()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.f.write(data)
        self.sha1.update(data)
        self.size += len(data)

    def close(self) -> None:
        self.f.close()


def base_of(prefixes: dict[str, str]) -> str:
    """The base IRI of a release, from the prefixes the Minter gives (``document`` → ``{base}document/``)."""
    doc = prefixes.get("document", DEFAULT_BASE_IRI + "document/")
    return doc[: -len("document/")]


def source_document(described: Subjects) -> str | None:
    """The IRI of the source document a meeting's triples were converted from."""
    docs = [s for s, props in described.props.items() if any(o.value == RG_SOURCE_DOCUMENT for o in props.get(_RDF_TYPE, ()))]
    return min(docs) if docs else None


def _strip_prefixes(data: bytes) -> bytes:
    return b"".join(ln for ln in data.splitlines(keepends=True) if not ln.startswith(b"@prefix "))


def _sha_file(path: Path, algorithm: str = "sha256") -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _ref_terms() -> set[str]:
    return {k for k, v in context().items() if isinstance(v, dict) and v.get("@type") in ("@id", "@vocab")}


def meeting_tree(nodes: list[dict]) -> list[dict]:
    """The meeting's compact nodes nested into one tree (JSON-LD framing, done directly).

    Starting at the meeting, a node referenced for the first time is embedded where it is
    referenced (depth first, keys in sorted order), except along the links that point back or
    sideways (previous item, the meeting of an item, concepts); each treatment is embedded in its
    agenda item under ``treatment`` (the reverse of ``dct:subject``, declared in the tree's
    context). Concept-scheme nodes are left out (they are in the dataset once). Returns the tree,
    then any node it did not reach."""
    refs = _ref_terms()
    by_id = {n["id"]: n for n in nodes if "id" in n and not (_expand_id(n["id"]) or "").startswith(CONCEPTS_BASE)}
    roots = sorted(i for i, n in by_id.items() if "Zitting" in _as_list(n.get("type")))
    if not roots:
        return sorted(by_id.values(), key=lambda n: n["id"])
    treatments: dict[str, list[str]] = defaultdict(list)
    for i, n in by_id.items():
        for subj in _as_list(n.get("subject")):
            if isinstance(subj, str):
                treatments[subj].append(i)
    done: set[str] = set()

    def ref_id(key: str, v) -> str | None:
        if isinstance(v, str) and key in refs:
            return v
        if isinstance(v, dict) and set(v) == {"id"}:
            return v["id"]
        return None

    def embed(i: str) -> dict:
        """Breadth first: a node shared by several items sits at the shallowest place."""
        done.add(i)
        root = dict(by_id[i])
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for key in sorted(node):
                if key in ("id", "type") or key in NO_EMBED:
                    continue
                vals = node[key]
                out = []
                for v in _as_list(vals):
                    r = ref_id(key, v)
                    if r is not None and r in by_id and r not in done:
                        done.add(r)
                        child = dict(by_id[r])
                        queue.append(child)
                        out.append(child)
                    else:
                        out.append(v)
                node[key] = out[0] if not isinstance(vals, list) and len(out) == 1 else out
            below = [t for t in sorted(treatments.get(node["id"], [])) if t not in done]
            if below:
                node["treatment"] = []
                for t in below:
                    done.add(t)
                    child = {k: v for k, v in by_id[t].items() if k != "subject"}
                    queue.append(child)
                    node["treatment"].append(child)
        return root

    trees = [embed(r) for r in roots]
    rest = [by_id[i] for i in sorted(by_id) if i not in done]
    return trees + rest


def _as_list(v) -> list:
    return v if isinstance(v, list) else [] if v is None else [v]


def _expand_id(compact_id: str | None) -> str | None:
    """Expand a compact IRI ("prefix:local") of a node id with the context's prefixes."""
    if not compact_id or ":" not in compact_id:
        return compact_id
    prefix, local = compact_id.split(":", 1)
    iri = context().get(prefix)
    return iri + local if isinstance(iri, str) and not local.startswith("//") else compact_id


def republish(out: str | Path, config: ReleaseConfig | None = None) -> dict[str, int]:
    """``referatgraph publish``: rebuild every release part — the dataset files in all formats,
    the named graphs, the description, the documentation, the site — from the meeting files of
    an existing release (``meetings/*.ttl``), without converting the minutes again. The build's
    ``report.json`` is kept as it is."""
    from .iris import Minter

    out = Path(out)
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError(f"{out}: not a release directory (no report.json); run `referatgraph build` first") from None
    except (OSError, ValueError) as exc:
        raise PublishError(f"{out}/report.json: cannot read: {exc}") from None
    base = report.get("base_iri") or DEFAULT_BASE_IRI
    manifest = None
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        shared_ns = tuple(manifest["shared_namespaces"])
        shared_subjects = frozenset(manifest.get("shared_subjects", ()))
    except (OSError, ValueError, KeyError):
        shared_subjects = frozenset()
        shared_ns = tuple(f"{base}{k}/" for k in ("body", "case", "place", "person", "party", "role", "membership")) + (
            "https://w3id.org/referatgraph/software/", CONCEPTS_BASE)
    files = sorted((out / "meetings").glob("*.ttl"))
    if not files:
        raise PublishError(f"{out}: no meetings/*.ttl to publish")
    # In the build's order (that of its input files), as the manifest lists the meetings' graphs.
    built = [g["meeting"] for g in manifest.get("graphs", []) if g.get("meeting")] if isinstance(manifest, dict) else []
    rank = {key: k for k, key in enumerate(built)}
    files.sort(key=lambda f: (rank.get(f.stem, len(rank)), f.stem))
    extra: list[Triple] = []
    for g in manifest.get("graphs", []) if isinstance(manifest, dict) else []:
        if g.get("graph") == f"{base}{SHARED_GRAPH}" and "source" in g:
            with open(out / g["source"], "rb") as f:
                f.seek(g["offset"])
                extra = [q.triple for q in ox.parse(f.read(g["length"]), format=ox.RdfFormat.N_QUADS)]
    # As the build did: a meeting converted in this release is shared in the other meetings'
    # files that refer to it (there only its date and committee), and its own file says it all.
    converted = {f"{base}meeting/{f.stem}" for f in files}
    release = Release(out, Minter(base).prefixes(), config)
    try:
        for f in files:
            triples = [q.triple for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
            release.add_meeting(f.stem, triples, _shared_rule(shared_ns, shared_subjects, converted, f"{base}meeting/{f.stem}"))
        release.shared.remove_subjects(converted)
        release.shared.add(extra, from_meeting=False)
        return release.finish(report)
    except BaseException:
        release.abort()
        raise


def _shared_rule(namespaces: tuple[str, ...], subjects: frozenset, converted: set[str], mine: str):
    def is_shared(s) -> bool:
        v = s.value
        if v in converted:
            return v != mine
        return v.startswith(namespaces) or v in subjects

    return is_shared
