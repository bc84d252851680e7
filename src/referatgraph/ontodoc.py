"""Human documentation of the ontology, generated from ``ontology/`` as one HTML page.

Classes, properties (object, datatype, annotation), and the SKOS concept schemes, each with its
Danish and English labels and definitions, super-classes and -properties, domain and range, and
the alignments to other models (``skos:closeMatch`` / ``broadMatch`` / ``relatedMatch``,
``owl:equivalentClass`` …). Written by :class:`referatgraph.publish.Release` as
``ontology/index.html``; the same bytes for the same ontology.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2
import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from . import __version__, vocab
from .vocab import CONCEPTS_FILE, ONTOLOGY_FILE, PREFIXES

RDF, RDFS, SKOS, DCT = (ns.iri for ns in (vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.DCT))
OWL = "http://www.w3.org/2002/07/owl#"
ALIGN = {
    SKOS + "exactMatch": "exactMatch",
    SKOS + "closeMatch": "closeMatch",
    SKOS + "broadMatch": "broadMatch",
    SKOS + "narrowMatch": "narrowMatch",
    SKOS + "relatedMatch": "relatedMatch",
    OWL + "equivalentClass": "equivalentClass",
    OWL + "equivalentProperty": "equivalentProperty",
    OWL + "inverseOf": "inverseOf",
}
EXTRA_PREFIXES = {
    "owl": OWL,
    "oparl": "https://schema.oparl.org/1.1/",
    "opengov": "http://www.w3.org/ns/opengov#",
    "vann": "http://purl.org/vocab/vann/",
    "rdf": RDF,
}

TEMPLATE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title_da }} / {{ title_en }}</title>
<link rel="stylesheet" href="../site.css">
<link rel="alternate" type="text/turtle" href="referatgraph.ttl">
</head>
<body>
<header><a href="../index.html">referatgraph</a> › ontologi</header>
<main>
<h1>{{ title_da }} <small lang="en">/ {{ title_en }}</small></h1>
<p>{{ description_da }}</p>
<p lang="en">{{ description_en }}</p>
<table class="facts">
<tr><th>IRI</th><td><code>{{ iri }}</code></td></tr>
<tr><th>Version</th><td>{{ version }}</td></tr>
<tr><th>Filer / files</th><td><a href="referatgraph.ttl">referatgraph.ttl</a> · <a href="concepts.ttl">concepts.ttl</a> · <a href="shapes.ttl">shapes.ttl</a> (SHACL)</td></tr>
</table>
<nav class="toc"><h2>Indhold / contents</h2>
<ul>
<li><a href="#classes">Klasser / classes</a> ({{ classes|length }})</li>
<li><a href="#properties">Egenskaber / properties</a> ({{ properties|length }})</li>
<li><a href="#schemes">Begrebssystemer / concept schemes</a> ({{ schemes|length }})</li>
<li><a href="#prefixes">Præfikser / prefixes</a></li>
</ul></nav>
{% macro term(t) %}
<section class="term" id="{{ t.anchor }}">
<h3>{{ t.curie }} <small>{{ t.kind }}</small></h3>
<table class="facts">
<tr><th>IRI</th><td><code>{{ t.iri }}</code></td></tr>
{% if t.label_da %}<tr><th>label (da)</th><td lang="da">{{ t.label_da }}</td></tr>{% endif %}
{% if t.label_en %}<tr><th>label (en)</th><td lang="en">{{ t.label_en }}</td></tr>{% endif %}
{% if t.def_da %}<tr><th>definition (da)</th><td lang="da">{{ t.def_da }}</td></tr>{% endif %}
{% if t.def_en %}<tr><th>definition (en)</th><td lang="en">{{ t.def_en }}</td></tr>{% endif %}
{% for name, values in t.relations %}<tr><th>{{ name }}</th><td>{% for v in values %}{% if v.anchor %}<a href="#{{ v.anchor }}">{{ v.curie }}</a>{% else %}<code>{{ v.curie }}</code>{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}
{% for note in t.notes_da %}<tr><th>note (da)</th><td lang="da">{{ note }}</td></tr>{% endfor %}
{% for note in t.notes_en %}<tr><th>note (en)</th><td lang="en">{{ note }}</td></tr>{% endfor %}
</table>
</section>
{% endmacro %}
<h2 id="classes">Klasser / classes</h2>
{% for t in classes %}{{ term(t) }}{% endfor %}
<h2 id="properties">Egenskaber / properties</h2>
{% for t in properties %}{{ term(t) }}{% endfor %}
<h2 id="schemes">Begrebssystemer / concept schemes</h2>
{% for s in schemes %}
<section class="term" id="{{ s.anchor }}">
<h3>{{ s.label_da }} <small lang="en">/ {{ s.label_en }}</small></h3>
<p><code>{{ s.iri }}</code></p>
{% if s.def_da %}<p lang="da">{{ s.def_da }}</p>{% endif %}
{% if s.def_en %}<p lang="en">{{ s.def_en }}</p>{% endif %}
<table class="list">
<tr><th>notation</th><th>IRI</th><th>da</th><th>en</th><th>definition</th></tr>
{% for c in s.concepts %}<tr id="{{ c.anchor }}"><td>{{ c.notation }}</td><td><code>{{ c.curie }}</code></td><td lang="da">{{ c.label_da }}</td><td lang="en">{{ c.label_en }}</td><td lang="da">{{ c.def_da }}</td></tr>
{% endfor %}
</table>
</section>
{% endfor %}
<h2 id="prefixes">Præfikser / prefixes</h2>
<table class="list">
{% for p, iri in prefixes %}<tr><td>{{ p }}</td><td><code>{{ iri }}</code></td></tr>
{% endfor %}
</table>
</main>
<footer>Genereret af referatgraph {{ version }} fra ontology/referatgraph.ttl og ontology/concepts.ttl.</footer>
</body>
</html>
"""


class _Doc:
    def __init__(self, files: list[Path]):
        self.po: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for f in files:
            for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
                if isinstance(q.subject, NamedNode):
                    self.po[q.subject.value][q.predicate.value].append(q.object)
        self.prefixes = {**PREFIXES, **EXTRA_PREFIXES}

    def curie(self, iri: str) -> str:
        best = ""
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = p
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def lit(self, s: str, p: str, lang: str) -> str:
        vals = sorted(o.value for o in self.po[s].get(p, []) if isinstance(o, Literal) and o.language == lang)
        return vals[0] if vals else ""

    def lits(self, s: str, p: str, lang: str) -> list[str]:
        return sorted(o.value for o in self.po[s].get(p, []) if isinstance(o, Literal) and o.language == lang)

    def iris(self, s: str, p: str) -> list[str]:
        return sorted(o.value for o in self.po[s].get(p, []) if isinstance(o, NamedNode))

    def types(self, s: str) -> list[str]:
        return self.iris(s, RDF + "type")


def _anchor(curie: str) -> str:
    return curie.replace(":", "-").replace("/", "-").replace(".", "-")


def ontology_html(ontology: Path = ONTOLOGY_FILE, concepts: Path = CONCEPTS_FILE) -> bytes:
    doc = _Doc([ontology, concepts])
    onto_iri = next(s for s, po in sorted(doc.po.items()) if OWL + "Ontology" in doc.types(s))
    local = {s for s in doc.po if doc.po[s].get(RDFS + "isDefinedBy") or OWL + "Ontology" in doc.types(s)}

    def ref(iri: str) -> dict:
        c = doc.curie(iri)
        return {"curie": c, "anchor": _anchor(c) if iri in local else None}

    def term(s: str, kind: str) -> dict:
        rels = []
        for p, name in (
            (RDFS + "subClassOf", "subClassOf"), (RDFS + "subPropertyOf", "subPropertyOf"),
            (RDFS + "domain", "domain"), (RDFS + "range", "range"), *ALIGN.items(),
        ):
            vals = doc.iris(s, p)
            if vals:
                rels.append((name, [ref(v) for v in vals]))
        c = doc.curie(s)
        return {
            "iri": s, "curie": c, "anchor": _anchor(c), "kind": kind,
            "label_da": doc.lit(s, RDFS + "label", "da"), "label_en": doc.lit(s, RDFS + "label", "en"),
            "def_da": doc.lit(s, SKOS + "definition", "da"), "def_en": doc.lit(s, SKOS + "definition", "en"),
            "notes_da": doc.lits(s, SKOS + "scopeNote", "da"), "notes_en": doc.lits(s, SKOS + "scopeNote", "en"),
            "relations": rels,
        }

    kinds = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
             OWL + "DatatypeProperty": "datatype property", OWL + "AnnotationProperty": "annotation property"}
    classes, properties = [], []
    for s in sorted(local):
        ts = doc.types(s)
        if OWL + "Class" in ts:
            classes.append(term(s, "class"))
        elif any(t in kinds for t in ts):
            kind = next(kinds[t] for t in ts if t in kinds)
            properties.append(term(s, kind))
    schemes = []
    for s in sorted(x for x in doc.po if SKOS + "ConceptScheme" in doc.types(x)):
        concepts = []
        for c in sorted(x for x in doc.po if s in doc.iris(x, SKOS + "inScheme")):
            curie = doc.curie(c)
            notation = [o.value for o in doc.po[c].get(SKOS + "notation", [])]
            concepts.append({
                "iri": c, "curie": curie, "anchor": _anchor(curie), "notation": notation[0] if notation else "",
                "label_da": doc.lit(c, SKOS + "prefLabel", "da"), "label_en": doc.lit(c, SKOS + "prefLabel", "en"),
                "def_da": doc.lit(c, SKOS + "definition", "da"),
            })
        schemes.append({
            "iri": s, "anchor": _anchor(doc.curie(s)), "concepts": concepts,
            "label_da": doc.lit(s, SKOS + "prefLabel", "da"), "label_en": doc.lit(s, SKOS + "prefLabel", "en"),
            "def_da": doc.lit(s, SKOS + "definition", "da"), "def_en": doc.lit(s, SKOS + "definition", "en"),
        })
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    html = env.from_string(TEMPLATE).render(
        iri=onto_iri, version=__version__,
        title_da=doc.lit(onto_iri, DCT + "title", "da"), title_en=doc.lit(onto_iri, DCT + "title", "en"),
        description_da=doc.lit(onto_iri, DCT + "description", "da"),
        description_en=doc.lit(onto_iri, DCT + "description", "en"),
        classes=classes, properties=properties, schemes=schemes,
        prefixes=sorted(doc.prefixes.items()),
    )
    return html.encode("utf-8")
