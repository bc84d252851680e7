"""Stage 7 — publish: triples to Turtle and compact JSON-LD files, deterministically and atomically.

Layout of a release directory::

    dataset.ttl          the whole dataset (meetings in key order, then the shared resources)
    dataset.jsonld       the same as compact JSON-LD, "@context": "context.jsonld"
    context.jsonld       the JSON-LD context (so the JSON reads as plain JSON)
    meetings/KEY.ttl     one meeting, self-contained (its committee, cases, place included)
    meetings/KEY.jsonld  the same as compact JSON-LD, "@context": "../context.jsonld"
    report.json          what the build saw: per file, the issues and validation results

Same input, same bytes: triples are sorted (:func:`referatgraph.map.sort_key`), JSON keys are
sorted, nothing depends on the clock or the machine. Every file is written to a temporary file
and renamed into place; nothing is replaced before the whole release has been staged.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from pyoxigraph import Triple

from .errors import PublishError
from .map import sort_key
from .vocab import PREFIXES, RDF, REPO, XSD

CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
_NATIVE = {XSD.integer.value: int, XSD.boolean.value: lambda v: v == "true"}
_RDF_TYPE = RDF.type.value


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def context() -> dict:
    """The JSON-LD context shipped with every release (``ontology/context.jsonld``)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def turtle(triples: Iterable[Triple], prefixes: dict[str, str], header: bool = True) -> bytes:
    """Sorted Turtle. With ``header=False`` the ``@prefix`` lines are left out (for chunks)."""
    data = ox.serialize(sorted(triples, key=sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    if header:
        return data
    return b"".join(ln for ln in data.splitlines(keepends=True) if not ln.startswith(b"@prefix "))


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(prefixes.items())).encode()


def _native(node):
    """Expanded JSON-LD as PyLD's ``fromRdf`` would give it with ``useNativeTypes`` and
    ``useRdfType=False``: xsd:integer and xsd:boolean values as JSON numbers and booleans, and
    ``rdf:type`` as ``@type``."""
    if isinstance(node, list):
        return [_native(x) for x in node]
    if isinstance(node, dict):
        conv = _NATIVE.get(node.get("@type")) if "@value" in node else None
        if conv is not None:
            return {"@value": conv(node["@value"])}
        out = {k: _native(v) for k, v in node.items() if k != _RDF_TYPE}
        if _RDF_TYPE in node:
            out["@type"] = [t["@id"] for t in node[_RDF_TYPE]]
        return out
    return node


def compact_nodes(triples: Iterable[Triple]) -> list[dict]:
    """Compact JSON-LD node objects (sorted by id) for the triples, with the shipped context."""
    triples = sorted(triples, key=sort_key)
    if not triples:
        return []
    expanded = _native(json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))
    doc = jsonld.compact(expanded, {"@context": context()}, {"graph": True})
    nodes = doc.get("@graph", [])
    return sorted(nodes, key=lambda n: n.get("id", ""))


def _dump_nodes(nodes: list[dict]) -> list[str]:
    return [json.dumps(n, ensure_ascii=False, sort_keys=True, indent=2) for n in nodes]


def jsonld_document(node_texts: Iterable[str], context_ref: str) -> bytes:
    """``{"@context": ref, "@graph": [...]}`` from already dumped node objects."""
    body = ",\n".join("  " + t.replace("\n", "\n  ") for t in node_texts)
    return f'{{\n"@context": {json.dumps(context_ref)},\n"@graph": [\n{body}\n]\n}}\n'.encode()


class Release:
    """Stages a release in a temporary directory inside ``out`` and moves it into place."""

    def __init__(self, out: Path, prefixes: dict[str, str]):
        self.out = Path(out)
        self.prefixes = {**PREFIXES, **prefixes}
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.stage = Path(tempfile.mkdtemp(dir=self.out, prefix=".staging-"))
        except OSError as exc:
            raise PublishError(f"{self.out}: cannot write output directory: {exc.strerror or exc}") from None
        (self.stage / "meetings").mkdir()
        self.chunks = self.stage / "chunks"
        self.chunks.mkdir()
        self.keys: list[str] = []
        self.shared: set[Triple] = set()
        self.own_counts: dict[str, int] = {}

    def add_meeting(self, key: str, triples: list[Triple], is_shared) -> None:
        """Write one meeting's files and spool its non-shared part for the dataset files."""
        own = [t for t in triples if not is_shared(t.subject)]
        self.shared.update(t for t in triples if is_shared(t.subject))
        (self.stage / "meetings" / f"{key}.ttl").write_bytes(turtle(triples, self.prefixes))
        nodes = compact_nodes(triples)
        texts = _dump_nodes(nodes)
        (self.stage / "meetings" / f"{key}.jsonld").write_bytes(jsonld_document(texts, "../context.jsonld"))
        own_ids = {str(t.subject.value) for t in own}
        (self.chunks / f"{key}.ttl").write_bytes(turtle(own, self.prefixes, header=False))
        own_texts = [t for n, t in zip(nodes, texts) if n.get("id") in own_ids or _expand_id(n.get("id")) in own_ids]
        (self.chunks / f"{key}.json").write_text(json.dumps(own_texts, ensure_ascii=False), encoding="utf-8")
        self.keys.append(key)
        self.own_counts[key] = len(own)

    def finish(self, report: dict) -> list[Path]:
        """Assemble the dataset files, then move every staged file into ``out``."""
        shared = sorted(self.shared, key=sort_key)
        keys = sorted(self.keys)
        with open(self.stage / "dataset.ttl", "wb") as f:
            f.write(prefix_header(self.prefixes))
            for key in keys:
                f.write(b"\n")
                f.write((self.chunks / f"{key}.ttl").read_bytes())
            f.write(b"\n")
            f.write(turtle(shared, self.prefixes, header=False))
        texts: list[str] = []
        for key in keys:
            texts.extend(json.loads((self.chunks / f"{key}.json").read_text(encoding="utf-8")))
        texts.extend(_dump_nodes(compact_nodes(shared)))
        (self.stage / "dataset.jsonld").write_bytes(jsonld_document(texts, "context.jsonld"))
        (self.stage / "context.jsonld").write_bytes(CONTEXT_FILE.read_bytes())
        (self.stage / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
        )
        shutil.rmtree(self.chunks)
        return self._commit()

    def _commit(self) -> list[Path]:
        written = []
        (self.out / "meetings").mkdir(exist_ok=True)
        staged = sorted(p for p in self.stage.rglob("*") if p.is_file())
        for p in staged:
            target = self.out / p.relative_to(self.stage)
            os.replace(p, target)
            written.append(target)
        keep = {p.name for p in written if p.parent.name == "meetings"}
        for old in (self.out / "meetings").iterdir():
            if old.suffix in (".ttl", ".jsonld") and old.name not in keep:
                old.unlink()
        shutil.rmtree(self.stage, ignore_errors=True)
        return written

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)


def _expand_id(compact_id: str | None) -> str | None:
    """Expand a compact IRI ("prefix:local") of a node id with the context's prefixes."""
    if not compact_id or ":" not in compact_id:
        return compact_id
    prefix, local = compact_id.split(":", 1)
    iri = context().get(prefix)
    return iri + local if isinstance(iri, str) and not local.startswith("//") else compact_id
