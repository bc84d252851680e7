"""Stage 3 — parse: the segmented document into the model (:mod:`referatgraph.model`).

Interprets what ``segment`` found: the meeting header, the table of contents (cross-checked
against the items), each item's title, case type and case number, its sections and
attachments, and the decision with its outcome. What is not understood is kept as text and
reported as an :class:`~referatgraph.model.Issue`; nothing is guessed with confidence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path

from . import phrases as P
from .casenumbers import parse_case_number
from .deliberation import parse_decision, parse_recommendation, split_sentences  # noqa: F401 (re-exported)
from .errors import InputError
from .model import (
    AgendaItem,
    Attachment,
    CaseType,
    Issue,
    Meeting,
    ParseResult,
    Section,
    SectionKind,
    Severity,
    SourceDocument,
    Span,
    TocEntry,
)
from .read import read_source
from .segment import Layout, Line, RawItem, layout, section_body

W, E, I = Severity.WARNING, Severity.ERROR, Severity.INFO


def parse_file(path: str | Path, display: str | None = None) -> ParseResult:
    """Read and parse one minutes file. Never raises for bad input: errors are issues."""
    name = display or str(path)
    try:
        source, lines, issues = read_source(path, name)
    except InputError as exc:
        return ParseResult(None, None, (Issue(E, "unreadable", exc.message, exc.line),))
    return parse_lines(source, lines, issues)


def parse_text(text: str, name: str = "<text>") -> ParseResult:
    """Parse minutes given as a string (tests, notebooks)."""
    import hashlib

    lines = text.replace("\r\n", "\n").split("\n")
    source = SourceDocument(name, name, hashlib.sha256(text.encode()).hexdigest(), "utf-8", len(lines))
    return parse_lines(source, lines, [])


def parse_lines(source: SourceDocument, lines: list[str], issues: list[Issue]) -> ParseResult:
    """Parse clean lines (as returned by :func:`referatgraph.read.read_source`)."""
    issues = list(issues)
    try:
        meeting = _Parser(source, lines, issues).meeting()
    except _Fatal as exc:
        issues.append(exc.issue)
        return ParseResult(source, None, tuple(issues))
    return ParseResult(source, meeting, tuple(issues))


class _Fatal(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue


def _is_case_line(text: str) -> bool:
    m = P.CASE_NUMBER_LINE.match(text)
    return bool(m) and parse_case_number(m["number"], 2000) is not None


def _norm_title(s: str) -> str:
    s = P.CASE_TYPE_PREFIX.sub("", s.strip())
    s = re.sub(r"\s+", " ", s).casefold()
    return s.rstrip(" .")


class _Parser:
    def __init__(self, source: SourceDocument, lines: list[str], issues: list[Issue]):
        self.source = source
        self.issues = issues
        self.layout: Layout = layout(lines, _is_case_line)

    def warn(self, severity: Severity, code: str, message: str, line: int | None = None, text: str | None = None):
        self.issues.append(Issue(severity, code, message, line, text))

    # --- header ---------------------------------------------------------------------------

    def meeting(self) -> Meeting:
        lay = self.layout
        committee = period = date = start = weekday = place = None
        title_line = None
        unused: list[Line] = []
        for ln in lay.header:
            t = ln.text.strip()
            if not t:
                continue
            if (m := P.TITLE_LINE.match(t)) and committee is None:
                committee = m["committee"].strip()
                title_line = ln.no
                if m["p1"]:
                    period = (int(m["p1"]), int(m["p2"]))
                date = self._date(int(m["y"]), int(m["m"]), int(m["d"]), ln)
            elif (m := P.MEETING_DATE.match(t)) and start is None:
                month = P.MONTHS.get(m["month"].casefold())
                if month is None:
                    self.warn(W, "month-unknown", f"unknown month name {m['month']!r}", ln.no, t)
                    continue
                d2 = self._date(int(m["year"]), month, int(m["day"]), ln)
                if date is None:
                    date = d2
                elif d2 is not None and d2 != date:
                    self.warn(W, "date-mismatch", f"Mødedato {d2} differs from the title date {date}", ln.no, t)
                if m["hour"]:
                    try:
                        start = dt.time(int(m["hour"]), int(m["minute"]))
                    except ValueError:
                        self.warn(W, "time-invalid", f"invalid start time in {t!r}", ln.no, t)
                weekday = m["weekday"]
                if weekday and d2:
                    wd = P.WEEKDAYS.get(weekday.casefold())
                    if wd is None:
                        self.warn(W, "weekday-unknown", f"unknown weekday {weekday!r}", ln.no, t)
                    elif wd != d2.weekday():
                        self.warn(W, "weekday-mismatch", f"{weekday} but {d2} is not a {weekday.lower()}", ln.no, t)
            elif (m := P.MEETING_PLACE.match(t)) and place is None:
                place = m["place"].strip()
            else:
                unused.append(ln)
        if committee is None and not lay.items:
            raise _Fatal(Issue(E, "not-minutes", "not minutes: no 'REFERAT <committee> … d. dd-mm-yyyy' title line and no 'Punkt N:' item heading", 1))
        if committee is None:
            raise _Fatal(Issue(E, "no-committee", "no 'REFERAT <committee> … d. dd-mm-yyyy' title line: the committee is unknown", 1))
        if date is None:
            raise _Fatal(Issue(E, "no-date", "no meeting date in the title line or a 'Mødedato' line", title_line))
        for ln in unused:
            self.warn(W, "header-line-not-understood", "header line not understood (kept out of the data)", ln.no, ln.text.strip())
        if not lay.items:
            raise _Fatal(Issue(E, "no-items", "no agenda items ('Punkt N:' headings) found", title_line))

        toc = self._toc()
        items = [self._item(raw, date.year) for raw in lay.items]
        items = self._check_items(items, toc)
        last = max(ln.no for ln in lay.lines if not ln.blank)
        return Meeting(
            committee=committee,
            date=date,
            span=Span(title_line or 1, last),
            source=self.source,
            electoral_period=period,
            start_time=start,
            weekday=weekday,
            place=place,
            online=bool(place and P.ONLINE_PLACE.search(place)),
            toc=tuple(toc),
            items=tuple(items),
        )

    def _date(self, y: int, m: int, d: int, ln: Line) -> dt.date | None:
        try:
            return dt.date(y, m, d)
        except ValueError:
            self.warn(W, "date-invalid", f"invalid date {d:02d}-{m:02d}-{y}", ln.no, ln.text.strip())
            return None

    def _toc(self) -> list[TocEntry]:
        out = []
        for ln in self.layout.toc:
            t = ln.text.strip()
            if not t:
                continue
            m = P.TOC_ENTRY.match(ln.text)
            if m:
                out.append(TocEntry(m["title"].strip(), int(m["page"]), Span(ln.no, ln.no)))
            else:
                self.warn(W, "toc-line-not-understood", "table-of-contents line without a page number", ln.no, t)
                out.append(TocEntry(t, None, Span(ln.no, ln.no)))
        return out

    # --- items ----------------------------------------------------------------------------

    def _item(self, raw: RawItem, year: int) -> AgendaItem:
        m = P.ITEM_HEADING.match(raw.heading.text.strip())
        assert m is not None
        number = int(m["number"])
        heading = " ".join([raw.heading.text.strip()] + [ln.text.strip() for ln in raw.title_lines])
        title = " ".join([m["rest"].strip()] + [ln.text.strip() for ln in raw.title_lines])
        case_type = upgraded = None
        if tm := P.CASE_TYPE_PREFIX.match(title):
            case_type = CaseType(tm["type"].upper())
            title = title[tm.end():]
        if um := P.UPGRADE_MARKER.search(title):
            upgraded = CaseType(um["type"].upper())
            title = (title[: um.start()] + title[um.end():]).strip()
        case_number = open_item = None
        if raw.case_line is not None:
            cm = P.CASE_NUMBER_LINE.match(raw.case_line.text.strip())
            case_number = parse_case_number(cm["number"], year)
            if cm["access"]:
                open_item = P.ACCESS_OPEN[cm["access"].casefold()]
            if case_number.scheme == "kle-malformed":
                self.warn(W, "journal-number-malformed", f"item {number}: case number {case_number.text!r} looks like a KLE journal number but is malformed (kept as text)", raw.case_line.no, case_number.text)
        else:
            self.warn(W, "case-number-missing", f"item {number}: no case number under the heading", raw.heading.no)

        sections: list[Section] = []
        seen: set[SectionKind] = set()
        recommendation = decision_section = None
        attachments: tuple[Attachment, ...] = ()
        decision = None
        for rs in raw.sections:
            body, subs = section_body(rs)
            if rs.kind is None:
                self.warn(W, "text-outside-section", f"item {number}: text before the first standard section (kept in the model, not published)", rs.span.first, body[0].text[:200] if body else None)
                continue
            if rs.kind in seen:
                self.warn(W, "section-repeated", f"item {number}: section {rs.heading.text.strip()!r} occurs twice", rs.heading.no)
            seen.add(rs.kind)
            section = Section(rs.kind, rs.heading.text.strip(), rs.span, tuple(body), tuple(subs))
            sections.append(section)
            if rs.kind is SectionKind.ATTACHMENTS:
                attachments += self._attachments(section)
            if rs.kind is SectionKind.RECOMMENDATION and recommendation is None:
                recommendation = parse_recommendation(section)
            if rs.kind is SectionKind.DECISION and decision_section is None:
                decision_section = section
        if decision_section is not None:
            # Read after the whole item, so the decision knows the recommendation's points.
            def warn(code, message, line, text, _n=number):
                self.warn(W, code, f"item {_n}: {message}", line, text)

            decision = parse_decision(decision_section, recommendation, warn)
            if (up := P.UPGRADE_DECISION.search(decision.text)) and upgraded is None:
                upgraded = CaseType(up["type"].upper())
        if decision is not None and decision.outcome is None and case_type is CaseType.B:
            self.warn(W, "outcome-missing", f"item {number}: B-case with a written decision but no recognised outcome", decision.span.first)
        return AgendaItem(
            number=number,
            title=title.strip(),
            span=raw.span,
            heading=heading,
            case_type=case_type,
            upgraded_to=upgraded,
            case_number=case_number,
            open_item=open_item,
            sections=tuple(sections),
            decision=decision,
            recommendation=recommendation,
            attachments=attachments,
        )

    def _attachments(self, section: Section) -> tuple[Attachment, ...]:
        out = []
        for block in section.blocks:
            if block.kind == "list":
                lines = [(e.text, e.span) for e in block.entries]
            else:
                lines = [(block.text, block.span)]
            for text, span in lines:
                m = P.ATTACHMENT_NUMBER.match(text)
                out.append(Attachment(text, span, int(m["number"]) if m else None))
        return tuple(out)

    # --- cross-checks -----------------------------------------------------------------------

    def _check_items(self, items: list[AgendaItem], toc: list[TocEntry]) -> list[AgendaItem]:
        numbers = [it.number for it in items]
        seen: dict[int, AgendaItem] = {}
        for it in items:
            if it.number in seen:
                raise _Fatal(Issue(E, "item-number-duplicate", f"duplicate item number {it.number} (also at line {seen[it.number].span.first})", it.span.first))
            seen[it.number] = it
        expected = list(range(numbers[0], numbers[0] + len(numbers)))
        if numbers != expected:
            self.warn(W, "item-numbers-not-consecutive", f"item numbers are not consecutive: {numbers}", items[0].span.first)
        if not toc:
            if self.layout.toc_heading is not None:
                self.warn(W, "toc-empty", "table of contents heading without entries", self.layout.toc_heading.no)
            return items
        out = []
        for k, it in enumerate(items):
            if k >= len(toc):
                out.append(it)
                continue
            entry = toc[k]
            a, b = _norm_title(entry.title), _norm_title(it.title)
            if not (b.startswith(a) or a.startswith(b)):
                ratio = difflib.SequenceMatcher(None, a, b[: len(a)]).ratio()
                if ratio >= 0.9:
                    self.warn(I, "toc-title-differs", f"item {it.number}: title differs slightly from the table of contents ({entry.title!r})", entry.span.first, entry.title)
                else:
                    self.warn(W, "toc-mismatch", f"item {it.number}: title {it.title!r} does not match table-of-contents entry {k + 1} {entry.title!r}", entry.span.first, entry.title)
            tm = P.CASE_TYPE_PREFIX.match(entry.title)
            toc_type = CaseType(tm["type"].upper()) if tm else None
            if toc_type != it.case_type:
                self.warn(W, "toc-case-type-differs", f"item {it.number}: case type {it.case_type and it.case_type.value} in the heading, {toc_type and toc_type.value} in the table of contents", entry.span.first)
            out.append(dataclasses.replace(it, toc_page=entry.page))
        if len(toc) > len(items):
            last = items[-1]
            raise _Fatal(Issue(E, "truncated", f"truncated: the table of contents lists {len(toc)} items, the text ends after item {last.number}", self.layout.lines[-1].no if self.layout.lines else None))
        if len(toc) < len(items):
            self.warn(W, "toc-count", f"the table of contents lists {len(toc)} items, the text has {len(items)}", self.layout.toc_heading.no if self.layout.toc_heading else None)
        return out


