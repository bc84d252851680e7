"""The only place where IRIs are minted.

Readable, stable IRIs built from content (committee, date, item number, case number), never
from counters or random ids, under a configurable base IRI. Each kind of resource has its own
path segment so that the local part never contains a ``/`` (Turtle stays clean). See
``docs/mapping.md`` for the scheme.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from pyoxigraph import NamedNode

from . import __version__

#: Documented default; set ``--base-iri`` to a domain you control before publishing.
DEFAULT_BASE_IRI = "https://referatgraph.example/id/"
SOFTWARE_IRI = "https://w3id.org/referatgraph/software/"

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
KINDS = (
    "body", "meeting", "item", "treatment", "decision", "section", "attachment", "case",
    "place", "document", "conversion",
)


def slug(text: str) -> str:
    """ASCII slug: ``Beskæftigelses- og Socialudvalget`` → ``beskaeftigelses-og-socialudvalget``."""
    text = unicodedata.normalize("NFKD", text.translate(_DANISH))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NON_SLUG.sub("-", text).strip("-") or "x"


def case_local_name(number: str) -> str:
    """Case number as printed, with anything but letters, digits, ``.`` and ``-`` percent-encoded."""
    return quote(number.strip(), safe="-.ÆØÅæøå")


class Minter:
    """Mints every data IRI of a dataset under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI):
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", base_iri):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/' or '#': {base_iri!r}")
        self.base = base_iri

    def namespace(self, kind: str) -> str:
        return f"{self.base}{kind}/"

    def prefixes(self) -> dict[str, str]:
        """Prefixes for serialisation, one per kind of resource."""
        return {kind: self.namespace(kind) for kind in KINDS}

    def _node(self, kind: str, local: str) -> NamedNode:
        return NamedNode(f"{self.base}{kind}/{local}")

    @staticmethod
    def meeting_key(committee: str, date: dt.date) -> str:
        return f"{slug(committee)}-{date.isoformat()}"

    def body(self, committee: str) -> NamedNode:
        return self._node("body", slug(committee))

    def meeting(self, committee: str, date: dt.date) -> NamedNode:
        """A meeting of a body on a date: also used for meetings referred to, not yet converted."""
        return self._node("meeting", self.meeting_key(committee, date))

    def item(self, key: str, number: int) -> NamedNode:
        return self._node("item", f"{key}-{number}")

    def treatment(self, key: str, number: int) -> NamedNode:
        return self._node("treatment", f"{key}-{number}")

    def decision(self, key: str, number: int) -> NamedNode:
        return self._node("decision", f"{key}-{number}")

    def section(self, key: str, number: int, kind: str, sub: int | None = None) -> NamedNode:
        local = f"{key}-{number}-{kind}" + (f"-{sub}" if sub is not None else "")
        return self._node("section", local)

    def attachment(self, key: str, number: int, k: int) -> NamedNode:
        return self._node("attachment", f"{key}-{number}-{k}")

    def case(self, number: str) -> NamedNode:
        return self._node("case", case_local_name(number))

    def place(self, text: str) -> NamedNode:
        return self._node("place", slug(text))

    def document(self, file_name: str) -> NamedNode:
        stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
        return self._node("document", slug(stem))

    def conversion(self, key: str) -> NamedNode:
        return self._node("conversion", key)

    @staticmethod
    def software() -> NamedNode:
        return NamedNode(f"{SOFTWARE_IRI}{__version__}")
