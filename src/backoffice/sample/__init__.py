"""The sample landing zone generator and its ledger of expected exceptions.

Users run it for demos; tests compare the pipeline's published exceptions with the
ledger it writes (see ledger.py for its columns and conventions).
"""

from backoffice.sample.generator import FeedCounts, GeneratedSample, generate_landing_zone
from backoffice.sample.ledger import LedgerRow

__all__ = ["FeedCounts", "GeneratedSample", "LedgerRow", "generate_landing_zone"]
