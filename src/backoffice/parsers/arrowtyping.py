"""Set-based typing of a header-mapped file's text rows: Arrow compute over a batch of rows.

Issue #8: typing every cell in Python (`values.LocaleReaders`, then the row rules) cost
about 20 CPU s of a 200,000-line night's ingest, while splitting the same rows with the
csv module costs a few. Here a batch of rows, its cells as Arrow text columns, is typed
by Arrow's compute kernels (vectorised C++; a few dozen calls per batch, so a small file
costs little more than its rows), which also say which rows are *surely fine*:

- every mapped cell is blank where the field is optional, or matches a strict pattern
  whose value Arrow computes exactly as the Python reader does: a subset of what the
  reader accepts (`007`, `1.234,50`, `2026-03-02T10:00:00Z` are typed here; `+5`,
  `1.000` as a quantity, `2/3/2026` or a naive ISO time go through Python), and a date
  or time read back in its format gives the cell again (no 31 February rolled over);
- a local time is at least three hours from a change of its zone's UTC offset, so it
  neither happens twice nor never (the registry's DST policy never comes into play);
- no row rule can be broken (`Rule.holds`, declared beside each rule in rules.py);
- no cell has Python whitespace other than a space at either end (DuckDB's and Python's
  stripping then agree), and, in a single-byte encoding, no cell holds a character that
  could start a UTF-8 sequence followed by one that could continue it (the only way a
  row can be mojibake: encoding.is_mojibake).

Every other row goes through the Python reference path (`delimited._row`), which alone
writes reasons: what is loaded, what is quarantined and why are the same either way
(tests/unit/parsers/test_arrowtyping.py compares both on every odd cell,
tests/integration/test_ingest.py table by table). A feed
whose dialect or rules have no exact twin here (a strftime code other than
%d %m %Y %H %M %S, a rule declared without `holds`) is typed entirely in Python.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from backoffice.parsers import rules
from backoffice.parsers.encoding import is_unicode
from backoffice.parsers.mapping import Planned
from backoffice.registry import ISO8601, Dialect
from backoffice.warehouse.tables import TABLES, Column

log = logging.getLogger(__name__)

SOURCE_ROW = "_source_row"
# What str.strip() strips: Python's whitespace. Arrow trims spaces only; a cell with any
# other of these at either end goes through Python.
# (Written out: working it out is 0.05 CPU s in every process that imports the parsers;
# test_arrowtyping holds it to Python's own.)
_PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_CLOCK_CODES = {"%d": 2, "%m": 2, "%H": 2, "%M": 2, "%S": 2, "%Y": 4}
# A local time this close to a change of UTC offset is left to Python's DST policy.
_DST_MARGIN = timedelta(hours=3)
# The last year Arrow's time zones know offset changes for (local times from here: Python).
_ZONES_KNOWN_UNTIL = datetime(2038, 1, 1)
_ISO_INSTANT = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
)
_TYPES = {
    "text": pa.string(),
    "int": pa.int32(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def _arrow_type(column: Column) -> pa.DataType:
    if column.type == "decimal":
        return pa.decimal128(column.precision, column.scale)
    return _TYPES[column.type]


def _re2(text: str) -> str:
    """A literal for an RE2 pattern: letters and digits as they are, the rest escaped."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):X}}}" for c in text)


def _class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in chars) + "]"


_SPACE = _class(_PY_WHITESPACE)
EDGE_SPACE = f"^{_SPACE}|{_SPACE}$"  # Python whitespace at either end of a cell


_FIELD_OF = {"%d": pc.day, "%m": pc.month, "%Y": pc.year, "%H": pc.hour, "%M": pc.minute}
_FIELD_OF["%S"] = pc.second


class _Clock(NamedTuple):
    """A fixed-width strftime format: its RE2 pattern and where each field is written."""

    pattern: str
    fields: tuple[tuple[str, int, int], ...]  # (code, offset, width)


def _clock(fmt: str) -> _Clock | None:
    """A format made only of %d %m %Y %H %M %S (each once) and literals, with the exact
    digit counts Python's fast reader takes; else None."""
    parts, fields, offset = [], [], 0
    for piece in re.split(r"(%.)", fmt):
        if piece.startswith("%") and len(piece) == 2:
            if piece not in _CLOCK_CODES or piece in {f[0] for f in fields}:
                return None
            width = _CLOCK_CODES[piece]
            parts.append(f"[0-9]{{{width}}}")
            fields.append((piece, offset, width))
            offset += width
        elif piece:
            parts.append(_re2(piece))
            offset += len(piece)
    return _Clock("".join(parts), tuple(fields))


_ISO_DAY = _clock("%Y-%m-%d")


def _matches(cells: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(cells, f"^(?:{pattern})$")


def _only(mask: pa.Array, cells: pa.Array) -> pa.Array:
    """The cells where mask holds, null elsewhere (so a cast never sees a bad one)."""
    return pc.if_else(mask, cells, pa.scalar(None, cells.type))


def _clocked(cells: pa.Array, fmt: str, clock: _Clock) -> tuple[pa.Array, pa.Array]:
    """(naive timestamps, surely right): the pattern matches and every field read is the
    one written (Arrow's strptime rolls 31/02 over to 3 March, where Python refuses)."""
    matched = _matches(cells, clock.pattern)
    cells = _only(matched, cells)  # the others are null from here on
    naive = pc.strptime(cells, fmt, "s", error_is_null=True)
    ok = matched
    for code, offset, width in clock.fields:
        written = pc.cast(pc.utf8_slice_codeunits(cells, offset, offset + width), pa.int64())
        ok = pc.and_kleene(ok, pc.equal(_FIELD_OF[code](naive), written))
    return naive, pc.fill_null(ok, False)


# A field's typing: stripped cells -> (typed values, value surely the Python reader's).
Typer = Callable[[pa.Array], tuple[pa.Array, pa.Array]]


def _typer(column: Column, dialect: Dialect) -> Typer | None:
    """The Arrow twin of the Python reader of `column` (values.LocaleReaders), or None."""
    kind = _arrow_type(column)
    if column.type == "text":
        return lambda t: (t, pa.scalar(True))
    if column.type == "int":

        def integer(t: pa.Array) -> tuple[pa.Array, pa.Array]:
            ok = _matches(t, "-?[0-9]{1,9}")
            return pc.cast(_only(ok, t), kind), ok

        return integer
    if column.type == "decimal":
        dec, th = dialect.decimal_mark, dialect.thousands_mark
        if len(dec) != 1 or len(th) > 1 or dec == th:
            return None
        integer = f"(?:[0-9]{{1,3}}(?:{_re2(th)}[0-9]{{3}})+|[0-9]+)" if th else "[0-9]+"
        written = f"-?{integer}(?:{_re2(dec)}[0-9]+)?"
        # As written, fits decimal(p, s): at most s decimals, p - s digits before the mark
        # once leading zeros are dropped (values.check_decimal's fast case).
        digits = column.precision - column.scale
        fits = rf"-?0*[0-9]{{1,{digits}}}(?:\.[0-9]{{1,{column.scale}}})?"

        def decimal(t: pa.Array) -> tuple[pa.Array, pa.Array]:
            plain = pc.replace_substring(t, th, "") if th else t
            plain = plain if dec == "." else pc.replace_substring(plain, dec, ".")
            ok = pc.and_(_matches(t, written), _matches(plain, fits))
            return pc.cast(_only(ok, plain), kind), ok

        return decimal
    if column.type == "date":
        fmt = "%Y-%m-%d" if dialect.date_format == ISO8601 else dialect.date_format
        clock = _clock(fmt)
        if clock is None:
            return None

        def day(t: pa.Array) -> tuple[pa.Array, pa.Array]:
            naive, ok = _clocked(t, fmt, clock)
            return pc.cast(naive, kind, safe=False), ok

        return day
    if column.type == "timestamp" and dialect.timestamp_format == ISO8601:

        def instant(t: pa.Array) -> tuple[pa.Array, pa.Array]:  # with its offset only
            matched = _matches(t, _ISO_INSTANT)
            calendar = pc.utf8_slice_codeunits(t, 0, 10)
            _, real_day = _clocked(calendar, "%Y-%m-%d", _ISO_DAY)
            ok = pc.and_(matched, real_day)
            return pc.cast(_only(ok, t), kind), ok

        return instant
    if column.type == "timestamp":
        fmt, zone = dialect.timestamp_format, dialect.timezone
        clock = _clock(fmt)
        if clock is None:
            return None
        margin = pa.scalar(_DST_MARGIN, pa.duration("s"))
        # Arrow's time zones stop changing offsets after 2037 (apache/arrow#36110) where
        # zoneinfo goes on: a later local time is read by Python.
        before = pa.scalar(_ZONES_KNOWN_UNTIL, pa.timestamp("s"))

        def offset(wall: pa.Array) -> pa.Array:
            local = pc.assume_timezone(wall, zone, ambiguous="earliest", nonexistent="earliest")
            return pc.subtract(pc.cast(wall, pa.int64()), pc.cast(local, pa.int64()))

        def local_time(t: pa.Array) -> tuple[pa.Array, pa.Array]:
            naive, ok = _clocked(t, fmt, clock)
            here = offset(naive)
            steady = pc.and_kleene(
                pc.equal(offset(pc.subtract(naive, margin)), here),
                pc.equal(offset(pc.add(naive, margin)), here),
            )
            ok = pc.fill_null(
                pc.and_kleene(pc.and_kleene(ok, steady), pc.less(naive, before)), False
            )
            value = pc.assume_timezone(naive, zone, ambiguous="earliest", nonexistent="earliest")
            return pc.cast(_only(ok, value), kind), ok

        return local_time
    return None


def instant_typer() -> Typer:
    """ISO 8601 instants with their offset (values.parse_iso_instant's strict subset)."""
    typer = _typer(Column("instant", "timestamp"), Dialect(timestamp_format=ISO8601))
    assert typer is not None
    return typer


def _moji_pattern(encoding: str) -> str | None:
    """In a single-byte encoding: a character that could start a UTF-8 sequence followed by
    one that could continue it. A row without one cannot be valid UTF-8, so it is not
    mojibake; None for a Unicode encoding, where the question does not arise."""
    if is_unicode(encoding):
        return None

    def chars(first: int, last: int) -> str:
        return "".join(bytes([b]).decode(encoding, "ignore") for b in range(first, last + 1))

    return _class(chars(0xC2, 0xF4)) + _class(chars(0x80, 0xBF))


class RowTyping:
    """How one file's header plan is typed; `type_rows` types a batch of its rows."""

    def __init__(
        self,
        kind: str,
        fields: list[tuple[Column, int, bool, Typer]],
        constants: dict[str, pa.Scalar],
        width: int,
        moji: str | None,
    ) -> None:
        self.table = TABLES[kind]
        self.kind = kind
        self.fields = fields
        self.constants = constants
        self.width = width
        self.moji = moji
        self.cells = sorted({index for _, index, _, _ in fields})
        self.texts = sorted({index for column, index, _, _ in fields if column.type == "text"})

    def type_rows(
        self, rows: Sequence[list[str]], first: int
    ) -> tuple[pa.Table | None, list[int]] | None:
        """(the surely-fine rows typed, with `_source_row`; the positions of the others)
        for rows numbered from `first`; blank rows are neither. None: the batch holds text
        Arrow cannot carry (lone surrogates): the caller types it in Python."""
        width = self.width
        if set(map(len, rows)) <= {width}:
            kept: Sequence[Any] = rows
            index = pa.array(range(len(rows)), pa.int64())
            others: list[int] = []
        else:
            positions = [i for i, row in enumerate(rows) if len(row) == width]
            others = [i for i, row in enumerate(rows) if len(row) not in (0, width)]
            kept = [rows[i] for i in positions]
            index = pa.array(positions, pa.int64())
        if not kept:
            return None, others
        columns = list(zip(*kept, strict=True))
        read = range(width) if self.moji else self.cells
        try:
            raw = {i: pa.array(columns[i], pa.string()) for i in read}
        except (UnicodeError, pa.ArrowException):
            return None
        try:
            typed, fine = self._type(raw, len(kept))
        except pa.ArrowException:  # not expected (the patterns come first): Python types it
            log.exception("set-based typing of a %s batch failed; typing it in Python", self.kind)
            return None
        typed[SOURCE_ROW] = pc.cast(pc.add(index, first), pa.string())
        batch = pa.table(typed)
        if pc.all(fine).as_py():
            return batch, others
        suspects = pc.filter(index, pc.invert(fine)).to_pylist()
        return batch.filter(fine), sorted([*others, *suspects])

    def _type(self, raw: dict[int, pa.Array], rows: int) -> tuple[dict[str, Any], pa.Array]:
        stripped = {i: pc.utf8_trim(raw[i], " ") for i in self.cells}
        fine = pa.scalar(True)
        for i in self.texts:  # a typed cell's pattern refuses whitespace at its ends anyway
            fine = pc.and_not(fine, pc.match_substring_regex(stripped[i], EDGE_SPACE))
        for cells in raw.values() if self.moji else ():  # a cell that is all ASCII cannot be
            fine = pc.and_not(fine, _has_mojibake(cells, self.moji))
        values: dict[str, Any] = {}
        for column, position, required, typer in self.fields:
            t = stripped[position]
            value, ok = typer(t)
            blank = pc.equal(t, "")
            values[column.name] = pc.if_else(blank, pa.scalar(None, value.type), value)
            ok = pc.and_not(ok, blank) if required else pc.or_(blank, ok)
            fine = pc.and_(fine, ok)
        for column in self.table.columns:
            if column.name not in values:
                values[column.name] = pa.repeat(self.constants[column.name], rows)
        holds = rules.holds_arrow(self.kind, values.__getitem__)
        if holds is not None:
            fine = pc.and_(fine, holds)
        fine = pc.fill_null(fine, False)
        ordered = {c.name: values[c.name] for c in self.table.columns}
        return ordered, fine


def _has_mojibake(cells: pa.Array, pattern: str) -> pa.Array | pa.Scalar:
    """Whether each cell holds the mojibake pattern; a column all ASCII (most) is not
    searched, for the pattern needs characters beyond ASCII."""
    if pc.all(pc.string_is_ascii(cells)).as_py() is not False:
        return pa.scalar(False)
    return pc.match_substring_regex(cells, pattern)


def row_typing(
    kind: str,
    dialect: Dialect,
    planned: list[Planned],
    width: int,
    base: dict[str, Any],
) -> RowTyping | None:
    """How to type a file of `kind` whose header plan is `planned`; None when a reader or a
    rule has no exact twin here (the file is then typed in Python)."""
    mapped = tuple((p.field, p.index, p.required) for p in planned)
    try:
        key = (kind, dialect, mapped, width, tuple(sorted(base.items())))
        hash(key)
    except TypeError:
        return _row_typing(kind, dialect, mapped, width, base)
    return _cached(key)


@functools.lru_cache(maxsize=64)
def _cached(key: tuple) -> RowTyping | None:
    """The files of a feed share their header: the typing is planned once."""
    kind, dialect, mapped, width, base = key
    return _row_typing(kind, dialect, mapped, width, dict(base))


def _row_typing(
    kind: str,
    dialect: Dialect,
    mapped: tuple[tuple[str, int, bool], ...],
    width: int,
    base: dict[str, Any],
) -> RowTyping | None:
    table = TABLES[kind]
    if not rules.has_arrow_twins(kind):
        return None  # a rule declared without its twin
    fields = []
    for name, index, required in mapped:
        column = table.column(name)
        typer = _typer(column, dialect)
        if typer is None:
            return None
        fields.append((column, index, required, typer))
    mapped_names = {name for name, _, _ in mapped}
    constants = {
        c.name: pa.scalar(base.get(c.name), _arrow_type(c))
        for c in table.columns
        if c.name not in mapped_names
    }
    return RowTyping(kind, fields, constants, width, _moji_pattern(dialect.encoding))
