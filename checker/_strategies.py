"""Hypothesis strategies for optimizer problems: keys, shapes, gradients, hyperparameters.

Gradients come from regimes chosen to separate the variants: exact zeros,
values small enough that epsilon dominates, ordinary values, large values, and
mixed signs.  Parameters range from 1e-3 to 1e3 so that some steps are tiny
next to their parameter (only a comparison of updates sees those), and some are
exactly 0 or -0.0 (code that treats a zero parameter apart must show it).
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

    def size_key(self) -> tuple:
        """How large the problem is to read, smallest first: steps, then elements, keys,
        nonzero gradient elements, and float64 before float32."""
        return (self.steps, sum(int(np.size(v)) for v in self.params.values()), len(self.params),
                sum(int(np.count_nonzero(v)) for g in self.grads for v in g.values()),
                self.dtype != "float64")


#: The three scales of a nonzero gradient element: epsilon dominates, ordinary, large.
SCALES = ((1e-12, 1e-6), (1e-3, 10.0), (1e2, 1e6))
#: Sizes of the arrays `problems` draws (its shapes hold at most 6 elements).
MAX_SIZE = 6

# Every strategy a draw uses is built once, here or when `problems` is called: Hypothesis
# validates and caches a strategy at construction, which inside a draw, for each of
# thousands of elements, cost more than the drawing itself.
_MAGNITUDES = tuple(st.floats(lo, hi) for lo, hi in SCALES)
_WEIGHT_MAGNITUDE = st.floats(1e-3, 1e3)
# One choice decides an element's regime and sign: codes 0 and 1 zero, 2 to 7 the three
# scales with either sign, about a quarter of the elements each, as the one_of of four
# regimes this replaces gave.  That one_of of signed `builds` made an element three
# choices of Hypothesis' (tens of microseconds each) and two strategies' overhead; now it
# is one choice and a magnitude.  Not packed wider (several elements' codes in one
# integer): Hypothesis draws a wide integer mostly small, which would make most elements 0.
_CODE = st.integers(0, 7)
# the signs of a key's parameters, one bit each (at most 6 bits, drawn near uniformly)
_SIGNS = tuple(st.integers(0, 2**n - 1) for n in range(MAX_SIZE + 1))
_CORE_SHAPES = ((), (1,), (3,), (2, 3), (3, 1))
_SHAPES = st.sampled_from(_CORE_SHAPES)
# half and half: written before as one_of(core, core, core, core, empty), which Hypothesis
# draws as one_of(core, empty), since it drops a strategy repeated in a one_of
_SHAPES_OR_EMPTY = st.one_of(_SHAPES, st.sampled_from([(0,), (2, 0)]))
_N_KEYS = st.integers(2, 3)
_FLAG = st.sampled_from([0.0, 1.0])


def _gradient(draw, size: int) -> list[float]:
    """``size`` gradient elements, each zero or in one of the `SCALES`, of either sign."""
    out = []
    for _ in range(size):
        code = draw(_CODE)
        if code < 2:
            out.append(0.0)
            continue
        m = draw(_MAGNITUDES[(code - 2) >> 1])
        out.append(-m if code & 1 else m)
    return out


def _weights(draw, size: int) -> list[float]:
    """``size`` parameter elements, magnitudes from 1e-3 to 1e3 or exactly 0 (about a
    quarter of them: the book's biases start at ``np.zeros``), of either sign."""
    if size == 0:
        return []
    signs = draw(_SIGNS[size])
    # two masks and-ed: a bit is set in a quarter of the draws; both shrink to 0, no zeros
    zeros = draw(_SIGNS[size]) & draw(_SIGNS[size])
    out = []
    for i in range(size):
        m = 0.0 if (zeros >> i) & 1 else draw(_WEIGHT_MAGNITUDE)
        out.append(-m if (signs >> i) & 1 else m)
    return out


def shapes(allow_empty: bool = True):
    return _SHAPES_OR_EMPTY if allow_empty else _SHAPES


def problems(rule: Rule, passed: list[str], fixed: dict[str, float],
             min_steps: int = 5, max_steps: int = 7, dtypes=("float64", "float32")):
    """A strategy of problems for ``rule``: hyperparameters in ``passed`` are drawn, others
    ``fixed``; a flag (torch's nesterov, amsgrad, ...) is drawn as 0 or 1, and a
    combination the rule does not admit (nesterov with dampening) is drawn again.

    Every parameter is an array (a 0-d one for shape ``()``): the numbers, the variant
    and the named mistakes are judged on arrays only.  A Python float parameter is a
    question of its own (`with_python_float`), whose answer is a warning: mixed in
    here, the float a correct ``for k, p in params.items(): p -= ...`` cannot move
    would fail the numbers and name a mistake the array code does not make.

    The strategies for the hyperparameters, the steps and the dtype are built here,
    once per call; a draw only draws."""
    hypers = tuple((h.name, _FLAG if h.flag else st.floats(*h.typical))
                   for h in rule.hypers if h.name in passed)
    # half of the runs long: a schedule hidden in the code shows only after many steps (the
    # three repeats of the short range once written here were one to Hypothesis' one_of)
    steps = st.one_of(st.integers(min_steps, max_steps), st.integers(15, 30))
    return _problems(rule, dict(fixed), hypers, steps, st.sampled_from(dtypes), max_steps)


@st.composite
def _problems(draw, rule: Rule, fixed: dict[str, float], hyper_strategies, steps_strategy,
              dtype_strategy, max_steps: int) -> Problem:
    dtype = draw(dtype_strategy)
    n_keys = draw(_N_KEYS)
    keys = list(KEY_NAMES[:n_keys])
    key_shapes = [draw(shapes(allow_empty=i > 0)) for i in range(n_keys)]
    # at least two keys of different shapes
    if key_shapes[0] == key_shapes[1]:
        key_shapes[1] = (4,) if key_shapes[0] != (4,) else (2, 2)
    steps = draw(steps_strategy)
    params, grads = {}, [{} for _ in range(steps)]
    drawn = min(steps, max_steps)  # a long run cycles these: drawing 30 steps of gradients
    # element by element made shrinking a failing long run cost a minute, and a schedule
    # shows after many steps whatever the gradients are
    for key, shape in zip(keys, key_shapes):
        size = int(np.prod(shape))
        params[key] = np.array(_weights(draw, size), dtype=dtype).reshape(shape)
        for k in range(drawn):
            grads[k][key] = np.array(_gradient(draw, size), dtype=dtype).reshape(shape)
        for k in range(drawn, steps):
            grads[k][key] = grads[k % drawn][key].copy()
    hypers = dict(fixed)
    for name, strategy in hyper_strategies:
        hypers[name] = draw(strategy)
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
