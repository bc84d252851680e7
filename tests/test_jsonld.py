"""Differential test: the fast JSON-LD compactor (referatgraph.jsonld) against PyLD.

The release's compact JSON-LD is produced by the fast path only because it equals PyLD's
compaction, node for node, on everything a build publishes; anything outside the fast path's
part of JSON-LD raises Unsupported and goes to PyLD.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld

from referatgraph import publish
from referatgraph.jsonld import Compactor, Unsupported, compact
from referatgraph.pipeline import build


def expanded(path):
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    triples = sorted({q.triple for q in quads}, key=str)
    return publish._native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))


def by_pyld(nodes):
    return jsonld.compact(nodes, {"@context": publish.context()}, {"graph": True})["@graph"]


def dump(node):
    return json.dumps(node, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    assert build(None, out).ok
    return out


def test_every_published_node_compacts_as_pyld_does(release):
    nodes = expanded(release / "dataset.ttl")
    assert len(nodes) > 500
    ours = compact(nodes, Compactor(publish.context()))
    reference = {n["id"]: dump(n) for n in by_pyld(nodes)}
    assert len(reference) == len(ours)
    different = [n["id"] for n in ours if reference[n["id"]] != dump(n)]
    assert different == []


def test_values_outside_the_context_fall_back_to_compact_iris_as_pyld_does():
    nodes = [{
        "@id": "https://referatgraph.example/id/item/x-1",
        "@type": ["http://data.vlaanderen.be/ns/besluit#Agendapunt", "http://example.org/Other"],
        "http://purl.org/dc/terms/title": [{"@value": "Titel", "@language": "da"}, {"@value": "Title"}],
        "http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "no language"}],
        "http://purl.org/dc/terms/date": [{"@value": "2023", "@type": "http://www.w3.org/2001/XMLSchema#gYear"}],
        "http://example.org/unknown": [{"@id": "https://w3id.org/referatgraph/concept/outcome/approved"}],
        "http://schema.org/position": [{"@value": 3}, {"@value": 4}],
        "https://w3id.org/referatgraph/ns#online": [{"@value": True}],
    }]
    assert [dump(n) for n in compact(nodes, Compactor(publish.context()))] == [dump(n) for n in by_pyld(nodes)]


@pytest.mark.parametrize("node", [
    {"@id": "_:b0", "http://purl.org/dc/terms/title": [{"@value": "x"}]},
    {"@id": "https://ex.org/a", "http://purl.org/dc/terms/title": [{"@list": [{"@value": "x"}]}]},
    {"@id": "https://ex.org/a", "@reverse": {}},
])
def test_what_the_fast_path_does_not_handle_is_refused(node):
    with pytest.raises(Unsupported):
        compact([node], Compactor(publish.context()))


def test_compact_nodes_uses_pyld_when_the_fast_path_refuses():
    triples = [ox.Triple(ox.BlankNode("b0"), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("x"))]
    assert publish.compact_nodes(publish.Subjects(triples)) == by_pyld(publish._native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))))


def test_expanded_nodes_equal_pyoxigraphs_json_ld(release):
    """publish.expanded_nodes builds the expanded nodes directly; they must equal what the
    route through pyoxigraph's JSON-LD serializer gives, values in the same order."""
    triples = sorted({q.triple for q in ox.parse(path=str(release / "dataset.ttl"), format=ox.RdfFormat.TURTLE)},
                     key=publish.sort_key)
    assert len(triples) > 5000
    direct = publish.expanded_nodes(publish.Subjects(triples))
    via_json = publish._native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))
    assert [json.dumps(n, sort_keys=True) for n in direct] == [json.dumps(n, sort_keys=True) for n in via_json]
    # the native types are there: integers as numbers, booleans as booleans
    values = [v["@value"] for n in direct for k, vs in n.items() if not k.startswith("@") for v in vs if "@value" in v]
    assert any(type(v) is int for v in values) and any(type(v) is bool for v in values)


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

    triples = sorted({q.triple for q in ox.parse(path=str(release / "dataset.ttl"), format=ox.RdfFormat.TURTLE)},
                     key=publish.sort_key)
    nodes = publish.compact_nodes(publish.Subjects(triples))
    assert len(nodes) > 500
    expected = ",\n".join("  " + json_text(n).replace("\n", "\n  ") for n in nodes).encode()
    assert publish._graph_entries(nodes) == expected
    assert publish._graph_entries([]) == b""
