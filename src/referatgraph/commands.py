"""The release and SPARQL commands: publish, load, query, serve, push.

Thin click wrappers (``cli.py`` adds them to the ``referatgraph`` group): the work is in
:mod:`.publish`, :mod:`.store`, :mod:`.query`, :mod:`.serve` and :mod:`.push`. Exit codes as
everywhere: 0 success, 1 failed (e.g. a push the server refused), 2 usage or unexpected error.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .describe import ReleaseConfig
from .errors import ReferatgraphError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def release_options(f):
    """--config, --issued, --modified: what the release description cannot read from the data."""

    @click.option("--config", "config_file", type=click.Path(path_type=Path), help="Release configuration (TOML): publisher, licence, titles, URLs; see docs/publishing.md.")
    @click.option("--issued", metavar="YYYY-MM-DD|today", help="dct:issued of the release (default: the date of the latest meeting).")
    @click.option("--modified", metavar="YYYY-MM-DD|today", help="dct:modified of the release (default: the issue date).")
    @functools.wraps(f)
    def wrapper(*args, config_file=None, issued=None, modified=None, **kw):
        try:
            config = ReleaseConfig.from_toml(config_file) if config_file else ReleaseConfig()
            if issued:
                config.issued = issued
            if modified:
                config.modified = modified
            config.check()
        except ReferatgraphError as exc:
            _fail(str(exc))
        return f(*args, release_config=config, **kw)

    return wrapper


@click.command()
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("output"), show_default=True, help="Release directory (made by `build`).")
@release_options
def publish(out: Path, release_config: ReleaseConfig) -> None:
    """Rebuild the release parts of OUT from its meeting files, without converting again.

    Writes the dataset in every format (Turtle, N-Triples, JSON-LD compact and framed, TriG,
    N-Quads), the VoID and DCAT-AP-DK description, the ontology documentation and the site.
    Use it after changing the release configuration (licence, publisher, dates).
    """
    from .publish import republish

    try:
        written = republish(out, release_config)
    except ReferatgraphError as exc:
        _fail(str(exc))
    click.echo(f"published {out}: {sum(written.values())} files")


@click.command()
@click.argument("release", type=click.Path(path_type=Path), default=Path("output"))
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=Path("store"), show_default=True, help="Store directory.")
def load(release: Path, store_dir: Path) -> None:
    """Load a RELEASE (default: output/) into a persistent Oxigraph store.

    Incremental by named graph: a changed source document replaces its graph, a removed one
    drops it, the rest is left alone. One writer at a time: a second one gets an error.
    """
    from .store import load as do_load

    try:
        report = do_load(release, store_dir)
    except ReferatgraphError as exc:
        _fail(str(exc))
    click.echo(report.summary())


@click.command()
@click.argument("query")
@click.option("--data", type=click.Path(path_type=Path), help="A store directory (from `load`) or a release directory. Default: ./store if there is one, else ./output.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]),
              help="table for people; csv/tsv/json/xml (SELECT, ASK) or turtle/nt/jsonld (CONSTRUCT, DESCRIBE) for programs.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to a string literal (safely: never pasted into the query).")
@click.option("--iri", "iris", multiple=True, metavar="NAME=IRI", help="Bind ?NAME to an IRI.")
def query(query: str, data: Path | None, fmt: str, params: tuple[str, ...], iris: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY (a .rq file or the query text) over the store or a release.

    The default graph is the union of all named graphs (one per source document).
    """
    from .query import QueryError, bindings, prefixes_for, read_query, run, write_result
    from .store import store_for

    try:
        text = read_query(query)
        subs = bindings(params, iris)
        with store_for(data) as store:
            base = _base_of(data)
            result = run(store, text, subs)
            write_result(result, fmt, prefixes_for(base))
    except QueryError as exc:
        _fail(str(exc), EXIT_FAILED if "failed" in str(exc) else EXIT_ERROR)
    except ReferatgraphError as exc:
        _fail(str(exc))


def _base_of(data: Path | None) -> str | None:
    import json

    for d in ([data] if data else [Path("store"), Path("output")]):
        for name in ("state.json", "manifest.json"):
            try:
                return json.loads((Path(d) / name).read_text(encoding="utf-8")).get("base_iri")
            except (OSError, ValueError):
                continue
    return None


@click.command()
@click.option("--data", type=click.Path(path_type=Path), default=Path("output"), show_default=True, help="Release directory: its pages and files are served.")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), help="Serve SPARQL from this store (made by `load`); default: the release loaded in memory.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--writable", is_flag=True, help="Allow SPARQL updates (read-only by default).")
def serve(data: Path, store_dir: Path | None, host: str, port: int, writable: bool) -> None:
    """Serve the SPARQL 1.1 Protocol at /sparql and the browsable pages, with content
    negotiation on resource IRIs (HTML for browsers; Turtle, JSON-LD, N-Triples by Accept)."""
    from .serve import serve as do_serve
    from .serve import summary

    try:
        do_serve(data, store_dir, host, port, writable, ready=lambda url, app: click.echo(summary(url, app), err=True))
    except ReferatgraphError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")


@click.command()
@click.argument("release", type=click.Path(path_type=Path), default=Path("output"))
@click.option("--endpoint", required=True, metavar="URL", help="The server's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; others: README).")
@click.option("--auth", envvar="REFERATGRAPH_PUSH_AUTH", metavar="USER:PASSWORD", help="USER:PASSWORD (Basic), digest:USER:PASSWORD or bearer:TOKEN; or set REFERATGRAPH_PUSH_AUTH.")
@click.option("--retry-for", default=60.0, show_default=True, type=float, help="Seconds to keep retrying a request on connection errors.")
@click.option("--workers", default=1, show_default=True, type=int, help="Graphs sent in parallel (Oxigraph on 2 cores is fastest with 1).")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary.")
def push(release: Path, endpoint: str, auth: str | None, retry_for: float, workers: int, quiet: bool) -> None:
    """Upload a RELEASE (default: output/) to any SPARQL server, one named graph per source
    document, with the SPARQL 1.1 Graph Store HTTP Protocol. Idempotent; drops the graphs of
    source documents no longer in the release."""
    from .push import push as do_push

    def progress(graph: str, i: int, n: int) -> None:
        if not quiet:
            click.echo(f"  [{i}/{n}] {graph}", err=True)

    try:
        report = do_push(release, endpoint, auth, retry_for=retry_for, progress=progress, workers=workers)
    except ReferatgraphError as exc:
        _fail(str(exc), EXIT_FAILED)
    for g in report.dropped:
        click.echo(f"  dropped {g}", err=True)
    click.echo(report.summary())


COMMANDS = [publish, load, query, serve, push]
