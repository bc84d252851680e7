"""The release: every distribution is the same graph, one named graph per source document, the
manifest, the VoID and DCAT-AP-DK description (validated with the profile's own shapes), the
ontology documentation, configuration, dates, and `publish` giving the build's bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from release_helpers import BASE, DOCS, KEYS, ROOT, copy_release, sample_release, tmp_dir

from referatgraph.cli import main
from referatgraph.describe import ConfigError, ReleaseConfig
from referatgraph.iris import Minter
from referatgraph.publish import meeting_tree, named_graph, republish, sort_key, turtle
from referatgraph.store import graph_data
from referatgraph.vocab import PREFIXES

ANCHORS = ROOT.parent / "shared" / "anchors"
DCAT_SHAPES = ANCHORS / "dcat-ap-dk-2.0.2-shapes.ttl"
DCAT_EXAMPLE = ANCHORS / "dcat-ap-dk-2.0-example.ttl"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
CONCEPTS = "https://w3id.org/referatgraph/concept/"


def triples(path: Path, fmt: ox.RdfFormat) -> set:
    return {q.triple for q in ox.parse(path=str(path), format=fmt)}


def quads(path: Path, fmt: ox.RdfFormat) -> set:
    return set(ox.parse(path=str(path), format=fmt))


@pytest.fixture(scope="module")
def out() -> Path:
    return sample_release()


def test_every_distribution_is_the_same_graph(out):
    ttl = triples(out / "dataset.ttl", ox.RdfFormat.TURTLE)
    assert len(ttl) > 3000
    assert triples(out / "dataset.nt", ox.RdfFormat.N_TRIPLES) == ttl
    assert {q.triple for q in quads(out / "dataset.nq", ox.RdfFormat.N_QUADS)} == ttl
    assert {q.triple for q in quads(out / "dataset.trig", ox.RdfFormat.TRIG)} == ttl
    g = rdflib.Graph().parse(out / "dataset.ttl", format="turtle")
    framed = rdflib.Graph().parse(out / "dataset.framed.jsonld", format="json-ld")
    assert isomorphic(g, framed)


def test_one_named_graph_per_source_document(out):
    qs = quads(out / "dataset.nq", ox.RdfFormat.N_QUADS)
    graphs = {q.graph_name.value for q in qs}
    shared = f"{BASE}graph/shared"
    assert graphs == set(DOCS.values()) | {CONCEPTS, shared}
    by_graph = {g: {q.triple for q in qs if q.graph_name.value == g} for g in graphs}
    # No triple in two graphs: a union default graph then returns each triple once.
    assert sum(len(v) for v in by_graph.values()) == len({q.triple for q in qs})
    for key, doc in DOCS.items():
        meeting = triples(out / "meetings" / f"{key}.ttl", ox.RdfFormat.TURTLE)
        assert by_graph[doc] <= meeting, key
        assert meeting <= by_graph[doc] | by_graph[shared] | by_graph[CONCEPTS], key
        # the document's graph holds what it says about itself: its meeting, items, provenance
        assert {t.subject.value for t in by_graph[doc]} >= {f"{BASE}meeting/{key}", doc}
    # TriG: the same quads.
    assert quads(out / "dataset.trig", ox.RdfFormat.TRIG) == qs


def test_named_graph_gives_the_bytes_oxigraph_writes_for_the_quads(out):
    """named_graph makes a graph's N-Quads and TriG from its N-Triples and Turtle text: the same
    bytes as ox.serialize of the quads, for every graph of the release (texts with newlines,
    quotes and non-ASCII letters among them)."""
    prefixes = {**PREFIXES, **Minter(BASE).prefixes()}
    qs = quads(out / "dataset.nq", ox.RdfFormat.N_QUADS)
    graphs = sorted({q.graph_name.value for q in qs})
    assert len(graphs) == 5
    for graph in graphs:
        ts = sorted((q.triple for q in qs if q.graph_name.value == graph), key=sort_key)
        gq = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in ts]
        nt = ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES)
        nq, trig = named_graph(graph, ts, nt, turtle(ts, prefixes, header=False, ordered=True), prefixes)
        assert nq == ox.serialize(gq, format=ox.RdfFormat.N_QUADS)
        expected = ox.serialize(gq, format=ox.RdfFormat.TRIG, prefixes=prefixes)
        assert trig == b"".join(ln for ln in expected.splitlines(keepends=True) if not ln.startswith(b"@prefix "))
    assert named_graph(graphs[0], [], b"", b"", prefixes) == (b"", b"")


def test_manifest_names_every_graph_with_its_hash(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["base_iri"] == BASE
    entries = {g["graph"]: g for g in manifest["graphs"]}
    assert set(DOCS.values()) | {CONCEPTS, f"{BASE}dataset", "https://w3id.org/referatgraph/ns"} <= set(entries)
    for g in manifest["graphs"]:
        graph_data(out, g)  # raises when a hash does not match
        if "source" in g:
            data, _ = graph_data(out, g)
            got = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
            assert got == {g["graph"]}
            assert len(list(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == g["triples"]
    assert manifest["triples"] == len(triples(out / "dataset.nt", ox.RdfFormat.N_TRIPLES))


def test_framed_jsonld_has_one_tree_per_meeting(out):
    doc = json.loads((out / "dataset.framed.jsonld").read_text(encoding="utf-8"))
    trees = [n for n in doc["@graph"] if "Zitting" in n.get("type", [])]
    # in the order of the input files: 000_… (2023), 001_… (2024), 004_… (2021)
    assert [t["id"] for t in trees] == [f"{BASE}meeting/{KEYS[k]}" for k in (1, 2, 0)]
    t2023 = trees[0]
    item3 = next(i for i in t2023["agendaItems"] if i["id"].endswith("-2023-01-17-3"))
    assert item3["title"].startswith("Udmøntning af Budget 2023")
    assert item3["case"]["identifier"] == "15.40.00-A00-5-22"  # embedded, not a reference
    assert {s["sectionKind"] for s in item3["sections"]} >= {"rgsk:summary"} or item3["sections"]
    treatment = item3["treatment"][0]
    assert treatment["generated"]["outcome"] in ("rgoc:approved", "https://w3id.org/referatgraph/concept/outcome/approved")
    assert t2023["heldBy"]["prefLabel"]["da"] == "Beskæftigelses- og Socialudvalget"


def test_meeting_tree_embeds_each_node_once():
    nodes = [
        {"id": "m", "type": ["Zitting"], "agendaItems": ["i1", "i2"]},
        {"id": "i1", "type": "Agendapunt", "case": "c", "previousItem": "i2"},
        {"id": "i2", "type": "Agendapunt", "case": "c"},
        {"id": "c", "type": "Case"},
        {"id": "t1", "subject": "i1"},
        {"id": "loose", "title": "x"},
    ]
    tree, loose = meeting_tree(nodes)
    i1, i2 = tree["agendaItems"]
    assert i1["case"] == {"id": "c", "type": "Case"} and i2["case"] == "c"
    assert i1["previousItem"] == "i2"  # never embedded along a back link
    assert i1["treatment"] == [{"id": "t1"}]
    assert loose == {"id": "loose", "title": "x"}


def _graph(out: Path, *names: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for n in names:
        g.parse(out / n, format="turtle")
    return g


def test_void_description(out):
    g = _graph(out, "void.ttl")
    d = rdflib.URIRef(f"{BASE}dataset")
    v = rdflib.Namespace(VOID)
    n_triples = len(triples(out / "dataset.nt", ox.RdfFormat.N_TRIPLES))
    assert int(g.value(d, v.triples)) == n_triples
    parts = {str(g.value(p, v["class"])): int(g.value(p, v.entities)) for p in g.objects(d, v.classPartition)}
    assert parts["http://data.vlaanderen.be/ns/besluit#Zitting"] == 3
    assert parts["http://data.vlaanderen.be/ns/besluit#Agendapunt"] == 28
    vocabularies = {str(o) for o in g.objects(d, v.vocabulary)}
    assert {"http://data.vlaanderen.be/ns/besluit#", "http://data.europa.eu/eli/ontology#", "https://w3id.org/referatgraph/ns#"} <= vocabularies
    dumps = {str(o) for o in g.objects(d, v.dataDump)}
    assert f"{BASE}dataset.nt" in dumps and f"{BASE}dataset.nq" in dumps
    data = rdflib.Graph().parse(out / "dataset.ttl", format="turtle")
    examples = list(g.objects(d, v.exampleResource))
    assert examples and all((e, None, None) in data for e in examples)
    subsets = {str(g.value(s, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"))) for s in g.objects(d, v.subset)}
    assert set(DOCS.values()) <= subsets
    assert not list(g.objects(d, v.sparqlEndpoint))  # none configured, none invented


def test_dcat_record_distributions_match_the_files(out):
    g = _graph(out, "catalog.ttl")
    dcat = rdflib.Namespace(DCAT)
    d = rdflib.URIRef(f"{BASE}dataset")
    sizes = {}
    for dist in g.objects(d, dcat.distribution):
        url = g.value(dist, dcat.downloadURL) or g.value(dist, dcat.accessURL)
        sizes[str(url)[len(BASE):]] = int(g.value(dist, dcat.byteSize))
        assert str(g.value(dist, dcat.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert str(g.value(dist, rdflib.URIRef(DCT + "license"))) == "https://creativecommons.org/publicdomain/zero/1.0/"
    for name in ("dataset.ttl", "dataset.nt", "dataset.jsonld", "dataset.framed.jsonld", "dataset.trig", "dataset.nq",
                 "ontology/referatgraph.ttl", "ontology/shapes.ttl", "ontology/index.html", "index.html"):
        assert sizes[name] == (out / name).stat().st_size, name
    conforms = {str(o) for o in g.objects(d, rdflib.URIRef(DCT + "conformsTo"))}
    assert {"http://data.vlaanderen.be/ns/besluit", "http://data.europa.eu/eli/ontology", "https://www.kle-online.dk/"} <= conforms
    assert str(g.value(d, rdflib.URIRef(DCT + "issued"))) == "2024-06-25"  # the latest meeting, not the clock


def _dcat_validate(data: rdflib.Graph):
    import pyshacl

    shapes = rdflib.Graph().parse(DCAT_SHAPES, format="turtle")
    return pyshacl.validate(data, shacl_graph=shapes)


@pytest.mark.skipif(not DCAT_SHAPES.is_file(), reason=f"DCAT-AP-DK shapes not found at {DCAT_SHAPES} (../shared/anchors)")
def test_dcat_ap_dk_record_conforms_to_the_profile_shapes(out):
    conforms, _, text = _dcat_validate(_graph(out, "catalog.ttl", "void.ttl"))
    assert conforms, text
    # The check has teeth: the profile's own example conforms, a broken record does not.
    assert _dcat_validate(rdflib.Graph().parse(DCAT_EXAMPLE, format="turtle"))[0]
    broken = _graph(out, "catalog.ttl")
    broken.remove((None, rdflib.URIRef(DCT + "title"), None))
    assert not _dcat_validate(broken)[0]


@pytest.mark.skipif(not DCAT_SHAPES.is_file(), reason=f"DCAT-AP-DK shapes not found at {DCAT_SHAPES} (../shared/anchors)")
def test_configured_licence_publisher_endpoint_and_dates(tmp_path):
    out = copy_release(sample_release(), tmp_path / "out")
    cfg = tmp_path / "release.toml"
    cfg.write_text(
        '[release]\npublisher_name = "Odense Kommune"\npublisher_iri = "https://www.odense.dk/"\n'
        'licence = "https://creativecommons.org/licenses/by/4.0/"\nlicence_label = "CC BY 4.0"\n'
        'licence_type = "http://purl.org/adms/licencetype/Attribution"\n'
        'sparql_endpoint = "https://data.odense.dk/sparql"\ncontact_email = "data@odense.dk"\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["publish", "--out", str(out), "--config", str(cfg), "--issued", "2025-01-02"])
    assert res.exit_code == 0, res.output
    g = _graph(out, "catalog.ttl", "void.ttl")
    d = rdflib.URIRef(f"{BASE}dataset")
    assert str(g.value(d, rdflib.URIRef(DCT + "publisher"))) == "https://www.odense.dk/"
    assert str(g.value(d, rdflib.URIRef(DCT + "issued"))) == "2025-01-02"
    assert str(g.value(d, rdflib.URIRef(DCT + "modified"))) == "2025-01-02"
    licences = {str(o) for o in g.objects(None, rdflib.URIRef(DCT + "license"))}
    assert licences == {"https://creativecommons.org/licenses/by/4.0/"}
    assert str(g.value(d, rdflib.URIRef(VOID + "sparqlEndpoint"))) == "https://data.odense.dk/sparql"
    conforms, _, text = _dcat_validate(g)
    assert conforms, text


def test_bad_configuration_is_a_clear_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('licence = "not an iri"\nlicense_typo = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting.*license_typo"):
        ReleaseConfig.from_toml(cfg)
    res = CliRunner().invoke(main, ["publish", "--out", str(tmp_path), "--issued", "yesterday"])
    assert res.exit_code == 2
    assert "issued: expected YYYY-MM-DD or 'today'" in res.output


def test_publish_rebuilds_the_same_bytes(tmp_path):
    src = sample_release()
    out = copy_release(src, tmp_path / "out")
    for f in list(out.rglob("*")):
        if f.is_file() and f.suffix == ".html":
            f.unlink()  # pages are rebuilt too
    (out / "void.ttl").unlink()
    republish(out)
    files = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    assert files(out) == files(src)


def _referring_first(tmp_path: Path) -> tuple[Path, Path]:
    """a.txt (2024) refers to b.txt's meeting (2023) by date and comes first; built, then
    published again from its meeting files."""
    import shutil

    from referatgraph.pipeline import build

    src = tmp_path / "in"
    src.mkdir()
    samples = ROOT / "examples" / "odense"
    text = (samples / "001_89e122cf77fe0064.txt").read_text(encoding="utf-8")
    text = text.replace(
        "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 25. juni 2024.",
        "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 25. juni 2024. "
        "Udvalget drøftede på mødet den 17. januar 2023 ekspertgruppens medlemmer.", 1)
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_bytes((samples / "000_83328fd846afc9b6.txt").read_bytes())
    built = tmp_path / "built"
    assert build([src], built).ok
    again = shutil.copytree(built, tmp_path / "again")
    republish(again)
    return built, again


def test_publish_gives_the_build_s_graph_when_a_meeting_refers_to_a_later_file(tmp_path):
    built, again = _referring_first(tmp_path)
    for name in ("dataset.ttl", "dataset.nq"):
        fmt = ox.RdfFormat.TURTLE if name.endswith(".ttl") else ox.RdfFormat.N_QUADS
        assert quads(built / name, fmt) == quads(again / name, fmt), name


def test_publish_gives_the_build_s_bytes_when_a_meeting_refers_to_a_later_file(tmp_path):
    built, again = _referring_first(tmp_path)
    files = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    a, b = files(built), files(again)
    assert [n for n in a if a[n] != b.get(n)] == []


def test_ontology_documentation(out):
    html = (out / "ontology" / "index.html").read_text(encoding="utf-8")
    onto = rdflib.Graph().parse(ROOT / "ontology" / "referatgraph.ttl", format="turtle")
    owl = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
    classes = [c for c in onto.subjects(rdflib.RDF.type, owl.Class) if str(c).startswith("https://w3id.org/referatgraph/ns#")]
    assert len(classes) >= 10
    import html as h

    for c in classes:
        local = str(c).rsplit("#", 1)[1]
        assert f'id="rg-{local}"' in html, local
        for lab in onto.objects(c, rdflib.RDFS.label):
            assert h.escape(str(lab), quote=False) in html, (local, str(lab))
    assert "closeMatch" in html and "oparl:" in html  # alignments
    assert "B-sag" in html  # the concept schemes


def test_release_parts_without_meetings_refuse(tmp_path):
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    res = CliRunner().invoke(main, ["publish", "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert "no meetings/*.ttl" in res.output


def test_release_dir_for_tmp_is_fresh():
    assert tmp_dir("x").is_dir()
