"""The embedded SPARQL store: a release loaded into a persistent Oxigraph store, graph by graph.

A store directory holds::

    oxigraph/      the Oxigraph (RocksDB) database
    state.json     which release was loaded, and the SHA-256 of every named graph in it
    lock           taken (flock) by every process that uses the store: exclusively by a writer,
                   shared by readers, so a second writer — or a writer while someone reads — gets
                   a clear error (:class:`StoreBusy`) instead of a corrupt store

Loading is incremental by named graph. A release's ``manifest.json`` lists its graphs — one per
source document (the unit of update), the concept schemes, the dataset description, the
ontology — each with the SHA-256 of its content (the exact bytes of its block in
``dataset.nq``). A graph whose hash is what ``state.json`` says is left alone; a changed one is
dropped and loaded again; a graph in the store that the release no longer has (a removed source
document) is dropped. The hash is of the converted triples, not of the source file, so a new
version of the converter, another base IRI or another mapping also counts as a change.

A load that stops half-way (killed, disk full) leaves ``state.json`` saying ``complete: false``;
the next load then starts from an empty store. Queries see the union of all graphs as the
default graph (``GRAPH ?g`` still names them).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode

from .errors import ReferatgraphError
from .publish import atomic_write

DEFAULT_STORE = Path("store")
STATE_VERSION = 1


class StoreError(ReferatgraphError):
    """A store or release that cannot be used."""


class StoreBusy(StoreError):
    """Another process is writing the store (or reading it while we want to write)."""


@dataclass
class LoadReport:
    store: Path
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: int = 0
    triples: int = 0  # quads in the store after loading
    seconds: float = 0.0
    full: bool = False  # loaded from scratch (bulk)

    def summary(self) -> str:
        how = "bulk load" if self.full else "incremental"
        return (
            f"{self.store}: {len(self.added)} graph(s) added, {len(self.replaced)} replaced, "
            f"{len(self.dropped)} dropped, {self.unchanged} unchanged ({how}); "
            f"{self.triples:,} quads; {self.seconds:.2f} s"
        )


# --- releases ---------------------------------------------------------------------------------


def read_manifest(release: Path) -> dict:
    path = Path(release) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{release}: not a release directory (no manifest.json); run `referatgraph build` first") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read: {exc}") from None


def graph_data(release: Path, entry: dict) -> tuple[bytes, ox.RdfFormat]:
    """The content of one named graph of a release, checked against its recorded SHA-256."""
    release = Path(release)
    if "files" in entry:
        data = b"".join((release / f).read_bytes() for f in entry["files"])
        fmt = ox.RdfFormat.TURTLE
    else:
        with open(release / entry["source"], "rb") as f:
            f.seek(entry["offset"])
            data = f.read(entry["length"])
        fmt = ox.RdfFormat.N_QUADS
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise StoreError(
            f"{release}: graph <{entry['graph']}> does not match manifest.json (the release was changed "
            "after it was built): rebuild it with `referatgraph build` or `referatgraph publish`"
        )
    return data, fmt


def triples_of(release: Path, entry: dict) -> bytes:
    """One graph of a release as N-Triples (what the Graph Store Protocol sends)."""
    data, fmt = graph_data(release, entry)
    if fmt == ox.RdfFormat.N_QUADS:
        # Each line of a graph's block ends with " <graph> .\n" (a literal cannot hold a raw
        # newline), so dropping that suffix gives N-Triples without parsing.
        suffix = f" <{entry['graph']}> .\n".encode()
        lines = data.splitlines(keepends=True)
        if all(ln.endswith(suffix) for ln in lines):
            return b"".join(ln[: -len(suffix)] + b" .\n" for ln in lines)
    quads = ox.parse(data, format=fmt)
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)


# --- locking ----------------------------------------------------------------------------------


@contextmanager
def _locked(directory: Path, write: bool) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    locked = False
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            locked = True
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            if write:
                raise StoreBusy(
                    f"{directory}: the store is in use ({holder}); only one process may write a store "
                    "at a time, and not while others read it: wait for it to finish, or stop `referatgraph serve`"
                ) from None
            raise StoreBusy(f"{directory}: the store is being written ({holder}); try again when the load has finished") from None
        if write:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, writing since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        yield
    finally:
        if write and locked:
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
        os.close(fd)


def _open(directory: Path, write: bool) -> ox.Store:
    db = directory / "oxigraph"
    try:
        if write:
            return ox.Store(str(db))
        if not db.is_dir():
            raise StoreError(f"{directory}: no store here; load a release first: referatgraph load --store {directory}")
        return ox.Store.read_only(str(db))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreBusy(f"{directory}: the store is open in another process ({exc})") from None
        raise StoreError(f"{directory}: cannot open the store: {exc}") from None


@contextmanager
def open_store(directory: str | Path = DEFAULT_STORE, write: bool = False) -> Iterator[ox.Store]:
    """The store in ``directory``: read-only (shared lock) or for writing (exclusive lock)."""
    directory = Path(directory)
    if not write and not (directory / "oxigraph").is_dir():
        raise StoreError(f"{directory}: no store here; load a release first: referatgraph load --store {directory}")
    with _locked(directory, write):
        store = _open(directory, write)
        try:
            yield store
        finally:
            if write:
                store.flush()
            del store


def _read_state(directory: Path) -> dict:
    try:
        state = json.loads((directory / "state.json").read_text(encoding="utf-8"))
        if state.get("version") == STATE_VERSION:
            return state
    except (OSError, ValueError):
        pass
    return {}


def _write_state(directory: Path, state: dict) -> None:
    atomic_write(directory / "state.json", (json.dumps({**state, "version": STATE_VERSION}, sort_keys=True, indent=2) + "\n").encode())


# --- loading ----------------------------------------------------------------------------------


def load_into(store: ox.Store, release: Path, manifest: dict, state: dict) -> tuple[LoadReport, dict]:
    """Bring ``store`` in line with ``release``; ``state`` maps graph IRI → loaded SHA-256."""
    report = LoadReport(Path("."))
    graphs = {g["graph"]: g for g in manifest["graphs"]}
    old = dict(state.get("graphs", {}))
    in_store = {g.value for g in store.named_graphs() if isinstance(g, NamedNode)}
    if not state.get("complete", False) or not old:
        # From scratch: one bulk load of dataset.nq, then the graphs kept in other files.
        store.clear()
        report.full = True
        for g in manifest["graphs"]:
            if "source" in g:
                graph_data(release, g)  # checks the hashes before anything is loaded
        store.bulk_load(path=str(Path(release) / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        for g in manifest["graphs"]:
            if "files" in g:
                data, fmt = graph_data(release, g)
                store.load(data, format=fmt, to_graph=NamedNode(g["graph"]))
        report.added = sorted(graphs)
        return report, {iri: g["sha256"] for iri, g in graphs.items()}
    new_state = {}
    for iri in sorted(graphs):
        g = graphs[iri]
        if old.get(iri) == g["sha256"] and iri in in_store:
            report.unchanged += 1
        else:
            data, fmt = graph_data(release, g)
            node = NamedNode(iri)
            if iri in in_store:
                # Replace by difference: a large graph (the shared one) changes by a few triples.
                report.replaced.append(iri)
                new = {ox.Quad(q.subject, q.predicate, q.object, node) for q in ox.parse(data, format=fmt)}
                before = set(store.quads_for_pattern(None, None, None, node))
                for q in before - new:
                    store.remove(q)
                store.extend(new - before)
            else:
                report.added.append(iri)
                if fmt == ox.RdfFormat.N_QUADS:
                    store.load(data, format=fmt)
                else:
                    store.load(data, format=fmt, to_graph=node)
        new_state[iri] = g["sha256"]
    for iri in sorted(in_store - set(graphs)):
        store.remove_graph(NamedNode(iri))
        report.dropped.append(iri)
    return report, new_state


def load(release: str | Path = "output", directory: str | Path = DEFAULT_STORE) -> LoadReport:
    """``referatgraph load``: load (or update) a release into the store in ``directory``."""
    release, directory = Path(release), Path(directory)
    t0 = time.perf_counter()
    manifest = read_manifest(release)
    with open_store(directory, write=True) as store:
        state = _read_state(directory)
        _write_state(directory, {**state, "complete": False})
        report, graphs = load_into(store, release, manifest, state)
        store.flush()
        _write_state(directory, {
            "complete": True,
            "release": str(release.resolve()),
            "base_iri": manifest.get("base_iri"),
            "graphs": graphs,
        })
        report.triples = len(store)
    report.store = directory
    report.seconds = time.perf_counter() - t0
    return report


def memory_store(release: str | Path) -> ox.Store:
    """A release loaded into an in-memory store (no directory, no lock)."""
    release = Path(release)
    manifest = read_manifest(release)
    store = ox.Store()
    load_into(store, release, manifest, {})
    return store


@contextmanager
def store_for(data: str | Path | None) -> Iterator[ox.Store]:
    """The store to query: a store directory (read-only), or a release directory loaded in
    memory. Default: ``./store`` when it exists, else the release in ``./output``."""
    if data is None:
        data = DEFAULT_STORE if (DEFAULT_STORE / "oxigraph").is_dir() else Path("output")
    data = Path(data)
    if (data / "oxigraph").is_dir():
        with open_store(data) as store:
            yield store
    elif (data / "manifest.json").is_file():
        yield memory_store(data)
    elif not data.exists():
        raise StoreError(f"{data}: no such store or release directory")
    else:
        raise StoreError(f"{data}: neither a store (made by `referatgraph load`) nor a release (made by `referatgraph build`)")
