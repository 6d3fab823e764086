"""Conformance: the parsers against the official public samples, read in place.

The samples are not part of the project (their licences differ, and the
default test run must pass on a clone alone): `make conformance` runs this
folder, reading the samples from BACKOFFICE_REFERENCE_DIR, by default
`../shared/reference` beside the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice.settings import Settings


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference folder; a clear failure (never a skip) when it is not there."""
    folder = Settings.from_env().reference_dir
    assert folder.is_dir(), (
        f"the official public samples are missing: {folder}; set BACKOFFICE_REFERENCE_DIR to "
        "the folder holding fatturapa/ and tmforum/ (see docs/bad-data.md, Conformance)"
    )
    return folder
