"""Feed health: is each feed delivering on its rhythm and at its usual volume?

`record_feed_schedule` runs at the start of every night (pipeline.begin_run), on the
build, so the dbt models can judge the feeds against what the registry expects.
"""

from __future__ import annotations

from typing import Any

from backoffice.registry import Registry


def record_feed_schedule(con: Any, registry: Registry) -> None:
    """Write the registry's feeds and their expected rhythm into the build (raw schema)."""
