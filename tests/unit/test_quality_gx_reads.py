"""The checks' one reach into GX's internals (`quality._configuration_read_once`) is put back
whole, gives GX's own values, and steps aside for a GX shaped otherwise.

GX rebuilds an expectation's configuration for every argument it reads; while validating,
the night builds it once per reader call. That swaps private methods of GX's `Expectation`:
a night must never leave them swapped, nor fail because a GX upgrade renamed them.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from backoffice.quality import READS_CONFIGURATION, _configuration_read_once

NAMES = ("configuration", *READS_CONFIGURATION)


def _members() -> dict[str, object]:
    return {name: Expectation.__dict__.get(name) for name in NAMES}


def test_gx_is_put_back_whole_and_reads_the_same_values() -> None:
    expectation = gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, mostly=0.9)
    before = _members()
    as_gx = (
        expectation._get_domain_kwargs(),
        expectation._get_success_kwargs(),
        expectation._get_runtime_kwargs(),
    )
    with _configuration_read_once():
        assert _members() != before  # swapped while validating
        read = (
            expectation._get_domain_kwargs(),
            expectation._get_success_kwargs(),
            expectation._get_runtime_kwargs(),
        )
    assert _members() == before
    assert read == as_gx


def test_a_gx_without_those_readers_is_left_alone(monkeypatch) -> None:
    monkeypatch.delattr(Expectation, READS_CONFIGURATION[0])
    before = _members()
    with _configuration_read_once():
        assert _members() == before
    assert _members() == before
