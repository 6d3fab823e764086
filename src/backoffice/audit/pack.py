"""The evidence pack: one archive an auditor takes away, and can check was not altered.

`write_pack` writes a zip with, for the nights from D1 to D2 (as-of dates), CSV files read from
the current publication (the control log, the completeness reconciliation, the data-check
results, the exceptions each night published (from the history, so pruned publications do not
matter) and their changes, the case histories) and `code_versions.csv`, then `MANIFEST.sha256`
(one `sha256  path` line per file, the format `sha256sum -c` reads) and `README.txt`.
`verify_pack` recomputes every sum and names each file that is missing, added or altered.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from backoffice import publish
from backoffice.audit.history import EXCEPTION_COLUMNS, judged_nights, published_exceptions
from backoffice.errors import BackofficeError
from backoffice.settings import Settings
from backoffice.warehouse.catalog import has_table

MANIFEST = "MANIFEST.sha256"
README = """Evidence pack of the back office's nightly controls, nights {first} to {last}.

Check it: `backoffice audit-pack verify <this file>` or, unzipped, `sha256sum -c {manifest}`.

control_log.csv        one row per night and control: population, exceptions, code version,
                       dbt invocation, data-check results (append-only in the warehouse)
completeness.csv       per night and feed: files landed, rows read, loaded, quarantined, in raw,
                       in staging, unaccounted
data_checks.csv        every data check (Great Expectations) of the nights, with its result
exceptions/<D>.csv     what the night of D published (OUTPUT.md's columns)
exception_changes.csv  the exceptions' history in the period: appeared, changed, disappeared
case_history.csv       every change to the cases of those exceptions (who, when, what)
code_versions.csv      the code each night ran: git commit, dbt project and configuration hashes
"""


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    problems: list[str]


def _csv_bytes(columns: list[str], rows: list[tuple[Any, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> bytes:
    cursor = con.execute(sql, params)
    return _csv_bytes([d[0] for d in cursor.description], cursor.fetchall())


def pack_files(settings: Settings, first: date, last: date) -> dict[str, bytes]:
    """The pack's files by name, read from the current publication."""
    if last < first:
        raise BackofficeError(f"--to {last} is before --from {first}: swap them")
    files: dict[str, bytes] = {}
    period = [first, last]
    with publish.connect_published(settings) as con:
        nights = [n for n in judged_nights(con) if first <= n <= last]
        if not nights:
            raise BackofficeError(
                f"no night ran as of a date from {first} to {last}: "
                "`backoffice exceptions` shows the latest night's date"
            )
        if has_table(con, "audit", "control_log"):
            files["control_log.csv"] = _query(
                con,
                "select * from audit.control_log where as_of between ? and ? "
                "order by as_of, recorded_at, control",
                period,
            )
            files["completeness.csv"] = _query(
                con,
                "select * from audit.completeness where as_of between ? and ? "
                "order by as_of, recorded_at, source, feed",
                period,
            )
            files["code_versions.csv"] = _query(
                con,
                "select distinct as_of, run_id, execution_id, git_commit, dbt_project_sha256, "
                "config_sha256, dbt_invocation_id, recorded_at from audit.control_log "
                "where as_of between ? and ? order by as_of, recorded_at",
                period,
            )
        files["data_checks.csv"] = _query(
            con,
            "select * from audit.gx_results where as_of between ? and ? "
            "order by as_of, validated_at, suite, expectation_type, column_name",
            period,
        )
        ids: set[str] = set()
        for night in nights:
            relation = published_exceptions(con, night).order("exception_type, exception_id")
            rows = relation.fetchall()
            ids.update(row[0] for row in rows)
            files[f"exceptions/{night.isoformat()}.csv"] = _csv_bytes(list(EXCEPTION_COLUMNS), rows)
        files["exception_changes.csv"] = _query(
            con,
            "select * from marts.exception_history where as_of between ? and ? "
            "order by as_of, exception_id",
            period,
        )
    files["case_history.csv"] = _case_history(settings, sorted(ids))
    files["README.txt"] = README.format(
        first=first.isoformat(), last=last.isoformat(), manifest=MANIFEST
    ).encode("utf-8")
    return files


def _case_history(settings: Settings, exception_ids: list[str]) -> bytes:
    columns = ["exception_id", "at", "actor", "field", "old_value", "new_value", "reason"]
    rows: list[tuple[Any, ...]] = []
    try:
        from backoffice.cases.store import CaseStore

        store = CaseStore.open(settings)
    except Exception:  # no case store (yet): the pack says so with an empty table
        return _csv_bytes(columns, rows)
    try:
        for exception_id in exception_ids:
            rows.extend(
                (h.exception_id, h.at, h.actor, h.field, h.old_value, h.new_value, h.reason)
                for h in store.history(exception_id)
            )
    finally:
        store.close()
    return _csv_bytes(columns, rows)


def manifest_text(files: dict[str, bytes]) -> str:
    return "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    )


def write_pack(settings: Settings, first: date, last: date, out: Path | None = None) -> Path:
    """Write the evidence pack of the nights from `first` to `last`; return its path."""
    files = pack_files(settings, first, last)
    if out is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = settings.data_dir / "audit" / f"evidence_{first}_{last}_{stamp}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_text(files))
    tmp.replace(out)
    return out


def verify_pack(path: Path) -> Verification:
    """Recompute every sum of the pack's manifest: name what is missing, added or altered."""
    if not path.is_file():
        raise BackofficeError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackofficeError(f"{path}: not a zip archive (an evidence pack is one)") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            return Verification(False, 0, [f"{MANIFEST} is missing: nothing can be verified"])
        expected: dict[str, str] = {}
        for line in archive.read(MANIFEST).decode("utf-8").splitlines():
            digest, _, name = line.partition("  ")
            expected[name] = digest
        problems = []
        for name, digest in sorted(expected.items()):
            if name not in names:
                problems.append(f"{name}: missing")
            elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
                problems.append(f"{name}: altered (its sha256 is not the manifest's)")
        problems.extend(
            f"{name}: not in the manifest" for name in sorted(names - {MANIFEST} - set(expected))
        )
    return Verification(not problems, len(expected), problems)


def verify_directory(directory: Path) -> Verification:
    """The same check on an unpacked pack (as `sha256sum -c MANIFEST.sha256` would do)."""
    manifest = directory / MANIFEST
    if not manifest.is_file():
        return Verification(False, 0, [f"{MANIFEST} is missing: nothing can be verified"])
    problems = []
    expected: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
        target = directory / name
        if not target.is_file():
            problems.append(f"{name}: missing")
        elif hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: altered (its sha256 is not the manifest's)")
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    problems.extend(f"{name}: not in the manifest" for name in sorted(present - set(expected)))
    return Verification(not problems, len(expected), problems)
