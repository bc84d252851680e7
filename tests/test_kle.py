"""KLE: journal numbers as SKOS concepts, and titles imported from the user's own KLE files.

The XML files in ``tests/kle/`` are hand-written in the shape of KL's *KLE-Emneplan* and
*KLE-Handlingsfacetter* files, with made-up titles: KLE's titles belong to KL and are not in this
repository, nor in what ``referatgraph build`` publishes.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from referatgraph import kle
from referatgraph.cli import main
from referatgraph.errors import InputError, ReferatgraphError
from referatgraph.iris import Minter
from referatgraph.kle import LABELS_FILE, concept_triples, import_labels, read_kle
from referatgraph.parse import parse_file
from referatgraph.pipeline import build
from referatgraph.validate import load_graph, validate_graph
from referatgraph.vocab import REPO

KLE = Path(__file__).resolve().parent / "kle"
BASE = "https://referatgraph.example/id/"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("kle-release")
    assert build(None, out).ok
    return out


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the KLE importer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- reading KL's files --------------------------------------------------------------------------


def test_read_topic_plan_with_a_namespace():
    entries = read_kle(KLE / "emneplan.xml")
    assert [(e.kind, e.code) for e in entries] == [
        ("main group", "15"), ("group", "15.40"), ("topic", "15.40.00"), ("group", "15.00"),
        ("topic", "15.00.00"), ("topic", "15.00.30"), ("main group", "99"), ("group", "99.01"),
    ]
    assert entries[2].title == "Testemne femten fyrre nul"


def test_read_action_facets_without_a_namespace():
    entries = read_kle(KLE / "handlingsfacetter.xml")
    assert [(e.kind, e.code, e.title) for e in entries] == [
        ("facet category", "A", "Testkategori A"),
        ("facet", "A00", "Testfacet A nul nul"),
        ("facet", "A26", "Testfacet A seksogtyve"),
        ("facet category", "Ø", "Testkategori Ø"),
        ("facet", "Ø00", "Testfacet Ø nul nul"),
    ]


def test_read_numbers_and_titles_as_attributes_or_short_children():
    assert [(e.code, e.title) for e in read_kle(KLE / "attributes.xml")] == [
        ("27", "Testhovedgruppe syvogtyve"), ("27.03", "Testgruppe syvogtyve tre"), ("27.03.00", "Testemne syvogtyve tre nul"),
    ]


def test_malformed_numbers_are_skipped():
    assert "1X" not in {e.code for e in read_kle(KLE / "emneplan.xml")}


def test_no_network_no_external_entities(no_network):
    """External DTD and entities (a local file, a URL) are neither loaded nor expanded: an
    element whose title is only an entity reference has no title and is left out."""
    entries = read_kle(KLE / "entities.xml")
    assert [(e.code, e.title) for e in entries] == [("15.40", "Testgruppe uden udvidelse"), ("15.40.00", "Sikker testtitel")]


def test_entity_expansion_bomb_is_refused(no_network):
    with pytest.raises(InputError, match="not a well-formed XML file"):
        read_kle(KLE / "laughs.xml")


@pytest.mark.parametrize(("content", "message"), [(b"", "not a well-formed"), (b"<KLE-Emneplan>", "not a well-formed"), (None, "cannot read")])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "kle.xml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_kle(path)


# --- the concepts in the dataset -------------------------------------------------------------------


def test_concepts_of_a_journal_number():
    m = Minter()
    triples = {(t.subject.value[len(BASE):], t.predicate.value.rsplit("#", 1)[-1], t.object.value.removeprefix(BASE)) for t in concept_triples(m, "27.03.00", "Ø00")}
    assert ("kle-topic/27.03.00", "notation", "27.03.00") in triples
    assert ("kle-topic/27.03.00", "broader", "kle-topic/27.03") in triples
    assert ("kle-topic/27.03", "broader", "kle-topic/27") in triples
    assert ("kle-topic/27", "topConceptOf", "scheme/kle-emneplan") in triples
    assert ("kle-topic/27.03.00", "seeAlso", "https://www.kle-online.dk/emneplan/27/#_27.03.00") in triples
    assert ("kle-facet/%C3%9800", "broader", "kle-facet/%C3%98") in triples
    assert ("kle-facet/%C3%98", "topConceptOf", "scheme/kle-handlingsfacetter") in triples
    labels = {o for s, p, o in triples if p == "prefLabel" and s.startswith("kle-")}
    assert labels == set()  # no KLE titles are published



def _fresh(minter: Minter, topic: str, facet: str) -> list:
    for part in (kle._scheme_triples, kle._topic_triples, kle._facet_triples):
        part.cache_clear()
    return concept_triples(minter, topic, facet)


def test_concepts_from_the_cache_are_the_ones_made_fresh():
    numbers = [it.case_number for path in sorted((REPO / "examples" / "odense").glob("*.txt"))
               for it in parse_file(path).meeting.items if it.case_number is not None and it.case_number.is_kle]
    pairs = sorted({(n.kle_topic, n.kle_facet) for n in numbers})
    assert len(pairs) >= 5
    m, other = Minter(), Minter("https://other.example/")
    for topic, facet in pairs:
        warm = [concept_triples(m, t, f) for t, f in pairs]  # the caches hold every pair now
        assert warm[pairs.index((topic, facet))] == _fresh(m, topic, facet)
        assert [str(t).replace(BASE, "https://other.example/") for t in concept_triples(m, topic, facet)] == [
            str(t) for t in concept_triples(other, topic, facet)]


def test_every_item_is_about_its_topic(release):
    store = ox.Store()
    store.load(path=str(release / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
        SELECT (COUNT(?item) AS ?n) WHERE { ?item a besluit:Agendapunt ; eli:is_about/skos:notation ?code }"""))
    assert int(rows[0]["n"].value) == 28


def test_the_published_dataset_has_no_kle_titles():
    """output/ (the committed sample release) carries codes only."""
    store = ox.Store()
    store.load(path=str(REPO / "output" / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c WHERE { ?c skos:prefLabel ?l FILTER (CONTAINS(STR(?c), "/kle-topic/") || CONTAINS(STR(?c), "/kle-facet/")) }"""))
    assert rows == []
    assert not (REPO / "output" / LABELS_FILE).exists()


# --- kle import ------------------------------------------------------------------------------------


def test_kle_import_writes_labels_for_the_concepts_used(tmp_path, release, no_network):
    data = tmp_path / "release"
    data.mkdir()
    for f in ("dataset.ttl", "report.json"):
        (data / f).write_bytes((release / f).read_bytes())
    before = (data / "dataset.ttl").read_bytes()
    res = run("kle", "import", KLE / "emneplan.xml", KLE / "handlingsfacetter.xml", "--data", data)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == (
        f"11 KLE titles for the concepts used in {data} written to {data / LABELS_FILE} (13 entries read from 2 files)."
    )
    assert "do not republish the titles without KL's consent" in res.output
    assert (data / "dataset.ttl").read_bytes() == before  # the dataset itself is untouched
    labels = {
        (t.subject.value[len(BASE):], t.object.value)
        for t in ox.parse(path=str(data / LABELS_FILE), format=ox.RdfFormat.TURTLE)
    }
    assert labels == {
        ("kle-topic/15", "Testhovedgruppe femten"),
        ("kle-topic/15.40", "Testgruppe femten fyrre"),
        ("kle-topic/15.40.00", "Testemne femten fyrre nul"),
        ("kle-topic/15.00", "Testgruppe femten nul"),
        ("kle-topic/15.00.00", "Testemne femten nul nul"),
        ("kle-topic/15.00.30", "Testemne femten nul tredive"),
        ("kle-facet/A", "Testkategori A"),
        ("kle-facet/A00", "Testfacet A nul nul"),
        ("kle-facet/A26", "Testfacet A seksogtyve"),
        ("kle-facet/%C3%98", "Testkategori Ø"),
        ("kle-facet/%C3%9800", "Testfacet Ø nul nul"),
    }  # "99" and "99.01" are in the file but not used by the dataset: not written
    # the dataset with the titles still conforms, and so does the dataset without them
    assert validate_graph(load_graph([str(data / "dataset.ttl"), str(data / LABELS_FILE)])).conforms
    assert validate_graph(load_graph([str(data / "dataset.ttl")])).conforms
    # the case view shows the titles
    res = run("case", "15.40.00-A00-5-22", "--data", data)
    assert "KLE topic 15.40.00 Testemne femten fyrre nul · action facet A00 Testfacet A nul nul" in res.output


def test_kle_import_refuses_the_repository_output():
    res = run("kle", "import", KLE / "emneplan.xml", "--data", REPO / "output")
    assert res.exit_code == 2
    assert "KLE titles belong to KL" in res.output
    assert not (REPO / "output" / LABELS_FILE).exists()
    with pytest.raises(ReferatgraphError):
        import_labels([KLE / "emneplan.xml"], REPO / "output")


def test_kle_import_needs_a_data_directory_and_a_dataset(tmp_path):
    assert run("kle", "import", KLE / "emneplan.xml").exit_code == 2  # --data is required
    res = run("kle", "import", KLE / "emneplan.xml", "--data", tmp_path)
    assert res.exit_code == 2
    assert "cannot read the dataset" in res.output


def test_kle_import_bad_file(tmp_path, release):
    bad = tmp_path / "bad.xml"
    bad.write_text("<KLE-Emneplan>", encoding="utf-8")
    res = run("kle", "import", bad, "--data", release)
    assert res.exit_code == 2
    assert "not a well-formed XML file" in res.output
