"""One night over every bad delivery of the corpus, mixed into a good generated landing zone.

Bad data never blocks good data: the night succeeds and publishes; the exceptions are exactly
the ledger the generator wrote for the good data; every case has its expected outcome; every
entry of the landing zone and every row read is accounted for (files landed = loaded +
quarantined + reported; rows read = loaded + quarantined).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from bad_deliveries import (
    CASES,
    FOLDER_CONTENT,
    LOADED,
    NIGHT,
    QUARANTINED,
    REDELIVERY,
    REPORTED,
    WAITS,
    Case,
    markdown_table,
)

from backoffice import pipeline, publish
from backoffice.registry import load_registry
from backoffice.sample import generate_landing_zone
from backoffice.sample.ledger import COLUMNS, read
from backoffice.settings import Settings

REPO = Path(__file__).resolve().parents[2]
RAW_TABLES = (
    "crm_signed_orders",
    "provider_orders",
    "provider_order_events",
    "invoice_lines",
    "invoice_vat_summaries",
)
# Whole-file outcomes as raw.landed_files records them.
STATUS = {LOADED: "loaded", QUARANTINED: "unreadable", REPORTED: "unexpected",
          REDELIVERY: "redelivery"}  # fmt: skip


@dataclass
class Night:
    settings: Settings
    ledger: Path
    summary: dict[str, Any]
    landed: dict[str, dict[str, Any]]  # file_path -> manifest row
    quarantine: dict[str, list[str]]  # source_file -> reasons
    loaded_rows: dict[str, int]  # source_file -> rows in the raw tables
    exceptions: list[tuple[str, ...]]


def write_case(landing: Path, case: Case) -> None:
    target = landing / case.path
    if case.path.endswith("/"):
        target.mkdir(parents=True, exist_ok=True)
        name, data = FOLDER_CONTENT
        (target / name).write_bytes(data)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.content is None:  # a byte-identical copy of the feed's first sample file
        feed_dir = landing / case.feed
        first = min(p for p in feed_dir.rglob("*") if p.is_file() and "zz_" not in p.name)
        shutil.copyfile(first, target)
        return
    target.write_bytes(case.content)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Night:
    root = tmp_path_factory.mktemp("corpus")
    settings = Settings.from_env(
        {"BACKOFFICE_LANDING_DIR": str(root / "landing"), "BACKOFFICE_DATA_DIR": str(root / "data")}
    )
    ledger = root / "expected_exceptions.csv"
    generate_landing_zone(
        settings.landing_dir, ledger, seed=11, order_lines=120, as_of_dates=(NIGHT,)
    )
    for case in CASES:
        write_case(settings.landing_dir, case)
    summary = pipeline.run_night(settings, NIGHT)  # raises if the night fails
    publication = publish.current_publication(settings)
    con = duckdb.connect(str(publication), read_only=True)
    try:
        columns = [
            "file_path", "status", "rows_read", "rows_loaded", "rows_quarantined", "error",
        ]  # fmt: skip
        landed = {
            row[0]: dict(zip(columns, row, strict=True))
            for row in con.execute(f"select {', '.join(columns)} from raw.landed_files").fetchall()
        }
        quarantine: dict[str, list[str]] = {}
        for file, reason in con.execute(
            "select source_file, reason from raw.quarantine"
        ).fetchall():
            quarantine.setdefault(file, []).append(reason)
        loaded_rows: dict[str, int] = {}
        for table in RAW_TABLES:
            for file, count in con.execute(
                f"select _source_file, count(*) from raw.{table} group by 1"
            ).fetchall():
                loaded_rows[file] = loaded_rows.get(file, 0) + count
        exceptions = [
            tuple(_text(v) for v in row)
            for row in con.execute(f"select {', '.join(COLUMNS)} from marts.exceptions").fetchall()
        ]
    finally:
        con.close()
    return Night(settings, ledger, summary, landed, quarantine, loaded_rows, exceptions)


def test_the_corpus_covers_every_feed_format_and_outcome() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES), "case names are unique"
    registry = load_registry(REPO / "config" / "providers.yml")
    feeds = {f"{s}/{f}" for s, f in registry.feeds()}
    bad_files = {c.feed for c in CASES if c.outcome in (LOADED, QUARANTINED)}
    assert feeds <= bad_files, f"feeds without a bad file: {sorted(feeds - bad_files)}"
    formats = {registry.feed(*c.feed.split("/")).format for c in CASES if c.feed in feeds}
    assert formats == {"delimited", "tmf622_ndjson", "fatturapa"}
    assert any(c.path.endswith(".p7m") for c in CASES)
    assert {c.outcome for c in CASES} == {LOADED, QUARANTINED, REPORTED, REDELIVERY, WAITS}


def test_the_night_succeeds_and_its_exceptions_are_exactly_the_ledgers(night: Night) -> None:
    expected = [
        tuple(row[c] for c in COLUMNS)
        for row in read(night.ledger)
        if row["as_of"] == NIGHT.isoformat()
    ]
    assert len(expected) > 10
    assert sorted(night.exceptions) == sorted(expected)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_case_has_its_outcome(night: Night, case: Case) -> None:
    entry = night.landed.get(case.entry)
    if case.outcome == WAITS:
        assert entry is None, "a delivery dated after the night waits for its own night"
        return
    assert entry is not None, f"{case.entry} is not in raw.landed_files"
    assert entry["status"] == STATUS[case.outcome], entry
    reasons = night.quarantine.get(case.entry, [])
    if case.outcome == LOADED:
        assert entry["rows_loaded"] == 0 and night.loaded_rows.get(case.entry, 0) == 0
        assert entry["rows_quarantined"] == case.rows_quarantined == len(reasons)
        assert case.reason in " | ".join(reasons), reasons
    elif case.outcome == QUARANTINED:
        assert (entry["rows_loaded"], entry["rows_quarantined"]) == (0, 1)
        assert len(reasons) == 1 and case.reason in reasons[0], reasons
        assert case.reason in entry["error"]
    elif case.outcome == REPORTED:
        assert case.reason in entry["error"]
        assert not reasons and entry["rows_read"] == 0
    else:  # a redelivery: recorded, nothing loaded or quarantined again
        assert (entry["rows_read"], night.loaded_rows.get(case.entry, 0), reasons) == (0, 0, [])


def _covering(path: str, landed: dict[str, dict[str, Any]]) -> list[str]:
    """The manifest entries that account for a landed file: itself or a folder above it."""
    parts = path.split("/")
    return [p for p in ("/".join(parts[:i]) for i in range(1, len(parts) + 1)) if p in landed]


def test_every_file_landed_is_loaded_quarantined_or_reported(night: Night) -> None:
    landing = night.settings.landing_dir
    files = [
        Path(d, f).relative_to(landing).as_posix()
        for d, _, names in os.walk(landing)
        for f in names
        if not f.startswith(".")
    ]
    later = {c.entry for c in CASES if c.outcome == WAITS}
    accounted = {f: _covering(f, night.landed) for f in files if f not in later}
    assert [f for f, by in accounted.items() if len(by) != 1] == []
    assert set(night.landed) == {by[0] for by in accounted.values()}
    statuses = {row["status"] for row in night.landed.values()}
    assert statuses == {"loaded", "redelivery", "unreadable", "unexpected"}
    assert len(files) - len(later) >= len(night.landed)


def test_every_row_read_is_loaded_or_quarantined(night: Night) -> None:
    for path, row in night.landed.items():
        assert row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"], path
        assert row["rows_loaded"] == night.loaded_rows.get(path, 0), path
        assert row["rows_quarantined"] == len(night.quarantine.get(path, [])), path
    assert set(night.quarantine) <= set(night.landed)
    assert set(night.loaded_rows) <= set(night.landed)


def test_the_summary_tells_the_same_counts(night: Night) -> None:
    run_dir = night.settings.runs_dir / NIGHT.isoformat()
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary == json.loads(json.dumps(night.summary, default=str))
    by_status: dict[str, int] = {}
    for row in night.landed.values():
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    assert (
        summary["files_loaded"],
        summary["files_redelivered"],
        summary["files_unreadable"],
        summary["files_unexpected"],
        summary["files_landed"],
    ) == (
        by_status["loaded"],
        by_status["redelivery"],
        by_status["unreadable"],
        by_status["unexpected"],
        len(night.landed),
    )
    assert summary["rows_quarantined"] == sum(len(r) for r in night.quarantine.values())
    text = (run_dir / "summary.txt").read_text(encoding="utf-8")
    assert f"{by_status['unexpected']} unexpected" in text


@pytest.mark.parametrize("doc", ["docs/bad-data.md", "README.md"])
def test_docs_show_the_corpus_table(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    assert markdown_table() in text, "regenerate the table: python tests/corpus/bad_deliveries.py"
