"""Unit factors between the user's units and the LP's internal units, in one place.

Internal units keep the LP well scaled: power GW, energy GWh, money million CNY (MCNY), CO2 Mt,
coal Mtce. With these, CNY/kW equals MCNY/GW and CNY/kWh equals MCNY/GWh, so capital costs enter
unchanged; CNY/MWh enters as 1e-3 MCNY/GWh. Target units and the scale of their shadow prices
are those of the target kind (gridplan/kinds.py: TargetKind.unit, price_unit, scale).
"""

from __future__ import annotations

# user units -> internal units (model building)
MW = 1e-3  # MW -> GW (and MWh -> GWh)
PER_MWH = 1e-3  # CNY/MWh -> MCNY/GWh
TWH = 1e-3  # GWh -> TWh: annual-energy rows are written in TWh/yr
MWH_TO_TWH = 1e-6  # MWh/yr -> TWh/yr (stated annual energies)
T_TO_MT = 1e-6  # tCO2 -> MtCO2, tce -> Mtce
HEAT_RATE = 1e-3  # gce/kWh -> tce/MWh (equivalently kgce/kWh ... ktce/GWh)

# internal units -> user units (results)
GW = 1e3  # GW -> MW (and GWh -> MWh)
MCNY = 1e6  # MCNY -> CNY
MT = 1e6  # Mt -> t (CO2, coal)
TWH_TO_MWH = 1e6  # TWh/yr -> MWh/yr
CNY_PER_MWH = 1e3  # MCNY/GWh -> CNY/MWh


def per_year(dual: float, weight: float) -> float:
    """A row's dual in money per unit of one year: dual / weight, with weight the discounted years
    W[p] the row's period stands for (times the step's hours w[t] for hourly rows)."""
    return dual / weight
