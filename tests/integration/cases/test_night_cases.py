"""The night's case steps on the shared two-night sample: cases follow what was published."""

from __future__ import annotations

import duckdb
import pytest

from backoffice.cases.store import CaseFilter, CaseStore

pytestmark = pytest.mark.integration


def test_every_published_exception_is_a_case_closed_when_settled(published_nights):
    settings = published_nights.settings
    publication = published_nights.publications[published_nights.dates[-1]]
    with duckdb.connect(str(publication), read_only=True) as con:
        query = "select exception_id, status from marts.exceptions"
        published = dict(con.execute(query).fetchall())
    with CaseStore.open(settings) as store:
        cases = {c.exception_id: c for c in store.iter_cases(CaseFilter())}
    assert cases.keys() == published.keys()
    assert published, "the sample must publish exceptions"
    for exception_id, status in published.items():
        case = cases[exception_id]
        assert case.exception_status == status
        assert (case.status == "closed") == (status != "open"), exception_id
    print({s: sum(1 for v in published.values() if v == s) for s in set(published.values())})
