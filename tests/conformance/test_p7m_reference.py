"""The official signed sample (SdI's FPR03 .xml.p7m): DER and base64 envelopes unwrap."""

from __future__ import annotations

import base64

import pytest
from asn1crypto import cms

from backoffice.parsers.p7m import unwrap_p7m
from backoffice.parsers.records import FileUnreadable
from backoffice.settings import Settings

SIGNED = Settings.from_env().reference_dir / "fatturapa/samples/signed/IT01234567890_FPR03.xml.p7m"


@pytest.fixture(autouse=True)
def _reference(reference_dir):
    """Every test here reads the reference folder: say so clearly when it is missing."""


def test_der_envelope_unwraps_to_the_invoice():
    xml = unwrap_p7m(SIGNED.read_bytes())
    assert xml.startswith(b"<?xml")
    assert b"FatturaElettronica" in xml
    assert xml.rstrip().endswith(b"FatturaElettronica>")


def test_base64_envelope_with_or_without_pem_armour_unwraps_the_same():
    der = SIGNED.read_bytes()
    plain = base64.encodebytes(der)
    armoured = b"-----BEGIN PKCS7-----\n" + plain + b"-----END PKCS7-----\n"
    assert unwrap_p7m(plain) == unwrap_p7m(armoured) == unwrap_p7m(der)


def test_an_envelope_signed_twice_is_unwrapped_twice():
    inner = SIGNED.read_bytes()
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
        (SIGNED.read_bytes()[:500] if SIGNED.is_file() else b"", "not a valid CAdES/PKCS#7"),
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
