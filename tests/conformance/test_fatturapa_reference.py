"""FatturaPA conformance: every official public sample parses and reconciles.

Reads the samples in place from the reference folder (`reference_dir`), never
copied into the project; `make conformance` runs it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from lxml import etree

from backoffice.parsers.fatturapa import parse_fatturapa, safe_parser
from backoffice.parsers.p7m import unwrap_p7m
from backoffice.parsers.records import Record, Rejection
from backoffice.registry import load_registry
from backoffice.settings import Settings

PROJECT_REGISTRY = Path(__file__).resolve().parents[2] / "config" / "providers.yml"
SAMPLES = Settings.from_env().reference_dir / "fatturapa/samples"
ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
CENT = Decimal("0.01")

# The official SdI example FPR03 is inconsistent in its first body: its lines
# total 25.00 at 22% but DatiRiepilogo declares 27.00 (and VAT 5.95). That is
# beyond the ±1 EUR SdI allows for ImponibileImporto (check 00422); the test
# pins the difference so that a parsing change cannot hide behind it.
KNOWN_DISCREPANCIES = {("official-sdi/IT01234567890_FPR03.xml", 1, Decimal("22.00")): Decimal("2")}


@pytest.fixture(scope="module")
def feed(reference_dir):
    return load_registry(PROJECT_REGISTRY).feed("alfa", "invoices")


def _xml_of(path: Path) -> bytes:
    data = path.read_bytes()
    return unwrap_p7m(data) if path.name.endswith(".p7m") else data


def _adjustments(path: Path) -> dict[tuple[int, Decimal], Decimal]:
    """Arrotondamento + SpeseAccessorie per (body, rate), read independently of the parser."""
    root = etree.fromstring(_xml_of(path), safe_parser())
    out: dict[tuple[int, Decimal], Decimal] = defaultdict(Decimal)
    bodies = root.xpath("./*[local-name()='FatturaElettronicaBody']")
    for number, body in enumerate(bodies, start=1):
        for summary in body.xpath(".//*[local-name()='DatiRiepilogo']"):
            rate = Decimal(summary.xpath("string(*[local-name()='AliquotaIVA'])"))
            for tag in ("Arrotondamento", "SpeseAccessorie"):
                text = summary.xpath(f"string(*[local-name()='{tag}'])")
                out[number, rate] += Decimal(text or "0")
    return out


def test_every_reference_sample_is_covered():
    names = {p.name for p in ALL_SAMPLES}
    assert len(ALL_SAMPLES) == 14
    assert "IT01234567890_FPR03.xml.p7m" in names
    assert {p.parent.name for p in ALL_SAMPLES} == {
        "official-sdi",
        "oca-l10n-italy",
        "gobl-fatturapa",
        "signed",
    }


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_parses_and_lines_reconcile_to_the_vat_summary(path, feed):
    items = list(parse_fatturapa(path, feed))
    assert not [i for i in items if isinstance(i, Rejection)]
    lines = [i for i in items if i.table == "invoice_lines"]
    summaries = [i for i in items if i.table == "invoice_vat_summaries"]
    assert lines and summaries
    for line in lines:
        body, number = line.source_row.split("/")
        assert (int(body), int(number)) == (line.values["body_number"], line.values["line_number"])
    for summary in summaries:
        assert summary.source_row.startswith(f"{summary.values['body_number']}/R")

    billed: dict[tuple[int, Decimal], Decimal] = defaultdict(Decimal)
    for line in lines:
        billed[line.values["body_number"], line.values["vat_rate"]] += line.values["net_amount"]
    declared: dict[tuple[int, Decimal], Decimal] = defaultdict(Decimal)
    for s in summaries:
        key = (s.values["body_number"], s.values["vat_rate"])
        declared[key] += s.values["taxable_amount"]
        # Imposta = ImponibileImporto x AliquotaIVA, to the cent (one cent of tolerance)
        expected_vat = (s.values["taxable_amount"] * s.values["vat_rate"] / 100).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        assert abs(s.values["vat_amount"] - expected_vat) <= CENT
    assert billed.keys() == declared.keys()
    # ImponibileImporto = sum of PrezzoTotale (already net of line ScontoMaggiorazione)
    # + Arrotondamento + SpeseAccessorie of that rate
    adjustments = _adjustments(path)
    sample = f"{path.parent.name}/{path.name}"
    for key, taxable in declared.items():
        difference = taxable - billed[key] - adjustments[key]
        assert difference == KNOWN_DISCREPANCIES.get((sample, *key), 0), (key, difference)


def test_root_prefixes_do_not_matter_and_headers_are_read(feed):
    ns2 = list(parse_fatturapa(SAMPLES / "oca-l10n-italy/IT08973230967_6zZcm.xml", feed))
    ns1 = list(parse_fatturapa(SAMPLES / "oca-l10n-italy/IT01234567890_x05mX.xml", feed))
    first = ns2[0].values
    assert (first["invoice_number"], first["document_type"]) == ("IT23-94115I-790", "TD01")
    assert first["customer_vat"] == "IT02780790107"
    assert first["invoice_date"] == date(2023, 8, 7)
    assert first["net_amount"] == Decimal("23.28")  # after the line discount
    assert first["period_start"] == first["period_end"] == date(2023, 8, 7)
    assert ns1[0].values["currency"] == "GBP"
    assert ns1[0].values["related_invoice_number"] == "BEP/2022/0009"


def test_a_credit_note_names_the_invoice_it_corrects(feed):
    items = list(parse_fatturapa(SAMPLES / "gobl-fatturapa/invoice-credit-note.xml", feed))
    lines = [i.values for i in items if i.table == "invoice_lines"]
    assert {(v["document_type"], v["related_invoice_number"]) for v in lines} == {
        ("TD04", "SAMPLE-001")
    }
    assert all(v["net_amount"] > 0 for v in lines)


def test_the_signed_p7m_unwraps_to_a_two_body_lot(feed):
    items = list(parse_fatturapa(SAMPLES / "signed/IT01234567890_FPR03.xml.p7m", feed))
    assert [i.source_row for i in items] == ["1/1", "1/2", "1/R1", "2/1", "2/R1"]
    assert [i.values["invoice_number"] for i in items] == ["123", "123", "123", "456", "456"]


def test_only_records_and_rejections_come_out(feed):
    for path in ALL_SAMPLES:
        for item in parse_fatturapa(path, feed):
            assert isinstance(item, Record | Rejection)
