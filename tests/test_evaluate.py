"""gridplan/lp/evaluate.py: the read-back's value of an expression is Pyomo's, to the last bit."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from gridplan.lp.evaluate import evaluate


def model() -> pyo.ConcreteModel:
    """x = 2, y = 3, a mutable parameter p = 0.5 and a named expression E = -y / 4."""
    m = pyo.ConcreteModel()
    m.x, m.y, m.z = pyo.Var(), pyo.Var(), pyo.Var()
    m.p = pyo.Param(mutable=True, initialize=0.5)
    m.x.set_value(2.0)
    m.y.set_value(3.0)
    m.E = pyo.Expression(expr=-m.y / 4)
    return m


def test_the_value_is_the_hand_computed_one_and_pyomos() -> None:
    m = model()
    # 2x + 3(x - y) + E + p x - (x + y) + 0.1 y = 4 - 3 - 0.75 + 1 - 5 + 0.3 = -3.45
    e = 2 * m.x + 3 * (m.x - m.y) + m.E + m.p * m.x - (m.x + m.y) + np.float64(0.1) * m.y
    assert evaluate(e) == pytest.approx(-3.45, abs=1e-12)
    assert evaluate(e) == pyo.value(e)  # the same arithmetic in the same order: the same float
    shared = sum(m.E * k + m.x / 7 for k in range(1, 40))  # a named expression met many times
    assert evaluate(shared) == pyo.value(shared)
    assert evaluate(m.E) == -0.75
    assert evaluate(3) == 3.0


def test_an_unset_variable_is_an_error_or_none() -> None:
    m = model()
    e = m.x + 2 * m.z
    with pytest.raises(ValueError, match="z"):
        evaluate(e)
    assert evaluate(e, exception=False) is None
    assert pyo.value(e, exception=False) is None


def test_a_tree_deeper_than_pythons_stack_is_pyomos_value() -> None:
    m = model()
    e, v = m.x, 2.0
    for _ in range(3000):  # 0.5 (e + y): 6,000 levels, beyond Python's recursion limit
        e, v = 0.5 * (e + m.y), 0.5 * (v + 3.0)
    assert evaluate(e) == pyo.value(e) == v
