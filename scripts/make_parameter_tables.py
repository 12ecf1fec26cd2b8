"""Write model/parameters.md: one table per scenario section (name, unit, default, description),
generated from the pydantic schema in gridplan/case/schema.py so the two never drift apart.

    python scripts/make_parameter_tables.py          # rewrite model/parameters.md
    python scripts/make_parameter_tables.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from gridplan.case import schema

OUT = Path(__file__).resolve().parents[1] / "model" / "parameters.md"
SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("scenario (top level)", schema.Scenario),
    ("zones.<zone>", schema.Zone),
    ("demand", schema.Demand),
    ("demand.components.<name>", schema.Component),
    ("heat", schema.Heat),
    ("fuels.<fuel>", schema.Fuel),
    ("technologies.<name>", schema.Technology),
    ("technologies.<name>.commitment", schema.Commitment),
    ("technologies.<name>.retrofits.energy_saving", schema.EnergySavingRetrofit),
    ("technologies.<name>.retrofits.flexibility", schema.FlexibilityRetrofit),
    ("technologies.<name>.retrofits.heating", schema.HeatingRetrofit),
    ("technologies.<name>.retirement", schema.Retirement),
    ("technologies.<name>.retirement.life_extension", schema.LifeExtension),
    ("storage.<name>", schema.Storage),
    ("links.<name>", schema.Link),
    ("imports.<name>", schema.ImportChannel),
    ("demand_response.<name>", schema.DemandResponse),
    ("targets.<name>", schema.Target),
    ("reserves.<name>", schema.Reserve),
    ("time", schema.Time),
    ("hourly_check", schema.HourlyCheck),
    ("solver", schema.Solver),
]
UNIT = re.compile(r"\[([^\]]+)\]")


def default_text(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, BaseModel):
        return "(section defaults)"
    return "–" if value is None else f"`{value}`"


def table(model: type[BaseModel]) -> list[str]:
    rows = ["| name | unit | default | description |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        desc = (
            field.description or (field.annotation.__doc__ or "").strip().split("\n")[0]
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
            else field.description or ""
        )
        unit = UNIT.search(desc or "")
        text = UNIT.sub("", desc or "").strip().rstrip(";").strip()
        rows.append(
            f"| `{field.alias or name}` | {unit.group(1) if unit else '–'} | {default_text(field)} | {text} |"
        )
    return rows


def render() -> str:
    lines = [
        "# Scenario parameters",
        "",
        "Generated from `gridplan/case/schema.py` by `scripts/make_parameter_tables.py`; do not edit by hand.",
        "Values by period are a scalar or `{period: value}`; by zone a scalar or `{zone: value}`; by zone",
        "and period `{zone: {period: value}}` or a shorter form. Units in brackets are the user's units;",
        "the LP works in GW, GWh, million CNY, Mt and Mtce internally (model/formulation.md).",
        "",
    ]
    for title, model in SECTIONS:
        doc = (model.__doc__ or "").strip().split("\n")[0]
        lines += [f"## {title}", "", doc, "", *table(model), ""]
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python scripts/make_parameter_tables.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
