"""referatgraph: Danish committee minutes (referater) as validated, standards-aligned linked data.

The pipeline, one function per stage::

    from referatgraph import read_source, parse_file, Minter, meeting_triples, validate_triples, build

    result = parse_file("examples/odense/000_83328fd846afc9b6.txt")   # read + segment + parse
    meeting = result.meeting                                        # referatgraph.model.Meeting
    triples = meeting_triples(meeting, Minter())                    # map (pyoxigraph triples)
    report = validate_triples(triples)                              # SHACL (pySHACL)
    build(["examples/odense"], "output")                            # all stages, publish a release
"""

__version__ = "0.1.0"

from .iris import DEFAULT_BASE_IRI, Minter
from .map import concept_triples, meeting_triples
from .parse import parse_file, parse_text
from .pipeline import build, discover
from .read import read_source
from .validate import validate_graph, validate_triples

__all__ = [
    "DEFAULT_BASE_IRI",
    "Minter",
    "build",
    "concept_triples",
    "discover",
    "meeting_triples",
    "parse_file",
    "parse_text",
    "read_source",
    "validate_graph",
    "validate_triples",
]
