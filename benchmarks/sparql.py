"""SPARQL-side measurements on a built release (docs/performance-sparql.md).

    python benchmarks/sparql.py RELEASE_DIR [--out benchmarks/out/sparql.json]

RELEASE_DIR is a release built from the synthetic corpus, e.g.
``referatgraph build benchmarks/corpus/1000 --out benchmarks/out/release-1000``. Measures, each
in this process, wall-clock:

* ``load`` into a fresh persistent store (bulk), again with nothing changed, and with one
  source document's graph changed (and the shared graph with it);
* the release loaded in memory (what ``referatgraph serve`` does without ``--store``);
* ``push`` to a local ``oxigraph serve`` (fresh data directory), and a second push (replace);
* the latency of every shipped query (``queries/*.rq``): median and max of 5 runs on the
  persistent store, and over HTTP on ``referatgraph serve``'s ``/sparql``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from referatgraph.push import push
from referatgraph.query import run
from referatgraph.serve import App, make_server
from referatgraph.store import load, memory_store, open_store

REPO = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(f, *a, **kw):
    t = time.perf_counter()
    r = f(*a, **kw)
    return r, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("release", type=Path)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "sparql.json")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    release = a.release.resolve()
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    res: dict = {
        "release": str(release),
        "meetings": sum(1 for g in manifest["graphs"] if g.get("meeting")),
        "triples": manifest["triples"],
        "dataset_nq_bytes": (release / "dataset.nq").stat().st_size,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    work = Path(tempfile.mkdtemp(prefix="rg-sparql-bench-"))
    try:
        store_dir = work / "store"
        rep, s = _timed(load, release, store_dir)
        res["load_bulk_s"] = s
        res["store_quads"] = rep.triples
        res["store_bytes"] = _du(store_dir / "oxigraph")
        _, res["load_unchanged_s"] = _timed(load, release, store_dir)
        # One source document changed: pretend its graph (and the shared graph) were loaded
        # with other content, so the next load replaces exactly those two.
        state = json.loads((store_dir / "state.json").read_text(encoding="utf-8"))
        doc = next(g["graph"] for g in manifest["graphs"] if g.get("meeting"))
        shared = next((g["graph"] for g in manifest["graphs"] if g["graph"].endswith("graph/shared")), None)
        for g in (doc, shared):
            if g:
                state["graphs"][g] = "0" * 64
        (store_dir / "state.json").write_text(json.dumps(state), encoding="utf-8")
        rep, res["load_one_changed_s"] = _timed(load, release, store_dir)
        res["load_one_changed_replaced"] = len(rep.replaced)

        _, res["memory_load_s"] = _timed(memory_store, release)

        queries = sorted((REPO / "queries").glob("*.rq"))
        res["queries"] = {}
        with open_store(store_dir) as store:
            for q in queries:
                text = q.read_text(encoding="utf-8")
                times, rows = [], 0
                for _ in range(a.runs):
                    t = time.perf_counter()
                    result = run(store, text)
                    rows = sum(1 for _ in result) if not isinstance(result, bool) else 1
                    times.append(time.perf_counter() - t)
                res["queries"][q.name] = {"rows": rows, "median_s": statistics.median(times), "max_s": max(times)}
            # The same over HTTP, through referatgraph serve's /sparql.
            server = make_server(App(release, store), "127.0.0.1", _port())
            threading.Thread(target=server.run, daemon=True).start()
            url = f"http://127.0.0.1:{server.effective_port}/sparql"
            try:
                with httpx.Client(timeout=600) as http:
                    for q in queries:
                        text = q.read_text(encoding="utf-8")
                        times = []
                        for _ in range(a.runs):
                            t = time.perf_counter()
                            r = http.post(url, data={"query": text}, headers={"Accept": "application/sparql-results+json"})
                            r.raise_for_status()
                            times.append(time.perf_counter() - t)
                        res["queries"][q.name]["http_median_s"] = statistics.median(times)
            finally:
                server.close()

        oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
        if oxigraph:
            port = _port()
            proc = subprocess.Popen([oxigraph, "serve", "--location", str(work / "ox"), "--bind", f"127.0.0.1:{port}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                for _ in range(200):
                    try:
                        httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=1)
                        break
                    except httpx.TransportError:
                        time.sleep(0.05)
                rep, res["push_first_s"] = _timed(push, release, f"http://127.0.0.1:{port}/store")
                res["push_graphs"] = len(rep.pushed)
                res["push_bytes"] = sum(n for _, n in rep.pushed)
                _, res["push_again_s"] = _timed(push, release, f"http://127.0.0.1:{port}/store")
            finally:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
