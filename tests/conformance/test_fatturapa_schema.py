"""Every FatturaPA invoice the sample generator writes is valid against the official
FatturaPA 1.2.2 schema (XSD), read in place from the reference folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from backoffice.parsers.p7m import unwrap_p7m
from backoffice.sample import generate_landing_zone


@pytest.fixture(scope="module")
def schema(reference_dir: Path) -> etree.XMLSchema:
    folder = reference_dir / "fatturapa" / "schema"

    class LocalXmlDsig(etree.Resolver):
        def resolve(self, url, public_id, context):
            if url.endswith("xmldsig-core-schema.xsd"):
                return self.resolve_filename(str(folder / "xmldsig-core-schema.xsd"), context)
            return None

    parser = etree.XMLParser()
    parser.resolvers.add(LocalXmlDsig())
    xsd = etree.parse(str(folder / "Schema_del_file_xml_FatturaPA_v1.2.2.xsd"), parser)
    return etree.XMLSchema(xsd)


def _document(path: Path) -> etree._Element:
    data = path.read_bytes()
    return etree.fromstring(unwrap_p7m(data) if path.name.endswith(".p7m") else data)


def test_every_generated_invoice_is_valid(schema: etree.XMLSchema, tmp_path: Path) -> None:
    generate_landing_zone(
        tmp_path / "landing", tmp_path / "ledger.csv", seed=7, order_lines=120,
        as_of_dates=(date(2026, 3, 2),),
    )  # fmt: skip
    files = sorted((tmp_path / "landing" / "alfa" / "invoices").rglob("IT*_*.xml*"))
    assert len(files) > 10 and any(p.name.endswith(".p7m") for p in files)
    invalid = [
        (p.name, str(schema.error_log.last_error))
        for p in files
        if not schema.validate(_document(p))
    ]
    assert invalid == []
