"""Unwrap a CAdES-signed `.p7m` envelope to the document it signs.

SdI delivers signed invoices as PKCS#7 SignedData, in DER or base64. The
signature was checked by SdI on the way in; the pipeline needs the content,
so it unwraps without verifying (there is no trust store to verify against).

A night unwraps tens of thousands of envelopes, so the usual shape (DER,
definite lengths, the content in one OCTET STRING) is walked directly to the
content's bytes, without building asn1crypto's objects; anything else (BER,
a content in pieces, a detached or broken envelope) is read by asn1crypto, as
are all the errors. tests/unit/parsers/test_fatturapa_equivalence.py proves
both give the same bytes.
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
    content = _signed_content(der)
    if content is not None:
        return content
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


# --- the usual shape, walked directly ----------------------------------------------------------

_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")  # OID 1.2.840.113549.1.7.2
_DATA = bytes.fromhex("2a864886f70d010701")  # OID 1.2.840.113549.1.7.1
_SEQUENCE, _SET, _INTEGER, _OID, _OCTETS = 0x30, 0x31, 0x02, 0x06, 0x04
_EXPLICIT_0, _IMPLICIT_1 = 0xA0, 0xA1


def _signed_content(der: bytes) -> bytes | None:
    """The encapsulated content of a DER SignedData in the usual shape; None for any other.

    The shape: ContentInfo { signedData, [0] SignedData { version 1 or 3,
    digestAlgorithms, encapContentInfo { eContentType, [0] OCTET STRING },
    [0] certificates?, [1] crls?, signerInfos } }, every length definite and
    every structure filled exactly by its parts, as asn1crypto would need to
    read it. The content type must be data (asn1crypto reads another type as a
    structure, not bytes). An empty content is left to asn1crypto's error.
    """
    outer = _tlv(der, 0, len(der))
    if outer is None or outer[0] != _SEQUENCE:
        return None
    parts = _parts(der, outer[1], outer[2])
    if parts is None or [tag for tag, _, _ in parts] != [_OID, _EXPLICIT_0]:
        return None
    if der[parts[0][1] : parts[0][2]] != _SIGNED_DATA:
        return None
    signed = _only(der, parts[1][1], parts[1][2], _SEQUENCE)
    if signed is None:
        return None
    fields = _parts(der, signed[0], signed[1])
    if fields is None:
        return None
    tags = [tag for tag, _, _ in fields]
    if tags[:3] != [_INTEGER, _SET, _SEQUENCE] or tags[3:] not in _SIGNED_DATA_TAILS:
        return None
    version = der[fields[0][1] : fields[0][2]]
    if version not in (b"\x01", b"\x03"):
        return None
    encap = _parts(der, fields[2][1], fields[2][2])
    if encap is None or [tag for tag, _, _ in encap] != [_OID, _EXPLICIT_0]:
        return None
    if der[encap[0][1] : encap[0][2]] != _DATA:
        return None
    octets = _only(der, encap[1][1], encap[1][2], _OCTETS)
    if octets is None or octets[0] == octets[1]:
        return None
    return der[octets[0] : octets[1]]


_SIGNED_DATA_TAILS = (
    [_SET],
    [_EXPLICIT_0, _SET],
    [_IMPLICIT_1, _SET],
    [_EXPLICIT_0, _IMPLICIT_1, _SET],
)


def _tlv(der: bytes, start: int, end: int) -> tuple[int, int, int] | None:
    """(tag, content start, content end) of the element at `start`, if it fits before `end`."""
    if start + 2 > end:
        return None
    tag, length = der[start], der[start + 1]
    if tag & 0x1F == 0x1F:  # a multi-byte tag: never in the usual shape
        return None
    start += 2
    if length & 0x80:
        size = length & 0x7F
        if size == 0 or size > 4 or start + size > end:  # 0: indefinite length (BER)
            return None
        length = int.from_bytes(der[start : start + size], "big")
        start += size
    if start + length > end:
        return None
    return tag, start, start + length


def _parts(der: bytes, start: int, end: int) -> list[tuple[int, int, int]] | None:
    """The elements filling [start, end) exactly, or None."""
    parts = []
    while start < end:
        part = _tlv(der, start, end)
        if part is None:
            return None
        parts.append(part)
        start = part[2]
    return parts


def _only(der: bytes, start: int, end: int, tag: int) -> tuple[int, int] | None:
    """The content bounds of the one element of type `tag` filling [start, end), or None."""
    parts = _parts(der, start, end)
    if parts is None or len(parts) != 1 or parts[0][0] != tag:
        return None
    return parts[0][1], parts[0][2]
