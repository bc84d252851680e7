"""Stage 3, deliberation part: the Indstilling and Beslutning sections as structured data.

Reads the recommendation (who recommends what to whom, point by point) and the decision,
sentence by sentence: the outcome per recommendation point and for the item, amendments with
their points and results, votes (one per thing voted on, with the members named for, against
or abstaining), § 23 referrals, follow-up requests and absences. Every sentence gets a kind;
one that matches no rule is kept verbatim as ``unknown`` and reported. Nothing is guessed: a
vote names only the members the minutes name.

The phrases recognised live in :mod:`referatgraph.phrases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from . import phrases as P
from .model import (
    Absence,
    Amendment,
    Block,
    Decision,
    DecisionSentence,
    Outcome,
    PersonRef,
    PointOutcome,
    Recommendation,
    RecommendationPoint,
    Referral,
    Section,
    Span,
    Vote,
)

#: Where a sentence may end: the white space (``space``) after a full stop, question or
#: exclamation mark, before a capital or digit. (Written from the mark rather than with a
#: look-behind, so that the regex engine skips ahead to the marks.)
_SENTENCE_END = re.compile(r"[.!?](?P<space>\s+)(?=[\"„“]?[A-ZÆØÅ0-9])")
#: A one-letter word (case-folded) before the mark: an initial ("Hans J. Nielsen") or a list letter.
_LETTER = re.compile(r"[a-zæøå]")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, not after abbreviations ("jf.", "bl.a.", "mio.")."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start("space")]
        last_word = before.rsplit(None, 1)[-1].rstrip(".").casefold() if before.strip() else ""
        if last_word in P.ABBREVIATIONS or _LETTER.fullmatch(last_word):
            continue
        out.append(before.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def numbers(text: str) -> tuple[int, ...]:
    """"1 og 2" → (1, 2); "1-3", "1 – 3" → (1, 2, 3); "1, 2 og 4" → (1, 2, 4)."""
    out: list[int] = []
    for part in re.split(r"\s*(?:,|og)\s*", text.strip()):
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", part.strip())
        if m:
            a, b = int(m[1]), int(m[2])
            if a <= b <= a + 50:
                out.extend(range(a, b + 1))
        elif part.strip().isdigit():
            out.append(int(part))
    return tuple(dict.fromkeys(out))


def normalise_name(name: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()


def parse_names(text: str) -> tuple[PersonRef, ...] | None:
    """Members named in a sentence's subject: "Udvalgsmedlemmerne A (Ø), B (A) og C (V)".

    None when the text is not (only) a list of names.
    """
    text = text.strip().rstrip(",")
    role = None
    m = P.ROLE_WORD.match(text)
    if m:
        role = P.ROLES[m["role"].casefold()]
        text = text[m.end():]
    out: list[PersonRef] = []
    for part in P.NAME_LIST_SEPARATOR.split(text):
        part = part.strip()
        own_role = role
        m = P.ROLE_WORD.match(part)
        if m:
            own_role = P.ROLES[m["role"].casefold()]
            part = part[m.end():]
        pm = P.PERSON_NAME.match(part)
        if not part or not pm or P.NOT_A_PERSON.search(part):
            return None
        out.append(PersonRef(normalise_name(pm["name"]), pm["party"], own_role))
    return tuple(out) or None


def is_committee(subject: str) -> bool:
    """The committee as subject: "Beskæftigelses- og Socialudvalget (besluttede …)", "Udvalget"."""
    return bool(P.COMMITTEE_START.match(subject.strip()) or P.COMMITTEE_SUBJECT.search(subject.strip()))


def parse_recommendation(section: Section) -> Recommendation:
    """The Indstilling: recommender, addressee, whether it goes on to the city council, points."""
    blocks: list[Block] = list(section.blocks) + [b for sub in section.subsections for b in sub.blocks]
    recommender = addressee = None
    to_council = False
    intro = None
    for b in blocks:
        if b.kind == "paragraph" and (m := P.RECOMMENDS.match(b.text)):
            intro = m
            break
    if intro:
        recommender = intro["by"].strip()
        rest = intro["rest"].strip()
        to_council = bool(P.TO_CITY_COUNCIL.match(rest))
        am = P.ADDRESSEE.match(rest)
        addressee = (intro["to"] or (am["to"] if am and not to_council else None) or None)
        if addressee:
            addressee = addressee.strip()
    points = []
    for b in blocks:
        if b.kind != "list":
            continue
        for e in b.entries:
            if e.level == 0 and re.fullmatch(r"\d{1,2}[.)]", e.marker):
                points.append(RecommendationPoint(int(e.marker[:-1]), e.text, e.span))
    if not points:
        text = intro["rest"].strip() if intro else section.text
        points = [RecommendationPoint(1, text, section.span)]
    return Recommendation(section.text, section.span, recommender, addressee, to_council, tuple(points))


@dataclass
class _VoteBuilder:
    target: tuple
    subject: str
    first: int
    last: int
    voters_for: list[PersonRef] = field(default_factory=list)
    voters_against: list[PersonRef] = field(default_factory=list)
    abstainers: list[PersonRef] = field(default_factory=list)
    scope: str | None = None
    committee_as_whole: bool = False
    evidence: list[str] = field(default_factory=list)

    def add(self, position: str, persons, text: str, span: Span) -> None:
        bucket = {"for": self.voters_for, "against": self.voters_against, "abstain": self.abstainers}[position]
        for p in persons:
            if p not in bucket:
                bucket.append(p)
        if text not in self.evidence:
            self.evidence.append(text)
        self.first, self.last = min(self.first, span.first), max(self.last, span.last)


@dataclass
class _AmendmentBuilder:
    number: int
    proposers: tuple[PersonRef, ...]
    first: int
    last: int
    parts: list[str] = field(default_factory=list)
    points: list[RecommendationPoint] = field(default_factory=list)
    result: str | None = None
    adopted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)

    def subject(self, point: int | None = None) -> str:
        who = " og ".join(f"{p.name} ({p.party})" if p.party else p.name for p in self.proposers)
        base = f"ændringsforslag fra {who}" if who else f"ændringsforslag {self.number}"
        return f"Punkt {point} i {base}" if point is not None else base[0].upper() + base[1:]


class _DecisionReader:
    def __init__(self, section: Section, recommendation: Recommendation | None, warn: Callable[..., None]):
        self.section = section
        self.rec = recommendation
        self.warn = warn
        self.sentences: list[DecisionSentence] = []
        self.point_outcomes: dict[int, tuple[Outcome, Span]] = {}
        self.outcomes: set[Outcome] = set()
        self.amendments: list[_AmendmentBuilder] = []
        self.votes: dict[tuple, _VoteBuilder] = {}
        self.referrals: list[Referral] = []
        self.requests: list[str] = []
        self.absences: list[Absence] = []
        self.addition: str | None = None

    # --- units: sentences and list entries, with the point heading they stand under --------

    def units(self):
        def from_blocks(blocks, heading):
            for block in blocks:
                if block.kind == "list":
                    for e in block.entries:
                        yield e.text, e.span, True, heading
                elif block.kind == "table":
                    yield block.text, block.span, False, heading
                else:
                    for s in split_sentences(block.text):
                        yield s, block.span, False, heading

        yield from from_blocks(self.section.blocks, None)
        for sub in self.section.subsections:
            m = P.POINT_HEADING.match(sub.heading.strip())
            yield from from_blocks(sub.blocks, int(m["number"]) if m else None)

    def read(self) -> Decision:
        in_quote = False
        for text, span, is_entry, point in self.units():
            prev = self.sentences[-1] if self.sentences else None
            bare = text.lstrip("-– ")
            opens_quote = bare[:1] in P.QUOTE_OPEN
            if in_quote or (opens_quote and prev is not None and prev.kind == "amendment" and prev.text.endswith(":") and self.amendments):
                self._amendment_text(text, span)
                kind = "amendment-text"
                in_quote = not P.QUOTE_CLOSE.search(text)
            elif (is_entry or opens_quote) and prev is not None and (prev.text.endswith(":") or prev.kind == "list"):
                kind = "list"
            else:
                kind = self._sentence(text, span, point)
            outcome = self._last_outcome if kind == "outcome" else None
            self.sentences.append(DecisionSentence(text, span, kind, outcome))
            if kind == "unknown":
                self.warn("decision-sentence-not-understood", "decision sentence not understood (kept as text)", span.first, text)
        return self._decision()

    # --- one sentence ----------------------------------------------------------------------

    def _sentence(self, text: str, span: Span, point: int | None) -> str:
        self._last_outcome = None
        if m := P.ABSENCE.match(text):
            persons = parse_names(m["who"])
            if persons is None:
                return "unknown"
            scope = "meeting" if m["meeting"] else "item"
            self.absences.extend(Absence(p, scope, span) for p in persons)
            return "absence"
        if m := P.REFERRAL.match(text):
            persons = parse_names(m["who"])
            if persons is None:
                return "unknown"
            self.referrals.append(Referral(persons, text, span))
            return "referral"
        if m := P.AMENDMENT_PROPOSED.match(text):
            persons = parse_names(m["who"])
            if persons is None:
                return "unknown"
            self.amendments.append(_AmendmentBuilder(len(self.amendments) + 1, persons, span.first, span.last))
            rest = text[m.end():].lstrip(" :")
            if rest:
                self._amendment_text(rest, span)
            return "amendment"
        if m := P.AMENDMENT_RESULT.match(text):
            if not self.amendments:
                return "unknown"
            am = self.amendments[-1]
            result = P.AMENDMENT_RESULTS[m["result"].casefold()]
            if m["points"]:
                pts = numbers(m["points"])
                (am.adopted if result == "adopted" else am.rejected).extend(pts)
            else:
                am.result = result
            am.last = max(am.last, span.last)
            return "amendment"
        if m := P.VOTE.match(text):
            persons = parse_names(m["who"])
            targets = self._targets(m["what"], point)
            if persons is None or not targets:
                return "unknown"
            for t in targets:
                self._vote(t, span).add(P.VOTE_POSITIONS[m["position"].casefold()], persons, text, span)
            return "vote"
        if (m := P.MEMBERS_APPROVE.match(text)) and not is_committee(m["who"]):
            # Named members, not the committee: "A (V) og B (C) godkender ikke indstillingspunkt 1."
            persons = parse_names(m["who"])
            targets = self._targets(m["what"], point)
            if persons is None or not targets:
                return "unknown"
            for t in targets:
                self._vote(t, span).add("against" if m["neg"] else "for", persons, text, span)
            return "vote"
        outcome = next((o for o, pat in P.OUTCOME_PATTERNS if pat.search(text)), None)
        if outcome is not None:
            return self._outcome(text, span, point, outcome)
        if m := P.ABSTENTION.search(text):
            persons = parse_names(m["who"])
            targets = self._targets(text, point) or ([("recommendation", point)] if point else [])
            if persons is None or not targets:
                return "unknown"
            for t in targets:
                v = self._vote(t, span)
                v.add("abstain", persons, text, span)
                v.scope = m["scope"]
            return "vote"
        if P.UPGRADE_DECISION.search(text):
            return "upgrade"  # "besluttede at gøre sagen til en B-sag" (read by parse.py)
        if P.REQUEST.search(text):
            self.requests.append(text)
            return "request"
        if P.REMARK.search(text):
            if self.addition is not None:
                self.addition = f"{self.addition} {text}"
            return "remark"
        return "unknown"

    def _outcome(self, text: str, span: Span, point: int | None, outcome: Outcome) -> str:
        """A decision of the committee (the subject is the committee, or none is written)."""
        abstention = P.ABSTENTION.search(text)
        main = text[: abstention.start()] if abstention else text
        self._last_outcome = outcome
        self.outcomes.add(outcome)
        rec_points = self._recommendation_points(main, point)
        for n in rec_points:
            self.point_outcomes.setdefault(n, (outcome, span))
        if (am := P.AMENDMENT_POINTS.search(main)) and self.amendments and outcome is Outcome.APPROVED:
            self.amendments[-1].adopted.extend(numbers(am["numbers"]))
        if (add := P.ADDITION.search(main)) and self.addition is None:
            self.addition = add["addition"].strip()
        if abstention:
            persons = parse_names(abstention["who"])
            if persons is None:
                return "unknown"
            for n in rec_points or ([point] if point else []):
                v = self._vote(("recommendation", n), span)
                v.add("abstain", persons, text, span)
                v.scope = abstention["scope"]
                v.committee_as_whole = True
        return "outcome"

    def _recommendation_points(self, text: str, point: int | None) -> tuple[int, ...]:
        if not self.rec:
            return ()
        if m := P.RECOMMENDATION_POINTS.search(text):
            return numbers(m["numbers"])
        if point is not None:
            return (point,)
        return tuple(p.number for p in self.rec.points)

    def _targets(self, what: str, point: int | None) -> list[tuple]:
        if (m := P.AMENDMENT_POINTS.search(what)) and self.amendments:
            return [("amendment", self.amendments[-1].number, n) for n in numbers(m["numbers"])]
        if "ændringsforslag" in what.casefold() and self.amendments:
            return [("amendment", self.amendments[-1].number, None)]
        if m := P.RECOMMENDATION_POINTS.search(what):
            return [("recommendation", n) for n in numbers(m["numbers"])]
        if P.WHOLE_RECOMMENDATION.search(what):
            return [("recommendation", None)]
        if point is not None:
            return [("recommendation", point)]
        return []

    def _vote(self, target: tuple, span: Span) -> _VoteBuilder:
        if target not in self.votes:
            if target[0] == "amendment":
                am = self.amendments[target[1] - 1]
                subject = am.subject(target[2])
            else:
                subject = f"Indstillingspunkt {target[1]}" if target[1] is not None else "Indstillingen"
            self.votes[target] = _VoteBuilder(target, subject, span.first, span.last)
        return self.votes[target]

    def _amendment_text(self, text: str, span: Span) -> None:
        am = self.amendments[-1]
        clean = text.strip().lstrip("-– ").strip()
        m = P.AMENDMENT_POINT.match(clean)
        if m:
            am.points.append(RecommendationPoint(int(m["number"]), _unquote(m["text"]), span))
        am.parts.append(_unquote(clean))
        am.last = max(am.last, span.last)

    # --- assemble ----------------------------------------------------------------------------

    def _decision(self) -> Decision:
        amendments = []
        for am in self.amendments:
            point_numbers = [p.number for p in am.points]
            adopted = tuple(sorted(set(am.adopted)))
            rejected = tuple(sorted(set(am.rejected) - set(adopted)))
            result = am.result
            if point_numbers and (adopted or rejected):
                if set(adopted) >= set(point_numbers):
                    result = "adopted"
                elif adopted:
                    result = "partly-adopted"
                elif set(rejected) >= set(point_numbers):
                    result = "rejected"
            amendments.append(Amendment(am.number, am.proposers, "\n".join(am.parts), Span(am.first, am.last), tuple(am.points), result, adopted, rejected))
        votes = []
        for target, v in self.votes.items():
            votes.append(Vote(target, v.subject, Span(v.first, v.last), tuple(v.voters_for), tuple(v.voters_against), tuple(v.abstainers), v.scope, self._vote_result(target, amendments), v.committee_as_whole, tuple(v.evidence)))
        point_outcomes = tuple(PointOutcome(n, o, s) for n, (o, s) in sorted(self.point_outcomes.items()))
        found = self.outcomes | {p.outcome for p in point_outcomes}
        outcome = next((o for o in P.OUTCOME_PRECEDENCE if o in found), None)
        return Decision(
            self.section.text, self.section.span, outcome, tuple(self.sentences),
            point_outcomes=point_outcomes, addition=self.addition, amendments=tuple(amendments),
            votes=tuple(votes), referrals=tuple(self.referrals), requests=tuple(self.requests),
            absences=tuple(self.absences),
        )

    def _vote_result(self, target: tuple, amendments: list[Amendment]) -> str | None:
        if target[0] == "amendment":
            am = amendments[target[1] - 1]
            if target[2] is None:
                return am.result if am.result in ("adopted", "rejected") else None
            if target[2] in am.adopted_points:
                return "adopted"
            if target[2] in am.rejected_points:
                return "rejected"
            return None
        n = target[1]
        po = self.point_outcomes.get(n) if n is not None else None
        outcome = po[0] if po else None
        if outcome in (Outcome.APPROVED, Outcome.RECOMMENDED):
            return "adopted"
        if outcome is Outcome.REJECTED:
            return "rejected"
        return None


def _unquote(text: str) -> str:
    """Quoted amendment text without its quotation marks (final punctuation kept)."""
    t = text.strip().lstrip(P.QUOTE_OPEN).strip()
    return re.sub(r"[\"”“«']\s*([.)]?)\s*$", r"\1", t)


def parse_decision(section: Section, recommendation: Recommendation | None, warn: Callable[..., None]) -> Decision:
    """Read a Beslutning section. ``warn(code, message, line, text)`` receives what is not understood."""
    return _DecisionReader(section, recommendation, warn).read()

