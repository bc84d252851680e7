"""Releases built once per test session and shared by the release, site, store, serve, push and
browser tests (building is the slow part): the sample corpus, and the sample corpus with one
agenda item given a hostile title."""

from __future__ import annotations

import atexit
import shutil
import socket
import tempfile
from functools import cache
from pathlib import Path

from referatgraph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "odense"
BASE = "https://referatgraph.example/id/"
KEYS = [
    "beskaeftigelses-og-socialudvalget-2021-02-02",
    "beskaeftigelses-og-socialudvalget-2023-01-17",
    "beskaeftigelses-og-socialudvalget-2024-06-25",
]
DOCS = {  # meeting key → source document IRI (the named graph)
    KEYS[0]: f"{BASE}document/004-22c6d353a3b71871",
    KEYS[1]: f"{BASE}document/000-83328fd846afc9b6",
    KEYS[2]: f"{BASE}document/001-89e122cf77fe0064",
}
#: An agenda item title that tries HTML, script and SPARQL injection at once.
HOSTILE = 'Nøgletal <script>alert("x")</script> & </script><b>fed</b> " } ; DROP ALL ; # \'x\''
HOSTILE_ITEM = f"{BASE}item/{KEYS[1]}-7"

_TMP = Path(tempfile.mkdtemp(prefix="referatgraph-tests-"))
atexit.register(shutil.rmtree, _TMP, True)


def tmp_dir(name: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix=name + "-", dir=_TMP))
    return d


@cache
def sample_release() -> Path:
    """The sample corpus built into a fresh directory. Read-only for the tests: copy it first."""
    out = _TMP / "sample"
    result = build([CORPUS], out)
    assert result.ok, [f.to_dict() for f in result.failed]
    return out


def hostile_corpus(dest: Path) -> Path:
    """The sample corpus, item 7 of the 2023 meeting retitled with :data:`HOSTILE`."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(CORPUS.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if f.name.startswith("000_"):
            assert text.count("Nøgletal på beskæftigelsesområdet") == 2
            text = text.replace("Nøgletal på beskæftigelsesområdet", HOSTILE)
        (dest / f.name).write_text(text, encoding="utf-8")
    return dest


@cache
def hostile_release() -> Path:
    corpus = hostile_corpus(_TMP / "hostile-corpus")
    out = _TMP / "hostile"
    result = build([corpus], out)
    assert not [f for f in result.files if f.status == "failed"]
    return out


def copy_release(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
