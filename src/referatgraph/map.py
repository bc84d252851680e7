"""Stage 5 — map: the model to RDF triples (pyoxigraph terms), following ``docs/mapping.md``.

One function per model class, reading one to one. Standard terms (besluit, ELI, PROV, …) are
materialised beside the project's own so consumers who only know the standards can query the
data. No blank nodes: every resource gets an IRI from :class:`~referatgraph.iris.Minter`.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from . import __version__
from .iris import Minter
from .model import (
    AgendaItem,
    CaseNumber,
    Decision,
    Meeting,
    PersonRef,
    Recommendation,
    Section,
    SourceDocument,
    Span,
)
from .phrases import PARTIES
from .vocab import (
    BESLUIT,
    CONCEPTS_FILE,
    DCT,
    ELI,
    ELI_DL,
    FOAF,
    LANGUAGE_DA,
    MANDAAT,
    ORG,
    PERSON,
    PROV,
    RDF,
    RDFS,
    RG,
    RGCT,
    RGOC,
    RGSK,
    SCHEMA,
    SKOS,
    XSD,
)

A = RDF.type


@lru_cache(maxsize=4096)
def _int(n: int) -> Literal:
    """An xsd:integer literal (cached: line numbers and positions repeat)."""
    return Literal(str(n), datatype=XSD.integer)


def _str(s: str) -> Literal:
    return Literal(s)


def _da(s: str) -> Literal:
    return Literal(s, language="da")


def _bool(b: bool) -> Literal:
    return Literal("true" if b else "false", datatype=XSD.boolean)


@lru_cache(maxsize=1)
def concept_triples() -> tuple[Triple, ...]:
    """The SKOS concept schemes (case types, outcomes, section kinds), published with the data."""
    quads = ox.parse(path=str(CONCEPTS_FILE), format=ox.RdfFormat.TURTLE)
    return tuple(sorted({q.triple for q in quads}, key=str))


class _Mapper:
    def __init__(self, meeting: Meeting, minter: Minter):
        self.m = meeting
        self.minter = minter
        self.key = minter.meeting_key(meeting.committee, meeting.date)
        self.doc = minter.document(meeting.source.file_name)
        self.conversion = minter.conversion(self.key)
        self.out: list[Triple] = []

    def add(self, s, p, o) -> None:
        self.out.append(Triple(s, p, o))

    def provenance(self, node: NamedNode, span: Span) -> None:
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, PROV.wasGeneratedBy, self.conversion)
        self.add(node, RG.firstLine, _int(span.first))
        self.add(node, RG.lastLine, _int(span.last))

    # --- resources -------------------------------------------------------------------------

    def source(self, src: SourceDocument) -> None:
        d = self.doc
        for cls in (FOAF.Document, PROV.Entity, RG.SourceDocument):
            self.add(d, A, cls)
        self.add(d, RG.fileName, _str(src.file_name))
        self.add(d, RG.sha256, _str(src.sha256))
        fmt = "text/markdown" if src.file_name.lower().endswith(".md") else "text/plain"
        self.add(d, DCT.format, _str(fmt))
        c = self.conversion
        self.add(c, A, PROV.Activity)
        self.add(c, PROV.used, d)
        agent = self.minter.software()
        self.add(c, PROV.wasAssociatedWith, agent)
        self.add(agent, A, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, _str("referatgraph"))
        self.add(agent, SCHEMA.softwareVersion, _str(__version__))

    def meeting(self) -> list[Triple]:
        m = self.m
        node = self.minter.meeting(m.committee, m.date)
        body = self.minter.body(m.committee)
        self.source(m.source)
        for cls in (BESLUIT.Bestuursorgaan, ORG.Organization, RG.Committee):
            self.add(body, A, cls)
        self.add(body, SKOS.prefLabel, _da(m.committee))

        self.add(node, A, BESLUIT.Zitting)
        self.add(node, A, RG.Meeting)
        self.add(node, RDFS.label, _da(f"{m.committee} {m.date.isoformat()}"))
        self.add(node, DCT.date, Literal(m.date.isoformat(), datatype=XSD.date))
        if m.start_time is not None:
            start = f"{m.date.isoformat()}T{m.start_time.isoformat()}"
            self.add(node, BESLUIT.geplandeStart, Literal(start, datatype=XSD.dateTime))
        self.add(node, BESLUIT.isGehoudenDoor, body)
        self.add(node, RG.online, _bool(m.online))
        if m.electoral_period:
            self.add(node, RG.electoralPeriod, _str(f"{m.electoral_period[0]}-{m.electoral_period[1]}"))
        if m.place:
            place = self.minter.place(m.place)
            self.add(node, PROV.atLocation, place)
            self.add(place, A, PROV.Location)
            self.add(place, A, RG.Place)
            self.add(place, RDFS.label, _da(m.place))
        self.provenance(node, m.span)
        for person in m.absent:
            self.add(node, RG.absentee, self.person(person, node))
        previous = None
        for item in m.items:
            self.item(node, item, previous)
            previous = item
        return self.out

    def item(self, meeting: NamedNode, it: AgendaItem, previous: AgendaItem | None) -> None:
        node = self.minter.item(self.key, it.number)
        self.add(meeting, BESLUIT.behandelt, node)
        self.add(node, A, BESLUIT.Agendapunt)
        self.add(node, A, RG.AgendaItem)
        self.add(node, DCT.title, _str(it.title))
        self.add(node, SCHEMA.position, _int(it.number))
        self.add(node, RG.meeting, meeting)
        if it.case_type is not None:
            self.add(node, BESLUIT["Agendapunt.type"], RGCT[it.case_type.value])
        if it.upgraded_to is not None:
            self.add(node, RG.upgradedTo, RGCT[it.upgraded_to.value])
        if it.open_item is not None:
            self.add(node, RG.openItem, _bool(it.open_item))
        if it.toc_page is not None:
            self.add(node, RG.tocPage, _int(it.toc_page))
        if previous is not None:
            self.add(node, BESLUIT.aangebrachtNa, self.minter.item(self.key, previous.number))
        if it.case_number is not None:
            self.add(node, DCT.isPartOf, self.case(it.case_number))
        self.provenance(node, it.span)

        treatment = self.minter.treatment(self.key, it.number)
        self.add(treatment, A, BESLUIT.BehandelingVanAgendapunt)
        self.add(treatment, A, RG.Treatment)
        self.add(treatment, DCT.subject, node)
        if previous is not None:
            self.add(treatment, BESLUIT.gebeurtNa, self.minter.treatment(self.key, previous.number))
        self.provenance(treatment, it.span)
        if it.decision is not None:
            dec = self.minter.decision(self.key, it.number)
            self.add(treatment, PROV.generated, dec)
            self.add(dec, A, BESLUIT.Besluit)
            self.add(dec, A, RG.Decision)
            self.add(dec, ELI.description, _str(it.decision.text))
            self.add(dec, ELI.title, _str(it.title))
            self.add(dec, ELI.language, LANGUAGE_DA)
            if it.decision.outcome is not None:
                self.add(dec, ELI_DL.had_decision_outcome, RGOC[it.decision.outcome.value])
            self.provenance(dec, it.decision.span)
            self.deliberation(it, treatment, dec, it.decision, meeting)
        if it.recommendation is not None:
            self.recommendation(node, it, it.recommendation)

        for pos, section in enumerate(it.sections, start=1):
            self.section(node, it, section, pos)
        for k, att in enumerate(it.attachments, start=1):
            a = self.minter.attachment(self.key, it.number, k)
            self.add(node, RG.hasAttachment, a)
            self.add(a, A, RG.Attachment)
            self.add(a, A, FOAF.Document)
            self.add(a, DCT.title, _str(att.title))
            self.add(a, SCHEMA.position, _int(k))
            if att.number is not None:
                self.add(a, RG.attachmentNumber, _int(att.number))
            self.provenance(a, att.span)

    def section(self, item: NamedNode, it: AgendaItem, section: Section, pos: int) -> None:
        kind = section.kind.value
        # A repeated standard section (reported as a warning) gets its position as suffix.
        repeat = sum(1 for s in it.sections[: pos - 1] if s.kind is section.kind)
        node = self.minter.section(self.key, it.number, kind if not repeat else f"{kind}{repeat + 1}")
        self.add(item, RG.hasSection, node)
        self.add(node, A, RG.Section)
        self.add(node, RG.sectionKind, RGSK[kind])
        self.add(node, DCT.title, _str(section.heading))
        self.add(node, SCHEMA.position, _int(pos))
        text = "\n\n".join(b.text for b in section.blocks if b.text)
        if text:
            self.add(node, RG.text, _str(text))
        self.provenance(node, section.span)
        base_kind = kind if not repeat else f"{kind}{repeat + 1}"
        for k, sub in enumerate(section.subsections, start=1):
            s = self.minter.section(self.key, it.number, base_kind, k)
            self.add(node, RG.hasSubsection, s)
            self.add(s, A, RG.Subsection)
            self.add(s, DCT.title, _str(sub.heading))
            self.add(s, SCHEMA.position, _int(k))
            sub_text = "\n\n".join(b.text for b in sub.blocks if b.text)
            if sub_text:
                self.add(s, RG.text, _str(sub_text))
            self.provenance(s, sub.span)

    # --- deliberation ----------------------------------------------------------------------

    def organisation(self, name: str) -> NamedNode:
        node = self.minter.body(name)
        self.add(node, A, ORG.Organization)
        self.add(node, SKOS.prefLabel, _da(name))
        return node

    def person(self, p: PersonRef, meeting: NamedNode) -> NamedNode:
        """The person, and the memberships this mention shows (committee role, party letter)."""
        node = self.minter.person(p.name)
        self.add(node, A, PERSON.Person)
        self.add(node, A, FOAF.Person)
        self.add(node, FOAF.name, _str(p.name))
        if p.role:
            self.membership(node, p, self.minter.body(self.m.committee), self.m.committee, meeting, p.role)
        if p.party:
            name = PARTIES.get(p.party)
            party = self.minter.party(name or f"parti {p.party}")
            for cls in (MANDAAT.Fractie, ORG.Organization, RG.Party):
                self.add(party, A, cls)
            self.add(party, SKOS.notation, _str(p.party))
            if name:
                self.add(party, SKOS.prefLabel, _da(name))
            self.membership(node, p, party, name or f"parti {p.party}", meeting, None)
        return node

    def membership(self, person, p: PersonRef, org: NamedNode, org_name: str, meeting, role: str | None) -> None:
        ms = self.minter.membership(p.name, org_name)
        self.add(ms, A, ORG.Membership)
        self.add(person, ORG.hasMembership, ms)
        self.add(ms, ORG.member, person)
        self.add(ms, ORG.organization, org)
        self.add(ms, RG.attestedAt, meeting)
        if role:
            r = self.minter.role(role)
            self.add(ms, ORG.role, r)
            self.add(r, A, ORG.Role)
            self.add(r, SKOS.prefLabel, _da(role))

    def recommendation(self, item: NamedNode, it: AgendaItem, rec: Recommendation) -> None:
        node = self.minter.recommendation(self.key, it.number)
        self.add(item, RG.hasRecommendation, node)
        self.add(node, A, RG.Recommendation)
        self.add(node, RG.text, _str(rec.text))
        if rec.recommender:
            self.add(node, RG.recommendedBy, self.organisation(rec.recommender))
        if rec.addressee:
            committee = self.m.committee if rec.addressee.casefold() in ("udvalget", self.m.committee.casefold()) else rec.addressee
            self.add(node, RG.addressedTo, self.minter.body(committee) if committee == self.m.committee else self.organisation(committee))
        if rec.to_city_council:
            self.add(node, RG.finalDecisionBy, self.organisation("Byrådet"))
        outcomes = {po.point: po.outcome for po in it.decision.point_outcomes} if it.decision else {}
        for pt in rec.points:
            pn = self.minter.recommendation_point(self.key, it.number, pt.number)
            self.add(node, RG.hasPoint, pn)
            self.add(pn, A, RG.Point)
            self.add(pn, SCHEMA.position, _int(pt.number))
            self.add(pn, RG.text, _str(pt.text))
            if pt.number in outcomes:
                self.add(pn, ELI_DL.had_decision_outcome, RGOC[outcomes[pt.number].value])
            self.provenance(pn, pt.span)
        self.provenance(node, rec.span)

    def deliberation(self, it: AgendaItem, treatment: NamedNode, dec: NamedNode, d: Decision, meeting: NamedNode) -> None:
        if d.addition:
            self.add(dec, RG.addition, _da(d.addition))
        for req in d.requests:
            self.add(dec, RG.followUpRequest, _da(req))
        for a in d.absences:
            if a.scope == "item":
                self.add(treatment, RG.absentee, self.person(a.person, meeting))
            else:
                self.person(a.person, meeting)
        for am in d.amendments:
            an = self.minter.amendment(self.key, it.number, am.number)
            self.add(dec, RG.hasAmendment, an)
            self.add(an, A, RG.Amendment)
            self.add(an, RG.text, _str(am.text))
            for p in am.proposers:
                self.add(an, RG.proposedBy, self.person(p, meeting))
            if am.result:
                self.add(an, RG.amendmentResult, _str(am.result))
            for pt in am.points:
                pn = self.minter.amendment_point(self.key, it.number, am.number, pt.number)
                self.add(an, RG.hasPoint, pn)
                self.add(pn, A, RG.Point)
                self.add(pn, SCHEMA.position, _int(pt.number))
                self.add(pn, RG.text, _str(pt.text))
                if pt.number in am.adopted_points:
                    self.add(pn, RG.amendmentResult, _str("adopted"))
                elif pt.number in am.rejected_points:
                    self.add(pn, RG.amendmentResult, _str("rejected"))
                self.provenance(pn, pt.span)
            self.provenance(an, am.span)
        for v in d.votes:
            vn = self.minter.vote(self.key, it.number, v.target)
            self.add(treatment, BESLUIT.heeftStemming, vn)
            self.add(vn, A, BESLUIT.Stemming)
            self.add(vn, A, RG.Vote)
            self.add(vn, BESLUIT.onderwerp, _da(v.subject))
            if v.target[0] == "amendment":
                target = (self.minter.amendment_point(self.key, it.number, v.target[1], v.target[2])
                          if v.target[2] is not None else self.minter.amendment(self.key, it.number, v.target[1]))
            else:
                target = (self.minter.recommendation_point(self.key, it.number, v.target[1])
                          if v.target[1] is not None else self.minter.recommendation(self.key, it.number))
            self.add(vn, RG.votedOn, target)
            if v.result:
                self.add(vn, BESLUIT.gevolg, _da({"adopted": "vedtaget", "rejected": "forkastet"}[v.result]))
            for prop, count, people in (
                (BESLUIT.heeftVoorstander, BESLUIT.aantalVoorstanders, v.voters_for),
                (BESLUIT.heeftTegenstander, BESLUIT.aantalTegenstanders, v.voters_against),
                (BESLUIT.heeftOnthouder, BESLUIT.aantalOnthouders, v.abstainers),
            ):
                for p in people:
                    self.add(vn, prop, self.person(p, meeting))
                if people:  # counts only where the members are named: never invented
                    self.add(vn, count, _int(len(people)))
            if v.abstention_scope:
                self.add(vn, RG.abstentionScope, _da(v.abstention_scope))
            self.add(vn, RG.committeeAsWhole, _bool(v.committee_as_whole))
            for e in v.evidence:
                self.add(vn, RG.evidence, _da(e))
            self.provenance(vn, v.span)
        for k, r in enumerate(d.referrals, start=1):
            rn = self.minter.referral(self.key, it.number, k)
            self.add(treatment, RG.hasReferral, rn)
            self.add(rn, A, RG.Referral)
            for p in r.persons:
                self.add(rn, RG.referredBy, self.person(p, meeting))
            self.add(rn, RG.referredTo, self.organisation("Byrådet"))
            self.add(rn, RG.evidence, _da(r.text))
            self.provenance(rn, r.span)

    def case(self, cn: CaseNumber) -> NamedNode:
        node = self.minter.case(cn.text)
        self.add(node, A, ELI_DL.Process)
        self.add(node, A, RG.Case)
        self.add(node, DCT.identifier, _str(cn.text))
        self.add(node, RG.caseNumberScheme, _str(cn.scheme))
        if cn.kle_topic:
            self.add(node, RG.kleTopicCode, _str(cn.kle_topic))
        if cn.kle_facet:
            self.add(node, RG.kleActionFacetCode, _str(cn.kle_facet))
        if cn.serial is not None:
            self.add(node, RG.serialNumber, _int(cn.serial))
        if cn.year is not None:
            self.add(node, RG.caseYear, Literal(str(cn.year), datatype=XSD.gYear))
        return node


def meeting_triples(meeting: Meeting, minter: Minter, ordered: bool = True) -> list[Triple]:
    """All triples for one meeting, including the shared committee, case and agent nodes, each
    once; in :func:`sort_key` order unless ``ordered`` is false (for callers that sort later).

    The concept schemes are not included: see :func:`concept_triples`.
    """
    triples = list(dict.fromkeys(_Mapper(meeting, minter).meeting()))
    return sorted(triples, key=sort_key) if ordered else triples


def sort_key(t: Triple) -> str:
    """Canonical order: by subject, rdf:type first, then predicate and object.

    The key is the triple's N-Triples text ``<s> <p> o``, with the space after the subject made
    ``"\\0"`` when the predicate is rdf:type. These strings sort like the tuples (str(subject),
    predicate is not rdf:type, str(predicate), str(object)): an IRI ``<…>`` has no space and is
    never the beginning of another, so two keys first differ inside the first term that differs
    (or at the ``"\\0"``, which sorts before the space).
    """
    text = str(t)
    return text.replace(" ", "\0", 1) if t.predicate == A else text
