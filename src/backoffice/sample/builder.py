"""Building units: orders, CRM versions, provider submissions and state changes.

Scenarios describe a line's life in canonical states and business-day offsets;
the builder turns that into provider labels and concrete Rome wall-clock moments.
Clean paths keep every wait well inside its SLA, so a clean line is never late
whatever the as-of date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from backoffice.sample import zefiro
from backoffice.sample.calendar import ROME, add_business_days, rome_date, rome_moment
from backoffice.sample.catalogue import BULK_SKUS, DISCOUNTS, PRODUCTS
from backoffice.sample.model import (
    CrmVersion,
    Customer,
    Expectation,
    Line,
    Order,
    Product,
    StateChange,
    Submission,
    Unit,
)

LABELS = {
    "alfa": {
        "ACKNOWLEDGED": ("acknowledged",),
        "IN_PROGRESS": ("inProgress",),
        "HELD": ("held", "pending"),
        "REJECTED": ("rejected", "failed"),
        "ACTIVE": ("completed",),
        "TERMINATED": ("cancelled",),
    },
    "nuvola": {
        "ACKNOWLEDGED": ("INSERITO",),
        "IN_PROGRESS": ("IN_LAVORAZIONE",),
        "HELD": ("SOSPESO",),
        "REJECTED": ("RIFIUTATO",),
        "ACTIVE": ("ATTIVO",),
        "TERMINATED": ("CESSATO",),
    },
}
LABELS[zefiro.NAME] = zefiro.LABELS  # the opt-in fourth source (sample/zefiro.py)
UNMAPPED = {"alfa": "assessingCancellation", "nuvola": "IN_VERIFICA", zefiro.NAME: zefiro.UNMAPPED}
REASONS = {
    "HELD": (
        "In attesa di documentazione dalla Società cliente",
        "Sopralluogo rinviato: Caffè chiuso per ferie",
        "Attesa permessi condominiali",
    ),
    "REJECTED": (
        "Indirizzo non coperto dal servizio",
        "Codice fiscale/P.IVA non coerente con l'anagrafica",
        "Credit check negativo",
    ),
    "UNMAPPED": ("Verifica tecnica di fattibilità", "Richiesta di annullo in valutazione"),
}
PROVIDERS = ("alfa", "nuvola")


def other(provider: str) -> str:
    return PROVIDERS[1 - PROVIDERS.index(provider)]


@dataclass
class Context:
    """What every unit needs to know: the seed, the as-of dates, and the id counters."""

    seed: int
    as_of: tuple[date, ...]
    start: date
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def first(self) -> date:
        return self.as_of[0]

    @property
    def horizon(self) -> date:
        return self.as_of[-1]

    def next(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]


def product_price(product: Product, rng: random.Random) -> Decimal:
    discount = rng.choice(DISCOUNTS)
    return (product.list_price * (1 - discount)).quantize(Decimal("0.0001"))


class Builder:
    def __init__(
        self, ctx: Context, index: int, scenario: str, customer: Customer, rng: random.Random
    ) -> None:
        self.ctx = ctx
        self.rng = rng
        self.unit = Unit(index, scenario, customer, [])

    # --- moments -------------------------------------------------------------------
    def at(self, d: date, hour: int | None = None) -> datetime:
        """A moment on Rome date d at `hour` (random working hour when None), ms precision."""
        rng = self.rng
        hour = rng.randint(8, 18) if hour is None else hour
        moment = rome_moment(d, hour, rng.randrange(60), rng.randrange(60))
        return moment + timedelta(milliseconds=rng.randrange(1000))

    def after(self, prev: datetime, business_days: int) -> datetime:
        """A later moment `business_days` business days after prev (0: later the same day)."""
        if business_days == 0:
            candidate = prev + timedelta(minutes=self.rng.randint(7, 150))
            local_hour = candidate.astimezone(ROME).hour
            same_day = rome_date(candidate) == rome_date(prev)
            if same_day and local_hour < 20 and rome_date(prev).weekday() < 5:
                return candidate
            business_days = 1
        return self.at(add_business_days(rome_date(prev), business_days))

    def expect(self, case: str, exception_type: str, fires: bool, **where: object) -> None:
        """Label an edge case of this unit with the result the contract gives it."""
        self.unit.cases.append(Expectation(case, exception_type, fires, **where))

    # --- CRM ---------------------------------------------------------------------------
    def order(
        self,
        signed: datetime,
        providers: list[str],
        products: list[Product] | None = None,
    ) -> Order:
        """A signed CRM order with one line per provider entry (first CRM version each)."""
        ctx, rng = self.ctx, self.rng
        order_id = f"SO-{rome_date(signed).year}-{ctx.next('order'):06d}"
        lines = []
        for number, provider in enumerate(providers, start=1):
            product = products[number - 1] if products else rng.choice(PRODUCTS[provider])
            low, high = BULK_SKUS.get(product.sku, (1, 3))
            line = Line(
                order_id=order_id,
                order_line_id=f"{order_id}-{number:02d}",
                provider=provider,
                product=product,
                quantity=rng.randint(low, high),
                unit_price=product_price(product, rng),
                vat_rate=product.vat_rate,
            )
            line.crm.append(CrmVersion(signed))
            lines.append(line)
        order = Order(order_id, lines)
        self.unit.orders.append(order)
        return order

    def change(self, line: Line, at: datetime, **changes: object) -> CrmVersion:
        """A later CRM version of the line (a cancellation, a correction, a re-export)."""
        current = line.current_crm()
        version = CrmVersion(
            at,
            line_status=current.line_status,
            cancelled_date=current.cancelled_date,
            quantity=current.quantity,
            unit_price=current.unit_price,
            provider=current.provider,
        )
        for name, value in changes.items():
            setattr(version, name, value)
        line.crm.append(version)
        return version

    def cancel(self, line: Line, at: datetime) -> None:
        self.change(line, at, line_status="cancelled", cancelled_date=rome_date(at))

    # --- provider ------------------------------------------------------------------------
    def submit(
        self,
        lines: list[Line],
        at: datetime,
        *,
        sku: str | None = None,
        quantity: int | None = None,
        unit_price: Decimal | None = None,
    ) -> str:
        """The back office enters the lines at their provider as one provider order."""
        provider = lines[0].provider
        number = self.ctx.next(f"po:{provider}")
        if provider == zefiro.NAME:
            order_id = f"ZF{number:06d}"
        else:
            order_id = f"AO{7_300_000 + number:09d}" if provider == "alfa" else f"NV-{number:07d}"
        for line in lines:
            line.submissions.append(
                Submission(
                    at,
                    order_id,
                    sku or line.product.sku,
                    line.quantity if quantity is None else quantity,
                    line.unit_price if unit_price is None else unit_price,
                )
            )
        return order_id

    def state(self, lines: list[Line], at: datetime, canonical: str, reason: str = "") -> None:
        provider = lines[0].provider
        if canonical == "UNMAPPED":
            label = UNMAPPED[provider]
            reason = reason or self.rng.choice(REASONS["UNMAPPED"])
        else:
            label = self.rng.choice(LABELS[provider][canonical])
            if canonical in REASONS and not reason:
                reason = self.rng.choice(REASONS[canonical])
        for line in lines:
            line.events.append(StateChange(at, label, canonical, reason))

    def path(self, lines: list[Line], steps: list[tuple[str, date]], **entered: object) -> datetime:
        """Explicit life: (canonical state or SUBMITTED, date) steps; same-day steps in order.

        `entered` overrides what the back office typed at submission (sku, quantity, price).
        """
        prev_day, hour, moment = None, 9, None
        for canonical, day in steps:
            hour = hour + self.rng.randint(1, 2) if day == prev_day else self.rng.randint(8, 10)
            moment = self.at(day, hour)
            if canonical == "SUBMITTED":
                self.submit(lines, moment, **entered)
            else:
                self.state(lines, moment, canonical)
            prev_day = day
        assert moment is not None
        return moment

    def clean_path(
        self, lines: list[Line], signed: datetime, *, hold: bool = False, unmapped: bool = False
    ) -> datetime:
        """Submitted, acknowledged, worked and activated, every wait inside its SLA."""
        rng = self.rng
        early = signed.astimezone(ROME).hour < 15
        submitted = self.after(signed, 0 if early and rng.random() < 0.6 else 1)
        self.submit(lines, submitted)
        acknowledged = self.after(submitted, rng.choice((0, 0, 1)))
        self.state(lines, acknowledged, "ACKNOWLEDGED")
        last = self.after(acknowledged, rng.choice((0, 1, 1, 2)))
        self.state(lines, last, "IN_PROGRESS")
        if unmapped:  # a provider state INPUT.md does not map: kept, reported, not in the timeline
            self.state(lines, acknowledged + (last - acknowledged) / 2, "UNMAPPED")
        if hold:
            held = self.after(last, rng.randint(1, 3))
            self.state(lines, held, "HELD")
            last = self.after(held, rng.randint(1, 3))
            self.state(lines, last, "IN_PROGRESS")
        active = self.after(last, rng.randint(1, 6))
        if rng.random() < 0.05:  # an overnight provisioning batch, just before midnight
            active = self.at(rome_date(active), 23)
        self.state(lines, active, "ACTIVE")
        return active
