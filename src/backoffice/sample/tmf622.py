"""TM Forum TMF622 v5 event payloads (Alfa's orders and activations feeds), as NDJSON.

Shaped like the official v5 examples (ProductOrderCreateEvent and
ProductOrderStateChangeEvent). Prices are JSON numbers written from Decimals
without passing through float; timestamps carry varied UTC offsets.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from backoffice.sample.money import fmt_price, round2

API = "https://api.telcoalfa.it/tmf-api/productOrderingManagement/v5/productOrder"
_REPORTING = {
    "id": "ALFA-OM",
    "name": "Alfa Order Management",
    "@type": "ReportingResource",
    "@referredType": "LogicalResource",
}
_OFFSETS = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)
_NUMBER = re.compile(r'"@@num:([-0-9.]+)@@"')


def iso_with_offset(moment: datetime, rng: random.Random) -> str:
    """The same instant written with one of several UTC offsets, milliseconds included."""
    local = moment.astimezone(rng.choice(_OFFSETS))
    text = local.isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _num(value: Decimal) -> str:
    return f"@@num:{value:f}@@"


def _dumps(obj: dict) -> bytes:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (_NUMBER.sub(r"\1", text) + "\n").encode("utf-8")


def event_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass(frozen=True, slots=True)
class OrderItem:
    line_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal


def create_event(
    rng: random.Random,
    *,
    provider_order_id: str,
    reseller_order_id: str,
    created: datetime,
    items: list[OrderItem],
    customer_name: str,
    customer_vat: str,
) -> bytes:
    """One ProductOrderCreateEvent: the order as the back office entered it at Alfa."""
    created_text = iso_with_offset(created, rng)
    sent = iso_with_offset(created + timedelta(seconds=rng.randint(1, 90)), rng)
    order_items = []
    for item in items:
        gross = round2(item.unit_price * (1 + item.vat_rate / 100))
        order_items.append(
            {
                "id": item.line_id,
                "quantity": item.quantity,
                "action": "add",
                "itemPrice": [
                    {
                        "description": "Canone mensile",
                        "name": "MonthlyFee",
                        "priceType": "recurring",
                        "recurringChargePeriod": "month",
                        "@type": "OrderPrice",
                        "price": {
                            "taxRate": _num(item.vat_rate.normalize()),
                            "@type": "Price",
                            "dutyFreeAmount": {
                                "unit": "EUR",
                                "value": _num(Decimal(fmt_price(item.unit_price))),
                                "@type": "Money",
                            },
                            "taxIncludedAmount": {
                                "unit": "EUR",
                                "value": _num(gross),
                                "@type": "Money",
                            },
                        },
                    }
                ],
                "productOffering": {
                    "id": item.sku,
                    "href": f"https://api.telcoalfa.it/tmf-api/productCatalogManagement/v5/productOffering/{item.sku}",
                    "name": item.name,
                    "@type": "ProductOfferingRef",
                },
                "state": "acknowledged",
                "@type": "ProductOrderItem",
            }
        )
    event = {
        "correlationId": f"{rng.getrandbits(24):06x}",
        "description": "ProductOrderCreateEvent",
        "domain": "Commercial",
        "eventId": event_id(rng),
        "eventTime": sent,
        "eventType": "ProductOrderCreateEvent",
        "priority": "3",
        "timeOcurred": sent,
        "title": "ProductOrderCreateEvent",
        "event": {
            "productOrder": {
                "id": provider_order_id,
                "href": f"{API}/{provider_order_id}",
                "category": "B2B product order",
                "externalId": [
                    {
                        "@type": "ExternalIdentifier",
                        "owner": "Reseller",
                        "externalIdentifierType": "resellerOrder",
                        "id": reseller_order_id,
                    }
                ],
                "creationDate": created_text,
                "priority": "3",
                "productOrderItem": order_items,
                "relatedParty": [
                    {
                        "role": "Customer",
                        "partyOrPartyRole": {
                            "id": customer_vat,
                            "name": customer_name,
                            "@type": "PartyRef",
                            "@referredType": "Organization",
                        },
                        "@type": "RelatedPartyRefOrPartyRoleRef",
                    }
                ],
                "state": "acknowledged",
                "@type": "ProductOrder",
            }
        },
        "reportingSystem": _REPORTING,
        "source": _REPORTING,
        "@baseType": "Event",
        "@type": "ProductOrderCreateEvent",
    }
    return _dumps(event)


def state_change_event(
    rng: random.Random,
    *,
    provider_order_id: str,
    at: datetime,
    state: str,
    item_ids: list[str],
    reason: str = "",
) -> bytes:
    """One ProductOrderStateChangeEvent moving the listed items to `state` at `at`."""
    when = iso_with_offset(at, rng)
    order: dict = {
        "id": provider_order_id,
        "href": f"{API}/{provider_order_id}",
        "@type": "ProductOrder",
        "state": state,
        "itemStateChange": [{"itemId": item_id, "state": state} for item_id in item_ids],
    }
    if reason:
        order["note"] = [{"text": reason, "@type": "Note"}]
    event = {
        "correlationId": f"{rng.getrandbits(24):06x}",
        "description": "ProductOrderStateChangeEvent",
        "domain": "Commercial",
        "eventId": event_id(rng),
        "eventTime": when,
        "eventType": "ProductOrderStateChangeEvent",
        "priority": "3",
        "timeOcurred": when,
        "title": "ProductOrderStateChangeEvent",
        "event": {"productOrder": order},
        "reportingSystem": _REPORTING,
        "source": _REPORTING,
        "@baseType": "Event",
        "@type": "ProductOrderStateChangeEvent",
    }
    return _dumps(event)
