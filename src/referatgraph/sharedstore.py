"""The resources that meetings share, kept on disk while a build runs.

Committees, cases, persons, parties, memberships, the meetings referred to by date, the concept
schemes and the links across meetings are published once in the dataset files, so a build has
to gather them from every meeting. Kept in memory, they made a build's memory grow with the
corpus (about 0.5 MiB per meeting). :class:`SharedStore` keeps them in an SQLite file in the
release's staging directory instead: each triple once (as N-Triples), in the canonical order of
:func:`referatgraph.map.sort_key`, with the rows that meetings add to the timelines of the
entity pages (:mod:`referatgraph.site`).
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import orjson
import pyoxigraph as ox
from pyoxigraph import Triple

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#: How many inserted rows to remember for skipping repeats (a few MiB, whatever the corpus).
_RECENT = 4000
_SCHEMA = """
CREATE TABLE triple (
    s TEXT NOT NULL,      -- str() of the terms: the columns of sort_key
    k INTEGER NOT NULL,   -- 0 for rdf:type, else 1 (rdf:type first)
    p TEXT NOT NULL,
    o TEXT NOT NULL,
    iri TEXT NOT NULL,    -- the subject's IRI
    meeting INTEGER NOT NULL,  -- 1: came with a meeting; 0: added after the meetings
    gone INTEGER NOT NULL DEFAULT 0,  -- 1: removed (kept to know what came with meetings)
    PRIMARY KEY (s, k, p, o)
) WITHOUT ROWID;
CREATE INDEX triple_iri ON triple (iri);
CREATE INDEX triple_po ON triple (p, o);
-- Triples the shared validation needs but the shared graph does not publish (each converted
-- meeting's date, which its own files publish): same columns as triple.
CREATE TABLE context (
    s TEXT NOT NULL, k INTEGER NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, iri TEXT NOT NULL,
    PRIMARY KEY (s, k, p, o)
) WITHOUT ROWID;
CREATE INDEX context_po ON context (p, o);
CREATE TABLE row (entity TEXT NOT NULL, key TEXT NOT NULL, cells TEXT NOT NULL);
CREATE INDEX row_entity ON row (entity);
"""


class SharedStore:
    """Shared triples (each once) and timeline rows, in an SQLite file at ``path``."""

    def __init__(self, path: Path, readonly: bool = False):
        """A new store at ``path``; or, ``readonly``, the store another process is writing
        there (for reading, once that process has stopped writing)."""
        self.path = Path(path)
        if readonly:
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        else:
            self.db = sqlite3.connect(str(self.path), isolation_level=None)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.executescript(_SCHEMA)
        self._recent: OrderedDict[tuple, None] = OrderedDict()  # rows inserted lately, oldest first
        self._writing = False
        self.db.execute("PRAGMA temp_store = FILE")
        self.db.execute("PRAGMA cache_size = -2048")  # 2 MiB, whatever the corpus

    def close(self) -> None:
        self.commit()
        self.db.close()

    def _begin(self) -> None:
        """Writes go into one transaction until :meth:`commit` (cheaper than one per meeting)."""
        if not self._writing:
            self.db.execute("BEGIN")
            self._writing = True

    def commit(self) -> None:
        """Make what was written visible to readers (other processes); every read commits."""
        if self._writing:
            self.db.execute("COMMIT")
            self._writing = False

    # --- writing -----------------------------------------------------------------------------

    @staticmethod
    def rows(triples: Iterable[Triple]) -> list[tuple[str, int, str, str, str]]:
        """The rows of triples, as :meth:`insert` takes them (made where the triples are)."""
        out = []
        for t in triples:
            p = str(t.predicate)
            out.append((str(t.subject), 0 if p == _RDF_TYPE else 1, p, str(t.object), t.subject.value))
        return out

    def add(self, triples: Iterable[Triple], from_meeting: bool = True) -> None:
        """Add triples (a triple already there keeps where it first came from), taken from
        ``triples`` 10,000 at a time."""
        it = iter(triples)
        while chunk := list(islice(it, 10000)):
            self.insert(self.rows(chunk), from_meeting)

    def insert(self, rows: list[tuple[str, int, str, str, str]], from_meeting: bool = True) -> None:
        """Add the :meth:`rows` of triples. Meetings repeat the same shared triples (the concept
        schemes, committees, persons): those seen lately are skipped before SQLite sees them."""
        recent = self._recent
        new = []
        for r in rows:
            if r not in recent:
                recent[r] = None
                new.append(r)
        while len(recent) > _RECENT:
            recent.popitem(last=False)
        if not new:
            return
        flag = int(from_meeting)
        self._begin()
        self.db.executemany("INSERT OR IGNORE INTO triple (s, k, p, o, iri, meeting) VALUES (?, ?, ?, ?, ?, ?)",
                            [(*r, flag) for r in new])

    def add_context(self, triples: Iterable[Triple]) -> None:
        """Add triples that the shared validation needs and the shared graph does not publish."""
        self._begin()
        self.db.executemany("INSERT OR IGNORE INTO context (s, k, p, o, iri) VALUES (?, ?, ?, ?, ?)", self.rows(triples))

    def add_rows(self, rows: Iterable[tuple[str, tuple, tuple]]) -> None:
        """Timeline rows of entity pages: (entity IRI, sort key, cells)."""
        self._begin()
        self.db.executemany("INSERT INTO row VALUES (?, ?, ?)",
                            [(e, orjson.dumps(k).decode(), orjson.dumps(c).decode()) for e, k, c in rows])

    def remove_subjects(self, iris: Iterable[str]) -> None:
        """Drop every triple about these subjects (meetings referred to that were converted too:
        their own files say it all). :meth:`subjects_from_meetings` still lists them."""
        self._recent.clear()
        self._begin()
        self.db.executemany("UPDATE triple SET gone = 1 WHERE iri = ?", [(i,) for i in iris])
        self.commit()

    # --- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        self.commit()
        return self.db.execute("SELECT count(*) FROM triple WHERE gone = 0").fetchone()[0]

    def size(self) -> int:
        """The number of triples a validation of the whole store reads: the shared ones
        (``len``) and the context's."""
        return len(self) + self.db.execute("SELECT count(*) FROM context").fetchone()[0]

    def triples(self, where: str = "1", args: tuple = (), batch: int = 20000) -> Iterator[list[Triple]]:
        """Every triple (or those matching the SQL condition ``where``), in sort_key order, in
        lists of about ``batch`` triples that end at a subject's last triple."""
        self.commit()
        cur = self.db.execute(f"SELECT s, p, o FROM triple WHERE gone = 0 AND ({where}) ORDER BY s, k, p, o", args)
        lines: list[str] = []
        last = None
        for s, p, o in cur:
            if len(lines) >= batch and s != last:
                yield _parse(lines)
                lines = []
            lines.append(f"{s} {p} {o} .")
            last = s
        if lines:
            yield _parse(lines)

    def ntriples(self) -> str:
        """Every triple, the context's too, as N-Triples in sort_key order."""
        self.commit()
        sql = "SELECT s, k, p, o FROM triple WHERE gone = 0 UNION SELECT s, k, p, o FROM context ORDER BY s, k, p, o"
        return "".join(f"{s} {p} {o} .\n" for s, _, p, o in self.db.execute(sql))

    def triples_of(self, iris: list[str]) -> list[Triple]:
        """The triples about these subjects, in sort_key order."""
        self.commit()
        if not iris:
            return []
        out = []
        for k in range(0, len(iris), 500):
            part = iris[k:k + 500]
            marks = ",".join("?" * len(part))
            out.extend(self.db.execute(f"SELECT s, p, o FROM triple WHERE gone = 0 AND iri IN ({marks})", part))
        out.sort(key=lambda r: (r[0], r[1] != _RDF_TYPE, r[1], r[2]))
        return _parse([f"{s} {p} {o} ." for s, p, o in out])

    def subjects(self, where: str = "1", args: tuple = ()) -> list[str]:
        """The subjects' IRIs (of the triples matching ``where``), sorted."""
        self.commit()
        return sorted(r[0] for r in self.db.execute(f"SELECT DISTINCT iri FROM triple WHERE gone = 0 AND ({where})", args))

    def subjects_from_meetings(self) -> list[str]:
        """The subjects of triples that came with meetings, removed ones included, sorted."""
        self.commit()
        return sorted(r[0] for r in self.db.execute("SELECT DISTINCT iri FROM triple WHERE meeting = 1"))

    def subjects_with(self, predicate: str, obj: str) -> list[str]:
        """Subjects of ``?s <predicate> <obj>``, sorted."""
        self.commit()
        return sorted({r[0] for r in self.db.execute("SELECT iri FROM triple WHERE gone = 0 AND p = ? AND o = ?",
                                                     (f"<{predicate}>", f"<{obj}>"))})

    # --- reading for the shared validation: the shared triples and the context, as N-Triples
    # terms (s, p, o) -----------------------------------------------------------------------

    def nodes(self, objects_of: Iterable[str] = ()) -> Iterator[str]:
        """Every subject, and every object of the predicates ``objects_of`` that is an IRI or a
        blank node, once each, sorted (read lazily: memory does not grow with the store)."""
        self.commit()
        preds = sorted({f"<{p}>" for p in objects_of})
        sql = "SELECT s FROM triple WHERE gone = 0 UNION SELECT s FROM context"
        if preds:
            marks, node = ",".join("?" * len(preds)), "(o LIKE '<%' OR substr(o, 1, 2) = '_:')"
            sql += (f" UNION SELECT o FROM triple WHERE gone = 0 AND p IN ({marks}) AND {node}"
                    f" UNION SELECT o FROM context WHERE p IN ({marks}) AND {node}")
        cur = self.db.cursor()  # a cursor of its own: the caller reads other rows meanwhile
        for (node,) in cur.execute(sql + " ORDER BY 1", (*preds, *preds)):
            yield node

    def outgoing(self, nodes: list[str]) -> list[tuple[str, str, str]]:
        """The triples (shared or context) whose subject is one of ``nodes`` (N-Triples terms)."""
        return self._select("s IN ({})", nodes)

    def incoming(self, predicate: str | None, nodes: list[str], one: bool = False) -> list[tuple[str, str, str]]:
        """The triples (shared or context) ``?s predicate node`` (any predicate for None) for
        ``nodes`` (N-Triples terms); ``one``: only the first (by subject) for each node."""
        if predicate is None:
            return self._select("o IN ({})", nodes)
        return self._select("p = ? AND o IN ({})", nodes, (f"<{predicate}>",), one=one)

    def _select(self, where: str, nodes: list[str], args: tuple = (), one: bool = False) -> list[tuple[str, str, str]]:
        self.commit()
        out: list[tuple[str, str, str]] = []
        for k in range(0, len(nodes), 500):
            part = nodes[k:k + 500]
            cond = where.format(",".join("?" * len(part)))
            sql = f"SELECT s, p, o FROM triple WHERE gone = 0 AND {cond} UNION SELECT s, p, o FROM context WHERE {cond}"
            if one:
                sql = f"SELECT min(s), p, o FROM ({sql}) GROUP BY o"
            out.extend(self.db.execute(sql, (*args, *part, *args, *part)))
        return out

    def rows_of(self, entity: str) -> list[tuple[list, list]]:
        """The timeline rows of an entity, by sort key (rows with equal keys in the order added)."""
        self.commit()
        rows = [(orjson.loads(k), orjson.loads(c)) for k, c in
                self.db.execute("SELECT key, cells FROM row WHERE entity = ? ORDER BY rowid", (entity,))]
        return sorted(rows, key=lambda r: r[0])


def _parse(lines: list[str]) -> list[Triple]:
    return [q.triple for q in ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)]
