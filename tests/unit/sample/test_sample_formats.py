"""The landed files look like the real formats: FatturaPA, CAdES p7m, cp1252 CSV."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from asn1crypto import cms
from lxml import etree
from sample_io import csv_rows, xml_bytes

from backoffice.sample import GeneratedSample, cades
from backoffice.sample.landing import CRM_COLUMNS, NUVOLA_INVOICE_COLUMNS


def _invoice_files(sample: GeneratedSample) -> list[Path]:
    return sorted((sample.landing_dir / "alfa" / "invoices").rglob("IT*_*.xml*"))


def test_every_fatturapa_file_has_the_contract_s_shape(sample: GeneratedSample) -> None:
    """The XSD check of the same files is a conformance test (tests/conformance)."""
    files = _invoice_files(sample)
    assert len(files) > 50
    prefixes, bodies, kinds = set(), 0, set()
    for path in files:
        assert re.fullmatch(r"IT\d{11}_[0-9A-Z]{5}\.xml(\.p7m)?", path.name)
        root = etree.fromstring(xml_bytes(path))
        assert root.get("versione") == "FPR12"
        prefixes.add(root.prefix)
        bodies = max(bodies, len(root.findall("FatturaElettronicaBody")))
        kinds |= {e.text for e in root.iter("TipoDocumento")}
        for credit in root.iter("FatturaElettronicaBody"):
            if credit.findtext(".//TipoDocumento") == "TD04":
                assert credit.findtext(".//DatiFattureCollegate/IdDocumento")
        for line in root.iter("DettaglioLinee"):
            assert line.findtext("AltriDatiGestionali/TipoDato") == "ORDLINE"
            assert line.findtext("CodiceArticolo/CodiceTipo") == "SKU"
            start, end = line.findtext("DataInizioPeriodo"), line.findtext("DataFinePeriodo")
            assert start[:7] == end[:7] and start <= end  # inside one calendar month
    assert len(prefixes) >= 3 and "p" in prefixes
    assert bodies >= 2
    assert kinds == {"TD01", "TD04"}


def test_p7m_unwraps_to_the_xml_and_verifies(sample: GeneratedSample, tmp_path: Path) -> None:
    signed = [p for p in _invoice_files(sample) if p.name.endswith(".p7m")]
    assert signed
    for path in signed:
        info = cms.ContentInfo.load(path.read_bytes())
        assert info["content_type"].native == "signed_data"
        content = info["content"]["encap_content_info"]["content"].native
        assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        attrs = {a["type"].dotted for a in info["content"]["signer_infos"][0]["signed_attrs"]}
        assert "1.2.840.113549.1.9.16.2.47" in attrs  # CAdES signingCertificateV2
    if shutil.which("openssl"):
        out = tmp_path / "out.xml"
        result = subprocess.run(
            ["openssl", "cms", "-verify", "-noverify", "-inform", "DER", "-in", str(signed[0]),
             "-out", str(out)],
            capture_output=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert out.read_bytes() == xml_bytes(signed[0])


def test_p7m_round_trip_is_exact_and_deterministic() -> None:
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<p:X>Società</p:X>\n'.encode()
    signed_at = datetime(2026, 2, 3, 7, 30, tzinfo=UTC)
    first = cades.wrap(data, seed=7, signed_at=signed_at, not_before=date(2025, 1, 1))
    assert first == cades.wrap(data, seed=7, signed_at=signed_at, not_before=date(2025, 1, 1))
    content = cms.ContentInfo.load(first)["content"]["encap_content_info"]["content"].native
    assert content == data


def test_nuvola_files_are_windows_1252(sample: GeneratedSample) -> None:
    files = sorted((sample.landing_dir / "nuvola").rglob("*.csv"))
    data = b"".join(p.read_bytes() for p in files)
    text = data.decode("cp1252")
    assert "€" in text and "Società" in text and "Caffè" in text
    assert b"\x80" in data  # the euro sign: cp1252, not latin-1 (where 0x80 is a control)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "\u20ac" not in data.decode("latin-1")


def test_nuvola_invoice_rows_use_italian_numbers_and_dates(sample: GeneratedSample) -> None:
    path = next((sample.landing_dir / "nuvola" / "invoices").rglob("fatture_*.csv"))
    header = path.read_bytes().decode("cp1252").splitlines()[0]
    assert header == ";".join(NUVOLA_INVOICE_COLUMNS)
    for row in csv_rows(path):
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", row[2])
        assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d{2}", row[13]) or row[13] == "n.d."
        assert row[16] == "EUR"


def test_nuvola_amounts_group_thousands_with_a_dot(sample: GeneratedSample) -> None:
    amounts = [
        row[13]
        for p in (sample.landing_dir / "nuvola" / "invoices").rglob("*.csv")
        for row in csv_rows(p)
    ]
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{2}", a) for a in amounts)


def test_nuvola_times_are_local_and_cover_dst_days(sample: GeneratedSample) -> None:
    folder = sample.landing_dir / "nuvola" / "activations"
    rows = [row for p in folder.rglob("*.csv") for row in csv_rows(p)]
    times = [row[4] for row in rows]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", t) for t in times[:50])
    assert any(t.startswith("26/10/2025 ") for t in times)  # back to CET
    states = {row[3] for row in rows}
    assert {"INSERITO", "IN_LAVORAZIONE", "ATTIVO", "SOSPESO", "RIFIUTATO", "CESSATO"} <= states


def test_tmf622_events_have_varied_offsets(sample: GeneratedSample) -> None:
    offsets, types = set(), set()
    for path in (sample.landing_dir / "alfa").rglob("*.ndjson"):
        for line in path.read_text("utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # the planted corrupt line
            types.add(event["eventType"])
            order = event["event"]["productOrder"]
            for stamp in (event["eventTime"], order.get("creationDate", "")):
                found = re.search(r"(Z|[+-]\d{2}:\d{2})$", stamp)
                if found:
                    offsets.add(found.group(1))
            if event["eventType"] == "ProductOrderCreateEvent":
                [external] = order["externalId"]
                assert external["externalIdentifierType"] == "resellerOrder"
                price = order["productOrderItem"][0]["itemPrice"][0]
                assert (price["priceType"], price["recurringChargePeriod"]) == (
                    "recurring",
                    "month",
                )
                assert isinstance(price["price"]["dutyFreeAmount"]["value"], int | float)
    assert {"Z", "+01:00", "+02:00", "-05:00"} <= offsets
    assert types == {"ProductOrderCreateEvent", "ProductOrderStateChangeEvent"}


def test_crm_csv_is_rfc4180_utf8(sample: GeneratedSample) -> None:
    files = sorted((sample.landing_dir / "crm").rglob("*.csv"))
    header = files[0].read_text("utf-8").splitlines()[0]
    assert header == ",".join(CRM_COLUMNS)
    rows = [row for p in files for row in csv_rows(p)]
    assert all(len(row) == len(CRM_COLUMNS) for row in rows)
    assert any("," in row[3] for row in rows)  # a quoted customer name with a comma
    assert all(re.fullmatch(r"IT\d{11}", row[2]) for row in rows)
    assert {row[11] for row in rows} == {"signed", "cancelled"}
    assert any(len(row[8].split(".")[1]) > 2 for row in rows)  # 4-decimal agreed prices
