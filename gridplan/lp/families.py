"""The registry of LP families, in build order.

lp/build.py adds them to the model in this order (the order fixes the rows and columns handed to
the solver), results.dataset reads their results back in the same order, and tests/test_docs.py
checks that their components are written down and cover the whole model. A new family is one
module with a `Family` (lp/family.py) and one line here.
"""

from __future__ import annotations

from gridplan.lp.demand import DEMAND
from gridplan.lp.family import Family
from gridplan.lp.generators import ENERGY_LIMITS, GENERATORS
from gridplan.lp.investment import FleetNames
from gridplan.lp.linking import LINKING
from gridplan.lp.margin import MARGIN
from gridplan.lp.network import IMPORTS, LINKS
from gridplan.lp.policies import POLICIES
from gridplan.lp.reserves import RESERVES
from gridplan.lp.storage import STORAGE
from gridplan.lp.thermal import THERMAL
from gridplan.lp.updown import UPDOWN

FAMILIES: tuple[Family, ...] = (
    GENERATORS,
    THERMAL,
    UPDOWN,  # after thermal: minimum up and down times of its committed parts
    ENERGY_LIMITS,  # after thermal: it bounds the annual generation of every technology
    STORAGE,
    LINKING,  # after storage: it links the storage's state of charge across periods
    LINKS,
    IMPORTS,
    DEMAND,
    RESERVES,  # after the families whose variables hold reserve (thermal, generators, storage, demand)
    MARGIN,  # after every fleet: the firm capacity of the reserve margin (its row is a target)
    POLICIES,  # last: targets count what the other families added
)
# components outside the families: the zone energy balance and the objective (lp/build.py)
MODEL_COMPONENTS = ("balance", "objective")


def fleets() -> list[FleetNames]:
    """Every fleet of every family (the capacity variables of lp/investment.py)."""
    return [f for fam in FAMILIES for f in fam.fleets]
