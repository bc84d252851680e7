"""The dataset description of a release: VoID (``void.ttl``) and DCAT-AP-DK (``catalog.ttl``).

VoID says what is in the data: triples, entities per class, properties, vocabularies, example
resources, one subset per named graph (a source document), the data dumps and — when the
release is served — the SPARQL endpoint. DCAT-AP-DK (Denmark's profile of DCAT-AP 2) is the
catalogue record a portal harvests: title, description, publisher, licence, dates, language,
spatial and temporal coverage, and one ``dcat:Distribution`` per file with media type, file type,
byte size and SHA-256. Both use the same dataset IRI, ``{base}dataset``; everything else they mint
is a fragment of it, so neither file has a blank node.

The shapes of DCAT-AP-DK 2.0.2 ask for a few things that look odd but are what the profile
says: languages from the EU *dataset*/language table (``…/resource/dataset/language/DAN``),
media types as IANA IRIs, byte sizes as ``xsd:decimal``; every value that a shape checks with
``sh:class`` carries its class here (the shapes use no inference).

Nothing here reads the clock unless a date is given as ``"today"``: by default the dates of issue
come from the inputs (the date of the latest meeting).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from . import __version__, vocab
from .errors import ReferatgraphError
from .map import sort_key

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = vocab.DCT.iri
FOAF = vocab.FOAF.iri
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SKOS = vocab.SKOS.iri
RDF_TYPE = vocab.RDF.type
RDFS_LABEL = vocab.RDFS.label
XSD = vocab.XSD.iri

DESCRIPTION_PREFIXES = {
    "void": VOID,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "sd": SD,
    "spdx": SPDX,
    "vcard": VCARD,
    "skos": SKOS,
    "rdfs": vocab.RDFS.iri,
    "xsd": XSD,
}

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
EU = "http://publications.europa.eu/resource/authority/"
#: DCAT-AP-DK 2.0.2 requires languages from this table (its shapes check the prefix).
LANGUAGE_DAN = "http://publications.europa.eu/resource/dataset/language/DAN"
LANGUAGE_ENG = "http://publications.europa.eu/resource/dataset/language/ENG"
DENMARK = EU + "country/DNK"
IANA = "https://www.iana.org/assignments/media-types/"

#: Standards a file or the dataset conforms to (dct:conformsTo), each typed dct:Standard.
STANDARDS = {
    "besluit": ("http://data.vlaanderen.be/ns/besluit", "Besluit (LBLOD) – vokabular for møder og beslutninger", "Besluit (LBLOD) vocabulary for sessions and decisions"),
    "eli": ("http://data.europa.eu/eli/ontology", "European Legislation Identifier (ELI)", "European Legislation Identifier (ELI) ontology"),
    "eli-dl": ("http://data.europa.eu/eli/eli-draft-legislation-ontology", "ELI – udkast til lovgivning (ELI-DL)", "ELI draft legislation ontology (ELI-DL)"),
    "kle": ("https://www.kle-online.dk/", "KL's Emnesystematik (KLE) – journalnumre", "KL's classification of municipal case subjects (KLE) – journal numbers"),
    "rg": ("https://w3id.org/referatgraph/ns", "referatgraph-ontologien", "The referatgraph ontology"),
    "shapes": ("https://w3id.org/referatgraph/shapes", "referatgraphs SHACL-former", "referatgraph SHACL shapes"),
    "jsonld": ("https://www.w3.org/TR/json-ld11/", "JSON-LD 1.1", "JSON-LD 1.1"),
    "turtle": ("https://www.w3.org/TR/turtle/", "RDF 1.1 Turtle", "RDF 1.1 Turtle"),
    "ntriples": ("https://www.w3.org/TR/n-triples/", "RDF 1.1 N-Triples", "RDF 1.1 N-Triples"),
    "nquads": ("https://www.w3.org/TR/n-quads/", "RDF 1.1 N-Quads", "RDF 1.1 N-Quads"),
    "trig": ("https://www.w3.org/TR/trig/", "RDF 1.1 TriG", "RDF 1.1 TriG"),
    "shacl": ("https://www.w3.org/TR/shacl/", "SHACL", "Shapes Constraint Language (SHACL)"),
    "owl": ("https://www.w3.org/TR/owl2-overview/", "OWL 2", "OWL 2 Web Ontology Language"),
    "html": ("https://html.spec.whatwg.org/", "HTML", "HTML Living Standard"),
}

#: file name → (IANA media type, EU file type, Danish title, English title, standards).
FILE_TYPES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "dataset.ttl": ("text/turtle", "RDF_TURTLE", "Hele datasættet som Turtle", "The whole dataset as Turtle", ("turtle", "besluit", "eli", "eli-dl", "kle", "rg", "shapes")),
    "dataset.nt": ("application/n-triples", "RDF_N_TRIPLES", "Hele datasættet som N-Triples", "The whole dataset as N-Triples", ("ntriples", "besluit", "eli", "eli-dl", "kle", "rg", "shapes")),
    "dataset.jsonld": ("application/ld+json", "JSON_LD", "Hele datasættet som kompakt JSON-LD (med context.jsonld)", "The whole dataset as compact JSON-LD (with context.jsonld)", ("jsonld", "besluit", "eli", "eli-dl", "kle", "rg")),
    "dataset.framed.jsonld": ("application/ld+json", "JSON_LD", "Hele datasættet som JSON-LD med ét træ pr. møde", "The whole dataset as JSON-LD, one tree per meeting", ("jsonld", "besluit", "eli", "eli-dl", "kle", "rg")),
    "dataset.trig": ("application/trig", "RDF_TRIG", "Hele datasættet som TriG, én navngiven graf pr. kildedokument", "The whole dataset as TriG, one named graph per source document", ("trig", "besluit", "eli", "eli-dl", "kle", "rg")),
    "dataset.nq": ("application/n-quads", "RDF_N_QUADS", "Hele datasættet som N-Quads, én navngiven graf pr. kildedokument", "The whole dataset as N-Quads, one named graph per source document", ("nquads", "besluit", "eli", "eli-dl", "kle", "rg")),
    "context.jsonld": ("application/ld+json", "JSON_LD", "JSON-LD-konteksten", "The JSON-LD context", ("jsonld",)),
    "ontology/referatgraph.ttl": ("text/turtle", "RDF_TURTLE", "Ontologien (OWL)", "The ontology (OWL)", ("turtle", "owl")),
    "ontology/concepts.ttl": ("text/turtle", "RDF_TURTLE", "Begrebssystemerne (SKOS)", "The concept schemes (SKOS)", ("turtle",)),
    "ontology/shapes.ttl": ("text/turtle", "RDF_TURTLE", "SHACL-formerne, som data valideres med", "The SHACL shapes the data is validated with", ("turtle", "shacl")),
    "ontology/index.html": ("text/html", "HTML", "Dokumentation af ontologien", "Documentation of the ontology", ("html",)),
    "index.html": ("text/html", "HTML", "Hjemmeside: møder, dagsordenspunkter og sager", "Web site: meetings, agenda items and cases", ("html",)),
}


class ConfigError(ReferatgraphError):
    """A release configuration file that cannot be used."""


@dataclass
class ReleaseConfig:
    """What the data cannot tell about its release. Every field can be set in a TOML file
    (``referatgraph build --config release.toml``); dates also with ``--issued``/``--modified``.
    The defaults are placeholders, like the default base IRI: set them before publishing."""

    title_da: str = "Referater fra kommunale udvalgsmøder"
    title_en: str = "Minutes of municipal committee meetings"
    description_da: str = (
        "Møder, dagsordenspunkter, sager (journalnumre), behandlinger, beslutninger, afsnit og "
        "bilag fra referaterne af kommunale udvalgsmøder, som linked open data, konverteret med "
        "referatgraph og valideret med SHACL."
    )
    description_en: str = (
        "Meetings, agenda items, cases (journal numbers), treatments, decisions, sections and "
        "attachments from the minutes of municipal committee meetings, as linked open data, "
        "converted with referatgraph and validated with SHACL."
    )
    publisher_iri: str | None = None  # default: {base}dataset#publisher
    publisher_name: str = "Udgiver ikke angivet (sæt publisher_name i konfigurationen)"
    publisher_type: str = "http://purl.org/adms/publishertype/LocalAuthority"
    contact_email: str | None = None
    licence: str = CC0
    licence_label: str = "CC0 1.0 Universal"
    licence_type: str = "http://purl.org/adms/licencetype/PublicDomain"
    spatial: list[str] = field(default_factory=lambda: [DENMARK])
    keywords_da: list[str] = field(default_factory=lambda: ["referater", "udvalgsmøder", "kommunale beslutninger", "dagsordener"])
    theme: str = EU + "data-theme/GOVE"
    #: Where the release directory is published; default: the base IRI (the site maps onto it).
    download_base: str | None = None
    #: A public SPARQL endpoint serving this release, if there is one.
    sparql_endpoint: str | None = None
    #: "YYYY-MM-DD", "today" (the clock, when asked), or None: the date of the latest meeting.
    issued: str | None = None
    modified: str | None = None

    @classmethod
    def from_toml(cls, path: str | Path) -> ReleaseConfig:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read release configuration: {exc}") from None
        data = data.get("release", data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        cfg = cls(**data)
        cfg.check()
        return cfg

    def check(self) -> None:
        for name in ("issued", "modified"):
            v = getattr(self, name)
            if v not in (None, "today"):
                try:
                    dt.date.fromisoformat(v)
                except (TypeError, ValueError):
                    raise ConfigError(f"{name}: expected YYYY-MM-DD or 'today', got {v!r}") from None
        for name in ("publisher_iri", "licence", "download_base", "sparql_endpoint", "theme"):
            v = getattr(self, name)
            if v is not None:
                try:
                    NamedNode(v)
                except ValueError:
                    raise ConfigError(f"{name}: not an IRI: {v!r}") from None


def resolve_date(value: str | None, fallback: dt.date | None) -> dt.date | None:
    if value == "today":
        return dt.date.today()
    if value:
        return dt.date.fromisoformat(value)
    return fallback


@dataclass
class Stats:
    """What the release saw while it wrote the data (no second pass over the data needed)."""

    triples: int = 0
    entities: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    dates: list[dt.date] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    graphs: list[tuple[str, int]] = field(default_factory=list)  # (graph IRI, triples)


@dataclass
class FileInfo:
    name: str  # path relative to the release directory
    size: int
    sha1: str


def namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


class _Graph:
    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, s: str | NamedNode, p: str, o) -> None:
        s = s if isinstance(s, NamedNode) else NamedNode(s)
        if isinstance(o, str):
            o = NamedNode(o)
        self.triples.append(Triple(s, NamedNode(p), o))

    def label(self, s, p: str, da: str, en: str | None = None) -> None:
        self.add(s, p, Literal(da, language="da"))
        if en:
            self.add(s, p, Literal(en, language="en"))

    def serialize(self, prefixes: dict[str, str]) -> bytes:
        return ox.serialize(sorted(set(self.triples), key=sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _date(d: dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=NamedNode(XSD + "date"))


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=NamedNode(XSD + "integer"))


def dataset_iri(base: str) -> str:
    return f"{base}dataset"


def void_graph(base: str, cfg: ReleaseConfig, stats: Stats, dumps: Iterable[str], vocabularies: Iterable[str]) -> bytes:
    """``void.ttl``: the VoID description of the dataset."""
    g = _Graph()
    d = dataset_iri(base)
    download = cfg.download_base or base
    g.add(d, str(RDF_TYPE.value), VOID + "Dataset")
    g.label(d, DCT + "title", cfg.title_da, cfg.title_en)
    g.label(d, DCT + "description", cfg.description_da, cfg.description_en)
    g.add(d, DCT + "license", cfg.licence)
    g.add(d, VOID + "triples", _int(stats.triples))
    g.add(d, VOID + "entities", _int(stats.entities))
    g.add(d, VOID + "classes", _int(len(stats.classes)))
    g.add(d, VOID + "properties", _int(len(stats.properties)))
    g.add(d, VOID + "uriSpace", Literal(base))
    g.add(d, VOID + "rootResource", base)
    g.add(d, FOAF + "homepage", base)
    for fmt in ("Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD"):
        g.add(d, VOID + "feature", f"http://www.w3.org/ns/formats/{fmt.replace('-', '_')}")
    for name in dumps:
        g.add(d, VOID + "dataDump", download + name)
    if cfg.sparql_endpoint:
        g.add(d, VOID + "sparqlEndpoint", cfg.sparql_endpoint)
    for ns in sorted(set(vocabularies)):
        g.add(d, VOID + "vocabulary", ns)
    for iri in stats.examples:
        g.add(d, VOID + "exampleResource", iri)
    for i, (cls, n) in enumerate(sorted(stats.classes.items()), 1):
        part = f"{d}#class-{i}"
        g.add(d, VOID + "classPartition", part)
        g.add(part, VOID + "class", cls)
        g.add(part, VOID + "entities", _int(n))
    for i, (prop, n) in enumerate(sorted(stats.properties.items()), 1):
        part = f"{d}#property-{i}"
        g.add(d, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", prop)
        g.add(part, VOID + "triples", _int(n))
    for i, (graph, n) in enumerate(stats.graphs, 1):
        sub = f"{d}#graph-{i}"
        g.add(d, VOID + "subset", sub)
        g.add(sub, str(RDF_TYPE.value), VOID + "Dataset")
        g.add(sub, str(RDF_TYPE.value), SD + "NamedGraph")
        g.add(sub, SD + "name", graph)
        g.add(sub, VOID + "triples", _int(n))
    return g.serialize(DESCRIPTION_PREFIXES)


def catalog_graph(base: str, cfg: ReleaseConfig, stats: Stats, files: list[FileInfo]) -> bytes:
    """``catalog.ttl``: the DCAT-AP-DK record (a dcat:Catalog with one dcat:Dataset)."""
    g = _Graph()
    T = str(RDF_TYPE.value)
    d = dataset_iri(base)
    cat = f"{d}#catalog"
    pub = cfg.publisher_iri or f"{d}#publisher"
    download = cfg.download_base or base
    first = min(stats.dates) if stats.dates else None
    last = max(stats.dates) if stats.dates else None
    issued = resolve_date(cfg.issued, last)
    modified = resolve_date(cfg.modified, issued)

    # Publisher, licence, language, places, theme: every value typed as the shapes expect.
    g.add(pub, T, FOAF + "Agent")
    g.add(pub, T, FOAF + "Organization")
    g.add(pub, FOAF + "name", Literal(cfg.publisher_name, language="da"))
    g.add(pub, DCT + "type", cfg.publisher_type)
    g.add(cfg.licence, T, DCT + "LicenseDocument")
    g.add(cfg.licence, DCT + "type", cfg.licence_type)
    g.add(cfg.licence, RDFS_LABEL.value, Literal(cfg.licence_label))
    for place in cfg.spatial:
        g.add(place, T, DCT + "Location")
    g.add(cfg.theme, T, SKOS + "Concept")
    g.label(cfg.theme, SKOS + "prefLabel", "Regeringen og den offentlige sektor", "Government and public sector")
    g.add(base, T, FOAF + "Document")

    g.add(cat, T, DCAT + "Catalog")
    g.label(cat, DCT + "title", f"Katalog: {cfg.title_da}", f"Catalogue: {cfg.title_en}")
    g.label(cat, DCT + "description", "Datakatalog for denne udgivelse af referatgraph-data.", "Data catalogue of this referatgraph release.")
    g.add(cat, DCT + "publisher", pub)
    g.add(cat, DCAT + "dataset", d)
    g.add(cat, DCT + "language", LANGUAGE_DAN)
    g.add(cat, DCT + "license", cfg.licence)
    g.add(cat, FOAF + "homepage", base)
    for place in cfg.spatial:
        g.add(cat, DCT + "spatial", place)
    if issued:
        g.add(cat, DCT + "issued", _date(issued))
    if modified:
        g.add(cat, DCT + "modified", _date(modified))

    g.add(d, T, DCAT + "Dataset")
    g.label(d, DCT + "title", cfg.title_da, cfg.title_en)
    g.label(d, DCT + "description", cfg.description_da, cfg.description_en)
    g.add(d, DCT + "publisher", pub)
    g.add(d, DCT + "creator", pub)
    g.add(d, DCT + "language", LANGUAGE_DAN)
    g.add(d, DCT + "identifier", Literal(d))
    g.add(d, DCT + "accrualPeriodicity", EU + "frequency/IRREG")
    g.add(d, DCT + "accessRights", EU + "access-right/PUBLIC")
    g.add(EU + "access-right/PUBLIC", T, DCT + "RightsStatement")
    g.add(d, DCAT + "landingPage", base)
    g.add(d, DCAT + "theme", cfg.theme)
    g.add(d, "http://www.w3.org/2002/07/owl#versionInfo", Literal(__version__))
    for kw in cfg.keywords_da:
        g.add(d, DCAT + "keyword", Literal(kw, language="da"))
    for place in cfg.spatial:
        g.add(d, DCT + "spatial", place)
    if issued:
        g.add(d, DCT + "issued", _date(issued))
    if modified:
        g.add(d, DCT + "modified", _date(modified))
    if first and last:
        period = f"{d}#period"
        g.add(d, DCT + "temporal", period)
        g.add(period, T, DCT + "PeriodOfTime")
        g.add(period, DCAT + "startDate", _date(first))
        g.add(period, DCAT + "endDate", _date(last))
    if cfg.contact_email:
        contact = f"{d}#contact"
        g.add(d, DCAT + "contactPoint", contact)
        g.add(contact, T, VCARD + "Kind")
        g.add(contact, VCARD + "fn", Literal(cfg.publisher_name))
        g.add(contact, VCARD + "hasEmail", f"mailto:{cfg.contact_email}")
    for key in ("besluit", "eli", "eli-dl", "kle", "rg", "shapes"):
        g.add(d, DCT + "conformsTo", STANDARDS[key][0])
    used = set()
    for f in files:
        media, eu_type, title_da, title_en, standards = FILE_TYPES[f.name]
        dist = f"{d}#distribution-{f.name.replace('/', '-')}"
        g.add(d, DCAT + "distribution", dist)
        g.add(dist, T, DCAT + "Distribution")
        g.label(dist, DCT + "title", title_da, title_en)
        g.add(dist, DCAT + "accessURL", download + f.name if f.name.endswith(".html") else base)
        if not f.name.endswith(".html"):
            g.add(dist, DCAT + "downloadURL", download + f.name)
        g.add(dist, DCAT + "mediaType", IANA + media)
        g.add(dist, DCT + "format", EU + "file-type/" + eu_type)
        g.add(dist, DCAT + "byteSize", Literal(str(f.size), datatype=NamedNode(XSD + "decimal")))
        g.add(dist, DCT + "license", cfg.licence)
        g.add(dist, DCT + "language", LANGUAGE_DAN)
        if modified:
            g.add(dist, DCT + "modified", _date(modified))
        checksum = f"{dist}-sha1"
        g.add(dist, SPDX + "checksum", checksum)
        g.add(checksum, T, SPDX + "Checksum")
        g.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha1")  # the only one the profile allows
        g.add(checksum, SPDX + "checksumValue", Literal(f.sha1, datatype=NamedNode(XSD + "hexBinary")))
        for key in standards:
            g.add(dist, DCT + "conformsTo", STANDARDS[key][0])
            used.add(key)
    for key in sorted(used | {"besluit", "eli", "eli-dl", "kle", "rg", "shapes"}):
        iri, da, en = STANDARDS[key]
        g.add(iri, T, DCT + "Standard")
        g.label(iri, DCT + "title", da, en)
    if cfg.sparql_endpoint:
        svc = f"{d}#sparql"
        g.add(cat, DCAT + "service", svc)
        g.add(svc, T, DCAT + "DataService")
        g.label(svc, DCT + "title", "SPARQL-endpoint", "SPARQL endpoint")
        g.add(svc, DCAT + "endpointURL", cfg.sparql_endpoint)
        g.add(svc, DCAT + "servesDataset", d)
        g.add(svc, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
        g.add("https://www.w3.org/TR/sparql11-protocol/", T, DCT + "Standard")
        dist = f"{d}#distribution-sparql"
        g.add(d, DCAT + "distribution", dist)
        g.add(dist, T, DCAT + "Distribution")
        g.label(dist, DCT + "title", "SPARQL-endpoint", "SPARQL endpoint")
        g.add(dist, DCAT + "accessURL", cfg.sparql_endpoint)
        g.add(dist, DCAT + "accessService", svc)
        g.add(dist, DCT + "license", cfg.licence)
    return g.serialize(DESCRIPTION_PREFIXES)
