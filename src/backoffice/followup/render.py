"""Italian figures and the templates of letters, statements and digests.

Everything a person outside the back office reads (a provider's customer care, a
customer) is in Italian: euro as `1.234,56`, dates as `31/01/2026`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

CENT = Decimal("0.01")

# What each claimable control means, said to the provider.
RULES_IT = {
    "DUPLICATE_CHARGE": "Addebito duplicato: il periodo era già stato fatturato",
    "BILLED_NOT_ACTIVE": "Servizio fatturato ma non attivo alla data della fattura",
    "BILLED_AFTER_CANCELLATION": "Servizio fatturato oltre la data di cessazione",
    "BILLED_BEFORE_ACTIVATION": "Servizio fatturato prima della data di attivazione",
    "PRICE_MISMATCH": "Prezzo unitario diverso da quello contrattuale",
    "QUANTITY_MISMATCH": "Quantità diversa da quella contrattuale",
    "PRORATA_ERROR": "Rateo del periodo parziale calcolato in modo errato",
    "VAT_ERROR": "IVA addebitata in eccesso rispetto alle aliquote contrattuali",
    "ORDER_NOT_SUBMITTED": "Ordine non inserito presso il fornitore",
    "ORDER_STUCK": "Ordine fermo presso il fornitore",
    "ORDER_REJECTED": "Ordine rifiutato dal fornitore",
    "ORDER_ENTRY_MISMATCH": "Ordine inserito con dati diversi dal contratto",
    "ACTIVE_NOT_BILLED": "Servizio attivo non fatturato",
    "UNMATCHED_CREDIT": "Nota di credito senza addebito corrispondente",
}


def money(value: Decimal | int | str | None) -> Decimal:
    """Two places, half away from zero, as RULES.md rounds (never through a float)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def eur_it(value: Decimal | None) -> str:
    """`1234.5` -> `1.234,50`; empty for no value."""
    if value is None:
        return ""
    text = f"{money(value):,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def eur_en(value: Decimal | None) -> str:
    return "" if value is None else f"{money(value):,.2f}"


def date_it(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("backoffice.followup", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(eur_it=eur_it, eur_en=eur_en, date_it=date_it)
    env.globals.update(rules_it=RULES_IT)
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
