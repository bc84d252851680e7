"""Deliberation, sentence by sentence, on the sample minutes.

Every expected value below was written by reading the Indstilling and Beslutning sections of the
documents (line numbers given), not taken from the parser's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referatgraph.deliberation import _SENTENCE_END, numbers, parse_names, split_sentences
from referatgraph.model import Outcome, PersonRef
from referatgraph.parse import parse_file, parse_text
from referatgraph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "odense"
EXPECTED = ROOT / "tests" / "expected"
M2021, M2023, M2024 = "004_22c6d353a3b71871", "000_83328fd846afc9b6", "001_89e122cf77fe0064"


@pytest.fixture(scope="module")
def meetings():
    return {stem: parse_file(SAMPLES / f"{stem}.txt").meeting for stem in (M2021, M2023, M2024)}


def item(meetings, stem, n):
    return next(i for i in meetings[stem].items if i.number == n)


# --- the small readers, with the sentences they came from -------------------------------------


def test_names_with_role_and_party_letters():
    # 001:456 "Udvalgsmedlemmerne Reza Javid (Ø), Mads Thomsen (A), Rune Hartung Larsen (C) og
    # Nicolai Busch Bæhrenz (V) stemmer for punkt 1-3 i ændringsforslaget."
    assert parse_names("Udvalgsmedlemmerne Reza Javid (Ø), Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch Bæhrenz (V)") == (
        PersonRef("Reza Javid", "Ø", "Udvalgsmedlem"),
        PersonRef("Mads Thomsen", "A", "Udvalgsmedlem"),
        PersonRef("Rune Hartung Larsen", "C", "Udvalgsmedlem"),
        PersonRef("Nicolai Busch Bæhrenz", "V", "Udvalgsmedlem"),
    )
    # 001:40 "Rådmand Christoffer Lilleholt deltog ikke i mødet."
    assert parse_names("Rådmand Christoffer Lilleholt") == (PersonRef("Christoffer Lilleholt", None, "Rådmand"),)
    # 000:40 "Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid deltog ikke i mødet."
    assert parse_names("Udvalgsmedlemmerne Joachim Hoffmann-Petersen og Reza Javid") == (
        PersonRef("Joachim Hoffmann-Petersen", None, "Udvalgsmedlem"),
        PersonRef("Reza Javid", None, "Udvalgsmedlem"),
    )
    # Not a list of names: the committee, or a clause.
    assert parse_names("Beskæftigelses- og Socialudvalget godkender") is None
    assert parse_names("det er de unge og deres psykiske lidelser") is None


def test_point_numbers():
    assert numbers("1 og 2") == (1, 2)  # 000:156 "godkender indstillingens punkt 1 og 2"
    assert numbers("1-3") == (1, 2, 3)  # 001:456 "stemmer for punkt 1-3 i ændringsforslaget"
    assert numbers("1 – 3") == (1, 2, 3)  # 001:464 "… og punkt 1 – 3 i ændringsforslaget"
    assert numbers("1, 2 og 4") == (1, 2, 4)


def test_sentences_do_not_split_after_abbreviations():
    text = ("Udvalgsmedlemmerne A (V) og B (C) gør brug af deres ret til at standse udførelsen af "
            "udvalgets beslutning, jf. styrelseslovens § 23. Orientering givet.")
    assert split_sentences(text) == [
        "Udvalgsmedlemmerne A (V) og B (C) gør brug af deres ret til at standse udførelsen af udvalgets beslutning, jf. styrelseslovens § 23.",
        "Orientering givet.",
    ]



#: Where a sentence may end, as first written (with a look-behind): the reference for the
#: pattern split_sentences uses.
LOOK_BEHIND = re.compile(r"(?<=[.!?])\s+(?=[\"„“]?[A-ZÆØÅ0-9])")


def check_sentence_ends(text: str) -> None:
    assert [m.span("space") for m in _SENTENCE_END.finditer(text)] == [m.span() for m in LOOK_BEHIND.finditer(text)]


def test_sentence_ends_are_the_look_behind_ones_on_the_samples(meetings):
    texts = [b.text for m in meetings.values() for it in m.items for sec in it.sections
             for b in sec.blocks + tuple(b for sub in sec.subsections for b in sub.blocks)]
    assert len(texts) > 300
    for text in texts:
        check_sentence_ends(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=".!?… \t\n\u00a0aæBØ1\"„“x"))
def test_sentence_ends_are_the_look_behind_ones_on_any_text(text):
    check_sentence_ends(text)


# --- recommendations ---------------------------------------------------------------------------


def test_recommendation_to_the_city_council_with_numbered_points(meetings):
    # 004:56-59 "Beskæftigelses- og Socialforvaltningen indstiller til udvalget, at byrådet
    # godkender: 1. Profilprojekt A: … 2. At der flyttes 0,4 mio. kr. …"
    rec = item(meetings, M2021, 1).recommendation
    assert (rec.recommender, rec.addressee, rec.to_city_council) == ("Beskæftigelses- og Socialforvaltningen", "udvalget", True)
    assert [(p.number, p.text) for p in rec.points] == [
        (1, "Profilprojekt A: Flere frivillige skal bidrage til at reducere uligheden i sundhed for 2021."),
        (2, "At der flyttes 0,4 mio. kr. på drift i 2021 fra Økonomiudvalget til Beskæftigelses- og Socialudvalget."),
    ]


def test_recommendation_to_the_committee_and_one_unnumbered_point(meetings):
    # 000:146-149 "… indstiller, at udvalget godkender: 1. Medlemmer af ekspertgruppen. 2. Rammer …"
    rec = item(meetings, M2023, 3).recommendation
    assert (rec.recommender, rec.addressee, rec.to_city_council) == ("Beskæftigelses- og Socialforvaltningen", "udvalget", False)
    assert [p.number for p in rec.points] == [1, 2]
    # 000:215-217 "… indstiller, at udvalget godkender at følge integrationslovgivningen …": one point
    rec = item(meetings, M2023, 4).recommendation
    assert [p.number for p in rec.points] == [1]
    assert rec.points[0].text.startswith("udvalget godkender at følge integrationslovgivningen og særloven")


# --- decisions per point, additions, requests -------------------------------------------------


def outcomes(it):
    return [(p.point, p.outcome) for p in it.decision.point_outcomes], it.decision.outcome


def test_recommended_with_addition(meetings):
    # 004:62 "… anbefaler indstillingen med tilføjelse om, at Beskæftigelses- og Socialudvalget
    # bemærker, at det er de unge … i fokus. Beskæftigelses- og Socialudvalget præciserer, at …"
    it = item(meetings, M2021, 1)
    assert outcomes(it) == ([(1, Outcome.RECOMMENDED), (2, Outcome.RECOMMENDED)], Outcome.RECOMMENDED)
    assert it.decision.addition == (
        "at Beskæftigelses- og Socialudvalget bemærker, at det er de unge og deres psykiske lidelser, "
        "som skal være i fokus. Beskæftigelses- og Socialudvalget præciserer, at indsatsen skal lægges "
        "på den konkrete hjælp til de unge i deres kontakt med sundhedsvæsenet."
    )


def test_named_points_approved(meetings):
    # 000:156 "Beskæftigelses- og Socialudvalget godkender indstillingens punkt 1 og 2, med følgende
    # medlemmer af ekspertgruppen:" followed by five list entries (understood as part of it).
    it = item(meetings, M2023, 3)
    assert outcomes(it) == ([(1, Outcome.APPROVED), (2, Outcome.APPROVED)], Outcome.APPROVED)
    assert [s.kind for s in it.decision.sentences] == ["outcome", "list", "list", "list", "list", "list", "absence"]


def test_points_decided_under_their_own_headings(meetings):
    # 001:279-285 "#### Indstillingspunkt 1:" "… godkender indstillingspunkt 1, men udvalgsmedlem
    # Reza Javid (Ø) undlader at stemme i forhold til …" "#### Indstillingspunkt 2:" "… godkender
    # indstillingspunkt 2."
    it = item(meetings, M2024, 4)
    assert outcomes(it) == ([(1, Outcome.APPROVED), (2, Outcome.APPROVED)], Outcome.APPROVED)


def test_discussed_and_noted(meetings):
    assert outcomes(item(meetings, M2024, 7)) == ([(1, Outcome.DISCUSSED)], Outcome.DISCUSSED)  # 001:661
    assert outcomes(item(meetings, M2024, 10)) == ([], Outcome.NOTED)  # 001:944 "Orientering givet."


def test_follow_up_request(meetings):
    # 001:466 "Beskæftigelses- og Socialudvalget beder forvaltningen opgøre ressourceforbruget til
    # udarbejdelsen af værdighedskodekset i den kommende drøftelsessag."
    assert item(meetings, M2024, 5).decision.requests == (
        ("Beskæftigelses- og Socialudvalget beder forvaltningen opgøre ressourceforbruget til "
        "udarbejdelsen af værdighedskodekset i den kommende drøftelsessag."),
    )


# --- amendments and votes ----------------------------------------------------------------------


def test_rejected_amendment_and_abstention_on_part_of_a_point(meetings):
    d = item(meetings, M2024, 4).decision
    (am,) = d.amendments
    # 001:269 "Udvalgsmedlem Reza Javid (Ø) stiller følgende ændringsforslag:" 001:271-273 the quote
    assert am.proposers == (PersonRef("Reza Javid", "Ø", "Udvalgsmedlem"),)
    assert am.text.startswith("Ingen fremskrivning med den gældende pris- og lønfremskrivning")
    assert am.text.endswith("således at status qua bevares på det sociale område.")
    assert am.points == ()
    assert am.result == "rejected"  # 001:277 "Ændringsforslaget er dermed forkastet."
    votes = {v.subject: v for v in d.votes}
    assert sorted(votes) == ["Indstillingspunkt 1", "Ændringsforslag fra Reza Javid (Ø)"]
    # 001:275 "Udvalgsmedlemmerne Mads Thomsen (A), Rune Hartung Larsen (C) og Nicolai Busch
    # Bæhrenz (V) stemmer imod ændringsforslaget." Nobody is named for it: none is invented.
    v = votes["Ændringsforslag fra Reza Javid (Ø)"]
    assert [p.name for p in v.voters_against] == ["Mads Thomsen", "Rune Hartung Larsen", "Nicolai Busch Bæhrenz"]
    assert (v.voters_for, v.abstainers, v.result, v.committee_as_whole) == ((), (), "rejected", False)
    # 001:281 "… godkender indstillingspunkt 1, men udvalgsmedlem Reza Javid (Ø) undlader at stemme i
    # forhold til den del af indstillingspunktet, som vedrører det forhøjede krav på 0,25 procentpoint."
    v = votes["Indstillingspunkt 1"]
    assert [p.name for p in v.abstainers] == ["Reza Javid"]
    assert v.abstention_scope == "i forhold til den del af indstillingspunktet, som vedrører det forhøjede krav på 0,25 procentpoint"
    assert (v.voters_for, v.voters_against, v.result, v.committee_as_whole) == ((), (), "adopted", True)


def test_amendment_adopted_in_part_with_votes_per_point(meetings):
    d = item(meetings, M2024, 5).decision
    (am,) = d.amendments
    # 001:450-453 the four quoted points "1) …" … "4) …"
    assert [p.number for p in am.points] == [1, 2, 3, 4]
    assert am.points[0].text == "Udkast til kodekset skal komme som en sag til drøftelse først."
    assert am.points[3].text == "I tilfælde, hvor virksomheden ikke overholder værdighedskodekset, har borgeren ret til en ny praktik."
    # 001:462 "Punkt 4 i ændringsforslaget er dermed forkastet." 001:464 "… godkender dermed
    # forvaltningens indstilling og punkt 1 – 3 i ændringsforslaget."
    assert (am.result, am.adopted_points, am.rejected_points) == ("partly-adopted", (1, 2, 3), (4,))
    assert outcomes(item(meetings, M2024, 5)) == ([(1, Outcome.APPROVED)], Outcome.APPROVED)
    four = ["Reza Javid", "Mads Thomsen", "Rune Hartung Larsen", "Nicolai Busch Bæhrenz"]
    got = {v.subject: ([p.name for p in v.voters_for], [p.name for p in v.voters_against], v.result) for v in d.votes}
    assert got == {
        "Punkt 1 i ændringsforslag fra Reza Javid (Ø)": (four, [], "adopted"),
        "Punkt 2 i ændringsforslag fra Reza Javid (Ø)": (four, [], "adopted"),
        "Punkt 3 i ændringsforslag fra Reza Javid (Ø)": (four, [], "adopted"),
        # 001:458 "Udvalgsmedlem Reza Javid (Ø) stemmer for punkt 4 i ændringsforslaget."
        # 001:460 "Udvalgsmedlemmerne Mads Thomsen (A), … stemmer imod punkt 4 i ændringsforslaget."
        "Punkt 4 i ændringsforslag fra Reza Javid (Ø)": (["Reza Javid"], four[1:], "rejected"),
    }


def test_no_other_item_has_amendments_votes_or_referrals(meetings):
    with_any = sorted(
        (stem, it.number)
        for stem, m in meetings.items()
        for it in m.items
        if it.decision and (it.decision.amendments or it.decision.votes or it.decision.referrals)
    )
    assert with_any == [(M2024, 4), (M2024, 5)]


# --- attendance ---------------------------------------------------------------------------------


def test_absences_against_the_hand_read_lists(meetings):
    for stem, m in meetings.items():
        exp = json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
        whole = sorted({n for e in exp["items"] for n in e["absent_from_meeting"]})
        assert sorted(p.name for p in m.absent) == whole, stem
        for it, e in zip(m.items, exp["items"]):
            item_only = [a.person.name for a in (it.decision.absences if it.decision else ()) if a.scope == "item"]
            assert item_only == e["absent_from_item"], (stem, it.number)


def test_roles_as_written(meetings):
    assert meetings[M2024].absent == (PersonRef("Christoffer Lilleholt", None, "Rådmand"),)


# --- sentences from DOMAIN.md that the samples do not contain ------------------------------------

MINUTES = """REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 10-12-2024

Mødedato Tirsdag d. 10. december 2024 kl. 08:30

Punkt 1: C-sag: Drøftelse af budget (Ophøjet til B-sag)

15.00.00-A00-99-24

Indstilling

Beskæftigelses- og Socialforvaltningen indstiller, at udvalget drøfter budgettet.

Beslutning

{decision}
"""


def decision_of(text):
    result = parse_text(MINUTES.format(decision=text))
    assert result.ok, result.issues
    return result.meeting.items[0]


def test_upgrade_and_referral():
    it = decision_of(
        "Beskæftigelses- og Socialudvalget besluttede at gøre sagen til en B-sag og godkender indstillingen.\n\n"
        "Udvalgsmedlemmerne Mads Thomsen (A) og Rune Hartung Larsen (C) gør brug af deres ret til at standse "
        "udførelsen af udvalgets beslutning, jf. styrelseslovens § 23, og indbringer sagen for byrådet."
    )
    assert it.upgraded_to.value == "B" and it.case_type.value == "C"
    assert it.decision.outcome is Outcome.APPROVED
    (ref,) = it.decision.referrals
    assert [p.name for p in ref.persons] == ["Mads Thomsen", "Rune Hartung Larsen"]


def test_members_approving_and_not_approving_a_point_are_votes():
    it = decision_of(
        "Udvalgsmedlemmerne Mads Thomsen (A) og Rune Hartung Larsen (C) godkender indstillingspunkt 1.\n\n"
        "Udvalgsmedlem Reza Javid (Ø) godkender ikke indstillingspunkt 1."
    )
    (v,) = it.decision.votes
    assert v.subject == "Indstillingspunkt 1"
    assert [p.name for p in v.voters_for] == ["Mads Thomsen", "Rune Hartung Larsen"]
    assert [p.name for p in v.voters_against] == ["Reza Javid"]
    assert it.decision.outcome is None  # the committee's own decision is not written


def test_a_sentence_not_understood_is_kept_and_reported():
    result = parse_text(MINUTES.format(decision="Sagen sendes i høring hos Handicaprådet."))
    (unknown,) = [s for s in result.meeting.items[0].decision.sentences if s.kind == "unknown"]
    assert unknown.text == "Sagen sendes i høring hos Handicaprådet."
    assert [i.code for i in result.issues if i.code == "decision-sentence-not-understood"] == ["decision-sentence-not-understood"]


# --- the three queries on the built sample dataset ---------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    assert build(None, out).ok
    s = ox.Store()
    s.load(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    return s


def run(store, name):
    solutions = store.query((ROOT / "queries" / name).read_text(encoding="utf-8"))
    names = [v.value for v in solutions.variables]
    return names, [tuple(None if s[n] is None else s[n].value for n in names) for s in solutions]


def test_votes_query(store):
    names, rows = run(store, "votes.rq")
    assert names == ["date", "number", "subject", "person", "position"]
    d = "2024-06-25"
    am = "Ændringsforslag fra Reza Javid (Ø)"
    three = ["Mads Thomsen", "Nicolai Busch Bæhrenz", "Rune Hartung Larsen"]
    four = sorted(three + ["Reza Javid"])
    expected = [(d, "4", "Indstillingspunkt 1", "Reza Javid", "abstain")]
    expected += [(d, "4", am, p, "against") for p in three]
    for k in (1, 2, 3):
        expected += [(d, "5", f"Punkt {k} i ændringsforslag fra Reza Javid (Ø)", p, "for") for p in four]
    expected += [(d, "5", "Punkt 4 i ændringsforslag fra Reza Javid (Ø)", p, "against") for p in three]
    expected += [(d, "5", "Punkt 4 i ændringsforslag fra Reza Javid (Ø)", "Reza Javid", "for")]
    assert sorted(rows) == sorted(expected)
    assert len(rows) == 20


def test_absences_query(store):
    names, rows = run(store, "absences.rq")
    assert names == ["date", "number", "person"]
    assert sorted(rows, key=str) == sorted([
        ("2021-02-02", "1", "Michael Eskamp Witek"),
        ("2023-01-17", None, "Joachim Hoffmann-Petersen"),
        ("2023-01-17", None, "Reza Javid"),
        ("2024-06-25", None, "Christoffer Lilleholt"),
        ("2024-06-25", "15", "Rune Hartung Larsen"),
    ], key=str)


def test_referrals_query(store, tmp_path):
    names, rows = run(store, "referrals.rq")
    assert (names, rows) == (["date", "number", "person"], [])  # none in the samples
    # A sample with a § 23 referral written into item 4's decision (000:221).
    text = (SAMPLES / f"{M2023}.txt").read_text(encoding="utf-8").replace(
        "Beskæftigelses- og Socialudvalget godkender indstillingen.\n",
        "Beskæftigelses- og Socialudvalget godkender indstillingen.\n\nUdvalgsmedlemmerne Mads Thomsen (A) og "
        "Rune Hartung Larsen (C) gør brug af deres ret til at standse udførelsen af udvalgets beslutning, "
        "jf. styrelseslovens § 23.\n", 1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "m.txt").write_text(text, encoding="utf-8")
    assert build([tmp_path / "in"], tmp_path / "out").ok
    s = ox.Store()
    s.load(path=str(tmp_path / "out" / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    _, rows = run(s, "referrals.rq")
    assert rows == [("2023-01-17", "4", "Mads Thomsen"), ("2023-01-17", "4", "Rune Hartung Larsen")]


def test_one_person_across_meetings_with_and_without_party_letter(store):
    rows = list(store.query("""
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?p WHERE { ?p foaf:name "Reza Javid" }"""))
    assert [r["p"].value for r in rows] == ["https://referatgraph.example/id/person/reza-javid"]
    parties = list(store.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?letter ?name WHERE {
          <https://referatgraph.example/id/person/reza-javid> org:hasMembership/org:organization ?party .
          ?party skos:notation ?letter ; skos:prefLabel ?name }"""))
    assert [(r["letter"].value, r["name"].value) for r in parties] == [("Ø", "Enhedslisten")]
