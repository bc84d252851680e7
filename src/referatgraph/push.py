"""``referatgraph push``: upload a release to any SPARQL server with the Graph Store Protocol.

Every named graph of the release (one per source document, the concept schemes, the ontology,
the dataset description) is sent with ``PUT {endpoint}?graph=IRI`` — always naming the graph: a
PUT without ``?graph=`` replaces the *default* graph, which on servers with a union default graph
means the whole store. PUT replaces, so pushing again is idempotent.

Which graphs to drop: the description graph (``{base}dataset``) lists, as VoID subsets, the
graphs of the release it describes. Before pushing, the description already on the server is
read (``GET ?graph={base}dataset``); graphs it lists that the new release does not have — a
removed source document — are deleted after the new graphs are in, and the new description is
put last. A push that stops half-way therefore leaves the old description, and the next push
still knows what to drop. Only graphs that an earlier push listed are ever deleted.

Connection errors, time-outs and 502/503/504 answers are retried with exponential backoff
(0.25 s, 0.5 s, 1 s … capped at 8 s, for at most ``retry_for`` seconds per request).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from .describe import SD
from .errors import ReferatgraphError
from .store import graph_data, read_manifest, triples_of

RETRY_STATUS = {502, 503, 504}


class PushError(ReferatgraphError):
    """The server refused a request, or could not be reached for too long."""


@dataclass
class PushReport:
    endpoint: str
    pushed: list[tuple[str, int]] = field(default_factory=list)  # (graph, bytes)
    dropped: list[str] = field(default_factory=list)
    retries: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        size = sum(n for _, n in self.pushed)
        return (
            f"pushed {len(self.pushed)} graph(s) ({size / 1e6:.1f} MB N-Triples) to {self.endpoint}, "
            f"dropped {len(self.dropped)}, {self.retries} retr{'y' if self.retries == 1 else 'ies'}, {self.seconds:.2f} s"
        )


def parse_auth(value: str | None) -> httpx.Auth | None:
    """``USER:PASSWORD`` (HTTP Basic), ``digest:USER:PASSWORD`` (Digest, e.g. Virtuoso) or
    ``bearer:TOKEN`` (e.g. QLever's access token, GraphDB tokens)."""
    if not value:
        return None
    kind, _, rest = value.partition(":")
    if kind.lower() == "bearer" and rest:
        return _Bearer(rest)
    if kind.lower() == "digest" and ":" in rest:
        user, _, pw = rest.partition(":")
        return httpx.DigestAuth(user, pw)
    if ":" in value:
        user, _, pw = value.partition(":")
        return httpx.BasicAuth(user, pw)
    raise PushError("--auth: expected USER:PASSWORD, digest:USER:PASSWORD or bearer:TOKEN")


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self.token = token

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class _Client:
    def __init__(self, endpoint: str, auth, timeout: float, retry_for: float, report: PushReport, sleep=time.sleep):
        self.endpoint = endpoint
        self.http = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False)
        self.retry_for = retry_for
        self.report = report
        self.sleep = sleep

    def request(self, method: str, graph: str, **kw) -> httpx.Response:
        deadline = time.monotonic() + self.retry_for
        delay = 0.25
        while True:
            try:
                resp = self.http.request(method, self.endpoint, params={"graph": graph}, **kw)
                if resp.status_code not in RETRY_STATUS:
                    return resp
                problem = f"HTTP {resp.status_code}"
            except httpx.TransportError as exc:  # connect, read, write errors and time-outs
                problem = f"{type(exc).__name__}: {exc}"
            if time.monotonic() + delay > deadline:
                raise PushError(f"{method} {self.endpoint}?graph=<{graph}>: gave up after {self.retry_for:.0f} s: {problem}")
            self.report.retries += 1
            self.sleep(delay)
            delay = min(delay * 2, 8.0)

    def close(self) -> None:
        self.http.close()


def push(
    release: str | Path,
    endpoint: str,
    auth: str | httpx.Auth | None = None,
    timeout: float = 60.0,
    retry_for: float = 60.0,
    progress: Callable[[str, int, int], None] | None = None,
    workers: int = 1,
) -> PushReport:
    """Push every named graph of ``release`` to the Graph Store endpoint ``endpoint``."""
    release = Path(release)
    manifest = read_manifest(release)
    base = manifest["base_iri"]
    description = f"{base}dataset"
    report = PushReport(endpoint)
    t0 = time.perf_counter()
    client = _Client(endpoint, parse_auth(auth) if isinstance(auth, str) or auth is None else auth, timeout, retry_for, report)
    try:
        previous = _listed_graphs(client, description)
        graphs = [g for g in manifest["graphs"] if g["graph"] != description]
        desc = next((g for g in manifest["graphs"] if g["graph"] == description), None)
        order = graphs + ([desc] if desc else [])
        done = 0
        lock = threading.Lock()

        def put(g: dict) -> None:
            nonlocal done
            body = triples_of(release, g)
            resp = client.request("PUT", g["graph"], content=body, headers={"Content-Type": "application/n-triples"})
            _check(resp, "PUT", g["graph"])
            with lock:
                report.pushed.append((g["graph"], len(body)))
                done += 1
                if progress:
                    progress(g["graph"], done, len(order))

        # The graphs in parallel (``workers`` requests at a time), the description last.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for f in [pool.submit(put, g) for g in graphs]:
                f.result()
        if desc:
            put(desc)
        keep = {g["graph"] for g in order}
        for iri in sorted(previous - keep):
            resp = client.request("DELETE", iri)
            if resp.status_code != 404:
                _check(resp, "DELETE", iri)
            report.dropped.append(iri)
    finally:
        client.close()
    report.seconds = time.perf_counter() - t0
    return report


def _listed_graphs(client: _Client, description: str) -> set[str]:
    """The graphs the description on the server lists (empty when there is none yet)."""
    resp = client.request("GET", description, headers={"Accept": "application/n-triples"})
    if resp.status_code == 404:
        return set()
    _check(resp, "GET", description)
    try:
        quads = ox.parse(resp.content, format=ox.RdfFormat.N_TRIPLES)
        return {q.object.value for q in quads if q.predicate.value == SD + "name" and isinstance(q.object, ox.NamedNode)}
    except SyntaxError as exc:
        raise PushError(f"GET {client.endpoint}?graph=<{description}>: the server did not answer N-Triples: {exc}") from None


def _check(resp: httpx.Response, method: str, graph: str) -> None:
    if resp.status_code >= 300:
        text = resp.text.strip().splitlines()[0][:300] if resp.text.strip() else ""
        hint = ""
        if resp.status_code in (401, 403):
            hint = " (check --auth)"
        elif resp.status_code in (404, 405):
            hint = " (is --endpoint the server's Graph Store Protocol URL? see README: Pushing to a SPARQL server)"
        raise PushError(f"{method} {resp.request.url}: HTTP {resp.status_code} {text}{hint}")


__all__ = ["PushError", "PushReport", "graph_data", "parse_auth", "push"]
