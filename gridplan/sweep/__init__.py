"""Sensitivity sweeps on Dask distributed: variants of a base case, combined along `scenario`.

    spec          the sweep file: SweepSpec, Param, Output; Sweep, load_sweep, make_sweep
    design        the scenarios: plan_scenarios (grid, one-at-a-time, zip, samples, list),
                  override, scenario_id, write_scenario (<out>/<id>/scenario.yaml)
    ledger        per-scenario log, failures and status: what a re-run may skip
    worker        Job and run_job: one scenario on a worker, solved by gridplan.pipeline
    run           dask_client, run_sweep: submit, follow, warm starts, manifest
    combine       combine_results: <out>/sweep.nc along `scenario`
    views         effects of each parameter, <out>/sensitivity.html
    target_costs  each plan target's cost: the case re-solved without it
    cli           `gridplan sweep` and `gridplan target-costs`

Every scenario is solved as `gridplan run` solves it (gridplan.pipeline.run), optionally from the
base case's simplex basis (gridplan/warm_start.py).
"""

from gridplan.sweep.combine import combine_results
from gridplan.sweep.design import (
    ParamError,
    Planned,
    Setting,
    base_level,
    find_setting,
    override,
    plain,
    plan_scenarios,
    scenario_id,
    write_scenario,
)
from gridplan.sweep.ledger import Outcome, log_event, read_log, record_failure, results_fingerprint, status
from gridplan.sweep.run import SweepRun, dask_client, run_sweep
from gridplan.sweep.spec import Output, Param, Sweep, SweepSpec, load_sweep, make_sweep
from gridplan.sweep.target_costs import TargetCosts, format_target_table, target_costs
from gridplan.sweep.views import Effect, default_outputs, effects, output_values, sensitivity_html
from gridplan.sweep.worker import Job, run_job

__all__ = [
    "Effect",
    "Job",
    "Outcome",
    "Output",
    "Param",
    "ParamError",
    "Planned",
    "Setting",
    "Sweep",
    "SweepRun",
    "SweepSpec",
    "TargetCosts",
    "base_level",
    "combine_results",
    "dask_client",
    "default_outputs",
    "effects",
    "find_setting",
    "format_target_table",
    "load_sweep",
    "log_event",
    "make_sweep",
    "output_values",
    "override",
    "plain",
    "plan_scenarios",
    "read_log",
    "record_failure",
    "results_fingerprint",
    "run_job",
    "run_sweep",
    "scenario_id",
    "sensitivity_html",
    "status",
    "target_costs",
    "write_scenario",
]
