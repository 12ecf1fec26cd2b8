"""The value of a Pyomo expression at the solution, for the read-back (gridplan/results.py).

Pyomo's `value()` walks an expression with a general visitor, and evaluates a named Expression
(`Expression` components, e.g. th_commit = K - th_offline) again wherever it appears. The read-back
evaluates the cost, emission, coal and target sums, whose trees hold the hourly terms of a whole
period, so that walk was about a third of the results stage on the base case. `evaluate` does the
same arithmetic in the same order for the node types gridplan builds (sums, linear sums, products,
negations, variables, named expressions, numbers) and hands any other node to Pyomo's `value()`:
its result is the same float, and an unset variable is an error (or None) as in Pyomo. A tree
deeper than Python's recursion limit goes to Pyomo's `value()`, whose visitor keeps its own stack.
"""

from __future__ import annotations

from typing import Any, Literal, overload

import pyomo.environ as pyo
from pyomo.common.numeric_types import native_numeric_types
from pyomo.core.expr.numeric_expr import (
    LinearExpression,
    MonomialTermExpression,
    NegationExpression,
    ProductExpression,
    SumExpression,
)

SUMS = (SumExpression, LinearExpression)
PRODUCTS = (ProductExpression, MonomialTermExpression)


class _Unset(Exception):
    """A variable in the expression has no value."""


@overload
def evaluate(x: Any, exception: Literal[True] = True) -> float: ...


@overload
def evaluate(x: Any, exception: bool) -> float | None: ...


def evaluate(x: Any, exception: bool = True) -> float | None:
    """value(x) as Pyomo computes it; with exception=False, None when a variable is unset."""
    try:
        return float(_value(x))
    except _Unset:
        if exception:
            pyo.value(x)  # Pyomo's own error, naming the variable
        return None
    except RecursionError:  # a tree deeper than Python's stack: Pyomo's visitor keeps its own
        v = pyo.value(x, exception=exception)
        return None if v is None else float(v)


def _value(e: Any) -> Any:
    """sum(args), a * b, -a, a variable's or named expression's value, or Pyomo's value()."""
    k = e.__class__
    if k in native_numeric_types:
        return e
    if k in SUMS:
        s = 0  # as Python's sum(), which Pyomo's SumExpression applies
        for a in e.args:
            s += _value(a)
        return s
    if k in PRODUCTS:
        a, b = e.args
        return _value(a) * _value(b)
    if k is NegationExpression:
        return -_value(e.args[0])
    if e.is_variable_type():
        v = e.value
        if v is None:
            raise _Unset
        return v
    if e.is_named_expression_type():
        return _value(e.expr)
    return pyo.value(e)
