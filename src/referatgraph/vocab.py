"""Vocabulary terms, in one module: closed namespaces where a typo fails loudly.

``RG`` holds exactly the terms ``ontology/referatgraph.ttl`` defines (read from it at import), so
code cannot use a project term the ontology does not define.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

#: The repository's ontology/ and shapes/ folders (the package is installed from the repo).
REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = REPO / "ontology" / "referatgraph.ttl"
CONCEPTS_FILE = REPO / "ontology" / "concepts.ttl"
SHAPES_FILE = REPO / "shapes" / "referatgraph.shapes.ttl"
QUERIES_DIR = REPO / "queries"


class Namespace:
    """A closed namespace: ``NS.term`` or ``NS["Agendapunt.type"]`` for listed terms only."""

    def __init__(self, iri: str, terms: str):
        self.iri = iri
        self.terms = frozenset(terms.split())
        self._nodes = {t: NamedNode(iri + t) for t in self.terms}

    def __getattr__(self, name: str) -> NamedNode:
        try:
            return self.__dict__["_nodes"][name]
        except KeyError:
            raise AttributeError(f"{name!r} is not a term of <{self.iri}>") from None

    def __getitem__(self, name: str) -> NamedNode:
        return self.__getattr__(name)

    def __repr__(self) -> str:
        return f"Namespace({self.iri!r})"


def _ontology_terms(namespace: str) -> str:
    """Every term the ontology defines in ``namespace`` (so ``RG`` is always in step with it)."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    terms = {q.subject.value[len(namespace):] for q in quads if isinstance(q.subject, NamedNode) and q.subject.value.startswith(namespace)}
    return " ".join(sorted(t for t in terms if t))


#: The project's own terms, read from ontology/referatgraph.ttl: a term not defined there fails.
RG = Namespace("https://w3id.org/referatgraph/ns#", _ontology_terms("https://w3id.org/referatgraph/ns#"))
#: Every concept and concept scheme of the project lives under this IRI.
CONCEPTS_BASE = "https://w3id.org/referatgraph/concept/"
RGCT = Namespace("https://w3id.org/referatgraph/concept/case-type/", "B C D")
RGOC = Namespace(
    "https://w3id.org/referatgraph/concept/outcome/",
    "approved recommended noted discussed rejected",
)
RGSK = Namespace(
    "https://w3id.org/referatgraph/concept/section-kind/",
    "summary effect recommendation decision presentation finance attachments",
)
BESLUIT = Namespace(
    "http://data.vlaanderen.be/ns/besluit#",
    """
    Zitting Agendapunt BehandelingVanAgendapunt Besluit Bestuursorgaan Stemming
    geplandeStart isGehoudenDoor behandelt Agendapunt.type aangebrachtNa gebeurtNa
    geplandOpenbaar openbaar heeftStemming onderwerp gevolg heeftVoorstander heeftTegenstander
    heeftOnthouder aantalVoorstanders aantalTegenstanders aantalOnthouders
    """,
)
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#", "Mandataris Fractie")
ELI = Namespace("http://data.europa.eu/eli/ontology#", "description title language is_about")
ELI_DL = Namespace(
    "http://data.europa.eu/eli/eli-draft-legislation-ontology#", "Process had_decision_outcome"
)
DCT = Namespace(
    "http://purl.org/dc/terms/",
    "title identifier isPartOf subject date format description references",
)
SCHEMA = Namespace("http://schema.org/", "position softwareVersion")
PROV = Namespace(
    "http://www.w3.org/ns/prov#",
    """
    Activity Entity Location SoftwareAgent atLocation wasDerivedFrom wasGeneratedBy generated
    used wasAssociatedWith
    """,
)
SKOS = Namespace(
    "http://www.w3.org/2004/02/skos/core#",
    "Concept ConceptScheme prefLabel notation inScheme topConceptOf altLabel broader hasTopConcept",
)
FOAF = Namespace("http://xmlns.com/foaf/0.1/", "Document Person name")
ORG = Namespace(
    "http://www.w3.org/ns/org#",
    "Organization Membership Role hasMembership member organization role headOf",
)
PERSON = Namespace("http://www.w3.org/ns/person#", "Person")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type Statement subject predicate object")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#", "label seeAlso")
XSD = Namespace(
    "http://www.w3.org/2001/XMLSchema#",
    "string integer boolean date dateTime gYear",
)

#: The Danish language in the EU language authority table (for eli:language).
LANGUAGE_DA = NamedNode("http://publications.europa.eu/resource/authority/language/DAN")

#: Prefixes used when serialising (data prefixes come from the Minter).
PREFIXES = {
    "rg": RG.iri,
    "rgct": RGCT.iri,
    "rgoc": RGOC.iri,
    "rgsk": RGSK.iri,
    "besluit": BESLUIT.iri,
    "mandaat": MANDAAT.iri,
    "eli": ELI.iri,
    "eli-dl": ELI_DL.iri,
    "dct": DCT.iri,
    "schema": SCHEMA.iri,
    "prov": PROV.iri,
    "skos": SKOS.iri,
    "foaf": FOAF.iri,
    "org": ORG.iri,
    "person": PERSON.iri,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "xsd": XSD.iri,
}
