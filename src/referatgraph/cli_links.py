"""The linking commands: ``case`` (a case's timeline), ``group`` (an appointed group), ``kle import``.

Thin click wrappers over SPARQL on a built release (``dataset.ttl``, and ``kle-labels.ttl`` when
the user imported KLE titles into it). ``cli.py`` adds them to the ``referatgraph`` group. Exit
codes as everywhere: 0 success, 1 nothing found, 2 usage or unexpected error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .errors import ReferatgraphError
from .kle import LABELS_FILE, import_labels

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

PREFIXES = """
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX dct:     <http://purl.org/dc/terms/>
PREFIX eli:     <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl:  <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX foaf:    <http://xmlns.com/foaf/0.1/>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rg:      <https://w3id.org/referatgraph/ns#>
PREFIX schema:  <http://schema.org/>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
"""


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def load(data: Path) -> ox.Store:
    """A release directory's dataset.ttl (with kle-labels.ttl when present), or one RDF file."""
    files = [data / "dataset.ttl", data / LABELS_FILE] if data.is_dir() else [data]
    if not files[0].is_file():
        _fail(f"{files[0]}: no dataset here; build one with `referatgraph build --out {data}`")
    store = ox.Store()
    for f in files:
        if f.is_file():
            try:
                store.load(path=str(f), format=ox.RdfFormat.TURTLE)
            except (OSError, SyntaxError) as exc:
                _fail(f"{f}: cannot read: {exc}")
    return store


def rows(store: ox.Store, query: str, **terms) -> list[dict[str, str | None]]:
    """Solutions as plain dicts of strings; ``terms`` (IRIs, literals) are put in for ``$name``,
    written as N-Triples terms (quoted and escaped by pyoxigraph)."""
    text = re.sub(r"\$(\w+)", lambda m: str(terms[m[1]]), query)
    result = store.query(PREFIXES + text)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def short(text: str | None, width: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- case -------------------------------------------------------------------------------------

TREATMENTS = """
SELECT ?item ?meeting ?date ?number ?title ?outcome ?body WHERE {
  ?case dct:identifier ?journal . FILTER (str(?journal) = str($journal))
  ?item dct:isPartOf ?case ; dct:title ?title ; schema:position ?number .
  ?meeting besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  OPTIONAL { ?treatment dct:subject ?item ;
                        prov:generated/eli-dl:had_decision_outcome/skos:notation ?outcome . }
} ORDER BY ?date ?number
"""
CASE_KLE = """
SELECT ?code ?topicLabel ?facet ?facetLabel ?serial ?year WHERE {
  ?case dct:identifier ?journal . FILTER (str(?journal) = str($journal))
  OPTIONAL { ?case rg:kleTopic ?t . ?t skos:notation ?code .
             OPTIONAL { ?t skos:prefLabel ?topicLabel FILTER (lang(?topicLabel) = "da") } }
  OPTIONAL { ?case rg:kleActionFacet ?f . ?f skos:notation ?facet .
             OPTIONAL { ?f skos:prefLabel ?facetLabel FILTER (lang(?facetLabel) = "da") } }
  OPTIONAL { ?case rg:serialNumber ?serial }
  OPTIONAL { ?case rg:caseYear ?year }
}
"""
LINKS_OUT = """
SELECT ?p ?target ?method ?evidence ?direction ?tdate ?tbody ?tnumber WHERE {
  ?l rdf:subject $item ; rdf:predicate ?p ; rdf:object ?target ; rg:method ?method ; rg:evidence ?evidence .
  FILTER (?p != eli:is_about)
  OPTIONAL { ?l rg:direction ?direction }
  OPTIONAL { ?target dct:date ?tdate ; besluit:isGehoudenDoor/skos:prefLabel ?tbody }
  OPTIONAL { ?tm besluit:behandelt ?target ; dct:date ?tdate ; besluit:isGehoudenDoor/skos:prefLabel ?tbody .
             ?target schema:position ?tnumber }
} ORDER BY ?tdate ?tnumber ?target
"""
LINKS_IN = """
SELECT ?source ?sdate ?snumber ?sbody ?method ?evidence ?whole WHERE {
  VALUES (?target ?whole) { ($item false) ($meeting true) }
  ?l rdf:object ?target ; rdf:predicate ?p ; rdf:subject ?source ; rg:method ?method ;
     rg:evidence ?evidence .
  ?sm besluit:behandelt ?source ; dct:date ?sdate ; besluit:isGehoudenDoor/skos:prefLabel ?sbody .
  ?source schema:position ?snumber .
  FILTER (?source != $item && ?p IN (dct:references, rg:referencesMeeting))
} ORDER BY ?sdate ?snumber
"""
SETS_UP = """
SELECT DISTINCT ?group WHERE {
  ?treatment dct:subject $item ; prov:generated ?decision .
  ?group rg:setUpBy ?decision .
} ORDER BY ?group
"""


LABELS = """
SELECT ?pref ?label WHERE {
  OPTIONAL { $node skos:prefLabel ?pref FILTER (lang(?pref) = "da") }
  OPTIONAL { $node rdfs:label ?label }
} ORDER BY ?label
"""


def label(store: ox.Store, iri: str) -> str:
    """The preferred name of a resource, else its first label, else its IRI."""
    found = rows(store, LABELS, node=ox.NamedNode(iri))
    return next((r["pref"] for r in found if r["pref"]), None) or next((r["label"] for r in found if r["label"]), iri)


def _meeting_name(body: str | None, date: str | None, number: str | None = None) -> str:
    name = f"{body or '?'} {date or '?'}"
    return f"{name}, punkt {number}" if number else name


def case_lines(store: ox.Store, journal: str) -> list[str]:
    """The timeline of one case, as lines of text (empty when the dataset has no such case)."""
    j = ox.Literal(journal.strip())
    treatments = rows(store, TREATMENTS, journal=j)
    if not treatments:
        return []
    n = len(treatments)
    out = [f"{journal.strip()}: {n} treatment{'s' if n != 1 else ''}"]
    for k in rows(store, CASE_KLE, journal=j)[:1]:
        if k["code"]:
            topic = f"KLE topic {k['code']}" + (f" {k['topicLabel']}" if k["topicLabel"] else "")
            facet = f"action facet {k['facet']}" + (f" {k['facetLabel']}" if k["facetLabel"] else "")
            out.append(f"  {topic} · {facet} · serial {k['serial']} · year {k['year']}")
    for t in treatments:
        item, meeting = ox.NamedNode(t["item"]), ox.NamedNode(t["meeting"])
        out.append("")
        out.append(f"{t['date']}  punkt {t['number']:<3} {t['outcome'] or '-':<12} {t['title']}")
        out.append(f"    {t['body']}")
        for link in rows(store, LINKS_OUT, item=item):
            p = link["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if p in ("references", "referencesMeeting"):
                arrow = {"back": "←", "forward": "→"}.get(link["direction"] or "", "·")
                what = _meeting_name(link["tbody"], link["tdate"], link["tnumber"])
                out.append(f"    refers to   {arrow} {what} ({link['method']}): “{short(link['evidence'])}”")
            elif p == "reportsOn":
                out.append(f"    reports on  {label(store, link['target'])}")
        for g in rows(store, SETS_UP, item=item):
            out.append(f"    sets up     {label(store, g['group'])}")
        for link in rows(store, LINKS_IN, item=item, meeting=meeting):
            whole = " (the meeting)" if link["whole"] == "true" else ""
            what = _meeting_name(link["sbody"], link["sdate"], link["snumber"])
            out.append(f"    referred to by {what}{whole} ({link['method']}): “{short(link['evidence'])}”")
    return out


@click.command("case")
@click.argument("journal_number", metavar="JOURNAL-NUMBER")
@click.option("--data", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Release directory (its dataset.ttl) or a Turtle file.")
def case(journal_number: str, data: Path) -> None:
    """The timeline of one case: every treatment of JOURNAL-NUMBER in date order (date, item
    number, outcome, title), with the links in and out: what each treatment refers to (other
    meetings by date, other items), the groups it sets up or reports on, and what refers to it."""
    lines = case_lines(load(data), journal_number)
    if not lines:
        _fail(f"no case {journal_number!r} in {data}", EXIT_FAILED)
    click.echo("\n".join(lines))


# --- group ------------------------------------------------------------------------------------

GROUPS = """
SELECT ?group ?label ?pref WHERE {
  ?group a rg:Group .
  OPTIONAL { ?group rdfs:label ?label }
  OPTIONAL { ?group skos:prefLabel ?pref }
}
"""
#: The IRIs of one group joined by the build (rg:sameGroupAs: a report filed under another
#: journal number), with the link's evidence.
SAME_GROUP = """
SELECT DISTINCT ?g WHERE { $group (rg:sameGroupAs|^rg:sameGroupAs)* ?g } ORDER BY ?g
"""
SAME_GROUP_LINKS = """
SELECT ?a ?b ?evidence WHERE {
  VALUES ?a { $groups }
  ?l rdf:subject ?a ; rdf:predicate rg:sameGroupAs ; rdf:object ?b ; rg:evidence ?evidence .
} ORDER BY ?a ?b
"""
# The queries below take all IRIs of a group ($groups, $grouplist).
GROUP_SETUP = """
SELECT ?date ?number ?body ?outcome ?evidence ?commission WHERE {
  VALUES ?group { $groups }
  OPTIONAL {
    ?group rg:setUpBy ?decision .
    ?l rdf:subject ?group ; rdf:predicate rg:setUpBy ; rdf:object ?decision ; rg:evidence ?evidence .
    ?treatment prov:generated ?decision ; dct:subject ?item .
    ?item schema:position ?number .
    ?meeting besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
    OPTIONAL { ?decision eli-dl:had_decision_outcome/skos:notation ?outcome }
  }
  OPTIONAL { ?group rg:commission/dct:title ?commission }
} ORDER BY DESC(BOUND(?date)) ?date ?commission
"""
GROUP_MEMBERS = """
SELECT ?name ?role ?job ?organisation ?chair WHERE {
  VALUES ?group { $groups }
  ?ms org:organization ?group ; org:member ?person ; org:role/skos:prefLabel ?role .
  ?person foaf:name ?name .
  OPTIONAL {
    ?ms rg:evidence ?evidence .
    ?person org:hasMembership ?other .
    ?other org:organization ?org ; rg:evidence ?evidence ; org:role/skos:prefLabel ?job .
    ?org skos:prefLabel ?organisation .
    FILTER (?org NOT IN ($grouplist))
  }
  BIND (EXISTS { ?person org:headOf ?group } AS ?chair)
} ORDER BY DESC(?chair) ?name
"""
GROUP_REPORTS = """
SELECT DISTINCT ?date ?number ?title WHERE {
  VALUES ?group { $groups }
  ?item rg:reportsOn ?group ; schema:position ?number ; dct:title ?title .
  ?meeting besluit:behandelt ?item ; dct:date ?date .
} ORDER BY ?date ?number
"""
GROUP_RECOMMENDATIONS = """
SELECT ?rec ?k ?text WHERE {
  VALUES ?group { $groups }
  ?rec rg:recommendationOf ?group ; schema:position ?k .
  OPTIONAL { ?rec rg:text ?text }
} ORDER BY ?k ?rec
"""
INITIATIVES = """
SELECT ?initiative ?title ?date ?status WHERE {
  ?initiative rg:implements $rec ; dct:title ?title .
  OPTIONAL { ?s rg:statusOf ?initiative ; dct:date ?date ; rg:text ?status }
} ORDER BY ?title DESC(?date)
"""


def same_group(store: ox.Store, group: str) -> list[str]:
    """Every IRI of the group (joined by rg:sameGroupAs), the given one first."""
    others = [r["g"] for r in rows(store, SAME_GROUP, group=ox.NamedNode(group)) if r["g"] != group]
    return [group, *others]


def find_groups(store: ox.Store, name_or_iri: str) -> list[tuple[str, list[str]]]:
    """Groups whose IRI, last IRI segment or one of whose names matches (names: substring,
    case-insensitive); each with its names, preferred name first. IRIs joined by rg:sameGroupAs
    are one group, named by the IRI that is set up (else the first in order) and all their names."""
    names: dict[str, list[str]] = {}
    for r in sorted(rows(store, GROUPS), key=lambda r: (r["group"], r["pref"] or "", r["label"] or "")):
        ns = names.setdefault(r["group"], [])
        for n in (r["pref"], r["label"]):
            if n and n not in ns:
                ns.insert(0, n) if n == r["pref"] else ns.append(n)
    setup = {r["g"] for r in rows(store, "SELECT DISTINCT ?g WHERE { ?g rg:setUpBy ?d }")}
    main: dict[str, str] = {}  # IRI → the IRI that names its group
    for g in sorted(names):
        if g not in main:
            iris = sorted(same_group(store, g))
            first = next((x for x in iris if x in setup), iris[0])
            main.update((x, first) for x in iris)
    merged: dict[str, list[str]] = {}
    for g in sorted(names, key=lambda g: (main[g] != g, g)):  # the naming IRI's names first
        ms = merged.setdefault(main[g], [])
        ms.extend(n for n in names[g] if n not in ms)
    q = name_or_iri.strip()
    exact = sorted({main[g] for g in names if q in (g, g.rsplit("/", 1)[-1])})
    if exact:
        return [(g, merged[g]) for g in exact]
    return sorted((g, ns) for g, ns in merged.items() if any(q.casefold() in n.casefold() for n in ns))


def group_lines(store: ox.Store, group: str, names: list[str]) -> list[str]:
    iris = same_group(store, group)
    terms = {"groups": " ".join(str(ox.NamedNode(x)) for x in iris),
             "grouplist": ", ".join(str(ox.NamedNode(x)) for x in iris)}
    out = [names[0] if names else group, f"  {group}"]
    for j in rows(store, SAME_GROUP_LINKS, **terms):
        out.append(f"  also:        {j['a']} (the same group: “{short(j['evidence'])}”)")
    if names[1:]:
        out.append("  also called: " + "; ".join(names[1:]))
    for s in rows(store, GROUP_SETUP, **terms)[:1]:
        if s["date"]:
            outcome = f" ({s['outcome']})" if s["outcome"] else ""
            out.append(f"  set up by:   decision of {_meeting_name(s['body'], s['date'], s['number'])}{outcome}: “{short(s['evidence'])}”")
        if s["commission"]:
            out.append(f"  commission:  {s['commission']}")
    members = {}
    for m in rows(store, GROUP_MEMBERS, **terms):
        members.setdefault(m["name"], m)
    chairs = [m for m in members.values() if m["chair"] == "true"]
    out.append("  chair:       " + ("; ".join(m["name"] for m in chairs) if chairs else "not named"))
    out.append(f"  members ({len(members)}):")
    for m in members.values():
        where = ", ".join(x for x in (m["job"], m["organisation"]) if x)
        out.append(f"    {m['name']}" + (f", {where}" if where else "") + (f" ({m['role']})" if m["role"] != "Medlem" else ""))
    for r in rows(store, GROUP_REPORTS, **terms):
        out.append(f"  reported on: {r['date']} punkt {r['number']}: {short(r['title'])}")
    recs: dict[int, list[dict]] = {}  # number → the recommendation under each IRI of the group
    for r in rows(store, GROUP_RECOMMENDATIONS, **terms):
        recs.setdefault(int(r["k"]), []).append(r)
    out.append(f"  recommendations ({len(recs)}):" if recs else "  recommendations: none numbered")
    for k, same in sorted(recs.items()):
        text = next((r["text"] for r in same if r["text"]), None)
        out.append(f"    anbefaling {k}" + (f": {short(text, 100)}" if text else ""))
        found = [i for r in same for i in rows(store, INITIATIVES, rec=ox.NamedNode(r["rec"]))]
        initiatives: dict[str, dict] = {}  # by title: the same initiative reported under each IRI
        found.sort(key=lambda i: i["date"] or "", reverse=True)  # the latest status first, then …
        for i in sorted(found, key=lambda i: i["title"]):  # … by title (a stable sort)
            initiatives.setdefault(i["title"], i)
        if not initiatives:
            out.append("      no initiative reported")
        for i in initiatives.values():
            out.append(f"      initiative: {short(i['title'], 100)}")
            if i["date"]:
                out.append(f"        status {i['date']}: {short(i['status'], 100)}")
    return out


@click.command("group")
@click.argument("name_or_iri", metavar="NAME-OR-IRI")
@click.option("--data", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Release directory (its dataset.ttl) or a Turtle file.")
def group(name_or_iri: str, data: Path) -> None:
    """An appointed group (expert group, citizens' panel, …): who set it up, its commission,
    chair and members, the items that report on it, its numbered recommendations and, per
    recommendation, the initiatives that implement it with their latest status.

    NAME-OR-IRI: the group's IRI, the last part of it, or part of one of its names."""
    store = load(data)
    found = find_groups(store, name_or_iri)
    if not found:
        _fail(f"no group matching {name_or_iri!r} in {data}", EXIT_FAILED)
    if len(found) > 1:
        click.echo(f"{len(found)} groups match {name_or_iri!r}; name one of them:", err=True)
        for g, names in found:
            click.echo(f"  {g.rsplit('/', 1)[-1]}  {names[0] if names else ''}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo("\n".join(group_lines(store, *found[0])))


# --- kle ----------------------------------------------------------------------------------------


@click.group("kle")
def kle() -> None:
    """KLE topics and action facets. The dataset carries the codes only; titles belong to KL."""


@kle.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), required=True,
              help="Release directory to add the titles to (writes DATA/kle-labels.ttl).")
def kle_import(files: tuple[Path, ...], data: Path) -> None:
    """Read KL's KLE XML files (KLE-Emneplan, KLE-Handlingsfacetter) that you have access to, and
    write the titles of the KLE concepts the dataset in DATA uses to DATA/kle-labels.ttl.

    KLE belongs to KL; its terms require consent for use: keep the titles to yourself unless you
    have it. The files are read without network access, DTDs or entity expansion."""
    try:
        path, written, read = import_labels(list(files), data)
    except ReferatgraphError as exc:
        _fail(str(exc))
    click.echo(f"{written} KLE titles for the concepts used in {data} written to {path} "
               f"({read} entries read from {len(files)} file{'s' if len(files) != 1 else ''}).")
    click.echo("KLE belongs to KL: do not republish the titles without KL's consent.")
