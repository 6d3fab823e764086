"""The sample generator is a development part of the package: the product never needs it.

`backoffice.sample` (the generator and its oracle) and `backoffice.bench` (which drives it)
are left out of a deployment's concerns: they sign sample invoices with `cryptography`,
declared in pyproject's `sample` extra (a deployment has it only because Airflow pulls it
in). Every other module must import without the generator.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import backoffice

DEVELOPMENT_ONLY = ("backoffice.sample", "backoffice.bench")

BLOCKER = """
import importlib.abc, sys
BLOCKED = ("backoffice.sample",)
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in BLOCKED):
            raise ImportError(f"{name} is development-only")
        return None
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.startswith("backoffice.sample"))
print("LOADED:" + ",".join(loaded))
"""


def production_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(backoffice.__path__, prefix="backoffice.")]
    return [n for n in names if not n.startswith(DEVELOPMENT_ONLY) and n != "backoffice.__main__"]


def test_the_product_imports_without_the_sample_generator() -> None:
    modules = production_modules()
    assert "backoffice.pipeline" in modules and "backoffice.review.app" in modules
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, *modules], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "LOADED:", done.stdout


def test_the_blocker_would_notice_an_import_of_the_generator() -> None:
    """The check above can fail: importing the generator under the blocker is refused."""
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, "backoffice.sample"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "development-only" in done.stderr
