"""Stage 6 — validate: SHACL validation against ``shapes/referatgraph.shapes.ttl``.

pySHACL is the reference engine and the default of ``referatgraph validate``. The build uses
pyshacl-turbo (a Rust engine with pySHACL's API), about twenty times faster on a meeting, because
``tests/test_engines.py`` shows both engines give the same conformance on every shape test case
and every sample meeting, and the same results but for one understood difference
(:data:`KNOWN_DIFFERENCES`). A build validates each meeting's graph on its own (plus the concept
schemes), so cost stays linear in the number of meetings; resources shared between meetings
(committees, cases, people) are validated once more merged, in parts of bounded size
(:mod:`referatgraph.validate_shared`).

Each result carries the focus node, path, message and the source ``file:line`` the focus node
came from (its ``prov:wasDerivedFrom`` document and ``rg:firstLine``; for a shared node, those of
a resource that refers to it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import pyoxigraph as ox
import pyshacl
import pyshacl_turbo
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .errors import DataError
from .vocab import PREFIXES, PROV, RG, SHAPES_FILE

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    message: str
    component: str
    value: str | None = None
    source: str | None = None  # "file.txt:123"

    def order(self) -> tuple:
        """How reports list results: by source, focus node, path, constraint, message, value."""
        return (self.source or "", self.focus, self.path or "", self.component, self.message, self.value or "")

    def format(self) -> str:
        where = f"{self.source}: " if self.source else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}{self.severity.lower()}: <{self.focus}>{path}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    conforms: bool
    results: tuple[Result, ...]

    @property
    def violations(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")


@lru_cache(maxsize=1)
def compiled_shapes() -> pyshacl_turbo.CompiledShapes:
    """The shapes compiled once for pyshacl-turbo (reused for every meeting of a build)."""
    return pyshacl_turbo.compile_shapes(shapes_graph(), advanced=True)


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The shapes as an rdflib graph, with the file's prefixes. Read with pyoxigraph: 22 ms,
    where rdflib's Turtle parser takes 45 ms, once in every process that validates."""
    parser = ox.parse(path=str(SHAPES_FILE), format=ox.RdfFormat.TURTLE)
    g = to_rdflib(q.triple for q in parser)
    for prefix, iri in parser.prefixes.items():
        g.bind(prefix, iri, override=True, replace=True)
    return g


def _term(t):
    if isinstance(t, NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(dt))
    if isinstance(t, BlankNode):
        return rdflib.BNode(t.value)
    raise TypeError(f"unsupported term {t!r}")


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    terms: dict = {}  # each pyoxigraph term converted once (predicates and classes repeat)
    for t in triples:
        for x in t:
            if x not in terms:
                terms[x] = _term(x)
        g.add((terms[t.subject], terms[t.predicate], terms[t.object]))
    return g


@lru_cache(maxsize=1)
def _namespaces() -> rdflib.namespace.NamespaceManager:
    """The data's own prefixes (schema: is http://schema.org/), then SHACL's."""
    nm = rdflib.namespace.NamespaceManager(rdflib.Graph(), bind_namespaces="none")
    for prefix, iri in {**PREFIXES, "sh": str(SH)}.items():
        nm.bind(prefix, iri, override=True, replace=True)
    return nm


def _short(node) -> str:
    if not isinstance(node, rdflib.URIRef):
        return str(node)
    for prefix, iri in sorted(_namespaces().namespaces(), key=lambda pi: -len(pi[1])):
        if str(node).startswith(str(iri)) and len(node) > len(iri):
            local = str(node)[len(iri):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return str(node)


def _path_text(results: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.BNode):
        inv = results.value(path, SH.inversePath)
        if inv is not None:
            return f"^{_short(inv)}"
        return "(complex path)"
    return _short(path)


def _message(results: rdflib.Graph, r) -> str:
    """The result's message in English (else without language, else Danish).

    For a SPARQL constraint both engines give the constraint's messages, filled in and without
    their language tags, and the shape's messages too, in no fixed order. The constraint's are
    the ones that say what is wrong (SHACL 5.3.2): the shape's are left out when there are
    others, and each filled-in message gets the language of the template it matches.
    """
    msgs = sorted(results.objects(r, SH.resultMessage), key=lambda m: (str(m), m.language or ""))
    constraint = results.value(r, SH.sourceConstraint)
    if constraint is not None:
        shape = set(shapes_graph().objects(results.value(r, SH.sourceShape), SH.message))
        msgs = [m for m in msgs if m not in shape] or msgs
        templates = _templates(constraint)
        msgs = [m if m.language else next((rdflib.Literal(str(m), lang=lang) for rx, lang in templates
                                            if rx.fullmatch(str(m))), m) for m in msgs]
    for lang in ("en", None, "da"):
        for m in msgs:
            if getattr(m, "language", None) == lang:
                return str(m)
    return str(msgs[0]) if msgs else ""


@cache
def _templates(constraint) -> tuple[tuple[re.Pattern, str | None], ...]:
    """A constraint's messages as patterns ({?var} and {$var} match anything), with their language."""
    out = []
    for m in sorted(shapes_graph().objects(constraint, SH.message)):
        parts = re.split(r"\{[?$]\w+\}", str(m))
        out.append((re.compile("(?s)" + ".*?".join(map(re.escape, parts))), m.language))
    return tuple(out)


def _source(data: rdflib.Graph, focus) -> str | None:
    """file:line of the focus node, or of the first (by IRI) resource with provenance that
    refers to it."""
    candidates = [focus] + sorted({s for s, _ in data.subject_predicates(focus)})
    for node in candidates:
        doc = data.value(node, rdflib.URIRef(PROV.wasDerivedFrom.value))
        line = data.value(node, rdflib.URIRef(RG.firstLine.value))
        if doc is not None:
            name = data.value(doc, rdflib.URIRef(RG.fileName.value))
            return f"{name or doc}:{line}" if line is not None else str(name or doc)
    return None


ENGINES = {"pyshacl": pyshacl.validate, "turbo": pyshacl_turbo.validate}
#: Where the engines' reports differ on the shape test cases, and why (tests/test_engines.py):
#: case → the constraint components of the results only pyshacl-turbo gives. The conformance is
#: the same in every case, and pySHACL gives no result that pyshacl-turbo does not.
KNOWN_DIFFERENCES = {
    # "22"^^xsd:gYear is not a well-formed gYear. Both engines report the rg:caseYear pattern;
    # pyshacl-turbo also reports sh:datatype, because it checks the lexical form of the literal
    # and rdflib (so pySHACL) takes any "…"^^xsd:gYear as a gYear. The stricter engine serves the
    # build; the mapper writes years from integers, so it never makes such a literal.
    "case-year-two-digits": ("DatatypeConstraintComponent",),
}


def validate_graph(data: rdflib.Graph, engine: str = "pyshacl") -> Report:
    """Validate an rdflib graph against the project's shapes (engine "pyshacl" or "turbo")."""
    conforms, results, _ = ENGINES[engine](
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, allow_infos=True, advanced=True
    )
    return _report(conforms, results, lambda _: data)


def validate_triples(triples: Iterable[Triple], engine: str = "pyshacl") -> Report:
    """Validate pyoxigraph triples (e.g. one meeting plus the concept schemes).

    pyshacl-turbo reads them as N-Triples text (no rdflib graph is built unless there are
    results to locate in the source); pySHACL gets an rdflib graph.
    """
    triples = list(triples)
    if engine != "turbo":
        return validate_graph(to_rdflib(triples), engine)
    return validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode())


def validate_ntriples(text: str, engine: str = "turbo", keep: Callable[[str], bool] | None = None,
                      data_graph: Callable[[set[str]], rdflib.Graph] | None = None) -> Report:
    """Validate an N-Triples document (no blank nodes), e.g. the shared resources of a build.

    pyshacl-turbo reads the text directly: no store and no rdflib graph is built unless there
    are results to locate in the source; pySHACL gets an rdflib graph. ``keep``: report only the
    results whose focus node (its ``str()``) it accepts, and conform when none of them is a
    violation (for validating a graph in parts: :mod:`referatgraph.validate_shared`);
    ``data_graph``: where to find the kept focus nodes' source files (given their ``str()``),
    instead of the text.
    """
    data_graph = data_graph or (lambda _: _ntriples_graph(text))
    if engine != "turbo":
        graph = _ntriples_graph(text)
        conforms, results, _ = ENGINES[engine](
            graph, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, allow_infos=True, advanced=True
        )
        return _report(conforms, results, data_graph, keep)
    data = pyshacl_turbo.Input(text, "oxigraph-nquads", None, {}, preserve_ids=True)
    conforms, results, _ = compiled_shapes().validate(data, inference="none", allow_warnings=True, allow_infos=True)
    return _report(conforms, results, data_graph, keep)


def _ntriples_graph(text: str) -> rdflib.Graph:
    return to_rdflib(q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def _report(conforms, results, data_graph: Callable[[set[str]], rdflib.Graph], keep=None) -> Report:
    """The engine's results graph as a :class:`Report`; ``data_graph(focus)`` gives the data, to
    find each focus node's source file and line (called only when there are results).
    ``keep``: see :func:`validate_ntriples`."""
    if not isinstance(results, rdflib.Graph):  # pySHACL returns its error instead of a report
        raise DataError(f"SHACL validation could not run: {results}")
    found = [(r, results.value(r, SH.focusNode)) for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)]
    if keep is not None:
        found = [(r, focus) for r, focus in found if keep(str(focus))]
    data = data_graph({str(focus) for _, focus in found}) if found else None
    out = []
    for r, focus in found:
        sev = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        out.append(
            Result(
                severity=str(sev).rsplit("#", 1)[-1],
                focus=str(focus),
                path=_path_text(results, results.value(r, SH.resultPath)),
                message=_message(results, r),
                component=_short(results.value(r, SH.sourceConstraintComponent)),
                value=None if value is None else str(value),
                source=_source(data, focus),
            )
        )
    out.sort(key=Result.order)
    if keep is not None:
        conforms = not any(x.severity == "Violation" for x in out)
    return Report(bool(conforms), tuple(out))


RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".json")


def load_graph(paths: Iterable[str]) -> rdflib.Graph:
    """Read Turtle / N-Triples / N-Quads / TriG / JSON-LD files of a built dataset into one graph.

    A syntax error raises :class:`~referatgraph.errors.DataError` naming the file and line.
    """
    from pathlib import Path

    g = rdflib.Graph()
    for p in map(Path, paths):
        if p.suffix.lower() not in RDF_SUFFIXES:
            raise DataError(f"{p}: not an RDF file (expected one of {', '.join(RDF_SUFFIXES)})")
        if p.suffix.lower() in (".jsonld", ".json"):
            # JSON-LD with a relative "@context" reference: rdflib resolves it beside the file.
            try:
                g.parse(p, format="json-ld")
            except Exception as exc:  # noqa: BLE001 - any JSON or JSON-LD error of this file
                raise DataError(f"{p}: not valid JSON-LD: {exc}") from None
            continue
        try:
            for quad in ox.parse(path=str(p), format=ox.RdfFormat.from_extension(p.suffix[1:].lower())):
                g.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
        except SyntaxError as exc:
            raise DataError(f"{p}:{exc.lineno}: {exc.msg}") from None
    return g
