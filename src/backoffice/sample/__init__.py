"""The sample landing zone generator and its ledger of expected exceptions.

Users run it for demos; tests compare the pipeline's published exceptions with the
ledger it writes (see ledger.py for its columns and conventions). Scenario units are
listed in `GeneratedSample.units`, and the edge cases they pin (SLA boundaries around
every as-of date, pro rata by month length, duplicates, credit notes, clock changes) in
`GeneratedSample.edge_cases` with their expected results (edges.py). EDGE_AS_OF_DATES
is a sequence of runs that crosses every calendar edge of RULES.md.

A development part of the package: demos, tests and `backoffice bench` use it, the
nightly run never imports it. Beyond the standard library it needs `cryptography`
(to sign the sample's `.p7m` invoices, cades.py: a development dependency; today
it arrives only through Airflow) and `asn1crypto` (a runtime dependency already).
Its oracle (oracle.py) is the benchmark's naive peer: the rules in plain Python.
"""

from backoffice.sample.edges import EDGE_AS_OF_DATES, EdgeCase, UnitLabel
from backoffice.sample.generator import FeedCounts, GeneratedSample, generate_landing_zone
from backoffice.sample.ledger import LedgerRow

__all__ = [
    "EDGE_AS_OF_DATES",
    "EdgeCase",
    "FeedCounts",
    "GeneratedSample",
    "LedgerRow",
    "UnitLabel",
    "generate_landing_zone",
]
