"""Stage 1 — read: bytes on disk to clean text lines.

What later stages may assume about the lines returned by :func:`read_source`:

* the text is Unicode NFC, decoded from UTF-8 (with or without BOM), UTF-16 with BOM, or
  Windows-1252 (the fallback, reported as an info issue);
* line ``i`` of the list is line ``i + 1`` of the file: nothing is inserted or removed, so
  line numbers in the model are the file's own (CRLF and lone CR count as one line break);
* non-breaking and other exotic spaces are plain spaces, zero-width characters and form feeds
  are gone, trailing white space is stripped (tabs inside a line are kept: they separate
  table cells);
* page-break debris ("Side 3 af 45" alone on a line) is blanked, and counted.

A file that is empty, binary or undecodable raises :class:`~referatgraph.errors.InputError`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .errors import InputError
from .model import Issue, Severity, SourceDocument
from .phrases import PAGE_DEBRIS

#: A well-formed UTF-8 sequence of a non-ASCII character ("æ" is C3 A6).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SPACES = dict.fromkeys("\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000", " ")
_REMOVE = dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\f\v\x00", "")
#: Character → what it becomes in clean text (a plain space, or nothing).
_REPLACE = {**_SPACES, **_REMOVE}
#: Control characters (Unicode category Cc, all below U+0100) other than the white space a text
#: file may hold.
_CONTROL = re.compile("[" + re.escape("".join(
    c for c in map(chr, range(0x100)) if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")) + "]")


def decode(data: bytes, path: str) -> tuple[str, str, Issue | None]:
    """Decode file bytes; return (text, encoding name, what to report about the decoding).

    UTF-8 (with or without BOM) first; a file cut inside its last UTF-8 character is still
    UTF-8 (the partial character is dropped and reported); Windows-1252 only when the bytes are
    not UTF-8 elsewhere.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", None
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (NUL bytes), not text minutes", line=None)
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8"), "utf-8", Issue(
                Severity.WARNING, "truncated-character", "the file ends inside a UTF-8 character: it may be truncated", line)
        if _UTF8_MULTIBYTE.search(data):
            # Valid UTF-8 letters elsewhere: a UTF-8 file with a stray byte. Decoding it all as
            # Windows-1252 would garble every æ, ø and å; replace the bad byte and report it.
            return data.decode("utf-8", errors="replace"), "utf-8", Issue(
                Severity.WARNING, "invalid-utf8", "bytes that are not UTF-8 (replaced by U+FFFD): the file mixes encodings", line)
        try:
            return data.decode("cp1252"), "cp1252", Issue(
                Severity.INFO, "encoding-cp1252", "not UTF-8; decoded as Windows-1252")
        except UnicodeDecodeError:
            raise InputError(path, "cannot decode as UTF-8 or Windows-1252", line=line) from None


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def _replace_characters(text: str) -> str:
    """``text`` with exotic spaces made plain and invisible characters removed (``_REPLACE``).

    One ``str.replace`` per character that occurs: the same as ``str.translate`` with the table,
    many times faster on non-ASCII text (most texts hold none of these characters).
    """
    for char, replacement in _REPLACE.items():
        if char in text:
            text = text.replace(char, replacement)
    return text


def read_source(path: str | Path, display: str | None = None) -> tuple[SourceDocument, list[str], list[Issue]]:
    """Read one minutes file; return its record, its clean lines and what was noticed."""
    p = Path(path)
    name = display or str(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(name, "empty file")
    text, encoding, decoding_issue = decode(data, name)
    if not text.strip(" \t\r\n\f\v\u00a0\ufeff\u200b"):
        raise InputError(name, "empty file")
    if _control_ratio(text) > 0.05:
        raise InputError(name, "binary file (control characters), not text minutes")
    issues: list[Issue] = [decoding_issue] if decoding_issue else []
    text = _replace_characters(unicodedata.normalize("NFC", text))
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    debris = 0
    for i, ln in enumerate(lines):
        if ln and PAGE_DEBRIS.match(ln.strip()):
            lines[i] = ""
            debris += 1
    if debris:
        issues.append(
            Issue(Severity.INFO, "page-debris", f"blanked {debris} page-break line(s) (\"Side n af m\")")
        )
    source = SourceDocument(
        path=name,
        file_name=p.name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        line_count=len(lines),
    )
    return source, lines, issues
