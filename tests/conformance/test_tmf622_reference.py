"""TMF622 conformance: TM Forum's official v5 event examples, each as one NDJSON line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.parsers.records import Record, Rejection
from backoffice.parsers.tmf622 import parse_tmf622
from backoffice.registry import load_registry

PROJECT_REGISTRY = Path(__file__).resolve().parents[2] / "config" / "providers.yml"


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_REGISTRY)


@pytest.fixture
def _example(reference_dir):
    def read(name: str) -> dict:
        folder = reference_dir / "tmforum/tmf622/v5-examples"
        return json.loads((folder / name).read_text(encoding="utf-8"))

    return read


def _ndjson(tmp_path: Path, event: dict) -> Path:
    path = tmp_path / "events.ndjson"
    path.write_text(json.dumps(event) + "\n", encoding="utf-8")
    return path


def test_official_create_event_example_as_one_ndjson_line(tmp_path, registry, _example):
    path = _ndjson(tmp_path, _example("ProductOrderCreateEvent_request.json"))
    items = list(parse_tmf622(path, registry.feed("alfa", "orders")))
    records = [i for i in items if isinstance(i, Record)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    (record,) = records  # only item 120 has a monthly recurring price
    assert record.source_row == "1"
    assert record.values == {
        "provider": "alfa",
        "event_id": "125",
        "provider_order_id": "30001",
        "order_id": None,  # the example has a POnumber, no resellerOrder
        "submitted_at": datetime(2019, 4, 30, 8, 13, 59, 506000, tzinfo=UTC),
        "order_line_id": "120",
        "sku": "14344",
        "quantity": 1,
        "unit_price": Decimal("20"),
    }
    assert sorted(r.reason for r in rejections) == [
        f"line 1: productOrderItem {i}: no itemPrice with priceType recurring and "
        "recurringChargePeriod month"
        for i in ("100", "110", "130")
    ]


def test_official_state_change_example_as_one_ndjson_line(tmp_path, registry, _example):
    path = _ndjson(tmp_path, _example("ProductOrderStateChangeEvent_request.json"))
    items = list(parse_tmf622(path, registry.feed("alfa", "activations")))
    assert [(i.values["order_line_id"], i.values["provider_state"]) for i in items] == [
        ("1", "inProgress"),
        ("2", "inProgress"),
    ]
    first = items[0].values
    assert first["event_id"] == "569"
    assert first["provider_order_id"] == "9693"
    assert first["state_at"] == datetime(2021, 9, 27, 7, 43, 59, 59000, tzinfo=UTC)
