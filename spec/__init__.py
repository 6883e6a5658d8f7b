"""Every optimizer update rule, written once as SymPy equations.

>>> import spec
>>> rule = spec.get("adam")                # the canonical variant, Algorithm 1
>>> spec.get("adam", "eps_hat").defaults["eps"]
1e-07
>>> traj = spec.Oracle(rule).run({"w": [1.0, 2.0]}, [{"w": [0.1, -0.2]}] * 3)

The oracle (`Oracle`), the printed equations, the error bounds (`bound`) and the
proofs (`relations`) are all derived from the rules; nothing else restates the
maths.

Each torch.optim optimizer is a variant ``<family>/torch`` with ``api ==
"torch"``, its hyperparameters named by torch's keywords and its switches as
flags (`Hyper.flag`, values 0/1), with the combinations torch rejects
refused by `Rule.admits`:

>>> torch_sgd = spec.get("sgd", "torch")
>>> torch_sgd.admits({"nesterov": True, "momentum": 0.0}) is None
False
"""

from . import bound, compare, relations  # noqa: F401  (spec.compare.compare, ...)
from ._registry import all_rules, families, family, get
from ._rule import Domain, Family, Hyper, Rule, Source, State
from .errors import InvalidHyperparameter, SpecError, UnknownRule
from .oracle import Oracle, Trajectory

__all__ = [
    "Domain",
    "Family",
    "Hyper",
    "InvalidHyperparameter",
    "Oracle",
    "Rule",
    "Source",
    "SpecError",
    "State",
    "Trajectory",
    "UnknownRule",
    "all_rules",
    "families",
    "family",
    "get",
]
