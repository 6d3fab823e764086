"""The official FatturaPA samples (plain and signed) go through the real ingest into DuckDB:
every line and VAT summary loaded with its lineage, nothing quarantined, counts reconciled."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from backoffice.ingest import ingest_feed
from backoffice.parsers.fatturapa import parse_fatturapa
from backoffice.registry import load_registry
from backoffice.settings import Settings

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 3, 2)
OFFICIAL = ("IT01234567890_FPR01.xml", "IT01234567890_FPR02.xml", "IT01234567890_FPR03.xml")
SIGNED = "IT01234567890_FPR03.xml.p7m"


def test_official_invoices_load_whole_with_lineage(reference_dir: Path, tmp_path: Path) -> None:
    samples = reference_dir / "fatturapa" / "samples"
    folder = tmp_path / "landing" / "alfa" / "invoices" / AS_OF.isoformat()
    folder.mkdir(parents=True)
    sources = [samples / "official-sdi" / name for name in OFFICIAL] + [samples / "signed" / SIGNED]
    for source in sources:
        shutil.copyfile(source, folder / source.name)
    settings = Settings.from_env(
        {"BACKOFFICE_LANDING_DIR": str(tmp_path / "landing"), "BACKOFFICE_DATA_DIR": str(tmp_path)}
    )
    feed = load_registry(REPO / "config" / "providers.yml").feed("alfa", "invoices")
    expected = {
        f"alfa/invoices/{AS_OF}/{s.name}": sorted(i.source_row for i in parse_fatturapa(s, feed))
        for s in sources
    }
    # the signed FPR03 holds the same bytes as the plain one, wrapped: both are distinct files
    report = ingest_feed(settings, "alfa", "invoices", AS_OF)
    assert (report.files_loaded, report.files_unreadable, report.rows_quarantined) == (4, 0, 0)
    con = duckdb.connect(str(settings.build_warehouse), read_only=True)
    try:
        loaded: dict[str, list[str]] = {}
        for table in ("invoice_lines", "invoice_vat_summaries"):
            rows = con.execute(
                f"select _source_file, _source_row, _file_sha256, _load_id from raw.{table}"
            ).fetchall()
            for file, row, sha256, load_id in rows:
                assert len(sha256) == 64 and load_id == f"{AS_OF}/alfa/invoices"
                loaded.setdefault(file, []).append(row)
        manifest = con.execute(
            "select file_path, status, rows_read, rows_loaded from raw.landed_files"
        ).fetchall()
    finally:
        con.close()
    assert {f: sorted(r) for f, r in loaded.items()} == expected
    assert sorted(manifest) == sorted(
        (f, "loaded", len(rows), len(rows)) for f, rows in expected.items()
    )
