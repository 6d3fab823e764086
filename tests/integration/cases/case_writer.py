"""A second process that writes case notes in a loop while a night runs; counts what it wrote.

Run: python case_writer.py DATA_DIR STOP_FILE REPORT_FILE. Writes until STOP_FILE exists
(and at least MIN_WRITES times), then writes "<count> <failures>" to REPORT_FILE.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from backoffice.cases.store import CaseFilter, CaseStore
from backoffice.settings import Settings

MIN_WRITES = 25
PAUSE = 0.05


def main(data_dir: str, stop_file: str, report_file: str) -> int:
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": data_dir})
    written = failures = 0
    with CaseStore.open(settings) as store:
        ids = [c.exception_id for c in store.query(CaseFilter(), limit=20).rows]
        Path(report_file + ".started").write_text("started")
        while written < MIN_WRITES or not Path(stop_file).exists():
            try:
                store.update([ids[written % len(ids)]], actor="anna", note=f"writer note {written}")
                written += 1
                time.sleep(PAUSE)  # a busy person, not a benchmark: leave the CPU to the night
            except Exception as failure:  # counted, never hidden: the test asserts none
                failures += 1
                print(f"write failed: {failure!r}", file=sys.stderr)
                if failures > 5:
                    break
    Path(report_file).write_text(f"{written} {failures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
