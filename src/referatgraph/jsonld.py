"""Compact JSON-LD for flat node objects, with the project's own context: a fast path beside PyLD.

PyLD is the reference implementation of JSON-LD compaction, and costs about 0.4 ms per node
(measured: 113 ms for the 298 nodes of one 16-item meeting), which made compaction the largest
cost of a build. Our documents use a small part of JSON-LD: flat node objects (no nesting, no
lists, no reverse properties, no blank nodes) and a fixed context of prefixes and terms with
``@id``/datatype/language coercion and ``@set``/``@language`` containers. For that part this
module implements the Term Selection and IRI Compaction algorithms of JSON-LD 1.1 directly.

:func:`compact` raises :class:`Unsupported` for anything outside that part, and the caller falls
back to PyLD. ``tests/test_jsonld.py`` checks that the output equals PyLD's, node for node, on
every node of the built sample dataset and of a synthetic corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson

ID, TYPE = "@id", "@type"
_GEN_DELIMS = tuple(":/?#[]@")


class Unsupported(ValueError):
    """A construct the fast path does not handle; use PyLD for this document."""


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    type: str | None = None  # "@id", "@vocab" or a datatype IRI
    language: str | None = None
    container: str | None = None  # "@set", "@language"


class Compactor:
    """Compaction with one context (a JSON object, the value of "@context")."""

    def __init__(self, context: dict):
        self.prefixes: dict[str, str] = {}
        self.terms: dict[str, _Term] = {}
        self.aliases: dict[str, str] = {}  # keyword -> alias ("@id" -> "id")
        raw = {k: v for k, v in context.items() if not k.startswith("@")}
        for name, value in raw.items():
            if value in (ID, TYPE):
                self.aliases[value] = name
        for name, value in raw.items():
            if isinstance(value, str) and value.startswith("@"):
                continue
            d = {"@id": value} if isinstance(value, str) else dict(value)
            if set(d) - {"@id", "@type", "@language", "@container", "@prefix"}:
                raise Unsupported(f"term {name!r}: {sorted(d)}")
            iri = self.expand(d["@id"], raw)
            typ = d.get("@type")
            self.terms[name] = _Term(name, iri, self.expand(typ, raw) if typ and not typ.startswith("@") else typ,
                                     d.get("@language"), d.get("@container"))
            simple = isinstance(value, str)
            if (simple and iri.endswith(_GEN_DELIMS)) or d.get("@prefix") is True:
                self.prefixes[name] = iri
        self._inverse = self._inverse_context()
        self._simple: dict[str, str] = {}  # iri -> shortest simple term
        for t in sorted(self.terms.values(), key=lambda t: (len(t.name), t.name), reverse=True):
            if t.type is None and t.language is None and t.container is None:
                self._simple[t.iri] = t.name
        self._iri_cache: dict[tuple[str, bool], str] = {}
        self._selected: dict[tuple, tuple[str, _Term | None]] = {}  # (property, kind of value) → (name, term)

    @staticmethod
    def expand(value: str, raw: dict) -> str:
        if ":" in value:
            prefix, local = value.split(":", 1)
            target = raw.get(prefix)
            if isinstance(target, str) and not local.startswith("//"):
                return target + local
        return value

    def _inverse_context(self) -> dict:
        """iri -> container -> ("@type"|"@language") -> key -> term, shortest term first."""
        inv: dict = {}
        for t in sorted(self.terms.values(), key=lambda t: (len(t.name), t.name)):
            container = t.container or "@none"
            entry = inv.setdefault(t.iri, {}).setdefault(container, {"@type": {}, "@language": {}})
            if t.type is not None:
                entry["@type"].setdefault(t.type, t.name)
            elif t.language is not None:
                entry["@language"].setdefault(t.language, t.name)
            else:
                entry["@language"].setdefault("@none", t.name)
                entry["@type"].setdefault("@none", t.name)
        return inv

    # --- IRI compaction ----------------------------------------------------------------------

    def compact_iri(self, iri: str, vocab: bool) -> str:
        key = (iri, vocab)
        if key not in self._iri_cache:
            self._iri_cache[key] = self._compact_iri(iri, vocab)
        return self._iri_cache[key]

    def _compact_iri(self, iri: str, vocab: bool) -> str:
        if vocab and iri in self._simple:
            return self._simple[iri]
        candidates = []
        for name, prefix in self.prefixes.items():
            if iri.startswith(prefix) and iri != prefix:
                candidate = f"{name}:{iri[len(prefix):]}"
                term = self.terms.get(candidate)
                if term is None or (term.iri == iri and vocab):
                    candidates.append(candidate)
        if candidates:
            return min(candidates, key=lambda c: (len(c), c))
        if ":" in iri and iri.split(":", 1)[0] in self.terms:
            raise Unsupported(f"IRI {iri!r} would read as a compact IRI")
        return iri

    # --- term selection and value compaction ------------------------------------------------

    def _select(self, iri: str, value: dict) -> str | None:
        by_container = self._inverse.get(iri)
        if not by_container:
            return None
        if ID in value:
            kind, preferred, containers = "@type", [ID, "@vocab", "@none"], ["@set", "@none"]
        elif "@language" in value:
            kind, preferred = "@language", [value["@language"].lower(), "@none"]
            containers = ["@language", "@language@set", "@set", "@none"]
        elif TYPE in value:
            kind, preferred, containers = "@type", [value[TYPE], "@none"], ["@set", "@none"]
        else:
            kind, preferred, containers = "@language", ["@null", "@none"], ["@set", "@none"]
        for container in containers:
            entry = by_container.get(container)
            if not entry:
                continue
            for p in preferred:
                term = entry[kind].get(p)
                if term is not None:
                    return term
        return None

    def _value(self, term: _Term | None, value: dict):
        if ID in value:
            if term is not None and term.type == ID:
                return self.compact_iri(value[ID], vocab=False)
            if term is not None and term.type == "@vocab":
                return self.compact_iri(value[ID], vocab=True)
            return {self.aliases.get(ID, ID): self.compact_iri(value[ID], vocab=False)}
        v = value["@value"]
        if "@language" in value:
            if term is not None and (term.language == value["@language"] or term.container == "@language"):
                return v
            return {"@value": v, "@language": value["@language"]}
        if TYPE in value:
            if term is not None and term.type == value[TYPE]:
                return v
            return {"@value": v, self.aliases.get(TYPE, TYPE): self.compact_iri(value[TYPE], vocab=True)}
        if term is not None and (term.type is not None or term.language is not None):
            raise Unsupported("untyped value under a coercing term")
        return v

    def node(self, node: dict) -> dict:
        """One flat expanded node object, compacted."""
        out: dict = {}
        for key, values in node.items():
            if key == ID:
                if values.startswith("_:"):
                    raise Unsupported("blank node")
                out[self.aliases.get(ID, ID)] = self.compact_iri(values, vocab=False)
            elif key == TYPE:
                types = [self.compact_iri(t, vocab=True) for t in values]
                out[self.aliases.get(TYPE, TYPE)] = types[0] if len(types) == 1 else types
            elif key.startswith("@"):
                raise Unsupported(f"keyword {key}")
            else:
                for value in values:
                    if not isinstance(value, dict) or not (ID in value or "@value" in value) or "@index" in value:
                        raise Unsupported(f"value {value!r}")
                    if ID in value:
                        if value[ID].startswith("_:"):
                            raise Unsupported("blank node")
                        shape = (key, ID)
                    else:
                        shape = (key, value.get("@language", "").lower(), value.get(TYPE))
                    selected = self._selected.get(shape)
                    if selected is None:  # term selection depends on the property and the kind of value only
                        name = self._select(key, value)
                        selected = self._selected[shape] = (name or self.compact_iri(key, vocab=True), self.terms.get(name) if name else None)
                    prop, term = selected
                    compacted = self._value(term, value)
                    if term is not None and term.container == "@language":
                        lang_map = out.setdefault(prop, {})
                        lang = value.get("@language", "@none").lower()
                        lang_map[lang] = compacted if lang not in lang_map else (
                            (lang_map[lang] if isinstance(lang_map[lang], list) else [lang_map[lang]]) + [compacted])
                    else:
                        out.setdefault(prop, []).append(compacted)
        for prop, vals in list(out.items()):
            if isinstance(vals, list) and prop not in (self.aliases.get(TYPE, TYPE),):
                term = self.terms.get(prop)
                if len(vals) == 1 and not (term is not None and term.container == "@set"):
                    out[prop] = vals[0]
        return out


def compact(nodes: Iterable[dict], compactor: Compactor) -> list[dict]:
    """Compact flat expanded node objects (as pyoxigraph serialises them, native types applied)."""
    return [compactor.node(n) for n in nodes]


def json_text(obj) -> str:
    """JSON text as a release writes it: keys sorted, two-space indent, UTF-8 characters as they
    are. The same text as ``json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2)``
    (tests/test_jsonld.py), written by orjson, about 10× faster."""
    return json_bytes(obj).decode()


def json_bytes(obj) -> bytes:
    """:func:`json_text`, UTF-8 encoded."""
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
