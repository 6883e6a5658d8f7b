"""The one argument check every optimizer's constructor uses.

It mirrors the domains of `spec` (``[0, inf)`` for learning rates and epsilon,
``[0, 1)`` for decay rates) without importing it: `reference` depends on NumPy
only.
"""

from __future__ import annotations

import math
from numbers import Real


def checked(owner: str, name: str, value, what: str, default: float,
            rate: bool = False) -> float:
    """``value`` as a float, or a one-line `ValueError` naming the argument and the fix.

    ``rate=True`` asks for ``[0, 1)`` (a momentum or decay rate), otherwise
    ``[0, inf)``.  NaN is outside both.
    """
    fix = f"pass {what} such as {default:g} (the default)"
    # bool is a Real to Python, but lr=True is a mistake, not a learning rate
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{owner}: {name} = {value!r} is not a number; {fix}")
    value = float(value)
    hi = 1.0 if rate else math.inf
    if not 0.0 <= value < hi:  # NaN fails both comparisons
        raise ValueError(f"{owner}: {name} = {value!r} is outside [0, {hi:g}); {fix}")
    return value
