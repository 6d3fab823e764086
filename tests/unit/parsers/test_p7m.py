"""Signed invoices: DER and base64 CAdES envelopes unwrap; broken ones are unreadable.

The envelope is made here (backoffice.sample.cades); the official signed sample is read
by tests/conformance/test_p7m_reference.py.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

import pytest
from asn1crypto import cms

from backoffice.parsers.p7m import unwrap_p7m
from backoffice.parsers.records import FileUnreadable
from backoffice.sample.cades import wrap

INVOICE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<p:FatturaElettronica versione="FPR12" '
    b'xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">'
    b"<FatturaElettronicaBody/></p:FatturaElettronica>"
)
# A real CAdES-BES envelope (ECDSA signer, signed attributes) made by the project's own signer.
SIGNED_DER = wrap(
    INVOICE, seed=3, signed_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), not_before=date(2026, 1, 1)
)


def test_der_envelope_unwraps_to_the_invoice():
    assert SIGNED_DER.startswith(b"\x30") and INVOICE not in SIGNED_DER[:40]
    assert unwrap_p7m(SIGNED_DER) == INVOICE


def test_base64_envelope_with_or_without_pem_armour_unwraps_the_same():
    der = SIGNED_DER
    plain = base64.encodebytes(der)
    armoured = b"-----BEGIN PKCS7-----\n" + plain + b"-----END PKCS7-----\n"
    assert unwrap_p7m(plain) == unwrap_p7m(armoured) == unwrap_p7m(der)


def test_an_envelope_signed_twice_is_unwrapped_twice():
    inner = SIGNED_DER
    outer = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": cms.SignedData(
                {
                    "version": "v1",
                    "digest_algorithms": [],
                    "encap_content_info": {"content_type": "data", "content": inner},
                    "signer_infos": [],
                }
            ),
        }
    ).dump()
    assert unwrap_p7m(outer) == unwrap_p7m(inner)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x30\x82\x00\x10garbage", "not a valid CAdES/PKCS#7 envelope"),
        (b"<?xml version='1.0'?><a/>", "neither DER nor base64"),
        (SIGNED_DER[:500], "not a valid CAdES/PKCS#7 envelope"),
    ],
)
def test_broken_envelopes_are_unreadable(data, problem):
    with pytest.raises(FileUnreadable, match=problem):
        unwrap_p7m(data)


def test_a_detached_signature_has_no_content():
    detached = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": cms.SignedData(
                {
                    "version": "v1",
                    "digest_algorithms": [],
                    "encap_content_info": {"content_type": "data"},
                    "signer_infos": [],
                }
            ),
        }
    ).dump()
    with pytest.raises(FileUnreadable, match="detached"):
        unwrap_p7m(detached)
