"""The embedded store: load a release, query it (tables, CSV, JSON), incremental loading by named
graph, one writer at a time, and values bound safely (a hostile title)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from release_helpers import (
    BASE,
    CORPUS,
    DOCS,
    HOSTILE,
    HOSTILE_ITEM,
    KEYS,
    ROOT,
    hostile_release,
    sample_release,
)

from referatgraph.cli import main
from referatgraph.pipeline import build
from referatgraph.query import bindings, run, sparql_term
from referatgraph.store import StoreBusy, StoreError, load, open_store

ITEMS = "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> SELECT (COUNT(?i) AS ?n) WHERE { ?i a besluit:Agendapunt }"
BY_TITLE = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?item ?title WHERE { ?item dct:title ?title }"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="referatgraph")


def count(store: ox.Store, query: str = ITEMS) -> int:
    return int(next(iter(run(store, query)))["n"].value)


@pytest.fixture
def store_dir(tmp_path) -> Path:
    d = tmp_path / "store"
    rep = load(sample_release(), d)
    assert rep.full and len(rep.added) >= 6
    return d


def test_load_then_query_the_shipped_query(store_dir):
    res = cli("query", ROOT / "queries" / "agenda-items.rq", "--data", store_dir)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].split() == ["date", "number", "title", "caseType", "journal", "outcome"]
    assert lines[-1] == "(28 rows)"
    assert any("15.40.00-A00-5-22" in ln and "approved" in ln for ln in lines)


def test_query_formats_for_programs(store_dir):
    res = cli("query", ITEMS, "--data", store_dir, "--format", "csv")
    assert res.exit_code == 0 and res.output.replace("\r", "") == "n\n28\n"
    res = cli("query", ITEMS, "--data", store_dir, "--format", "json")
    assert json.loads(res.output)["results"]["bindings"][0]["n"]["value"] == "28"
    res = cli("query", f"CONSTRUCT {{ ?m ?p ?o }} WHERE {{ BIND(<{BASE}meeting/{KEYS[1]}> AS ?m) ?m ?p ?o }}", "--data", store_dir, "-f", "nt")
    assert res.exit_code == 0 and len(res.output.splitlines()) >= 10
    res = cli("query", "ASK { ?s ?p ?o }", "--data", store_dir)
    assert res.output == "true\n"


def test_query_errors_are_clear(store_dir, tmp_path):
    res = cli("query", "SELECT WHERE {", "--data", store_dir)
    assert res.exit_code == 2 and "error: the query does not parse" in res.output
    res = cli("query", ITEMS, "--data", tmp_path / "nothing")
    assert res.exit_code == 2 and "no such store or release directory" in res.output
    res = cli("query", ITEMS, "--data", store_dir, "-p", "not a binding")
    assert res.exit_code == 2 and "expected NAME=VALUE" in res.output


def test_query_a_release_directly():
    res = cli("query", ITEMS, "--data", sample_release(), "-f", "csv")
    assert res.exit_code == 0 and res.output.replace("\r", "") == "n\n28\n"


def test_default_graph_is_the_union_and_graphs_are_named(store_dir):
    with open_store(store_dir) as store:
        rows = run(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        graphs = {r["g"].value: int(r["n"].value) for r in rows}
    manifest = json.loads((sample_release() / "manifest.json").read_text(encoding="utf-8"))
    for g in manifest["graphs"]:
        if "triples" in g:
            assert graphs[g["graph"]] == g["triples"]
    assert set(DOCS.values()) <= set(graphs)


def _corpus(tmp_path: Path, drop: str | None = None, change: str | None = None) -> Path:
    d = tmp_path / "corpus"
    d.mkdir(exist_ok=True)
    for f in sorted(CORPUS.glob("*.txt")):
        if drop and f.name.startswith(drop):
            continue
        text = f.read_text(encoding="utf-8")
        if change and f.name.startswith(change):
            text = text.replace("Godkendelse af dagsorden", "Godkendelse af dagsordenen")
        (d / f.name).write_text(text, encoding="utf-8")
    return d


def test_incremental_load_replaces_changed_and_drops_removed_graphs(store_dir, tmp_path):
    # Unchanged: nothing to do.
    rep = load(sample_release(), store_dir)
    assert not rep.full and rep.added == rep.replaced == rep.dropped == [] and rep.unchanged >= 6
    # 000 (2023-01-17) changed, 004 (2021-02-02) removed, 001 as it was.
    out = tmp_path / "v2"
    build([_corpus(tmp_path, drop="004_", change="000_")], out)
    rep = load(out, store_dir)
    assert DOCS[KEYS[1]] in rep.replaced
    assert rep.dropped == [DOCS[KEYS[0]]]
    assert DOCS[KEYS[2]] not in rep.replaced + rep.added
    with open_store(store_dir) as store:
        assert count(store) == 24  # 16 + 8: the 4 items of 2021-02-02 are gone
        item1 = f"<{BASE}item/{KEYS[1]}-1>"
        titles = [r["t"].value for r in run(store, f"SELECT ?t WHERE {{ {item1} <http://purl.org/dc/terms/title> ?t }}")]
        assert titles == ["Godkendelse af dagsordenen"]
        gone = run(store, f"ASK {{ GRAPH <{DOCS[KEYS[0]]}> {{ ?s ?p ?o }} }}")
        assert not bool(gone)
    # The store now equals a fresh load of the same release.
    fresh = tmp_path / "fresh"
    load(out, fresh)
    with open_store(store_dir) as a, open_store(fresh) as b:
        no_bnodes = lambda store: {q for q in store if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
        assert no_bnodes(a) == no_bnodes(b)  # (the ontology's blank nodes get new ids on every load)
        assert len(a) == len(b)


def test_an_interrupted_load_is_redone_from_scratch(store_dir):
    state = json.loads((store_dir / "state.json").read_text(encoding="utf-8"))
    (store_dir / "state.json").write_text(json.dumps({**state, "complete": False}), encoding="utf-8")
    rep = load(sample_release(), store_dir)
    assert rep.full
    with open_store(store_dir) as store:
        assert count(store) == 28


def _holder(store_dir: Path, write: bool) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import sys, time
        from referatgraph.store import open_store
        with open_store({str(store_dir)!r}, write={write!r}):
            print("ready", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_writer_gets_a_clear_error(store_dir):
    proc = _holder(store_dir, write=True)
    try:
        with pytest.raises(StoreBusy, match="only one process may write a store"):
            load(sample_release(), store_dir)
        res = cli("load", sample_release(), "--store", store_dir)
        assert res.exit_code == 2
        assert "error:" in res.output and f"pid {proc.pid}" in res.output
        with pytest.raises(StoreBusy, match="being written"), open_store(store_dir):
            pass
    finally:
        proc.kill()
        proc.wait()
    # The store is intact and writable again.
    assert not load(sample_release(), store_dir).full
    with open_store(store_dir) as store:
        assert count(store) == 28


def test_no_writer_while_someone_reads(store_dir):
    proc = _holder(store_dir, write=False)
    try:
        with pytest.raises(StoreBusy):
            load(sample_release(), store_dir)
        with open_store(store_dir) as store:  # readers share
            assert count(store) == 28
    finally:
        proc.kill()
        proc.wait()


def test_a_store_that_does_not_exist(tmp_path):
    with pytest.raises(StoreError, match="load a release first"), open_store(tmp_path / "none"):
        pass
    res = cli("load", tmp_path / "no-release", "--store", tmp_path / "s")
    assert res.exit_code == 2 and "not a release directory" in res.output


def test_a_tampered_release_is_refused(tmp_path):
    import shutil

    out = shutil.copytree(sample_release(), tmp_path / "out")
    nq = out / "dataset.nq"
    nq.write_bytes(nq.read_bytes().replace(b"Godkendelse af dagsorden", b"Godkendelse af dagsordeN"))
    with pytest.raises(StoreError, match="does not match manifest.json"):
        load(out, tmp_path / "s")


# --- values are bound, never pasted ----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile") / "store"
    load(hostile_release(), d)
    return d


def test_hostile_title_is_bound_as_a_value(hostile_store):
    with open_store(hostile_store) as store:
        before = len(store)
        rows = list(run(store, BY_TITLE, bindings([f"title={HOSTILE}"])))
        assert [r["item"].value for r in rows] == [HOSTILE_ITEM]
        assert len(store) == before
    res = cli("query", BY_TITLE, "--data", hostile_store, "-p", f"title={HOSTILE}", "-f", "csv")
    assert res.exit_code == 0, res.output
    lines = res.output.replace("\r", "").splitlines()
    assert lines[0] == "item,title" and len(lines) == 2 and lines[1].startswith(HOSTILE_ITEM + ",")
    res = cli("query", "SELECT ?item WHERE { ?item <http://purl.org/dc/terms/title> ?title }", "--data", hostile_store, "-p", "title=x")
    assert res.exit_code == 2 and "bind only variables that the query returns" in res.output


def test_strict_escaping_for_servers_without_binding(hostile_store):
    text = f"PREFIX dct: <http://purl.org/dc/terms/> SELECT ?item WHERE {{ ?item dct:title {sparql_term(ox.Literal(HOSTILE))} }}"
    with open_store(hostile_store) as store:
        assert [r["item"].value for r in run(store, text)] == [HOSTILE_ITEM]
    for nasty in ('a"b', "a\\b", "a\nb", 'x" . } DROP ALL ; { "', "\x00\x1f"):
        parsed = ox.Store().query(f"SELECT ?v WHERE {{ BIND({sparql_term(ox.Literal(nasty))} AS ?v) }}")
        assert next(iter(parsed))["v"].value == nasty
    assert sparql_term(ox.NamedNode(HOSTILE_ITEM)) == f"<{HOSTILE_ITEM}>"


def test_iri_bindings(store_dir):
    res = cli("query", "SELECT ?m ?d WHERE { ?m <http://purl.org/dc/terms/date> ?d }", "--data", store_dir,
              "--iri", f"m={BASE}meeting/{KEYS[1]}", "-f", "csv")
    assert res.output.replace("\r", "").splitlines() == ["m,d", f"{BASE}meeting/{KEYS[1]},2023-01-17"]
    res = cli("query", ITEMS, "--data", store_dir, "--iri", "m=not an iri")
    assert res.exit_code == 2 and "bad IRI" in res.output


def test_load_timing_is_reported(tmp_path):
    t = time.perf_counter()
    rep = load(sample_release(), tmp_path / "s")
    assert rep.seconds <= time.perf_counter() - t + 0.01
    assert "graph(s) added" in rep.summary()
