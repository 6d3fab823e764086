"""TM Forum TMF622 v5 product-order events, one JSON object per line (NDJSON).

`orders` feeds carry ProductOrderCreateEvents (one record per
productOrderItem), `activations` feeds ProductOrderStateChangeEvents (one
record per itemStateChange). JSON numbers are read as Decimal, never float.
States are kept as landed: mapping them is the registry's job, and a state
nobody mapped must reach the warehouse to be reported.

`parse_tmf622_batches`, which ingest uses, gives the same records; for create and
state-change events the lines Arrow's JSON reader can vouch for are typed set-based
and yielded as Arrow `Rows`, the others through the same per-line code.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from backoffice.parsers import arrowtyping, rules
from backoffice.parsers.encoding import prove_encoding
from backoffice.parsers.formats import Format
from backoffice.parsers.records import Record, Rejection, Rows
from backoffice.parsers.values import INT_LIMIT, check_decimal, check_int, parse_iso_instant
from backoffice.registry import Feed
from backoffice.warehouse.tables import TABLES

log = logging.getLogger(__name__)

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


# --- state-change events typed set-based ---------------------------------------------

WHOLE_FILE_LIMIT = 64 << 20  # a bigger file streams line by line through parse_tmf622
# A smaller one too: Arrow's fixed cost per file (about 3 ms) is more than it saves below
# about 250 events (measured on the 5,000 and 200,000-line samples).
SET_BASED_FROM_BYTES = 256 << 10
_STATE_CHANGES = pa.schema(
    [
        ("eventId", pa.string()),
        ("eventTime", pa.string()),
        ("eventType", pa.string()),
        (
            "event",
            pa.struct(
                [
                    (
                        "productOrder",
                        pa.struct(
                            [
                                ("id", pa.string()),
                                (
                                    "itemStateChange",
                                    pa.list_(
                                        pa.struct([("itemId", pa.string()), ("state", pa.string())])
                                    ),
                                ),
                            ]
                        ),
                    )
                ],
            ),
        ),
    ]
)
_INSTANT = arrowtyping.instant_typer()


def parse_tmf622_batches(path: Path, feed: Feed) -> Iterator[Record | Rejection | Rows]:
    """The records of `parse_tmf622`. For state-change events, a file (up to
    WHOLE_FILE_LIMIT) is read by Arrow's JSON reader into typed columns against the few
    fields used, and a line whose every value Arrow vouches for is loaded as `Rows`; the
    other lines go through `_line`, in their turn. A file Arrow reads differently from
    the line-by-line parse (a value of another JSON type than the schema's, a repeated
    key, a blank line, two objects on a line) goes through `parse_tmf622` whole."""
    if not SET_BASED_FROM_BYTES <= path.stat().st_size <= WHOLE_FILE_LIMIT:
        yield from parse_tmf622(path, feed)
        return
    skip = prove_encoding(path, "utf-8", f"{feed.source}/{feed.name}")
    data = path.read_bytes()[skip:]
    typing = _state_changes if feed.kind == "provider_order_events" else _create_events
    try:
        typed = typing(data, feed.source) if rules.has_arrow_twins(feed.kind) else None
    except pa.ArrowException:  # not expected: the file then goes through Python whole
        log.exception("%s: set-based typing failed; parsing it line by line", path.name)
        typed = None
    if typed is None:
        yield from parse_tmf622(path, feed)
        return
    rows, others = typed
    if others:
        lines = data.split(b"\n")
        for index in others:
            yield from _line(lines[index] + b"\n", index + 1, feed)
    if rows.num_rows:
        yield Rows(feed.kind, rows)


def _read_events(data: bytes, schema: pa.Schema) -> pa.Table | None:
    """The file's events, one row per line, in the schema's fields; None when Arrow might
    not read the file line for line as `_line` does."""
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    opened = data.startswith(b"{") + data.count(b"\n{")
    closed = data.count(b"}\n") + data.count(b"}\r\n") + data.rstrip(b"\r").endswith(b"}")
    if not lines or opened != lines or closed != lines:
        return None  # a blank line, a line not one whole object (or more than one)
    try:
        events = pa_json.read_json(
            pa.BufferReader(data),
            read_options=pa_json.ReadOptions(use_threads=False),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="ignore"
            ),
        ).combine_chunks()
    except (pa.ArrowException, UnicodeError):
        return None
    return events if events.num_rows == lines else None


def _state_changes(data: bytes, source: str) -> tuple[pa.Table, list[int]] | None:
    """(the records of the lines Arrow vouches for, the other lines' positions), or None
    when the whole file goes through `_line`."""
    events = _read_events(data, _STATE_CHANGES)
    if events is None:
        return None
    order = pc.struct_field(events["event"].chunk(0), "productOrder")
    changes = pc.struct_field(order, "itemStateChange")
    event_id = events["eventId"].chunk(0)
    state_at, instant_ok = _INSTANT(events["eventTime"].chunk(0))
    line_ok = pc.and_(
        pc.fill_null(
            pc.equal(events["eventType"].chunk(0), EXPECTED_EVENT["provider_order_events"]), False
        ),
        pc.and_(_id_ok(event_id, required=True), pc.fill_null(instant_ok, False)),
    )
    order_id = pc.struct_field(order, "id")
    line_ok = pc.and_(line_ok, pc.and_(pc.is_valid(order), _id_ok(order_id, required=False)))
    line_ok = pc.and_(line_ok, pc.fill_null(pc.greater(pc.list_value_length(changes), 0), False))
    # one record per state change; a line is typed here only if every change is fine
    parents = pc.list_parent_indices(changes)
    flat = pc.list_flatten(changes)
    item, state = pc.struct_field(flat, "itemId"), pc.struct_field(flat, "state")
    values = {
        "provider": pa.repeat(pa.scalar(source, pa.string()), len(flat)),
        "event_id": pc.take(event_id, parents),
        "provider_order_id": pc.take(_id_value(order_id), parents),
        "order_line_id": item,
        "provider_state": state,
        "state_at": pc.take(state_at, parents),
        "reason": pa.nulls(len(flat), pa.string()),
    }
    change_ok = pc.and_(pc.is_valid(flat), pc.and_(_id_ok(item, True), _id_ok(state, True)))
    holds = rules.holds_arrow("provider_order_events", values.__getitem__)
    if holds is not None:
        change_ok = pc.and_(change_ok, holds)
    return _per_line(
        values, parents, pc.fill_null(change_ok, False), line_ok, "provider_order_events"
    )


_CREATES = pa.schema(
    [
        ("eventId", pa.string()),
        ("eventType", pa.string()),
        (
            "event",
            pa.struct(
                [
                    (
                        "productOrder",
                        pa.struct(
                            [
                                ("id", pa.string()),
                                ("creationDate", pa.string()),
                                (
                                    "externalId",
                                    pa.list_(
                                        pa.struct(
                                            [
                                                ("externalIdentifierType", pa.string()),
                                                ("id", pa.string()),
                                            ]
                                        )
                                    ),
                                ),
                                (
                                    "productOrderItem",
                                    pa.list_(
                                        pa.struct(
                                            [
                                                ("id", pa.string()),
                                                ("quantity", pa.int64()),
                                                (
                                                    "productOffering",
                                                    pa.struct([("id", pa.string())]),
                                                ),
                                                (
                                                    "itemPrice",
                                                    pa.list_(
                                                        pa.struct(
                                                            [
                                                                ("priceType", pa.string()),
                                                                (
                                                                    "recurringChargePeriod",
                                                                    pa.string(),
                                                                ),
                                                                (
                                                                    "price",
                                                                    pa.struct(
                                                                        [
                                                                            (
                                                                                "dutyFreeAmount",
                                                                                pa.struct(
                                                                                    [
                                                                                        (
                                                                                            "unit",
                                                                                            pa.string(),
                                                                                        ),
                                                                                        (
                                                                                            "value",
                                                                                            pa.decimal128(
                                                                                                18,
                                                                                                4,
                                                                                            ),
                                                                                        ),
                                                                                    ]
                                                                                ),
                                                                            )
                                                                        ]
                                                                    ),
                                                                ),
                                                            ]
                                                        )
                                                    ),
                                                ),
                                            ]
                                        )
                                    ),
                                ),
                            ]
                        ),
                    )
                ]
            ),
        ),
    ]
)


# A "value" written as a JSON string. Arrow's reader takes one for a decimal, where `_line`
# refuses it; with no backslash in the file (no escaped key), this finds every one.
_TEXT_VALUE = re.compile(rb'"value"[ \t\r]*:[ \t\r]*"')
_PRICE_LIMIT = Decimal("99999999999999.9999")  # decimal(18, 4)'s largest


def _create_events(data: bytes, source: str) -> tuple[pa.Table, list[int]] | None:
    """As `_state_changes`, for ProductOrderCreateEvents: one record per productOrderItem,
    a line typed here only if every item is. (A quantity of another JSON type than a whole
    number, or a price that does not fit decimal(18, 4) as written, sends the file through
    `_line` whole: Arrow's reader refuses it.)"""
    if b"\\" in data or _TEXT_VALUE.search(data):
        return None  # Arrow reads a price written as text ("19.90") as a number; Python not
    events = _read_events(data, _CREATES)
    if events is None:
        return None
    lines = events.num_rows
    order = pc.struct_field(events["event"].chunk(0), "productOrder")
    event_id = events["eventId"].chunk(0)
    submitted_at, instant_ok = _INSTANT(pc.struct_field(order, "creationDate"))
    order_id = pc.struct_field(order, "id")
    line_ok = pc.fill_null(
        pc.equal(events["eventType"].chunk(0), EXPECTED_EVENT["provider_orders"]), False
    )
    line_ok = pc.and_(line_ok, pc.and_(pc.is_valid(order), _id_ok(event_id, required=False)))
    line_ok = pc.and_(line_ok, pc.and_(_id_ok(order_id, True), pc.fill_null(instant_ok, False)))
    # the reseller's order: the first externalId entry of type resellerOrder, if any
    external = pc.struct_field(order, "externalId")
    owners = _np(pc.list_parent_indices(external))
    entries = pc.list_flatten(external)
    reseller = _np(
        pc.fill_null(
            pc.equal(pc.struct_field(entries, "externalIdentifierType"), "resellerOrder"), False
        )
    )
    found = np.flatnonzero(reseller)
    first = found[np.r_[True, owners[found][1:] != owners[found][:-1]]] if len(found) else found
    reseller_of = np.full(lines, -1)
    reseller_of[owners[first]] = first
    reseller_ids = pc.struct_field(entries, "id")
    order_ref = pc.take(reseller_ids, pa.array(reseller_of, mask=reseller_of < 0))
    line_ok = pc.and_(line_ok, _id_ok(order_ref, required=False))
    items_list = pc.struct_field(order, "productOrderItem")
    line_ok = pc.and_(line_ok, pc.fill_null(pc.greater(pc.list_value_length(items_list), 0), False))
    # one record per item, with its one monthly recurring price
    parents = pc.list_parent_indices(items_list)
    items = pc.list_flatten(items_list)
    prices_list = pc.struct_field(items, "itemPrice")
    price_items = _np(pc.list_parent_indices(prices_list))
    prices = pc.list_flatten(prices_list)
    monthly = _np(
        pc.fill_null(
            pc.and_(
                pc.equal(pc.struct_field(prices, "priceType"), "recurring"),
                pc.equal(pc.struct_field(prices, "recurringChargePeriod"), "month"),
            ),
            False,
        )
    )
    counts = np.bincount(price_items[monthly], minlength=len(items))
    price_of = np.full(len(items), -1)
    price_of[price_items[monthly]] = np.flatnonzero(monthly)
    amount = pc.struct_field(pc.struct_field(prices, "price"), "dutyFreeAmount")
    pick = pa.array(price_of, mask=price_of < 0)
    value = pc.take(pc.struct_field(amount, "value"), pick)
    unit = pc.take(pc.struct_field(amount, "unit"), pick)
    quantity = pc.struct_field(items, "quantity")
    item_id = pc.struct_field(items, "id")
    sku = pc.struct_field(pc.struct_field(items, "productOffering"), "id")
    values = {
        "provider": pa.repeat(pa.scalar(source, pa.string()), len(items)),
        "event_id": pc.take(_id_value(event_id), parents),
        "provider_order_id": pc.take(order_id, parents),
        "order_id": pc.take(_id_value(order_ref), parents),
        "order_line_id": item_id,
        "sku": sku,
        "quantity": quantity,
        "unit_price": value,
        "submitted_at": pc.take(submitted_at, parents),
    }
    item_ok = pc.and_(pc.is_valid(items), pc.and_(_id_ok(item_id, True), _id_ok(sku, True)))
    item_ok = pc.and_(item_ok, pa.array(counts == 1))
    item_ok = pc.and_(item_ok, pc.and_(pc.is_valid(value), pc.is_valid(quantity)))
    # Arrow does not hold a decimal to its precision: check_decimal's 14 digits, here
    item_ok = pc.and_(
        item_ok,
        pc.fill_null(
            pc.less_equal(pc.abs(value), pa.scalar(_PRICE_LIMIT, pa.decimal128(18, 4))), False
        ),
    )
    item_ok = pc.and_(item_ok, pc.fill_null(pc.less_equal(pc.abs(quantity), INT_LIMIT), False))
    item_ok = pc.and_(item_ok, pc.or_(pc.is_null(unit), pc.fill_null(pc.equal(unit, "EUR"), False)))
    holds = rules.holds_arrow("provider_orders", values.__getitem__)
    if holds is not None:
        item_ok = pc.and_(item_ok, holds)
    return _per_line(values, parents, pc.fill_null(item_ok, False), line_ok, "provider_orders")


def _np(values: pa.Array) -> np.ndarray:
    return values.to_numpy(zero_copy_only=False)


def _per_line(
    values: dict[str, pa.Array], parents: pa.Array, item_ok: pa.Array, line_ok: pa.Array, kind: str
) -> tuple[pa.Table, list[int]]:
    """The records of the lines whose every record is fine, and the other lines' positions."""
    lines = len(line_ok)
    bad = pc.unique(pc.filter(parents, pc.invert(item_ok)))
    everything = pa.array(range(lines), pa.int64())
    line_ok = pc.and_not(line_ok, pc.is_in(everything, value_set=pc.cast(bad, pa.int64())))
    line_ok = pc.fill_null(line_ok, False)
    keep = pc.take(line_ok, parents)
    table = TABLES[kind]
    rows = pa.table({name: pc.filter(values[name], keep) for name in table.names})
    rows = rows.append_column(
        arrowtyping.SOURCE_ROW, pc.cast(pc.add(pc.filter(parents, keep), 1), pa.string())
    )
    return rows, pc.indices_nonzero(pc.invert(line_ok)).to_pylist()


def _id_ok(values: pa.Array, required: bool) -> pa.Array:
    """An identifier as `_id` / `_optional_id` read it, with no whitespace at its ends (its
    value is then the text itself; `_optional_id` strips)."""
    present = pc.fill_null(pc.not_equal(values, ""), False)
    clean = pc.invert(pc.fill_null(pc.match_substring_regex(values, arrowtyping.EDGE_SPACE), False))
    return pc.and_(present, clean) if required else pc.or_(pc.invert(present), clean)


def _id_value(values: pa.Array) -> pa.Array:
    """`_optional_id`: null and "" are no identifier."""
    return pc.if_else(
        pc.fill_null(pc.equal(values, ""), False), pa.scalar(None, pa.string()), values
    )


FORMAT = Format(
    name="tmf622_ndjson",
    kinds=frozenset(EXPECTED_EVENT),
    parse=parse_tmf622,
    parse_batches=parse_tmf622_batches,
    description="TM Forum TMF622 v5 product-order events, one JSON object per line",
)
