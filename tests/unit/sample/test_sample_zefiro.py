"""The opt-in fourth source, zefiro: off by default, beside the others when asked, readable."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from sample_io import AS_OF

from backoffice.parsers import Record, parse_file
from backoffice.registry import load_registry
from backoffice.sample import GeneratedSample, generate_landing_zone, zefiro
from backoffice.settings import PROJECT_DIR


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def with_zefiro(tmp_path_factory) -> GeneratedSample:
    root = tmp_path_factory.mktemp("zefiro")
    return generate_landing_zone(
        root / "landing", root / "expected_exceptions.csv", seed=7, order_lines=400,
        as_of_dates=AS_OF, fourth_provider_lines=60,
    )  # fmt: skip


def test_off_by_default(sample: GeneratedSample):
    assert not (sample.landing_dir / "zefiro").exists()
    assert not any(row.provider == "zefiro" for row in sample.ledger)


def test_the_others_are_unchanged_beside_it(sample, with_zefiro, tmp_path):
    others = [row for row in with_zefiro.ledger if row.provider != "zefiro"]
    assert others == list(sample.ledger)
    ours, theirs = _digest(with_zefiro.landing_dir), _digest(sample.landing_dir)
    assert {k: v for k, v in ours.items() if k.startswith(("alfa/", "nuvola/"))} == {
        k: v for k, v in theirs.items() if k.startswith(("alfa/", "nuvola/"))
    }
    again = generate_landing_zone(
        tmp_path / "landing", tmp_path / "ledger.csv", seed=7, order_lines=400,
        as_of_dates=AS_OF, fourth_provider_lines=60,
    )  # fmt: skip
    assert _digest(again.landing_dir) == ours, "same arguments, same bytes (the .xlsx too)"


def test_its_exceptions_join_the_ledger(with_zefiro):
    ours = [row for row in with_zefiro.ledger if row.provider == "zefiro"]
    assert len({row.exception_type for row in ours}) >= 10
    assert all(row.source_file.startswith(("zefiro/", "crm/")) for row in ours)


def test_its_files_read_with_its_registry_entry_alone(with_zefiro, tmp_path):
    doc = yaml.safe_load((PROJECT_DIR / "config" / "providers.yml").read_text("utf-8"))
    doc["sources"]["zefiro"] = yaml.safe_load(zefiro.REGISTRY_ENTRY)["zefiro"]
    path = tmp_path / "providers.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    registry = load_registry(path)
    for feed in ("orders", "activations", "invoices"):
        spec = registry.feed("zefiro", feed)
        files = sorted((with_zefiro.landing_dir / "zefiro" / feed).rglob("*.*"))
        items = [i for f in files for i in parse_file(f, spec)]
        assert all(isinstance(i, Record) for i in items), [
            i for i in items if not isinstance(i, Record)
        ][:3]
        counts = with_zefiro.feeds[("zefiro", feed)]
        assert (len(files), len(items)) == (counts.files, counts.warehouse_rows)
    workbook = next((with_zefiro.landing_dir / "zefiro" / "orders").rglob("*.xlsx"))
    assert workbook.read_bytes()[:2] == b"PK"  # a real Office Open XML workbook
