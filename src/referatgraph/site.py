"""The browsable site of a release: static HTML, one page per meeting, agenda item, case (with
its timeline), committee, person and party, and an index of meetings.

Every page is generated with Jinja2 with autoescaping on, so whatever comes from the minutes
(titles, texts, names) is escaped; the JSON-LD embedded in a page is escaped for a ``<script>``
element too. Each page embeds its resource's data as JSON-LD and links (``rel="alternate"``) to
the Turtle and JSON-LD of the same resource, written beside it.

IRIs under the base map onto paths of the release directory, which is also the site's root::

    {base}                  index.html
    {base}meeting/KEY       meeting/KEY.html   (+ meeting/KEY.ttl, meeting/KEY.jsonld)
    {base}case/27.03.00-%C3%9800-57-22   case/27.03.00-Ø00-57-22.html   (the local name, decoded)
    {base}case/25%2F26411   case/25/26411.html (a decoded "/" is a folder)

so the pages work from the file system (relative links only), from any static web server, and
behind the content negotiation of ``referatgraph serve`` (docs/publishing.md has the rules for a
web server in front). Resources without a page of their own (treatments, decisions, sections,
votes …) are shown on the page of the agenda item or meeting whose IRI they extend and are
linked as ``item/KEY-3.html#…``; concepts link to the ontology documentation.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import jinja2
import pyoxigraph as ox
from markupsafe import Markup, escape
from pyoxigraph import Literal, NamedNode, Triple

from . import __version__, vocab
from .jsonld import json_text
from .memory import trim
from .vocab import CONCEPTS_BASE, ONTOLOGY_FILE

if TYPE_CHECKING:
    from .publish import Subjects, TurtleBlocks

#: Rows of a list page (all cases, persons, parties): a longer list goes on further pages.
LIST_PAGE = 1000
#: How many triples a slice of entity pages keeps of what it read, beyond one page's (memory).
READ_LIMIT = 20000
#: Kinds of resource with a page of their own.
PAGE_KINDS = ("meeting", "item", "case", "body", "person", "party")
#: Kinds whose pages are written at the end (they gather facts from several meetings).
ENTITY_KINDS = ("case", "body", "person", "party")

# The pages work on IRI strings: the namespaces of vocab.py as strings.
RDF, DCT, SKOS, FOAF, BESLUIT, PROV, RG, ELI, ELI_DL, SCHEMA, ORG, XSD = (ns.iri for ns in (
    vocab.RDF, vocab.DCT, vocab.SKOS, vocab.FOAF, vocab.BESLUIT, vocab.PROV, vocab.RG, vocab.ELI, vocab.ELI_DL,
    vocab.SCHEMA, vocab.ORG, vocab.XSD))
RDF_TYPE = vocab.RDF.type.value
RDFS_LABEL = vocab.RDFS.label.value

LABEL_PROPS = (SKOS + "prefLabel", RDFS_LABEL, FOAF + "name", DCT + "title", DCT + "identifier", ELI + "title")
_UNSAFE_SEGMENT = re.compile(r"[\x00-\x1f\x7f\\?#%]")

STYLE = """\
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fbfbf8;line-height:1.45}
header,footer{background:#1d3b53;color:#fff;padding:.6rem 1.2rem}
header a,footer a{color:#fff}
main{max-width:62rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0 1rem}
h1 small,h3 small{font-weight:normal;color:#666;font-size:.8em}
table{border-collapse:collapse;margin:.5rem 0 1.2rem;width:100%}
th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #ddd}
table.facts th{width:12rem;color:#444;font-weight:600}
.text{white-space:pre-line;background:#fff;border-left:3px solid #c9d6df;padding:.4rem .8rem}
.alt{font-size:.9rem;color:#444}
nav.crumbs{font-size:.9rem;margin-bottom:.4rem}
code{font-size:.85em;word-break:break-all}
section.term{border-top:1px solid #ddd;padding-top:.3rem}
"""

TEMPLATES = {
    "layout.html": """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – referatgraph</title>
<link rel="stylesheet" href="{{ root }}site.css">
{% if ttl %}<link rel="alternate" type="text/turtle" href="{{ ttl }}">
<link rel="alternate" type="application/ld+json" href="{{ jsonld }}">
{% endif %}{% if iri %}<link rel="canonical" href="{{ iri }}">
{% endif %}{% if data %}<script type="application/ld+json">{{ data }}</script>
{% endif %}</head>
<body>
<header><a href="{{ root }}index.html">referatgraph</a>{% block where %}{% endblock %}</header>
<main>
{% block main %}{% endblock %}
{% if ttl %}<p class="alt">Data om denne side: <a rel="alternate" type="text/turtle" href="{{ ttl }}">Turtle</a> · <a rel="alternate" type="application/ld+json" href="{{ jsonld }}">JSON-LD</a>{% if iri %} · IRI <code>{{ iri }}</code>{% endif %}</p>{% endif %}
</main>
<footer>referatgraph {{ version }} · <a href="{{ root }}ontology/index.html">ontologi</a> · <a href="{{ root }}catalog.ttl">DCAT-AP-DK</a> · <a href="{{ root }}void.ttl">VoID</a></footer>
</body>
</html>
""",
    "facts.html": """{% macro facts(rows) %}<table class="facts">
{% for label, values in rows %}<tr><th>{{ label }}</th><td>{% for v in values %}{{ v }}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}</table>{% endmacro %}
{% macro statements(rows) %}{% if rows %}<details><summary>Alle udsagn ({{ rows|length }})</summary><table class="list">
{% for p, v in rows %}<tr><td><code>{{ p }}</code></td><td>{{ v }}</td></tr>
{% endfor %}</table></details>{% endif %}{% endmacro %}""",
    "index.html": """{% extends "layout.html" %}{% from "facts.html" import facts %}
{% block main %}
<h1>{{ title }}</h1>
<p>{{ description }}</p>
<ul>
<li>{{ meetings|length }} møder · <a href="case/index.html">{{ n_cases }} sager</a>{% if n_persons %} · <a href="person/index.html">{{ n_persons }} personer</a>{% endif %}{% if n_parties %} · <a href="party/index.html">{{ n_parties }} partier</a>{% endif %}</li>
<li>Udvalg: {% for b in bodies %}<a href="{{ b.href }}">{{ b.label }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</li>
<li>Data: {% for name in downloads %}<a href="{{ name }}">{{ name }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</li>
<li><a href="ontology/index.html">Ontologien</a> · <a href="catalog.ttl">DCAT-AP-DK</a> · <a href="void.ttl">VoID</a></li>
</ul>
<h2>Møder</h2>
<table class="list" id="meetings">
<tr><th>Dato</th><th>Møde</th><th>Udvalg</th><th>Punkter</th></tr>
{% for m in meetings %}<tr><td>{{ m.date }}</td><td><a href="{{ m.href }}">{{ m.label }}</a></td><td>{{ m.body }}</td><td>{{ m.n_items }}</td></tr>
{% endfor %}</table>
{% endblock %}""",
    "list.html": """{% extends "layout.html" %}
{% block where %} › {{ title }}{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
{% if pages %}<nav class="crumbs">Side {% for label, href in pages %}{% if href %}<a href="{{ href }}">{{ label }}</a>{% else %}<strong>{{ label }}</strong>{% endif %} {% endfor %}</nav>
{% endif %}<table class="list">
<tr>{% for h in head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% endblock %}""",
    "meeting.html": """{% extends "layout.html" %}{% from "facts.html" import facts, statements %}
{% block where %} › møde{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
{{ facts(rows) }}
<h2>Dagsorden</h2>
<table class="list" id="items">
<tr><th>Nr.</th><th>Type</th><th>Titel</th><th>Sag</th><th>Udfald</th></tr>
{% for it in items %}<tr><td>{{ it.number }}</td><td>{{ it.type }}</td><td><a href="{{ it.href }}">{{ it.title }}</a></td><td>{{ it.case }}</td><td>{{ it.outcome }}</td></tr>
{% endfor %}</table>
{% for block in blocks %}<section id="{{ block.anchor }}"><h2>{{ block.title }}</h2>{{ facts(block.rows) }}</section>
{% endfor %}
{{ statements(all) }}
{% endblock %}""",
    "item.html": """{% extends "layout.html" %}{% from "facts.html" import facts, statements %}
{% block where %} › <a href="{{ meeting_href }}">{{ meeting_label }}</a> › punkt {{ number }}{% endblock %}
{% block main %}
<nav class="crumbs">{% if prev %}<a rel="prev" href="{{ prev }}">← forrige punkt</a>{% endif %} <a href="{{ meeting_href }}">{{ meeting_label }}</a> {% if next %}<a rel="next" href="{{ next }}">næste punkt →</a>{% endif %}</nav>
<h1>{{ number }}. {{ title }}</h1>
{{ facts(rows) }}
{% for s in sections %}<section id="{{ s.anchor }}">
<h2>{{ s.title }}</h2>
{% if s.text %}<div class="text">{{ s.text }}</div>{% endif %}
{% for sub in s.subsections %}<h3 id="{{ sub.anchor }}">{{ sub.title }}</h3><div class="text">{{ sub.text }}</div>
{% endfor %}</section>
{% endfor %}
{% for block in blocks %}<section id="{{ block.anchor }}"><h2>{{ block.title }}</h2>{{ facts(block.rows) }}</section>
{% endfor %}
{{ statements(all) }}
{% endblock %}""",
    "entity.html": """{% extends "layout.html" %}{% from "facts.html" import facts, statements %}
{% block where %} › <a href="{{ kind_href }}">{{ kind_label }}</a>{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
{{ facts(rows) }}
{% if timeline %}<h2>{{ timeline_title }}</h2>
<table class="list" id="timeline">
<tr>{% for h in timeline_head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in timeline %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>{% endif %}
{{ statements(all) }}
{% endblock %}""",
}

KIND_LABELS = {"case": "Sager", "body": "Udvalg", "person": "Personer", "party": "Partier", "meeting": "Møder", "item": "Dagsordenspunkter"}
#: Danish names of the standard terms the data uses, as the pages show them: a resource's types,
#: a row of its facts, the "Rolle" of a timeline row. The project's own terms show their Danish
#: rdfs:label from the ontology; any other term its CURIE (:meth:`Site.term`). The table of
#: every statement ("Alle udsagn") keeps the CURIEs.
TERM_LABELS = {
    BESLUIT + "BehandelingVanAgendapunt": "behandling af dagsordenspunkt",
    BESLUIT + "Besluit": "beslutning",
    BESLUIT + "Bestuursorgaan": "organ",
    BESLUIT + "Stemming": "afstemning",
    FOAF + "Document": "dokument",
    FOAF + "Person": "person",
    "http://data.vlaanderen.be/ns/mandaat#Fractie": "fraktion",
    "http://www.w3.org/ns/person#Person": "person",
    ORG + "Organization": "organisation",
    PROV + "Activity": "aktivitet",
    PROV + "Entity": "entitet",
    RDF + "Statement": "kobling",
    BESLUIT + "aantalOnthouders": "antal der undlod at stemme",
    BESLUIT + "aantalTegenstanders": "antal imod",
    BESLUIT + "aantalVoorstanders": "antal for",
    BESLUIT + "behandelt": "behandler",
    BESLUIT + "gebeurtNa": "behandlet efter",
    BESLUIT + "gevolg": "resultat",
    BESLUIT + "heeftOnthouder": "undlod at stemme",
    BESLUIT + "heeftStemming": "afstemning",
    BESLUIT + "heeftTegenstander": "stemte imod",
    BESLUIT + "heeftVoorstander": "stemte for",
    BESLUIT + "isGehoudenDoor": "holdt af",
    BESLUIT + "onderwerp": "om",
    DCT + "date": "dato",
    DCT + "format": "format",
    DCT + "identifier": "identifikator",
    DCT + "isPartOf": "del af",
    DCT + "references": "henviser til",
    DCT + "subject": "emne",
    DCT + "title": "titel",
    ELI + "description": "beskrivelse",
    ELI + "is_about": "handler om",
    ELI + "language": "sprog",
    ELI + "title": "titel",
    ELI_DL + "had_decision_outcome": "udfald",
    FOAF + "name": "navn",
    ORG + "hasMembership": "medlemskab",
    ORG + "headOf": "leder af",
    ORG + "member": "medlem",
    ORG + "organization": "organisation",
    ORG + "role": "rolle",
    PROV + "generated": "resulterede i",
    PROV + "used": "brugte",
    PROV + "wasAssociatedWith": "udført af",
    PROV + "wasDerivedFrom": "kilde",
    PROV + "wasGeneratedBy": "skabt af",
    RDF + "object": "til",  # a link record (rdf:Statement): from, relation, to
    RDF + "predicate": "forbindelse",
    RDF + "subject": "fra",
    SCHEMA + "position": "nummer",
    SKOS + "prefLabel": "navn",
}


#: The templates, compiled once per process (every Site shares them; they never change, so
#: the environment does not check them for changes).
ENV = jinja2.Environment(
    loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True, trim_blocks=False, auto_reload=False,
)


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, str]:
    out = {}
    for q in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        if q.predicate.value == RDFS_LABEL and isinstance(q.object, Literal) and q.object.language == "da":
            out[q.subject.value] = q.object.value
    return out


def script_json(data) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so no text from the
    minutes can close the element."""
    return script_json_text(json_text(data))


def script_json_text(text: str) -> Markup:
    """:func:`script_json` of already serialised JSON."""
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _safe_segments(decoded: str) -> bool:
    parts = decoded.split("/")
    return all(p and not p.startswith(".") and not _UNSAFE_SEGMENT.search(p) for p in parts)


@dataclass
class _Meeting:
    date: str
    label: str
    body: str
    body_iri: str | None
    path: str
    items: int


@dataclass
class SiteMeeting:
    """What the pages written at the end need of one meeting: its line in the index, and the
    rows it adds to the timelines of cases, committees, persons and parties."""

    meeting: _Meeting
    rows: list = field(default_factory=list)  # (entity IRI, sort key, cells)


class Site:
    """Writes the pages of a release into ``root`` (the staging directory of the release)."""

    def __init__(self, root: Path | None, base: str, prefixes: dict[str, str], shared=None):
        """``root``: where :meth:`finish` writes (None where pages are only rendered, in a
        worker); ``shared``: the build's SharedStore, which keeps the timeline rows of entities."""
        self.root = root
        self.base = base
        self.prefixes = prefixes
        self._pages: dict[str, str | None] = {}
        self._spaces: dict[str, tuple[str, int]] = {}  # IRI up to its last / or # → (prefix, namespace length)
        bad = [n for n in prefixes.values() if not n.endswith(("/", "#"))]
        if bad:
            raise ValueError(f"namespaces must end with / or #: {bad}")
        self.meetings: list[_Meeting] = []
        self.converted: set[str] = set()  # the pages of converted meetings
        self._folders: set[str] = set()  # made by _write
        self.shared = shared

    # --- IRIs and paths ---------------------------------------------------------------------

    def kind(self, iri: str) -> str | None:
        """The kind of a resource under the base (its IRI's first segment), or None."""
        if not iri.startswith(self.base):
            return None
        k, sep, local = iri[len(self.base):].partition("/")
        return k if sep and local else None

    def page_path(self, iri: str) -> str | None:
        """The page of a resource, relative to the site root, without extension (or None)."""
        try:
            return self._pages[iri]
        except KeyError:
            pass
        k = self.kind(iri)
        page = f"{k}/{local_path(iri[len(self.base) + len(k) + 1:])}" if k in PAGE_KINDS else None
        if len(self._pages) > 20_000:
            self._pages.clear()
        self._pages[iri] = page
        return page

    def href(self, from_page: str, to_file: str) -> str:
        return _href(posixpath.dirname(from_page) or ".", to_file)

    def root_of(self, page: str) -> str:
        depth = page.count("/")
        return "../" * depth

    def curie(self, iri: str) -> str:
        """``prefix:local`` with the longest namespace that starts ``iri``, or ``iri``."""
        # Every namespace ends with "/" or "#" (checked in __init__), so the answer depends
        # only on the IRI up to its last "/" or "#": cached by that.
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        head = iri[:cut]
        found = self._spaces.get(head)
        if found is None:
            best, ns = "", ""
            for p, n in self.prefixes.items():
                if head.startswith(n) and len(n) > len(ns):
                    best, ns = p, n
            self._spaces[head] = found = (best, len(ns))
        best, n = found
        return f"{best}:{iri[n:]}" if best else iri

    # --- values -----------------------------------------------------------------------------

    def label(self, iri: str, po: dict | None = None) -> str:
        # Only from the data at hand (the meeting being written, or all entities at the end), so
        # that a page does not depend on the order in which the meetings were added.
        if po is not None and iri in po:
            for p in LABEL_PROPS:
                vals = po[iri].get(p)
                if vals:
                    return _best(vals)
            date, body = _first(po, iri, DCT + "date"), po[iri].get(BESLUIT + "isGehoudenDoor")
            if date and body:  # a meeting referred to: "<committee> <date>", as its rdfs:label
                return f"{self.label(min(o.value for o in body), po)} {date}"
        return self.term(iri)

    def term(self, iri: str) -> str:
        """How a page names a class or property (:data:`TERM_LABELS`)."""
        return TERM_LABELS.get(iri) or _ontology_labels().get(iri) or self.curie(iri)

    def link(self, page: str, iri: str, po: dict, host: dict | None = None, text: str | None = None) -> Markup | str:
        """A link to the page showing ``iri`` (its own page, the page hosting it, the ontology
        documentation for concepts), or its label when it has none."""
        text = text if text is not None else self.label(iri, po)
        target = self.page_path(iri)
        if target:
            return _a(self.href(page, target + ".html"), text)
        if host and iri in host:
            h, anchor = host[iri]
            return _a(self.href(page, h + ".html") + "#" + anchor, text)
        if iri.startswith((CONCEPTS_BASE, RG)):
            anchor = self.curie(iri).replace(":", "-").replace("/", "-").replace(".", "-")
            return _a(self.href(page, "ontology/index.html") + "#" + anchor, text)
        if iri.startswith(("http://", "https://")) and not iri.startswith(self.base):
            return _a(iri, text)
        return text

    def statements(self, page: str, s: str, values: _Values) -> list:
        """Every statement about ``s``: (property, value) rows."""
        props = values.po.get(s, {})
        return [(self.curie(p), values.value(page, o)) for p in sorted(props) for o in sorted(props[p], key=_term_key)]

    # --- writing ----------------------------------------------------------------------------

    def _write(self, files: dict[str, bytes]) -> None:
        for rel, data in files.items():
            path = os.path.join(self.root, rel)
            folder = os.path.dirname(path)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(path, "wb") as f:
                f.write(data)

    def _page(self, page: str, template: str, iri: str | None, ttl: bytes, nodes: list[dict], **kw) -> dict[str, bytes]:
        """The files of one page: its HTML and, for a resource, its data (Turtle, JSON-LD nodes)."""
        root = self.root_of(page)
        ctx_ref = root + "context.jsonld"
        data = None
        files = {}
        if iri is not None:
            doc = {"@context": ctx_ref, "@graph": nodes} if len(nodes) != 1 else {"@context": ctx_ref, **nodes[0]}
            text = json_text(doc)
            files[page + ".jsonld"] = (text + "\n").encode()
            files[page + ".ttl"] = ttl
            data = script_json_text(text)
        name = posixpath.basename(page)
        html = ENV.get_template(template).render(
            root=root, version=__version__, iri=iri, data=data,
            ttl=quote(name + ".ttl") if iri else None, jsonld=quote(name + ".jsonld") if iri else None, **kw,
        )
        files[page + ".html"] = html.encode("utf-8")
        return files

    def render_meeting(self, described: Subjects, ttl: TurtleBlocks, nodes: list[dict], is_shared: Callable[[str], bool]) -> tuple[dict[str, bytes], SiteMeeting | None]:
        """The files of the meeting's page and of its agenda items' pages, and what the pages of
        cases, committees, persons and parties (written by :meth:`finish`) need of it.

        ``described``: the meeting's triples by subject; ``ttl``: their Turtle; ``nodes``: their
        compact JSON-LD; ``is_shared``: whether an IRI is a shared resource's. Pure: it runs in
        the worker process that converted the meeting; :meth:`add` takes the record in the
        build's process.
        """
        files: dict[str, bytes] = {}
        po = described.props
        node_by_id = {n.get("id"): n for n in nodes}
        meeting = next((s for s in sorted(po) if BESLUIT + "Zitting" in _iris(po[s].get(RDF_TYPE, [])) and not is_shared(s)), None)
        if meeting is None:
            return files, None
        mpage = self.page_path(meeting)
        items = sorted(_iris(po[meeting].get(BESLUIT + "behandelt", [])), key=lambda i: (_int(po, i, SCHEMA + "position"), i))
        treatment_of = {}
        for s, props in po.items():
            for o in _iris(props.get(DCT + "subject", [])):
                treatment_of[o] = s
        # Which page shows each resource of this meeting that has no page of its own.
        host: dict[str, tuple[str, str]] = {}
        item_locals = {self._local(i): i for i in items}
        for s in po:
            if self.page_path(s) or is_shared(s) or not s.startswith(self.base):
                continue
            local = self._local(s)
            anchor = self._anchor(s)
            owner = None
            for il, item in item_locals.items():
                if local == il or local.startswith(il + "-"):
                    owner = item
                    break
            host[s] = (self.page_path(owner) if owner else mpage, anchor)
        hosted: dict[str, list[str]] = defaultdict(list)
        for s, (h, _) in host.items():
            hosted[h].append(s)

        date = _first(po, meeting, DCT + "date")
        body = next(iter(_iris(po[meeting].get(BESLUIT + "isGehoudenDoor", []))), None)
        mlabel = self.label(meeting, po)
        record = SiteMeeting(_Meeting(date, mlabel, self.label(body, po) if body else "", body, mpage, len(items)))

        # Entities (pages written at the end) and what links to them.
        for item in items:
            ipage = self.page_path(item)
            number = _first(po, item, SCHEMA + "position")
            title = _first(po, item, DCT + "title")
            outcome = self._outcome(po, treatment_of.get(item))
            for case in _iris(po.get(item, {}).get(DCT + "isPartOf", [])):
                record.rows.append((case, (date, int(number or 0), item), (date, mpage, mlabel, number, ipage, title, outcome or "")))
        # A row for each person, party, committee, and shared meeting or item (one referred to)
        # that a resource shown on the meeting's pages refers to.
        for s, props in po.items():
            owner = self.page_path(s) or (host[s][0] if s in host else None)
            if owner is None:
                continue
            for p, objs in props.items():
                # A link record (rdf:Statement) records a triple that is asserted too: that
                # triple gives the row of its object; the record's subject gets a row named by
                # the triple's predicate (the head of an expert group: "leder af").
                if p in (RDF_TYPE, RDF + "predicate", RDF + "object"):
                    continue
                role = min((o.value for o in props.get(RDF + "predicate", [])), default=p) if p == RDF + "subject" else p
                for o in _iris(objs):
                    k = self.kind(o)
                    if k in ("person", "party", "body") or (k in ("meeting", "item") and is_shared(o)):
                        record.rows.append((o, (date, owner, s, p), (date, self.term(role), owner, mlabel)))

        # The meeting page.
        own_of_page = [meeting] + sorted(hosted.get(mpage, []))
        rows = [
            ("Dato", [date]),
            ("Planlagt start", [_first(po, meeting, BESLUIT + "geplandeStart") or "–"]),
            ("Udvalg", [self.link(mpage, body, po)] if body else ["–"]),
            ("Sted", [self.label(p, po) for p in _iris(po[meeting].get(PROV + "atLocation", []))] or ["–"]),
            ("Valgperiode", [_first(po, meeting, RG + "electoralPeriod") or "–"]),
            ("Kilde", [self._source(po, meeting)]),
        ]
        item_rows = []
        for item in items:
            case = next(iter(_iris(po.get(item, {}).get(DCT + "isPartOf", []))), None)
            ctype = next(iter(_iris(po.get(item, {}).get(BESLUIT + "Agendapunt.type", []))), None)
            item_rows.append({
                "number": _first(po, item, SCHEMA + "position"),
                "type": _first(po, ctype, SKOS + "notation") if ctype else "",
                "title": _first(po, item, DCT + "title"),
                "href": self.href(mpage, self.page_path(item) + ".html"),
                "case": self.link(mpage, case, po) if case else "",
                "outcome": self._outcome(po, treatment_of.get(item)) or "",
            })
        values = _Values(self, po, host)
        blocks = [self._block(mpage, s, values) for s in own_of_page[1:]]
        files |= self._page(
            mpage, "meeting.html", meeting, ttl.document(own_of_page),
            [node_by_id[s] for s in own_of_page if s in node_by_id],
            title=mlabel, rows=rows, items=item_rows, blocks=blocks,
            all=self.statements(mpage, meeting, values),
        )

        # One page per agenda item.
        for rank, item in enumerate(items):
            ipage = self.page_path(item)
            mine = [item] + sorted(hosted.get(ipage, []))
            treatment = treatment_of.get(item)
            decision = next(iter(_iris(po[treatment].get(PROV + "generated", [])))) if treatment and po[treatment].get(PROV + "generated") else None
            case = next(iter(_iris(po.get(item, {}).get(DCT + "isPartOf", []))), None)
            ctype = next(iter(_iris(po.get(item, {}).get(BESLUIT + "Agendapunt.type", []))), None)
            open_item = _first(po, item, RG + "openItem")
            rows = [
                ("Møde", [self.link(ipage, meeting, po)]),
                ("Sag", [self.link(ipage, case, po)] if case else ["–"]),
                ("Sagstype", [self.link(ipage, ctype, po)] if ctype else ["–"]),
                ("Åbent / lukket", ["åbent" if open_item == "true" else "lukket" if open_item == "false" else "–"]),
                ("Udfald", [self._outcome(po, treatment) or "–"]),
            ]
            sections = []
            for sec in sorted(_iris(po.get(item, {}).get(RG + "hasSection", [])), key=lambda x: (_int(po, x, SCHEMA + "position"), x)):
                subs = sorted(_iris(po.get(sec, {}).get(RG + "hasSubsection", [])), key=lambda x: (_int(po, x, SCHEMA + "position"), x))
                sections.append({
                    "anchor": self._anchor(sec), "title": _first(po, sec, DCT + "title"), "text": _first(po, sec, RG + "text"),
                    "subsections": [{"anchor": self._anchor(x), "title": _first(po, x, DCT + "title"), "text": _first(po, x, RG + "text")} for x in subs],
                })
            shown = {item} | {s["anchor"] for s in sections}
            shown |= {sub["anchor"] for x in sections for sub in x["subsections"]}
            rest = [s for s in mine[1:] if self._anchor(s) not in shown]
            order = [x for x in (decision, treatment) if x in rest] + [x for x in rest if x not in (decision, treatment)]
            blocks = [self._block(ipage, s, values) for s in order]
            files |= self._page(
                ipage, "item.html", item, ttl.document(mine),
                [node_by_id[s] for s in mine if s in node_by_id],
                title=_first(po, item, DCT + "title"), number=_first(po, item, SCHEMA + "position"),
                meeting_href=self.href(ipage, mpage + ".html"), meeting_label=mlabel,
                prev=self.href(ipage, self.page_path(items[rank - 1]) + ".html") if rank > 0 else None,
                next=self.href(ipage, self.page_path(items[rank + 1]) + ".html") if rank + 1 < len(items) else None,
                rows=rows, sections=sections, blocks=blocks, all=self.statements(ipage, item, values),
            )
        return files, record

    def add(self, record: SiteMeeting) -> None:
        """Take what :meth:`render_meeting` gave of one meeting (in the build's process)."""
        self.meetings.append(record.meeting)
        self.converted.add(record.meeting.path + ".html")
        self.shared.add_rows(record.rows)

    def _local(self, iri: str) -> str:
        k = self.kind(iri) or ""
        return iri[len(self.base) + len(k) + 1:]

    def _anchor(self, iri: str) -> str:
        k = self.kind(iri) or "x"
        return f"{k}-{self._local(iri)}".replace("%", "_")

    def _outcome(self, po, treatment: str | None) -> str | None:
        if not treatment:
            return None
        for dec in _iris(po.get(treatment, {}).get(PROV + "generated", [])):
            for oc in _iris(po.get(dec, {}).get(ELI_DL + "had_decision_outcome", [])):
                return self.label(oc, po)
        return None

    def _source(self, po, meeting: str) -> str:
        for doc in _iris(po[meeting].get(PROV + "wasDerivedFrom", [])):
            name = _first(po, doc, RG + "fileName")
            sha = _first(po, doc, RG + "sha256")
            return f"{name} (SHA-256 {sha[:12]}…)" if sha else name
        return "–"

    def _block(self, page: str, s: str, values: _Values) -> dict:
        props = values.po[s]
        types = [values.label(t) for t in _iris(props.get(RDF_TYPE, []))]
        rows = []
        for p in sorted(props):
            if p == RDF_TYPE:
                continue
            rows.append((self.term(p), [values.value(page, o) for o in sorted(props[p], key=_term_key)]))
        title = " / ".join(dict.fromkeys(types)) if types else self.curie(s)
        return {"anchor": self._anchor(s), "title": f"{title}: {self._local(s)}", "rows": rows}

    def start_entity_pages(self, shared, submit=None, workers: int = 1) -> list:
        """Start writing the pages of cases, committees, persons and parties: slices of the
        entities go to ``submit`` (a process pool's, of ``workers`` processes; their results are
        futures) or are written here. A slice has at most 500 entities (memory) and there are at
        least as many slices as workers (all of them busy). Committees, whose pages list the
        meetings, are written here. Give the result to :meth:`finish`."""
        subjects = [s for s in shared.subjects() if (page := self.page_path(s)) and page + ".html" not in self.converted]
        bodies = [s for s in subjects if self.kind(s) == "body"]
        others = [s for s in subjects if self.kind(s) != "body"]
        parts = max(1, workers) if submit else 1
        size = min(500, max(1, -(-len(others) // parts)))  # (ceiling division)
        slices = [(str(self.root), self.base, self.prefixes, str(shared.path), others[k:k + size]) for k in range(0, len(others), size)]
        started = [submit(_entity_pages, sl) for sl in slices] if submit else [_entity_pages(sl) for sl in slices]
        return [self.entity_pages(shared, bodies), *started]

    def finish(self, started: list, downloads: list[str], title: str, description: str) -> None:
        """Write the lists of cases, committees, persons and parties, and the index, once the
        entity pages (:meth:`start_entity_pages`) are written.

        The shared store (:class:`~referatgraph.sharedstore.SharedStore`) holds the resources
        the meetings share, and the rows the meetings added to their timelines: the entities are
        read a slice at a time, with the resources their pages show (memory does not grow with
        the corpus).
        """
        listing: dict[str, list] = defaultdict(list)
        for part in started:
            for k, entry in (part if isinstance(part, list) else part.result()):
                listing[k].append(entry)
        for k in ENTITY_KINDS:
            if k not in listing and k != "case":
                continue
            entries = sorted(listing.get(k, []), key=lambda x: (x[0].casefold(), x[1]))
            # In pages of LIST_PAGE rows (each page's links made when it is written: memory),
            # k/index, then k/index-2, k/index-3 …, each linking to all of them.
            chunks = [entries[i:i + LIST_PAGE] for i in range(0, len(entries), LIST_PAGE)] or [[]]
            paths = [f"{k}/index"] + [f"{k}/index-{n}" for n in range(2, len(chunks) + 1)]
            for n, (page, chunk) in enumerate(zip(paths, chunks)):
                pages = [(str(i + 1), None if i == n else self.href(page, p + ".html")) for i, p in enumerate(paths)] if len(paths) > 1 else []
                rows = [[_a(self.href(page, p + ".html"), lab), count] for lab, p, count in chunk]
                heading = KIND_LABELS[k] if n == 0 else f"{KIND_LABELS[k]}, side {n + 1}"
                self._write(self._page(page, "list.html", None, b"", [], title=heading, head=["Navn", "Antal"], rows=rows, pages=pages))
        meetings = sorted(self.meetings, key=lambda m: (m.date, m.path), reverse=True)
        bodies = sorted({(m.body, m.body_iri) for m in self.meetings if m.body_iri})
        self._write(self._page(
            "index", "index.html", None, b"", [], title=title, description=description,
            meetings=[{"date": m.date, "label": m.label, "body": m.body, "n_items": m.items, "href": quote(m.path + ".html", safe="/")} for m in meetings],
            bodies=[{"label": b, "href": quote(self.page_path(i) + ".html", safe="/")} for b, i in bodies],
            n_cases=len(listing.get("case", [])), n_persons=len(listing.get("person", [])), n_parties=len(listing.get("party", [])),
            downloads=downloads,
        ))
        self._write({"site.css": STYLE.encode()})

    def _neighbourhood(self, store: _StoreReader, s: str, kind: str) -> dict:
        """What an entity's page shows, as subject → predicate → objects: the entity, what it
        refers to and what that refers to (labels, a membership's organisation and role); for a
        committee, also its memberships and their members. Only resources under the base."""
        po: dict[str, dict[str, list]] = {}

        def take(iris) -> set[str]:
            """Add the resources under the base among ``iris``; return what they refer to."""
            iris = [i for i in iris if i not in po]
            store.read(iris)
            objects = set()
            for i in iris:
                props, refs = store.described(i)
                if props and i.startswith(self.base):
                    po[i] = props
                    objects |= refs
            return objects

        hop2 = take(take([s]))
        take(hop2)
        if kind != "case":
            take(take(store.shared.subjects_with(ORG + "organization", s)))
        return po

    def entity_pages(self, shared, subjects: list[str]) -> list[tuple[str, tuple]]:
        """Write the pages of these entities; return (kind, (label, page, timeline length))."""
        from .publish import Subjects, compact_nodes, turtle

        listing = []
        store = _StoreReader(shared, READ_LIMIT)
        store.read(subjects)
        for s in subjects:
            page = self.page_path(s)
            k = self.kind(s)
            store.read([s])  # (read with the others above, unless forgotten since)
            triples = store.triples(s)
            po_all = self._neighbourhood(store, s, k)
            nodes = compact_nodes(Subjects(triples))
            # A committee's page lists its meetings (below), not its rows: one or more per
            # meeting, which are not read.
            entity_rows = shared.rows_of(s) if k != "body" else []
            label = self.label(s, po_all)
            rows = self._entity_rows(page, s, k, po_all)
            if k == "case":
                timeline = [
                    [date, _a(self.href(page, mpage + ".html"), mlabel), number,
                     _a(self.href(page, ipage + ".html"), title), outcome]
                    for _, (date, mpage, mlabel, number, ipage, title, outcome) in entity_rows
                ]
                head = ["Dato", "Møde", "Punkt", "Titel", "Udfald"]
                ttitle = f"Sagens forløb ({len(timeline)} behandlinger)"
            elif k == "body":
                ms = sorted((m for m in self.meetings if m.body_iri == s), key=lambda m: m.date, reverse=True)
                timeline = [[m.date, _a(self.href(page, m.path + ".html"), m.label), m.items] for m in ms]
                head = ["Dato", "Møde", "Punkter"]
                ttitle = f"Møder ({len(timeline)})"
            else:
                seen = set()
                timeline = []
                for _, (date, p, owner, mlabel) in entity_rows:
                    if (date, p, owner) in seen:
                        continue
                    seen.add((date, p, owner))
                    timeline.append([date, p, _a(self.href(page, owner + ".html"), self._owner_label(owner, mlabel)), mlabel])
                head = ["Dato", "Rolle", "Hvor", "Møde"]
                ttitle = f"Nævnt ({len(timeline)})"
            all_rows = self.statements(page, s, _Values(self, po_all))
            self._write(self._page(page, "entity.html", s, turtle(triples, self.prefixes, ordered=True), nodes, title=label, rows=rows,
                       kind_href=self.href(page, f"{k}/index.html" if k in ENTITY_KINDS else "index.html"), kind_label=KIND_LABELS.get(k, k),
                       timeline=timeline, timeline_head=head, timeline_title=ttitle, all=all_rows))
            listing.append((k, (label, page, len(timeline))))
            store.forget()
        return listing

    def _owner_label(self, owner: str, mlabel: str) -> str:
        k, _, local = owner.partition("/")
        if k == "item":
            return f"punkt {local.rsplit('-', 1)[-1]}"
        return "mødet"

    def _entity_rows(self, page: str, s: str, k: str, po) -> list:
        props = po.get(s, {})
        if k == "case":
            return [
                ("Journalnummer", [_first(po, s, DCT + "identifier")]),
                ("KLE-emne", [_first(po, s, RG + "kleTopicCode") or "–"]),
                ("Handlingsfacet", [_first(po, s, RG + "kleActionFacetCode") or "–"]),
                ("Løbenummer", [_first(po, s, RG + "serialNumber") or "–"]),
                ("År", [_first(po, s, RG + "caseYear") or "–"]),
            ]
        rows = [("Type", list(dict.fromkeys(self.label(t, po) for t in _iris(props.get(RDF_TYPE, [])))))]
        for ms in _iris(props.get(ORG + "hasMembership", [])):
            orgs = [self.link(page, o, po) for o in _iris(po.get(ms, {}).get(ORG + "organization", []))]
            roles = [self.label(r, po) for r in _iris(po.get(ms, {}).get(ORG + "role", []))]
            rows.append(("Medlem af", orgs + roles))
        members = sorted({m for ms, mprops in po.items() for o in _iris(mprops.get(ORG + "organization", [])) if o == s for m in _iris(mprops.get(ORG + "member", []))})
        if members:
            rows.append(("Medlemmer", [self.link(page, m, po) for m in members]))
        return rows


class _StoreReader:
    """The triples of resources in the shared store, read in batches and kept while a slice of
    entity pages is written, up to ``limit`` triples (:meth:`forget`): entities near each other
    in the graph show the same resources, which are read (and parsed) once."""

    def __init__(self, shared, limit: int):
        self.shared = shared
        self._of: dict[str, tuple[list[Triple], dict[str, list], set[str]]] = {}
        self._held = 0  # triples in _of
        self.limit = limit

    def forget(self) -> None:
        """Forget what was read once it holds more than ``limit`` triples (call between pages):
        what a slice keeps is then bounded by the limit and one page's resources, not by the
        slice (13 persons who are each members of 668 expert groups in a 2,000-meeting corpus
        took a slice from 78 to 127 MiB)."""
        if self._held > self.limit:
            self._of.clear()
            self._held = 0
            trim()

    def read(self, iris: Iterable[str]) -> None:
        """Read the resources among ``iris`` not read yet, in one batch."""
        from .publish import Subjects

        missing = sorted({i for i in iris if i not in self._of})
        if not missing:
            return
        described = Subjects(self.shared.triples_of(missing))
        for i in missing:
            props = described.props.get(i, {})
            refs = {o.value for p, objects in props.items() if p != RDF_TYPE for o in objects if isinstance(o, NamedNode)}
            self._of[i] = (triples := described.of([i]), props, refs)
            self._held += len(triples)

    def triples(self, iri: str) -> list[Triple]:
        """The triples of a resource read (sort_key order)."""
        return self._of[iri][0]

    def described(self, iri: str) -> tuple[dict[str, list], set[str]]:
        """A resource read: predicate → objects, and the IRIs it refers to (not its types)."""
        return self._of[iri][1:]


class _Values:
    """The values of one meeting's (or entity's) data as its pages show them, each worked out
    once: ``po`` subject → predicate → objects, ``host`` the resources shown on another's page
    (resource → page, anchor). An IRI is a link (:meth:`Site.link`) that depends on the folder
    of the page it is on, and on nothing else of the page."""

    def __init__(self, site: Site, po: dict, host: dict | None = None):
        self.site, self.po, self.host = site, po, host
        self._labels: dict[str, str] = {}
        self._links: dict[tuple[str, str], Markup | str] = {}  # (folder, IRI) → link

    def label(self, iri: str) -> str:
        found = self._labels.get(iri)
        if found is None:
            found = self._labels[iri] = self.site.label(iri, self.po)
        return found

    def value(self, page: str, o) -> Markup | str:
        if isinstance(o, NamedNode):
            key = (page.rpartition("/")[0], o.value)
            found = self._links.get(key)
            if found is None:
                found = self._links[key] = self.site.link(page, o.value, self.po, self.host, self.label(o.value))
            return found
        if isinstance(o, Literal):
            return o.value
        return str(o)


@lru_cache(maxsize=8192)
def _href(from_dir: str, to_file: str) -> str:
    return quote(posixpath.relpath(to_file, from_dir), safe="/#")


def _entity_pages(args) -> list[tuple[str, tuple]]:
    """Site.entity_pages in a worker process: (root, base, prefixes, store path, subjects)."""
    from .sharedstore import SharedStore

    root, base, prefixes, store, subjects = args
    shared = SharedStore(Path(store), readonly=True)
    try:
        return Site(Path(root), base, prefixes).entity_pages(shared, subjects)
    finally:
        shared.close()
        trim()  # the slice's memory back to the system before the next slice (memory.py)


def local_path(local: str) -> str:
    """The path of a page for the local part of an IRI (percent-decoded; unsafe names kept
    encoded with ``%`` → ``_``)."""
    decoded = unquote(local)
    if _safe_segments(decoded):
        return decoded
    return "_" + local.replace("%", "_").replace("/", "_")


def _iris(objs) -> list[str]:
    return sorted(o.value for o in objs if isinstance(o, NamedNode))


def _best(vals) -> str:
    lits = [v for v in vals if isinstance(v, Literal)]
    da = [v.value for v in lits if v.language == "da"]
    return min(da) if da else min(v.value for v in lits) if lits else ""


def _first(po, s: str, p: str) -> str:
    vals = po.get(s, {}).get(p, [])
    return min(v.value for v in vals) if vals else ""


def _int(po, s: str, p: str) -> int:
    v = _first(po, s, p)
    try:
        return int(v)
    except ValueError:
        return 0


def _a(href: str, text) -> Markup:
    """``<a href="…">…</a>``, both escaped (as ``Markup(...).format`` does, faster)."""
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


def _term_key(o) -> tuple:
    return (type(o).__name__, o.value)
