"""Run SPARQL queries over a store or a release, with values bound safely.

Values from users never become query text: :func:`run` binds them with Oxigraph's
substitutions (SEP-0007 — the variable is replaced by the RDF term itself, after parsing), so a
title such as ``" } ; DROP ALL ; #`` is just a string that matches nothing or itself. Where a
term has to be written into query text (for a server that has no binding), :func:`sparql_term`
escapes it strictly.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Variable

from .errors import ReferatgraphError
from .iris import DEFAULT_BASE_IRI, Minter
from .vocab import PREFIXES

SELECT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QueryError(ReferatgraphError):
    """A query that cannot be parsed or run, or a bad parameter."""


def read_query(text_or_file: str) -> str:
    """The query: the contents of a file (``.rq`` / ``.sparql`` or any existing path), or the text."""
    p = Path(text_or_file)
    if p.suffix in (".rq", ".sparql") or (len(text_or_file) < 4096 and "\n" not in text_or_file and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{text_or_file}: no such query file") from None
    return text_or_file


def bindings(params: Iterable[str] = (), iris: Iterable[str] = ()) -> dict[Variable, ox.NamedNode | ox.Literal]:
    """``NAME=VALUE`` pairs as substitutions: plain string literals (``params``) or IRIs (``iris``)."""
    out = {}
    for raw, make in [(p, Literal) for p in params] + [(i, NamedNode) for i in iris]:
        name, sep, value = raw.partition("=")
        name = name.lstrip("?$")
        if not sep or not _VAR.match(name):
            raise QueryError(f"bad parameter {raw!r}: expected NAME=VALUE")
        try:
            out[Variable(name)] = make(value)
        except ValueError as exc:
            raise QueryError(f"bad IRI for {name}: {exc}") from None
    return out


def run(store: ox.Store, query: str, substitutions: dict | None = None, union: bool = True):
    """Execute ``query`` over ``store`` (the union of the named graphs as default graph)."""
    try:
        return store.query(query, use_default_graph_as_union=union, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    except RuntimeError as exc:
        if substitutions and "projection" in str(exc):
            raise QueryError(
                f"{exc}: bind only variables that the query returns (SELECT ?name … or SELECT *)"
            ) from None
        raise QueryError(f"the query failed: {exc}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """A term written as SPARQL text, strictly escaped (for servers without parameter binding)."""
    if isinstance(term, NamedNode):
        if re.search(r'[\x00-\x20<>"{}|^`\\]', term.value):
            raise QueryError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    text = term.value
    esc = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    body = "".join(esc.get(c, c if ord(c) >= 0x20 else f"\\u{ord(c):04X}") for c in text)
    if term.language:
        return f'"{body}"@{term.language}'
    if term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{body}"^^{sparql_term(term.datatype)}'
    return f'"{body}"'


def prefixes_for(base: str | None) -> dict[str, str]:
    return {**PREFIXES, **Minter(base or DEFAULT_BASE_IRI).prefixes()}


def compact(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        best, ns = "", ""
        for p, n in prefixes.items():
            if term.value.startswith(n) and len(n) > len(ns):
                best, ns = p, n
        local = term.value[len(ns):]
        return f"{best}:{local}" if best and re.match(r"^[\w.%-]*$", local) else f"<{term.value}>"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def table(solutions, prefixes: dict[str, str], width: int = 60) -> str:
    """Query solutions as an aligned text table for people."""
    names = [v.value for v in solutions.variables]
    rows = [[_cut(compact(s[n], prefixes).replace("\n", " "), width) for n in names] for s in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_result(result, fmt: str, prefixes: dict[str, str], out=None) -> None:
    """Print a query result: a table for people, or a standard format for programs."""
    out = out or sys.stdout
    binary = getattr(out, "buffer", None)

    def emit(data: bytes) -> None:
        if binary is not None:
            out.flush()
            binary.write(data)
            binary.flush()
        else:
            out.write(data.decode("utf-8"))

    if isinstance(result, ox.QueryBoolean):
        if fmt in ("table", "text"):
            out.write(("true" if bool(result) else "false") + "\n")
        else:
            emit(result.serialize(format=SELECT_FORMATS.get(fmt, ox.QueryResultsFormat.JSON)))
    elif isinstance(result, ox.QuerySolutions):
        if fmt in ("table", "text"):
            out.write(table(result, prefixes))
        elif fmt in SELECT_FORMATS:
            emit(result.serialize(format=SELECT_FORMATS[fmt]))
        else:
            raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; SELECT results: table, {', '.join(SELECT_FORMATS)}")
    else:
        rdf = {"table": "turtle", "text": "turtle", "json": "jsonld", "csv": None, "tsv": None}.get(fmt, fmt)
        if rdf not in GRAPH_FORMATS:
            raise QueryError(f"--format {fmt} is for SELECT/ASK; CONSTRUCT/DESCRIBE results: {', '.join(GRAPH_FORMATS)}")
        triples = list(result)
        kw = {"prefixes": prefixes} if rdf == "turtle" else {}
        emit(ox.serialize(triples, format=GRAPH_FORMATS[rdf], **kw))
