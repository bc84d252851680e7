"""The SHACL shapes, the ontology and the concept schemes.

Shape cases live in ``tests/shapes/<case>/``: ``valid.ttl`` must conform and ``invalid.ttl`` must
give exactly the results listed in ``expected.json`` (focus node, result path, constraint
component, source shape and severity; nothing more, nothing less). Both files are validated
together with ``tests/shapes/base.ttl`` (a small conforming meeting the cases refer to) and
``ontology/concepts.ttl`` (published with every dataset).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SKOS

from referatgraph.model import CaseType, Outcome, SectionKind

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "shapes" / "referatgraph.shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "referatgraph.ttl"
CONCEPTS_FILE = ROOT / "ontology" / "concepts.ttl"
MAPPING_FILE = ROOT / "docs" / "mapping.md"
CASES_DIR = Path(__file__).resolve().parent / "shapes"
BASE_FILE = CASES_DIR / "base.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
RG = Namespace("https://w3id.org/referatgraph/ns#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY_IRI = URIRef("https://w3id.org/referatgraph/ns")
SCHEMES = {
    "case-type": URIRef("https://w3id.org/referatgraph/concept/case-type"),
    "outcome": URIRef("https://w3id.org/referatgraph/concept/outcome"),
    "section-kind": URIRef("https://w3id.org/referatgraph/concept/section-kind"),
}

#: Prefixes of the names used in expected.json (and in failure messages).
PREFIXES = {
    "rg": "https://w3id.org/referatgraph/ns#",
    "rgsh": "https://w3id.org/referatgraph/shapes#",
    "rgct": "https://w3id.org/referatgraph/concept/case-type/",
    "rgoc": "https://w3id.org/referatgraph/concept/outcome/",
    "rgsk": "https://w3id.org/referatgraph/concept/section-kind/",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "body": "https://referatgraph.example/id/body/",
    "meeting": "https://referatgraph.example/id/meeting/",
    "item": "https://referatgraph.example/id/item/",
    "treatment": "https://referatgraph.example/id/treatment/",
    "decision": "https://referatgraph.example/id/decision/",
    "section": "https://referatgraph.example/id/section/",
    "attachment": "https://referatgraph.example/id/attachment/",
    "case": "https://referatgraph.example/id/case/",
    "place": "https://referatgraph.example/id/place/",
    "document": "https://referatgraph.example/id/document/",
    "conversion": "https://referatgraph.example/id/conversion/",
    "software": "https://w3id.org/referatgraph/software/",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "person": "http://www.w3.org/ns/person#",
    "p": "https://referatgraph.example/id/person/",
    "party": "https://referatgraph.example/id/party/",
    "ms": "https://referatgraph.example/id/membership/",
    "vote": "https://referatgraph.example/id/vote/",
    "rec": "https://referatgraph.example/id/recommendation/",
    "point": "https://referatgraph.example/id/point/",
    "amendment": "https://referatgraph.example/id/amendment/",
    "referral": "https://referatgraph.example/id/referral/",
    # linking
    "group": "https://referatgraph.example/id/group/",
    "nrec": "https://referatgraph.example/id/numbered-recommendation/",
    "initiative": "https://referatgraph.example/id/initiative/",
    "status": "https://referatgraph.example/id/status/",
    "link": "https://referatgraph.example/id/link/",
    "kle-topic": "https://referatgraph.example/id/kle-topic/",
    "kle-facet": "https://referatgraph.example/id/kle-facet/",
    "scheme": "https://referatgraph.example/id/scheme/",
}


# --- helpers --------------------------------------------------------------------------------


@cache
def parsed(path: Path) -> Graph:
    """A file parsed once; callers copy it before adding to it."""
    return Graph().parse(path, format="turtle")


def graph(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g += parsed(p)
    return g


def expand(name: str) -> URIRef:
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, local = name.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def short(term) -> str:
    """A prefixed name for an IRI (the longest matching namespace), else <iri>."""
    best = max(
        (p for p, ns in PREFIXES.items() if str(term).startswith(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    if best is None:
        return f"<{term}>"
    local = str(term)[len(PREFIXES[best]) :]
    return (
        f"{best}:{local}" if re.fullmatch(r"[\w.%-]*", local) and local[-1:] != "." else f"<{term}>"
    )


def path_text(report: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        if report.value(path, RDF.first) is not None:  # a sequence path: "p/q"
            return "/".join(path_text(report, p) for p in Collection(report, path))
        inverse = report.value(path, SH.inversePath)
        assert inverse is not None, "only predicate, inverse and sequence paths are used in the shapes"
        return "^" + short(inverse)
    return short(path)


def run(data, **kwargs) -> tuple[bool, Graph]:
    conforms, report, _ = validate(
        data,
        shacl_graph=parsed(SHAPES_FILE),
        ont_graph=None,
        inference="none",
        advanced=False,
        **kwargs,
    )
    return conforms, report


def results(report: Graph) -> Counter:
    """(focus, path, component, source shape, severity) of every result, as short names."""
    found = Counter()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(r, SH.sourceShape)
        found[
            (
                short(report.value(r, SH.focusNode)),
                path_text(report, report.value(r, SH.resultPath)),
                short(report.value(r, SH.sourceConstraintComponent)),
                short(source) if isinstance(source, URIRef) else "(blank node shape)",
                short(report.value(r, SH.resultSeverity)),
            )
        ] += 1
    return found


def canonical(name: str | None) -> str | None:
    """A name from expected.json in the form results() gives it ("^p" for an inverse path)."""
    if name is None:
        return None
    if "/" in name and not name.startswith("<"):  # a sequence path: "p/q"
        return "/".join(canonical(part) for part in name.split("/"))
    if name.startswith("^"):
        return "^" + short(expand(name[1:]))
    return short(expand(name))


def expected_results(case: str) -> Counter:
    spec = json.loads((CASES_DIR / case / "expected.json").read_text(encoding="utf-8"))
    return Counter(
        (
            canonical(e["focus"]),
            canonical(e["path"]),
            canonical(e["component"]),
            canonical(e["source_shape"]),
            canonical(e.get("severity", "sh:Violation")),
        )
        for e in spec["results"]
    )


def case_data(case: str, file: str) -> Graph:
    return graph(BASE_FILE, CASES_DIR / case / file, CONCEPTS_FILE)


CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.json").is_file())
WARNING_CASES = [c for c in CASES if all(e[4] == "sh:Warning" for e in expected_results(c))]


# --- shape cases ----------------------------------------------------------------------------


def test_base_conforms():
    conforms, report = run(graph(BASE_FILE, CONCEPTS_FILE))
    assert conforms, sorted(results(report))


@pytest.mark.parametrize("case", CASES)
def test_valid_case_conforms(case):
    conforms, report = run(case_data(case, "valid.ttl"))
    assert conforms, sorted(results(report))


@pytest.mark.parametrize("case", CASES)
def test_invalid_case_gives_exactly_the_expected_results(case):
    conforms, report = run(case_data(case, "invalid.ttl"))
    assert not conforms
    def key(t):
        return tuple("" if x is None else str(x) for x in t)

    assert sorted(results(report).elements(), key=key) == sorted(expected_results(case).elements(), key=key)


@pytest.mark.parametrize("case", WARNING_CASES)
def test_warnings_do_not_fail_when_allowed(case):
    conforms, _ = run(case_data(case, "invalid.ttl"), allow_warnings=True)
    assert conforms


def test_every_targeted_node_shape_has_cases():
    shapes = parsed(SHAPES_FILE)
    targets = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
    targeted = {short(s) for t in targets for s in shapes.subjects(t, None)}
    covered = {
        json.loads((CASES_DIR / c / "expected.json").read_text(encoding="utf-8"))["shape"]
        for c in CASES
    }
    assert targeted - covered == set()
    assert covered - targeted == set()


def test_every_property_shape_has_a_case():
    """Each named property shape is the source of a result in some case (the type checks of
    concepts and schemes are covered by test_concepts_must_be_published_with_the_data)."""
    shapes = parsed(SHAPES_FILE)
    named = {short(o) for o in shapes.objects(None, SH.property) if isinstance(o, URIRef)}
    covered = {source for case in CASES for _, _, _, source, _ in expected_results(case)}
    covered |= {"rgsh:Concept-type", "rgsh:Concept-inScheme", "rgsh:ConceptScheme-type"}
    assert named - covered == set()


def test_expected_source_shapes_exist():
    shapes = parsed(SHAPES_FILE)
    for case in CASES:
        for _, _, _, source, _ in expected_results(case):
            assert (expand(source), None, None) in shapes, f"{case}: unknown shape {source}"


#: The only SHACL-SPARQL constraints: rules of meaning SHACL Core cannot express.
SPARQL_CONSTRAINTS = {
    "rgsh:Vote-countForEqualsNamed", "rgsh:Vote-countAgainstEqualsNamed",
    "rgsh:Vote-countAbstainEqualsNamed", "rgsh:Vote-noAbsentVoter", "rgsh:Person-onePartyPerDate",
    "(the constraint of rgsh:DecisionOutcomeConsistency)",
}


def test_shapes_use_shacl_core_except_the_listed_rules_of_meaning():
    shapes = parsed(SHAPES_FILE)
    for p in (SH.target, SH.ask):
        assert (None, p, None) not in shapes, f"SHACL-SPARQL ({short(p)}) in the shapes"
    used = set()
    for node, c in shapes.subject_objects(SH.sparql):
        used.add(short(c) if isinstance(c, URIRef) else f"(the constraint of {short(node)})")
    assert used == SPARQL_CONSTRAINTS
    assert len(list(shapes.subjects(SH.select, None))) == len(SPARQL_CONSTRAINTS)


def test_typed_xsd_string_literals_conform_through_pyoxigraph():
    """pyoxigraph (and oxrdflib) give plain literals as "…"^^xsd:string, which rdflib keeps
    apart from "…": string value sets must accept both, so validate a pyoxigraph store."""
    store = ox.Store()
    for path in (BASE_FILE, CASES_DIR / "case-scheme-value" / "valid.ttl", CONCEPTS_FILE):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    conforms, report = run(store)
    assert conforms, sorted(results(report))


def test_concepts_must_be_published_with_the_data():
    """Without ontology/concepts.ttl every concept and scheme is reported (by targetNode) and
    so is every concept used in the data (by targetObjectsOf)."""
    conforms, report = run(graph(BASE_FILE))
    assert not conforms
    found = results(report)
    assert {source for _, _, _, source, _ in found} == {
        "rgsh:Concept-type",
        "rgsh:Concept-notation",
        "rgsh:Concept-prefLabel",
        "rgsh:Concept-definition",
        "rgsh:Concept-inScheme",
        "rgsh:ConceptScheme-type",
        "rgsh:ConceptScheme-prefLabel",
        "rgsh:ConceptScheme-topConcepts",
    }
    concepts = parsed(CONCEPTS_FILE)
    published = set(concepts.subjects(RDF.type, SKOS.Concept)) | set(
        concepts.subjects(RDF.type, SKOS.ConceptScheme)
    )
    assert {focus for focus, *_ in found} == {short(n) for n in published}


# --- ontology -------------------------------------------------------------------------------


def rg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(RG))}


def one_per_language(g: Graph, node, prop) -> dict[str, int]:
    return Counter(getattr(o, "language", None) for o in g.objects(node, prop))


def test_ontology_header():
    g = parsed(ONTOLOGY_FILE)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert one_per_language(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")) == {
        "da": 1,
        "en": 1,
    }
    assert one_per_language(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")) == {
        "da": 1,
        "en": 1,
    }
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )


def test_every_rg_term_is_declared_with_danish_and_english_label_and_definition():
    g = parsed(ONTOLOGY_FILE)
    terms = rg_terms(g)
    assert len(terms) >= 57  # core (32) + deliberation (25); linking adds its own
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for t in sorted(terms):
        assert len(set(g.objects(t, RDF.type)) & kinds) == 1, f"{short(t)}: declare its kind"
        assert one_per_language(g, t, RDFS.label) == {"da": 1, "en": 1}, short(t)
        assert one_per_language(g, t, SKOS.definition) == {"da": 1, "en": 1}, short(t)
        assert (t, RDFS.isDefinedBy, ONTOLOGY_IRI) in g, short(t)


def test_every_rg_term_of_the_mapping_and_the_shapes_is_in_the_ontology():
    defined = {short(t) for t in rg_terms(parsed(ONTOLOGY_FILE))}
    in_mapping = set(
        re.findall(r"\brg:[A-Za-z][A-Za-z0-9]*", MAPPING_FILE.read_text(encoding="utf-8"))
    )
    shapes = parsed(SHAPES_FILE)
    in_shapes = {
        short(t)
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and t.startswith(str(RG))
    }
    assert in_mapping - defined == set()
    assert in_shapes - defined == set()
    assert defined - in_mapping == set(), "terms the mapping does not use"


@pytest.mark.parametrize(
    ("term", "relation", "target"),
    [
        ("rg:Meeting", "rdfs:subClassOf", "besluit:Zitting"),
        ("rg:AgendaItem", "rdfs:subClassOf", "besluit:Agendapunt"),
        ("rg:Treatment", "rdfs:subClassOf", "besluit:BehandelingVanAgendapunt"),
        ("rg:Decision", "rdfs:subClassOf", "besluit:Besluit"),
        (
            "rg:Case",
            "rdfs:subClassOf",
            "<http://data.europa.eu/eli/eli-draft-legislation-ontology#Process>",
        ),
        ("rg:Committee", "rdfs:subClassOf", "besluit:Bestuursorgaan"),
        ("rg:Committee", "rdfs:subClassOf", "org:Organization"),
        ("rg:Attachment", "rdfs:subClassOf", "foaf:Document"),
        ("rg:SourceDocument", "rdfs:subClassOf", "foaf:Document"),
        ("rg:SourceDocument", "rdfs:subClassOf", "prov:Entity"),
        ("rg:Place", "rdfs:subClassOf", "prov:Location"),
        ("rg:meeting", "<http://www.w3.org/2002/07/owl#inverseOf>", "besluit:behandelt"),
        ("rg:Meeting", "skos:closeMatch", "<https://schema.oparl.org/1.1/Meeting>"),
    ],
)
def test_alignment(term, relation, target):
    assert (expand(term), expand(relation), expand(target)) in parsed(ONTOLOGY_FILE)


def test_datatype_properties_have_xsd_ranges():
    g = parsed(ONTOLOGY_FILE)
    for p in g.subjects(RDF.type, OWL.DatatypeProperty):
        rng = g.value(p, RDFS.range)
        assert rng is not None and (rng.startswith(XSD_NS) or rng == RDF.langString), short(p)


# --- concept schemes ------------------------------------------------------------------------


def test_concepts_file_holds_concept_scheme_triples_only():
    g = parsed(CONCEPTS_FILE)
    assert {o for o in g.objects(None, RDF.type)} == {SKOS.Concept, SKOS.ConceptScheme}
    for p in set(g.predicates()):
        assert p == RDF.type or p.startswith(str(SKOS)), f"not a SKOS triple: {short(p)}"
    for s in set(g.subjects()):
        assert (s, RDF.type, None) in g, f"untyped subject {short(s)}"


@pytest.mark.parametrize(
    ("scheme", "notations"),
    [
        ("case-type", {c.value for c in CaseType}),
        ("outcome", {o.value for o in Outcome}),
        ("section-kind", {k.value for k in SectionKind}),
    ],
)
def test_concept_scheme_matches_the_model(scheme, notations):
    g = parsed(CONCEPTS_FILE)
    iri = SCHEMES[scheme]
    assert (iri, RDF.type, SKOS.ConceptScheme) in g
    assert one_per_language(g, iri, SKOS.prefLabel) == {"da": 1, "en": 1}
    concepts = set(g.subjects(SKOS.inScheme, iri))
    assert set(g.objects(iri, SKOS.hasTopConcept)) == concepts
    assert {str(g.value(c, SKOS.notation)) for c in concepts} == notations
    for c in concepts:
        assert c == URIRef(f"{iri}/{g.value(c, SKOS.notation)}"), "IRI = scheme/notation"
        assert (c, RDF.type, SKOS.Concept) in g
        assert len(list(g.objects(c, SKOS.notation))) == 1
        assert one_per_language(g, c, SKOS.prefLabel) == {"da": 1, "en": 1}, short(c)
        assert one_per_language(g, c, SKOS.definition) == {"da": 1, "en": 1}, short(c)
        assert set(g.objects(c, SKOS.topConceptOf)) == {iri}


def test_concept_shapes_target_exactly_the_published_concepts():
    concepts, shapes = parsed(CONCEPTS_FILE), parsed(SHAPES_FILE)
    rgsh = expand("rgsh:ConceptShape"), expand("rgsh:ConceptSchemeShape")
    assert set(shapes.objects(rgsh[0], SH.targetNode)) == set(
        concepts.subjects(RDF.type, SKOS.Concept)
    )
    assert set(shapes.objects(rgsh[1], SH.targetNode)) == set(
        concepts.subjects(RDF.type, SKOS.ConceptScheme)
    )


# --- messages -------------------------------------------------------------------------------


def test_every_property_shape_has_name_and_message_in_danish_and_english():
    shapes = parsed(SHAPES_FILE)
    property_shapes = set(shapes.subjects(SH.path, None))
    assert len(property_shapes) > 50
    for ps in property_shapes:
        where = (
            short(ps)
            if isinstance(ps, URIRef)
            else f"property shape on {short(shapes.value(ps, SH.path))}"
        )
        assert one_per_language(shapes, ps, SH.message) == {"da": 1, "en": 1}, where
        assert one_per_language(shapes, ps, SH.name) == {"da": 1, "en": 1}, where


def test_every_message_is_in_danish_and_english():
    shapes = parsed(SHAPES_FILE)
    for s in set(shapes.subjects(SH.message, None)):
        assert one_per_language(shapes, s, SH.message) == {"da": 1, "en": 1}, short(s)
    for s in set(shapes.subjects(SH["or"], None)):
        assert one_per_language(shapes, s, SH.message) == {"da": 1, "en": 1}, short(s)
