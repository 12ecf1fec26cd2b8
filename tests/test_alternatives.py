"""Near-optimal alternatives on cases whose alternatives are computed by hand (issue 23).

Every case: 100 MW of constant load for one year (no discounting, 1-year lives), so a
technology costs its capex [CNY/kW] per kW-yr plus its running cost; C* is the optimum.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr

from cases import base, write_case
from gridplan.alternatives import mga
from gridplan.alternatives.directions import Direction, parse, random_directions
from gridplan.alternatives.run import run_alternatives
from gridplan.case import load_case
from gridplan.errors import InputError

H = 8760


def plant(capex: float, **kw: object) -> dict[str, object]:
    return {"kind": "thermal", "capex": capex, "vom": 100, "lifetime": 1, "build_max": "inf", **kw}


def case(tmp_path: Path, **techs: dict[str, object]) -> Path:
    sc = base(100.0, time={"mode": "representative_days", "days": 1}, technologies=techs)
    return write_case(tmp_path / "case", sc)


C_STAR = 1000 * 100e3 + 100 * 100 * H  # 100 MW at 1000 CNY/kW-yr and 100 CNY/MWh


def _run(
    tmp_path: Path, src: Path, specs: list[str], slacks: list[float], **kw: object
) -> tuple[xr.Dataset, object]:
    inputs = load_case(src)
    dirs = [parse(s, inputs) for s in specs]
    run = run_alternatives(inputs, dirs, slacks, tmp_path / "out", workers=1, echo=lambda _s: None, **kw)  # type: ignore[arg-type]
    assert run.combined is not None
    return xr.load_dataset(run.combined), run


def test_equally_cheap_technologies_span_the_whole_range(tmp_path: Path) -> None:
    """a and b cost the same: any split of the 100 MW is optimal, so `a` runs from 0 to 100 MW,
    and with 1% slack `a` can be overbuilt by 0.01 C* / (1000 CNY/kW) = 1.876 MW more."""
    src = case(tmp_path, a=plant(1000), b=plant(1000))
    ds, run = _run(tmp_path, src, ["a_cap=capacity:a@2025"], [0.01])
    assert run.optimum == pytest.approx(C_STAR, rel=1e-9)  # type: ignore[attr-defined]
    cap = ds.capacity.sel(period=2025, zone="z", tech="a")
    assert float(cap.sel(alternative="s0.01-a_cap-min")) == pytest.approx(0.0, abs=1e-6)
    assert float(cap.sel(alternative="s0.01-a_cap-max")) == pytest.approx(100 + 0.01 * C_STAR / 1e6, rel=1e-7)
    value = ds.direction_value.sel(alternative="s0.01-a_cap-max")
    assert float(value) == pytest.approx((100 + 0.01 * C_STAR / 1e6) / 1e3, rel=1e-7)  # GW
    assert str(ds.direction_unit.sel(alternative="s0.01-a_cap-max").values) == "GW"
    # the maximum spends the whole slack; the optimum is the first alternative
    assert float(ds.total_cost.sel(alternative="s0.01-a_cap-max")) == pytest.approx(1.01 * C_STAR, rel=1e-7)
    assert str(ds.alternative.values[0]) == "optimum"
    html = (tmp_path / "out" / "alternatives.html").read_text(encoding="utf-8")
    assert "Capacity range across near-optimal plans, 2025" in html and "[GW]" in html


def test_slack_admits_a_known_amount_of_the_dearer_option(tmp_path: Path) -> None:
    """d costs 1500 CNY/kW against 1000 for c: each MW of d instead of c costs 0.5 MCNY more, so
    a 10% slack admits 0.1 C* / 0.5 MCNY = 37.52 MW of d, 2% admits 7.504 MW; the minimum is 0."""
    src = case(tmp_path, c=plant(1000), d=plant(1500))
    ds, _run_info = _run(tmp_path, src, ["d=capacity:d@2025"], [0.02, 0.1])
    cap = ds.capacity.sel(period=2025, zone="z", tech="d")
    for s in (0.02, 0.1):
        assert float(cap.sel(alternative=f"s{s:g}-d-max")) == pytest.approx(s * C_STAR / 0.5e6, rel=1e-7)
        assert float(cap.sel(alternative=f"s{s:g}-d-min")) == pytest.approx(0.0, abs=1e-6)
        c = float(ds.capacity.sel(period=2025, zone="z", tech="c", alternative=f"s{s:g}-d-max"))
        assert c == pytest.approx(100 - s * C_STAR / 0.5e6, rel=1e-7)
    assert ds.sizes["alternative"] == 5
    # alternatives after the first on a worker reuse its built model
    assert int(ds.model_reused.sum()) == 4  # one worker: the optimum built it
    manifest = json.loads((tmp_path / "out" / "alternatives.json").read_text(encoding="utf-8"))
    assert {a["status"] for a in manifest["alternatives"]} == {"done"}
    assert manifest["optimum_cny"] == pytest.approx(C_STAR, rel=1e-9)


def test_resumed_run_skips_finished_and_records_failures(tmp_path: Path) -> None:
    """Maximising a free, unlimited technology is unbounded: recorded in failed.json, not
    retried; a second run solves nothing new."""
    src = case(
        tmp_path, c=plant(1000), free={"kind": "thermal", "vom": 100, "lifetime": 1, "build_max": "inf"}
    )
    ds, run = _run(tmp_path, src, ["free=capacity:free@2025"], [0.05])
    outcomes = run.outcomes  # type: ignore[attr-defined]
    assert outcomes["s0.05-free-min"].status == "done"
    assert outcomes["s0.05-free-max"].status == "failed"
    assert outcomes["s0.05-free-max"].kind in ("unbounded", "infeasible_or_unbounded")
    failed = json.loads((tmp_path / "out" / "s0.05-free-max" / "failed.json").read_text(encoding="utf-8"))
    assert failed["kind"] == outcomes["s0.05-free-max"].kind
    assert list(ds.alternative.values) == ["optimum", "s0.05-free-min"]
    log_lines = (tmp_path / "out" / "s0.05-free-min" / "log.jsonl").read_text(encoding="utf-8").splitlines()
    optimum = tmp_path / "out" / "optimum" / "results.nc"  # --base: the same optimum, nothing re-solved
    _, again = _run(tmp_path, src, ["free=capacity:free@2025"], [0.05], base=optimum)
    assert (tmp_path / "out" / "s0.05-free-min" / "log.jsonl").read_text(
        encoding="utf-8"
    ).splitlines() == log_lines
    assert again.outcomes["s0.05-free-max"].status == "failed"  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="not an optimal perfect-foresight run"):
        _run(
            tmp_path,
            src,
            ["free=capacity:free@2025"],
            [0.05],
            base=tmp_path / "out" / "s0.05-free-min" / "results.nc",
        )


def test_reused_model_gives_the_same_alternative_as_a_fresh_build(tmp_path: Path) -> None:
    src = case(tmp_path, c=plant(1000), d=plant(1500))
    inputs = load_case(src)
    key = mga.Built.__name__ + inputs.input_hash
    limit = 1.1 * C_STAR / 1e6
    d = Direction("d", "capacity", ("d",), 2025)
    mga._KEPT.clear()
    fresh = mga.solve_alternative(str(src), key, {}, limit, d, "max")
    again = mga.solve_alternative(str(src), key, {}, None, None, "min")  # back to the optimum
    reused = mga.solve_alternative(str(src), key, {}, limit, d, "max")
    assert (fresh.attrs["model_reused"], again.attrs["model_reused"], reused.attrs["model_reused"]) == (
        0,
        1,
        1,
    )
    assert again.attrs["objective"] == pytest.approx(C_STAR, rel=1e-9)
    assert again.attrs["mga_direction"] == "optimum"
    assert float(reused.capacity.sel(tech="d").sum()) == pytest.approx(
        float(fresh.capacity.sel(tech="d").sum()), rel=1e-9
    )
    assert reused.attrs["objective"] == pytest.approx(1.1 * C_STAR, rel=1e-7)
    mga._KEPT.clear()


def test_directions_are_checked_against_the_case(tmp_path: Path) -> None:
    inputs = load_case(case(tmp_path, c=plant(1000), d=plant(1500)))
    assert parse("both=c+d@2025", inputs) == Direction("both", "capacity", ("c", "d"), 2025)
    assert parse("emissions@2025", inputs).unit == "MtCO2/yr"
    with pytest.raises(InputError, match="'wind' matches none of"):
        parse("capacity:wind@2025", inputs)
    with pytest.raises(InputError, match="period 2040 is not one of"):
        parse("c@2040", inputs)
    r1, r2 = random_directions(inputs, 2, seed=3)
    assert r1.senses == ("min",) and len(r1.weights) == 2 and r1.weights != r2.weights
    assert all(-1 <= w <= 1 for *_k, w in r1.weights)


def test_alternative_rows_are_written_down(tmp_path: Path) -> None:
    """The components MGA adds appear in model/formulation.md, as the model's own do."""
    from gridplan.lp.build import build
    from gridplan.timesteps import select

    inputs = load_case(case(tmp_path, c=plant(1000)))
    m, ctx = build(inputs, select(inputs))
    mga.set_alternative(m, ctx, 1.0, Direction("c", "capacity", ("c",), 2025), "max")
    text = (Path(__file__).resolve().parents[1] / "model" / "formulation.md").read_text(encoding="utf-8")
    added = ("mga_cost_slack", "mga_objective", "mga_cost_limit", "polish_objective")
    assert all(hasattr(m, n) and (f"`{n}`" in text or f"({n})" in text) for n in added)
    assert m.mga_cost_slack.active and not m.objective.active


def test_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gridplan.cli import app

    runner = CliRunner()
    shown = runner.invoke(app, ["alternatives", "-h"])
    assert shown.exit_code == 0 and "--slack" in shown.output and "--samples" in shown.output
    src = case(tmp_path, c=plant(1000))
    bad = runner.invoke(app, ["alternatives", str(src), "--slack", "-0.1", "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2 and "--slack" in bad.output
    bad = runner.invoke(
        app, ["alternatives", str(src), "-d", "capacity:wind@2025", "--out", str(tmp_path / "o")]
    )
    assert bad.exit_code == 2 and "matches none of" in bad.output


def test_direction_held_by_a_limit_gives_the_cheapest_such_plan(tmp_path: Path) -> None:
    """d (1500 CNY/kW) may be built up to 5 MW: at 10% slack the cost row would admit 37.52 MW,
    so the build limit holds d at 5 MW and the cost row does not bind. Of the many plans with
    5 MW of d (any cost up to the limit), the answer is the cheapest: C* + 5 MW x 0.5 MCNY
    = C* + 2.5 MCNY, and the polish keeps d at exactly 5 MW. (Simplex alone picks that plan on
    this small LP too; the tie-break is for the interior point on large ones: without it HiPO
    stalls on the base case, model/performance.md.)"""
    src = case(tmp_path, c=plant(1000), d=plant(1500, build_max=5))
    ds, _run_info = _run(tmp_path, src, ["d=capacity:d@2025"], [0.1])
    alt = "s0.1-d-max"
    assert float(ds.capacity.sel(period=2025, zone="z", tech="d", alternative=alt)) == pytest.approx(
        5.0, rel=1e-9
    )
    assert float(ds.total_cost.sel(alternative=alt)) == pytest.approx(C_STAR + 2.5e6, rel=1e-9)
    with xr.open_dataset(tmp_path / "out" / alt / "results.nc") as one:
        assert "then primal simplex on the exact objective" in one.attrs["solver"]


def test_no_crossover_on_the_command_line_records_the_tie_break_bound(tmp_path: Path) -> None:
    """`--no-crossover`: the interior point ends without a vertex, so there is no polish, and
    the alternative records how far the exact extreme (5 MW of d) can lie from the value found:
    TIE_BREAK x (limit - cost) / limit [GW], limit = 1.1 C*."""
    from typer.testing import CliRunner

    from gridplan.cli import app

    src = case(tmp_path, c=plant(1000), d=plant(1500, build_max=5))
    args = ["alternatives", str(src), "-d", "d=capacity:d@2025", "--slack", "0.1", "--method", "ipm"]
    res = CliRunner().invoke(app, [*args, "--no-crossover", "--workers", "1", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    with xr.open_dataset(tmp_path / "o" / "s0.1-d-max" / "results.nc") as one:
        assert "then primal simplex" not in one.attrs["solver"]
        limit, cost = 1.1 * C_STAR, float(one.attrs["objective"])
        bound = float(one.attrs["mga_direction_bound"])
        assert bound == pytest.approx(mga.TIE_BREAK * (limit - cost) / limit, rel=1e-9) and bound > 0
        assert 0.0 <= float(one.attrs["mga_direction_value"]) <= 0.005 + 1e-6  # GW: within the build limit
    with xr.open_dataset(tmp_path / "o" / "alternatives.nc") as ds:
        assert float(ds.direction_bound.sel(alternative="s0.1-d-max")) == pytest.approx(bound, rel=1e-12)
        assert float(ds.direction_bound.sel(alternative="optimum")) == 0.0
    assert "exact extreme within" in (tmp_path / "o" / "alternatives.html").read_text(encoding="utf-8")
