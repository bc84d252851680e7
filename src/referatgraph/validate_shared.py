"""Stage 6b — validate the shared resources of a build, part by part.

The resources meetings share (committees, cases, persons, memberships, expert groups, links
across meetings) are validated once more after the meetings, merged. Validated in one piece,
they made the validating process grow with the corpus (441 MiB at 1,000 meetings). Here they
are validated in parts of a bounded size (about 10,000 triples), each read from the build's
:class:`~referatgraph.sharedstore.SharedStore`, and the report is the same as the whole graph's.
What stays is a part as large as the largest neighbourhood a shape reads (a person who attends
every meeting: all their memberships and attendances).

Why the parts give the same report: SHACL validates a focus node by reading only the triples
its shapes reach from it: the values along each ``sh:path`` (sequences, inverses,
alternatives, repetitions), the shapes applied to those values (``sh:node``, ``sh:property``,
``sh:or``/``sh:and``/``sh:xone``/``sh:not``, qualified shapes), the triple patterns of SPARQL
constraints connected to ``$this``, and the node's own triples (types for ``sh:class``,
siblings for ``sh:equals``, ``sh:closed``…). :class:`Reach` compiles the shapes into an automaton
over such steps; :func:`validate_store` takes the nodes of the store in sorted batches (the
"roots"), gathers for them what the automaton reaches (all triples of every node reached, and
the triples of every inverse step taken) until a part is large enough, validates that graph,
and keeps the results whose focus node is a root. A node is a root of exactly one part, so
every result is found once.
``tests/test_validate_shared.py`` checks, on every shape test case with one root per part,
that the report equals the whole graph's. A shape the automaton cannot follow (a SPARQL pattern
not connected to ``$this``, a SPARQL-based target) makes :class:`Reach` refuse the shapes
(:class:`Unsupported`), and the shared resources are then validated whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, BNode, URIRef, Variable
from rdflib.collection import Collection
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from .memory import trim
from .sharedstore import SharedStore
from .validate import SH, Report, Result, shapes_graph, to_rdflib, validate_ntriples

_TYPE = f"<{RDF.type}>"
_SUBCLASS = str(RDFS.subClassOf)


class Unsupported(ValueError):
    """The shapes use something whose reach :class:`Reach` cannot compute."""


# A path as the automaton reads it: ("step", predicate IRI or None for any, inverse?)
# | ("seq", [paths]) | ("alt", [paths]) | ("star" | "plus" | "opt", path)


@dataclass
class Reach:
    """The shapes as an automaton: from a state at a node, the steps (predicate or None for
    any, inverse?) to the states of the nodes a validation reads next."""

    steps: list[list[tuple[str | None, bool, int]]] = field(default_factory=list)  # state → steps
    same: list[list[int]] = field(default_factory=list)  # state → states of the same node
    by_class: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # class → start states
    by_subject_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_object_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_node: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # N-Triples term → states

    def state(self) -> int:
        self.steps.append([])
        self.same.append([])
        return len(self.steps) - 1

    def starts(self, node: str, outgoing: list[tuple[str, str, str]], types: set[str], objects_of: set[str]) -> set[int]:
        """The states of the shapes that target ``node``: by its triples, its classes (with
        their superclasses), the predicates it is the object of."""
        found = set(self.by_node.get(node, ()))
        for c in types:
            found |= self.by_class.get(c, set())
        for _, p, _ in outgoing:
            found |= self.by_subject_of.get(p[1:-1], set())
        for p in objects_of:
            found |= self.by_object_of.get(p, set())
        return found


@lru_cache(maxsize=1)
def reach() -> Reach:
    """The automaton of the project's shapes (compiled once)."""
    return compile_reach(shapes_graph())


def compile_reach(g: rdflib.Graph) -> Reach:
    """Compile a shapes graph; raises :class:`Unsupported` for what it cannot follow."""
    r = Reach()
    states: dict[rdflib.term.Node, int] = {}

    def shape(s) -> int:
        """The state "shape ``s`` applies to this node"."""
        if s in states:
            return states[s]
        st = states[s] = r.state()
        if (s, SH.path, None) in g:  # a property shape: its values are read along its path
            value = path(st, _shacl_path(g, g.value(s, SH.path)))
            value_constraints(s, value)
        else:
            value_constraints(s, st)
        for q in g.objects(s, SH.sparql):
            sparql(st, q)
        if (s, SH.target, None) in g:
            raise Unsupported(f"{s}: SPARQL-based targets")
        return st

    def value_constraints(s, st: int) -> None:
        """The shapes applied to the value nodes (for a node shape: the focus node) at ``st``."""
        for p in (SH.node, SH.property, SH.qualifiedValueShape):
            for o in g.objects(s, p):
                r.same[st].append(shape(o))
        for p in (SH["or"], SH["and"], SH.xone):
            for lst in g.objects(s, p):
                for o in Collection(g, lst):
                    r.same[st].append(shape(o))
        for o in g.objects(s, SH["not"]):
            r.same[st].append(shape(o))

    def path(frm: int, p) -> int:
        kind = p[0]
        if kind == "step":
            to = r.state()
            r.steps[frm].append((p[1], p[2], to))
            return to
        if kind == "seq":
            for part in p[1]:
                frm = path(frm, part)
            return frm
        to = r.state()
        if kind == "alt":
            for part in p[1]:
                r.same[path(frm, part)].append(to)
            return to
        # Repetitions: a loop through the state ``to`` (which is also reached without a step for
        # "star" and "opt").
        if kind in ("star", "opt"):
            r.same[frm].append(to)
        end = path(frm, p[1])
        r.same[end].append(to)
        if kind in ("star", "plus"):
            r.same[path(to, p[1])].append(to)
        return to

    def sparql(st: int, constraint) -> None:
        query = g.value(constraint, SH.select) or g.value(constraint, SH.ask)
        if query is None:
            raise Unsupported(f"{constraint}: a SPARQL constraint without sh:select or sh:ask")
        namespaces = {}
        for decl in g.objects(constraint, SH.prefixes):
            for d in g.objects(decl, SH.declare):
                namespaces[str(g.value(d, SH.prefix))] = str(g.value(d, SH.namespace))
        query_scope = _Scope()
        _scopes(prepareQuery(str(query), initNs=namespaces).algebra, query_scope)
        var = {Variable("this"): st}  # variable → the state of its values

        def follow(scope: _Scope, known: set) -> None:
            """Breadth first from the variables known, over the scope's patterns: a pattern is
            followed from an end whose values are known (its triples are then read) and gives
            the values of a variable at its other end. Constants are not followed (that would
            read all their neighbours). Then the nested scopes (OPTIONAL, MINUS, UNION
            branches, FILTER EXISTS), where the variables bound here are known: a variable of
            the query is bound by the patterns of the scope it first occurs in, never by a
            pattern that has to fail (FILTER NOT EXISTS) or may fail."""
            known = set(known)
            left = list(scope.patterns)
            while left:
                for k, (s, _, o) in enumerate(left):
                    if s in known or o in known:
                        break
                else:
                    raise Unsupported(f"{constraint}: SPARQL patterns not connected to $this: {left}")
                s, p, o = left.pop(k)
                step, other = (_rdflib_path(p), o) if s in known else (_inverse(_rdflib_path(p)), s)
                end = path(var[s if s in known else o], step)
                if isinstance(other, Variable | BNode) and other not in known:
                    r.same[end].append(var.setdefault(other, r.state()))
                    known.add(other)
            for child in scope.children:
                follow(child, known)

        follow(query_scope, {Variable("this")})

    for s in sorted(set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
                    | set(g.subjects(SH.targetClass, None)) | set(g.subjects(SH.targetNode, None))
                    | set(g.subjects(SH.targetSubjectsOf, None)) | set(g.subjects(SH.targetObjectsOf, None)), key=str):
        targets = [(r.by_class, c) for c in g.objects(s, SH.targetClass)]
        if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, rdflib.OWL.Class) in g:
            targets.append((r.by_class, s))  # implicit class target
        targets += [(r.by_subject_of, p) for p in g.objects(s, SH.targetSubjectsOf)]
        targets += [(r.by_object_of, p) for p in g.objects(s, SH.targetObjectsOf)]
        targets += [(r.by_node, n.n3()) for n in g.objects(s, SH.targetNode)]
        for index, key in targets:
            index[str(key) if index is not r.by_node else key].add(shape(s))
    return r


def _shacl_path(g: rdflib.Graph, node) -> tuple:
    if isinstance(node, URIRef):
        return ("step", str(node), False)
    if (node, RDF.first, None) in g:
        return ("seq", [_shacl_path(g, x) for x in Collection(g, node)])
    inner = g.value(node, SH.inversePath)
    if inner is not None:
        return _inverse(_shacl_path(g, inner))
    for key, kind in ((SH.zeroOrMorePath, "star"), (SH.oneOrMorePath, "plus"), (SH.zeroOrOnePath, "opt")):
        inner = g.value(node, key)
        if inner is not None:
            return (kind, _shacl_path(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return ("alt", [_shacl_path(g, x) for x in Collection(g, alt)])
    raise Unsupported(f"path {node!r}")


def _rdflib_path(p) -> tuple:
    """A SPARQL predicate or property path (rdflib's) as a path of the automaton."""
    if isinstance(p, URIRef):
        return ("step", str(p), False)
    if isinstance(p, Variable):
        return ("step", None, False)
    if isinstance(p, InvPath):
        return _inverse(_rdflib_path(p.arg))
    if isinstance(p, SequencePath):
        return ("seq", [_rdflib_path(x) for x in p.args])
    if isinstance(p, AlternativePath):
        return ("alt", [_rdflib_path(x) for x in p.args])
    if isinstance(p, MulPath):
        return ({"*": "star", "+": "plus", "?": "opt"}[p.mod], _rdflib_path(p.path))
    if isinstance(p, NegatedPath):
        return ("alt", [("step", None, False), ("step", None, True)])
    if isinstance(p, Path):
        raise Unsupported(f"SPARQL path {p!r}")
    raise Unsupported(f"SPARQL predicate {p!r}")


def _inverse(p: tuple) -> tuple:
    kind = p[0]
    if kind == "step":
        return ("step", p[1], not p[2])
    if kind == "seq":
        return ("seq", [_inverse(x) for x in reversed(p[1])])
    if kind == "alt":
        return ("alt", [_inverse(x) for x in p[1]])
    return (kind, _inverse(p[1]))


@dataclass
class _Scope:
    """The triple patterns of a SPARQL group that every solution of it matches, and its nested
    groups (OPTIONAL, MINUS, UNION branches, FILTER EXISTS / NOT EXISTS)."""

    patterns: list = field(default_factory=list)
    children: list[_Scope] = field(default_factory=list)


#: rdflib's algebra (and the untranslated groups inside EXISTS): what opens a nested group.
_NESTED_SECOND = ("LeftJoin", "Minus")  # p1 is of this group, p2 nested
_NESTED = ("Builtin_EXISTS", "Builtin_NOTEXISTS", "OptionalGraphPattern", "MinusGraphPattern")


def _scopes(node, scope: _Scope) -> None:
    """Sort the triple patterns of a SPARQL algebra into ``scope`` and its nested scopes."""
    if isinstance(node, list | tuple):
        for v in node:
            _scopes(v, scope)
        return
    if not isinstance(node, CompValue):
        return
    name = node.name
    if name == "BGP":
        scope.patterns.extend(node.triples)
    elif name == "TriplesBlock":  # untranslated (inside EXISTS): lists of s p o s p o …
        scope.patterns.extend(tuple(block[k:k + 3]) for block in node.triples for k in range(0, len(block), 3))
    elif name in _NESTED_SECOND:
        _scopes(node.p1, scope)
        scope.children.append(child := _Scope())
        _scopes(node.p2, child)
        _scopes(node.get("expr"), child)
    elif name == "Union":
        for branch in (node.p1, node.p2):
            scope.children.append(child := _Scope())
            _scopes(branch, child)
    elif name == "GroupOrUnionGraphPattern":
        for branch in node.graph:
            scope.children.append(child := _Scope())
            _scopes(branch, child)
    elif name in _NESTED:
        scope.children.append(child := _Scope())
        _scopes(node.graph, child)
    else:
        for v in node.values():
            _scopes(v, scope)


# --------------------------------------------------------------------------------------------
# gathering a part and validating it
# --------------------------------------------------------------------------------------------


def _node(term: str) -> bool:
    return term.startswith(("<", "_:"))


class _Enough(Exception):
    """Raised inside :func:`gather` once more than its limit is gathered."""


def gather(store: SharedStore, r: Reach, roots: list[str], limit: int | None = None) -> set[tuple[str, str, str]]:
    """The triples a validation of ``roots`` (N-Triples terms) reads: every triple of every
    node the automaton reaches from the states of the shapes targeting them, and the triples
    of the inverse steps taken. With ``limit``: once more than ``limit`` triples are gathered,
    the triples so far (incomplete: enough to know that the roots reach too much)."""
    rows: set[tuple[str, str, str]] = set()
    out: dict[str, list[tuple[str, str, str]]] = {}
    classes: dict[str, set[str]] = {}  # node → its classes with their superclasses

    def fetch(nodes: Iterable[str]) -> None:
        new = sorted({n for n in nodes if n not in out})
        for k in range(0, len(new), 500):
            for n in new[k:k + 500]:
                out[n] = []
            for t in store.outgoing(new[k:k + 500]):
                out[t[0]].append(t)
                rows.add(t)
            if limit is not None and len(rows) > limit:
                raise _Enough

    def classes_of(nodes: list[str]) -> None:
        """The classes of nodes (rdf:type, then rdfs:subClassOf in the data: SHACL instances)."""
        fetch(nodes)
        todo = {o for n in nodes for _, p, o in out[n] if p == _TYPE and _node(o)}
        seen = set()
        while todo - seen:
            seen |= todo
            fetch(todo)
            todo = {o for c in todo for _, p, o in out[c] if p[1:-1] == _SUBCLASS and _node(o)}
        for n in nodes:
            found, stack = set(), [o for _, p, o in out[n] if p == _TYPE and _node(o)]
            while stack:
                c = stack.pop()
                if c not in found:
                    found.add(c)
                    stack.extend(o for _, p, o in out[c] if p[1:-1] == _SUBCLASS and _node(o))
            classes[n] = {c[1:-1] for c in found}

    def walk() -> None:
        fetch(roots)
        classes_of(roots)
        objects_of: dict[str, set[str]] = defaultdict(set)
        for p in r.by_object_of:  # the shapes targeting objects of p: one such triple makes them apply
            for t in store.incoming(p, roots, one=True):
                rows.add(t)
                objects_of[t[2]].add(p)
        todo: list[tuple[int, str]] = [(st, n) for n in roots for st in r.starts(n, out[n], classes[n], objects_of[n])]
        seen: set[tuple[int, str]] = set()
        while todo:
            fetch(n for _, n in todo)
            inverse: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
            ahead: list[tuple[int, str]] = []
            stack = todo
            while stack:
                st, n = stack.pop()
                if (st, n) in seen:
                    continue
                seen.add((st, n))
                stack.extend((x, n) for x in r.same[st])
                for p, inv, to in r.steps[st]:
                    if inv:
                        inverse[p].append((n, to))
                        continue
                    for _, q, o in out[n]:
                        if (p is None or q[1:-1] == p) and _node(o):
                            ahead.append((to, o))
            for p, wanted in inverse.items():
                by_node = defaultdict(list)
                for n, to in wanted:
                    by_node[n].append(to)
                for t in store.incoming(p, sorted(by_node)):
                    rows.add(t)
                    ahead.extend((to, t[0]) for to in by_node[t[2]])
            if limit is not None and len(rows) > limit:
                raise _Enough
            todo = [x for x in ahead if x not in seen]
        # The classes of every node reached (sh:class reads rdf:type and rdfs:subClassOf).
        classes_of([n for n in out if out[n]])

    try:
        walk()
    except _Enough:  # (with a limit only)
        pass
    return rows


def validate_store(store: SharedStore, engine: str = "turbo", batch: int = 100, budget: int = 10000) -> Report:
    """Validate the shared resources (and the context) of ``store`` in parts: the same report as
    validating them whole. A part holds the roots of batches of ``batch`` nodes as long as what
    they reach stays within ``budget`` triples; a batch that reaches more is split in halves
    until it fits or is one node. A part is thus at most the budget or what one node reaches
    (a person at every meeting), whichever is larger, not the size of the store. A store that
    holds no more than the budget is validated whole (no automaton is compiled)."""
    if store.size() <= budget:
        return _validate_whole(store, engine)
    try:
        r = reach()
    except Unsupported:
        return _validate_whole(store, engine)
    return validate_parts(store, r, engine, batch, budget)


def validate_parts(store: SharedStore, r: Reach, engine: str, batch: int, budget: int) -> Report:
    """:func:`validate_store` with the automaton ``r``."""
    results: list[Result] = []
    # The shapes' target nodes are validated in every part (whether or not the data has them):
    # gathered for every part, so that no part reports them wrongly as incomplete. They are
    # roots of the first part.
    targets = sorted(r.by_node)
    rows: set[tuple[str, str, str]] = set()
    roots: list[str] = list(targets)
    for first in _batches(store.nodes(r.by_object_of), r, batch):
        todo = [first]
        while todo:
            nodes = todo.pop()
            # (a batch of more than one node is gathered only up to the budget: when it reaches
            # more, it is split before all it reaches is held)
            got = gather(store, r, sorted({*nodes, *targets}), limit=budget if len(nodes) > 1 else None)
            if len(got) > budget and len(nodes) > 1:  # nodes that reach much (a person at every
                half = len(nodes) // 2                 # meeting): in smaller batches
                todo += [nodes[half:], nodes[:half]]
                continue
            if rows and len(rows | got) > budget:  # a part stays within the budget when it can
                results += _validate_part(store, rows, roots, engine)
                rows, roots = set(), []
            rows |= got
            roots += nodes
            if len(rows) >= budget:
                results += _validate_part(store, rows, roots, engine)
                rows, roots = set(), []
    if roots:
        results += _validate_part(store, rows or gather(store, r, targets), roots, engine)
    results.sort(key=Result.order)
    return Report(not any(x.severity == "Violation" for x in results), tuple(results))


def _validate_part(store: SharedStore, rows: set, roots: list[str], engine: str) -> tuple[Result, ...]:
    """The results of a part whose focus node is one of its roots."""
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(rows))
    terms = {_value(n): n for n in roots}
    results = validate_ntriples(text, engine, keep=terms.__contains__,
                                data_graph=lambda focus: _sources(store, [terms[f] for f in sorted(focus)])).results
    del text
    trim()  # the part's memory back to the system before the next part (memory.py)
    return results


def _batches(nodes: Iterator[str], r: Reach, size: int) -> Iterator[list[str]]:
    """The nodes but the shapes' target nodes, in sorted batches."""
    batch: list[str] = []
    for n in nodes:
        if n in r.by_node:
            continue
        batch.append(n)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _value(term: str) -> str:
    """The focus-node text of a report (``str()`` of the rdflib term) for an N-Triples term."""
    return term[1:-1] if term.startswith("<") else term[2:]


def _sources(store: SharedStore, terms: list[str]) -> rdflib.Graph:
    """What locating results in their source files reads (:func:`referatgraph.validate._source`):
    the triples of the focus nodes (N-Triples terms) and of the resources referring to them,
    and the triples of the documents these come from."""
    rows = set(store.outgoing(terms)) | set(store.incoming(None, terms))
    rows |= set(store.outgoing(sorted({s for s, _, _ in rows})))
    rows |= set(store.outgoing(sorted({o for _, _, o in rows if _node(o)})))
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(rows))
    return to_rdflib(q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def _validate_whole(store: SharedStore, engine: str) -> Report:
    return validate_ntriples(store.ntriples(), engine)
