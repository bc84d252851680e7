"""The mapper's fast paths give what their plain definitions give, on the real samples."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from referatgraph.iris import Minter, slug
from referatgraph.link import link_meeting, with_links
from referatgraph.map import A, _int, concept_triples, meeting_triples, sort_key
from referatgraph.parse import parse_file
from referatgraph.vocab import RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "odense").glob("*.txt"))


def reference_key(t: Triple) -> tuple[str, bool, str, str]:
    """The canonical order as first written: subject, rdf:type first, predicate, object."""
    return (str(t.subject), t.predicate != A, str(t.predicate), str(t.object))


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.name)
def meeting(request):
    return parse_file(request.param).meeting


@pytest.fixture(scope="module")
def sample_triples(meeting) -> list[Triple]:
    minter = Minter()
    triples = with_links(meeting_triples(meeting, minter, ordered=False), link_meeting(meeting, minter))
    return triples + list(concept_triples())


def test_sort_key_orders_like_the_tuple_key(sample_triples):
    shuffled = sample_triples[:]
    random.Random(0).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == sorted(shuffled, key=reference_key)


def test_sort_key_orders_like_the_tuple_key_where_text_is_a_prefix():
    # IRIs that begin like one another, a literal with spaces, rdf:type among other predicates.
    nodes = [NamedNode(f"https://x.example/{local}") for local in ("a", "a-b", "a/b", "ab", "a.b", "b")]
    objects = nodes + [Literal("a b"), Literal("a"), Literal("a", language="da"), Literal("1", datatype=XSD.integer)]
    triples = [Triple(s, p, o) for s in nodes for p in (A, RDFS.label, nodes[0], nodes[1]) for o in objects]
    random.Random(1).shuffle(triples)
    assert sorted(triples, key=sort_key) == sorted(triples, key=reference_key)


def test_cached_slugs_are_the_slugs(meeting):
    decisions = [it.decision for it in meeting.items if it.decision]
    people = [a.person for d in decisions for a in d.absences] + [
        p for d in decisions for v in d.votes for p in v.voters_for + v.voters_against + v.abstainers]
    people += [p for d in decisions for a in d.amendments for p in a.proposers]
    names = [meeting.committee, meeting.place or ""] + [x for p in people for x in (p.name, p.role or "", p.party or "")]
    names += [it.recommendation.recommender or "" for it in meeting.items if it.recommendation]
    assert len(set(names)) > 5
    for name in names * 2:
        assert slug(name) == slug.__wrapped__(name)


def test_cached_integer_literals_are_the_literals():
    for n in [*range(-2, 2000), 10**12] * 2:
        assert _int(n) == Literal(str(n), datatype=XSD.integer)
