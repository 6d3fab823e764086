"""Schema drift: how a file's header differs from the last one, or from the mapping.

A provider that renames `data_ora` to `data_evento` does not send a broken
file, it sends a different one. Saying "column data_ora renamed to
data_evento" (or "lost column X", "gained column Y") lets the data engineer
fix the registry in a minute instead of diffing headers by hand.

Two comparisons:
- `compare(before, after)`: two headers of one feed (the last delivery's and
  this one's, from raw.landed_files). Columns are aligned in order
  (difflib), so a column replaced in place is a rename, not a loss and a gain.
- `against_mapping(header, columns)`: one header against the registry's
  `columns:` mapping, when no earlier header is known (a dry run, a first
  delivery). A mapped column that is missing is "renamed" when an unmapped
  column of the header is a usual name of the same field or a close spelling
  of the old one; otherwise it is "lost".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GAINED, LOST, RENAMED = "gained", "lost", "renamed"

# Usual header names of each canonical field, beside the field's own name (feeds new
# guesses a mapping with them; a missing column replaced by one of them is a rename).
USUAL_NAMES: dict[str, tuple[str, ...]] = {
    "provider_order_id": ("id_ordine_fornitore", "id_ordine", "provider_order", "order_number"),
    "order_id": ("rif_ordine", "ordine_cliente", "crm_order", "reseller_order"),
    "order_line_id": ("rif_riga", "riga_ordine", "order_line", "line_id"),
    "sku": ("codice_articolo", "articolo", "product_code", "codice_prodotto"),
    "quantity": ("quantita", "qty", "qta"),
    "unit_price": ("prezzo_unitario", "prezzo", "price"),
    "submitted_at": ("data_inserimento", "created_at", "data_ordine"),
    "event_id": ("id_evento", "event"),
    "provider_state": ("stato", "state", "status"),
    "state_at": ("data_ora", "data_evento", "changed_at", "timestamp"),
    "reason": ("motivo", "note", "causale"),
    "invoice_number": ("numero_documento", "numero_fattura", "invoice"),
    "document_type": ("tipo_documento", "doc_type"),
    "invoice_date": ("data_documento", "data_fattura"),
    "related_invoice_number": ("rif_documento_collegato", "fattura_collegata"),
    "customer_vat": ("cliente_piva", "partita_iva", "piva", "vat_number"),
    "line_number": ("numero_riga", "riga", "line"),
    "description": ("descrizione",),
    "period_start": ("periodo_dal", "dal", "period_from"),
    "period_end": ("periodo_al", "al", "period_to"),
    "net_amount": ("importo", "imponibile", "amount"),
    "vat_rate": ("aliquota_iva", "aliquota", "iva_percentuale"),
    "vat_amount": ("imposta", "iva", "vat"),
    "currency": ("valuta", "divisa"),
}


@dataclass(frozen=True)
class Change:
    """One difference: `column` as it was (lost, renamed) or as it is now (gained)."""

    kind: str
    column: str
    new_name: str | None = None

    def sentence(self) -> str:
        if self.kind == RENAMED:
            return f"column {self.column} renamed to {self.new_name}"
        return f"{self.kind} column {self.column}"


def compare(before: Sequence[str], after: Sequence[str]) -> list[Change]:
    """What changed from header `before` to header `after`; a moved column is no change."""
    changes: list[Change] = []
    old, new = set(before), set(after)
    matcher = difflib.SequenceMatcher(a=list(before), b=list(after), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lost = [c for c in before[i1:i2] if c not in new]
        gained = [c for c in after[j1:j2] if c not in old]
        if tag == "replace":
            pairs = min(len(lost), len(gained))
            changes += [
                Change(RENAMED, a, b) for a, b in zip(lost[:pairs], gained[:pairs], strict=True)
            ]
            lost, gained = lost[pairs:], gained[pairs:]
        changes += [Change(LOST, c) for c in lost] + [Change(GAINED, c) for c in gained]
    return changes


def plain_name(name: str) -> str:
    """Letters and digits only, accents dropped: `Quantità` and `quantita` are one name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def against_mapping(
    header: Sequence[str],
    columns: Mapping[str, str],
    synonyms: Mapping[str, Sequence[str]] = USUAL_NAMES,
) -> list[Change]:
    """Mapped columns the header lacks, each as renamed (to a likely column) or lost."""
    mapped = set(columns.values())
    spare = [c for c in header if c not in mapped]
    changes = []
    for field, column in columns.items():
        if column in header:
            continue
        names = {plain_name(n) for n in (field, *synonyms.get(field, ()))}
        likely = [c for c in spare if plain_name(c) in names]
        likely = likely or difflib.get_close_matches(column, spare, n=1, cutoff=0.6)
        if likely:
            spare.remove(likely[0])
            changes.append(Change(RENAMED, column, likely[0]))
        else:
            changes.append(Change(LOST, column))
    return changes


def describe(changes: Sequence[Change]) -> str:
    """`column a renamed to b; lost column c`."""
    return "; ".join(change.sentence() for change in changes)
