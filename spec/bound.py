"""How far a correct floating-point implementation may be from the exact result.

The bound is derived from the rule's own equations by running error analysis
(Wilkinson; Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
sections 3.1 and 3.3).  Each quantity ``x`` of a step carries ``E(x)``, a bound
on ``|computed x - exact x| / u`` to first order, where ``u`` is the unit
roundoff of the precision the implementation works in:

- gradients and parameters are exact inputs, ``E = 0``; a hyperparameter may
  have been rounded once to the working precision, ``E = |h|``; a state brings
  its ``E`` from the previous step;
- an operation propagates its operands' errors through its exact partial
  derivatives (so an error in ``m`` is damped by ``beta1`` at the next step) and
  adds its own rounding, ``R(x)``;
- ``R(x)`` is the magnitude of the operation's operands with every sign made
  positive, where a decay rate or momentum coefficient counts as 1.  Counting
  the rate as 1 covers the equivalent forms an implementation may legitimately
  use: ``b*m + (1-b)*g`` rounds at about ``b|m|``, but the book's
  ``m += (1-b)*(g - m)`` rounds at ``|m|``.  Taking absolute values means
  cancellation (gradients of mixed sign) cannot shrink the bound.

`allowed_error` is ``FACTOR * u * E``.  ``FACTOR = 4`` covers what the first-order
count leaves out: an implementation that reaches a value through up to twice as
many roundings (``a * (1/d)`` for ``a / d``, ``g * g`` then a separate scale),
and second-order terms, which are below ``u`` times the first-order ones.

What it buys: in float64, ``u E`` for the update is about ``1e-14`` of the step
plus half an ULP of the parameter, so a relative error of ``1e-6`` in the step
is caught even under a parameter a thousand times larger than the step, which a
comparison of parameters with ``rtol = 1e-7`` cannot see.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ._rule import G, T, W, Rule

__all__ = ["FACTOR", "propagate", "compiled", "unit_roundoff", "allowed_error", "ulp"]

FACTOR = 4

_ZERO = sp.Integer(0)


class _dpow(sp.Function):
    """``|p| |d|**(p-1) E_d``: an error ``E_d`` of ``d`` carried through ``d**p``.

    Zero when ``E_d`` is zero (an exact zero under a root stays exact), which
    a plain product would turn into ``0 * inf``.
    """

    nargs = 3


def _dpow_numeric(d, p, e):
    if e == 0:
        return mpmath.mpf(0)
    d = abs(d)
    if d == 0:
        return mpmath.inf
    return abs(p) * d ** (p - 1) * e


def propagate(expr: sp.Expr, err: dict, mag: dict, values: dict,
              underflow: bool = False) -> tuple[sp.Expr, sp.Expr]:
    """``(E(expr), R-magnitude of expr)`` as expressions of the step's inputs.

    ``err`` and ``mag`` map each free symbol to its error and magnitude;
    ``values`` maps symbols assigned earlier in the step to their values.
    With ``underflow``, each rounding contributes 1 instead of its magnitude:
    the result ``D`` counts, weighted by the same derivatives, the absolute
    errors of at most half the smallest subnormal that gradual underflow adds.
    """
    def local(count, m):
        return count if underflow else count * m

    if expr.is_Symbol:
        return err[expr], mag[expr]
    if expr.is_Number:
        return _ZERO, abs(expr)
    if expr.is_Add:
        parts = [propagate(a, err, mag, values, underflow) for a in expr.args]
        m = sp.Add(*(p[1] for p in parts))
        return sp.Add(*(p[0] for p in parts)) + local(len(parts) - 1, m), m
    if expr.is_Mul:
        parts = [propagate(a, err, mag, values, underflow) for a in expr.args]
        vals = [sp.Abs(a.xreplace(values)) for a in expr.args]
        e = _ZERO
        for i, (ei, _) in enumerate(parts):
            if ei != 0:
                e += ei * sp.Mul(*(v for j, v in enumerate(vals) if j != i))
        m = sp.Mul(*(p[1] for p in parts))
        return e + local(len(parts) - 1, m), m
    if expr.is_Pow:
        base, p = expr.args
        eb, mb = propagate(base, err, mag, values, underflow)
        vb = sp.Abs(base.xreplace(values))
        if p.is_Integer and p > 0:
            m = mb**p
            return p * vb ** (p - 1) * eb + local(p - 1, m), m
        if p.is_Number:
            # a root or a division: the magnitude of a denominator is its value,
            # since a larger one would shrink the bound
            m = mb**p if p > 0 else vb**p
            return _dpow(vb, p, eb) + local(1, m), m
        # a rate to the power t: at most t roundings (a running product)
        m = mb**p
        return p * vb ** (p - 1) * eb + local(p, m), m
    if isinstance(expr, sp.Abs):  # exact: passes its operand's error through unchanged
        return propagate(expr.args[0], err, mag, values, underflow)
    if isinstance(expr, sp.Max):  # exact and 1-Lipschitz in each operand
        parts = [propagate(a, err, mag, values, underflow) for a in expr.args]
        return sp.Add(*(p[0] for p in parts)), sp.Add(*(p[1] for p in parts))
    if isinstance(expr, sp.Piecewise):  # the branch taken, chosen on exact values
        pieces = [(propagate(v, err, mag, values, underflow), c.xreplace(values))
                  for v, c in expr.args]
        return (sp.Piecewise(*((p[0], c) for p, c in pieces)),
                sp.Piecewise(*((p[1], c) for p, c in pieces)))
    raise TypeError(f"no error rule for {expr.func.__name__} in {expr}")


def _step_errors(rule: Rule, underflow: bool) -> tuple[list, list]:
    """The error of the new W and of each new state, and the state-error symbols."""
    prefix = "D" if underflow else "E"
    err: dict = {W: _ZERO, G: _ZERO, T: _ZERO}
    mag: dict = {W: sp.Abs(W), G: sp.Abs(G), T: T}
    for h in rule.hypers:
        err[h.symbol] = _ZERO if underflow else sp.Abs(h.symbol)
        mag[h.symbol] = sp.Integer(1) if h.domain.is_rate else sp.Abs(h.symbol)
    state_errors = [sp.Symbol(f"{prefix}_{s.name}", nonnegative=True) for s in rule.state_symbols]
    err.update(zip(rule.state_symbols, state_errors))
    mag.update({s: sp.Abs(s) for s in rule.state_symbols})
    values: dict = {}
    for target, expr in rule.assignments:
        e, _ = propagate(expr, err, mag, values, underflow)
        values[target] = expr.xreplace(values)
        err[target] = e
        mag[target] = sp.Abs(values[target])
    return [err[W]] + [err[s] for s in rule.state_symbols], state_errors


@lru_cache(maxsize=None)
def compiled(rule: Rule):
    """The step's error bounds, compiled to mpmath.

    ``(W, g, t, *states, *E_states, *D_states, *hypers)
    -> (E(W_new), D(W_new), *E(states_new), *D(states_new))``
    """
    e_out, e_in = _step_errors(rule, underflow=False)
    d_out, d_in = _step_errors(rule, underflow=True)
    outs = [e_out[0], d_out[0], *e_out[1:], *d_out[1:]]
    args = [W, G, T, *rule.state_symbols, *e_in, *d_in, *(h.symbol for h in rule.hypers)]
    return sp.lambdify(args, outs, modules=[{"_dpow": _dpow_numeric}, "mpmath"], cse=True)


def unit_roundoff(dtype) -> float:
    """``u``: half the distance from 1 to the next float of ``dtype``."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def allowed_error(error, underflow, dtype) -> np.ndarray:
    """The largest error a correct implementation working in ``dtype`` may have.

    ``error`` and ``underflow`` are ``E`` and ``D`` of the quantity compared
    (`spec.Oracle` with ``bounds=True`` gives them per step and key),
    elementwise: ``FACTOR * (u E + eta D)`` with ``eta`` half the smallest
    subnormal of ``dtype``.
    """
    tiny = float(np.finfo(np.dtype(dtype)).smallest_subnormal)
    e = np.asarray(error, dtype=np.float64)
    d = np.asarray(underflow, dtype=np.float64)
    # eta = tiny / 2 is not a float64 when tiny is float64's own: scale D first
    with np.errstate(over="ignore", under="ignore"):
        return FACTOR * e * unit_roundoff(dtype) + (FACTOR / 2 * d) * tiny


def ulp(x, dtype) -> np.ndarray:
    """The spacing of ``dtype`` floats at ``x`` (elementwise), for reporting errors in ULPs."""
    dt = np.dtype(dtype)
    x = np.abs(np.asarray(x, dtype=np.float64)).astype(dt)
    return np.spacing(x).astype(np.float64)
