"""Provider claim packs: what a provider over-billed, as a letter and a workbook to send.

A pack lists every open over-billing exception of one provider (amount > 0), each
as a claim line with the invoice, what was charged and what was due, and claims
what is still outstanding: the exception's amount net of what the provider has
already credited. Under-billing is never claimed. Making a pack records, on the
pack's tables and on each case's history, that the line was claimed, when and in
which pack; once a credit note covers the exception, the claim line is closed
(`close_credited_claims`, run every night) and later packs show it as credited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import xlsxwriter
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from backoffice.errors import BackofficeError
from backoffice.followup import caselink, ledger, source
from backoffice.followup.config import load as load_config
from backoffice.followup.render import RULES_IT, date_it, eur_it, money, render
from backoffice.registry import load_registry
from backoffice.settings import Settings

OVER_BILLING = (
    "DUPLICATE_CHARGE",
    "BILLED_NOT_ACTIVE",
    "BILLED_AFTER_CANCELLATION",
    "BILLED_BEFORE_ACTIVATION",
    "PRICE_MISMATCH",
    "QUANTITY_MISMATCH",
    "PRORATA_ERROR",
    "VAT_ERROR",
)
CLAIM_FIELD = "claim"

# Billed figures come from the invoice line that proves the exception (the mart's key is
# the landed record); VAT_ERROR is about a whole invoice, judged in int_invoices__vat.
_LINES_SQL = f"""
select
    e.exception_id,
    e.exception_type,
    e.customer_vat,
    e.order_id,
    e.order_line_id,
    e.invoice_number,
    coalesce(il.invoice_date, v.invoice_date) as invoice_date,
    e.invoice_line,
    il.period_start_date,
    il.period_end_date,
    round(
        case when e.exception_type = 'VAT_ERROR' then v.billed_vat_eur else il.net_amount_eur end,
        2
    ) as charged_eur,
    e.amount_eur,
    e.credited_eur,
    e.evidence,
    e.source_file,
    e.source_row
from marts.exceptions as e
left join marts.invoice_lines as il
    on
        e.exception_type <> 'VAT_ERROR'
        and il.document_type = 'TD01'
        and il.source_file = e.source_file
        and il.source_row = e.source_row
left join intermediate.int_invoices__vat as v
    on
        e.exception_type = 'VAT_ERROR'
        and v.provider = e.provider
        and v.invoice_number = e.invoice_number
where
    e.provider = $provider
    and e.status = 'open'
    and e.exception_type in ({", ".join(f"'{t}'" for t in OVER_BILLING)})
    and e.amount_eur > 0
    and e.amount_eur - e.credited_eur > 0
order by invoice_date, e.invoice_number, e.invoice_line nulls first, e.exception_type
"""


@dataclass(frozen=True)
class ClaimLine:
    exception_id: str
    exception_type: str
    customer_vat: str | None
    order_id: str | None
    order_line_id: str | None
    invoice_number: str
    invoice_date: date | None
    invoice_line: int | None
    period_start: date | None
    period_end: date | None
    charged_eur: Decimal | None
    amount_eur: Decimal  # the difference: charged - due
    credited_eur: Decimal
    evidence: str
    source_file: str
    source_row: str
    earlier_pack: str | None = None

    @property
    def due_eur(self) -> Decimal | None:
        return None if self.charged_eur is None else money(self.charged_eur - self.amount_eur)

    @property
    def claimed_eur(self) -> Decimal:
        return money(self.amount_eur - self.credited_eur)

    @property
    def rule_it(self) -> str:
        return RULES_IT[self.exception_type]

    @property
    def line_label(self) -> str:
        return "intera fattura" if self.invoice_line is None else str(self.invoice_line)

    @property
    def evidence_it(self) -> str:
        """The claim's proof in Italian: the figures and the record they come from."""
        what = "IVA addebitata" if self.exception_type == "VAT_ERROR" else "addebitati"
        period = ""
        if self.period_start and self.period_end:
            period = (
                f" per il periodo dal {date_it(self.period_start)} al {date_it(self.period_end)}"
            )
        line = f"{what} {eur_it(self.charged_eur)} €{period}, dovuti {eur_it(self.due_eur)} €"
        if self.order_line_id:
            line += f"; riga d'ordine {self.order_line_id}"
        return f"{line}; documento {self.source_file}, riga {self.source_row}"


@dataclass(frozen=True)
class InvoiceTotal:
    invoice_number: str
    invoice_date: date | None
    lines: int
    charged_eur: Decimal
    due_eur: Decimal
    difference_eur: Decimal
    credited_eur: Decimal
    claimed_eur: Decimal


@dataclass(frozen=True)
class ClaimStatus:
    """An earlier claim line and where it stands in the publication read now."""

    pack_id: str
    claimed_on: date
    exception_id: str
    invoice_number: str | None
    invoice_line: int | None
    claimed_eur: Decimal
    credited_since_eur: Decimal
    state: str  # credited, partly_credited, waiting, no_longer_found

    @property
    def state_it(self) -> str:
        return {
            "credited": "accreditato (nota di credito ricevuta)",
            "partly_credited": "accreditato in parte",
            "waiting": "in attesa di nota di credito",
            "no_longer_found": "non più rilevato",
        }[self.state]


@dataclass
class ClaimPack:
    pack_id: str
    provider: str
    provider_name: str
    as_of: date
    lines: list[ClaimLine]
    earlier: list[ClaimStatus] = field(default_factory=list)
    xlsx_path: Path | None = None
    html_path: Path | None = None

    @property
    def invoices(self) -> list[InvoiceTotal]:
        by_invoice: dict[str, list[ClaimLine]] = {}
        for line in self.lines:
            by_invoice.setdefault(line.invoice_number, []).append(line)
        return [
            InvoiceTotal(
                invoice_number=number,
                invoice_date=lines[0].invoice_date,
                lines=len(lines),
                charged_eur=money(sum((x.charged_eur or 0 for x in lines), Decimal(0))),
                due_eur=money(sum((x.due_eur or 0 for x in lines), Decimal(0))),
                difference_eur=money(sum((x.amount_eur for x in lines), Decimal(0))),
                credited_eur=money(sum((x.credited_eur for x in lines), Decimal(0))),
                claimed_eur=money(sum((x.claimed_eur for x in lines), Decimal(0))),
            )
            for number, lines in by_invoice.items()
        ]

    @property
    def total_eur(self) -> Decimal:
        return money(sum((line.claimed_eur for line in self.lines), Decimal(0)))

    @property
    def paths(self) -> dict[str, Path]:
        return {"xlsx": self.xlsx_path, "html": self.html_path}


def claim_lines(con: duckdb.DuckDBPyConnection, provider: str) -> list[ClaimLine]:
    """Every open over-billing exception of `provider` with something left to claim."""
    cursor = con.execute(_LINES_SQL, {"provider": provider})
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [
        ClaimLine(
            exception_id=r["exception_id"],
            exception_type=r["exception_type"],
            customer_vat=r["customer_vat"],
            order_id=r["order_id"],
            order_line_id=r["order_line_id"],
            invoice_number=r["invoice_number"],
            invoice_date=r["invoice_date"],
            invoice_line=r["invoice_line"],
            period_start=r["period_start_date"],
            period_end=r["period_end_date"],
            charged_eur=None if r["charged_eur"] is None else money(r["charged_eur"]),
            amount_eur=money(r["amount_eur"]),
            credited_eur=money(r["credited_eur"]),
            evidence=r["evidence"],
            source_file=r["source_file"],
            source_row=r["source_row"],
        )
        for r in rows
    ]


def build_claim_pack(
    settings: Settings, provider: str, as_of: date | None, actor: str
) -> dict[str, Path]:
    """Make, write and record one provider's claim pack; the review app's button calls this.

    Returns the paths of the workbook and of the letter (keys `xlsx`, `html`).
    """
    return make_claim_pack(settings, provider, as_of, actor).paths


def make_claim_pack(settings: Settings, provider: str, as_of: date | None, actor: str) -> ClaimPack:
    registry = load_registry(settings.registry_path)
    if provider not in registry.sources or provider == "crm":
        known = ", ".join(s for s in registry.sources if s != "crm")
        raise BackofficeError(f"unknown provider {provider!r}: claims are made for one of {known}")
    con, judged = source.connect(settings, as_of)
    try:
        lines = claim_lines(con, provider)
        statuses_by_case = _current_state(con, provider)
    finally:
        con.close()
    if source.publication_path(settings, None) == source.publication_path(settings, as_of):
        # Only the latest night closes claims: an older one must not undo what it knew.
        close_credited_claims(settings, judged, _statuses=statuses_by_case)
    if not lines:
        raise BackofficeError(
            f"nothing to claim from {provider} as of {judged}: no open over-billing exception "
            "is left outstanding (see `backoffice claims --provider P --status`)"
        )
    engine = ledger.engine(settings)
    earlier_packs = _latest_pack_per_case(engine, provider)
    lines = [_with_earlier(line, earlier_packs.get(line.exception_id)) for line in lines]
    earlier = claim_status(settings, provider, _statuses=statuses_by_case)
    config = load_config(settings)
    name = config.provider_name(provider, registry.sources[provider].description)
    pack = ClaimPack(
        pack_id="",
        provider=provider,
        provider_name=name,
        as_of=judged,
        lines=lines,
        earlier=earlier,
    )
    directory = settings.claims_dir / provider
    directory.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):  # two packs made in the same second: take the next number
        pack.pack_id = _next_pack_id(engine, provider, judged)
        pack.xlsx_path = directory / f"{pack.pack_id}.xlsx"
        pack.html_path = directory / f"{pack.pack_id}.html"
        try:
            _record(engine, pack, actor)
            break
        except IntegrityError:
            continue
    else:
        raise BackofficeError(f"could not number a new claim pack for {provider}: try again")
    _write_xlsx(pack, pack.xlsx_path)
    pack.html_path.write_text(
        render("claim_letter.html", pack=pack, config=config, review_url=settings.review_url),
        encoding="utf-8",
    )
    caselink.append_events(
        settings,
        actor,
        [
            (
                line.exception_id,
                CLAIM_FIELD,
                line.earlier_pack,
                f"{pack.pack_id}: {line.claimed_eur}",
            )
            for line in pack.lines
        ],
    )
    return pack


def _with_earlier(line: ClaimLine, pack_id: str | None) -> ClaimLine:
    if pack_id is None:
        return line
    return ClaimLine(**{**line.__dict__, "earlier_pack": pack_id})


def _next_pack_id(engine, provider: str, as_of: date) -> str:
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count())
            .select_from(ledger.claim_packs)
            .where(ledger.claim_packs.c.provider == provider, ledger.claim_packs.c.as_of == as_of)
        ).scalar_one()
    return f"CLAIM-{provider}-{as_of:%Y%m%d}-{count + 1:02d}"


def _record(engine, pack: ClaimPack, actor: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(ledger.claim_packs).values(
                pack_id=pack.pack_id,
                provider=pack.provider,
                as_of=pack.as_of,
                created_at=ledger.now(),
                actor=actor,
                lines=len(pack.lines),
                claimed_eur=pack.total_eur,
                xlsx_path=str(pack.xlsx_path),
                html_path=str(pack.html_path),
            )
        )
        conn.execute(
            insert(ledger.claim_lines),
            [
                {
                    "pack_id": pack.pack_id,
                    "exception_id": line.exception_id,
                    "invoice_number": line.invoice_number,
                    "invoice_line": line.invoice_line,
                    "amount_eur": line.amount_eur,
                    "credited_eur": line.credited_eur,
                    "claimed_eur": line.claimed_eur,
                }
                for line in pack.lines
            ],
        )


def _latest_pack_per_case(engine, provider: str) -> dict[str, str]:
    lines, packs = ledger.claim_lines, ledger.claim_packs
    with engine.connect() as conn:
        rows = conn.execute(
            select(lines.c.exception_id, lines.c.pack_id)
            .join(packs, packs.c.pack_id == lines.c.pack_id)
            .where(packs.c.provider == provider)
            .order_by(packs.c.created_at, packs.c.pack_id)
        ).all()
    return {exception_id: pack_id for exception_id, pack_id in rows}


def _current_state(con: duckdb.DuckDBPyConnection, provider: str) -> dict[str, tuple]:
    """exception_id -> (status, amount_eur, credited_eur) in the publication read."""
    rows = con.execute(
        "select exception_id, status, amount_eur, credited_eur from marts.exceptions "
        "where provider = $provider",
        {"provider": provider},
    ).fetchall()
    return {r[0]: (r[1], money(r[2]), money(r[3])) for r in rows}


def claim_status(
    settings: Settings,
    provider: str,
    as_of: date | None = None,
    *,
    _statuses: dict[str, tuple] | None = None,
) -> list[ClaimStatus]:
    """Every line claimed from `provider` so far (its latest pack) and where it stands now."""
    if _statuses is None:
        con, _judged = source.connect(settings, as_of)
        try:
            _statuses = _current_state(con, provider)
        finally:
            con.close()
    lines, packs = ledger.claim_lines, ledger.claim_packs
    with ledger.engine(settings).connect() as conn:
        rows = conn.execute(
            select(
                lines.c.pack_id,
                packs.c.as_of,
                lines.c.exception_id,
                lines.c.invoice_number,
                lines.c.invoice_line,
                lines.c.claimed_eur,
                lines.c.credited_eur,
            )
            .join(packs, packs.c.pack_id == lines.c.pack_id)
            .where(packs.c.provider == provider)
            .order_by(packs.c.created_at, packs.c.pack_id)
        ).all()
    latest = {row.exception_id: row for row in rows}
    result = []
    for row in latest.values():
        status, _amount, credited_now = _statuses.get(row.exception_id, (None, None, None))
        since = money(credited_now - row.credited_eur) if credited_now is not None else money(0)
        if status == "credited":
            state = "credited"
        elif status is None or status == "resolved":
            state = "no_longer_found"
        elif since > 0:
            state = "partly_credited"
        else:
            state = "waiting"
        result.append(
            ClaimStatus(
                pack_id=row.pack_id,
                claimed_on=row.as_of,
                exception_id=row.exception_id,
                invoice_number=row.invoice_number,
                invoice_line=row.invoice_line,
                claimed_eur=row.claimed_eur,
                credited_since_eur=since,
                state=state,
            )
        )
    return sorted(
        result, key=lambda s: (s.claimed_on, s.pack_id, s.invoice_number or "", s.invoice_line or 0)
    )


def close_credited_claims(
    settings: Settings, as_of: date, *, _statuses: dict[str, tuple] | None = None
) -> int:
    """Close every open claim line whose exception a credit note now covers; count them.

    Runs each night (and before each pack): the closing is recorded once per pack
    line, and on the case's history.
    """
    lines, closures = ledger.claim_lines, ledger.claim_closures
    engine = ledger.engine(settings)
    with engine.connect() as conn:
        open_lines = conn.execute(
            select(lines.c.pack_id, lines.c.exception_id)
            .outerjoin(
                closures,
                (closures.c.pack_id == lines.c.pack_id)
                & (closures.c.exception_id == lines.c.exception_id),
            )
            .where(closures.c.pack_id.is_(None))
        ).all()
    if not open_lines:
        return 0
    if _statuses is None:
        con, _judged = source.connect(settings, None)
        try:
            ids = sorted({line.exception_id for line in open_lines})
            rows = con.execute(
                "select exception_id, status, amount_eur, credited_eur from marts.exceptions "
                "where exception_id in (select unnest($ids))",
                {"ids": ids},
            ).fetchall()
        finally:
            con.close()
        _statuses = {r[0]: (r[1], money(r[2]), money(r[3])) for r in rows}
    closed = [
        (line.pack_id, line.exception_id, _statuses[line.exception_id][2])
        for line in open_lines
        if line.exception_id in _statuses and _statuses[line.exception_id][0] == "credited"
    ]
    if not closed:
        return 0
    with engine.begin() as conn:
        conn.execute(
            insert(closures),
            [
                {
                    "pack_id": pack_id,
                    "exception_id": exception_id,
                    "as_of": as_of,
                    "credited_eur": credited,
                    "at": ledger.now(),
                }
                for pack_id, exception_id, credited in closed
            ],
        )
    caselink.append_events(
        settings,
        caselink.SYSTEM_ACTOR,
        [
            (exception_id, CLAIM_FIELD, pack_id, f"{pack_id}: credited {credited}")
            for pack_id, exception_id, credited in closed
        ],
    )
    return len(closed)


# --- the workbook -------------------------------------------------------------------

_LINE_COLUMNS = (
    ("Fattura", 18),
    ("Data fattura", 12),
    ("Riga", 8),
    ("Riga d'ordine", 20),
    ("Cliente (P.IVA)", 16),
    ("Periodo dal", 12),
    ("Periodo al", 12),
    ("Addebitato EUR", 14),
    ("Dovuto EUR", 14),
    ("Differenza EUR", 14),
    ("Già accreditato EUR", 14),
    ("Reclamato EUR", 14),
    ("Regola", 40),
    ("Evidenza", 70),
    ("Controllo", 60),
    ("Caso", 20),
    ("Già reclamato in", 24),
)
_INVOICE_COLUMNS = (
    ("Fattura", 18),
    ("Data fattura", 12),
    ("Righe", 8),
    ("Addebitato EUR", 14),
    ("Dovuto EUR", 14),
    ("Differenza EUR", 14),
    ("Già accreditato EUR", 14),
    ("Reclamato EUR", 14),
)
_STATUS_COLUMNS = (
    ("Pacchetto", 26),
    ("Reclamato il", 12),
    ("Fattura", 18),
    ("Riga", 8),
    ("Caso", 20),
    ("Reclamato EUR", 14),
    ("Accreditato da allora EUR", 16),
    ("Stato", 36),
)


def _write_xlsx(pack: ClaimPack, path: Path) -> None:
    """Numbers as number cells, dates as date cells, text never read as a formula."""
    tmp = path.with_name(path.name + ".tmp")
    book = xlsxwriter.Workbook(
        str(tmp),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    eur = book.add_format({"num_format": "#,##0.00"})
    eur_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    text_bold = book.add_format({"bold": True})

    def header(sheet, columns) -> None:
        for col, (title, width) in enumerate(columns):
            sheet.write_string(0, col, title, bold)
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)

    def number(sheet, row, col, value, fmt=eur) -> None:
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, float(value), fmt)  # xlsx stores IEEE doubles

    def when(sheet, row, col, value) -> None:
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_datetime(row, col, value, day)

    def string(sheet, row, col, value, fmt=None) -> None:
        sheet.write_string(row, col, "" if value is None else str(value), fmt)

    sheet = book.add_worksheet("Reclamo")
    header(sheet, _LINE_COLUMNS)
    for r, line in enumerate(pack.lines, start=1):
        string(sheet, r, 0, line.invoice_number)
        when(sheet, r, 1, line.invoice_date)
        if line.invoice_line is None:
            string(sheet, r, 2, line.line_label)
        else:
            number(sheet, r, 2, line.invoice_line, None)
        string(sheet, r, 3, line.order_line_id)
        string(sheet, r, 4, line.customer_vat)
        when(sheet, r, 5, line.period_start)
        when(sheet, r, 6, line.period_end)
        number(sheet, r, 7, line.charged_eur)
        number(sheet, r, 8, line.due_eur)
        number(sheet, r, 9, line.amount_eur)
        number(sheet, r, 10, line.credited_eur)
        number(sheet, r, 11, line.claimed_eur)
        string(sheet, r, 12, f"{line.exception_type}: {line.rule_it}")
        string(sheet, r, 13, line.evidence_it)
        string(sheet, r, 14, line.evidence)
        string(sheet, r, 15, line.exception_id)
        string(sheet, r, 16, line.earlier_pack)
    total_row = len(pack.lines) + 1
    string(sheet, total_row, 0, "Totale", text_bold)
    number(sheet, total_row, 11, pack.total_eur, eur_bold)

    sheet = book.add_worksheet("Totali per fattura")
    header(sheet, _INVOICE_COLUMNS)
    for r, invoice in enumerate(pack.invoices, start=1):
        string(sheet, r, 0, invoice.invoice_number)
        when(sheet, r, 1, invoice.invoice_date)
        number(sheet, r, 2, invoice.lines, None)
        number(sheet, r, 3, invoice.charged_eur)
        number(sheet, r, 4, invoice.due_eur)
        number(sheet, r, 5, invoice.difference_eur)
        number(sheet, r, 6, invoice.credited_eur)
        number(sheet, r, 7, invoice.claimed_eur)
    total_row = len(pack.invoices) + 1
    string(sheet, total_row, 0, "Totale", text_bold)
    number(sheet, total_row, 2, len(pack.lines), None)
    number(sheet, total_row, 7, pack.total_eur, eur_bold)

    sheet = book.add_worksheet("Reclami precedenti")
    header(sheet, _STATUS_COLUMNS)
    for r, status in enumerate(pack.earlier, start=1):
        string(sheet, r, 0, status.pack_id)
        when(sheet, r, 1, status.claimed_on)
        string(sheet, r, 2, status.invoice_number)
        if status.invoice_line is None:
            string(sheet, r, 3, "")
        else:
            number(sheet, r, 3, status.invoice_line, None)
        string(sheet, r, 4, status.exception_id)
        number(sheet, r, 5, status.claimed_eur)
        number(sheet, r, 6, status.credited_since_eur)
        string(sheet, r, 7, status.state_it)
    book.close()
    tmp.replace(path)
