"""The browsable site: pages for meetings, items, cases, committees, persons and parties; every
link resolves from the file system; each page embeds its data and links its Turtle and JSON-LD;
everything from the minutes is escaped (a hostile title stays text)."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from release_helpers import BASE, HOSTILE, HOSTILE_ITEM, KEYS, hostile_release, sample_release

from referatgraph.iris import Minter
from referatgraph.publish import Subjects, TurtleBlocks, sort_key
from referatgraph.site import local_path, script_json
from referatgraph.vocab import PREFIXES


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._script: dict | None = None
        self._title = False
        self.title = ""
        self.h1 = ""
        self._h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("a", "link") and "href" in a:
            self.links.append((tag, a))
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        self._title = tag == "title"
        self._h1 = self._h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "h1":
            self._h1 = False
        self._title = False

    def handle_data(self, data):
        if self._script is not None:
            a, text = self.scripts[-1]
            self.scripts[-1] = (a, text + data)
        elif self._title:
            self.title += data
        else:
            self.text.append(data)
        if self._h1:
            self.h1 += data


@pytest.fixture(scope="module")
def out() -> Path:
    return sample_release()


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_a_page_for_every_meeting_item_case_committee(out):
    data = {q.triple for q in ox.parse(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)}
    typed = lambda cls: {t.subject.value for t in data if t.predicate.value.endswith("#type") and t.object.value == cls}
    for cls in ("http://data.vlaanderen.be/ns/besluit#Zitting", "http://data.vlaanderen.be/ns/besluit#Agendapunt",
                "https://w3id.org/referatgraph/ns#Case", "https://w3id.org/referatgraph/ns#Committee"):
        iris = typed(cls)
        assert iris, cls
        for iri in iris:
            kind, local = iri[len(BASE):].split("/", 1)
            page = out / kind / (local_path(local) + ".html")
            assert page.is_file(), iri
    for kind in ("person", "party"):  # once the minutes name people and parties
        for iri in {t.subject.value for t in data if t.subject.value.startswith(f"{BASE}{kind}/")}:
            assert (out / kind / (local_path(iri[len(BASE) + len(kind) + 1:]) + ".html")).is_file(), iri


def test_every_link_resolves_from_the_file_system(out):
    n = 0
    for page in pages(out):
        parsed = Page(page.read_text(encoding="utf-8"))
        for tag, a in parsed.links:
            href = a["href"]
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            url = urlsplit(href)
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            assert target.is_file(), f"{page.relative_to(out)}: {href}"
            if url.fragment and target.suffix == ".html":
                assert url.fragment in Page(target.read_text(encoding="utf-8")).ids, f"{page.relative_to(out)}: {href}"
            n += 1
    assert n > 500


def test_each_page_embeds_its_data_and_links_turtle_and_jsonld(out):
    for kind in ("meeting", "item", "case", "body"):
        for page in sorted((out / kind).glob("*.html"))[:6]:
            if page.name == "index.html":
                continue
            parsed = Page(page.read_text(encoding="utf-8"))
            alternates = {a["type"]: a["href"] for tag, a in parsed.links if tag == "link" and a.get("rel") == "alternate"}
            assert set(alternates) == {"text/turtle", "application/ld+json"}, page
            ttl = page.parent / unquote(alternates["text/turtle"])
            iri = next(a["href"] for tag, a in parsed.links if a.get("rel") == "canonical")
            subjects = {q.subject.value for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
            assert iri in subjects
            embedded = [json.loads(text) for a, text in parsed.scripts if a.get("type") == "application/ld+json"]
            assert len(embedded) == 1
            doc = embedded[0]
            ids = {n["id"] for n in doc.get("@graph", [doc])}
            assert iri in ids
            assert json.loads((page.parent / unquote(alternates["application/ld+json"])).read_text(encoding="utf-8")) == doc


def test_meeting_page_lists_its_items_in_order(out):
    parsed = Page((out / "meeting" / f"{KEYS[1]}.html").read_text(encoding="utf-8"))
    items = [a["href"] for tag, a in parsed.links if a["href"].startswith("../item/")]
    assert items[:8] == [f"../item/{KEYS[1]}-{n}.html" for n in range(1, 9)]
    assert parsed.h1 == "Beskæftigelses- og Socialudvalget 2023-01-17"


def test_case_page_shows_its_timeline(out):
    page = out / "case" / "15.40.00-A00-5-22.html"
    text = page.read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td>", text.split('id="timeline"')[1])
    assert rows == ["2023-01-17", "2024-06-25"]
    assert f'href="../item/{KEYS[1]}-3.html"' in text and f'href="../item/{KEYS[2]}-11.html"' in text


def test_turtle_blocks_give_the_bytes_oxigraph_writes_for_the_subjects(out):
    """A page's Turtle is cut out of its meeting's (TurtleBlocks): the same bytes as ox.serialize
    of the page's triples, for each subject alone, each meeting's first subjects, and every
    third subject, from every meeting and from the whole dataset."""
    prefixes = {**PREFIXES, **Minter(BASE).prefixes()}
    files = sorted((out / "meetings").glob("*.ttl")) + [out / "dataset.ttl"]
    for path in files:
        triples = sorted((q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)), key=sort_key)
        described = Subjects(triples)
        blocks = TurtleBlocks(described, prefixes)
        subjects = list(described.props)
        assert blocks.text == ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        for chosen in [[s] for s in subjects] + [subjects[:7], subjects[::3], []]:
            expected = ox.serialize(described.of(chosen), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            assert blocks.document(reversed(chosen)) == expected


def test_percent_encoded_case_iris_map_to_decoded_paths():
    assert local_path("27.03.00-%C3%9800-57-22") == "27.03.00-Ø00-57-22"
    assert local_path("25%2F26411") == "25/26411"
    assert local_path("..%2F..%2Fetc") == "_..%2F..%2Fetc".replace("%", "_")  # never outside the site
    assert local_path("%2E%2E") == "_%2E%2E".replace("%", "_")


def test_script_json_cannot_close_the_script_element():
    text = str(script_json({"t": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> & <!--"}


def test_hostile_title_is_escaped_everywhere():
    out = hostile_release()
    local = HOSTILE_ITEM[len(BASE) + len("item/"):]
    for page in (out / "item" / f"{local}.html", out / "meeting" / f"{KEYS[1]}.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>fed</b>" not in html, page
        parsed = Page(html)
        assert [a.get("type") for a, _ in parsed.scripts] == ["application/ld+json"]  # no script injected
        assert HOSTILE in "".join(parsed.text) + parsed.h1, page  # shown as text, exactly
    item_page = Page((out / "item" / f"{local}.html").read_text(encoding="utf-8"))
    doc = json.loads(item_page.scripts[0][1])
    titles = [n.get("title") for n in doc.get("@graph", [doc])]
    assert HOSTILE in titles
    assert HOSTILE in item_page.title


def _committed_shared_store(tmp_path: Path):
    """A shared store holding the shared graph of the committed sample release."""
    from referatgraph.sharedstore import SharedStore

    root = Path(__file__).resolve().parent.parent
    shared = SharedStore(tmp_path / "shared.sqlite")
    shared.add([q.triple for q in ox.parse(path=str(root / "output" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
                if q.graph_name.value.endswith("/graph/shared")])
    shared.commit()
    return shared


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_entity_pages_are_sliced_for_every_worker(tmp_path, workers):
    """The pages of cases, persons and parties go to the workers in slices: at least as many as
    there are workers (none idle), of at most 500 entities (memory), each entity in one slice;
    committees' pages are written here."""
    from concurrent.futures import Future

    from referatgraph.iris import DEFAULT_BASE_IRI
    from referatgraph.site import Site

    shared = _committed_shared_store(tmp_path)
    site = Site(tmp_path / "site", DEFAULT_BASE_IRI, {**PREFIXES, **Minter(DEFAULT_BASE_IRI).prefixes()})
    slices = []

    def submit(fn, args):
        slices.append(args[4])
        done = Future()
        done.set_result([])
        return done

    started = site.start_entity_pages(shared, submit, workers)
    entities = [s for sl in slices for s in sl]
    # (the committed output/ has these pages: 25 cases, 13 persons, 4 parties, and 30 meetings
    # of which 3 converted, whose pages the meetings' parts wrote, and 27 referred to by date)
    assert Counter(e.split("/")[-2] for e in entities) == {"case": 25, "meeting": 27, "party": 4, "person": 13}
    assert len(entities) == len(set(entities))
    assert len(slices) == workers and max(map(len, slices)) - min(map(len, slices)) <= 1
    assert len(started) == workers + 1 and started[0]  # the committees' page entries, written here
    assert (tmp_path / "site" / "body").is_dir()


def test_a_persons_timeline_names_each_role_in_danish(out):
    """The "Rolle" column says what the person did, in Danish: the labels of the project's own
    terms (from the ontology) and of the standard ones (besluit's votes). Reza Javid, from the
    minutes: absent on 17 January 2023 ("Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza
    Javid deltog ikke i mødet."); on 25 June 2024 he proposes amendments in items 4 and 5
    ("Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:"), abstains in item 4
    ("… udvalgsmedlem Reza Javid (Ø) undlader at stemme …") and votes for in item 5
    ("Udvalgsmedlem Reza Javid (Ø) stemmer for punkt 4 i ændringsforslaget.")."""
    assert _timeline(out / "person" / "reza-javid.html") == [
        ("2023-01-17", "fraværende", "mødet"),
        ("2024-06-25", "stillet af", "punkt 4"),
        ("2024-06-25", "undlod at stemme", "punkt 4"),
        ("2024-06-25", "stillet af", "punkt 5"),
        ("2024-06-25", "stemte for", "punkt 5"),
    ]


def test_timelines_name_a_link_records_subject_by_its_predicate_and_show_a_reference_once(out):
    """The head of the expert group, from the link record of "Forpersonen for ekspertgruppen,
    Martha Ahlmann …" (25 June 2024): "leder af". The meeting of 24 January 2017, referred to
    by item 10 of 25 June 2024 ("… blev vedtaget af udvalget den 24. januar 2017."): one row,
    not a second one for the link record of the same reference."""
    assert _timeline(out / "person" / "martha-ahlmann.html") == [("2024-06-25", "leder af", "mødet")]
    assert _timeline(out / "meeting" / "beskaeftigelses-og-socialudvalget-2017-01-24.html") == [
        ("2024-06-25", "henviser til møde", "punkt 10")]


def _timeline(page: Path) -> list[tuple[str, str, str]]:
    """(date, role, where) of each row of a page's timeline table."""
    text = page.read_text(encoding="utf-8")
    table = text[text.index('id="timeline"'):]
    table = table[:table.index("</table>")]
    rows = [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table) if "<td>" in row]
    return [(date, role, where) for date, role, where, _ in rows]


def test_a_resources_facts_name_the_standard_terms_in_danish(out):
    """The vote on Reza Javid's amendment to item 4 of 25 June 2024 ("Udvalgsmedlemmerne Mads
    Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V) stemmer imod
    ændringsforslaget."), as its facts show it: besluit's terms in Danish, no CURIE."""
    text = (out / "item" / "beskaeftigelses-og-socialudvalget-2024-06-25-4.html").read_text(encoding="utf-8")
    block = text[text.index("afstemning: beskaeftigelses-og-socialudvalget-2024-06-25-4-a1"):]
    block = block[:block.index("</table>")]
    rows = {re.sub(r"<[^>]+>", "", th): re.sub(r"<[^>]+>", "", td)
            for th, td in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", block)}
    assert rows["stemte imod"] == "Mads Thomsen, Nicolai Busch Bæhrenz, Rune Hartung Larsen"
    assert rows["antal imod"] == "3" and rows["resultat"] == "forkastet"
    assert rows["om"] == "Ændringsforslag fra Reza Javid (Ø)"
    assert not [label for label in rows if re.fullmatch(r"[a-z-]+:\w+", label)]


def test_types_are_named_once_in_danish(out):
    """A person (person:Person and foaf:Person) is "person", once; a vote's block is titled
    "afstemning", not "besluit:Stemming / afstemning"."""
    person = (out / "person" / "reza-javid.html").read_text(encoding="utf-8")
    assert "<tr><th>Type</th><td>person</td></tr>" in person
    item = (out / "item" / "beskaeftigelses-og-socialudvalget-2024-06-25-4.html").read_text(encoding="utf-8")
    assert "<h2>afstemning: beskaeftigelses-og-socialudvalget-2024-06-25-4-a1</h2>" in item
    assert "besluit:Stemming /" not in item


def test_entity_pages_are_the_same_when_the_reader_forgets_after_every_page(tmp_path, monkeypatch):
    """A slice of entity pages forgets what it read once that holds more than READ_LIMIT
    triples (memory); the pages must not depend on it. With a limit of 0 it forgets after every
    page: every case, person and party page of the sample release has the same bytes."""
    from referatgraph import site as site_module
    from referatgraph.iris import DEFAULT_BASE_IRI
    from referatgraph.site import Site

    shared = _committed_shared_store(tmp_path)
    prefixes = {**PREFIXES, **Minter(DEFAULT_BASE_IRI).prefixes()}
    probe = Site(None, DEFAULT_BASE_IRI, prefixes)
    entities = [s for s in shared.subjects() if probe.page_path(s) and probe.kind(s) in ("case", "person", "party")]
    assert len(entities) > 20
    forgotten = []
    forget = site_module._StoreReader.forget
    monkeypatch.setattr(site_module._StoreReader, "forget", lambda self: forgotten.append(self._held) or forget(self))

    def written(limit: int, folder: str) -> dict[str, bytes]:
        monkeypatch.setattr(site_module, "READ_LIMIT", limit)
        out = tmp_path / folder
        Site(out, DEFAULT_BASE_IRI, prefixes).entity_pages(shared, entities)
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    kept = written(10**9, "kept")
    assert forgotten and all(n > 0 for n in forgotten)  # (never over the limit: nothing forgotten)
    forgotten.clear()
    assert written(0, "forgetting") == kept
    assert len(forgotten) == len(entities) and all(n > 0 for n in forgotten)  # (each time over 0: cleared)
    assert len(kept) == 3 * len(entities)  # each page's .html, .ttl and .jsonld


def test_a_long_list_goes_on_pages_that_link_to_each_other(tmp_path, monkeypatch, out):
    """The lists of all cases, persons and parties go on pages of LIST_PAGE rows (at 1,000 the
    sample release's lists are one page each, as committed); at 4 rows a page the cases of the
    sample release are on several pages, each case linked once, every page linking to the
    others and naming its place."""
    from referatgraph import site as site_module
    from referatgraph.pipeline import build

    assert not list((out / "case").glob("index-*.html"))
    one_page = _links(out / "case" / "index.html")
    assert len(one_page) > 8
    monkeypatch.setattr(site_module, "LIST_PAGE", 4)
    result = build([Path(__file__).resolve().parent.parent / "examples" / "odense"], tmp_path / "out", jobs=1)
    assert result.ok
    lists = [tmp_path / "out" / "case" / "index.html"] + [
        tmp_path / "out" / "case" / f"index-{n}.html" for n in range(2, -(-len(one_page) // 4) + 1)]
    assert sorted((tmp_path / "out" / "case").glob("index*.html")) == sorted(lists)
    seen = []
    for n, page in enumerate(lists, 1):
        html = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="crumbs">Side (.*?)</nav>', html).group(1)
        assert f"<strong>{n}</strong>" in nav
        assert re.findall(r'<a href="([^"]+)">', nav) == [p.name for p in lists if p != page]
        rows = _links(page)
        assert 0 < len(rows) <= 4
        seen += rows
    assert seen == one_page


def _links(page: Path) -> list[str]:
    """The links of a list page's table rows."""
    table = page.read_text(encoding="utf-8").split('<table class="list">', 1)[1]
    return re.findall(r'<td><a href="([^"]+)">', table)
