"""Formats as plug-ins: the registry validates against them, a package adds one by entry point."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from backoffice.parsers import Record, formats, get_format, parse_file
from backoffice.parsers.formats import UnknownFormat
from backoffice.registry import RegistryError, load_registry

PLUGIN = '''
"""A third-party format: one order per line, `provider_order_id|order_line_id|sku|qty|price|at`."""
from backoffice.parsers.formats import Format
from backoffice.parsers.records import Record, Rejection
from backoffice.parsers.values import parse_iso_instant
from decimal import Decimal


def parse(path, feed):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        po, line_id, sku, qty, price, at = line.split("|")
        yield Record("provider_orders", str(number), {
            "provider": feed.source, "provider_order_id": po, "order_line_id": line_id,
            "sku": sku, "quantity": int(qty), "unit_price": Decimal(price),
            "submitted_at": parse_iso_instant(at),
        })


FORMAT = Format(name="pipes", kinds=frozenset({"provider_orders"}), parse=parse)
NOT_A_FORMAT = object()
'''


def _registry(tmp_path: Path, feed: dict) -> Path:
    doc = {"version": 1, "sources": {"acme": {"feeds": {"orders": feed}}}}
    path = tmp_path / "providers.yml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def _install(tmp_path: Path, monkeypatch, entry: str) -> None:
    """A real installed distribution (a dist-info folder on sys.path) with the entry point."""
    (tmp_path / "acme_pipes.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = tmp_path / "acme_pipes-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-pipes\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[backoffice.formats]\n{entry}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    formats.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    formats.cache_clear()
    yield
    sys.modules.pop("acme_pipes", None)
    formats.cache_clear()


def test_the_built_in_formats_declare_what_they_load():
    assert sorted(formats()) == ["delimited", "fatturapa", "tmf622_ndjson", "xlsx"]
    assert get_format("fatturapa").also_fills == ("invoice_vat_summaries",)
    assert get_format("xlsx").mapped and get_format("delimited").mapped
    assert not get_format("tmf622_ndjson").mapped
    assert get_format("tmf622_ndjson").kinds == {"provider_orders", "provider_order_events"}
    with pytest.raises(UnknownFormat, match=r"'edifact' is not one of \['delimited'"):
        get_format("edifact")


def test_the_registry_refuses_an_unknown_format_and_a_kind_the_format_cannot_load(tmp_path):
    path = _registry(tmp_path, {"kind": "provider_orders", "format": "edifact", "patterns": "*"})
    with pytest.raises(RegistryError, match=r"feeds.orders.format: 'edifact' is not one of"):
        load_registry(path)
    feed = {"kind": "invoice_lines", "format": "tmf622_ndjson", "patterns": "*"}
    path = _registry(tmp_path, feed)
    with pytest.raises(RegistryError, match=r"cannot be loaded from tmf622_ndjson"):
        load_registry(path)


def test_a_mapped_format_needs_its_columns_and_an_unmapped_one_refuses_them(tmp_path):
    path = _registry(tmp_path, {"kind": "provider_orders", "format": "xlsx", "patterns": "*"})
    with pytest.raises(RegistryError, match=r"feeds.orders.dialect: expected a mapping"):
        load_registry(path)
    path = _registry(
        tmp_path,
        {"kind": "provider_orders", "format": "tmf622_ndjson", "patterns": "*",
         "columns": {"sku": "x"}},
    )  # fmt: skip
    with pytest.raises(RegistryError, match="not used by format tmf622_ndjson"):
        load_registry(path)


def test_a_package_adds_a_format_through_an_entry_point(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, "pipes = acme_pipes:FORMAT")
    assert "pipes" in formats()
    registry = load_registry(
        _registry(tmp_path, {"kind": "provider_orders", "format": "pipes", "patterns": "*.txt"})
    )
    data = tmp_path / "orders.txt"
    data.write_text("PO1|SO-1-01|SKU|2|9.50|2026-03-02T10:00:00+01:00\n", encoding="utf-8")
    (record,) = parse_file(data, registry.feed("acme", "orders"))
    assert isinstance(record, Record) and record.values["provider"] == "acme"


def test_an_entry_point_that_is_not_a_format_or_takes_a_built_in_name_is_refused(
    tmp_path, monkeypatch
):
    _install(tmp_path, monkeypatch, "broken = acme_pipes:NOT_A_FORMAT")
    with pytest.raises(TypeError, match="broken = acme_pipes:NOT_A_FORMAT"):
        formats()
    formats.cache_clear()
    info = tmp_path / "acme_pipes-1.0.dist-info" / "entry_points.txt"
    info.write_text("[backoffice.formats]\nxlsx = acme_pipes:FORMAT\n")
    (tmp_path / "acme_pipes.py").write_text(
        textwrap.dedent(PLUGIN).replace('name="pipes"', 'name="xlsx"'), encoding="utf-8"
    )
    sys.modules.pop("acme_pipes", None)
    importlib.invalidate_caches()
    with pytest.raises(ValueError, match="two formats are registered as 'xlsx'"):
        formats()
