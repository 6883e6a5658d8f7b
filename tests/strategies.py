"""Hypothesis strategies for the inputs an optimizer sees.

A `Problem` is what one property test feeds an optimizer: initial parameters
(2-4 keys of assorted shapes, all float64 or all float32, sometimes one Python
float), one dict of gradients per step (5-8 steps), and constructor arguments
drawn from the spec's ``Hyper.typical`` ranges.  Arrays stay small (at most 12
elements) because the oracle runs in pure-Python mpmath.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

DTYPES = (np.float64, np.float32)

# 0-d, 1-D and 2-D (and one 3-D) shapes, at most 12 elements; then the empty ones
SHAPES = ((), (1,), (4,), (7,), (2, 3), (3, 4), (2, 1, 3))
EMPTY_SHAPES = ((0,), (2, 0))

#: |g| for each gradient regime; "zero" gives exact zeros.  "tiny" is where
#: epsilon dominates sqrt of the second moment.
REGIMES = {
    "zero": None,
    "tiny": (1e-12, 1e-6),
    "ordinary": (1e-3, 10.0),
    "large": (1e2, 1e6),
}
#: A key's gradients are all of one regime, or each element and step picks its own.
PLANS = tuple(REGIMES) + ("mixed",)

#: |W|: from 1e-3 to 1e4, so that some steps are tiny next to the parameter.
PARAM_MAGNITUDES = (1e-3, 1e4)


def log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats spread evenly over the decades of ``[lo, hi]``."""
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi))


def signed(magnitudes: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    return st.tuples(st.booleans(), magnitudes).map(lambda s: -s[1] if s[0] else s[1])


def gradient_values(regime: str) -> st.SearchStrategy[float]:
    if regime == "mixed":
        return st.sampled_from(tuple(REGIMES)).flatmap(gradient_values)
    if REGIMES[regime] is None:
        return st.just(0.0)
    return signed(log_uniform(*REGIMES[regime]))


def param_values() -> st.SearchStrategy[float]:
    return signed(log_uniform(*PARAM_MAGNITUDES))


def arrays(shape: tuple, dtype, elements: st.SearchStrategy[float]) -> st.SearchStrategy:
    n = math.prod(shape)
    return st.lists(elements, min_size=n, max_size=n).map(
        lambda xs: np.array(xs, dtype=np.float64).astype(dtype).reshape(shape))


def typical(hyper) -> st.SearchStrategy[float]:
    """A value from ``hyper.typical``: log-uniform over a wide range, else uniform."""
    lo, hi = hyper.typical
    if lo > 0 and hi / lo >= 100:
        return log_uniform(lo, hi)
    return st.floats(lo, hi)


def hypers(rule) -> st.SearchStrategy[dict]:
    """Constructor keyword arguments, one per hyperparameter of ``rule``."""
    return st.fixed_dictionaries({h.name: typical(h) for h in rule.hypers})


@dataclass
class Problem:
    """Initial parameters, one dict of gradients per step, constructor arguments."""

    params: dict
    grads: list
    kwargs: dict = field(default_factory=dict)

    def fresh_params(self) -> dict:
        """A copy of the initial parameters for an optimizer to change."""
        return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in self.params.items()}


@st.composite
def problems(draw, rule=None, dtype=None, steps=(5, 8), empty=True, python_float=None,
             plan=None) -> Problem:
    """A `Problem`; ``rule`` given, its hyperparameters are drawn too (else defaults).

    ``dtype``, ``python_float`` (add a key holding a Python float) and ``plan``
    (one gradient regime for every key) are drawn unless given.
    """
    dtype = draw(st.sampled_from(DTYPES)) if dtype is None else dtype
    shapes = SHAPES + EMPTY_SHAPES if empty else SHAPES
    n_keys = draw(st.integers(2, 4))
    with_float = draw(st.booleans()) if python_float is None else python_float
    params = {f"W{i}": draw(arrays(draw(st.sampled_from(shapes)), dtype, param_values()))
              for i in range(n_keys - with_float)}
    if with_float:
        params["f"] = draw(param_values())
    plans = {k: plan or draw(st.sampled_from(PLANS)) for k in params}
    n_steps = draw(st.integers(*steps))
    grads = []
    for _ in range(n_steps):
        g = {}
        for k, w in params.items():
            if isinstance(w, float):
                g[k] = draw(gradient_values(plans[k]))
            else:
                g[k] = draw(arrays(w.shape, w.dtype, gradient_values(plans[k])))
        grads.append(g)
    kwargs = draw(hypers(rule)) if rule is not None else {}
    return Problem(params, grads, kwargs)


def learning_rates(rule, n: int) -> st.SearchStrategy[list]:
    """``n`` learning rates from the typical range, one per step."""
    return st.lists(typical(rule.hyper("lr")), min_size=n, max_size=n)
