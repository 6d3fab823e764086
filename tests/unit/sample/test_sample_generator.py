"""The generator as a product: deterministic, any size, countable, honest about its defects."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sample_io import AS_OF, csv_rows, xml_bytes

from backoffice.sample import GeneratedSample, generate_landing_zone
from backoffice.sample.__main__ import main


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _generate(root: Path, **kwargs: object) -> GeneratedSample:
    args = {"seed": 7, "order_lines": 400, "as_of_dates": AS_OF} | kwargs
    return generate_landing_zone(root / "landing", root / "ledger.csv", **args)


def test_same_seed_same_bytes(sample: GeneratedSample, tmp_path: Path) -> None:
    again = _generate(tmp_path)
    assert _digest(again.landing_dir) == _digest(sample.landing_dir)
    assert again.ledger_path.read_bytes() == sample.ledger_path.read_bytes()


def test_another_seed_other_bytes(sample: GeneratedSample, tmp_path: Path) -> None:
    other = _generate(tmp_path, seed=8, order_lines=150)
    assert other.ledger_path.read_bytes() != sample.ledger_path.read_bytes()


def test_exactly_the_requested_crm_lines(sample: GeneratedSample, tmp_path: Path) -> None:
    def lines(s: GeneratedSample) -> set[str]:
        return {
            row[1]
            for p in (s.landing_dir / "crm").rglob("*.csv")
            for row in csv_rows(p)
            if not row[10].endswith("-02-30")
        }

    assert len(lines(sample)) == 400
    tiny = _generate(tmp_path, order_lines=20, as_of_dates=[date(2026, 3, 2)])
    assert len(lines(tiny)) == 20
    assert tiny.ledger  # a few scenarios fit even in 20 lines


def test_deliveries_stay_inside_the_sample_window(sample: GeneratedSample) -> None:
    days = {date.fromisoformat(p.parent.name) for p in sample.landing_dir.rglob("*") if p.is_file()}
    assert max(days) <= AS_OF[-1]
    assert (AS_OF[0] - min(days)).days >= 110  # about four months of history
    folders = [p for p in sample.landing_dir.glob("*/*/*") if p.is_dir()]
    assert any(len(list(f.iterdir())) > 1 for f in folders if f.parts[-3] == "crm")


def _records(path: Path) -> int:
    if path.suffix == ".ndjson":
        return len(path.read_text("utf-8").splitlines())
    if path.suffix == ".csv":
        return len(csv_rows(path))
    return len(etree.fromstring(xml_bytes(path)).findall(".//DettaglioLinee"))


def test_feed_counts_reconcile_with_the_files(sample: GeneratedSample) -> None:
    copies = {r.copy for r in sample.redeliveries}
    for (source, feed), counts in sample.feeds.items():
        files = [p for p in (sample.landing_dir / source / feed).rglob("*") if p.is_file()]
        firsts = [p for p in files if str(p.relative_to(sample.landing_dir)) not in copies]
        assert counts.files == len(files)
        assert counts.files - counts.redelivered_files == len(firsts)
        assert counts.records == sum(_records(p) for p in firsts)
    assert set(sample.feeds) == {
        ("crm", "signed_orders"), ("alfa", "orders"), ("alfa", "activations"),
        ("alfa", "invoices"), ("nuvola", "orders"), ("nuvola", "activations"),
        ("nuvola", "invoices"),
    }  # fmt: skip
    assert sum(c.quarantined for c in sample.feeds.values()) == len(sample.corrupt_rows)


def test_redeliveries_are_identical_and_later(sample: GeneratedSample) -> None:
    assert len(sample.redeliveries) >= 4
    for r in sample.redeliveries:
        original, copy = sample.landing_dir / r.original, sample.landing_dir / r.copy
        assert original.read_bytes() == copy.read_bytes()
        assert original.parent.name < copy.parent.name <= AS_OF[-1].isoformat()


def test_corrupt_rows_are_listed_and_really_corrupt(sample: GeneratedSample) -> None:
    assert len(sample.corrupt_rows) >= 4
    ledger_sources = {(r.source_file, r.source_row) for r in sample.ledger}
    for bad in sample.corrupt_rows:
        assert (bad.source_file, bad.source_row) not in ledger_sources
        path = sample.landing_dir / bad.source_file
        if path.suffix == ".ndjson":
            with pytest.raises(json.JSONDecodeError):
                json.loads(path.read_text("utf-8").splitlines()[int(bad.source_row) - 1])
        else:
            row = csv_rows(path)[int(bad.source_row) - 1]
            assert any(v in row for v in ("due", "n.d.")) or any(
                "-02-30" in v or "30/02/" in v for v in row
            )


def test_crm_lines_change_in_later_files(sample: GeneratedSample) -> None:
    versions: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((sample.landing_dir / "crm").rglob("*.csv")):
        for row in csv_rows(path):
            versions.setdefault(row[1], []).append((row[13], row[11]))
    changed = [sorted(v) for v in versions.values() if len({u for u, _ in v}) > 1]
    assert any(v[0][1] == "signed" and v[-1][1] == "cancelled" for v in changed)


def test_unmapped_states_are_planted_but_not_judged(sample: GeneratedSample) -> None:
    assert {u.provider for u in sample.unmapped_states} == {"alfa", "nuvola"}


def test_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        _generate(tmp_path / "a", as_of_dates=[date(2026, 3, 9), date(2026, 3, 2)])
    with pytest.raises(ValueError):
        _generate(tmp_path / "b", as_of_dates=[])


def test_cli_writes_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--landing", str(tmp_path / "lz"), "--ledger", str(tmp_path / "l.csv"), "--seed", "3",
            "--lines", "60", "--as-of", "2026-03-02", "--as-of", "2026-03-09"]  # fmt: skip
    assert main(args) == 0
    assert "as of 2026-03-09" in capsys.readouterr().out
    assert (tmp_path / "l.csv").read_text("utf-8").startswith("as_of,exception_type,status")
    assert main(args) == 2
    assert main([*args, "--overwrite"]) == 0
