"""A dry run of a feed entry against sample files: what a night would do, with nothing written.

The data engineer tries a provider's first files before they reach a night:
for each file, the header found and how the registry maps it, the first rows
as the canonical records they become, every row that would be quarantined and
why, provider states the state map does not know, and a verdict. A file the
entry cannot load at all (a renamed column, the wrong encoding or format) is a
failure; quarantined rows and unknown states are findings, not failures: a
night would load the rest and report them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from backoffice import publish
from backoffice.parsers import FileUnreadable, Record, parse_file, read_header
from backoffice.parsers.drift import Change, against_mapping, compare
from backoffice.registry import Feed, Registry
from backoffice.settings import Settings

FIRST_ROWS = 5


@dataclass
class FileCheck:
    """What the entry makes of one file."""

    path: Path
    name_matches: bool
    header: list[str] | None = None
    mapping: list[tuple[str, str, bool]] = field(default_factory=list)  # field, column, found
    unmapped_columns: list[str] = field(default_factory=list)
    first_records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rows_read: int = 0
    records: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # row, reason
    unknown_states: dict[str, list[str]] = field(default_factory=dict)  # state -> rows
    unreadable: str | None = None
    drift: list[Change] = field(default_factory=list)  # against the registry's mapping
    since: list[Change] = field(default_factory=list)  # against the last delivery's header
    since_file: str = ""

    @property
    def can_load(self) -> bool:
        return self.unreadable is None and self.name_matches

    def verdict(self) -> str:
        if not self.name_matches:
            return "CANNOT LOAD: the file name matches none of the feed's patterns"
        if self.unreadable:
            return f"CANNOT LOAD: {self.unreadable}"
        notes = []
        if self.rejected:
            notes.append(f"{len(self.rejected)} row(s) would be quarantined")
        if self.unknown_states:
            notes.append(f"{len(self.unknown_states)} provider state(s) not in the state map")
        tail = f" ({'; '.join(notes)})" if notes else ""
        return f"LOADS: {self.records} record(s) of {self.rows_read} row(s){tail}"


def check_files(
    registry: Registry,
    source: str,
    feed_name: str,
    files: list[Path],
    previous: tuple[list[str], str] | None = None,
) -> list[FileCheck]:
    """Dry-run one feed entry over each file; nothing is written anywhere.

    `previous`: the header of the feed's last delivery and its file (from the
    current publication), to name what each file's header changed since then.
    """
    feed = registry.feed(source, feed_name)
    states = registry.sources[source].states
    return [_check(feed, states, Path(f), previous) for f in files]


def last_delivered_header(
    settings: Settings, source: str, feed: str
) -> tuple[list[str], str] | None:
    """The header of the feed's latest landed file the current publication recorded."""
    path = publish.current_publication(settings)
    if path is None:
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            row = con.execute(
                "select header_columns, file_path from raw.landed_files "
                "where source = ? and feed = ? and header_columns is not null "
                "order by delivery_date desc, file_path desc limit 1",
                [source, feed],
            ).fetchone()
        except duckdb.Error:  # a publication from before headers were recorded
            return None
    return (json.loads(row[0]), row[1]) if row else None


def _check(
    feed: Feed, states: Any, path: Path, previous: tuple[list[str], str] | None
) -> FileCheck:
    from backoffice.ingest import matches_feed

    result = FileCheck(path=path, name_matches=matches_feed(path.name, feed))
    _read_header(feed, path, result)
    if previous is not None and result.header is not None:
        result.since = compare(previous[0], result.header)
        result.since_file = previous[1]
    try:
        for item in parse_file(path, feed):
            result.rows_read += 1
            if isinstance(item, Record):
                result.records += 1
                if len(result.first_records) < FIRST_ROWS:
                    result.first_records.append((item.source_row, dict(item.values)))
                state = item.values.get("provider_state")
                if state is not None and state not in states:
                    result.unknown_states.setdefault(state, []).append(item.source_row)
            else:
                result.rejected.append((item.source_row, item.reason))
    except (FileUnreadable, UnicodeError, OSError) as exc:
        result.unreadable = str(exc)
    return result


def _read_header(feed: Feed, path: Path, result: FileCheck) -> None:
    """The header, how the registry maps it, and its drift from the mapping (if it has one)."""
    try:
        names = read_header(path, feed)
    except (FileUnreadable, UnicodeError, OSError):
        return  # the parse below says why, with the same reason a night would give
    if names is None:
        return  # a format without a header row (TMF622, FatturaPA)
    result.header = names
    result.mapping = [(f, c, c in names) for f, c in feed.columns.items()]
    mapped = set(feed.columns.values())
    result.unmapped_columns = [n for n in names if n and n not in mapped]
    result.drift = against_mapping(names, feed.columns)


def render_text(source: str, feed_name: str, checks: list[FileCheck]) -> str:
    """The dry run as a person reads it: per file, header, mapping, rows, problems, verdict."""
    lines = [f"Dry run of {source}/{feed_name} (nothing is written)"]
    for check in checks:
        lines += ["", f"== {check.path}"]
        if not check.name_matches:
            lines.append("  file name: matches none of the feed's patterns")
        if check.header is not None:
            lines.append(f"  header: {', '.join(check.header)}")
            for fld, column, found in check.mapping:
                mark = "ok" if found else "MISSING from the header"
                lines.append(f"    {fld:<24} <- {column:<24} {mark}")
            if check.unmapped_columns:
                lines.append(f"  columns not used: {', '.join(check.unmapped_columns)}")
            for change in check.drift:
                lines.append(f"  schema drift: {change.sentence()}")
            for change in check.since:
                lines.append(
                    f"  schema drift since the last delivery ({check.since_file}): "
                    f"{change.sentence()}"
                )
        for row, values in check.first_records:
            shown = ", ".join(f"{k}={_show(v)}" for k, v in values.items() if v is not None)
            lines.append(f"  row {row}: {shown}")
        for row, reason in check.rejected:
            lines.append(f"  quarantined: row {row}: {reason}")
        for state, rows in sorted(check.unknown_states.items()):
            lines.append(
                f"  unknown provider state {state!r} (not in the state map) at row(s) "
                f"{', '.join(rows[:10])}{' ...' if len(rows) > 10 else ''}"
            )
        lines.append(f"  verdict: {check.verdict()}")
    return "\n".join(lines) + "\n"


def _show(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
