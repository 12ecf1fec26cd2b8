"""Check `solver.options` against HiGHS itself: known name (did-you-mean), type, HiGHS's range,
and gridplan's bounds on what the option means (so that no option turns a wrong answer into one
marked optimal).

- every name must be one HiGHS knows (its own list, highspy `Highs().getOptions()`);
- the value must have the option's type (bool, int, double, string) and lie in HiGHS's range
  (tried on a throw-away Highs object);
- tolerances (any option named `*_tolerance`) must lie in [MIN_TOLERANCE, MAX_TOLERANCE]: a
  tolerance of 0.1 gives an "optimal" objective far from the optimum;
- `threads` and the simplex concurrency are bounded by the machine's cores;
- options that change the model HiGHS solves (matrix values dropped or taken as infinite,
  objective cut-offs) or that read and write files are refused: gridplan builds the model and
  writes the results itself.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any

from gridplan.case.schema import MAX_TOLERANCE, MIN_TOLERANCE, cores

# options that change the problem or its answer, or touch files
REFUSED = {
    "small_matrix_value": "matrix entries below it would be dropped",
    "large_matrix_value": "matrix entries above it would be refused",
    "infinite_cost": "costs above it would be taken as infinite",
    "infinite_bound": "bounds above it would be taken as infinite",
    "objective_bound": "the solve would stop at an objective cut-off",
    "objective_target": "the solve would stop at an objective target",
    "allow_unbounded_or_infeasible": "gridplan settles infeasible-or-unbounded itself",
    "solve_relaxation": "MIP option, not for gridplan's LP",
    "user_objective_scale": "the objective would be rescaled behind gridplan's back",
    "user_bound_scale": "the bounds would be rescaled behind gridplan's back",
}
FILE_OPTIONS = ("write_", "read_", "glpsol")
CORE_BOUNDED = ("threads", "simplex_max_concurrency", "simplex_min_concurrency")
TYPES = {"kBool": bool, "kInt": int, "kDouble": float, "kString": str}


@functools.cache
def names() -> tuple[str, ...]:
    """Every option name HiGHS knows."""
    import highspy

    opts = highspy.Highs().getOptions()
    return tuple(n for n in dir(opts) if not n.startswith("_"))


@functools.cache
def _kind(name: str) -> type | None:
    """The option's type; None when HiGHS does not know the name (asked of HiGHS itself, since
    highspy's option list leaves some out, e.g. hipo_ordering)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    status, kind = h.getOptionType(name)
    if status != highspy.HighsStatus.kOk:
        return None
    return TYPES.get(str(kind).rsplit(".", 1)[-1].split(":")[0], str)


def _in_range(name: str, value: Any) -> bool:
    """HiGHS accepts the value (its own range and choices)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    return bool(h.setOptionValue(name, value) == highspy.HighsStatus.kOk)


def option_errors(options: dict[str, Any]) -> list[str]:
    """What is wrong with each option (empty when all are fine)."""
    out: list[str] = []
    for name, value in options.items():
        kind = _kind(str(name))
        if kind is None:
            close = difflib.get_close_matches(str(name), names(), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.append(f"unknown HiGHS option '{name}'{hint}")
            continue
        if name in REFUSED or name.startswith(FILE_OPTIONS) or name.endswith("_file"):
            why = REFUSED.get(name, "gridplan reads and writes its own files")
            out.append(f"option '{name}' is not allowed: {why}")
            continue
        ok = (
            isinstance(value, bool)
            if kind is bool
            else isinstance(value, int) and not isinstance(value, bool)
            if kind is int
            else isinstance(value, int | float) and not isinstance(value, bool)
            if kind is float
            else isinstance(value, str)
        )
        if not ok:
            out.append(f"option '{name}': found {value!r}; expected a {kind.__name__}")
            continue
        if name.endswith("_tolerance") and not MIN_TOLERANCE <= float(value) <= MAX_TOLERANCE:
            out.append(
                f"option '{name}': found {value!r}; expected a tolerance in "
                f"[{MIN_TOLERANCE:g}, {MAX_TOLERANCE:g}] (a looser one gives a wrong answer marked optimal)"
            )
        elif name in CORE_BOUNDED and int(value) > cores():
            out.append(
                f"option '{name}': found {value!r}; expected at most {cores()} (the cores of this machine)"
            )
        elif not _in_range(name, float(value) if kind is float else value):
            out.append(f"option '{name}': found {value!r}, outside the values HiGHS accepts")
    return out
