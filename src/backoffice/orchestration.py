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
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DbtLayer:
    name: str
    select: tuple[str, ...]
    exclude: tuple[str, ...] = ("path:tests",)

    def arguments(self) -> list[str]:
        """`dbt build` selection arguments for this layer."""
        args = ["--select", *self.select]
        if self.exclude:
            args += ["--exclude", *self.exclude]
        return [*args, "--indirect-selection", "buildable", "--exclude-resource-type", "unit_test"]


DBT_LAYERS = (
    DbtLayer("seeds", ("resource_type:seed",)),
    DbtLayer("staging", ("path:models/staging",)),
    DbtLayer("intermediate", ("path:models/intermediate",)),
    DbtLayer("marts", ("path:models/marts", "path:snapshots", "path:tests"), exclude=()),
)


def dbt_layer(name: str) -> DbtLayer:
    for layer in DBT_LAYERS:
        if layer.name == name:
            return layer
    raise ValueError(f"no dbt layer {name!r}; the layers are {[x.name for x in DBT_LAYERS]}")
