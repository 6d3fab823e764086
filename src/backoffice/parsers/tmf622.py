"""TM Forum TMF622 v5 product-order events, one JSON object per line (NDJSON).

`orders` feeds carry ProductOrderCreateEvents (one record per
productOrderItem), `activations` feeds ProductOrderStateChangeEvents (one
record per itemStateChange). JSON numbers are read as Decimal, never float.
States are kept as landed: mapping them is the registry's job, and a state
nobody mapped must reach the warehouse to be reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.parsers import rules
from backoffice.parsers.encoding import prove_encoding
from backoffice.parsers.formats import Format
from backoffice.parsers.records import Record, Rejection
from backoffice.parsers.values import check_decimal, check_int, parse_iso_instant
from backoffice.registry import Feed

# The events' own names for the fields the row rules judge.
NAMES = {
    "quantity": "quantity",
    "unit_price": "price.dutyFreeAmount.value",
    "submitted_at": "productOrder.creationDate",
    "state_at": "eventTime",
}

EXPECTED_EVENT = {
    "provider_orders": "ProductOrderCreateEvent",
    "provider_order_events": "ProductOrderStateChangeEvent",
}


class _Bad(ValueError):
    """A problem with one event or item, phrased for a person."""


def parse_tmf622(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield records per event line (numbered from 1); a bad line or item is rejected."""
    skip = prove_encoding(path, "utf-8", f"{feed.source}/{feed.name}")
    with path.open("rb") as fh:
        fh.seek(skip)
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            yield from _line(line, number, feed)


def _line(line: bytes, number: int, feed: Feed) -> Iterator[Record | Rejection]:
    raw = line.decode("utf-8", "replace").rstrip("\r\n")
    row = str(number)
    try:
        event = json.loads(line.decode("utf-8"), parse_float=Decimal)
        if not isinstance(event, dict):
            raise _Bad("is not a JSON object")
        event_type = event.get("eventType", event.get("@type"))
        if event_type != EXPECTED_EVENT[feed.kind]:
            raise _Bad(f"eventType {event_type!r} is not {EXPECTED_EVENT[feed.kind]}")
        order = _get(event, "event", "productOrder")
        if not isinstance(order, dict):
            raise _Bad("event.productOrder is missing")
    except UnicodeDecodeError as exc:
        yield Rejection(row, f"line {number}: not valid UTF-8 at byte {exc.start}", raw)
        return
    except json.JSONDecodeError as exc:
        yield Rejection(row, f"line {number}: not valid JSON ({exc.msg}, column {exc.colno})", raw)
        return
    except _Bad as exc:
        yield Rejection(row, f"line {number}: {exc}", raw)
        return
    if feed.kind == "provider_orders":
        yield from _create_event(event, order, number, raw, feed.source)
    else:
        yield from _state_change_event(event, order, number, raw, feed.source)


def _create_event(
    event: dict[str, Any], order: dict[str, Any], number: int, raw: str, source: str
) -> Iterator[Record | Rejection]:
    row = str(number)
    try:
        header = {
            "provider": source,
            "event_id": _optional_id(event.get("eventId"), "eventId"),
            "provider_order_id": _id(order.get("id"), "productOrder.id"),
            "order_id": _reseller_order(order.get("externalId")),
            "submitted_at": _instant(order.get("creationDate"), "productOrder.creationDate"),
        }
        items = order.get("productOrderItem")
        if not isinstance(items, list) or not items:
            raise _Bad("productOrder.productOrderItem is missing or empty")
    except _Bad as exc:
        yield Rejection(row, f"line {number}: {exc}", raw)
        return
    for position, item in enumerate(items, start=1):
        label = f"productOrderItem #{position}"
        try:
            if not isinstance(item, dict):
                raise _Bad("is not an object")
            label = f"productOrderItem {item.get('id', '#' + str(position))}"
            values = {
                **header,
                "order_line_id": _id(item.get("id"), "id"),
                "sku": _id(_get(item, "productOffering", "id"), "productOffering.id"),
                "quantity": _quantity(item.get("quantity")),
                "unit_price": _monthly_price(item.get("itemPrice")),
            }
            _judge("provider_orders", values)
            yield Record("provider_orders", row, values)
        except _Bad as exc:
            yield Rejection(row, f"line {number}: {label}: {exc}", raw)


def _state_change_event(
    event: dict[str, Any], order: dict[str, Any], number: int, raw: str, source: str
) -> Iterator[Record | Rejection]:
    row = str(number)
    try:
        header = {
            "provider": source,
            "event_id": _id(event.get("eventId"), "eventId"),
            "provider_order_id": _optional_id(order.get("id"), "productOrder.id"),
            "state_at": _instant(event.get("eventTime"), "eventTime"),
            "reason": None,
        }
        changes = order.get("itemStateChange")
        if not isinstance(changes, list) or not changes:
            raise _Bad("productOrder.itemStateChange is missing or empty")
    except _Bad as exc:
        yield Rejection(row, f"line {number}: {exc}", raw)
        return
    for position, change in enumerate(changes, start=1):
        try:
            if not isinstance(change, dict):
                raise _Bad("is not an object")
            values = {
                **header,
                "order_line_id": _id(change.get("itemId"), "itemId"),
                "provider_state": _id(change.get("state"), "state"),
            }
            _judge("provider_order_events", values)
            yield Record("provider_order_events", row, values)
        except _Bad as exc:
            yield Rejection(row, f"line {number}: itemStateChange #{position}: {exc}", raw)


def _judge(table: str, values: dict[str, Any]) -> None:
    """Raise _Bad with every rule of the contract the record breaks."""
    found = rules.problems(table, values, NAMES)
    if found:
        raise _Bad("; ".join(found))


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _id(value: Any, name: str) -> str:
    text = _optional_id(value, name)
    if text is None:
        raise _Bad(f"{name} is missing")
    return text


def _optional_id(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad(f"{name} {json.dumps(value, default=str)} is not an identifier")
    return str(value).strip()


def _instant(value: Any, name: str) -> Any:
    if value is None:
        raise _Bad(f"{name} is missing")
    try:
        return parse_iso_instant(value)
    except ValueError as exc:
        raise _Bad(f'{name} "{value}" {exc}') from None


def _reseller_order(external_ids: Any) -> str | None:
    """The CRM order_id: the externalId entry of type resellerOrder, if any."""
    if not isinstance(external_ids, list):
        return None
    for entry in external_ids:
        if isinstance(entry, dict) and entry.get("externalIdentifierType") == "resellerOrder":
            return _optional_id(entry.get("id"), "externalId[resellerOrder].id")
    return None


def _quantity(value: Any) -> int:
    shown = json.dumps(value, default=str)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _Bad(f"quantity {shown} is not a whole number")
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise _Bad(f"quantity {shown} is not a whole number")
    try:
        return check_int(int(value))
    except ValueError as exc:
        raise _Bad(f"quantity {shown} {exc}") from None


def _monthly_price(prices: Any) -> Decimal:
    """The unit price: the itemPrice entry recurring per month, dutyFreeAmount in EUR."""
    monthly = [
        p
        for p in (prices if isinstance(prices, list) else [])
        if isinstance(p, dict)
        and p.get("priceType") == "recurring"
        and p.get("recurringChargePeriod") == "month"
    ]
    if not monthly:
        raise _Bad("no itemPrice with priceType recurring and recurringChargePeriod month")
    if len(monthly) > 1:
        raise _Bad(f"{len(monthly)} monthly recurring itemPrice entries, expected one")
    amount = _get(monthly[0], "price", "dutyFreeAmount")
    value = _get(amount, "value")
    unit = _get(amount, "unit")
    if unit not in (None, "EUR"):
        raise _Bad(f'price.dutyFreeAmount.unit "{unit}" is not EUR')
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        shown = json.dumps(value, default=str)
        raise _Bad(f"price.dutyFreeAmount.value {shown} is not a JSON number")
    try:
        return check_decimal(Decimal(value), 18, 4)
    except ValueError as exc:
        raise _Bad(f"price.dutyFreeAmount.value {value} {exc}") from None


FORMAT = Format(
    name="tmf622_ndjson",
    kinds=frozenset(EXPECTED_EVENT),
    parse=parse_tmf622,
    description="TM Forum TMF622 v5 product-order events, one JSON object per line",
)
