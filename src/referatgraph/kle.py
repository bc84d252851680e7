"""KLE, the journal-number classification: codes as SKOS concepts, titles from the user's own file.

``27.03.00-Ø00-57-22`` holds the KLE topic ``27.03.00`` (in group ``27.03``, in main group
``27``) and the action facet ``Ø00`` (in facet category ``Ø``). The dataset publishes each code
used as a ``skos:Concept`` in one of two concept schemes (topics, action facets), with
``skos:notation``, ``skos:broader`` up the hierarchy and, for a topic, ``rdfs:seeAlso`` its public
page on KLE-online.

KLE's titles belong to KL (Kommunernes Landsforening), whose terms require consent for their use:
referatgraph bundles none. A user with access to KL's XML files (*KLE-Emneplan*,
*KLE-Handlingsfacetter*) runs ``referatgraph kle import FILE… --data DIR``: the titles of the
concepts the dataset in DIR uses are written to ``DIR/kle-labels.ttl`` as ``skos:prefLabel``s, next
to the dataset and never into the repository's published ``output/``. The files are parsed
safely: no network, no DTD, no entity expansion.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from lxml import etree
from pyoxigraph import Literal, NamedNode, Triple

from .errors import InputError, ReferatgraphError
from .iris import DEFAULT_BASE_IRI, Minter
from .vocab import PREFIXES, RDF, RDFS, REPO, SKOS

A = RDF.type
TOPIC_SCHEME = "kle-emneplan"
FACET_SCHEME = "kle-handlingsfacetter"
SCHEME_LABELS = {
    TOPIC_SCHEME: ("KLE-emneplan (emner)", "KLE subject plan (topics)"),
    FACET_SCHEME: ("KLE-handlingsfacetter", "KLE action facets"),
}
#: The file ``kle import`` writes next to a dataset.
LABELS_FILE = "kle-labels.ttl"


def concept_triples(minter: Minter, topic: str, facet: str) -> list[Triple]:
    """The concepts of one journal number's topic (with its group and main group) and action
    facet (with its category), and the two concept schemes.

    Each part is made once per base IRI and code (journal numbers share topics and facets) and
    kept in a bounded cache: the triples are immutable.
    """
    return [*_scheme_triples(minter.base), *_topic_triples(minter.base, topic), *_facet_triples(minter.base, facet)]


@lru_cache(maxsize=4)
def _scheme_triples(base: str) -> tuple[Triple, ...]:
    """The two concept schemes with their labels."""
    minter, out = Minter(base), []
    for name, (da, en) in SCHEME_LABELS.items():
        s = minter.kle_scheme(name)
        out += [Triple(s, A, SKOS.ConceptScheme), Triple(s, SKOS.prefLabel, Literal(da, language="da")),
                Triple(s, SKOS.prefLabel, Literal(en, language="en"))]
    return tuple(out)


def _chain(codes: list[str], mint, scheme: NamedNode) -> list[Triple]:
    """Concepts from the top of a hierarchy down, each narrower than the one before."""
    out = []
    parent = None
    for code in codes:
        c = mint(code)
        out += [Triple(c, A, SKOS.Concept), Triple(c, SKOS.notation, Literal(code)), Triple(c, SKOS.inScheme, scheme)]
        if parent is None:
            out += [Triple(c, SKOS.topConceptOf, scheme), Triple(scheme, SKOS.hasTopConcept, c)]
        else:
            out.append(Triple(c, SKOS.broader, parent))
        parent = c
    return out


@lru_cache(maxsize=512)
def _topic_triples(base: str, topic: str) -> tuple[Triple, ...]:
    """A topic, its group and main group, and the topic's page on KLE-online."""
    minter = Minter(base)
    out = _chain([topic[:2], topic[:5], topic], minter.kle_topic, minter.kle_scheme(TOPIC_SCHEME))
    return (*out, Triple(minter.kle_topic(topic), RDFS.seeAlso, minter.kle_online(topic)))


@lru_cache(maxsize=256)
def _facet_triples(base: str, facet: str) -> tuple[Triple, ...]:
    """An action facet and its category."""
    minter = Minter(base)
    return tuple(_chain([facet[:1], facet], minter.kle_facet, minter.kle_scheme(FACET_SCHEME)))


# --- KL's XML files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KleEntry:
    kind: str  # "main group" | "group" | "topic" | "facet category" | "facet"
    code: str  # "27", "27.03", "27.03.00", "Ø", "Ø00"
    title: str

    @property
    def is_topic(self) -> bool:
        return self.kind in ("main group", "group", "topic")


#: Element (local name, any namespace or none) → kind and the form of its number.
ELEMENTS = {
    "Hovedgruppe": ("main group", re.compile(r"^\d{2}$")),
    "Gruppe": ("group", re.compile(r"^\d{2}\.\d{2}$")),
    "Emne": ("topic", re.compile(r"^\d{2}\.\d{2}\.\d{2}$")),
    "HandlingsfacetKategori": ("facet category", re.compile(r"^[A-ZÆØÅ]$")),
    "Handlingsfacet": ("facet", re.compile(r"^[A-ZÆØÅ]\d{2}$")),
}


def xml_parser() -> etree.XMLParser:
    """No network, no DTD, no entity expansion, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def _text(el) -> str:
    """The element's own text, entity references left out."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _field(el, name: str, suffixes: tuple[str, ...]) -> str | None:
    """``<EmneNr>``/``<Nr>`` child or ``Nr="…"`` attribute of a KLE element."""
    wanted = {name + s for s in suffixes} | set(suffixes)
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname in wanted:
            return _text(child) or None
    for k, v in el.attrib.items():
        if etree.QName(k).localname in wanted:
            return " ".join(v.split()) or None
    return None


def read_kle(path: str | Path) -> list[KleEntry]:
    """Every main group, group, topic, facet category and facet in a KLE XML file.

    Tolerant of the shape: namespaces are ignored, numbers and titles may be child elements
    (``<EmneNr>``, ``<EmneTitel>``, ``<Nr>``, ``<Titel>``) or attributes. Entries whose number
    does not have the form of their kind are skipped.
    """
    try:
        tree = etree.parse(str(path), xml_parser())
    except OSError as exc:
        raise InputError(str(path), f"cannot read KLE file: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), f"not a well-formed XML file: {exc.msg}", exc.lineno) from None
    out = []
    for el in tree.getroot().iter():
        if not isinstance(el.tag, str):
            continue
        spec = ELEMENTS.get(etree.QName(el).localname)
        if spec is None:
            continue
        kind, form = spec
        name = etree.QName(el).localname
        code = _field(el, name, ("Nr", "Nummer"))
        title = _field(el, name, ("Titel", "Title"))
        if code and title and form.match(code):
            out.append(KleEntry(kind, code, title))
    return out


def used_concepts(data: Path, minter: Minter) -> set[str]:
    """The KLE concepts a built dataset (``data/dataset.ttl``) uses."""
    store = ox.Store()
    try:
        store.load(path=str(data / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    except OSError as exc:
        raise InputError(str(data / "dataset.ttl"), f"cannot read the dataset: {exc}") from None
    schemes = " ".join(f"<{minter.kle_scheme(n).value}>" for n in SCHEME_LABELS)
    rows = store.query(
        f"SELECT DISTINCT ?c WHERE {{ VALUES ?s {{ {schemes} }} ?c <{SKOS.inScheme.value}> ?s }}"
    )
    return {r["c"].value for r in rows}


def base_iri(data: Path) -> str:
    """The base IRI the dataset in ``data`` was built with (its report.json), else the default."""
    try:
        return json.loads((data / "report.json").read_text(encoding="utf-8"))["base_iri"]
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_BASE_IRI


def label_triples(entries: list[KleEntry], minter: Minter, used: set[str]) -> list[Triple]:
    out = set()
    for e in entries:
        node = minter.kle_topic(e.code) if e.is_topic else minter.kle_facet(e.code)
        if node.value in used:
            out.add(Triple(node, SKOS.prefLabel, Literal(e.title, language="da")))
    return sorted(out, key=str)


def import_labels(files: list[str | Path], data: str | Path) -> tuple[Path, int, int]:
    """Write the titles of the KLE concepts the dataset in ``data`` uses to ``data/kle-labels.ttl``.

    Returns (the file written, titles written, entries read). Refuses the repository's own
    ``output/``: KLE's titles are KL's and are not published with referatgraph.
    """
    from .publish import atomic_write, turtle

    data = Path(data)
    if data.resolve() == (REPO / "output").resolve():
        raise ReferatgraphError(
            f"{data}: KLE titles belong to KL and are not written into the repository's published "
            "output/; build your own release (referatgraph build --out DIR) and import into it"
        )
    minter = Minter(base_iri(data))
    entries = [e for f in files for e in read_kle(f)]
    triples = label_triples(entries, minter, used_concepts(data, minter))
    header = (
        b"# KLE titles (KL's Emnesystematik), imported by the user from their own KLE files for the\n"
        b"# concepts this dataset uses. KLE belongs to KL: do not republish without KL's consent.\n"
    )
    prefixes = {**PREFIXES, "kle-topic": minter.namespace("kle-topic"), "kle-facet": minter.namespace("kle-facet")}
    path = data / LABELS_FILE
    atomic_write(path, header + turtle(triples, prefixes))
    return path, len(triples), len(entries)
