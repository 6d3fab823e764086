"""The crash test's child: one night in this process, killed with SIGKILL at a chosen step.

    python crash_child.py <as-of> <step> <marker-file>

The night is `backoffice.pipeline.run_night`, unchanged; the only addition is a
signal to the parent. When the chosen step is under way, the child writes the
step's name to the marker file and goes on working; the parent, which watches the
marker, kills the process group with SIGKILL at once. The steps:

- `ingest`: in the middle of a file of the fourth feed with new files, its first
  rows read and the load's transaction open (earlier feeds already committed);
- `dbt`: two seconds into the `intermediate` layer's `dbt build`;
- `checks`: two seconds into the data checks (Great Expectations);
- `publish`: half way through copying the checked build to its new publication file.
"""

from __future__ import annotations

import sys
import threading
import time
import types
from datetime import date
from pathlib import Path


def main(as_of: date, step: str, marker: Path) -> None:
    from backoffice import ingest, pipeline, publish
    from backoffice.settings import Settings

    def reached(*, wait: bool) -> None:
        marker.write_text(step, encoding="utf-8")
        if wait:
            time.sleep(600)  # the parent's SIGKILL lands here, mid-step

    def later(seconds: float) -> None:
        threading.Timer(seconds, reached, kwargs={"wait": False}).start()

    if step == "ingest":
        parse, feeds = ingest.parse_rows, []

        def parse_rows(path, feed):
            if (feed.source, feed.name) not in feeds:
                feeds.append((feed.source, feed.name))
            for item in parse(path, feed):
                yield item
                if len(feeds) >= 4:  # its first rows are in the load's open transaction
                    reached(wait=True)

        ingest.parse_rows = parse_rows
    elif step == "dbt":
        build_layer = pipeline.build_layer

        def layer(settings, as_of, name, **options):
            if name == "intermediate":
                later(2.0)
            return build_layer(settings, as_of, name, **options)

        pipeline.build_layer = layer
    elif step == "checks":
        check_build = pipeline.check_build

        def checks(settings, as_of, run_id):
            later(2.0)
            return check_build(settings, as_of, run_id)

        pipeline.check_build = checks
    elif step == "publish":
        import shutil

        def copyfile(source, target):
            if not str(target).endswith(".duckdb.tmp") or "published" not in str(target):
                return shutil.copyfile(source, target)
            data = Path(source).read_bytes()
            with open(target, "wb") as fh:
                fh.write(data[: len(data) // 2])
                fh.flush()
                reached(wait=True)
            return target

        publish.shutil = types.SimpleNamespace(copyfile=copyfile)
    else:
        raise SystemExit(f"unknown step {step!r}")
    pipeline.run_night(Settings.from_env(), as_of)
    raise SystemExit(f"the night ended without reaching {step}")


if __name__ == "__main__":
    main(date.fromisoformat(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
