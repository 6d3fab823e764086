"""The report shows any quarantined text, even bytes XML cannot hold (a binary file's content)."""

from lxml import etree

from backoffice.report.page import h


def test_characters_xml_cannot_hold_are_shown_as_replacement_characters():
    cell = h("td", {"title": "zip\x01"}, "PK\x03\x04 rest", h("b", None, "kept"), "\x00 after")
    html = etree.tostring(cell, encoding="unicode")
    assert html == ('<td title="zip\ufffd">PK\ufffd\ufffd rest<b>kept</b>\ufffd after</td>')
