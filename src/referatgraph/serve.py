"""``referatgraph serve``: a local SPARQL endpoint and the browsable pages, on one port.

A WSGI application (Werkzeug for requests, responses and ``Accept`` parsing) run by Waitress —
no HTTP parsing of our own. Routes, with the base IRI's path ``/id/`` as example:

``/sparql``
    The SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form (``query=`` / ``update=``) or
    ``POST`` with ``application/sparql-query`` / ``application/sparql-update``;
    ``default-graph-uri`` and ``named-graph-uri`` are honoured. Without them the default graph is
    the union of all named graphs. Results by ``Accept``: SPARQL JSON (default), XML, CSV, TSV
    for SELECT/ASK; Turtle (default), N-Triples, JSON-LD, RDF/XML for CONSTRUCT/DESCRIBE.
    Read-only unless started with ``--writable``: an update gets ``403``.
``/id/…`` (everything under the base IRI)
    A file of the release when one is there (``/id/meeting/KEY.html``, ``/id/dataset.ttl``);
    otherwise the path is a resource IRI (``{base}meeting/KEY``) and the answer is negotiated
    (``Vary: Accept``): HTML — its page — for browsers, Turtle, JSON-LD or N-Triples by
    ``Accept``; resources without a page of their own get a page made from the store.
``/.well-known/void``
    The VoID description, with this endpoint as ``void:sparqlEndpoint``.
"""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import pyoxigraph as ox
from pyoxigraph import NamedNode, Variable
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.security import safe_join
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response

from .describe import DESCRIPTION_PREFIXES, VOID, dataset_iri
from .query import prefixes_for
from .site import PAGE_KINDS, local_path
from .store import memory_store, open_store, read_manifest

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
RESOURCE_TYPES = ["text/html", "application/xhtml+xml", "text/turtle", "application/ld+json", "application/n-triples"]
FILE_TYPES = {".ttl": "text/turtle; charset=utf-8", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
              ".nq": "application/n-quads", ".trig": "application/trig", ".html": "text/html; charset=utf-8",
              ".css": "text/css; charset=utf-8", ".json": "application/json"}
DESCRIBE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

GENERIC_PAGE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>{{ title }} – referatgraph</title>
<link rel="stylesheet" href="{{ root }}site.css">
<link rel="alternate" type="text/turtle" href="{{ path }}?format=ttl"></head>
<body><header><a href="{{ root }}index.html">referatgraph</a></header><main>
<h1>{{ title }}</h1><p><code>{{ iri }}</code></p>
<table class="facts">{% for p, v, href in rows %}<tr><th>{{ p }}</th><td>{% if href %}<a href="{{ href }}">{{ v }}</a>{% else %}{{ v }}{% endif %}</td></tr>
{% endfor %}</table></main></body></html>
""")

SPARQL_FORM = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>SPARQL – referatgraph</title></head>
<body><h1>SPARQL</h1>
<form method="get" action=""><textarea name="query" rows="12" cols="90">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea><br>
<button>Kør / run</button></form>
<p>SPARQL 1.1 Protocol: GET or POST <code>query=</code>; results by Accept.</p></body></html>
"""


class App:
    """The WSGI application over a release directory and a store."""

    def __init__(self, release: Path, store: ox.Store, writable: bool = False):
        self.release = Path(release).resolve()
        self.store = store
        self.writable = writable
        manifest = read_manifest(self.release)
        self.base = manifest["base_iri"]
        self.base_path = urlsplit(self.base).path or "/"
        self.prefixes = prefixes_for(self.base)
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = Response(f"{exc.code} {exc.name}: {exc.description}\n", status=exc.code, mimetype="text/plain")
        return response(environ, start_response)

    # --- routing ----------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path in ("/sparql", "/sparql/", "/query"):
            return self.sparql(request)
        if path == "/.well-known/void":
            return self.void(request)
        if path == "/" and self.base_path != "/":
            return redirect(self.base_path, 303)
        if path.startswith(self.base_path) or path + "/" == self.base_path:
            return self.under_base(request, path[len(self.base_path):])
        raise NotFound("nothing here; the data is under " + self.base_path)

    def under_base(self, request: Request, rest: str) -> Response:
        if rest in ("", "/"):
            return self.file(request, "index.html")
        if rest == "dataset":
            return self.description(request)
        if any(part.startswith(".") for part in rest.split("/")):
            raise NotFound()  # no hidden files (staging directories, editor files)
        target = safe_join(str(self.release), rest)
        if target is not None and Path(target).is_file():
            return self.file(request, rest)
        if target is not None and Path(target).is_dir() and Path(target, "index.html").is_file():
            return self.file(request, rest.rstrip("/") + "/index.html")
        kind, sep, local = rest.partition("/")
        if not sep or not local:
            raise NotFound()
        iri = f"{self.base}{kind}/{quote(local, safe='-.')}"
        return self.resource(request, iri, kind)

    # --- files and resources ----------------------------------------------------------------

    def file(self, request: Request, rel: str) -> Response:
        path = safe_join(str(self.release), rel)
        if path is None or not Path(path).is_file():
            raise NotFound()
        ctype = FILE_TYPES.get(Path(rel).suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
        resp = send_file(path, request.environ, mimetype=ctype, conditional=True, max_age=60)
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp

    def resource(self, request: Request, iri: str, kind: str) -> Response:
        try:
            node = NamedNode(iri)
        except ValueError:
            raise NotFound() from None
        fmt = request.args.get("format")
        wanted = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "html": "text/html"}.get(fmt or "")
        mime = wanted or request.accept_mimetypes.best_match(RESOURCE_TYPES, default="text/html")
        page = f"{kind}/{local_path(iri[len(self.base) + len(kind) + 1:])}" if kind in PAGE_KINDS else None
        ext = {"text/html": ".html", "application/xhtml+xml": ".html", "text/turtle": ".ttl", "application/ld+json": ".jsonld"}.get(mime)
        if page and ext and (self.release / (page + ext)).is_file():
            resp = self.file(request, page + ext)
            resp.headers["Content-Location"] = self.base_path + quote(page + ext)
        else:
            with self.lock:
                triples = list(self.store.query(DESCRIBE, use_default_graph_as_union=True, substitutions={Variable("s"): node}))
            if not triples:
                raise NotFound(f"no resource <{iri}> in this dataset")
            if mime in ("text/html", "application/xhtml+xml"):
                resp = Response(self.generic_page(iri, triples), content_type="text/html; charset=utf-8")
            else:
                fmt = GRAPH_TYPES[mime]
                kw = {"prefixes": self.prefixes} if fmt == ox.RdfFormat.TURTLE else {}
                resp = Response(ox.serialize(sorted(triples, key=str), format=fmt, **kw), content_type=mime)
        resp.headers["Vary"] = "Accept"
        resp.headers["Link"] = f'<{iri}>; rel="canonical"'
        return resp

    def generic_page(self, iri: str, triples) -> str:
        from .query import compact

        rows = []
        for t in sorted(triples, key=lambda t: (t.predicate.value, str(t.object))):
            o = t.object
            href = None
            if isinstance(o, NamedNode):
                href = self.base_path + o.value[len(self.base):] if o.value.startswith(self.base) else o.value
            rows.append((compact(t.predicate, self.prefixes), compact(o, self.prefixes), href))
        depth = iri[len(self.base):].count("/")
        return GENERIC_PAGE.render(title=compact(NamedNode(iri), self.prefixes), iri=iri, rows=rows,
                                   root="../" * depth, path=quote(iri[len(self.base):].rsplit("/", 1)[-1], safe="-.%"))

    def description(self, request: Request) -> Response:
        mime = request.accept_mimetypes.best_match(["text/html", "text/turtle", "application/n-triples", "application/ld+json"], default="text/html")
        if mime == "text/html":
            return redirect(self.base_path, 303)
        quads = []
        for name in ("void.ttl", "catalog.ttl"):
            quads.extend(ox.parse(path=str(self.release / name), format=ox.RdfFormat.TURTLE))
        fmt = GRAPH_TYPES[mime]
        kw = {"prefixes": DESCRIPTION_PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}
        resp = Response(ox.serialize(sorted({q.triple for q in quads}, key=str), format=fmt, **kw), content_type=mime)
        resp.headers["Vary"] = "Accept"
        return resp

    def void(self, request: Request) -> Response:
        quads = list(ox.parse(path=str(self.release / "void.ttl"), format=ox.RdfFormat.TURTLE))
        endpoint = request.host_url.rstrip("/") + "/sparql"
        triples = [q.triple for q in quads] + [ox.Triple(NamedNode(dataset_iri(self.base)), NamedNode(VOID + "sparqlEndpoint"), NamedNode(endpoint))]
        return Response(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=DESCRIPTION_PREFIXES), content_type="text/turtle; charset=utf-8")

    # --- SPARQL 1.1 Protocol ----------------------------------------------------------------

    def sparql(self, request: Request) -> Response:
        query = update = None
        if request.method == "GET":
            query = request.args.get("query")
            if request.args.get("update") is not None:
                return self._error(400, "SPARQL updates must be sent with POST")
        elif request.method == "POST":
            ctype = request.mimetype
            if ctype == "application/x-www-form-urlencoded":
                query, update = request.form.get("query"), request.form.get("update")
            elif ctype == "application/sparql-query":
                query = request.get_data(as_text=True)
            elif ctype == "application/sparql-update":
                update = request.get_data(as_text=True)
            else:
                return self._error(415, f"unsupported content type {ctype!r}: use application/sparql-query, application/sparql-update or a form")
        elif request.method == "OPTIONS":
            resp = Response(status=204)
            resp.headers.update({"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                 "Access-Control-Allow-Headers": "Content-Type, Accept"})
            return resp
        else:
            return self._error(405, "use GET or POST")
        if query is None and update is None:
            if request.accept_mimetypes.best == "text/html" or "text/html" in request.accept_mimetypes.values():
                return Response(SPARQL_FORM, content_type="text/html; charset=utf-8")
            return self._error(400, "missing 'query' (or 'update') parameter")
        if update is not None:
            if not self.writable:
                return self._error(403, "this endpoint is read-only (start `referatgraph serve --writable` to allow updates)")
            try:
                with self.lock:
                    self.store.update(update)
            except SyntaxError as exc:
                return self._error(400, f"the update does not parse: {exc}")
            except OSError as exc:
                return self._error(500, f"the update failed: {exc}")
            return Response(status=204)
        args = request.args if request.method == "GET" else request.form if request.mimetype == "application/x-www-form-urlencoded" else request.args
        kw = {}
        try:
            dg = [NamedNode(u) for u in args.getlist("default-graph-uri")]
            ng = [NamedNode(u) for u in args.getlist("named-graph-uri")]
        except ValueError as exc:
            return self._error(400, f"bad graph IRI: {exc}")
        if dg:
            kw["default_graph"] = dg
        else:
            kw["use_default_graph_as_union"] = True
        if ng:
            kw["named_graphs"] = ng
        try:
            with self.lock:
                result = self.store.query(query, **kw)
                if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                    mime = request.accept_mimetypes.best_match(list(RESULT_TYPES), default="application/sparql-results+json")
                    body = result.serialize(format=RESULT_TYPES[mime])
                else:
                    mime = request.accept_mimetypes.best_match(list(GRAPH_TYPES), default="text/turtle")
                    fmt = GRAPH_TYPES[mime]
                    extra = {"prefixes": self.prefixes} if fmt == ox.RdfFormat.TURTLE else {}
                    body = ox.serialize(list(result), format=fmt, **extra)
        except SyntaxError as exc:
            return self._error(400, f"the query does not parse: {exc}")
        except (OSError, ValueError) as exc:
            return self._error(500, f"the query failed: {exc}")
        resp = Response(body, content_type=mime + ("; charset=utf-8" if mime.startswith("text/") else ""))
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Vary"] = "Accept"
        return resp

    @staticmethod
    def _error(status: int, message: str) -> Response:
        return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def make_server(app: App, host: str = "127.0.0.1", port: int = 8000, threads: int = 4):
    """A Waitress server for ``app`` (``server.run()`` serves, ``server.close()`` stops)."""
    import waitress

    return waitress.create_server(app, host=host, port=port, threads=threads, ident="referatgraph")


def serve(release: str | Path = "output", store_dir: str | Path | None = None, host: str = "127.0.0.1",
          port: int = 8000, writable: bool = False, ready=None) -> None:
    """Serve a release: from a store directory (made by ``load``) or loaded in memory."""
    release = Path(release)
    if store_dir is not None:
        with open_store(store_dir, write=writable) as store:
            _run(App(release, store, writable), host, port, ready)
    else:
        _run(App(release, memory_store(release), writable), host, port, ready)


def _run(app: App, host: str, port: int, ready) -> None:
    server = make_server(app, host, port)
    if ready:
        ready(f"http://{host}:{server.effective_port}", app)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def summary(url: str, app: App) -> str:
    keys = sorted(g["meeting"] for g in read_manifest(app.release)["graphs"] if g.get("meeting"))
    meeting = Path(keys[-1]) if keys else None
    lines = [
        f"referatgraph serving {app.release} ({'read-write' if app.writable else 'read-only'})",
        f"  pages     {url}{app.base_path}",
        f"  SPARQL    {url}/sparql",
        f"  VoID      {url}/.well-known/void",
    ]
    if meeting:
        lines.append(f"  e.g.      curl -H 'Accept: text/turtle' {url}{app.base_path}meeting/{quote(meeting.name)}")
    lines.append("  (Ctrl-C stops)")
    return "\n".join(lines)
