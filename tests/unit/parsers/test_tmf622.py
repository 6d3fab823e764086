"""TMF622 v5 events as NDJSON: what a real feed may hold (official examples: tests/conformance)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.parsers.records import Record, Rejection
from backoffice.parsers.tmf622 import parse_tmf622
from backoffice.registry import load_registry

PROJECT_REGISTRY = Path(__file__).resolve().parents[3] / "config" / "providers.yml"


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_REGISTRY)


def _ndjson(tmp_path: Path, *events: object, raw_lines: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "events.ndjson"
    lines = [json.dumps(e) if not isinstance(e, str) else e for e in events]
    path.write_text("\n".join([*lines, *raw_lines]) + "\n", encoding="utf-8")
    return path


def _create_event(line_id: str = "SO-1-01", price: str = "19.99", **item_changes) -> str:
    item = {
        "id": line_id,
        "quantity": 2,
        "action": "add",
        "productOffering": {"id": "FIBRA-1G"},
        "itemPrice": [
            {"priceType": "nonRecurring", "price": {"dutyFreeAmount": {"value": 50}}},
            {
                "priceType": "recurring",
                "recurringChargePeriod": "month",
                "price": {"dutyFreeAmount": {"unit": "EUR", "value": "PRICE"}},
            },
        ],
        **item_changes,
    }
    event = {
        "eventId": "EV-1",
        "eventTime": "2026-03-02T10:00:00+01:00",
        "eventType": "ProductOrderCreateEvent",
        "event": {
            "productOrder": {
                "id": "ALFA-77",
                "creationDate": "2026-03-02T09:59:00.123+01:00",
                "externalId": [
                    {"externalIdentifierType": "POnumber", "id": "X"},
                    {"externalIdentifierType": "resellerOrder", "id": "SO-1"},
                ],
                "productOrderItem": [item],
            }
        },
    }
    # the price goes in as a JSON number literal, exactly as written
    return json.dumps(event).replace('"PRICE"', price)


def test_prices_are_exact_decimals_never_floats(tmp_path, registry):
    path = _ndjson(tmp_path, _create_event(price="0.1"), _create_event("SO-1-02", price="19.99"))
    first, second = parse_tmf622(path, registry.feed("alfa", "orders"))
    assert first.values["unit_price"] == Decimal("0.1")
    assert second.values["unit_price"] == Decimal("19.99")
    assert isinstance(second.values["unit_price"], Decimal)
    assert first.values["order_id"] == "SO-1"
    assert first.values["quantity"] == 2
    assert first.values["submitted_at"] == datetime(2026, 3, 2, 8, 59, 0, 123000, tzinfo=UTC)


def test_a_corrupt_line_or_item_is_rejected_and_the_rest_load(tmp_path, registry):
    path = _ndjson(
        tmp_path,
        _create_event(),
        '{"eventId": "EV-2", "event": {',
        _create_event("SO-1-03", quantity="due"),
        _create_event("SO-1-04", price="1.23456"),
        {"eventType": "ProductOrderStateChangeEvent", "event": {"productOrder": {}}},
        _create_event("SO-1-05"),
    )
    items = list(parse_tmf622(path, registry.feed("alfa", "orders")))
    assert [i.source_row for i in items if isinstance(i, Record)] == ["1", "6"]
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert reasons[0].startswith("line 2: not valid JSON")
    assert reasons[1] == 'line 3: productOrderItem SO-1-03: quantity "due" is not a whole number'
    assert reasons[2] == (
        "line 4: productOrderItem SO-1-04: price.dutyFreeAmount.value 1.23456 has more than "
        "4 decimals"
    )
    assert reasons[3] == (
        "line 5: eventType 'ProductOrderStateChangeEvent' is not ProductOrderCreateEvent"
    )
    assert next(i for i in items if i.source_row == "2").raw == '{"eventId": "EV-2", "event": {'


def test_unknown_states_are_kept_and_offsets_are_required(tmp_path, registry):
    change = {
        "eventId": "EV-9",
        "eventTime": "2026-03-29T03:30:00+02:00",
        "eventType": "ProductOrderStateChangeEvent",
        "event": {
            "productOrder": {
                "id": "ALFA-77",
                "itemStateChange": [
                    {"itemId": "SO-1-01", "state": "completed"},
                    {"itemId": "SO-1-02", "state": "partiallyDelivered"},
                    {"itemId": "SO-1-03"},
                ],
            }
        },
    }
    naive = dict(change, eventId="EV-10", eventTime="2026-03-29T03:30:00")
    path = _ndjson(tmp_path, change, naive)
    items = list(parse_tmf622(path, registry.feed("alfa", "activations")))
    records = [i.values for i in items if isinstance(i, Record)]
    assert [r["provider_state"] for r in records] == ["completed", "partiallyDelivered"]
    assert records[0]["state_at"] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert reasons == [
        "line 1: itemStateChange #3: state is missing",
        'line 2: eventTime "2026-03-29T03:30:00" has no UTC offset '
        "(expected e.g. 2026-01-31T10:00:00+01:00)",
    ]


def test_blank_lines_are_not_rows_but_keep_the_numbering(tmp_path, registry):
    path = _ndjson(tmp_path, _create_event(), "", _create_event("SO-1-02"))
    items = list(parse_tmf622(path, registry.feed("alfa", "orders")))
    assert [i.source_row for i in items] == ["1", "3"]
