"""GX's import at a night's start (`quality.import_gx`): what it defers still works when used.

`import great_expectations` loads scipy.stats and altair for expectations the suites never
use; the night loads them on first use instead. Each case runs in a fresh interpreter, since
the test process has usually imported GX (and scipy) already.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_gx_imports_without_them_and_loads_each_whole_on_first_use() -> None:
    done = run(
        """
        import gc, math, sys
        from backoffice.quality import DEFERRED_BY_GX, import_gx

        gx = import_gx()
        frozen = gc.get_freeze_count()  # what GX's import made, out of the collector's sight
        assert frozen > 100_000, frozen
        assert import_gx() is gx and gc.get_freeze_count() == frozen  # once
        assert gx.__name__ == "great_expectations" and hasattr(gx, "get_context")
        kinds = {name: type(sys.modules[name]).__name__ for name in DEFERRED_BY_GX}
        assert set(kinds.values()) == {"_Deferred"}, kinds
        assert {"scipy.stats", "altair", "jsonschema"} <= set(kinds)

        # GX's own module that imported scipy.stats reaches the real one when it computes.
        from great_expectations.expectations.core import (
            expect_column_kl_divergence_to_be_less_than as kl,
        )
        assert math.isclose(kl.stats.entropy([0.5, 0.5]), math.log(2))
        assert type(sys.modules["scipy.stats"]).__name__ == "module"
        import scipy.stats
        assert scipy.stats.norm.cdf(0) == 0.5
        from scipy.stats import norm
        assert norm is scipy.stats.norm

        # Other code importing a deferred module gets the module itself.
        import altair
        assert altair.Chart.__module__.startswith("altair.")
        assert type(sys.modules["altair"]).__name__ == "module"
        assert kl.alt.Chart is altair.Chart
        from great_expectations.expectations.metrics.column_map_metrics import (
            column_values_match_json_schema as schema,
        )
        schema.jsonschema.validate(1, {"type": "integer"})
        try:
            schema.jsonschema.validate("one", {"type": "integer"})
        except schema.jsonschema.ValidationError:
            pass
        else:
            raise AssertionError("jsonschema did not reject a string")
        assert type(sys.modules["jsonschema"]).__name__ == "module"
        print("ok")
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok"]


def test_a_module_imported_before_gx_is_left_as_it_is() -> None:
    done = run(
        """
        import sys
        import scipy.stats
        from backoffice.quality import import_gx

        real = sys.modules["scipy.stats"]
        import_gx()
        assert sys.modules["scipy.stats"] is real
        assert type(sys.modules["altair"]).__name__ == "_Deferred"
        print("ok")
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok"]


def test_a_module_that_is_not_installed_is_not_deferred() -> None:
    done = run(
        """
        import sys
        from backoffice import quality

        for missing in ("no_such_package.stats", "no_such_module"):
            quality._defer(missing)
            assert missing not in sys.modules, missing
        print("ok")
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok"]
