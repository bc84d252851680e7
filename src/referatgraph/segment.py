"""Stage 2 — segment: clean lines to the document's structure, without interpreting it.

Markdown-ish and plain PDF text are handled by one set of rules, because they differ only in
how a heading looks: ``#``…``######`` and/or ``**bold**`` in one, a short line standing alone
between blank lines in the other. Heading levels are ignored (they are inconsistent even inside
one file): the seven standard section names open sections, every other heading inside an item
opens a subsection of the standard section it stands in.

The result is a :class:`Layout`: header lines, table-of-contents lines and one
:class:`RawItem` per "Punkt N:" heading, whose sections hold model :class:`Block` objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .model import Block, ListEntry, SectionKind, Span, Subsection
from .phrases import (
    CELL_MARKUP,
    ITEM_HEADING,
    LIST_ENTRY,
    MD_EMPHASIS,
    MD_HEADING,
    MD_INLINE_BOLD,
    SECTION_HEADINGS,
    TABLE_RULE,
    TOC_HEADING,
)

#: A paragraph that ends like this is complete; one that does not may continue after a page break.
_TERMINAL = re.compile(r"[.!?:;\"”“»)\]]$")
_MAX_PLAIN_HEADING = 120


class Line(NamedTuple):
    """One line of the file as :func:`clean_line` reads it (a tuple: thousands per document)."""

    no: int  # 1-based line number in the file
    raw: str
    text: str  # without heading hashes and whole-line emphasis
    level: int  # number of '#' (0: none)
    bold: bool  # the whole line was **bold**
    blank: bool  # nothing but white space

    @property
    def marked_heading(self) -> bool:
        return self.level > 0 or self.bold


def clean_line(no: int, raw: str) -> Line:
    text, level, bold = raw.strip(), 0, False
    m = MD_HEADING.match(text)
    if m:
        level, text = len(m[1]), m[2].strip()
    m = MD_EMPHASIS.match(text)
    if m:
        bold, text = True, m[2].strip()
    if level == 0 and not bold:
        text = raw.rstrip()  # keep indentation (nested lists) and tabs (tables)
    if "**" in text:
        text = MD_INLINE_BOLD.sub(r"\1", text)
    return Line(no, raw, text, level, bold, not text.strip())


@dataclass
class RawSection:
    kind: SectionKind | None  # None: text before the first standard section of an item
    heading: Line | None
    lines: list[Line] = field(default_factory=list)

    @property
    def span(self) -> Span:
        first = self.heading.no if self.heading else self.lines[0].no
        last = max([first] + [ln.no for ln in self.lines if not ln.blank])
        return Span(first, last)


@dataclass
class RawItem:
    heading: Line
    title_lines: list[Line] = field(default_factory=list)  # heading continued on next lines
    case_line: Line | None = None
    sections: list[RawSection] = field(default_factory=list)
    last_line: int = 0

    @property
    def span(self) -> Span:
        return Span(self.heading.no, max(self.last_line, self.heading.no))


@dataclass
class Layout:
    lines: list[Line]
    header: list[Line]
    toc_heading: Line | None
    toc: list[Line]
    items: list[RawItem]


def _standalone(lines: list[Line], i: int) -> bool:
    before = i == 0 or lines[i - 1].blank
    after = i + 1 >= len(lines) or lines[i + 1].blank
    return before and after


def is_plain_heading(line: Line, standalone: bool) -> bool:
    """A short line alone between blank lines, that does not read like a sentence or list."""
    t = line.text.strip()
    return (
        standalone
        and 0 < len(t) <= _MAX_PLAIN_HEADING
        and "\t" not in line.text
        and not _TERMINAL.search(t)
        and not t.endswith(",")
        and not LIST_ENTRY.match(t)
        and (t[0].isupper() or t[0].isdigit())
        and any(c.isalpha() for c in t)
        and len(t.split()) <= 16
    )


def section_kind(line: Line, standalone: bool) -> SectionKind | None:
    """The standard section a heading line opens, if any."""
    if not (line.marked_heading or standalone):
        return None
    key = line.text.strip().rstrip(":").strip().casefold()
    return SECTION_HEADINGS.get(key)


def item_heading(lines: list[Line], i: int) -> re.Match[str] | None:
    line = lines[i]
    if line.blank or not (i == 0 or lines[i - 1].blank or line.marked_heading):
        return None
    return ITEM_HEADING.match(line.text.strip())


def layout(raw_lines: list[str], is_case_line) -> Layout:
    """Split clean lines into header, table of contents and items with their sections.

    ``is_case_line(text)`` tells whether the first line under an item heading is its case
    number (the rule lives with the case-number parser).
    """
    lines = [clean_line(i + 1, raw) for i, raw in enumerate(raw_lines)]
    starts = [i for i in range(len(lines)) if item_heading(lines, i)]
    head_end = starts[0] if starts else len(lines)
    header, toc, toc_heading = [], [], None
    for ln in lines[:head_end]:
        if toc_heading is None and TOC_HEADING.match(ln.text.strip()):
            toc_heading = ln
        elif toc_heading is not None:
            toc.append(ln)
        else:
            header.append(ln)
    items = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        items.append(_split_item(lines, start, end, is_case_line))
    return Layout(lines, header, toc_heading, toc, items)


def _split_item(lines: list[Line], start: int, end: int, is_case_line) -> RawItem:
    item = RawItem(heading=lines[start])
    i = start + 1
    # A heading wrapped onto following lines (PDF text): non-blank lines right after it.
    while i < end and not lines[i].blank and not is_case_line(lines[i].text.strip()):
        if section_kind(lines[i], True):
            break
        item.title_lines.append(lines[i])
        i += 1
    while i < end and lines[i].blank:
        i += 1
    if i < end and is_case_line(lines[i].text.strip()):
        item.case_line = lines[i]
        i += 1
    current: RawSection | None = None
    for j in range(i, end):
        ln = lines[j]
        kind = None if ln.blank else section_kind(ln, _standalone(lines, j))
        if kind is not None:
            current = RawSection(kind, ln)
            item.sections.append(current)
        elif not ln.blank or current is not None:
            if current is None:
                current = RawSection(None, None)
                item.sections.append(current)
            current.lines.append(ln)
    nonblank = [ln.no for ln in lines[start:end] if not ln.blank]
    item.last_line = nonblank[-1] if nonblank else lines[start].no
    # A leading "section" made only of blank lines is nothing.
    item.sections = [s for s in item.sections if s.heading or any(not ln.blank for ln in s.lines)]
    return item


# --- blocks ---------------------------------------------------------------------------------


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines."""
    out, cur = [], []
    for ln in lines:
        if ln.blank:
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append(ln)
    if cur:
        out.append(cur)
    return out


def _is_table(group: list[Line]) -> bool:
    return "\t" in group[0].text


def _is_list(group: list[Line]) -> bool:
    return bool(LIST_ENTRY.match(group[0].text))


def _cells(text: str) -> tuple[str, ...]:
    return tuple(CELL_MARKUP.sub("", c).strip() for c in text.split("\t"))


def _table(groups: list[list[Line]]) -> Block:
    rows: list[list[str]] = []
    for g in groups:
        for ln in g:
            if "\t" in ln.text:
                if not TABLE_RULE.match(ln.text):
                    rows.append(list(_cells(ln.text)))
            elif rows:
                # A row broken across lines: the continuation belongs to the one cell that
                # does not end a sentence; if that is not clear, to the last cell.
                open_cells = [k for k, c in enumerate(rows[-1]) if c and not _TERMINAL.search(c)]
                k = open_cells[0] if len(open_cells) == 1 else len(rows[-1]) - 1
                rows[-1][k] = f"{rows[-1][k]} {ln.text.strip()}".strip()
    first, last = groups[0][0].no, groups[-1][-1].no
    frozen = tuple(tuple(r) for r in rows)
    return Block("table", Span(first, last), "\n".join("\t".join(r) for r in frozen), rows=frozen)


def _list(groups: list[list[Line]]) -> Block:
    entries: list[ListEntry] = []
    indents: list[int] = []
    for g in groups:
        for ln in g:
            m = LIST_ENTRY.match(ln.text)
            if m:
                indent = len(m["indent"].expandtabs(4))
                while indents and indent < indents[-1]:
                    indents.pop()
                if not indents or indent > indents[-1]:
                    indents.append(indent)
                entries.append(ListEntry(len(indents) - 1, m["marker"], m["text"].strip(), Span(ln.no, ln.no)))
            elif entries:
                e = entries[-1]
                entries[-1] = ListEntry(e.level, e.marker, f"{e.text} {ln.text.strip()}", Span(e.span.first, ln.no))
    text = "\n".join(f"{'  ' * e.level}{e.marker} {e.text}" for e in entries)
    return Block("list", Span(groups[0][0].no, groups[-1][-1].no), text, entries=tuple(entries))


def _paragraph(group: list[Line]) -> Block:
    text = " ".join(ln.text.strip() for ln in group)
    return Block("paragraph", Span(group[0].no, group[-1].no), text)


def blocks(lines: list[Line]) -> list[Block]:
    """Paragraphs, lists and tables of a run of lines (no headings inside)."""
    groups = _groups(lines)
    out: list[Block] = []
    k = 0
    while k < len(groups):
        g = groups[k]
        if _is_table(g):
            run = [g]
            k += 1
            while k < len(groups):
                nxt = groups[k]
                if _is_table(nxt):
                    run.append(nxt)
                    k += 1
                elif (
                    k + 1 < len(groups)
                    and _is_table(groups[k + 1])
                    and nxt[0].text.strip()[:1].islower()
                ):
                    run.append(nxt)  # a table row continued after a page break
                    k += 1
                else:
                    break
            out.append(_table(run))
            continue
        if _is_list(g):
            run = [g]
            k += 1
            while k < len(groups) and _is_list(groups[k]) and not _is_table(groups[k]):
                run.append(groups[k])
                k += 1
            out.append(_list(run))
            continue
        para = _paragraph(g)
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "paragraph"
            and not _TERMINAL.search(prev.text)
            and para.text[:1].islower()
        ):
            # A paragraph split by a page break: "… når borgeren" / "eksempelvis er med …"
            para = Block("paragraph", Span(prev.span.first, para.span.last), f"{prev.text} {para.text}")
            out[-1] = para
        else:
            out.append(para)
        k += 1
    return out


def section_body(raw: RawSection) -> tuple[list[Block], list[Subsection]]:
    """Blocks before the first subsection heading, and the subsections."""
    lines = raw.lines
    if raw.kind is SectionKind.ATTACHMENTS:
        return blocks(lines), []
    head: list[Line] = []
    subs: list[tuple[Line, list[Line]]] = []
    for j, ln in enumerate(lines):
        if not ln.blank and (ln.marked_heading or is_plain_heading(ln, _standalone(lines, j))):
            subs.append((ln, []))
        elif subs:
            subs[-1][1].append(ln)
        else:
            head.append(ln)
    subsections = []
    for heading, body in subs:
        nonblank = [x.no for x in body if not x.blank]
        span = Span(heading.no, nonblank[-1] if nonblank else heading.no)
        subsections.append(Subsection(heading.text.strip(), span, tuple(blocks(body))))
    return blocks(head), subsections
