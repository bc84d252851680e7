"""`referatgraph push` against a real SPARQL server started by the tests: `oxigraph serve` (the
`oxigraph` package) on 127.0.0.1 — named graphs only, idempotent, removed sources dropped, and a
server that goes away in the middle of a push and comes back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from release_helpers import BASE, CORPUS, DOCS, KEYS, free_port, sample_release

from referatgraph.cli import main
from referatgraph.pipeline import build
from referatgraph.push import PushError, parse_auth, push

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the `oxigraph` server is not installed (pip install oxigraph)")


class Server:
    """`oxigraph serve` on a free port; a running server locks its data directory."""

    def __init__(self, location: Path):
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        self.proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def select(self, query: str) -> list[dict]:
        r = httpx.post(f"{self.url}/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]

    def graphs(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows}

    def default_graph_size(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "oxigraph").start()
    yield s
    s.stop()


def expected_graphs(release: Path) -> dict[str, int | None]:
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    return {g["graph"]: g.get("triples") for g in manifest["graphs"]}


def assert_mirrors(server: Server, release: Path) -> None:
    got = server.graphs()
    want = expected_graphs(release)
    assert set(got) == set(want)
    for g, n in want.items():
        if n is not None:
            assert got[g] == n, g
    assert server.default_graph_size() == 0  # every PUT named its graph


def test_push_every_named_graph(server):
    out = sample_release()
    report = push(out, f"{server.url}/store")
    assert len(report.pushed) == len(expected_graphs(out)) and report.dropped == [] and report.retries == 0
    assert_mirrors(server, out)
    # The data is queryable as the README shows (union of the graphs).
    rows = server.select("SELECT (COUNT(?i) AS ?n) WHERE { GRAPH ?g { ?i a <http://data.vlaanderen.be/ns/besluit#Agendapunt> } }")
    assert rows == [{"n": "28"}]


def test_push_again_is_idempotent(server):
    out = sample_release()
    push(out, f"{server.url}/store")
    first = server.graphs()
    report = push(out, f"{server.url}/store")
    assert report.dropped == []
    assert server.graphs() == first


def test_push_drops_the_graphs_of_removed_sources(server, tmp_path):
    push(sample_release(), f"{server.url}/store")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in CORPUS.glob("*.txt"):
        if not f.name.startswith("004_"):
            shutil.copy(f, corpus / f.name)
    smaller = tmp_path / "smaller"
    build([corpus], smaller)
    report = push(smaller, f"{server.url}/store")
    assert report.dropped == [DOCS[KEYS[0]]]
    assert_mirrors(server, smaller)


def test_a_server_that_goes_away_and_comes_back(server):
    """Killed after the second graph, started again a second later on the same port and data:
    the push retries with backoff and completes."""
    out = sample_release()
    restarted = threading.Event()

    def restart_later():
        time.sleep(1.0)
        server.start()
        restarted.set()

    def progress(graph, i, n):
        if i == 2:
            server.stop()
            threading.Thread(target=restart_later, daemon=True).start()

    report = push(out, f"{server.url}/store", retry_for=30, progress=progress)
    assert restarted.is_set()
    assert report.retries >= 1
    assert len(report.pushed) == len(expected_graphs(out))
    assert_mirrors(server, out)


def test_cli_push_reports_what_was_pushed(server):
    res = CliRunner().invoke(main, ["push", str(sample_release()), "--endpoint", f"{server.url}/store"])
    assert res.exit_code == 0, res.output
    n = len(expected_graphs(sample_release()))
    assert f"pushed {n} graph(s)" in res.stdout
    assert f"[{n}/{n}] {BASE}dataset" in res.stderr


def test_cli_push_to_nothing_fails_clearly(tmp_path):
    port = free_port()
    res = CliRunner().invoke(main, ["push", str(sample_release()), "--endpoint", f"http://127.0.0.1:{port}/store", "--retry-for", "0.5", "-q"])
    assert res.exit_code == 1
    assert "error: GET" in res.output and "gave up after" in res.output


def test_cli_push_refused_is_an_error(server):
    res = CliRunner().invoke(main, ["push", str(sample_release()), "--endpoint", f"{server.url}/nothing-here", "-q"])
    assert res.exit_code == 1 and "HTTP 404" in res.output


def test_auth_forms():
    assert isinstance(parse_auth("user:secret"), httpx.BasicAuth)
    assert isinstance(parse_auth("digest:user:secret"), httpx.DigestAuth)
    req = httpx.Request("PUT", "http://127.0.0.1/")
    flow = parse_auth("bearer:TOKEN").auth_flow(req)
    assert next(flow).headers["Authorization"] == "Bearer TOKEN"
    assert parse_auth(None) is None
    with pytest.raises(PushError):
        parse_auth("nocolon")
