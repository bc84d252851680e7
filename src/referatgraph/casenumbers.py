"""Case numbers: KLE journal numbers decomposed, other schemes kept whole.

``27.03.00-Ø00-57-22`` is KLE topic ``27.03.00`` + action facet ``Ø00`` + serial ``57`` +
year ``22``. A KLE topic code printed alone (``J.nr.: 00.01.00``) is ``kle-topic``. Other municipalities' case systems (``25/26411``, ``S2020-43759``,
``EMN-2026-00445``) are case identifiers too, without a KLE decomposition. A number that starts
like a KLE number but is not one is kept as printed and flagged ``kle-malformed``.
"""

from __future__ import annotations

from .model import CaseNumber
from .phrases import KLE_LIKE, KLE_NUMBER, KLE_TOPIC_ONLY, OTHER_CASE_NUMBER


def four_digit_year(yy: int, reference_year: int) -> int:
    """The latest year ending in ``yy`` that is not after ``reference_year + 1``."""
    year = (reference_year + 1) // 100 * 100 + yy
    return year if year <= reference_year + 1 else year - 100


def parse_case_number(text: str, reference_year: int) -> CaseNumber | None:
    """Read a case number as printed; None when ``text`` is not a case number at all.

    ``reference_year`` (the meeting's year) turns the two-digit KLE year into four digits.
    """
    text = text.strip()
    m = KLE_NUMBER.match(text)
    if m:
        return CaseNumber(
            text=text,
            scheme="kle",
            kle_topic=m["topic"],
            kle_facet=m["facet"],
            serial=int(m["serial"]),
            year=four_digit_year(int(m["year"]), reference_year),
        )
    m = KLE_TOPIC_ONLY.match(text)
    if m:
        return CaseNumber(text=text, scheme="kle-topic", kle_topic=m["topic"])
    m = KLE_LIKE.match(text)
    if m:
        return CaseNumber(text=text, scheme="kle-malformed", kle_topic=m["topic"])
    if OTHER_CASE_NUMBER.match(text):
        return CaseNumber(text=text, scheme="other")
    return None
