"""Stage 7 — publish: the release directory, deterministically and atomically.

Layout of a release directory (it is also the root of the browsable site: IRIs under the base
map onto its paths, see :mod:`referatgraph.site`)::

    dataset.ttl             the whole dataset (meetings in key order, then the shared resources)
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
import io
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from pyoxigraph import Literal, NamedNode, Quad, Triple

from . import __version__
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
from .map import sort_key
from .ontodoc import ontology_html
from .site import PAGE_KINDS, Site
from .vocab import (
    CONCEPTS_BASE,
    CONCEPTS_FILE,
    ONTOLOGY_FILE,
    PREFIXES,
    RDF,
    REPO,
    SHAPES_FILE,
    XSD,
)

CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
_NATIVE = {XSD.integer.value: int, XSD.boolean.value: lambda v: v == "true"}
_RDF_TYPE = RDF.type.value
DCT_DATE = "http://purl.org/dc/terms/date"
RG_SOURCE_DOCUMENT = "https://w3id.org/referatgraph/ns#SourceDocument"
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


def turtle(triples: Iterable[Triple], prefixes: dict[str, str], header: bool = True) -> bytes:
    """Sorted Turtle. With ``header=False`` the ``@prefix`` lines are left out (for chunks)."""
    data = ox.serialize(sorted(triples, key=sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    if header:
        return data
    return b"".join(ln for ln in data.splitlines(keepends=True) if not ln.startswith(b"@prefix "))


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(prefixes.items())).encode()


def _native(node):
    """Expanded JSON-LD as PyLD's ``fromRdf`` would give it with ``useNativeTypes`` and
    ``useRdfType=False``: xsd:integer and xsd:boolean values as JSON numbers and booleans, and
    ``rdf:type`` as ``@type``."""
    if isinstance(node, list):
        return [_native(x) for x in node]
    if isinstance(node, dict):
        conv = _NATIVE.get(node.get("@type")) if "@value" in node else None
        if conv is not None:
            return {"@value": conv(node["@value"])}
        out = {k: _native(v) for k, v in node.items() if k != _RDF_TYPE}
        if _RDF_TYPE in node:
            out["@type"] = [t["@id"] for t in node[_RDF_TYPE]]
        return out
    return node


def compact_nodes(triples: Iterable[Triple]) -> list[dict]:
    """Compact JSON-LD node objects (sorted by id) for the triples, with the shipped context."""
    triples = sorted(triples, key=sort_key)
    if not triples:
        return []
    expanded = _native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))
    try:
        nodes = _fast.compact(expanded, _compactor())  # same output as PyLD (tests/test_jsonld.py)
    except _fast.Unsupported:
        doc = jsonld.compact(expanded, {"@context": context()}, {"graph": True})
        nodes = doc.get("@graph", [])
    return sorted(nodes, key=lambda n: n.get("id", ""))


@lru_cache(maxsize=1)
def _compactor():
    return _fast.Compactor(context())


def _dump_nodes(nodes: list[dict]) -> list[str]:
    return [json.dumps(n, ensure_ascii=False, sort_keys=True, indent=2) for n in nodes]


def jsonld_document(node_texts: Iterable[str], context_ref: str | list) -> bytes:
    """``{"@context": ref, "@graph": [...]}`` from already dumped node objects."""
    buf = io.BytesIO()
    write_jsonld_document(buf, node_texts, context_ref)
    return buf.getvalue()


def write_jsonld_document(f, node_texts: Iterable[str], context_ref: str | list) -> None:
    """Write :func:`jsonld_document` to a binary file, one node at a time (memory stays flat)."""
    f.write(f'{{\n"@context": {json.dumps(context_ref, sort_keys=True)},\n"@graph": [\n'.encode())
    for k, t in enumerate(node_texts):
        f.write(((",\n" if k else "") + "  " + t.replace("\n", "\n  ")).encode())
    f.write(b"\n]\n}\n")


class Release:
    """Stages a release in a temporary directory inside ``out`` and moves it into place."""

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
        self.chunks = self.stage / "chunks"
        self.chunks.mkdir()
        self.keys: list[str] = []
        self.shared: set[Triple] = set()
        self.meeting_shared: set[Triple] = set()  # the part of ``shared`` that came with meetings
        self.own_counts: dict[str, int] = {}
        self.graph_of: dict[str, tuple[str, int]] = {}  # key → (graph IRI, triples)
        self.shared_namespaces: set[str] = set()
        self.own_namespaces: set[str] = set()
        self.stats = Stats()
        self.classes: Counter = Counter()
        self.properties: Counter = Counter()
        self.own_subjects = 0
        self.examples: dict[str, str] = {}
        self.site = Site(self.stage, self.base, self.prefixes)

    def add_meeting(self, key: str, triples: list[Triple], is_shared) -> None:
        """Write one meeting's files and pages, and spool its parts of the dataset files."""
        own = [t for t in triples if not is_shared(t.subject)]
        shared = [t for t in triples if is_shared(t.subject)]
        self.shared.update(shared)
        self.meeting_shared.update(shared)
        self.shared_namespaces.update(namespace_of(t.subject.value) for t in shared)
        self.own_namespaces.update(namespace_of(t.subject.value) for t in own)
        (self.stage / "meetings" / f"{key}.ttl").write_bytes(turtle(triples, self.prefixes))
        nodes = compact_nodes(triples)
        texts = _dump_nodes(nodes)
        (self.stage / "meetings" / f"{key}.jsonld").write_bytes(jsonld_document(texts, "../context.jsonld"))
        own_ids = {str(t.subject.value) for t in own}
        own_sorted = sorted(own, key=sort_key)
        (self.chunks / f"{key}.ttl").write_bytes(turtle(own_sorted, self.prefixes, header=False))
        (self.chunks / f"{key}.nt").write_bytes(ox.serialize(own_sorted, format=ox.RdfFormat.N_TRIPLES))
        own_texts = [t for n, t in zip(nodes, texts) if n.get("id") in own_ids or _expand_id(n.get("id")) in own_ids]
        (self.chunks / f"{key}.json").write_text(json.dumps(own_texts, ensure_ascii=False), encoding="utf-8")
        # The named graph of the source document: every triple of the meeting file but the
        # concept schemes (they have a graph of their own).
        # The named graph of the source document: the meeting's own triples (the shared ones
        # are in the shared graph, the concept schemes in theirs).
        graph = source_document(triples) or f"{self.base}meeting/{key}"
        in_graph = own_sorted
        quads = [Quad(t.subject, t.predicate, t.object, NamedNode(graph)) for t in in_graph]
        (self.chunks / f"{key}.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        (self.chunks / f"{key}.trig").write_bytes(_strip_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=self.prefixes)))
        tree = meeting_tree(nodes)
        (self.chunks / f"{key}.tree.json").write_text(
            json.dumps([json.dumps(n, ensure_ascii=False, sort_keys=True, indent=2) for n in tree], ensure_ascii=False), encoding="utf-8"
        )
        self.graph_of[key] = (graph, len(in_graph))
        self.keys.append(key)
        self.own_counts[key] = len(own)
        self._count(own)
        self.own_subjects += len(own_ids)
        for t in own:
            if t.predicate.value == DCT_DATE and isinstance(t.object, Literal):
                try:
                    self.stats.dates.append(dt.date.fromisoformat(t.object.value))
                except ValueError:
                    pass
        self.site.add_meeting(key, triples, nodes, is_shared)

    def _count(self, triples: Iterable[Triple]) -> None:
        for t in triples:
            self.properties[t.predicate.value] += 1
            if t.predicate.value == _RDF_TYPE:
                self.classes[t.object.value] += 1
                k = t.object.value
                if k in EXAMPLE_CLASSES and (k not in self.examples or t.subject.value < self.examples[k]):
                    self.examples[k] = t.subject.value

    def finish(self, report: dict) -> list[Path]:
        """Assemble the dataset files, the description, the documentation and the site, then
        move every staged file into ``out``."""
        shared = sorted(self.shared, key=sort_key)
        keys = sorted(self.keys)
        with open(self.stage / "dataset.ttl", "wb") as f:
            f.write(prefix_header(self.prefixes))
            for key in keys:
                f.write(b"\n")
                f.write((self.chunks / f"{key}.ttl").read_bytes())
            f.write(b"\n")
            f.write(turtle(shared, self.prefixes, header=False))
        with open(self.stage / "dataset.nt", "wb") as f:
            for key in keys:
                f.write((self.chunks / f"{key}.nt").read_bytes())
            f.write(ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES))
        # The JSON-LD files are streamed chunk by chunk: memory does not grow with the corpus.
        shared_nodes = compact_nodes(shared)

        def chunk_texts(suffix: str, tail: list[str]):
            for key in keys:
                yield from json.loads((self.chunks / f"{key}{suffix}").read_text(encoding="utf-8"))
            yield from tail

        with open(self.stage / "dataset.jsonld", "wb") as f:
            write_jsonld_document(f, chunk_texts(".json", _dump_nodes(shared_nodes)), "context.jsonld")
        # One tree per meeting, then the concept schemes.
        concepts = [t for t in shared if t.subject.value.startswith(CONCEPTS_BASE)]
        extra = [t for t in shared if t not in self.meeting_shared and not t.subject.value.startswith(CONCEPTS_BASE)]
        extra_subjects = {t.subject.value for t in extra}
        tail = _dump_nodes([n for n in shared_nodes if _expand_id(n.get("id", "")).startswith(CONCEPTS_BASE)
                            or _expand_id(n.get("id", "")) in extra_subjects])
        with open(self.stage / "dataset.framed.jsonld", "wb") as f:
            write_jsonld_document(f, chunk_texts(".tree.json", tail), TREE_CONTEXT)
        # Named graphs: one per source document, one for the concept schemes.
        graphs = []
        concept_quads = [Quad(t.subject, t.predicate, t.object, NamedNode(CONCEPTS_GRAPH)) for t in concepts]
        shared_graph = f"{self.base}{SHARED_GRAPH}"
        shared_quads = [Quad(t.subject, t.predicate, t.object, NamedNode(shared_graph)) for t in shared
                        if not t.subject.value.startswith(CONCEPTS_BASE)]
        with open(self.stage / "dataset.nq", "wb") as nq, open(self.stage / "dataset.trig", "wb") as trig:
            trig.write(prefix_header(self.prefixes))

            def blocks():  # one graph at a time, read from its chunk files (memory stays flat)
                for key in keys:
                    yield (key, *self.graph_of[key], (self.chunks / f"{key}.nq").read_bytes(), (self.chunks / f"{key}.trig").read_bytes())
                for graph, quads in ((shared_graph, shared_quads), (CONCEPTS_GRAPH, concept_quads)):
                    if quads:
                        yield (None, graph, len(quads), ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                               _strip_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=self.prefixes)))

            offset = 0
            for key, graph, n, nq_bytes, trig_bytes in blocks():
                nq.write(nq_bytes)
                trig.write(b"\n" + trig_bytes)
                graphs.append({
                    "graph": graph, "meeting": key, "triples": n, "source": "dataset.nq",
                    "offset": offset, "length": len(nq_bytes), "sha256": hashlib.sha256(nq_bytes).hexdigest(),
                })
                offset += len(nq_bytes)
        (self.stage / "context.jsonld").write_bytes(CONTEXT_FILE.read_bytes())
        onto = self.stage / "ontology"
        onto.mkdir(exist_ok=True)
        (onto / "referatgraph.ttl").write_bytes(ONTOLOGY_FILE.read_bytes())
        (onto / "concepts.ttl").write_bytes(CONCEPTS_FILE.read_bytes())
        (onto / "shapes.ttl").write_bytes(SHAPES_FILE.read_bytes())
        (onto / "index.html").write_bytes(ontology_html())
        # The site: pages of cases, committees, persons, parties; the index.
        self.site.finish(
            {_expand_id(n.get("id")): n for n in shared_nodes}, DOWNLOADS,
            self.config.title_da, self.config.description_da,
        )
        # The description, from what was written.
        self._count(shared)
        st = self.stats
        st.triples = sum(self.own_counts.values()) + len(shared)
        st.entities = self.own_subjects + len({t.subject.value for t in shared})
        st.classes = dict(self.classes)
        st.properties = dict(self.properties)
        st.examples = sorted(self.examples.values())
        st.graphs = [(g["graph"], g["triples"]) for g in graphs]
        files = [FileInfo(name, (self.stage / name).stat().st_size, _sha_file(self.stage / name, "sha1"))
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
            "shared_subjects": sorted({t.subject.value for t in self.meeting_shared if namespace_of(t.subject.value) in self.own_namespaces}),
            "triples": st.triples,
            "graphs": graphs,
        }
        (self.stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8")
        (self.stage / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
        )
        shutil.rmtree(self.chunks)
        return self._commit()

    def _commit(self) -> list[Path]:
        written = []
        staged = sorted(p for p in self.stage.rglob("*") if p.is_file())
        for p in staged:
            target = self.out / p.relative_to(self.stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, target)
            written.append(target)
        keep = set(written)
        for folder in MANAGED_FOLDERS:
            d = self.out / folder
            if not d.is_dir():
                continue
            for old in sorted(d.rglob("*"), reverse=True):
                if old.is_file() and old not in keep:
                    old.unlink()
                elif old.is_dir() and not any(old.iterdir()):
                    old.rmdir()
        shutil.rmtree(self.stage, ignore_errors=True)
        return written

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)


def base_of(prefixes: dict[str, str]) -> str:
    """The base IRI of a release, from the prefixes the Minter gives (``document`` → ``{base}document/``)."""
    doc = prefixes.get("document", DEFAULT_BASE_IRI + "document/")
    return doc[: -len("document/")]


def source_document(triples: Iterable[Triple]) -> str | None:
    """The IRI of the source document a meeting's triples were converted from."""
    docs = sorted(t.subject.value for t in triples if t.predicate.value == _RDF_TYPE and t.object.value == RG_SOURCE_DOCUMENT)
    return docs[0] if docs else None


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


def republish(out: str | Path, config: ReleaseConfig | None = None) -> list[Path]:
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
        release.shared.difference_update([t for t in release.shared if t.subject.value in converted])
        release.shared.update(extra)
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
