"""Build a synthetic corpus of N meetings from the three sample minutes (examples/odense).

    python benchmarks/make_corpus.py [N]        # default N = 1000 → benchmarks/corpus/N/

Meeting k (0 ≤ k < N) is sample s = k mod 3 (in file-name order), copy c = k div 3, with:

* the meeting date moved to  sample date − 7·c days + s days.  The three samples are all on a
  Tuesday, so copies of sample s fall on Tuesday + s (Tirsdag / Onsdag / Torsdag): no two
  meetings share a date, so every (committee, date) is unique. Dates go back in time (about
  6.4 years at N = 1000), never into the future;
* the title line ("REFERAT … 2022-2025 d. dd-mm-yyyy") and the "Mødedato <Ugedag> d. <dag>.
  <måned> <år>" line rewritten consistently: weekday and Danish month name of the new date,
  the day zero-padded only when the source pads it, the weekday capitalised as in the source,
  and the electoral period recomputed for the new date (Danish municipal periods start
  2002, 2006, …, 2018, 2022);
* every KLE journal number dd.dd.dd-X00-SERIAL-YY rewritten: YY moved by the same number of
  years as the meeting (so the case year stays where it was relative to the meeting), and
  SERIAL + c, so every copy has cases of its own (the number of distinct cases grows linearly
  with N) and cases repeated inside a sample stay repeated. Except the committee's yearly
  "Godkendelse af dagsorden" case (KLE topic 85.02.02, agendas and minutes): its serial is kept,
  so all copies of a sample in the same year share it, as a committee's meetings of one year
  share one such case in the real minutes. (An earlier version let pairs of copies share all
  their cases; that repeats identical decisions about the same case at two meetings, e.g. the
  same expert group "set up" twice, which the shapes rightly reject.)

Everything else is left as it is, dates inside the text too: copies mention the sample
meetings' dates ("møde den 17. januar 2023"), some of which are meetings of the corpus, as
minutes mention earlier meetings.

Deterministic: the same N gives the same bytes. Files are named m{k:05d}_{sample stem}.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "examples" / "odense"

WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]

TITLE = re.compile(
    r"(?P<pre>REFERAT\s+.+?)(?:(?P<sp>\s+)(?P<p1>\d{4})(?P<dash>\s*[-–]\s*)(?P<p2>\d{4}))?"
    r"(?P<mid>\s+(?:d\.|den)\s*)(?P<d>\d{1,2})(?P<s1>[-.])(?P<m>\d{1,2})(?P<s2>[-.])(?P<y>\d{4})"
)
MEETING_DATE = re.compile(
    r"(?P<pre>Mødedato:?(?:\*\*)?\s+)(?P<weekday>[A-Za-zÆØÅæøå]+)(?P<mid>\s+(?:d\.|den)?\s*)"
    r"(?P<day>\d{1,2})(?P<dot>\.\s*)(?P<month>[A-Za-zÆØÅæøå]+)(?P<sp>\.?\s+)(?P<year>\d{4})"
)
#: KLE topics whose case is shared by all meetings of a year (not shifted per copy).
SHARED_TOPICS = {"85.02.02"}
KLE = re.compile(r"\b(?P<topic>\d{2}\.\d{2}\.\d{2})-(?P<facet>[A-ZÆØÅ]\d{2})-(?P<serial>\d+)-(?P<yy>\d{2})\b")


def _pad(n: int, like: str) -> str:
    return f"{n:0{len(like)}d}" if like.startswith("0") else str(n)


def _period(year: int) -> tuple[int, int]:
    start = 2002 + 4 * ((year - 2002) // 4)
    return start, start + 3


def _case_like(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word


def sample_date(text: str) -> dt.date:
    m = TITLE.search(text)
    if not m:
        raise ValueError("no title line")
    return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))


def shift(text: str, new: dt.date, serial_add: int) -> str:
    """The sample ``text`` moved to the date ``new``, KLE serials + ``serial_add``."""
    old = sample_date(text)
    years = new.year - old.year

    def title(m: re.Match) -> str:
        period = ""
        if m["p1"]:
            p1, p2 = _period(new.year)
            period = f"{m['sp']}{p1}{m['dash']}{p2}"
        return (f"{m['pre']}{period}{m['mid']}{_pad(new.day, m['d'])}{m['s1']}"
                f"{_pad(new.month, m['m'])}{m['s2']}{new.year}")

    def meeting_date(m: re.Match) -> str:
        return (f"{m['pre']}{_case_like(WEEKDAYS[new.weekday()], m['weekday'])}{m['mid']}"
                f"{_pad(new.day, m['day'])}{m['dot']}{_case_like(MONTHS[new.month - 1], m['month'])}"
                f"{m['sp']}{new.year}")

    def kle(m: re.Match) -> str:
        yy = (int(m["yy"]) + years) % 100
        serial = int(m["serial"]) + (0 if m["topic"] in SHARED_TOPICS else serial_add)
        return f"{m['topic']}-{m['facet']}-{serial}-{yy:02d}"

    text, n1 = TITLE.subn(title, text, count=1)
    text, n2 = MEETING_DATE.subn(meeting_date, text, count=1)
    if n1 != 1 or n2 != 1:
        raise ValueError(f"title/Mødedato line not found ({n1}, {n2})")
    return KLE.sub(kle, text)


def stamp() -> str:
    """Digest of this generator and the samples: a corpus folder made from other ones is stale."""
    import hashlib

    h = hashlib.sha256(Path(__file__).read_bytes())
    for p in sorted(SAMPLES.glob("*.txt")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def is_current(out: Path, n: int) -> bool:
    f = out / ".stamp"
    return f.is_file() and f.read_text() == f"{n} {stamp()}" and len(list(out.glob("*.txt"))) == n


def make(n: int, out: Path | None = None) -> Path:
    out = out or HERE / "corpus" / str(n)
    samples = sorted(SAMPLES.glob("*.txt"))
    if len(samples) != 3:
        print(f"warning: {len(samples)} samples in {SAMPLES}", file=sys.stderr)
    texts = [(p.stem, p.read_bytes().decode("utf-8")) for p in samples]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    seen: set[dt.date] = set()
    for k in range(n):
        s, c = k % len(texts), k // len(texts)
        stem, text = texts[s]
        new = sample_date(text) - dt.timedelta(days=7 * c) + dt.timedelta(days=s)
        assert new not in seen, new  # one committee: a unique date is a unique (committee, date)
        seen.add(new)
        (out / f"m{k:05d}_{stem}.txt").write_bytes(shift(text, new, c).encode("utf-8"))
    (out / ".stamp").write_text(f"{n} {stamp()}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=1000, help="number of meetings (default 1000)")
    ap.add_argument("--out", type=Path, help="output folder (default benchmarks/corpus/N)")
    a = ap.parse_args(argv)
    out = make(a.n, a.out)
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{a.n} meetings, {size / 1e6:.1f} MB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
