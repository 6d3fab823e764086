"""A landed record as its bytes: the row of a landed file that a figure comes from.

The warehouse keeps each row's file, row and file sha256; this module goes back to the file
itself, checks its sha256 against the warehouse's, and cuts out the record's exact bytes, so
that an auditor sees what landed, not what a parser made of it:

- delimited (CSV) files: data row n from 1 (after the header), a quoted field spanning lines
  included; the bytes without the line ending;
- NDJSON: line n;
- FatturaPA (`.xml`, or `.xml.p7m` unwrapped from its CAdES envelope): `body/line` is the
  `DettaglioLinee` with that `NumeroLinea` in the body-th `FatturaElettronicaBody`, and
  `body/Rk` the k-th `DatiRiepilogo`; the element's bytes as they are in the document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class LandedRecord:
    path: str  # relative to the landing zone
    row: str
    file_sha256: str
    raw: bytes
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.path, "row": self.row, "sha256": self.file_sha256, "raw": self.text}


class RecordNotFoundError(LookupError):
    """The file is gone, changed, or holds no such row."""


def read_record(landing_dir: Path, relative: str, row: str, expected_sha256: str | None = None):
    """The record at `row` of the landed file `relative`, as its exact bytes."""
    path = landing_dir / relative
    if not path.is_file():
        raise RecordNotFoundError(f"{relative}: the landed file is no longer in the landing zone")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if expected_sha256 and sha != expected_sha256:
        raise RecordNotFoundError(
            f"{relative}: sha256 {sha} differs from the {expected_sha256} that was loaded"
        )
    name = path.name.lower()
    if name.endswith(".p7m"):
        from backoffice.parsers.p7m import unwrap_p7m

        raw = _xml_record(unwrap_p7m(data), row)
    elif name.endswith(".xml"):
        raw = _xml_record(data, row)
    elif name.endswith(".ndjson") or name.endswith(".jsonl"):
        raw = _line(data, int(row))
    else:
        raw = _csv_row(data, int(row))
    if raw is None:
        raise RecordNotFoundError(f"{relative}: no row {row}")
    return LandedRecord(relative, row, sha, raw, _decode(raw))


def _decode(raw: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _lines(data: bytes) -> list[bytes]:
    return [line.rstrip(b"\r") for line in data.split(b"\n")]


def _line(data: bytes, number: int) -> bytes | None:
    lines = _lines(data)
    return lines[number - 1] if 0 < number <= len(lines) else None


def _csv_row(data: bytes, number: int) -> bytes | None:
    """Data row `number` (1 = the row after the header); a quoted newline stays in its row."""
    records: list[bytes] = []
    pending: list[bytes] = []
    for line in data.split(b"\n"):
        pending.append(line)
        joined = b"\n".join(pending)
        if joined.count(b'"') % 2 == 0:
            records.append(joined.rstrip(b"\r"))
            pending = []
    if pending:
        records.append(b"\n".join(pending))
    records = records[1:]  # the header
    while records and records[-1] == b"":
        records.pop()
    return records[number - 1] if 0 < number <= len(records) else None


_TAG = rb"<(?:[\w.-]+:)?%s[\s>/]"


def _spans(
    data: bytes, tag: bytes, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """(start, end) of every element `tag` in data[start:end], whatever its namespace prefix."""
    end = len(data) if end is None else end
    close = re.compile(rb"</(?:[\w.-]+:)?" + tag + rb"\s*>")
    spans = []
    for opening in re.compile(_TAG % tag).finditer(data, start, end):
        closing = close.search(data, opening.start(), end)
        if closing:
            spans.append((opening.start(), closing.end()))
    return spans


def _xml_record(data: bytes, row: str) -> bytes | None:
    body_text, _, item = row.partition("/")
    bodies = _spans(data, b"FatturaElettronicaBody")
    body_index = int(body_text)
    if not 0 < body_index <= len(bodies):
        return None
    start, end = bodies[body_index - 1]
    if item.upper().startswith("R"):
        summaries = _spans(data, b"DatiRiepilogo", start, end)
        k = int(item[1:])
        if 0 < k <= len(summaries):
            s, e = summaries[k - 1]
            return data[s:e]
        return None
    wanted = item.strip()
    lines = _spans(data, b"DettaglioLinee", start, end)
    number = re.compile(rb"<(?:[\w.-]+:)?NumeroLinea>\s*([^<]*?)\s*</")
    for s, e in lines:
        found = number.search(data, s, e)
        if found and found.group(1).decode() == wanted:
            return data[s:e]
    return None
