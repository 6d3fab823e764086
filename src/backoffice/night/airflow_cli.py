"""Airflow's own CLI for `backoffice run` (`airflow dags test`), and a quick exit after it.

Under `airflow dags test` every task runs in the one process, which ends a night holding
about a million Python objects (Airflow, dbt's manifest and adapter, GX, the OpenLineage
client). When it exits, the interpreter walks all of them again in its final garbage
collections: 4 to 6 s between the night's last log line and the process's end on a loaded
machine (docs/airflow-dbt.md), while `backoffice run` waits.

So, once Airflow's CLI has returned: the connection pools of every SQLAlchemy engine that
connected during the night are closed first (Airflow's metadata database, the case store's
SQLite: closing it is what checkpoints and removes its write-ahead log, as the final
collections did before), then the surviving objects are frozen
(`gc.freeze()`), so that the final collections skip them. Nothing else changes: the
`atexit` handlers (Airflow's, OpenLineage's, logging's) still run, and every object still
referenced only from a module is still released as the interpreter clears its modules.

The same heap made the garbage collector itself a sixth of a night's CPU: measured with
`gc.callbacks` on a 5,000-line night, 6.5 s of 36 (14 full collections, each walking all
the objects alive, 0.36 s apiece). Two settings for this process only: what Airflow's CLI
imported is frozen before the night starts (it lives to the end), and a young collection
waits for 20,000 new objects instead of 700, so that far fewer objects reach the older
generations and trigger full collections: 2.0 s of CPU (3 full collections). Cyclic garbage
is still collected, a little later.

`--prepare` first creates Airflow's metadata database and the writer pool in this same
process (`airflow_env.prepare_metadata`), for a data directory's first night: two Airflow
CLI processes fewer (`airflow db migrate`, `airflow pools set`), about 5 s of CPU. With
nothing after it, it only prepares (`backoffice ui`, the bench).
"""

from __future__ import annotations

import gc
import sys
import weakref
from typing import Any

YOUNG_COLLECTION_EVERY = 20_000  # new objects (Python's default: 700)


PREPARE = "--prepare"


def main(argv: list[str]) -> None:
    prepare = argv[:1] == [PREPARE]
    argv = argv[1:] if prepare else argv
    from airflow.__main__ import main as airflow_main

    if prepare:
        from pathlib import Path

        from airflow.configuration import AIRFLOW_HOME

        from backoffice.airflow_env import prepare_metadata

        prepare_metadata(Path(AIRFLOW_HOME))
        if not argv:
            return
    engines = track_engines()
    gc.freeze()  # Airflow's CLI and what it imported: alive until the process ends
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
    sys.argv = ["airflow", *argv]
    try:
        airflow_main()
    finally:
        for engine in list(engines):
            engine.dispose()
        gc.freeze()


def track_engines() -> weakref.WeakSet[Any]:
    """Every SQLAlchemy engine that connects from now on (held weakly: to close it at the end)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    engines: weakref.WeakSet[Any] = weakref.WeakSet()

    def remember(connection: Any) -> None:
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", remember)
    return engines


if __name__ == "__main__":
    main(sys.argv[1:])
