"""Reading the generated files back in tests: the record behind a source_file/source_row."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from asn1crypto import cms
from lxml import etree

AS_OF = (date(2026, 3, 2), date(2026, 3, 9))  # the runs of the shared default sample


def xml_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".p7m"):
        return cms.ContentInfo.load(data)["content"]["encap_content_info"]["content"].native
    return data


def csv_rows(path: Path) -> list[list[str]]:
    """Data rows (header dropped) of a CRM (UTF-8, comma) or Nuvola (cp1252, ;) CSV."""
    nuvola = path.parts[-4] == "nuvola"
    text = path.read_bytes().decode("cp1252" if nuvola else "utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if nuvola else ","))
    return rows[1:]


def invoice_line(path: Path, row: str) -> etree._Element:
    body_no, line_no = (int(x) for x in row.split("/"))
    root = etree.fromstring(xml_bytes(path))
    body = root.findall("FatturaElettronicaBody")[body_no - 1]
    lines = body.findall("DatiBeniServizi/DettaglioLinee")
    return next(line for line in lines if line.findtext("NumeroLinea") == str(line_no))


def record_text(landing: Path, source_file: str, source_row: str) -> str:
    """The landed record a ledger row points at, as text."""
    path = landing / source_file
    if source_file.endswith(".ndjson"):
        return path.read_text("utf-8").splitlines()[int(source_row) - 1]
    if source_file.endswith(".csv"):
        return ";".join(csv_rows(path)[int(source_row) - 1])
    line = invoice_line(path, source_row)
    body = line.getparent().getparent()
    return etree.tostring(line, encoding="unicode") + (body.findtext(".//Numero") or "")
