"""CSV rows for the two CSV dialects of INPUT.md: the CRM's RFC 4180 and Nuvola's Italian one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from backoffice.sample.calendar import ROME


def _quote(value: str, sep: str) -> str:
    if any(c in value for c in (sep, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def crm_row(values: Sequence[str]) -> bytes:
    """UTF-8, comma, RFC 4180 quoting, CRLF."""
    return (",".join(_quote(v, ",") for v in values) + "\r\n").encode("utf-8")


def nuvola_row(values: Sequence[str]) -> bytes:
    """Windows-1252, semicolon, CRLF: what Nuvola's Excel-minded export produces."""
    return (";".join(_quote(v, ";") for v in values) + "\r\n").encode("cp1252")


def utc_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def it_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def it_datetime(moment: datetime) -> str:
    """Italian local wall-clock time (Europe/Rome, DST-aware), no offset, as Nuvola writes it."""
    return moment.astimezone(ROME).strftime("%d/%m/%Y %H:%M:%S")
