"""Proof that a text file is in its feed's declared encoding, before a row is read.

A file read in the wrong encoding does not fail: it loads as mojibake
(`perché` becomes `perchÃ©` when UTF-8 is read as Windows-1252) and nobody
notices. So a file is streamed once in the declared encoding, strictly, and
refused as a whole when:

- a byte does not decode in that encoding (a Windows-1252 file in a UTF-8 feed);
- it starts with a UTF-16 or UTF-32 byte-order mark in a feed that is neither;
- the feed's encoding is a single-byte one (cp1252, latin-1) but the file is
  valid UTF-8 with multi-byte sequences: it decodes, but only as mojibake.
  Real Windows-1252 text is practically never valid UTF-8 once it holds an
  accented letter, so the test has no false alarm on Italian text.

A UTF-8 byte-order mark is handled: skipped in a UTF-8 feed; in a single-byte
feed skipped when the rest is plain ASCII (the text is the same in both),
otherwise the file is UTF-8 and refused as above. Memory is one chunk.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from backoffice.parsers.records import FileUnreadable

CHUNK = 1 << 20
UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def codec_name(encoding: str) -> str:
    """The codec's canonical name: `cp1252` for `windows-1252`, `utf-8-sig`, ..."""
    return codecs.lookup(encoding).name


def is_unicode(encoding: str) -> bool:
    """UTF-8/16/32 (any spelling): multi-byte sequences are expected, not mojibake."""
    return codec_name(encoding).startswith(("utf-8", "utf-16", "utf-32"))


def is_mojibake(text: str, encoding: str) -> bool:
    """Whether text decoded as a single-byte `encoding` is really UTF-8 (valid, non-ASCII)."""
    if text.isascii() or is_unicode(encoding):
        return False
    try:
        text.encode(encoding, "surrogateescape").decode("utf-8")
    except UnicodeError:
        return False
    return True


def prove_encoding(path: Path, encoding: str, feed: str) -> int:
    """How many leading bytes (a byte-order mark) to skip; FileUnreadable if not `encoding`."""
    with path.open("rb") as fh:
        head = fh.read(4)
    unicode_feed = is_unicode(encoding)
    for bom, family in _WIDE_BOMS:
        if head.startswith(bom) and not codec_name(encoding).startswith(family.lower()):
            raise FileUnreadable(
                f"the file starts with a {family} byte-order mark: it is {family} text, but "
                f"{feed} is declared {encoding}; ask for the file in {encoding}"
            )
    skip = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    if skip and unicode_feed and not codec_name(encoding).startswith("utf-8"):
        skip = 0
    strict = codecs.getincrementaldecoder(encoding)("strict")
    utf8 = None if unicode_feed else codecs.getincrementaldecoder("utf-8")("strict")
    non_ascii = False
    offset, line = skip, 1
    with path.open("rb") as fh:
        fh.seek(skip)
        while True:
            chunk = fh.read(CHUNK)
            final = not chunk
            try:
                strict.decode(chunk, final)
            except UnicodeDecodeError as exc:
                where = line + chunk.count(b"\n", 0, exc.start)
                byte = chunk[exc.start : exc.start + 1].hex().upper()
                what = f"byte 0x{byte} at byte {offset + exc.start + 1}" if byte else "its end"
                raise FileUnreadable(
                    f"the file is not valid {encoding}, as {feed} declares: {what} "
                    f"(line {where}) does not decode"
                ) from None
            if utf8 is not None:
                non_ascii = non_ascii or not chunk.isascii()
                try:
                    utf8.decode(chunk, final)
                except UnicodeDecodeError:
                    utf8 = None  # not UTF-8: genuinely single-byte text
            if final:
                break
            offset += len(chunk)
            line += chunk.count(b"\n")
    if utf8 is not None and non_ascii:
        raise FileUnreadable(
            f"the file is UTF-8 (it holds valid UTF-8 multi-byte sequences), but {feed} is "
            f"declared {encoding}: read that way it would load as mojibake (è as Ã¨); "
            f"ask for the file in {encoding}, or change the feed's encoding"
        )
    return skip
