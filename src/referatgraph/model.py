"""The document model: what one minutes file says, as plain frozen dataclasses.

No RDF here. Every object carries the 1-based, inclusive line span of the source text it
came from. ``to_dict`` gives the plain-JSON view printed by ``referatgraph parse --json``.
Class names follow the ontology (``ontology/referatgraph.ttl``) so the mapping reads one
to one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Lines ``first``..``last`` (1-based, inclusive) of the source file."""

    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.first}-{self.last}" if self.last != self.first else str(self.first)


class Severity(str, enum.Enum):
    ERROR = "error"  # the file cannot be published
    WARNING = "warning"  # published, but something is missing, malformed or not understood
    INFO = "info"  # worth knowing, nothing lost


@dataclass(frozen=True)
class Issue:
    """A problem found while reading or parsing, tied to a file and a line."""

    severity: Severity
    code: str  # stable machine-readable code, e.g. "journal-number-malformed"
    message: str  # one line, English
    line: int | None = None
    text: str | None = None  # the source text concerned, verbatim

    def format(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.severity.value}: {self.message}"


class CaseType(str, enum.Enum):
    """Case type written before an item title: B-sag, C-sag, D-sag."""

    B = "B"  # decision case (beslutningssag)
    C = "C"  # discussion case (drøftelsessag)
    D = "D"  # information case (orienteringssag)


class Outcome(str, enum.Enum):
    """Outcome of the treatment of an agenda item (notations of the SKOS scheme)."""

    APPROVED = "approved"  # godkender
    RECOMMENDED = "recommended"  # anbefaler (on to the city council)
    NOTED = "noted"  # orientering givet / tager til efterretning
    DISCUSSED = "discussed"  # drøftede sagen
    REJECTED = "rejected"  # godkender ikke / forkaster


class SectionKind(str, enum.Enum):
    """The standard sections of an agenda item, in their usual order."""

    SUMMARY = "summary"  # Resume
    EFFECT = "effect"  # Effekt
    RECOMMENDATION = "recommendation"  # Indstilling
    DECISION = "decision"  # Beslutning
    PRESENTATION = "presentation"  # Sagsfremstilling
    FINANCE = "finance"  # Økonomi
    ATTACHMENTS = "attachments"  # Bilag


@dataclass(frozen=True)
class ListEntry:
    level: int  # 0 = top level
    marker: str  # "-", "•", "1.", "2)", ...
    text: str
    span: Span


@dataclass(frozen=True)
class Block:
    """A paragraph, a list or a table inside a section."""

    kind: str  # "paragraph" | "list" | "table"
    span: Span
    text: str = ""  # paragraph text; for lists and tables a plain-text rendering
    entries: tuple[ListEntry, ...] = ()  # kind == "list"
    rows: tuple[tuple[str, ...], ...] = ()  # kind == "table"


@dataclass(frozen=True)
class Subsection:
    """A heading inside a standard section ("Baggrund", "Indstillingspunkt 1:", ...)."""

    heading: str
    span: Span
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    heading: str  # as written, without markup ("INDSTILLING", "Beslutning")
    span: Span
    blocks: tuple[Block, ...] = ()  # blocks before the first subsection
    subsections: tuple[Subsection, ...] = ()

    @property
    def text(self) -> str:
        """The section's text: blocks and subsections, in order, blank-line separated."""
        parts = [b.text for b in self.blocks]
        for sub in self.subsections:
            parts.append(sub.heading)
            parts.extend(b.text for b in sub.blocks)
        return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class CaseNumber:
    """A case identifier as printed under an item heading.

    KLE journal numbers (``27.03.00-Ø00-57-22``) are decomposed into topic code, action
    facet, serial and year; other schemes (``25/26411``, ``EMN-2026-00445``) are kept whole.
    """

    text: str  # exactly as printed
    scheme: str  # "kle" | "kle-topic" (topic code only) | "kle-malformed" | "other"
    kle_topic: str | None = None  # "27.03.00"
    kle_facet: str | None = None  # "Ø00"
    serial: int | None = None  # 57
    year: int | None = None  # 2022 (four digits, from the two printed)

    @property
    def is_kle(self) -> bool:
        return self.scheme == "kle"


@dataclass(frozen=True)
class Attachment:
    title: str  # the Bilag line as written
    span: Span
    number: int | None = None  # "Bilag 2 - ..." -> 2


@dataclass(frozen=True)
class PersonRef:
    """A person as named in the minutes: "Udvalgsmedlem Reza Javid (Ø)"."""

    name: str  # normalised: single spaces, no role word, no party letter
    party: str | None = None  # party letter as written: "Ø"
    role: str | None = None  # "Udvalgsmedlem", "Rådmand", … as written (singular)


@dataclass(frozen=True)
class RecommendationPoint:
    number: int  # 1, 2, … (1 when the recommendation has no numbered points)
    text: str
    span: Span


@dataclass(frozen=True)
class Recommendation:
    """The Indstilling: who recommends what to whom, point by point."""

    text: str
    span: Span
    recommender: str | None  # "Beskæftigelses- og Socialforvaltningen"
    addressee: str | None  # "udvalget", "Beskæftigelses- og Socialudvalget"
    to_city_council: bool  # "… at byrådet godkender": the decision is the city council's
    points: tuple[RecommendationPoint, ...] = ()


@dataclass(frozen=True)
class PointOutcome:
    """The outcome of one recommendation point."""

    point: int
    outcome: Outcome
    span: Span


@dataclass(frozen=True)
class Amendment:
    """An ændringsforslag: who proposed it, its text and points, and what became of it."""

    number: int  # 1, 2, … in the order of the decision
    proposers: tuple[PersonRef, ...]
    text: str  # the quoted text, quotes removed
    span: Span
    points: tuple[RecommendationPoint, ...] = ()  # "1) …", "2) …" inside the quote
    result: str | None = None  # "adopted" | "rejected" | "partly-adopted"
    adopted_points: tuple[int, ...] = ()
    rejected_points: tuple[int, ...] = ()


@dataclass(frozen=True)
class Vote:
    """One thing voted on, with the members named for, against or abstaining.

    ``target`` is ("amendment", amendment number, point or None) or ("recommendation", point).
    ``committee_as_whole``: the sentence names the committee, not its members, as deciding;
    the members it does not name are not counted anywhere (never invented).
    """

    target: tuple
    subject: str  # what was voted on, in words (Danish): "Indstillingspunkt 1"
    span: Span
    voters_for: tuple[PersonRef, ...] = ()
    voters_against: tuple[PersonRef, ...] = ()
    abstainers: tuple[PersonRef, ...] = ()
    abstention_scope: str | None = None  # "i forhold til den del af indstillingspunktet, som …"
    result: str | None = None  # "adopted" | "rejected"
    committee_as_whole: bool = False
    evidence: tuple[str, ...] = ()  # the sentences the vote was read from


@dataclass(frozen=True)
class Referral:
    """Members who stop the execution of the decision and refer it to the city council (§ 23)."""

    persons: tuple[PersonRef, ...]
    text: str
    span: Span


@dataclass(frozen=True)
class Absence:
    person: PersonRef
    scope: str  # "meeting" (deltog ikke i mødet) | "item" (… i behandlingen af dette punkt)
    span: Span


@dataclass(frozen=True)
class DecisionSentence:
    """One sentence (or list entry) of a Beslutning section, and what it was recognised as."""

    text: str
    span: Span
    kind: str  # "outcome" | "absence" | "amendment" | "vote" | "request" | "list" | "unknown"
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Decision:
    """The written Beslutning of an item and the outcome read from it."""

    text: str
    span: Span
    outcome: Outcome | None
    sentences: tuple[DecisionSentence, ...] = ()
    point_outcomes: tuple[PointOutcome, ...] = ()
    addition: str | None = None  # "med tilføjelse om, at …"
    amendments: tuple[Amendment, ...] = ()
    votes: tuple[Vote, ...] = ()
    referrals: tuple[Referral, ...] = ()
    requests: tuple[str, ...] = ()  # "beder forvaltningen …"
    absences: tuple[Absence, ...] = ()

    @property
    def understood(self) -> int:
        return sum(1 for s in self.sentences if s.kind != "unknown")


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str  # without the "B-sag:" prefix and without markup
    span: Span
    heading: str  # the heading line as written, without markup
    case_type: CaseType | None = None
    upgraded_to: CaseType | None = None  # "(Ophøjet til B-sag)"
    case_number: CaseNumber | None = None
    open_item: bool | None = None  # "Åbent - <journal number>" / "Lukket - ..." (published or not)
    sections: tuple[Section, ...] = ()
    decision: Decision | None = None
    recommendation: Recommendation | None = None
    attachments: tuple[Attachment, ...] = ()
    toc_page: int | None = None

    def section(self, kind: SectionKind) -> Section | None:
        return next((s for s in self.sections if s.kind is kind), None)


@dataclass(frozen=True)
class TocEntry:
    title: str  # as written, case-type prefix included, dot leaders removed
    page: int | None
    span: Span


@dataclass(frozen=True)
class SourceDocument:
    """The file a meeting was read from."""

    path: str  # as given on the command line (or relative to the corpus root)
    file_name: str
    sha256: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252"
    line_count: int


@dataclass(frozen=True)
class Meeting:
    committee: str  # "Beskæftigelses- og Socialudvalget"
    date: dt.date
    span: Span
    source: SourceDocument
    electoral_period: tuple[int, int] | None = None  # (2022, 2025)
    start_time: dt.time | None = None
    weekday: str | None = None  # as written: "Tirsdag"
    place: str | None = None
    online: bool = False  # "Teams-møde"
    toc: tuple[TocEntry, ...] = ()
    items: tuple[AgendaItem, ...] = ()

    @property
    def absent(self) -> tuple[PersonRef, ...]:
        """Members absent from the whole meeting (written under every item: one fact)."""
        seen: dict[str, PersonRef] = {}
        for it in self.items:
            for a in it.decision.absences if it.decision else ():
                if a.scope == "meeting" and a.person.name not in seen:
                    seen[a.person.name] = a.person
        return tuple(seen.values())


@dataclass(frozen=True)
class ParseResult:
    """What parsing one file gives: the meeting (None when the file failed) and its issues."""

    source: SourceDocument | None
    meeting: Meeting | None
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.meeting is not None and not any(
            i.severity is Severity.ERROR for i in self.issues
        )


def to_dict(obj: Any) -> Any:
    """Plain-JSON view of a model object (dates ISO, enums by value, spans "a-b")."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if isinstance(obj, Span):
            return {"first": obj.first, "last": obj.last}
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (dt.date, dt.time)):
        return obj.isoformat()
    if isinstance(obj, (tuple, list)):
        return [to_dict(x) for x in obj]
    return obj
