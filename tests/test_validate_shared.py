"""The shared resources validated in parts give the report of the whole graph.

Differential: every shape test case (valid and invalid, with the base meeting and the concept
schemes) and the shared resources of the built sample dataset are put in a SharedStore and
validated whole and in parts of one root each (the smallest parts: any triple a shape reads
that a part leaves out shows here).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from referatgraph import validate_shared as vs
from referatgraph.sharedstore import SharedStore
from referatgraph.validate import validate_ntriples
from referatgraph.validate_shared import (
    Unsupported,
    compile_reach,
    reach,
    validate_parts,
    validate_store,
)
from referatgraph.vocab import DCT

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "shapes"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())


def _store(tmp_path: Path, triples, context=()) -> SharedStore:
    store = SharedStore(tmp_path / "shared.sqlite")
    store.add(triples)
    store.add_context(context)
    store.commit()
    return store


def _sample_shared() -> list:
    """The shared and concept graphs of the committed sample release."""
    return [q.triple for q in ox.parse(path=str(ROOT / "output" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
            if q.graph_name.value.endswith("/graph/shared") or q.graph_name.value == "https://w3id.org/referatgraph/concept/"]


def _same(a, b) -> bool:
    """The same report: conformance and results (with their messages), as multisets."""
    return a.conforms == b.conforms and Counter(a.results) == Counter(b.results)


def _turtle(*files: Path) -> list:
    return [q.triple for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]


def test_the_projects_shapes_compile():
    """No shape of the project makes the shared validation fall back to the whole graph."""
    r = reach()
    assert r.by_class and r.by_node and r.by_object_of


@pytest.mark.parametrize("case", CASE_NAMES)
@pytest.mark.parametrize("kind", ["valid", "invalid"])
def test_parts_give_the_whole_report_on_every_shape_case(tmp_path, case, kind):
    store = _store(tmp_path, _turtle(CASES / "base.ttl", ROOT / "ontology" / "concepts.ttl", CASES / case / f"{kind}.ttl"))
    whole = validate_ntriples(store.ntriples())
    parts = validate_parts(store, reach(), "turbo", batch=1, budget=0)
    assert _same(parts, whole)
    assert bool(whole.results) == (kind == "invalid")


def test_parts_give_the_whole_report_on_the_built_samples(tmp_path):
    """The shared and concept graphs of the committed sample release, with the meetings' dates
    as the build adds them (context): conforms, whole and in parts of 1 and of 7 roots, and of
    batches of 7 roots up to 300 triples."""
    shared, dates = [], []
    for q in ox.parse(path=str(ROOT / "output" / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        g = q.graph_name.value
        if g.endswith("/graph/shared") or g == "https://w3id.org/referatgraph/concept/":
            shared.append(q.triple)
        elif q.predicate == DCT.date and "/meeting/" in q.subject.value:
            dates.append(q.triple)
    assert len(shared) == 1176 and len(dates) == 3
    store = _store(tmp_path, shared, dates)
    whole = validate_ntriples(store.ntriples())
    assert whole.conforms and not whole.results
    for batch, budget in ((1, 0), (7, 0), (7, 300), (100, 400)):
        assert validate_parts(store, reach(), "turbo", batch, budget) == whole
    assert validate_store(store) == whole


def test_a_store_within_the_budget_is_validated_whole(tmp_path, monkeypatch):
    """A store of no more triples than the budget (its context included) is validated whole,
    without compiling the automaton; one triple over, it is validated in parts. The same
    report either way."""
    shared = _sample_shared()
    dates = [q.triple for q in ox.parse(path=str(ROOT / "output" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
             if q.predicate == DCT.date and "/meeting/" in q.subject.value and q.triple not in shared]
    store = _store(tmp_path, shared, dates)
    assert len(store) == 1176 and store.size() == 1176 + 3
    compiled = []
    monkeypatch.setattr(vs, "reach", lambda: compiled.append(1) or reach())
    whole = validate_ntriples(store.ntriples())
    assert validate_store(store, budget=1179) == whole and not compiled
    assert validate_store(store, budget=1178) == whole and compiled


def test_a_part_holds_more_than_the_budget_only_for_a_node_that_reaches_more(tmp_path, monkeypatch):
    """Batches whose nodes reach more than the budget are split (a person at every meeting):
    a part is larger than the budget only by what one node reaches."""
    shared = _sample_shared()
    store = _store(tmp_path, shared)
    r = reach()
    targets = sorted(r.by_node)
    single = max(len(vs.gather(store, r, sorted({n, *targets}))) for n in store.nodes(r.by_object_of))
    sizes = []
    real = vs._validate_part
    monkeypatch.setattr(vs, "_validate_part", lambda st, rows, roots, engine: sizes.append(len(rows)) or real(st, rows, roots, engine))
    budget = 100
    assert single > budget  # else the split would not be tried
    whole = validate_ntriples(store.ntriples())
    assert validate_parts(store, r, "turbo", 100, budget) == whole
    assert len(sizes) > 3 and max(sizes) <= max(single, budget), (sizes, single)


def test_gathering_a_batch_stops_past_the_limit(tmp_path):
    """A batch is gathered only until it holds more than the limit (it is split then): what
    it reaches is not all held at once. Below the limit, gathering gives all it reaches."""
    shared = _sample_shared()
    store = _store(tmp_path, shared)
    r = reach()
    targets = sorted(r.by_node)
    reached = {n: vs.gather(store, r, sorted({n, *targets})) for n in store.nodes(r.by_object_of)}
    node = max(reached, key=lambda n: (len(reached[n]), n))  # a person: memberships, attendances …
    full = reached[node]
    assert len(full) > 150
    roots = sorted({node, *targets})
    assert vs.gather(store, r, roots, limit=len(full)) == full
    stopped = vs.gather(store, r, roots, limit=len(full) // 4)
    assert len(full) // 4 < len(stopped) < len(full) and stopped <= full


def test_a_cross_meeting_violation_is_found_in_parts(tmp_path):
    """A case that two meetings give different journal numbers (dct:identifier maxCount 1):
    seen only when the meetings' triples are merged; found with one root per part."""
    shared = _sample_shared()
    case = next(t.subject for t in shared if t.predicate == DCT.identifier)
    store = _store(tmp_path, [*shared, ox.Triple(case, DCT.identifier, ox.Literal("99.99.99-Z99-1-99"))])
    whole = validate_ntriples(store.ntriples())
    parts = validate_parts(store, reach(), "turbo", batch=1, budget=0)
    assert _same(parts, whole) and not parts.conforms
    assert {(r.focus, r.path, r.component) for r in parts.violations} >= {(case.value, "dct:identifier", "sh:MaxCountConstraintComponent")}


def test_shapes_the_parts_cannot_follow_are_refused():
    """A SPARQL pattern not connected to $this could read anything: refused (the build then
    validates the shared resources whole)."""
    import rdflib

    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:select "SELECT $this WHERE { ?x a <http://example.org/D> }" ] .
    """, format="turtle")
    with pytest.raises(Unsupported):
        compile_reach(g)
