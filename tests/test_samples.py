"""Every sample minutes file, parsed, against values written by reading the documents.

The expected values in ``tests/expected/*.json`` were written by hand from the text of each
file (not produced by the parser); see the note at the top of each JSON file's history.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from referatgraph.model import Severity
from referatgraph.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "odense").glob("*.txt"))
EXPECTED = ROOT / "tests" / "expected"


def expected_for(path: Path) -> dict:
    return json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.name)
def case(request):
    path = request.param
    return parse_file(path, path.name), expected_for(path)


def test_every_sample_has_expected_values():
    assert len(SAMPLES) == 3
    assert {p.stem for p in SAMPLES} == {p.stem for p in EXPECTED.glob("*.json")}


def test_file_converts(case):
    result, _ = case
    assert result.ok, [i.format(result.source.path) for i in result.issues]
    assert not [i for i in result.issues if i.severity is Severity.ERROR]


def test_meeting_fields(case):
    result, exp = case
    m, e = result.meeting, exp["meeting"]
    assert m.committee == e["committee"]
    assert list(m.electoral_period) == e["electoral_period"]
    assert m.date.isoformat() == e["date"]
    assert m.start_time.isoformat() == e["start_time"]
    assert m.weekday == e["weekday"]
    assert m.place == e["place"]
    assert m.online is e["online"]
    assert m.span.first == e["title_line"]


def test_table_of_contents(case):
    result, exp = case
    assert [(t.title, t.page) for t in result.meeting.toc] == [
        (t["title"], t["page"]) for t in exp["toc"]
    ]


def test_items(case):
    result, exp = case
    items = result.meeting.items
    assert [it.number for it in items] == [e["number"] for e in exp["items"]]
    for it, e in zip(items, exp["items"]):
        ctx = f"item {e['number']}"
        assert it.title == e["title"], ctx
        assert (it.case_type and it.case_type.value) == e["case_type"], ctx
        assert (it.case_number and it.case_number.text) == e["journal"], ctx
        if e["kle"]:
            cn = it.case_number
            assert (cn.kle_topic, cn.kle_facet, cn.serial, cn.year) == (
                e["kle"]["topic"], e["kle"]["facet"], e["kle"]["serial"], e["kle"]["year"]
            ), ctx
        else:
            assert it.case_number is None or not it.case_number.is_kle, ctx
        outcome = it.decision.outcome.value if it.decision and it.decision.outcome else None
        assert outcome == e["outcome"], ctx
        assert it.span.first == e["heading_line"], ctx
        assert [s.kind.value for s in it.sections] == e["sections"], ctx
        assert [a.title for a in it.attachments] == e["attachments"], ctx


def test_toc_pages_reach_items(case):
    result, exp = case
    assert [it.toc_page for it in result.meeting.items] == [t["page"] for t in exp["toc"]]


def test_every_decision_sentence_understood(case):
    """No sentence of any Beslutning in the samples is left unrecognised."""
    result, _ = case
    unknown = [
        (it.number, s.text)
        for it in result.meeting.items
        if it.decision
        for s in it.decision.sentences
        if s.kind == "unknown"
    ]
    assert unknown == []
