"""The sample dataset against the Flemish LBLOD *besluit-publicatie* SHACL shapes.

The shapes are a reference from outside the project (``../shared/anchors/``, see its README);
they are read from there, never copied into the repository, and the test is skipped when that
folder is absent.

The shapes ask for facts that Danish committee minutes do not state (an end time, whether a
discussion was public, articles of a decision, …). Those violations are expected and must stay:
referatgraph never invents a fact to pass a shape. The test pins the EXACT set of remaining
violation groups, grouped by (target class of the shape, path, constraint component), with
their counts on the sample dataset. Each group is documented in ``docs/interoperability.md``
with the fact the minutes lack. So:

* a new violation caused by the mapping fails the test;
* a violation that disappears (because the mapping now states the fact) fails it too, so that
  the expectations below and the documentation are updated together.

Run with ``pytest tests/test_interoperability.py -s`` to see the grouped report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate

from referatgraph.pipeline import build

REPO = Path(__file__).resolve().parents[1]
ANCHORS = REPO.parent / "shared" / "anchors"
LBLOD_SHAPES = ANCHORS / "lblod-besluit-publicatie-shapes.ttl"
DOC = REPO / "docs" / "interoperability.md"

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "ext": "http://mu.semte.ch/vocabularies/ext/",
    "sh": "http://www.w3.org/ns/shacl#",
}

#: (target class, path, constraint component) -> number of results on the sample dataset
#: (3 meetings, 28 agenda items, 25 of them with a written "Beslutning").
#: Every group is a fact the minutes do not state; see docs/interoperability.md.
EXPECTED: dict[tuple[str, str, str], int] = {
    # No actual start time is written; "Mødedato … kl. 08:30" is the scheduled start
    # (mapped to besluit:geplandeStart, which passes).
    ("besluit:Zitting", "prov:startedAtTime", "sh:MinCountConstraintComponent"): 3,
    # No end time is written.
    ("besluit:Zitting", "prov:endedAtTime", "sh:MinCountConstraintComponent"): 3,
    # besluit:geplandOpenbaar is never emitted: "Åbent"/"Lukket" (publication in the minutes, not
    # a public sitting) maps to rg:openItem, and none is printed in the samples anyway.
    ("besluit:Agendapunt", "besluit:geplandOpenbaar", "sh:MinCountConstraintComponent"): 28,
    # Items whose heading carries no "B-sag:"/"C-sag:"/"D-sag:" prefix.
    ("besluit:Agendapunt", "besluit:Agendapunt.type", "sh:MinCountConstraintComponent"): 8,
    # Whether the discussion was actually held in public is never written.
    ("besluit:BehandelingVanAgendapunt", "besluit:openbaar", "sh:MinCountConstraintComponent"): 28,
    # Items without a written "Beslutning" (2021-02-02 items 2, 3 and 4).
    ("besluit:BehandelingVanAgendapunt", "prov:generated", "sh:MinCountConstraintComponent"): 3,
    # Danish decisions are not divided into numbered articles.
    ("besluit:Besluit", "eli:has_part", "sh:MinCountConstraintComponent"): 25,
    # Votes (2024-06-25 items 4 and 5: 6 votes). The members present at each vote and all who
    # took part in it are never written, nor whether the vote was secret.
    ("besluit:Stemming", "besluit:heeftAanwezige", "sh:MinCountConstraintComponent"): 6,
    ("besluit:Stemming", "besluit:heeftStemmer", "sh:MinCountConstraintComponent"): 6,
    ("besluit:Stemming", "besluit:geheim", "sh:MinCountConstraintComponent"): 6,
    # A count is stated only for a position whose members are named; where the minutes name
    # nobody for a position (e.g. nobody "for" the rejected amendment), the count is unknown.
    ("besluit:Stemming", "besluit:aantalVoorstanders", "sh:MinCountConstraintComponent"): 2,
    ("besluit:Stemming", "besluit:aantalTegenstanders", "sh:MinCountConstraintComponent"): 4,
    ("besluit:Stemming", "besluit:aantalOnthouders", "sh:MinCountConstraintComponent"): 5,
    # Voters are persons (foaf:Person, as the minutes name them); the profile expects their
    # mandates (mandaat:Mandataris), which the minutes do not describe. One result per voter link.
    ("besluit:Stemming", "besluit:heeftVoorstander", "sh:ClassConstraintComponent"): 13,
    ("besluit:Stemming", "besluit:heeftTegenstander", "sh:ClassConstraintComponent"): 6,
    ("besluit:Stemming", "besluit:heeftOnthouder", "sh:ClassConstraintComponent"): 1,
}


def short(node) -> str:
    if node is None:
        return "-"
    text = str(node)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri) :]}"
    return f"<{text}>" if isinstance(node, rdflib.URIRef) else text


def target_of(shapes: rdflib.Graph, source_shape) -> str:
    """The target class of the node shape a result comes from (its property shape's parent)."""
    node_shape = next(shapes.subjects(SH.property, source_shape), source_shape)
    targets = sorted(short(t) for t in shapes.objects(node_shape, SH.targetClass))
    return " ".join(targets) or short(node_shape)


def grouped_violations(dataset: Path, shapes_file: Path):
    """(conforms, Counter of (target class, path, component), example focus node per group)."""
    data = rdflib.Graph().parse(dataset, format="turtle")
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    counts: Counter = Counter()
    examples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        assert results.value(r, SH.resultSeverity) == SH.Violation, (
            "the LBLOD shapes only declare violations"
        )
        key = (
            target_of(shapes, results.value(r, SH.sourceShape)),
            short(results.value(r, SH.resultPath)),
            short(results.value(r, SH.sourceConstraintComponent)),
        )
        counts[key] += 1
        examples[key].append(str(results.value(r, SH.focusNode)))
    return conforms, counts, {k: min(v) for k, v in examples.items()}


def report(counts: Counter, examples: dict) -> str:
    lines = ["", "LBLOD besluit-publicatie shapes on the sample dataset:"]
    width = max((len(k[0]) + len(k[1]) + 3 for k in counts), default=0)
    for key in sorted(counts):
        cls, path, component = key
        mark = "" if EXPECTED.get(key) == counts[key] else "   <-- not as documented"
        lines.append(f"  {f'{cls} {path}':<{width}} {component:<34} {counts[key]:>4}{mark}")
        lines.append(f"  {'':<{width}} e.g. <{examples[key]}>")
    for key in sorted(set(EXPECTED) - set(counts)):
        lines.append(f"  {key[0]} {key[1]} {key[2]}: 0 (documented: {EXPECTED[key]})   <-- fixed?")
    lines.append(f"  total {sum(counts.values())} violations in {len(counts)} groups")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("interop")
    result = build(None, out)
    assert len(result.files) == 3
    assert not [f.file for f in result.files if f.status == "failed"]
    path = out / "dataset.ttl"
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def lblod(request):
    if not LBLOD_SHAPES.is_file():
        pytest.skip(
            f"reference shapes not found at {LBLOD_SHAPES} (the ../shared/anchors folder is absent)"
        )
    return grouped_violations(request.getfixturevalue("dataset"), LBLOD_SHAPES)


def test_remaining_lblod_violations_are_exactly_the_documented_ones(lblod):
    conforms, counts, examples = lblod
    print(report(counts, examples))
    assert not conforms  # the minutes lack facts the profile requires; see the doc
    unexpected = {k: n for k, n in counts.items() if k not in EXPECTED}
    assert not unexpected, f"new LBLOD violation groups (caused by the mapping?): {unexpected}"
    gone = {k: n for k, n in EXPECTED.items() if k not in counts}
    assert not gone, (
        f"documented violation groups no longer occur; update EXPECTED and the doc: {gone}"
    )
    assert dict(counts) == EXPECTED


def test_every_expected_group_is_documented():
    """Each expected group has a row in docs/interoperability.md with the same count."""
    text = DOC.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"\d+", cells[3]):
            rows[(cells[0], cells[1], cells[2])] = int(cells[3])
    for (cls, path, component), n in EXPECTED.items():
        local = component.removeprefix("sh:").removesuffix("ConstraintComponent")
        # sh:MinCountConstraintComponent -> sh:minCount
        constraint = "sh:" + local[:1].lower() + local[1:]
        assert rows.get((cls, path, constraint)) == n, (
            f"docs/interoperability.md has no row `{cls}` | `{path}` | `{constraint}` | {n}"
        )
