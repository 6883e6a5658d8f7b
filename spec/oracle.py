"""The oracle: a rule compiled once to mpmath and run at high precision.

Every float input (parameters, gradients and hyperparameters alike) enters as
its exact binary value: the double nearest 0.9 is 0.90000000000000002220...,
not 9/10.  Each step is then evaluated at ``dps`` significant digits (50 by
default), so its only error is the final rounding of a 50-digit computation.
Nothing here knows any optimizer: the step function is generated from
`Rule.assignments` by ``sympy.lambdify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from . import bound
from ._registry import get
from ._rule import Rule
from .errors import SpecError

__all__ = ["Oracle", "Trajectory", "OracleStep", "exact"]

_NAN = mpmath.mpf("nan")


def exact(x: Any) -> mpmath.mpf:
    """The exact value of a float (any NumPy float or Python number) as an mpf."""
    return mpmath.mpf(float(x))  # float() of a float16/32/64 is exact


@lru_cache(maxsize=None)
def _compiled(rule: Rule):
    # the update W_new - W rather than W_new: SymPy cancels W exactly, so the
    # update keeps all its digits however small it is next to W
    outs = [rule.update()] + [rule.composed[s] for s in rule.state_symbols]
    whole = sp.lambdify(rule.inputs, outs, modules="mpmath", cse=True)
    # one function per output, so that a 0/0 in W still lets the state be computed
    single = [sp.lambdify(rule.inputs, o, modules="mpmath") for o in outs]
    return whole, single


def _evaluate(whole, single, args):
    try:
        return whole(*args)
    except (ZeroDivisionError, ValueError):
        out = []
        for f in single:
            try:
                out.append(f(*args))
            except (ZeroDivisionError, ValueError):
                out.append(_NAN)
        return out


@dataclass
class OracleStep:
    """Parameters, update and state after step ``t`` (object arrays of mpf).

    ``update`` is ``W_t - W_(t-1)`` computed directly at full precision, not as
    the difference of two rounded parameters.

    ``error`` and ``underflow`` hold, per key, the error bounds ``E`` and ``D``
    of the new parameter from `spec.bound` (when the oracle ran with
    ``bounds=True``): a correct implementation is within
    ``bound.allowed_error(error, underflow, dtype)``.
    """

    t: int
    hypers: dict[str, float]
    params: dict[str, np.ndarray]
    state: dict[str, dict[str, np.ndarray]]
    update: dict[str, np.ndarray]
    error: dict[str, np.ndarray] | None = None
    underflow: dict[str, np.ndarray] | None = None


@dataclass
class Trajectory:
    """The initial parameters and every step after them."""

    rule: Rule
    dps: int
    initial: dict[str, np.ndarray]
    steps: list[OracleStep]

    def params(self, k: int) -> dict[str, np.ndarray]:
        """Parameters after step ``k`` (``k = 0``: the initial ones)."""
        return self.initial if k == 0 else self.steps[k - 1].params

    def update(self, k: int) -> dict[str, np.ndarray]:
        """The exact update ``W_k - W_(k-1)`` of step ``k``, per key."""
        return self.steps[k - 1].update

    def as_float(self, k: int, dtype=np.float64) -> dict[str, np.ndarray]:
        """Parameters after step ``k`` correctly rounded to ``dtype``."""
        return {key: to_float(a, dtype) for key, a in self.params(k).items()}


def to_float(a: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Round an object array of mpf to ``dtype`` (nearest, via float64 then dtype)."""
    flat = [float(x) for x in a.ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(a.shape).astype(dtype)


def _object_array(values: list, shape) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for i, x in enumerate(values):
        out.flat[i] = x
    return out


def _exact_array(value: Any, what: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.floating)
                                   or np.issubdtype(arr.dtype, np.integer)):
        raise SpecError(f"{what} must be a float or an array of floats, got {arr.dtype}; "
                        f"pass np.asarray(..., dtype=np.float64)")
    return _object_array([exact(x) for x in arr.ravel()], arr.shape)


class Oracle:
    """A rule compiled to mpmath, evaluated on the exact values of float inputs.

    >>> traj = Oracle("sgd", dps=50).run({"w": 1.0}, {"w": 0.5}, {"lr": 0.1}, steps=2)
    >>> float(traj.params(2)["w"])
    0.9
    """

    def __init__(self, rule: Rule | str, dps: int = 50):
        self.rule = get(rule) if isinstance(rule, str) else rule
        if not isinstance(dps, int) or dps < 20:
            raise SpecError(f"dps = {dps!r} is too low for an oracle; pass an int >= 20 (50 is the default)")
        self.dps = dps
        self._whole, self._single = _compiled(self.rule)

    def run(
        self,
        params: Mapping[str, Any],
        grads: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        hypers: Mapping[str, float] | Sequence[Mapping[str, float]] | None = None,
        steps: int | None = None,
        bounds: bool = False,
    ) -> Trajectory:
        """Run ``steps`` steps from ``params``.

        ``grads`` is one dict of gradients per step (or a single dict used at
        every step, with ``steps`` given); ``hypers`` is one dict (used at every
        step) or one per step, so a learning rate can change between steps.
        Missing hyperparameters take the rule's defaults; invalid ones raise
        `InvalidHyperparameter`.
        """
        rule = self.rule
        grads_seq = self._per_step(grads, steps, "grads")
        n = len(grads_seq)
        hypers_seq = self._per_step({} if hypers is None else hypers, n, "hypers")
        if len(hypers_seq) != n:
            raise SpecError(f"{rule.name}: {len(hypers_seq)} dicts of hypers for {n} steps of grads; "
                            f"pass one dict per step, or one dict for all")
        resolved = [rule.resolve(h) for h in hypers_seq]

        with mpmath.workdps(self.dps):
            inits = [mpmath.mpf(str(sp.N(s.init, self.dps + 10))) for s in rule.states]
            initial = {k: _exact_array(v, f"params[{k!r}]") for k, v in params.items()}
            # per key: flat lists of W, of each state, and of each state's error bound
            w = {k: list(a.ravel()) for k, a in initial.items()}
            st = {k: [[x] * len(w[k]) for x in inits] for k in initial}
            ns = len(inits)
            # E then D of each state (see spec.bound)
            st_err = {k: [[mpmath.mpf(0)] * len(w[k]) for _ in range(2 * ns)] for k in initial}
            errfun = bound.compiled(rule) if bounds else None
            out_steps = []
            for t, (g_dict, hyp) in enumerate(zip(grads_seq, resolved), start=1):
                hv = [exact(hyp[h.name]) for h in rule.hypers]
                step = OracleStep(t, hyp, {}, {s.name: {} for s in rule.states}, {},
                                  {} if bounds else None, {} if bounds else None)
                for key, a in initial.items():
                    g = list(self._grad(g_dict, key, a.shape, t).ravel())
                    upd, err, under = [], [], []
                    for i in range(len(w[key])):
                        args = (w[key][i], g[i], t, *(s[i] for s in st[key]), *hv)
                        if bounds:
                            with mpmath.workdps(20):
                                try:
                                    e = errfun(*args[:3 + ns], *(s[i] for s in st_err[key]), *hv)
                                except (ZeroDivisionError, ValueError):
                                    e = [mpmath.inf] * (2 + 2 * ns)
                            err.append(e[0])
                            under.append(e[1])
                            for j, x in enumerate(e[2:]):
                                st_err[key][j][i] = x
                        res = _evaluate(self._whole, self._single, args)
                        upd.append(res[0])
                        w[key][i] = w[key][i] + res[0]
                        for j, x in enumerate(res[1:]):
                            st[key][j][i] = x
                    step.update[key] = _object_array(upd, a.shape)
                    step.params[key] = _object_array(w[key], a.shape)
                    for s, values in zip(rule.states, st[key]):
                        step.state[s.name][key] = _object_array(values, a.shape)
                    if bounds:
                        step.error[key] = _object_array(err, a.shape)
                        step.underflow[key] = _object_array(under, a.shape)
                out_steps.append(step)
        return Trajectory(rule, self.dps, initial, out_steps)

    def _per_step(self, value, steps, what):
        if isinstance(value, Mapping):
            if steps is None:
                if what == "grads":
                    raise SpecError(f"{self.rule.name}: one dict of grads needs steps=N; "
                                    f"pass steps, or a list with one dict per step")
                return [value]
            return [value] * steps
        seq = list(value)
        if steps is not None and len(seq) != steps:
            raise SpecError(f"{self.rule.name}: steps={steps} but {len(seq)} dicts of {what}; "
                            f"pass one dict per step")
        if not seq:
            raise SpecError(f"{self.rule.name}: no steps to run; pass at least one dict of {what}")
        return seq

    @staticmethod
    def _grad(g_dict, key, shape, t):
        if key not in g_dict:
            raise SpecError(f"grads of step {t} have no key {key!r}; "
                            f"pass a gradient for every key of params")
        g = _exact_array(g_dict[key], f"grads[{key!r}] of step {t}")
        if g.shape != shape:
            raise SpecError(f"grads[{key!r}] of step {t} has shape {g.shape} but params[{key!r}] "
                            f"has shape {shape}; pass a gradient of the parameter's shape")
        return g
