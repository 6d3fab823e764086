"""Writing one unit into the landing zone, feed by feed, and recording what was written.

Every record written comes back as a row of records.py with its file, row and
delivery date, which is all the oracle needs. This module also plants the few
corrupt rows that ingest must quarantine: each is a damaged copy of a good row
written just before it, so quarantining it changes nothing the controls see.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from backoffice.sample import cades, fatturapa, tmf622, zefiro
from backoffice.sample.builder import UNMAPPED, Context
from backoffice.sample.calendar import ROME, rome_date, rome_moment
from backoffice.sample.catalogue import PROVIDERS
from backoffice.sample.csvfmt import crm_row, it_date, it_datetime, nuvola_row, utc_z
from backoffice.sample.model import Invoice, Line, Unit
from backoffice.sample.money import fmt_it, fmt_it_price, fmt_price, round2
from backoffice.sample.records import (
    CrmRow,
    EventRow,
    InvoiceLineRow,
    OrderRow,
    Ref,
    UnitRecords,
    VatSummaryRow,
)
from backoffice.sample.sinks import Sinks

CRM_COLUMNS = (
    "order_id", "order_line_id", "customer_vat", "customer_name", "provider", "sku",
    "description", "quantity", "unit_price", "vat_rate", "signed_date", "line_status",
    "cancelled_date", "updated_at",
)  # fmt: skip
NUVOLA_ORDER_COLUMNS = (
    "id_ordine_fornitore", "rif_ordine", "rif_riga", "codice_articolo", "quantita",
    "prezzo_unitario", "data_inserimento",
)  # fmt: skip
NUVOLA_EVENT_COLUMNS = (
    "id_evento",
    "id_ordine_fornitore",
    "rif_riga",
    "stato",
    "data_ora",
    "motivo",
)
NUVOLA_INVOICE_COLUMNS = (
    "numero_documento", "tipo_documento", "data_documento", "rif_documento_collegato",
    "cliente_piva", "numero_riga", "rif_riga", "codice_articolo", "descrizione", "quantita",
    "periodo_dal", "periodo_al", "prezzo_unitario", "importo", "aliquota_iva", "imposta", "valuta",
)  # fmt: skip

# Corrupt rows to plant, each in the first clean unit at or after the given index.
CORRUPT_PLAN = {
    "crm_bad_date": 2,
    "alfa_activations_not_json": 5,
    "nuvola_orders_quantita": 8,
    "nuvola_activations_bad_time": 11,
    "nuvola_invoices_bad_amount": 14,
}
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class CorruptRow:
    source_file: str
    source_row: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnmappedState:
    provider: str
    order_line_id: str
    state: str
    source_file: str
    source_row: str


def _base36(n: int, width: int = 5) -> str:
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = _BASE36[r] + digits
    return digits.rjust(width, "0")


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


class LandingWriter:
    def __init__(self, sinks: Sinks, ctx: Context) -> None:
        self.sinks = sinks
        self.ctx = ctx
        self.corrupt: list[CorruptRow] = []
        self.unmapped: list[UnmappedState] = []
        self._pending = dict(CORRUPT_PLAN)
        self._workbooks: dict[str, list[zefiro.OrderCells]] = {}  # zefiro's orders, per file

    def _plant(self, kind: str, unit: Unit) -> bool:
        due = self._pending.get(kind)
        if due is None or unit.scenario != "clean" or unit.index < due:
            return False
        del self._pending[kind]
        return True

    def write(self, unit: Unit) -> UnitRecords:
        rng = random.Random(f"write:{self.ctx.seed}:{unit.index}")
        records = UnitRecords()
        self._crm(unit, records)
        self._alfa_orders(unit, records, rng)
        self._alfa_events(unit, records, rng)
        self._nuvola_orders(unit, records)
        self._nuvola_events(unit, records)
        self._zefiro_orders(unit, records)
        self._zefiro_events(unit, records)
        self._invoices(unit, records, rng)
        return records

    def finish(self) -> None:
        """Write what is written whole at the end (zefiro's Excel workbooks)."""
        for rel, rows in sorted(self._workbooks.items()):
            n = len(rows)
            self.sinks.write_file(rel, zefiro.orders_workbook(rows), records=n, rows=n, summaries=0)
        self._workbooks.clear()

    # --- crm -----------------------------------------------------------------------------
    def _crm(self, unit: Unit, records: UnitRecords) -> None:
        header = crm_row(CRM_COLUMNS)
        for line in unit.lines:
            signed = rome_date(line.crm[0].updated_at)
            for version in sorted(line.crm, key=lambda v: v.updated_at):
                day = rome_date(version.updated_at)
                half = "1300" if version.updated_at.astimezone(ROME).hour < 13 else "2359"
                rel = f"crm/signed_orders/{day}/signed_orders_{day:%Y%m%d}_{half}.csv"
                quantity = line.quantity if version.quantity is None else version.quantity
                price = line.unit_price if version.unit_price is None else version.unit_price
                provider = version.provider or line.provider
                values = [
                    line.order_id,
                    line.order_line_id,
                    unit.customer.vat,
                    unit.customer.name,
                    provider,
                    line.product.sku,
                    line.product.description,
                    str(quantity),
                    fmt_price(price),
                    f"{line.vat_rate:.2f}",
                    signed.isoformat(),
                    version.line_status,
                    version.cancelled_date.isoformat() if version.cancelled_date else "",
                    utc_z(version.updated_at),
                ]
                row = self.sinks.append(rel, crm_row(values), header=header, rows=1)
                records.crm.append(
                    CrmRow(
                        line.order_id,
                        line.order_line_id,
                        unit.customer.vat,
                        provider,
                        line.product.sku,
                        quantity,
                        Decimal(fmt_price(price)),
                        line.vat_rate,
                        signed,
                        version.line_status,
                        version.cancelled_date,
                        _seconds(version.updated_at),
                        Ref(rel, str(row), day),
                    )
                )
                if self._plant("crm_bad_date", unit):
                    bad = f"{signed.year}-02-30"
                    values[10] = bad
                    bad_row = self.sinks.quarantine_row(rel, crm_row(values))
                    self.corrupt.append(
                        CorruptRow(rel, str(bad_row), f"signed_date '{bad}' is not a calendar date")
                    )

    # --- alfa TMF622 -------------------------------------------------------------------------
    def _alfa_orders(self, unit: Unit, records: UnitRecords, rng: random.Random) -> None:
        groups: dict[str, list] = defaultdict(list)
        for line in unit.lines:
            if line.provider != "alfa":
                continue
            for submission in line.submissions:
                groups[submission.provider_order_id].append((line, submission))
        for provider_order_id, members in sorted(groups.items(), key=lambda kv: kv[1][0][1].at):
            at = _ms(members[0][1].at)
            day = rome_date(at)
            items = [
                tmf622.OrderItem(
                    line.order_line_id,
                    s.sku,
                    line.product.description,
                    s.quantity,
                    s.unit_price,
                    line.vat_rate,
                )
                for line, s in members
            ]
            data = tmf622.create_event(
                rng,
                provider_order_id=provider_order_id,
                reseller_order_id=members[0][0].order_id,
                created=at,
                items=items,
                customer_name=unit.customer.name,
                customer_vat=unit.customer.vat,
            )
            rel = f"alfa/orders/{day}/productOrderCreateEvent_{day:%Y%m%d}.ndjson"
            row = self.sinks.append(rel, data, rows=len(items))
            for line, s in members:
                records.orders.append(
                    OrderRow(
                        "alfa",
                        provider_order_id,
                        line.order_id,
                        line.order_line_id,
                        s.sku,
                        s.quantity,
                        Decimal(fmt_price(s.unit_price)),
                        at,
                        Ref(rel, str(row), day),
                    )
                )

    @staticmethod
    def _provider_order(line: Line, at: datetime) -> str:
        before = [s for s in line.submissions if s.at <= at]
        chosen = max(before, key=lambda s: s.at) if before else line.submissions[0]
        return chosen.provider_order_id

    def _alfa_events(self, unit: Unit, records: UnitRecords, rng: random.Random) -> None:
        groups: dict[tuple, list[Line]] = defaultdict(list)
        for line in unit.lines:
            if line.provider != "alfa":
                continue
            for event in line.events:
                key = (event.at, self._provider_order(line, event.at), event.state, event.reason)
                groups[key].append(line)
        for (at, provider_order_id, state, reason), lines in sorted(groups.items()):
            at = _ms(at)
            day = rome_date(at)
            data = tmf622.state_change_event(
                rng,
                provider_order_id=provider_order_id,
                at=at,
                state=state,
                item_ids=[line.order_line_id for line in lines],
                reason=reason,
            )
            rel = f"alfa/activations/{day}/productOrderStateChangeEvent_{day:%Y%m%d}.ndjson"
            row = self.sinks.append(rel, data, rows=len(lines))
            for line in lines:
                records.events.append(
                    EventRow("alfa", line.order_line_id, state, at, Ref(rel, str(row), day))
                )
                if state == UNMAPPED["alfa"]:
                    self.unmapped.append(
                        UnmappedState("alfa", line.order_line_id, state, rel, str(row))
                    )
            if self._plant("alfa_activations_not_json", unit):
                broken = data[: len(data) // 2].decode("utf-8", "ignore").encode("utf-8") + b"\n"
                bad_row = self.sinks.quarantine_row(rel, broken)
                self.corrupt.append(
                    CorruptRow(rel, str(bad_row), "not valid JSON: the event is cut in half")
                )

    # --- nuvola CSV ----------------------------------------------------------------------------
    def _nuvola_orders(self, unit: Unit, records: UnitRecords) -> None:
        header = nuvola_row(NUVOLA_ORDER_COLUMNS)
        rows = [
            (s.at, line, s)
            for line in unit.lines
            if line.provider == "nuvola"
            for s in line.submissions
        ]
        for at, line, s in sorted(rows, key=lambda r: (r[0], r[1].order_line_id)):
            day = rome_date(at)
            rel = f"nuvola/orders/{day}/ordini_{day:%Y%m%d}.csv"
            values = [
                s.provider_order_id,
                line.order_id,
                line.order_line_id,
                s.sku,
                str(s.quantity),
                fmt_it_price(s.unit_price),
                it_datetime(at),
            ]
            row = self.sinks.append(rel, nuvola_row(values), header=header, rows=1)
            records.orders.append(
                OrderRow(
                    "nuvola",
                    s.provider_order_id,
                    line.order_id,
                    line.order_line_id,
                    s.sku,
                    s.quantity,
                    Decimal(fmt_price(s.unit_price)),
                    _seconds(at),
                    Ref(rel, str(row), day),
                )
            )
            if self._plant("nuvola_orders_quantita", unit):
                values[4] = "due"
                bad_row = self.sinks.quarantine_row(rel, nuvola_row(values))
                self.corrupt.append(
                    CorruptRow(rel, str(bad_row), "quantita 'due' is not an integer")
                )

    def _nuvola_events(self, unit: Unit, records: UnitRecords) -> None:
        header = nuvola_row(NUVOLA_EVENT_COLUMNS)
        rows = [
            (e.at, line, e) for line in unit.lines if line.provider == "nuvola" for e in line.events
        ]
        for at, line, event in sorted(rows, key=lambda r: (r[0], r[1].order_line_id)):
            day = rome_date(at)
            rel = f"nuvola/activations/{day}/attivazioni_{day:%Y%m%d}.csv"
            values = [
                f"EV{self.ctx.next('nuvola-event'):09d}",
                self._provider_order(line, at),
                line.order_line_id,
                event.state,
                it_datetime(at),
                event.reason,
            ]
            row = self.sinks.append(rel, nuvola_row(values), header=header, rows=1)
            records.events.append(
                EventRow(
                    "nuvola", line.order_line_id, event.state, _seconds(at), Ref(rel, str(row), day)
                )
            )
            if event.state == UNMAPPED["nuvola"]:
                self.unmapped.append(
                    UnmappedState("nuvola", line.order_line_id, event.state, rel, str(row))
                )
            if self._plant("nuvola_activations_bad_time", unit):
                bad = f"30/02/{day.year} 09:15:00"
                values[0] = f"EV{self.ctx.next('nuvola-event'):09d}"
                values[4] = bad
                bad_row = self.sinks.quarantine_row(rel, nuvola_row(values))
                self.corrupt.append(
                    CorruptRow(rel, str(bad_row), f"data_ora '{bad}' is not a valid time")
                )

    # --- zefiro (opt-in): Excel orders, CSV activations ------------------------------------------
    def _zefiro_orders(self, unit: Unit, records: UnitRecords) -> None:
        rows = [
            (s.at, line, s)
            for line in unit.lines
            if line.provider == zefiro.NAME
            for s in line.submissions
        ]
        for at, line, s in sorted(rows, key=lambda r: (r[0], r[1].order_line_id)):
            at = _seconds(at)
            day = rome_date(at)
            rel = f"zefiro/orders/{day}/ordini_zefiro_{day:%Y%m%d}.xlsx"
            sheet = self._workbooks.setdefault(rel, [])
            price = Decimal(fmt_price(s.unit_price))
            sheet.append(
                (s.provider_order_id, line.order_id, line.order_line_id, s.sku, s.quantity,
                 price, at)
            )  # fmt: skip
            records.orders.append(
                OrderRow(
                    zefiro.NAME,
                    s.provider_order_id,
                    line.order_id,
                    line.order_line_id,
                    s.sku,
                    s.quantity,
                    price,
                    at,
                    Ref(rel, str(len(sheet)), day),
                )
            )

    def _zefiro_events(self, unit: Unit, records: UnitRecords) -> None:
        header = zefiro.csv_row(zefiro.EVENT_COLUMNS)
        rows = [
            (e.at, line, e)
            for line in unit.lines
            if line.provider == zefiro.NAME
            for e in line.events
        ]
        for at, line, event in sorted(rows, key=lambda r: (r[0], r[1].order_line_id)):
            day = rome_date(at)
            rel = f"zefiro/activations/{day}/stati_zefiro_{day:%Y%m%d}.csv"
            values = [
                f"ZE-{self.ctx.next('zefiro-event'):08d}",
                self._provider_order(line, at),
                line.order_line_id,
                event.state,
                zefiro.local_stamp(at),
                event.reason,
            ]
            row = self.sinks.append(rel, zefiro.csv_row(values), header=header, rows=1)
            records.events.append(
                EventRow(
                    zefiro.NAME, line.order_line_id, event.state, _seconds(at),
                    Ref(rel, str(row), day),
                )
            )  # fmt: skip
            if event.state == UNMAPPED[zefiro.NAME]:
                self.unmapped.append(
                    UnmappedState(zefiro.NAME, line.order_line_id, event.state, rel, str(row))
                )

    # --- invoices ------------------------------------------------------------------------------
    def _number(self, invoice: Invoice) -> str:
        issued = invoice.issued
        if invoice.provider == zefiro.NAME:
            kind = "FT" if invoice.doc_type == "TD01" else "NC"
            return f"ZF/{kind}/{issued.year}/{self.ctx.next(f'zefiro:{kind}:{issued.year}'):05d}"
        if invoice.provider == "alfa":
            kind = "FA" if invoice.doc_type == "TD01" else "NC"
            seq = self.ctx.next(f"alfa:{kind}:{issued:%y%m}")
            return f"{kind}{issued:%y%m}-{seq:06d}"
        kind = "FT" if invoice.doc_type == "TD01" else "NC"
        return f"{kind}-{issued.year}-{self.ctx.next(f'nuvola:{kind}:{issued.year}'):07d}"

    def _invoices(self, unit: Unit, records: UnitRecords, rng: random.Random) -> None:
        ordered = sorted(
            (i for i in unit.invoices if i.lines),
            key=lambda i: (i.delivered, i.issued, i.doc_type, i.order_id, i.provider),
        )
        for invoice in ordered:
            invoice.number = self._number(invoice)
        alfa = [i for i in ordered if i.provider == "alfa"]
        files: dict[tuple, list[Invoice]] = defaultdict(list)
        for index, invoice in enumerate(alfa):
            key = (invoice.delivered, invoice.doc_type) if unit.lotto else (index,)
            files[key].append(invoice)
        for bodies in files.values():
            self._alfa_file(unit, bodies, records, rng)
        for invoice in ordered:
            if invoice.provider == "nuvola":
                self._nuvola_invoice(unit, invoice, records)
            elif invoice.provider == zefiro.NAME:
                self._zefiro_invoice(unit, invoice, records)

    def _alfa_file(
        self, unit: Unit, invoices: list[Invoice], records: UnitRecords, rng: random.Random
    ) -> None:
        provider = PROVIDERS["alfa"]
        number = self.ctx.next("alfa-file")
        progressive = _base36(number)
        delivered = invoices[0].delivered
        signed = number % 5 == 3 or any(i.signed for i in invoices)
        name = f"IT{provider.vat}_{progressive}.xml" + (".p7m" if signed else "")
        rel = f"alfa/invoices/{delivered}/{name}"
        bodies = []
        for body_no, invoice in enumerate(invoices, start=1):
            lines = [
                fatturapa.BodyLine(
                    n,
                    il.sku,
                    il.description,
                    il.quantity,
                    il.start,
                    il.end,
                    il.unit_price,
                    il.net,
                    il.vat_rate,
                    il.order_line_id,
                )
                for n, il in enumerate(invoice.lines, start=1)
            ]
            related = invoice.related
            body = fatturapa.Body(
                invoice.doc_type, invoice.issued, invoice.number,
                related.number if related else "", related.issued if related else None, lines,
            )  # fmt: skip
            bodies.append(body)
            for bl in lines:
                records.invoice_lines.append(
                    InvoiceLineRow(
                        "alfa",
                        invoice.number,
                        invoice.doc_type,
                        invoice.issued,
                        body.related_number,
                        unit.customer.vat,
                        bl.number,
                        bl.order_line_id,
                        bl.quantity,
                        bl.start,
                        bl.end,
                        bl.unit_price,
                        round2(bl.net),
                        bl.vat_rate,
                        None,
                        Ref(rel, f"{body_no}/{bl.number}", delivered),
                    )
                )
            for rate, taxable, tax in body.summaries():
                records.vat_summaries.append(
                    VatSummaryRow(
                        "alfa", invoice.number, invoice.doc_type, rate, taxable, tax, delivered
                    )
                )
        recipient = hashlib.sha256(unit.customer.vat.encode()).hexdigest().upper()[:7]
        xml = fatturapa.document(
            prefix=rng.choice(fatturapa.PREFIXES),
            progressive=progressive,
            provider=provider,
            customer=unit.customer,
            recipient_code=recipient,
            bodies=bodies,
        )
        data = xml
        if signed:
            data = cades.wrap(
                xml,
                seed=self.ctx.seed,
                signed_at=rome_moment(invoices[0].issued, 7, 30),
                not_before=self.ctx.start - timedelta(days=365),
            )
        n_lines = sum(len(b.lines) for b in bodies)
        n_summaries = sum(len(b.summaries()) for b in bodies)
        self.sinks.write_file(rel, data, records=n_lines, rows=n_lines, summaries=n_summaries)

    def _nuvola_invoice(self, unit: Unit, invoice: Invoice, records: UnitRecords) -> None:
        header = nuvola_row(NUVOLA_INVOICE_COLUMNS)
        delivered = invoice.delivered
        rel = f"nuvola/invoices/{delivered}/fatture_{delivered:%Y%m%d}.csv"
        related = invoice.related
        taxes = _line_taxes([(il.net, il.vat_rate) for il in invoice.lines])
        for n, (il, tax) in enumerate(zip(invoice.lines, taxes, strict=True), start=1):
            values = [
                invoice.number,
                invoice.doc_type,
                it_date(invoice.issued),
                related.number if related else "",
                unit.customer.vat,
                str(n),
                il.order_line_id,
                il.sku,
                il.description,
                fmt_it(il.quantity),
                it_date(il.start),
                it_date(il.end),
                fmt_it_price(il.unit_price),
                fmt_it(il.net),
                fmt_it(il.vat_rate),
                fmt_it(tax),
                "EUR",
            ]
            row = self.sinks.append(rel, nuvola_row(values), header=header, rows=1)
            records.invoice_lines.append(
                InvoiceLineRow(
                    "nuvola",
                    invoice.number,
                    invoice.doc_type,
                    invoice.issued,
                    related.number if related else "",
                    unit.customer.vat,
                    n,
                    il.order_line_id,
                    il.quantity,
                    il.start,
                    il.end,
                    il.unit_price,
                    round2(il.net),
                    il.vat_rate,
                    tax,
                    Ref(rel, str(row), delivered),
                )
            )
            if self._plant("nuvola_invoices_bad_amount", unit):
                values[13] = "n.d."
                bad_row = self.sinks.quarantine_row(rel, nuvola_row(values))
                self.corrupt.append(CorruptRow(rel, str(bad_row), "importo 'n.d.' is not a number"))

    def _zefiro_invoice(self, unit: Unit, invoice: Invoice, records: UnitRecords) -> None:
        """Zefiro's invoice export: UTF-8, Italian numbers, its own column names."""
        header = zefiro.csv_row(zefiro.INVOICE_COLUMNS)
        delivered = invoice.delivered
        rel = f"zefiro/invoices/{delivered}/fatture_zefiro_{delivered:%Y%m%d}.csv"
        related = invoice.related
        taxes = _line_taxes([(il.net, il.vat_rate) for il in invoice.lines])
        for n, (il, tax) in enumerate(zip(invoice.lines, taxes, strict=True), start=1):
            values = [
                invoice.number, invoice.doc_type, it_date(invoice.issued),
                related.number if related else "", unit.customer.vat, str(n),
                il.order_line_id, il.sku, il.description, fmt_it(il.quantity),
                it_date(il.start), it_date(il.end), fmt_it_price(il.unit_price), fmt_it(il.net),
                fmt_it(il.vat_rate), fmt_it(tax), "EUR",
            ]  # fmt: skip
            row = self.sinks.append(rel, zefiro.csv_row(values), header=header, rows=1)
            records.invoice_lines.append(
                InvoiceLineRow(
                    zefiro.NAME, invoice.number, invoice.doc_type, invoice.issued,
                    related.number if related else "", unit.customer.vat, n,
                    il.order_line_id, il.quantity, il.start, il.end, il.unit_price,
                    round2(il.net), il.vat_rate, tax, Ref(rel, str(row), delivered),
                )
            )  # fmt: skip


def _line_taxes(lines: list[tuple[Decimal, Decimal]]) -> list[Decimal]:
    """Per-line VAT whose sum per rate equals the rounded VAT of that rate's total.

    Nuvola prints VAT on each line; rounding each line alone could drift from the
    invoice's VAT by a cent per line, so the last line of each rate takes the rest.
    """
    taxes = [round2(net * rate / 100) for net, rate in lines]
    for rate in {rate for _, rate in lines}:
        indexes = [i for i, (_, r) in enumerate(lines) if r == rate]
        total = round2(sum((lines[i][0] for i in indexes), Decimal(0)) * rate / 100)
        taxes[indexes[-1]] += total - sum((taxes[i] for i in indexes), Decimal(0))
    return taxes
