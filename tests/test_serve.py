"""The local endpoint: the SPARQL 1.1 Protocol (read-only by default), the pages, and content
negotiation on resource IRIs — through the WSGI application, and once for real with
`referatgraph serve` and curl, as the README shows."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from release_helpers import (
    BASE,
    HOSTILE,
    HOSTILE_ITEM,
    KEYS,
    free_port,
    hostile_release,
    sample_release,
)
from werkzeug.test import Client

from referatgraph.serve import App
from referatgraph.store import memory_store

ITEMS = "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> SELECT (COUNT(?i) AS ?n) WHERE { ?i a besluit:Agendapunt }"
MEETING = f"/id/meeting/{KEYS[1]}"


@pytest.fixture(scope="module")
def client() -> Client:
    out = sample_release()
    return Client(App(out, memory_store(out)))


def test_sparql_get_post_and_result_formats(client):
    r = client.get("/sparql", query_string={"query": ITEMS})
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert json.loads(r.data)["results"]["bindings"][0]["n"]["value"] == "28"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.post("/sparql", data={"query": ITEMS}, headers={"Accept": "text/csv"})
    assert r.mimetype == "text/csv" and r.data.decode().replace("\r", "") == "n\n28\n"
    r = client.post("/sparql", data=ITEMS, headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert r.mimetype == "application/sparql-results+xml" and b"<literal" in r.data
    r = client.get("/sparql", query_string={"query": ITEMS}, headers={"Accept": "text/tab-separated-values"})
    assert r.mimetype == "text/tab-separated-values"
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert json.loads(r.data)["boolean"] is True


def test_construct_by_accept(client):
    q = f"CONSTRUCT {{ ?m ?p ?o }} WHERE {{ BIND(<{BASE}meeting/{KEYS[1]}> AS ?m) ?m ?p ?o }}"
    r = client.get("/sparql", query_string={"query": q})
    assert r.mimetype == "text/turtle"
    assert len(list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))) >= 10
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "application/n-triples"})
    assert r.mimetype == "application/n-triples" and r.data.count(b"\n") >= 10
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "application/ld+json"})
    assert json.loads(r.data)


def test_graphs_by_protocol_parameters(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = f"{BASE}document/000-83328fd846afc9b6"
    r = client.get("/sparql", query_string=[("query", q), ("default-graph-uri", graph)], headers={"Accept": "text/csv"})
    one = int(r.data.decode().split()[-1])
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/csv"})
    union = int(r.data.decode().split()[-1])
    assert 0 < one < union


def test_read_only_by_default(client):
    before = client.get("/sparql", query_string={"query": ITEMS}).data
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403 and b"read-only" in r.data
    r = client.post("/sparql", data="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = client.get("/sparql", query_string={"update": "DROP ALL"})
    assert r.status_code == 400
    assert client.get("/sparql", query_string={"query": ITEMS}).data == before


def test_writable_when_asked():
    out = sample_release()
    c = Client(App(out, memory_store(out), writable=True))
    r = c.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{BASE}graph/extra> {{ <{BASE}x> <{BASE}p> 'y' }} }}"})
    assert r.status_code == 204
    r = c.get("/sparql", query_string={"query": f"ASK {{ <{BASE}x> <{BASE}p> 'y' }}"})
    assert json.loads(r.data)["boolean"] is True


def test_bad_requests(client):
    r = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and b"does not parse" in r.data
    r = client.post("/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.get("/sparql")
    assert r.status_code == 400
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"<form" in r.data


def test_content_negotiation_on_resource_iris(client):
    out = sample_release()
    r = client.get(MEETING, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.data == (out / "meeting" / f"{KEYS[1]}.html").read_bytes()
    assert r.headers["Vary"] == "Accept" and r.headers["Content-Location"] == f"{MEETING}.html"
    r = client.get(MEETING, headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle"
    assert (ox.NamedNode(f"{BASE}meeting/{KEYS[1]}")) in {q.subject for q in ox.parse(r.data, format=ox.RdfFormat.TURTLE)}
    r = client.get(MEETING, headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json" and f"{BASE}meeting/{KEYS[1]}" in r.data.decode()
    r = client.get(MEETING, headers={"Accept": "application/n-triples"})
    assert r.mimetype == "application/n-triples"
    assert f"<{BASE}meeting/{KEYS[1]}>".encode() in r.data
    # No Accept header (curl's */*): the page.
    assert client.get(MEETING).mimetype == "text/html"


def test_resources_without_a_page_and_unknown_ones(client):
    decision = f"/id/decision/{KEYS[1]}-1"
    r = client.get(decision, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and b"godkender dagsordenen" in r.data
    r = client.get(decision, headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"godkender dagsordenen" in r.data
    assert client.get("/id/decision/no-such-thing").status_code == 404
    assert client.get("/id/nothing").status_code == 404


def test_percent_encoded_iris_and_files(client):
    case = "/id/case/" + quote("27.03.00-Ø00-57-22")  # the IRI's own percent-encoding
    r = client.get(case, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "27.03.00-Ø00-57-22" in r.data.decode()
    r = client.get(case, headers={"Accept": "text/turtle"})
    assert f"{BASE}case/27.03.00-%C3%9800-57-22".encode() in r.data or b"case:27.03.00-" in r.data
    assert client.get("/id/dataset.ttl").mimetype == "text/turtle"
    assert client.get("/id/").data == (sample_release() / "index.html").read_bytes()
    assert client.get("/").status_code == 303
    for evil in ("/id/../../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/..%2f..%2fetc/passwd", "/id/.staging-x/a"):
        assert client.get(evil).status_code == 404, evil


def test_hidden_files_are_not_served(tmp_path):
    import shutil

    out = shutil.copytree(sample_release(), tmp_path / "out")
    (out / ".staging-x").mkdir()
    (out / ".staging-x" / "a.ttl").write_text("secret", encoding="utf-8")
    c = Client(App(out, ox.Store()))
    assert c.get("/id/.staging-x/a.ttl").status_code == 404
    assert c.get("/id/dataset.ttl").status_code == 200


def test_dataset_description_and_void(client):
    r = client.get("/.well-known/void", base_url="http://127.0.0.1:9999")
    assert b"void:sparqlEndpoint <http://127.0.0.1:9999/sparql>" in r.data
    r = client.get("/id/dataset", headers={"Accept": "text/turtle"})
    assert b"dcat:Dataset" in r.data and b"void:Dataset" in r.data
    assert client.get("/id/dataset", headers={"Accept": "text/html"}).status_code == 303


def test_hostile_title_through_the_server():
    out = hostile_release()
    c = Client(App(out, memory_store(out)))
    local = HOSTILE_ITEM[len(BASE):]
    r = c.get("/id/" + local, headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"<script>alert" not in r.data
    r = c.get("/id/" + local, headers={"Accept": "application/n-triples"})
    assert HOSTILE in {q.object.value for q in ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES)}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_referatgraph_serve_and_curl(tmp_path):
    """README: `referatgraph serve`, then a SPARQL query with curl."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from referatgraph.cli import main; main()", "serve", "--data", str(sample_release()), "--port", str(port)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        banner = []
        for _ in range(10):
            line = proc.stderr.readline()
            banner.append(line)
            if "Ctrl-C" in line:
                break
        assert any(f"http://127.0.0.1:{port}/sparql" in ln for ln in banner), banner
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            r = subprocess.run(["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode", f"query={ITEMS}", f"{url}/sparql"],
                               capture_output=True, text=True, timeout=30, check=False)
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert list(csv.reader(io.StringIO(r.stdout))) == [["n"], ["28"]]
        r = subprocess.run(["curl", "-s", "-H", "Accept: text/turtle", f"{url}{MEETING}"], capture_output=True, text=True, timeout=30, check=False)
        assert f"meeting:{KEYS[1]}" in r.stdout
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode", "update=DROP ALL", f"{url}/sparql"],
                           capture_output=True, text=True, timeout=30, check=False)
        assert r.stdout == "403"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_from_a_store_holds_it_for_reading(tmp_path):
    from referatgraph.store import StoreBusy, load, open_store

    store_dir = tmp_path / "store"
    load(sample_release(), store_dir)
    with open_store(store_dir) as store:
        c = Client(App(sample_release(), store))
        assert json.loads(c.get("/sparql", query_string={"query": ITEMS}).data)["results"]["bindings"][0]["n"]["value"] == "28"
        with pytest.raises(StoreBusy):
            load(sample_release(), store_dir)


def test_release_path_helper_is_absolute():
    assert Path(App(sample_release(), ox.Store()).release).is_absolute()
