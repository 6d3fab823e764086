"""How the night runs dbt: one `dbt build` per layer of the project, in process.

Measured on a 5,000-line night (docs/airflow-dbt.md): Cosmos's one task per model
spent about a second starting dbt for each of 33 models; one `dbt build` per layer
keeps the layers visible in the Airflow graph (a failed model fails its layer's task,
whose log names it with dbt's message) for four dbt starts a night, and needs neither
Cosmos nor a manifest to render the DAG.

Each layer builds its nodes and the tests whose parents are all built by then
(`--indirect-selection buildable`); the project's singular tests run with the
last layer. Every node of `dbt build` is in exactly one layer
(tests/integration/test_dag_integrity.py checks it with `dbt ls`), except dbt's unit
tests: they check the models' logic on fixed inputs, not the night's data, so, as dbt
advises, they run in CI (tests/integration/test_dbt_build.py) and not every night
(at 5,000 lines they were about a quarter of the nightly dbt node time).

The same holds for the data tests in `CI_ONLY_TESTS` (about 120 of the project's 188 data
tests, some 35 ms of dbt each): they check the models' own logic or the committed seed
files, which do not change from one night to the next; CI runs them on hand-made data that
exercises every rule (`test_dbt_build.py` builds with every test). What guards the night's
data stays in the night: every test on the sources and the staging models (the landed data,
typed), the marts' keys, relationships and accepted values (a fan-out or an unknown value
anywhere upstream stops the night there), every test of `marts.row_lineage` (the audit's
promise), and the singular tests that reconcile the night's figures. `marts.exceptions`'s
not-null columns are also checked by the GX suite after dbt.
"""

from __future__ import annotations

from dataclasses import dataclass

# Data tests left to CI (see above); dbt selectors, each excluded from every layer.
CI_ONLY_TESTS = (
    "resource_type:test,path:seeds",  # the committed seed files
    # the intermediate models' invariants: their generic tests only (dbt's indirect selection
    # widens `path:` to the tests on those models, which took the singular
    # assert_as_of_inside_the_calendar out of every layer although it guards the night)
    "resource_type:test,path:models/intermediate,test_type:generic",
    # not-null columns of the marts computed from staged data whose own columns are tested
    *(
        f"test_name:not_null,path:models/marts/{folder}"
        for folder in ("balances", "billing", "cases", "exceptions", "ingest", "kpis", "lifecycle")
    ),
    "assert_business_days_known_cases",  # the calendar's logic on fixed dates
    "assert_rounding_half_away_from_zero",  # the rounding macro on fixed numbers
)


@dataclass(frozen=True)
class DbtLayer:
    name: str
    select: tuple[str, ...]
    exclude: tuple[str, ...] = ("path:tests", *CI_ONLY_TESTS)
    # Whether dbt writes manifest.json and run_results.json to the target folder: the last
    # layer only (what the audit reads after the build); every layer's results are archived.
    writes_artifacts: bool = False

    def arguments(self) -> list[str]:
        """`dbt build` selection arguments for this layer."""
        args = ["--select", *self.select]
        if self.exclude:
            args += ["--exclude", *self.exclude]
        return [*args, "--indirect-selection", "buildable", "--exclude-resource-type", "unit_test"]


SEEDS_LAYER = "seeds"  # loaded again only when they changed (pipeline.build_layer)

DBT_LAYERS = (
    DbtLayer(SEEDS_LAYER, ("resource_type:seed",)),
    DbtLayer("staging", ("path:models/staging",)),
    DbtLayer("intermediate", ("path:models/intermediate",)),
    DbtLayer(
        "marts",
        ("path:models/marts", "path:snapshots", "path:tests"),
        exclude=CI_ONLY_TESTS,
        writes_artifacts=True,
    ),
)


def dbt_layer(name: str) -> DbtLayer:
    for layer in DBT_LAYERS:
        if layer.name == name:
            return layer
    raise ValueError(f"no dbt layer {name!r}; the layers are {[x.name for x in DBT_LAYERS]}")
