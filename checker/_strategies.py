"""Hypothesis strategies for optimizer problems: keys, shapes, gradients, hyperparameters.

Gradients come from regimes chosen to separate the variants: exact zeros,
values small enough that epsilon dominates, ordinary values, large values, and
mixed signs.  Parameters range from 1e-3 to 1e3 so that some steps are tiny
next to their parameter (only a comparison of updates sees those).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import assume, strategies as st

from spec import Rule

KEY_NAMES = ("W1", "b1", "W2", "b2", "gamma", "beta")


@dataclass
class Problem:
    params: dict[str, np.ndarray | float]
    grads: list[dict[str, np.ndarray | float]]
    hypers: dict[str, float]  # the values passed to the constructor (spec names)
    dtype: str

    @property
    def steps(self) -> int:
        return len(self.grads)


def _signed(lo: float, hi: float):
    return st.builds(lambda m, s: m * s, st.floats(lo, hi), st.sampled_from([1.0, -1.0]))


def regime():
    """One element of a gradient: the regimes, each with its own scale."""
    return st.one_of(
        st.just(0.0),
        _signed(1e-12, 1e-6),   # epsilon dominates
        _signed(1e-3, 10.0),    # ordinary
        _signed(1e2, 1e6),      # large
    )


_REGIME, _WEIGHT = regime(), _signed(1e-3, 1e3)  # built once: drawn from thousands of times


def shapes(allow_empty: bool = True):
    core = st.sampled_from([(), (1,), (3,), (2, 3), (3, 1)])
    if not allow_empty:
        return core
    return st.one_of(core, core, core, core, st.sampled_from([(0,), (2, 0)]))


@st.composite
def problems(draw, rule: Rule, passed: list[str], fixed: dict[str, float],
             min_steps: int = 5, max_steps: int = 7, dtypes=("float64", "float32")) -> Problem:
    """A problem for ``rule``: hyperparameters in ``passed`` are drawn, others ``fixed``;
    a flag (torch's nesterov, amsgrad, ...) is drawn as 0 or 1, and a combination the
    rule does not admit (nesterov with dampening) is drawn again.

    Every parameter is an array (a 0-d one for shape ``()``): the numbers, the variant
    and the named mistakes are judged on arrays only.  A Python float parameter is a
    question of its own (`with_python_float`), whose answer is a warning: mixed in
    here, the float a correct ``for k, p in params.items(): p -= ...`` cannot move
    would fail the numbers and name a mistake the array code does not make."""
    dtype = draw(st.sampled_from(dtypes))
    n_keys = draw(st.integers(2, 3))
    keys = list(KEY_NAMES[:n_keys])
    key_shapes = [draw(shapes(allow_empty=i > 0)) for i in range(n_keys)]
    # at least two keys of different shapes
    if key_shapes[0] == key_shapes[1]:
        key_shapes[1] = (4,) if key_shapes[0] != (4,) else (2, 2)
    # now and then a long run: a schedule hidden in the code shows only after many steps
    steps = draw(st.one_of(st.integers(min_steps, max_steps), st.integers(min_steps, max_steps),
                           st.integers(min_steps, max_steps), st.integers(15, 30)))
    params, grads = {}, [{} for _ in range(steps)]
    drawn = min(steps, max_steps)  # a long run cycles these: drawing 30 steps of gradients
    # element by element made shrinking a failing long run cost a minute, and a schedule
    # shows after many steps whatever the gradients are
    for key, shape in zip(keys, key_shapes):
        size = int(np.prod(shape))
        convert = lambda v, s: np.array(v, dtype=dtype).reshape(s)  # noqa: E731
        w = draw(st.lists(_WEIGHT, min_size=size, max_size=size))
        params[key] = convert(w, shape)
        for k in range(drawn):
            g = draw(st.lists(_REGIME, min_size=size, max_size=size))
            grads[k][key] = convert(g, shape)
        for k in range(drawn, steps):
            grads[k][key] = grads[k % drawn][key].copy()
    hypers = dict(fixed)
    for h in rule.hypers:
        if h.name in passed:
            hypers[h.name] = draw(st.sampled_from([0.0, 1.0]) if h.flag else st.floats(*h.typical))
    assume(rule.admits(hypers) is None)
    return Problem(params, grads, hypers, dtype)



def designed_probe(rule: Rule, hypers: dict[str, float], steps: int = 5) -> Problem:
    """A fixed problem that separates the variants of every family.

    Gradient magnitudes are log-spaced from 1e-12 to 1e3 so that some elements
    have v comparable to eps**2 whatever eps is, signs alternate between steps,
    and there are two keys (a step counter advanced once per key shows).
    """
    mags = 10.0 ** np.arange(-12, 4, 1.5)  # 11 magnitudes
    signs = np.where(np.arange(mags.size) % 2 == 0, 1.0, -1.0)
    params = {"W": np.linspace(-1.5, 2.0, mags.size).reshape(mags.size),
              "b": np.array([0.5, -300.0])}
    grads = []
    for k in range(steps):
        flip = 1.0 if k % 3 != 2 else -1.0
        grads.append({
            "W": (mags * signs * flip * (1.0 + 0.1 * k)).astype(np.float64),
            "b": np.array([1e-9 * (k + 1), -2.0 * flip]),
        })
    return Problem(params, grads, dict(hypers), "float64")


#: The key and value of the Python float parameter, as the book's chapter 6 comparison
#: script (optimizer_compare_naive.py) sets them: ``params['x'], params['y'] = -7.0, 2.0``.
FLOAT_KEY, FLOAT_VALUE = "x", -7.0


def with_python_float(problem: Problem) -> Problem:
    """The probe plus a key whose value is a Python float, as the book's comparison
    script passes them: such a value cannot be updated in place and is rebound."""
    params = dict(problem.params, **{FLOAT_KEY: FLOAT_VALUE})
    # the script's gradient of x**2 / 20 + y**2 at x, with the probe's alternating signs
    grads = [dict(g, **{FLOAT_KEY: FLOAT_VALUE / 10.0 * (-1.0) ** k / (k + 1)})
             for k, g in enumerate(problem.grads)]
    return Problem(params, grads, dict(problem.hypers), problem.dtype)
