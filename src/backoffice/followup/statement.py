"""Customer statements: what one customer is owed, per order and invoice, in Italian.

The figure is RULES.md's: the positive amounts of the customer's open exceptions,
net of the credit notes already received (the same as marts.customer_balances'
owed_eur, summed over providers); the account manager sends it as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from backoffice.errors import BackofficeError
from backoffice.followup import source
from backoffice.followup.config import load as load_config
from backoffice.followup.render import money, render
from backoffice.registry import load_registry
from backoffice.settings import Settings

VAT_PATTERN = re.compile(r"^IT\d{11}$")

_OWED_SQL = """
select
    provider,
    order_id,
    invoice_number,
    invoice_line,
    order_line_id,
    exception_id,
    exception_type,
    amount_eur,
    credited_eur
from marts.exceptions
where customer_vat = $vat and status = 'open' and amount_eur > 0
order by provider, order_id nulls last, invoice_number nulls last, invoice_line nulls first,
    order_line_id nulls first, exception_type, exception_id
"""


@dataclass(frozen=True)
class StatementLine:
    exception_id: str
    exception_type: str
    order_line_id: str | None
    invoice_line: int | None
    amount_eur: Decimal
    credited_eur: Decimal

    @property
    def owed_eur(self) -> Decimal:
        return money(self.amount_eur - self.credited_eur)


@dataclass
class StatementGroup:
    provider: str
    provider_name: str
    order_id: str | None
    invoice_number: str | None
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def owed_eur(self) -> Decimal:
        return money(sum((line.owed_eur for line in self.lines), Decimal(0)))


@dataclass
class Statement:
    customer_vat: str
    customer_name: str | None
    as_of: date
    groups: list[StatementGroup]
    html_path: Path | None = None
    text_path: Path | None = None

    @property
    def owed_eur(self) -> Decimal:
        return money(sum((g.owed_eur for g in self.groups), Decimal(0)))

    @property
    def credited_eur(self) -> Decimal:
        return money(sum((x.credited_eur for g in self.groups for x in g.lines), Decimal(0)))


def build_statement(settings: Settings, customer_vat: str, as_of: date | None = None) -> Statement:
    """Compose, write (HTML and text) and return one customer's statement."""
    vat = customer_vat.strip().upper()
    if not VAT_PATTERN.match(vat):
        raise BackofficeError(
            f"{customer_vat!r} is not a customer VAT number: write IT and 11 digits"
        )
    config = load_config(settings)
    names = {
        s.name: config.provider_name(s.name, s.description)
        for s in load_registry(settings.registry_path).sources.values()
    }
    con, judged = source.connect(settings, as_of)
    try:
        known = con.execute(
            "select (select count(*) from marts.order_lines where customer_vat = $vat) "
            "+ (select count(*) from marts.exceptions where customer_vat = $vat)",
            {"vat": vat},
        ).fetchone()[0]
        if not known:
            raise BackofficeError(
                f"customer {vat} is in neither the CRM lines nor the exceptions of the night of "
                f"{judged}: check the number"
            )
        name_row = con.execute(
            "select min(customer_name) from marts.order_lines where customer_vat = $vat",
            {"vat": vat},
        ).fetchone()
        rows = con.execute(_OWED_SQL, {"vat": vat}).fetchall()
    finally:
        con.close()
    groups: dict[tuple, StatementGroup] = {}
    for (
        provider,
        order_id,
        invoice,
        invoice_line,
        order_line,
        ex_id,
        ex_type,
        amount,
        credited,
    ) in rows:
        key = (provider, order_id, invoice)
        group = groups.get(key)
        if group is None:
            group = groups[key] = StatementGroup(
                provider, names.get(provider, provider), order_id, invoice
            )
        group.lines.append(
            StatementLine(ex_id, ex_type, order_line, invoice_line, money(amount), money(credited))
        )
    statement = Statement(vat, name_row[0] if name_row else None, judged, list(groups.values()))
    directory = settings.statements_dir / vat
    directory.mkdir(parents=True, exist_ok=True)
    statement.html_path = directory / f"{judged.isoformat()}.html"
    statement.text_path = directory / f"{judged.isoformat()}.txt"
    statement.html_path.write_text(
        render("statement.html", statement=statement, config=config), encoding="utf-8"
    )
    statement.text_path.write_text(
        render("statement.txt", statement=statement, config=config), encoding="utf-8"
    )
    return statement
