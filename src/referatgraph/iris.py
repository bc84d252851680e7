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
from functools import lru_cache
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
    # deliberation
    "person", "party", "role", "membership", "recommendation", "point", "amendment", "vote",
    "referral",
    # linking
    "group", "numbered-recommendation", "initiative", "status", "link", "kle-topic", "kle-facet",
    "scheme",
)


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """ASCII slug: ``Beskæftigelses- og Socialudvalget`` → ``beskaeftigelses-og-socialudvalget``.

    Cached: a meeting slugs the same few names (committee, members, roles) again and again.
    """
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

    # --- deliberation ---------------------------------------------------------------------

    def person(self, name: str) -> NamedNode:
        """One IRI per person across all meetings: the name, normalised (no role, no party)."""
        return self._node("person", slug(name))

    def party(self, name: str) -> NamedNode:
        return self._node("party", slug(name))

    def role(self, role: str) -> NamedNode:
        return self._node("role", slug(role))

    def membership(self, person: str, organisation: str) -> NamedNode:
        """A person's membership of a committee or party (one per pair, seen at dated meetings)."""
        return self._node("membership", f"{slug(person)}--{slug(organisation)}")

    def recommendation(self, key: str, number: int) -> NamedNode:
        return self._node("recommendation", f"{key}-{number}")

    def recommendation_point(self, key: str, number: int, point: int) -> NamedNode:
        return self._node("point", f"{key}-{number}-{point}")

    def amendment(self, key: str, number: int, k: int) -> NamedNode:
        return self._node("amendment", f"{key}-{number}-{k}")

    def amendment_point(self, key: str, number: int, k: int, point: int) -> NamedNode:
        return self._node("point", f"{key}-{number}-a{k}-{point}")

    def vote(self, key: str, number: int, target: tuple) -> NamedNode:
        """A vote, named after what was voted on: ``…-4-a1`` (amendment 1), ``…-5-a1-2``
        (its point 2), ``…-4-p1`` (recommendation point 1), ``…-4-p`` (the recommendation)."""
        if target[0] == "amendment":
            local = f"a{target[1]}" + (f"-{target[2]}" if target[2] is not None else "")
        else:
            local = f"p{target[1]}" if target[1] is not None else "p"
        return self._node("vote", f"{key}-{number}-{local}")

    def referral(self, key: str, number: int, k: int) -> NamedNode:
        return self._node("referral", f"{key}-{number}-{k}")

    # --- linking ------------------------------------------------------------------------------

    def local(self, node: NamedNode) -> str:
        """``{kind}-{local}`` of an IRI minted here: ``item-beskaeftigelses-…-2024-06-25-5``."""
        rest = node.value[len(self.base):] if node.value.startswith(self.base) else slug(node.value)
        return rest.replace("/", "-")

    @staticmethod
    def _tail(node: NamedNode) -> str:
        return node.value.rsplit("/", 1)[-1]

    def group(self, noun: str, case_number: str) -> NamedNode:
        """A group set up for a task (expert group, citizens' panel), named after its kind and the
        case it is set up or reported under: ``group/ekspertgruppe-15.40.00-A00-5-22``."""
        return self._node("group", f"{slug(noun)}-{case_local_name(case_number)}")

    def numbered_recommendation(self, owner: NamedNode, number: int) -> NamedNode:
        """Recommendation ``number`` of a group, or of a numbered list in an item (the owner)."""
        return self._node("numbered-recommendation", f"{self._tail(owner)}-{number}")

    def initiative(self, group: NamedNode, title: str) -> NamedNode:
        """An initiative implementing a group's recommendations, named after its title."""
        return self._node("initiative", f"{self._tail(group)}-{slug(title)[:60].strip('-')}")

    def status_report(self, key: str, number: int, k: int) -> NamedNode:
        """The status of the k-th initiative reported in item ``number`` of a meeting."""
        return self._node("status", f"{key}-{number}-{k}")

    def link(self, subject: NamedNode, predicate: str, obj: NamedNode) -> NamedNode:
        """The record of one link with its evidence: ``{subject}--{predicate}--{kind}-{object}``."""
        return self._node("link", f"{self._tail(subject)}--{predicate}--{self.local(obj)}")

    def kle_topic(self, code: str) -> NamedNode:
        """A KLE main group, group or topic: ``kle-topic/27``, ``…/27.03``, ``…/27.03.00``."""
        return self._node("kle-topic", case_local_name(code))

    def kle_facet(self, code: str) -> NamedNode:
        """A KLE action facet or facet category: ``kle-facet/Ø00``, ``kle-facet/Ø``."""
        return self._node("kle-facet", case_local_name(code))

    def kle_scheme(self, name: str) -> NamedNode:
        """The concept schemes of KLE topics and action facets: ``scheme/kle-emneplan``."""
        return self._node("scheme", slug(name))

    @staticmethod
    def kle_online(topic_code: str) -> NamedNode:
        """The public KLE-online page of a topic (the form data.gov.dk's catalogue uses)."""
        return NamedNode(f"https://www.kle-online.dk/emneplan/{topic_code[:2]}/#_{topic_code}")

    @staticmethod
    def software() -> NamedNode:
        return NamedNode(f"{SOFTWARE_IRI}{__version__}")
