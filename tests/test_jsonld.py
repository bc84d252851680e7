"""Differential test: the fast JSON-LD compactor (referatgraph.jsonld) against PyLD.

The release's compact JSON-LD is produced by the fast path only because it equals PyLD's
compaction (of the expanded JSON-LD pyoxigraph writes of the triples), node for node, on
everything a build publishes; anything outside the fast path's part of JSON-LD raises
Unsupported and goes to PyLD.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld

from referatgraph import publish
from referatgraph.jsonld import Compactor, Unsupported
from referatgraph.pipeline import build


def dataset_triples(path):
    return sorted({q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}, key=publish.sort_key)


def fast(triples):
    """The fast path alone (no fallback to PyLD)."""
    compactor = Compactor(publish.context())
    described = publish.Subjects(triples)
    return [compactor.node(described.term(s), props) for s, props in described.props.items()]


def by_pyld(triples):
    expanded = publish._native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))
    return jsonld.compact(expanded, {"@context": publish.context()}, {"graph": True})["@graph"]


def dump(node):
    return json.dumps(node, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    assert build(None, out).ok
    return out


def test_every_published_node_compacts_as_pyld_does(release):
    triples = dataset_triples(release / "dataset.ttl")
    assert len(triples) > 5000
    ours = fast(triples)
    assert len(ours) > 500
    reference = {n["id"]: dump(n) for n in by_pyld(triples)}
    assert len(reference) == len(ours)
    different = [n["id"] for n in ours if reference[n["id"]] != dump(n)]
    assert different == []
    # values of every kind were there: IRIs, language strings, plain and typed literals, numbers, booleans
    values = [v for n in ours for k, vs in n.items() if k not in ("id", "type") for v in (vs if isinstance(vs, list) else [vs])]
    assert {type(v) for v in values} >= {str, int, bool, dict}


def test_values_outside_the_context_fall_back_to_compact_iris_as_pyld_does():
    s, xsd = ox.NamedNode("https://referatgraph.example/id/item/x-1"), "http://www.w3.org/2001/XMLSchema#"
    po = [
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode("http://data.vlaanderen.be/ns/besluit#Agendapunt")),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode("http://example.org/Other")),
        ("http://purl.org/dc/terms/title", ox.Literal("Titel", language="da")),
        ("http://purl.org/dc/terms/title", ox.Literal("Title")),
        ("http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("no language")),
        ("http://purl.org/dc/terms/date", ox.Literal("2023", datatype=ox.NamedNode(xsd + "gYear"))),
        ("http://example.org/unknown", ox.NamedNode("https://w3id.org/referatgraph/concept/outcome/approved")),
        ("http://schema.org/position", ox.Literal("3", datatype=ox.NamedNode(xsd + "integer"))),
        ("http://schema.org/position", ox.Literal("4", datatype=ox.NamedNode(xsd + "integer"))),
        ("https://w3id.org/referatgraph/ns#online", ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))),
    ]
    triples = sorted((ox.Triple(s, ox.NamedNode(p), o) for p, o in po), key=publish.sort_key)
    assert [dump(n) for n in fast(triples)] == [dump(n) for n in by_pyld(triples)]


@pytest.mark.parametrize("triple", [
    ox.Triple(ox.BlankNode("b0"), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("x")),
    ox.Triple(ox.NamedNode("https://ex.org/a"), ox.NamedNode("http://purl.org/dc/terms/hasPart"), ox.BlankNode("b1")),
])
def test_what_the_fast_path_does_not_handle_is_refused(triple):
    with pytest.raises(Unsupported):
        fast([triple])


def test_compact_nodes_uses_pyld_when_the_fast_path_refuses():
    triples = [ox.Triple(ox.BlankNode("b0"), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("x"))]
    assert publish.compact_nodes(publish.Subjects(triples)) == by_pyld(triples)


@pytest.mark.parametrize("obj", [
    {"b": [1, {"x": "æø\n\t\u0001\u007f\u2028<>&\"\\", "e": [], "f": {}}], "a": True, "c": None},
    [], {}, "tekst", {"@context": "../context.jsonld", "@graph": [{"id": "x", "n": -3}]},
])
def test_json_text_equals_the_standard_librarys_text(obj):
    from referatgraph.jsonld import json_text

    assert json_text(obj) == json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2)


def test_graph_entries_are_the_nodes_texts_indented(release):
    """_graph_entries dumps the list of nodes at once: the same bytes as each node's json_text
    indented by two spaces, comma-separated."""
    from referatgraph.jsonld import json_text

    nodes = publish.compact_nodes(publish.Subjects(dataset_triples(release / "dataset.ttl")))
    assert len(nodes) > 500
    expected = ",\n".join("  " + json_text(n).replace("\n", "\n  ") for n in nodes).encode()
    assert publish._graph_entries(nodes) == expected
    assert publish._graph_entries([]) == b""
