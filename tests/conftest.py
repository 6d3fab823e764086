"""Shared test set-up: Airflow and the tools must never touch the network or ~/airflow.

Nights are expensive (ingest, dbt, GX): a test that needs one uses a session fixture
here, built once per test run even on several xdist workers (the first worker builds it
under a file lock in the run's shared temporary folder; the others load what it saved).
"""

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

# Airflow reads its configuration when first imported: point it at a scratch home first.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="backoffice-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


def shared_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> object:
    """`build(folder)` once per test run, whatever the number of xdist workers.

    Under xdist each worker has its own session, so a session fixture would run once per
    worker; the workers' temporary folders share a parent, where the first worker builds
    and pickles the result while the others wait on the lock, then unpickle it.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    saved = base / f"{name}.pickle"
    failed = base / f"{name}.failed"
    with FileLock(str(base / f"{name}.lock")):
        if saved.exists():
            return pickle.loads(saved.read_bytes())
        if failed.exists():  # another worker tried: fail as fast, with its reason
            raise RuntimeError(f"{name} failed to build earlier in this run: {failed.read_text()}")
        shutil.rmtree(folder, ignore_errors=True)  # what a worker that died mid-build left
        folder.mkdir(parents=True)
        try:
            result = build(folder)
        except BaseException as exc:
            failed.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
            raise
        saved.write_bytes(pickle.dumps(result))
        return result


class Nights:
    """A generated landing zone and its nights, run in process on one data directory."""

    def __init__(self, root: Path, dates: tuple, lines: int, seed: int) -> None:
        from backoffice.sample import generate_landing_zone
        from backoffice.settings import Settings

        self.root = root
        self.dates = dates
        self.settings = Settings.from_env(
            {
                "BACKOFFICE_LANDING_DIR": str(root / "landing"),
                "BACKOFFICE_DATA_DIR": str(root / "data"),
            }
        )
        self.ledger = root / "expected_exceptions.csv"
        self.sample = generate_landing_zone(
            self.settings.landing_dir, self.ledger, seed=seed, order_lines=lines, as_of_dates=dates
        )
        self.summaries: dict = {}
        self.publications: dict = {}
        self.exceptions: dict = {}  # as_of -> the published exceptions CSV's rows, as dicts

    @classmethod
    def restore(cls, state: dict) -> "Nights":
        """The nights another worker ran, from their attributes."""
        nights = cls.__new__(cls)
        nights.__dict__.update(state)
        return nights

    def run(self) -> "Nights":
        import csv
        import io

        from backoffice import pipeline, publish
        from backoffice.published import write_exceptions_csv

        for as_of in self.dates:
            self.summaries[as_of] = pipeline.run_night(self.settings, as_of)
            self.publications[as_of] = publish.current_publication(self.settings)
            out = io.StringIO()
            write_exceptions_csv(self.settings, out)
            self.exceptions[as_of] = list(csv.DictReader(io.StringIO(out.getvalue())))
        return self


@pytest.fixture(scope="session")
def published_nights(tmp_path_factory) -> Nights:
    """Two successive nights (2 and 9 March 2026) on a 160-line sample, shared read-only.

    Attributes: `settings`, `dates`, `ledger` (the generator's expected exceptions),
    `sample` (what it generated), and per date `summaries`, `publications` (the file each
    night published) and `exceptions` (the rows `backoffice exceptions --format csv` printed
    right after the night). A test that changes the data directory takes its own copy
    (`shutil.copytree`).
    """
    from datetime import date

    def build(root: Path) -> dict:
        nights = Nights(root, (date(2026, 3, 2), date(2026, 3, 9)), lines=160, seed=11).run()
        return vars(nights)  # plain data: a class of a conftest module does not unpickle

    return Nights.restore(shared_once(tmp_path_factory, "published-nights", build))


# The modules that take longest, started first: under `--dist loadscope` xdist hands the
# workers whole modules in collection order, so a long module collected last would run alone
# at the end while the other worker idles. The Airflow night goes first (it builds the shared
# nights the others then load).
ROOT = Path(__file__).resolve().parents[1]
SLOW_FIRST = (
    "tests/e2e/test_nightly_run.py",
    "tests/integration/test_sample_scale.py",
    "tests/browser/",
    "tests/integration/test_quality.py",
    "tests/integration/test_dbt_build.py",
)


def pytest_collection_modifyitems(session, config, items) -> None:
    def rank(item) -> int:
        path = Path(str(item.fspath)).resolve()
        path = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        for number, prefix in enumerate(SLOW_FIRST):
            if path.startswith(prefix):
                return number
        return len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the collection order within each rank is kept
