"""Stage 5b — link: what ties meetings and items together (see ``docs/linking.md``).

Works on the parsed model (:class:`~referatgraph.model.Meeting`), one meeting at a time, so that
a build streams: :func:`link_meeting` finds the links of one meeting and returns them as records
and triples; :class:`Linker` keeps only a small record per treatment that has a case number and,
at the end of the stream, orders the treatments of each case into a timeline.

What is linked:

* case timelines — the treatments of one journal number, by date and item number;
* references by date — "på mødet den 29. november 2022" → that meeting of the body meant;
* references inside a meeting — "jævnfør sag nr. 10", "i en særskilt sag på dette møde";
* appointed groups — an expert group, its members, chair, commission, numbered recommendations,
  and the initiatives reported per recommendation; numbered recommendation lists in an item;
* KLE — the topic and action facet of every journal number as SKOS concepts (``kle.py``).

Every link is asserted as a plain triple and recorded once more as an ``rg:Link`` (an
``rdf:Statement``) with its method, its verbatim evidence and the source line, so a user can
judge it. Precision first: a link is made only where the text says so; a doubtful one is left
out. Every Danish phrase recognised here is in ``phrases.py``.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby, pairwise
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from pyoxigraph import Literal, NamedNode, Triple

from . import kle
from . import phrases as P
from .iris import Minter
from .map import _da, _int, _str
from .model import AgendaItem, Block, CaseNumber, Meeting, Outcome, SectionKind, Span
from .parse import split_sentences
from .vocab import BESLUIT, DCT, ELI, FOAF, ORG, PERSON, PROV, RDF, RDFS, RG, SCHEMA, SKOS, XSD

A = RDF.type

#: The methods a link can be found by (rg:method).
METHODS = ("journal number", "date reference", "title reference", "explicit number", "list", "phrase")
#: Kinds of resource that live across meetings: published once in the dataset's shared part.
SHARED_KINDS = ("group", "numbered-recommendation", "initiative", "kle-topic", "kle-facet", "scheme")


@dataclass(frozen=True)
class Link:
    """One link found, with how and on what evidence; ``key`` describes it readably."""

    kind: str  # "case timeline", "date reference", "item reference", "group set up", …
    method: str  # one of METHODS
    evidence: str  # the sentence (or list line, title, journal number) it was read from
    line: int  # first line of that text in the source file
    subject: str
    predicate: str
    object: str
    key: tuple = ()
    direction: str | None = None


@dataclass(frozen=True)
class GroupMention:
    """An appointed group an item sets up or reports on, as the cross-meeting join of groups
    (:func:`join_groups`) needs it: its kind and IRI, whether the item sets it up, and the
    meetings a sentence of the item that names the kind refers to by date (back), with that
    sentence and its line."""

    noun: str  # "ekspertgruppe"
    group: str  # its IRI (kind and the journal number of the item)
    set_up: bool
    refs: tuple[tuple[str, str, int], ...] = ()  # (meeting IRI, sentence, line)


@dataclass(frozen=True)
class TimelineEntry:
    """The little a timeline needs of one treatment (kept for every treatment of a build), with
    the groups the item sets up or reports on (for the join of groups across meetings)."""

    case: str
    date: dt.date
    number: int
    treatment: str
    document: str
    conversion: str
    line: int
    meeting: str = ""
    groups: tuple[GroupMention, ...] = ()


@dataclass
class MeetingLinks:
    links: list[Link] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    #: Meetings referred to and described here (date and body), not converted here.
    stubs: set[NamedNode] = field(default_factory=set)
    treatments: list[TimelineEntry] = field(default_factory=list)


# --- references by date ------------------------------------------------------------------------


@dataclass(frozen=True)
class DateReference:
    body: str  # "Beskæftigelses- og Socialudvalget", "Byrådet", "Økonomiudvalget"
    date: dt.date
    direction: str  # "back" | "forward"
    pattern: str  # name of the phrases.DATE_REFERENCES pattern that found it


def body_name(text: str, committee: str) -> str:
    """A body as named in the text, in the nominative: "Økonomiudvalgs" → "Økonomiudvalget";
    "udvalget", "Udvalgenes" and the committee's own name → ``committee``."""
    t = " ".join(text.split())
    if P.LINK_BODY_GENERIC.match(t):
        return committee
    m = P.LINK_BODY_ENDING.search(t)
    if m is None:
        return t
    stem, root = t[: m.start()], m["root"]
    if root.casefold() in ("byråd", "kommunalbestyrelse") and not stem.strip():
        return {"byråd": "Byrådet", "kommunalbestyrelse": "Kommunalbestyrelsen"}[root.casefold()]
    name = f"{stem}{root}et"
    return committee if name.casefold() == committee.casefold() else name


def _coordinated(matches: list, sentence: str, first: int, step: int) -> list:
    """The body match at index ``first`` and its neighbours joined to it by "og"."""
    out = [matches[first]]
    k = first
    while 0 <= k + step < len(matches):
        a, b = (matches[k], matches[k + step]) if step > 0 else (matches[k + step], matches[k])
        if sentence[a.end() : b.start()].strip() != "og":
            break
        k += step
        out.append(matches[k])
    return sorted(out, key=lambda m: m.start())


def _bodies(m, name: str, sentence: str, committee: str) -> list[str]:
    groups = m.groupdict()
    if groups.get("gen"):
        return [body_name(groups["gen"], committee)]
    if groups.get("bodies"):
        return [body_name(b.group(), committee) for b in P.LINK_BODY.finditer(groups["bodies"])]
    if name == "administration":
        return [committee]
    if (groups.get("noun") or "").casefold().startswith("byråd"):
        return ["Byrådet"]
    # A meeting named without its body: the body nearest before it in the sentence (the subject,
    # "Udvalget drøftede på mødet den …"), else the first after it ("På mødet den … besluttede
    # Økonomiudvalget"), else the committee whose minutes these are.
    found = list(P.LINK_BODY.finditer(sentence))
    before = [k for k, b in enumerate(found) if b.end() <= m.start()]
    after = [k for k, b in enumerate(found) if b.start() >= m.end()]
    if before:
        chosen = _coordinated(found, sentence, before[-1], -1)
    elif after:
        chosen = _coordinated(found, sentence, after[0], 1)
    else:
        return [committee]
    return [body_name(b.group(), committee) for b in chosen]


def _tense(prefix: str) -> str | None:
    if P.FUTURE_TENSE.search(prefix):
        return "future"
    if P.PAST_TENSE.search(prefix):
        return "past"
    return None


def _two_digit_year(yy: int, meeting_date: dt.date) -> int:
    """A two-digit year ("den 12.3.24") in the century that puts it nearest the meeting's year
    (on a tie, 50 years either way, the earlier): "24" in minutes of 2024 is 2024, "98" in
    minutes of 2001 is 1998, "17" in minutes of 2099 is 2117."""
    century = meeting_date.year // 100 * 100
    return min((century - 100 + yy, century + yy, century + 100 + yy), key=lambda y: (abs(y - meeting_date.year), y))


def _resolve(d, meeting_date: dt.date, prefix: str) -> dt.date | None:
    """The date of a LINK_DATE match (month name or digits only), checked with datetime (so
    "31.2.2024" is no date); without a year, the tense of the sentence places it."""
    if d["nday"]:
        year = int(d["nyear"])
        if len(d["nyear"]) == 2:
            year = _two_digit_year(year, meeting_date)
        try:
            return dt.date(year, int(d["nmonth"]), int(d["nday"]))
        except ValueError:
            return None
    day, month = int(d["day"]), P.MONTHS[d["month"].casefold()]
    if d["year"]:
        try:
            return dt.date(int(d["year"]), month, day)
        except ValueError:
            return None
    tense = _tense(prefix)
    if tense is None:
        return None
    candidates = []
    for year in (meeting_date.year - 1, meeting_date.year, meeting_date.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            pass
    if tense == "past":
        return max((c for c in candidates if c < meeting_date), default=None)
    return min((c for c in candidates if c > meeting_date), default=None)


def date_references(sentence: str, committee: str, meeting_date: dt.date) -> list[DateReference]:
    """The meetings a sentence of the minutes of ``committee`` (held ``meeting_date``) names by date.

    A meeting of the committee on the meeting's own date (the meeting itself) is not a reference.
    """
    found: dict[tuple[str, dt.date], DateReference] = {}
    if not P.LINK_DATE.search(sentence):  # most sentences name no date: nothing to try
        return []
    for name, pattern in P.DATE_REFERENCES:
        for m in pattern.finditer(sentence):
            if name == "body-verb" and P.REFERENCE_GAP_STOP.search(m["gap"]):
                continue
            bodies = _bodies(m, name, sentence, committee)
            prefix = sentence[: m.end()]
            start = m.start("dates")
            for d in P.LINK_DATE.finditer(m["dates"]):
                if P.DATE_NOT_A_MEETING.search(sentence[: start + d.start()]):
                    continue
                date = _resolve(d, meeting_date, prefix)
                if date is None:
                    continue
                for body in bodies:
                    if date == meeting_date and body == committee:
                        continue
                    if date != meeting_date:
                        direction = "back" if date < meeting_date else "forward"
                    else:  # another body, the same day: the tense says which way
                        direction = {"past": "back", "future": "forward"}.get(_tense(prefix) or "")
                    if direction:
                        found.setdefault((body, date), DateReference(body, date, direction, name))
    return list(found.values())


# --- references inside a meeting ---------------------------------------------------------------


def title_words(text: str) -> list[str]:
    return [w for w in P.TITLE_WORD.findall(text.casefold()) if w not in P.TITLE_STOPWORDS]


def title_coverage(title: str, text: str) -> float:
    """The share of the title's words that ``text`` contains (0 when the title has fewer than 2)."""
    words = title_words(title)
    if len(words) < 2:
        return 0.0
    have = set(title_words(text))
    return sum(1 for w in words if w in have) / len(words)


def _norm_title(text: str) -> str:
    return " ".join(P.TITLE_WORD.findall(text.casefold()))


def item_references(sentence: str, item: AgendaItem, items: dict[int, AgendaItem]) -> list[tuple[int, str]]:
    """Other items of the same meeting a sentence of ``item`` refers to: (number, method)."""
    folded = sentence.casefold()
    if not any(map(folded.__contains__, P.ITEM_REFERENCE_WORDS)):
        return []  # most sentences: none of the patterns can match
    out: dict[int, str] = {}
    for m in P.ITEM_REFERENCE_NUMBER.finditer(sentence):
        n = int(m["number"])
        target = items.get(n)
        if target is None or n == item.number:
            continue
        if (m["noun"].casefold() == "punkt" or P.LINK_DATE.search(sentence)) and not P.SAME_MEETING.search(sentence):
            continue  # "punkt 2" of the recommendation, or an item of the meeting on that date
        if m["about"] and title_coverage(target.title, m["about"]) < 0.6:
            continue  # "sag nr. 10 om …" describes another item than number 10
        out.setdefault(n, "explicit number")
    for m in P.ITEM_REFERENCE_TITLE.finditer(sentence):
        quoted = _norm_title(m["title"])
        hits = [
            it for it in items.values()
            if it.number != item.number and quoted
            and (_norm_title(it.title).startswith(quoted) or quoted.startswith(_norm_title(it.title)))
        ]
        if len(hits) == 1:
            out.setdefault(hits[0].number, "title reference")
    if P.ITEM_REFERENCE_SEPARATE.search(sentence):
        scores = sorted(
            ((title_coverage(it.title, sentence), it.number) for it in items.values() if it.number != item.number),
            reverse=True,
        )
        if scores and scores[0][0] >= 0.8 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            out.setdefault(scores[0][1], "title reference")
    return sorted(out.items())


# --- the text of an item ---------------------------------------------------------------------


class Unit(NamedTuple):
    """A piece of an item's text in reading order: the title, a heading, a paragraph, a list line."""

    text: str
    span: Span
    kind: str  # "title" | "heading" | "paragraph" | "entry"
    section: int  # index of the section (-1 for the title)
    section_kind: SectionKind | None = None


def _block_units(blocks: Iterable[Block], k: int, kind: SectionKind) -> Iterator[Unit]:
    for b in blocks:
        if b.kind == "paragraph" and b.text:
            yield Unit(b.text, b.span, "paragraph", k, kind)
        elif b.kind == "list":
            for e in b.entries:
                yield Unit(e.text, e.span, "entry", k, kind)
        # tables hold figures, not sentences


def units(it: AgendaItem) -> Iterator[Unit]:
    yield Unit(it.title, Span(it.span.first, it.span.first), "title", -1)
    for k, sec in enumerate(it.sections):
        yield from _block_units(sec.blocks, k, sec.kind)
        for sub in sec.subsections:
            yield Unit(sub.heading, Span(sub.span.first, sub.span.first), "heading", k, sec.kind)
            yield from _block_units(sub.blocks, k, sec.kind)


def sentences(us: Iterable[Unit]) -> Iterator[tuple[str, Unit]]:
    for u in us:
        for s in split_sentences(u.text):
            yield s, u


# --- one meeting -----------------------------------------------------------------------------


def link_meeting(meeting: Meeting, minter: Minter) -> MeetingLinks:
    """Every link that one meeting's minutes show (timelines are made by :class:`Linker`)."""
    return _Finder(meeting, minter).run()


class _Finder:
    def __init__(self, meeting: Meeting, minter: Minter):
        self.m = meeting
        self.minter = minter
        self.key = minter.meeting_key(meeting.committee, meeting.date)
        self.meeting = minter.meeting(meeting.committee, meeting.date)
        self.doc = minter.document(meeting.source.file_name)
        self.conversion = minter.conversion(self.key)
        self.items = {it.number: it for it in meeting.items}
        self.out = MeetingLinks()
        self._seen: set[tuple[str, str, str]] = set()
        self.mentions: list[GroupMention] = []  # the groups of the item being read

    def add(self, s, p, o) -> None:
        self.out.triples.append(Triple(s, p, o))

    def record(self, s: NamedNode, p: NamedNode, o: NamedNode, *, kind: str, method: str, evidence: str,
               span: Span, key: tuple, direction: str | None = None, date: dt.date | None = None) -> bool:
        """Assert ``s p o`` and record it as an rg:Link; the first evidence found wins."""
        if (s.value, p.value, o.value) in self._seen:
            return False
        self._seen.add((s.value, p.value, o.value))
        triples = link_triples(self.minter, s, p, o, method, evidence, self.doc, self.conversion, span.first, span.last)
        self.out.triples += triples
        node = triples[-1].subject  # the link record
        if direction:
            self.add(node, RG.direction, _str(direction))
        if date:
            self.add(node, RG.referencedDate, Literal(date.isoformat(), datatype=XSD.date))
        self.out.links.append(Link(kind, method, evidence, span.first, s.value, p.value, o.value, key, direction))
        return True

    def run(self) -> MeetingLinks:
        for it in self.m.items:
            node = self.minter.item(self.key, it.number)
            us = list(units(it))
            ss = list(sentences(us))
            if it.case_number is not None and it.case_number.is_kle:
                self.kle(it, node, it.case_number)
            self.date_references(it, node, ss)
            self.item_references(it, node, ss)
            self.mentions: list[GroupMention] = []
            groups = self.groups(it, node, us, ss)
            self.recommendation_list(it, node, groups)
            if it.case_number is not None:
                self.timeline_entry(it, tuple(self.mentions))
        return self.out

    # --- case timelines and KLE ------------------------------------------------------------

    def timeline_entry(self, it: AgendaItem, groups: tuple[GroupMention, ...]) -> None:
        t = self.minter.treatment(self.key, it.number)
        self.out.treatments.append(
            TimelineEntry(it.case_number.text, self.m.date, it.number, t.value, self.doc.value, self.conversion.value,
                          it.span.first, self.meeting.value, groups)
        )

    def kle(self, it: AgendaItem, node: NamedNode, cn: CaseNumber) -> None:
        case = self.minter.case(cn.text)
        topic, facet = self.minter.kle_topic(cn.kle_topic), self.minter.kle_facet(cn.kle_facet)
        self.out.triples.extend(kle.concept_triples(self.minter, cn.kle_topic, cn.kle_facet))
        self.add(case, RG.kleTopic, topic)
        self.add(case, RG.kleActionFacet, facet)
        self.record(node, ELI.is_about, topic, kind="KLE topic", method="journal number", evidence=cn.text,
                    span=Span(it.span.first, it.span.first), key=("KLE topic", self.m.date.isoformat(), it.number, cn.kle_topic))

    # --- references ------------------------------------------------------------------------

    def stub(self, meeting: NamedNode, body: str, date: dt.date) -> None:
        """What a reference needs to know of the meeting it points to: its date and body."""
        b = self.minter.body(body)
        self.add(meeting, DCT.date, Literal(date.isoformat(), datatype=XSD.date))
        self.add(meeting, BESLUIT.isGehoudenDoor, b)
        if body != self.m.committee:
            self.add(b, A, ORG.Organization)
            self.add(b, SKOS.prefLabel, _da(body))
        self.out.stubs.add(meeting)

    def date_references(self, it: AgendaItem, node: NamedNode, ss: list[tuple[str, Unit]]) -> None:
        for sentence, u in ss:
            for ref in date_references(sentence, self.m.committee, self.m.date):
                target = self.minter.meeting(ref.body, ref.date)
                key = ("date reference", self.m.date.isoformat(), it.number, ref.body, ref.date.isoformat(), ref.direction)
                if self.record(node, RG.referencesMeeting, target, kind="date reference", method="date reference",
                               evidence=sentence, span=u.span, key=key, direction=ref.direction, date=ref.date):
                    self.stub(target, ref.body, ref.date)

    def item_references(self, it: AgendaItem, node: NamedNode, ss: list[tuple[str, Unit]]) -> None:
        for sentence, u in ss:
            for n, method in item_references(sentence, it, self.items):
                direction = "back" if n < it.number else "forward"
                key = ("item reference", self.m.date.isoformat(), it.number, n, direction)
                self.record(node, DCT.references, self.minter.item(self.key, n), kind="item reference",
                            method=method, evidence=sentence, span=u.span, key=key, direction=direction)

    # --- appointed groups --------------------------------------------------------------------

    def groups(self, it: AgendaItem, node: NamedNode, us: list[Unit], ss: list[tuple[str, Unit]]) -> dict[str, NamedNode]:
        """The groups an item sets up (in an approved Indstilling/Beslutning) or reports on (named
        in its title), keyed by the case it is treated under; their members, chair, commission,
        numbered recommendations and the initiatives reported for them."""
        if it.case_number is None:
            return {}
        titled = {m["noun"].casefold() for m in P.GROUP_NOUN.finditer(it.title)}
        setup: dict[str, tuple[str, Unit]] = {}
        approved = it.decision is not None and it.decision.outcome in (Outcome.APPROVED, Outcome.RECOMMENDED)
        if approved:  # the Beslutning's own words first, then the Indstilling it approves
            for kind in (SectionKind.DECISION, SectionKind.RECOMMENDATION):
                for sentence, u in ((s, u) for s, u in ss if u.section_kind is kind):
                    for m in P.GROUP_SETUP.finditer(sentence):
                        setup.setdefault(m["noun"].casefold(), (sentence, u))
        nouns = sorted(titled | set(setup))
        groups = {noun: self.minter.group(noun, it.case_number.text) for noun in nouns}
        for noun, g in groups.items():
            tail = g.value.rsplit("/", 1)[-1]
            self.add(g, A, RG.Group)
            self.add(g, A, ORG.Organization)
            labelled = False
            for m in P.GROUP_NAME.finditer(it.title):
                if P.GROUP_NOUN.match(m.group())["noun"].casefold() == noun:
                    self.add(g, RDFS.label, _da(m.group().strip()))
                    labelled = True
            if noun in setup:
                sentence, u = setup[noun]
                if it.decision is not None:
                    self.record(g, RG.setUpBy, self.minter.decision(self.key, it.number), kind="group set up",
                                method="phrase", evidence=sentence, span=u.span,
                                key=("group set up", tail, self.m.date.isoformat(), it.number))
                for k, att in enumerate(it.attachments, start=1):
                    cm = P.COMMISSION.match(att.title)
                    gm = cm and P.GROUP_NOUN.search(cm["name"])
                    if gm and gm["noun"].casefold() == noun:
                        name = cm["name"].strip(" –-:")
                        self.add(g, SKOS.prefLabel, _da(name))
                        self.add(g, RDFS.label, _da(name))
                        labelled = True
                        self.record(g, RG.commission, self.minter.attachment(self.key, it.number, k),
                                    kind="commission", method="title reference", evidence=att.title,
                                    span=att.span, key=("commission", tail, att.title))
            if noun in titled:
                self.record(node, RG.reportsOn, g, kind="group report", method="title reference",
                            evidence=it.title, span=Span(it.span.first, it.span.first),
                            key=("group report", tail, self.m.date.isoformat(), it.number))
            if not labelled:
                topic = it.title.split(". ", 1)[0].strip()
                self.add(g, RDFS.label, _da(f"{noun.capitalize()} ({topic})"))
        for noun, g in groups.items():
            self.mentions.append(GroupMention(noun, g.value, noun in setup, self.group_refs(noun, ss)))
        if groups:
            self.members(it, us, groups)
            self.chairs(ss, groups)
        if len(groups) == 1:
            g = next(iter(groups.values()))
            self.group_recommendations(it, node, us, ss, g)
        return groups

    def group_refs(self, noun: str, ss: list[tuple[str, Unit]]) -> tuple[tuple[str, str, int], ...]:
        """Earlier meetings named by date in the item's sentences that name a group of this kind:
        "På mødet den 24. oktober 2023 godkendte udvalget forvaltningens forslag til udmøntning af
        Ekspertgruppens anbefalinger" (the join of groups across meetings reads them)."""
        out: dict[str, tuple[str, str, int]] = {}
        for sentence, u in ss:
            if not any(m["noun"].casefold() == noun for m in P.GROUP_NOUN.finditer(sentence)):
                continue
            for ref in date_references(sentence, self.m.committee, self.m.date):
                if ref.direction == "back":
                    target = self.minter.meeting(ref.body, ref.date).value
                    out.setdefault(target, (target, sentence, u.span.first))
        return tuple(out.values())

    def person(self, name: str) -> NamedNode:
        p = self.minter.person(name)
        self.add(p, A, PERSON.Person)
        self.add(p, A, FOAF.Person)
        self.add(p, FOAF.name, _str(name))
        return p

    def membership(self, person: NamedNode, name: str, org: NamedNode, org_name: str, role: str, evidence: str,
                   method: str) -> None:
        ms = self.minter.membership(name, org_name)
        r = self.minter.role(role)
        self.add(ms, A, ORG.Membership)
        self.add(person, ORG.hasMembership, ms)
        self.add(ms, ORG.member, person)
        self.add(ms, ORG.organization, org)
        self.add(ms, ORG.role, r)
        self.add(r, A, ORG.Role)
        self.add(r, SKOS.prefLabel, _da(role))
        self.add(ms, RG.attestedAt, self.meeting)
        self.add(ms, RG.evidence, _da(evidence))
        self.add(ms, RG.method, _str(method))

    def affiliation(self, person: NamedNode, name: str, role: str | None, organisation: str | None, evidence: str,
                    method: str) -> None:
        """The member's own organisation and job title, as written: "seniorforsker, VIVE"."""
        if not organisation:
            return
        org = self.minter.body(organisation)
        self.add(org, A, ORG.Organization)
        self.add(org, SKOS.prefLabel, _da(organisation))
        self.membership(person, name, org, organisation, role or "Ansat", evidence, method)

    def members(self, it: AgendaItem, us: list[Unit], groups: dict[str, NamedNode]) -> None:
        intro: NamedNode | None = None
        for u in us:
            if u.kind == "paragraph":
                intro = None
                last = split_sentences(u.text)[-1] if u.text else ""
                if P.MEMBER_LIST_INTRO.search(last):
                    named = [m["noun"].casefold() for m in P.GROUP_NOUN.finditer(last)]
                    nouns = [n for n in named if n in groups] or (list(groups) if len(groups) == 1 else [])
                    intro = groups[nouns[0]] if len(set(nouns)) == 1 else None
            elif u.kind == "entry" and intro is not None:
                m = P.MEMBER_LINE.match(u.text.strip())
                if m is None:
                    continue
                name, role, organisation = m["name"], m["role"].strip(), m["organisation"].strip()
                tail = intro.value.rsplit("/", 1)[-1]
                p = self.person(name)
                self.membership(p, name, intro, tail, "Medlem", u.text.strip(), "list")
                self.affiliation(p, name, role, organisation, u.text.strip(), "list")
                self.out.links.append(Link("member", "list", u.text.strip(), u.span.first, p.value, ORG.organization.value,
                                           intro.value, ("member", tail, name, role, organisation)))
            else:
                intro = None

    def chairs(self, ss: list[tuple[str, Unit]], groups: dict[str, NamedNode]) -> None:
        for sentence, u in ss:
            for m in P.GROUP_CHAIR.finditer(sentence):
                gm = P.GROUP_NOUN.match(m["group"])
                g = groups.get(gm["noun"].casefold()) if gm else None
                if g is None:
                    continue
                tail = g.value.rsplit("/", 1)[-1]
                name = m["name"]
                p = self.person(name)
                title = P.CHAIR_TITLES.get(m["title"].casefold(), m["title"])
                self.membership(p, name, g, tail, title, sentence, "phrase")
                self.affiliation(p, name, m["role"], m["organisation"], sentence, "phrase")
                self.record(p, ORG.headOf, g, kind="chair", method="phrase", evidence=sentence, span=u.span,
                            key=("chair", tail, name, m["role"], m["organisation"]))

    def recommendation(self, owner: NamedNode, k: int, *, group: bool, evidence: str, method: str, span: Span,
                       text: str | None = None, action: str | None = None, item: NamedNode | None = None) -> NamedNode:
        rec = self.minter.numbered_recommendation(owner, k)
        self.add(rec, A, RG.NumberedRecommendation)
        self.add(rec, SCHEMA.position, _int(k))
        self.add(rec, RDFS.label, _da(f"Anbefaling {k}"))
        self.add(rec, RG.recommendationOf if group else RG.statedIn, owner if group else item)
        self.add(rec, RG.evidence, _da(evidence))
        self.add(rec, RG.method, _str(method))
        if text:
            self.add(rec, RG.text, _str(text))
        if action:
            self.add(rec, RG.action, _str(action))
        tail = owner.value.rsplit("/", 1)[-1]
        kind = "recommendation" if group else "recommendation list"
        self.out.links.append(Link(kind, method, evidence, span.first, rec.value,
                                   (RG.recommendationOf if group else RG.statedIn).value,
                                   (owner if group else item).value, (kind, tail, k)))
        return rec

    def group_recommendations(self, it: AgendaItem, node: NamedNode, us: list[Unit], ss: list[tuple[str, Unit]],
                              g: NamedNode) -> None:
        for sentence, u in ss:
            count = P.RECOMMENDATION_COUNT.search(sentence)
            if count and P.GROUP_NOUN.search(sentence) and 0 < int(count["count"]) <= 50:
                for k in range(1, int(count["count"]) + 1):
                    self.recommendation(g, k, group=True, evidence=sentence, method="explicit number", span=u.span)
            for m in P.RECOMMENDATION_TEXT.finditer(sentence):
                self.recommendation(g, int(m["number"]), group=True, evidence=sentence, method="explicit number",
                                    span=u.span, text=m["text"].strip())
        self.initiatives(it, node, us, g)

    def initiatives(self, it: AgendaItem, node: NamedNode, us: list[Unit], g: NamedNode) -> None:
        """Initiatives with the recommendations they implement ("… (anbefaling 2 og 8)") and the
        status written under each, up to the next heading or the end of the section."""
        current: dict | None = None
        count = 0

        def flush(c: dict | None) -> None:
            if c is None:
                return
            ini = self.minter.initiative(g, c["title"])
            self.add(ini, A, RG.Initiative)
            self.add(ini, DCT.title, _str(c["title"]))
            self.add(ini, RG.initiativeOf, g)
            tail = g.value.rsplit("/", 1)[-1]
            for n in c["numbers"]:
                rec = self.recommendation(g, n, group=True, evidence=c["unit"].text.strip(), method="list", span=c["unit"].span)
                self.record(ini, RG.implements, rec, kind="initiative", method="list", evidence=c["unit"].text.strip(),
                            span=c["unit"].span, key=("initiative", tail, c["title"], n))
            if c["status"]:
                st = self.minter.status_report(self.key, it.number, c["k"])
                self.add(st, A, RG.StatusReport)
                self.add(st, RG.statusOf, ini)
                self.add(st, RG.statedIn, node)
                self.add(st, DCT.date, Literal(self.m.date.isoformat(), datatype=XSD.date))
                self.add(st, RG.text, _str("\n".join(x.text for x in c["status"])))
                self.add(st, PROV.wasDerivedFrom, self.doc)
                self.add(st, PROV.wasGeneratedBy, self.conversion)
                self.add(st, RG.firstLine, _int(c["status"][0].span.first))
                self.add(st, RG.lastLine, _int(max(x.span.last for x in c["status"])))

        for u in us:
            if u.kind == "title":
                continue
            m = P.INITIATIVE.match(u.text.strip())
            if m:
                flush(current)
                count += 1
                numbers = sorted({int(x) for x in P.RECOMMENDATION_NUMBER.findall(m["numbers"])})
                current = {"title": m["title"].strip(), "numbers": numbers, "unit": u, "status": [], "k": count}
            elif current is not None:
                if u.kind == "heading" or u.section != current["unit"].section:
                    flush(current)
                    current = None
                else:
                    current["status"].append(u)
        flush(current)

    def recommendation_list(self, it: AgendaItem, node: NamedNode, groups: dict[str, NamedNode]) -> None:
        """A numbered list of recommendations with actions: "Anbefaling 1" … "Handling" …"""
        subs = [sub for sec in it.sections for sub in sec.subsections]
        heads = [k for k, sub in enumerate(subs) if P.RECOMMENDATION_HEADING.match(sub.heading)]
        if len(heads) < 2:
            return
        group = next(iter(groups.values())) if len(groups) == 1 else None
        for k in heads:
            sub = subs[k]
            number = int(P.RECOMMENDATION_HEADING.match(sub.heading)["number"])
            text = "\n\n".join(b.text for b in sub.blocks if b.text)
            action = None
            if k + 1 < len(subs) and P.ACTION_HEADING.match(subs[k + 1].heading):
                act = subs[k + 1]
                if any(b.text for b in act.blocks):
                    action = "\n\n".join(b.text for b in act.blocks if b.text)
                elif k + 2 < len(subs) and not P.RECOMMENDATION_HEADING.match(subs[k + 2].heading):
                    nxt = subs[k + 2]
                    action = "\n\n".join([nxt.heading] + [b.text for b in nxt.blocks if b.text])
            evidence = f"{sub.heading}: {text}" if text else sub.heading
            self.recommendation(group or node, number, group=group is not None, evidence=evidence, method="list",
                                span=sub.span, text=text or None, action=action, item=node)


# --- across meetings ---------------------------------------------------------------------------


def link_triples(minter: Minter, s: NamedNode, p: NamedNode, o: NamedNode, method: str, evidence: str,
                 document: NamedNode, conversion: NamedNode, first: int, last: int) -> list[Triple]:
    """``s p o`` and its rg:Link record (an rdf:Statement): how it was found (``method``), the
    text that says it, the source document, conversion and lines."""
    node = minter.link(s, p.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o)
    return [Triple(s, p, o)] + [Triple(node, q, v) for q, v in (
        (A, RG.Link), (A, RDF.Statement), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o),
        (RG.method, _str(method)), (RG.evidence, _da(evidence)), (PROV.wasDerivedFrom, document),
        (PROV.wasGeneratedBy, conversion), (RG.firstLine, _int(first)), (RG.lastLine, _int(last)),
    )]


def timeline(entries: Iterable[TimelineEntry], minter: Minter) -> MeetingLinks:
    """Each case's treatments in order (date, item number), linked previous ↔ next."""
    by_case: dict[str, list[TimelineEntry]] = {}
    for e in entries:
        by_case.setdefault(e.case, []).append(e)
    out = MeetingLinks()
    add = lambda s, p, o: out.triples.append(Triple(s, p, o))
    for case in sorted(by_case):
        series = sorted(by_case[case], key=lambda e: (e.date, e.number))
        if len(series) < 2:
            continue
        for e in series:
            add(NamedNode(e.treatment), DCT.date, Literal(e.date.isoformat(), datatype=XSD.date))
        for a, b in pairwise(series):
            ta, tb = NamedNode(a.treatment), NamedNode(b.treatment)
            add(ta, RG.nextInCase, tb)
            out.triples += link_triples(minter, tb, RG.previousInCase, ta, "journal number", case,
                                        NamedNode(b.document), NamedNode(b.conversion), b.line, b.line)
            out.links.append(Link("case timeline", "journal number", case, b.line, tb.value, RG.previousInCase.value, ta.value,
                                  ("case timeline", case, (a.date.isoformat(), a.number), (b.date.isoformat(), b.number))))
    return out


def join_groups(entries: Iterable[TimelineEntry], minter: Minter) -> tuple[MeetingLinks, list[str]]:
    """Groups reported on under another journal number than the one they were set up (or first
    reported) under, joined to that group: ``group rg:sameGroupAs group``, with its rg:Link.

    A group's IRI is made of its kind and the journal number of the item (``Minter.group``), and
    a meeting is converted without seeing the others, so a report filed under another number
    mints a second IRI for the same group. Both IRIs stay (stable, readable, the same whatever
    the order of conversion); this joins them, here in the build's process, on this evidence only:

    * the later group is not set up by its own item (a group set up is a new group);
    * a sentence of an item reporting on it names the kind of group and refers by date to an
      earlier meeting of the dataset ("På mødet den 24. oktober 2023 godkendte udvalget
      forvaltningens forslag til udmøntning af Ekspertgruppens anbefalinger"), and exactly one
      group of that kind was set up or reported on there (another IRI than its own).

    When the meetings referred to point to more than one group of the kind (two expert groups
    treated at one meeting, or different groups at different meetings), nothing is joined and the
    case is returned as a message. A group's name is not evidence: the same group is named
    differently ("Ekspertgruppe for at flere odenseanere med indvandrerbaggrund kommer i arbejde",
    "Ekspertgruppen for ikke-vestlige i job"). Deterministic: groups in order of their first
    treatment (date, item number), evidence in order of the treatment and line.
    """
    entries = sorted(entries, key=lambda e: (e.date, e.number, e.treatment))
    at: dict[tuple[str, str], set[str]] = {}  # (meeting, kind) → the groups treated there
    treated: dict[str, list[tuple[TimelineEntry, GroupMention]]] = {}  # group → its treatments, in order
    for e in entries:
        for gm in e.groups:
            at.setdefault((e.meeting, gm.noun), set()).add(gm.group)
            treated.setdefault(gm.group, []).append((e, gm))
    root: dict[str, str] = {}  # a group joined → the group it is joined to, transitively

    def find(g: str) -> str:
        while g in root:
            g = root[g]
        return g

    out, problems = MeetingLinks(), []
    for group, seen in sorted(treated.items(), key=lambda kv: (kv[1][0][0].date, kv[1][0][0].number, kv[0])):
        if any(gm.set_up for _, gm in seen):
            continue  # set up by an item of its own: a group of its own
        noun = seen[0][1].noun
        evidence: dict[str, tuple[str, int, TimelineEntry]] = {}  # group referred to → first evidence
        for e, gm in seen:
            for meeting, sentence, line in gm.refs:
                for g in sorted(at.get((meeting, noun), set()) - {group}):
                    evidence.setdefault(g, (sentence, line, e))
        joined = {find(g) for g in evidence} - {group}
        if not joined:
            continue
        if len(joined) > 1:
            problems.append(f"{group}: the earlier meetings its items refer to treat {len(joined)} groups of the kind "
                            f"{noun!r} ({', '.join(sorted(joined))}): not joined")
            continue
        root[group] = joined.pop()
        target, (sentence, line, src) = next(iter(evidence.items()))
        g, t = NamedNode(group), NamedNode(target)
        out.triples += link_triples(minter, g, RG.sameGroupAs, t, "date reference", sentence,
                                    NamedNode(src.document), NamedNode(src.conversion), line, line)
        tail = lambda iri: iri.rsplit("/", 1)[-1]
        out.links.append(Link("same group", "date reference", sentence, line, g.value, RG.sameGroupAs.value, t.value,
                              ("same group", tail(group), tail(target))))
    return out, problems


def with_links(triples: list[Triple], found: MeetingLinks) -> list[Triple]:
    """A meeting's triples followed by those of its links (each triple once)."""
    have = set(triples)
    return triples + [t for t in dict.fromkeys(found.triples) if t not in have]


class Linker:
    """Links meetings as a build streams them: per meeting, then the timelines at the end.

    Keeps one :class:`TimelineEntry` per treatment with a case number, in an SQLite table (a
    file at ``path``, else in memory), so that the build's process does not grow with the
    corpus; in memory only those that name a group (few).
    """

    def __init__(self, minter: Minter, path: Path | None = None):
        self.minter = minter
        self._db = sqlite3.connect(str(path) if path else ":memory:", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE treatment (n INTEGER PRIMARY KEY, case_number TEXT NOT NULL, entry BLOB NOT NULL)")
        self._groups: list[TimelineEntry] = []  # the entries of items that name a group
        #: Meetings the last meeting referred to (published in the shared part).
        self.stubs: set[NamedNode] = set()
        #: After :meth:`finish`: groups not joined because the evidence points to several.
        self.ambiguous: list[str] = []

    def extend(self, meeting: Meeting, triples: list[Triple]) -> list[Triple]:
        """The meeting's triples followed by those of its links (each triple once)."""
        found = link_meeting(meeting, self.minter)
        self.add(found.treatments)
        self.stubs = found.stubs
        return with_links(triples, found)

    def add(self, treatments: Iterable[TimelineEntry]) -> None:
        """Remember treatments for the timelines (of a meeting linked elsewhere: a worker)."""
        treatments = list(treatments)
        self._db.executemany("INSERT INTO treatment (case_number, entry) VALUES (?, ?)",
                             [(e.case, pickle.dumps(e, pickle.HIGHEST_PROTOCOL)) for e in treatments])
        self._groups += [e for e in treatments if e.groups]

    def finish(self) -> Iterator[Triple]:
        """What only the whole corpus knows: the timelines of the cases treated more than once,
        and the groups reported on under another journal number joined to theirs (read one
        case at a time)."""
        joined, self.ambiguous = join_groups(self._groups, self.minter)
        return chain(self._timelines(), joined.triples)

    def _timelines(self) -> Iterator[Triple]:
        rows = self._db.execute("SELECT case_number, entry FROM treatment ORDER BY case_number, n")
        for _, same in groupby(rows, key=itemgetter(0)):
            series = [pickle.loads(entry) for _, entry in same]
            if len(series) > 1:
                yield from timeline(series, self.minter).triples

    def close(self) -> None:
        self._db.close()
