"""The provider registry: the shipped file is valid, and a wrong one is refused clearly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from backoffice.registry import CANONICAL_STATES, RegistryError, load_registry

PROJECT_REGISTRY = Path(__file__).resolve().parents[2] / "config" / "providers.yml"


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_REGISTRY)


def test_the_contract_feeds_are_configured(registry):
    assert registry.feeds() == [
        ("crm", "signed_orders"),
        ("alfa", "orders"),
        ("alfa", "activations"),
        ("alfa", "invoices"),
        ("nuvola", "orders"),
        ("nuvola", "activations"),
        ("nuvola", "invoices"),
    ]
    assert registry.feed("alfa", "invoices").format == "fatturapa"
    assert registry.feed("alfa", "orders").kind == "provider_orders"
    assert registry.feed("crm", "signed_orders").kind == "crm_signed_orders"


def test_nuvola_reads_italian_locale(registry):
    dialect = registry.feed("nuvola", "invoices").dialect
    assert dialect.encoding == "cp1252"
    assert (dialect.delimiter, dialect.decimal_mark, dialect.thousands_mark) == (";", ",", ".")
    assert dialect.timezone == "Europe/Rome"
    assert dialect.date_format == "%d/%m/%Y"
    assert registry.feed("nuvola", "orders").columns["order_line_id"] == "rif_riga"


def test_state_maps_follow_the_lifecycle_table(registry):
    states = {(p, s): c for p, s, c in registry.state_map()}
    assert states[("alfa", "pending")] == states[("alfa", "held")] == "HELD"
    assert states[("alfa", "failed")] == "REJECTED"
    assert states[("alfa", "completed")] == "ACTIVE"
    assert states[("nuvola", "CESSATO")] == "TERMINATED"
    assert states[("nuvola", "INSERITO")] == "ACKNOWLEDGED"
    assert len([k for k in states if k[0] == "alfa"]) == 8
    assert len([k for k in states if k[0] == "nuvola"]) == 6
    assert set(states.values()) <= set(CANONICAL_STATES)


def test_registry_objects_are_frozen(registry):
    feed = registry.feed("nuvola", "orders")
    with pytest.raises(dataclasses.FrozenInstanceError):
        feed.kind = "invoice_lines"
    with pytest.raises(TypeError):
        feed.columns["sku"] = "other"


def test_unknown_feed_names_the_known_ones(registry):
    with pytest.raises(KeyError, match="signed_orders"):
        registry.feed("crm", "orders")


def _broken(tmp_path: Path, change) -> Path:
    doc = yaml.safe_load(PROJECT_REGISTRY.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "providers.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _nuvola_orders(doc):
    return doc["sources"]["nuvola"]["feeds"]["orders"]


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (
            lambda d: _nuvola_orders(d).update(kind="orders"),
            "sources.nuvola.feeds.orders.kind",
            "cannot be loaded from delimited",
        ),
        (
            lambda d: _nuvola_orders(d)["columns"].pop("order_line_id"),
            "sources.nuvola.feeds.orders.columns",
            "not mapped: ['order_line_id']",
        ),
        (
            lambda d: _nuvola_orders(d)["columns"].update(colour="colore"),
            "sources.nuvola.feeds.orders.columns.colour",
            "provider_orders has no field 'colour'",
        ),
        (
            lambda d: _nuvola_orders(d).update(dialect="klingon_csv"),
            "sources.nuvola.feeds.orders.dialect",
            "no dialect 'klingon_csv'",
        ),
        (
            lambda d: _nuvola_orders(d).update(dialect={"base": "italian_csv", "timezone": "Rome"}),
            "sources.nuvola.feeds.orders.dialect.timezone",
            "unknown time zone 'Rome'",
        ),
        (
            lambda d: d["dialects"]["italian_csv"].update(encoding="windows-1252x"),
            "dialects.italian_csv.encoding",
            "unknown encoding",
        ),
        (
            lambda d: d["dialects"]["italian_csv"].update(date_format="%d/%m"),
            "dialects.italian_csv.date_format",
            "loses part of the value",
        ),
        (
            lambda d: d["dialects"]["italian_csv"].update(thousands_mark=","),
            "dialects.italian_csv.thousands_mark",
            "other than the decimal mark",
        ),
        (
            lambda d: d["sources"]["alfa"]["states"].update(completed="DONE"),
            "sources.alfa.states.completed",
            "'DONE' is not a canonical state",
        ),
        (
            lambda d: d["sources"]["alfa"].pop("states"),
            "sources.alfa.states",
            "required: the source has a state-change feed",
        ),
        (
            lambda d: d["sources"]["alfa"]["feeds"]["orders"].update(pattern="*.ndjson"),
            "sources.alfa.feeds.orders",
            "unknown key(s) ['pattern']",
        ),
        (
            lambda d: d["sources"]["alfa"]["feeds"]["invoices"].update(columns={"sku": "x"}),
            "sources.alfa.feeds.invoices.columns",
            "not used by format fatturapa",
        ),
        (
            lambda d: d["sources"].update(Beta={"feeds": {}}),
            "sources.Beta",
            "lower-case",
        ),
    ],
)
def test_a_wrong_registry_is_refused_with_file_key_and_problem(tmp_path, change, key, problem):
    path = _broken(tmp_path, change)
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message


def test_yaml_booleans_as_states_are_refused(tmp_path):
    text = PROJECT_REGISTRY.read_text(encoding="utf-8").replace("SOSPESO: HELD", "on: HELD")
    path = tmp_path / "providers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match="quote the state"):
        load_registry(path)


def test_unreadable_or_invalid_yaml_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "missing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("sources: [unclosed", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_registry(bad)
