"""Unwrap a CAdES-signed `.p7m` envelope to the document it signs.

SdI delivers signed invoices as PKCS#7 SignedData, in DER or base64. The
signature was checked by SdI on the way in; the pipeline needs the content,
so it unwraps without verifying (there is no trust store to verify against).
"""

from __future__ import annotations

import base64
import binascii
import re

from asn1crypto import cms

from backoffice.parsers.records import FileUnreadable

_PEM_LINE = re.compile(rb"-----(BEGIN|END) [A-Z0-9 ]+-----")
_MAX_NESTING = 4


def unwrap_p7m(data: bytes) -> bytes:
    """The signed content, unwrapping nested envelopes (a file signed twice)."""
    content = _unwrap_once(_der(data))
    for _ in range(_MAX_NESTING):
        if not content.startswith(b"\x30"):
            return content
        try:
            content = _unwrap_once(content)
        except FileUnreadable:
            return content
    return content


def _der(data: bytes) -> bytes:
    """DER bytes, decoding base64 (with or without PEM armour) when that is what landed."""
    if data.startswith(b"\x30"):
        return data
    text = _PEM_LINE.sub(b"", data)
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FileUnreadable("not a signature envelope: neither DER nor base64") from None


def _unwrap_once(der: bytes) -> bytes:
    try:
        info = cms.ContentInfo.load(der)
        kind = info["content_type"].native
        if kind != "signed_data":
            raise FileUnreadable(f"the envelope holds {kind}, not signed_data")
        content = info["content"]["encap_content_info"]["content"].native
    except FileUnreadable:
        raise
    except Exception as exc:  # asn1crypto raises many types on malformed input
        raise FileUnreadable(f"not a valid CAdES/PKCS#7 envelope: {exc}") from None
    if not content:
        raise FileUnreadable("the signature envelope holds no content (detached signature)")
    return bytes(content)
