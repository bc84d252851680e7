"""The whole build on the sample corpus: conformance, round trips, determinism, the query."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from referatgraph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    result = build(None, out)
    return result, out


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(
            "graphs differ\nonly in first:\n"
            + "\n".join(sorted(map(str, only_a))[:20])
            + "\nonly in second:\n"
            + "\n".join(sorted(map(str, only_b))[:20])
        )


def test_sample_build_converts_and_conforms(release):
    result, _ = release
    assert [(f.file, f.status, f.items) for f in result.files] == [
        ("odense/000_83328fd846afc9b6.txt", "converted", 8),
        ("odense/001_89e122cf77fe0064.txt", "converted", 16),
        ("odense/004_22c6d353a3b71871.txt", "converted", 4),
    ]
    violations = [r.format() for f in result.files for r in f.results if r.severity == "Violation"]
    assert violations == []
    assert result.shared is not None and result.shared.conforms
    assert result.ok


def test_release_files(release):
    _, out = release
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    keys = ["2021-02-02", "2023-01-17", "2024-06-25"]
    site = ("meeting/", "item/", "case/", "body/", "person/", "party/")  # the pages: tests/test_site.py
    assert [n for n in names if not n.startswith(site)] == sorted(
        ["context.jsonld", "dataset.jsonld", "dataset.ttl", "report.json"]
        + ["dataset.nt", "dataset.framed.jsonld", "dataset.trig", "dataset.nq", "void.ttl", "catalog.ttl",
           "manifest.json", "index.html", "site.css"]
        + [f"ontology/{n}" for n in ("referatgraph.ttl", "concepts.ttl", "shapes.ttl", "index.html")]
        + [f"meetings/beskaeftigelses-og-socialudvalget-{k}.{ext}" for k in keys for ext in ("ttl", "jsonld")]
    )


def test_build_counts_the_files_it_wrote(release):
    """BuildResult.written: the files of each top-level folder or file of the release, counted
    (the CLI's summary shows them)."""
    result, out = release
    on_disk: dict[str, int] = {}
    for p in out.rglob("*"):
        if p.is_file():
            top = p.relative_to(out).parts[0]
            on_disk[top] = on_disk.get(top, 0) + 1
    assert result.written == on_disk
    assert result.written["meetings"] == 6 and result.written["ontology"] == 4 and result.written["dataset.ttl"] == 1


def test_turtle_and_jsonld_are_the_same_graph(release):
    _, out = release
    ttl = rdflib.Graph().parse(out / "dataset.ttl", format="turtle")
    js = rdflib.Graph().parse(out / "dataset.jsonld", format="json-ld")
    assert len(ttl) > 3000
    assert_isomorphic(ttl, js)
    for meeting in sorted((out / "meetings").glob("*.ttl")):
        assert_isomorphic(
            rdflib.Graph().parse(meeting, format="turtle"),
            rdflib.Graph().parse(meeting.with_suffix(".jsonld"), format="json-ld"),
        )


def test_meeting_files_add_up_to_the_dataset(release):
    """The meeting files (with the concept schemes) give the dataset, but for what only the whole
    corpus knows and only the dataset files carry: the timelines of cases treated more than once
    (link.py: each treatment's date, previous and next treatment, and the link records)."""
    _, out = release
    union = rdflib.Graph()
    for meeting in (out / "meetings").glob("*.ttl"):
        union.parse(meeting, format="turtle")
    dataset = rdflib.Graph().parse(out / "dataset.ttl", format="turtle")
    concepts = rdflib.Graph().parse(ROOT / "ontology" / "concepts.ttl", format="turtle")
    rg = rdflib.Namespace("https://w3id.org/referatgraph/ns#")
    timeline_records = set(dataset.subjects(rdflib.RDF.predicate, rg.previousInCase))
    extra = dataset - (union + concepts)
    assert len(extra) > 0 and not (union + concepts) - dataset
    for s, p, o in extra:
        assert s in timeline_records or ("/treatment/" in s and p in (rg.previousInCase, rg.nextInCase, rdflib.DCTERMS.date)), (s, p, o)


def test_no_blank_nodes(release):
    _, out = release
    quads = ox.parse(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    assert not [q for q in quads if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]


def test_two_builds_give_the_same_bytes(release, tmp_path):
    _, out = release
    build(None, tmp_path)
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        assert (tmp_path / f.relative_to(out)).read_bytes() == f.read_bytes(), f.name


def test_committed_output_is_fresh(release):
    """output/ in the repository is the published sample dataset; rebuild and compare."""
    _, out = release
    committed = ROOT / "output"
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    present = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    assert present == built, "output/ is stale: run `referatgraph build` and commit output/"
    for name in built:
        assert (committed / name).read_bytes() == (out / name).read_bytes(), (
            f"output/{name} is stale: run `referatgraph build` and commit output/"
        )


def test_every_published_resource_says_where_it_came_from(release):
    _, out = release
    store = ox.Store()
    store.load(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
        PREFIX rg: <https://w3id.org/referatgraph/ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?s WHERE {
          VALUES ?class { besluit:Zitting besluit:Agendapunt besluit:BehandelingVanAgendapunt
                          besluit:Besluit rg:Section rg:Subsection rg:Attachment }
          ?s a ?class .
          FILTER NOT EXISTS {
            ?s prov:wasDerivedFrom/rg:fileName ?file ; rg:firstLine ?a ; rg:lastLine ?b ;
               prov:wasGeneratedBy/prov:wasAssociatedWith/<http://schema.org/softwareVersion> ?v .
          }
        }"""))
    assert rows == []


def test_same_journal_number_same_case_across_meetings(release):
    _, out = release
    g = rdflib.Graph().parse(out / "dataset.ttl", format="turtle")
    case = rdflib.URIRef("https://referatgraph.example/id/case/15.40.00-A00-5-22")
    items = sorted(str(s) for s in g.subjects(rdflib.DCTERMS.isPartOf, case))
    assert items == [
        "https://referatgraph.example/id/item/beskaeftigelses-og-socialudvalget-2023-01-17-3",
        "https://referatgraph.example/id/item/beskaeftigelses-og-socialudvalget-2024-06-25-11",
    ]
    # Same serial, other year: another case.
    other = rdflib.URIRef("https://referatgraph.example/id/case/15.00.00-P22-1-19")
    assert list(g.subjects(rdflib.DCTERMS.isPartOf, other)) == [
        rdflib.URIRef("https://referatgraph.example/id/item/beskaeftigelses-og-socialudvalget-2024-06-25-10")
    ]


def test_agenda_items_query_returns_the_hand_read_rows(release):
    _, out = release
    store = ox.Store()
    store.load(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    query = (ROOT / "queries" / "agenda-items.rq").read_text(encoding="utf-8")
    solutions = store.query(query)
    assert [v.value for v in solutions.variables] == ["date", "number", "title", "caseType", "journal", "outcome"]
    rows = []
    for s in solutions:
        assert s["date"].datatype.value == "http://www.w3.org/2001/XMLSchema#date"
        assert s["number"].datatype.value == "http://www.w3.org/2001/XMLSchema#integer"
        rows.append(tuple(None if s[v] is None else s[v].value for v in ("date", "number", "title", "caseType", "journal", "outcome")))
    expected = []
    for f in sorted(EXPECTED.glob("*.json")):
        e = json.loads(f.read_text(encoding="utf-8"))
        for it in e["items"]:
            expected.append((e["meeting"]["date"], str(it["number"]), it["title"], it["case_type"], it["journal"], it["outcome"]))
    assert rows == sorted(expected, key=lambda r: (r[0], int(r[1])))


def test_a_converted_meeting_referred_to_by_date_is_published_once(tmp_path):
    """Regression (found by the benchmark): the referenced meeting's date and committee were
    written twice in dataset.ttl when that meeting was converted in the same build."""
    src = tmp_path / "in"
    src.mkdir()
    samples = ROOT / "examples" / "odense"
    (src / "a.txt").write_bytes((samples / "000_83328fd846afc9b6.txt").read_bytes())
    text = (samples / "001_89e122cf77fe0064.txt").read_text(encoding="utf-8")
    text = text.replace(
        "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 25. juni 2024.",
        "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 25. juni 2024. "
        "Udvalget drøftede på mødet den 17. januar 2023 ekspertgruppens medlemmer.", 1)
    (src / "b.txt").write_text(text, encoding="utf-8")
    result = build([src], tmp_path / "out")
    assert result.ok
    triples = [q.triple for q in ox.parse(path=str(tmp_path / "out" / "dataset.ttl"), format=ox.RdfFormat.TURTLE)]
    assert len(triples) == len(set(triples)) == result.triples
    target = ox.NamedNode("https://referatgraph.example/id/meeting/beskaeftigelses-og-socialudvalget-2023-01-17")
    refs = [t for t in triples if t.object == target and t.predicate.value.endswith("referencesMeeting")]
    assert len(refs) == 1


def test_worker_processes_give_the_same_bytes(tmp_path):
    """Documents converted in two worker processes (``jobs=2``) give the same release, byte for
    byte, as in the build's own process, with a failing file and a duplicate meeting among them."""
    src = tmp_path / "in"
    src.mkdir()
    samples = sorted((ROOT / "examples" / "odense").glob("*.txt"))
    for p in samples:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "zz-copy.txt").write_bytes(samples[0].read_bytes())  # the same meeting again
    (src / "empty.txt").write_bytes(b"")
    one = build([src], tmp_path / "one", jobs=1)
    two = build([src], tmp_path / "two", jobs=2)
    for result in (one, two):
        assert [f.status for f in result.files] == ["converted", "converted", "converted", "failed", "failed"]
        dup = result.files[-1].issues[-1]
        assert dup.code == "meeting-duplicate" and samples[0].name in dup.message
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) > 300
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for f in files:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f
