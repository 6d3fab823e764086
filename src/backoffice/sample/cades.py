"""Signed `.xml.p7m` envelopes: DER CAdES-BES (CMS SignedData) around a FatturaPA file.

The key, the self-signed certificate and the signature are made with `cryptography`
at run time from the seed (nothing secret is stored). The CMS structure is assembled
with asn1crypto because cryptography's PKCS7SignatureBuilder stamps the wall-clock
signingTime and cannot add CAdES's signingCertificateV2: with it the files would not
be byte-identical for a seed, and would not look like what SdI delivers.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import ClassVar

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"


class _EssCertIdV2(core.Sequence):
    _fields: ClassVar = [("cert_hash", core.OctetString), ("issuer_serial", cms.IssuerSerial)]


class _EssCertIdsV2(core.SequenceOf):
    _child_spec = _EssCertIdV2


class _SigningCertificateV2(core.Sequence):
    _fields: ClassVar = [("certs", _EssCertIdsV2)]


@lru_cache(maxsize=4)
def signer(seed: int, not_before: date) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """A throwaway P-256 key and self-signed certificate, both derived from the seed."""
    secret = int.from_bytes(hashlib.sha256(f"p7m-signer:{seed}".encode()).digest(), "big")
    key = ec.derive_private_key(secret % (2**255 - 19) + 1, ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Telco Alfa S.p.A."),
            x509.NameAttribute(
                NameOID.COMMON_NAME, "Firma fatture Telco Alfa (sample, not qualified)"
            ),
        ]
    )
    start = datetime.combine(not_before, time(0), tzinfo=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(secret % 10**12 + 1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    return key, cert.public_bytes(serialization.Encoding.DER)


def _attribute(kind: str, value: core.Asn1Value) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": kind, "values": [value]})


@lru_cache(maxsize=4)
def _signer_parts(
    seed: int, not_before: date
) -> tuple[ec.EllipticCurvePrivateKey, asn1_x509.Certificate, cms.CMSAttribute]:
    """The parts of every signature that depend on the signer only (built once: asn1 is slow)."""
    key, cert_der = signer(seed, not_before)
    cert = asn1_x509.Certificate.load(cert_der)
    ess = _SigningCertificateV2(
        {
            "certs": [
                {
                    "cert_hash": hashlib.sha256(cert_der).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": cert.issuer})],
                        "serial": cert.serial_number,
                    },
                }
            ]
        }
    )
    attribute = cms.CMSAttribute(
        {"type": _SIGNING_CERTIFICATE_V2, "values": [core.Any.load(ess.dump())]}
    )
    return key, cert, attribute


def wrap(content: bytes, *, seed: int, signed_at: datetime, not_before: date) -> bytes:
    """The content as encapsulated data of a DER SignedData with one CAdES-BES signer."""
    key, cert, signing_certificate = _signer_parts(seed, not_before)
    attributes = [
        _attribute("content_type", cms.ContentType("data")),
        _attribute("signing_time", cms.Time({"utc_time": signed_at.astimezone(UTC)})),
        _attribute("message_digest", core.OctetString(hashlib.sha256(content).digest())),
        signing_certificate,
    ]
    attributes.sort(key=lambda a: a.dump())  # DER: a SET OF is sorted by encoding
    signed_attrs = cms.CMSAttributes(attributes)
    signature = key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": cert.issuer,
                        "serial_number": cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data", "content": content},
            "certificates": [cert],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
