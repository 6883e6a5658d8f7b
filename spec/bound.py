"""How far a correct floating-point implementation may be from the exact result.

The bound is derived from the rule's own equations by running error analysis
(Wilkinson; Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
sections 3.1 and 3.3).  Each quantity ``x`` of a step carries ``E(x)``, a bound
on ``|computed x - exact x| / u`` to first order, where ``u`` is the unit
roundoff of the precision the implementation works in:

- gradients and the initial parameters are exact inputs, ``E = 0``; a
  hyperparameter may have been rounded once to the working precision,
  ``E = |h|``; a state brings its ``E`` from the previous step, and so does the
  parameter itself: an implementation's W after k steps carries its rounding,
  which a rule that reads W (weight decay) passes into the next updates;
- an operation propagates its operands' errors through its exact partial
  derivatives (so an error in ``m`` is damped by ``beta1`` at the next step) and
  adds its own rounding, ``R(x)``;
- ``R(x)`` is the magnitude of the operation's operands with every sign made
  positive, where a decay rate or momentum coefficient counts as 1 (in the
  underflow channel: 1 per rounding, 0 where that magnitude is 0, `_nz`).
  Counting the rate as 1 covers the equivalent forms an implementation may legitimately
  use: ``b*m + (1-b)*g`` rounds at about ``b|m|``, but the book's
  ``m += (1-b)*(g - m)`` rounds at ``|m|``.  Taking absolute values means
  cancellation (gradients of mixed sign) cannot shrink the bound.

A state the rule keeps in float32 whatever the parameter's dtype (torch's
NAdam ``mu_product``, `State.dtype`) has its roundings counted apart, in
units of float32's ``u`` (``F``), and carried through the same derivatives;
a float64 implementation is allowed those float32 roundings and no others.

A branch of a ``Piecewise`` that depends only on the step and the
hyperparameters (a flag, ``momentum == 0``, RAdam's ``rho_t > 5``) is decided
before the bound is derived (`spec._specialise`), so the bound is that of
the branch the exact values select.

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

import linecache
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from . import _cache
from ._rule import G, T, W, Rule, minus

__all__ = ["FACTOR", "propagate", "compiled", "unit_roundoff", "allowed_error", "ulp"]

FACTOR = 4

_ZERO = sp.Integer(0)


class _dpow(sp.Function):
    """``E(d**p)`` from ``E_d``: ``|p| |d|**(p-1) E_d``, the first-order term.

    Zero when ``E_d`` is zero (an exact zero under a root stays exact), which
    a plain product would turn into ``0 * inf``.  For a root (``0 < p < 1``)
    near 0 the derivative grows without bound while the error cannot:
    ``|(d + x)**p - d**p| <= |x|**p`` for any ``x``; in the channel's units of
    ``s`` (the unit roundoff, or half the smallest subnormal, of float64: the
    smallest there is, so the most this can be in any dtype) that is
    ``s**(p-1) E_d**p``, taken where it is the smaller (only when ``s E_d``
    exceeds ``|d|``).  Without it, a state that is 0 in exact arithmetic but
    may be off by an underflow (``v`` of a subnormal gradient) gave an
    infinite bound, which accepts anything.
    """

    nargs = 4


class _nz(sp.Function):
    """1 where its argument is nonzero, 0 where it is 0: whether an underflow can happen.

    Gradual underflow adds an absolute error only where a rounding happens, and
    an operation whose operands are exact zeros (its magnitude, the sum or
    product of their magnitudes, is 0) rounds nothing.  Counting one there
    anyway made ``D`` of ``v`` positive after a zero gradient, and the root
    of a 0 that may be off has an infinite derivative: the bound was NaN and
    accepted anything on that element.  An operand that is 0 exactly yet
    carries an error is computed as a tiny number: that error is carried by
    its derivative already, and the rounding of the product of such a number,
    at most one more unit, is within ``FACTOR``.
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        # structural only: assumptions on these large sums are slow to query
        if x.is_Number:
            return _ZERO if x == 0 else sp.Integer(1)
        if x.is_Add and any(a.is_Number and a > 0 for a in x.args):
            return sp.Integer(1)  # nonnegative terms, one positive
        return None


def _nz_numeric(x):
    return 0 if x == 0 else 1


def _dpow_numeric(d, p, e, s):
    if e == 0:
        return mpmath.mpf(0)
    d = abs(d)
    if 0 < p < 1 and s * e > d:
        root = s ** (p - 1) * e ** p
        return root if d == 0 else min(root, p * d ** (p - 1) * e)
    if d == 0:
        return mpmath.inf
    return abs(p) * d ** (p - 1) * e


#: ``s`` of `_dpow` per channel: u of float64, half its smallest subnormal, u of float32
SCALES = {"E": sp.Rational(1, 2**53), "D": sp.Rational(1, 2**1075), "F": sp.Rational(1, 2**24)}


def propagate(expr: sp.Expr, err: dict, mag: dict, values: dict,
              underflow: bool = False, rounding: int = 1,
              scale: sp.Expr | None = None) -> tuple[sp.Expr, sp.Expr]:
    """``(E(expr), R-magnitude of expr)`` as expressions of the step's inputs.

    ``err`` and ``mag`` map each free symbol to its error and magnitude;
    ``values`` maps symbols assigned earlier in the step to their values.
    With ``underflow``, each rounding contributes 1 instead of its magnitude:
    the result ``D`` counts, weighted by the same derivatives, the absolute
    errors of at most half the smallest subnormal that gradual underflow adds.
    ``rounding`` weighs the expression's own roundings (0: they are counted in
    another channel; 2: each operand is rounded once more on the way in).
    ``scale``: the size of the channel's unit (`SCALES`), for roots near 0 (`_dpow`);
    float64's unit roundoff, or half its smallest subnormal with ``underflow``, if None.
    """
    if scale is None:
        scale = SCALES["D" if underflow else "E"]
    def local(count, m):
        return rounding * count * (_nz(m) if underflow else m)

    def sub(a):
        return propagate(a, err, mag, values, underflow, rounding, scale)

    if expr.is_Symbol:
        return err[expr], mag[expr]
    if expr.is_integer and expr.free_symbols <= {T}:  # t + 1: a step count, exact in floats
        return _ZERO, abs(expr)
    if expr.is_Number:
        return _ZERO, abs(expr)
    if expr.is_Add:
        parts = [sub(a) for a in expr.args]
        m = sp.Add(*(p[1] for p in parts))
        return sp.Add(*(p[0] for p in parts)) + local(len(parts) - 1, m), m
    if expr.is_Mul:
        parts = [sub(a) for a in expr.args]
        vals = [sp.Abs(a.xreplace(values)) for a in expr.args]
        e = _ZERO
        for i, (ei, _) in enumerate(parts):
            if ei != 0:
                e += ei * sp.Mul(*(v for j, v in enumerate(vals) if j != i))
        m = sp.Mul(*(p[1] for p in parts))
        return e + local(len(parts) - 1, m), m
    if expr.is_Pow:
        base, p = expr.args
        eb, mb = sub(base)
        vb = sp.Abs(base.xreplace(values))
        if p.is_Integer and p > 0:
            m = mb**p
            return p * vb ** (p - 1) * eb + local(p - 1, m), m
        if p.is_Number:
            # a root or a division: the magnitude of a denominator is its value,
            # since a larger one would shrink the bound
            m = mb**p if p > 0 else vb**p
            return _dpow(vb, p, eb, scale) + local(1, m), m
        # a rate to the power t: at most t roundings (a running product); a real power
        # such as 0.96 ** (t psi) is one call of pow, at least one rounding
        m = mb**p
        e = p * vb ** (p - 1) * eb + local(sp.Max(1, p), m)
        ep, _ = sub(p)
        if ep != 0:  # the exponent's own error: d(b^p)/dp = log(b) b^p
            e += sp.Abs(sp.log(vb)) * vb**p * ep
        return e, m
    if isinstance(expr, sp.Abs):  # exact: passes its operand's error through unchanged
        return sub(expr.args[0])
    if isinstance(expr, sp.Max):  # exact and 1-Lipschitz in each operand
        parts = [sub(a) for a in expr.args]
        return sp.Add(*(p[0] for p in parts)), sp.Add(*(p[1] for p in parts))
    if isinstance(expr, sp.Piecewise):  # the branch taken, chosen on exact values
        pieces = [(sub(v), c.xreplace(values)) for v, c in expr.args]
        return (sp.Piecewise(*((p[0], c) for p, c in pieces)),
                sp.Piecewise(*((p[1], c) for p, c in pieces)))
    raise TypeError(f"no error rule for {expr.func.__name__} in {expr}")


def _float32_states(rule: Rule) -> set:
    return {s.symbol for s in rule.states if s.dtype == "float32"}


def _step_errors(rule: Rule, channel: str) -> tuple[list, list]:
    """The error of the update and of each new state, and the input-error symbols
    (of W, then of each state).

    ``channel``: ``"E"`` the roundings in the working precision (hyperparameters
    rounded once to it), ``"D"`` gradual underflow, ``"F"`` the roundings of
    states kept in float32 (`State.dtype`), each operand counted as rounded on
    the way in as well.  The update's error is the new W's less the error of W
    it carries as a summand (the comparison subtracts the implementation's own
    W); the new W's is the update's plus W's, carried to the next step.
    """
    underflow = channel == "D"
    f32 = _float32_states(rule)
    w_error = sp.Symbol(f"{channel}_W", nonnegative=True)
    err: dict = {W: w_error, G: _ZERO, T: _ZERO}
    mag: dict = {W: sp.Abs(W), G: sp.Abs(G), T: T}
    for h in rule.hypers:
        err[h.symbol] = sp.Abs(h.symbol) if channel == "E" and not h.flag else _ZERO
        mag[h.symbol] = sp.Integer(1) if h.domain.is_rate else sp.Abs(h.symbol)
    state_errors = [sp.Symbol(f"{channel}_{s.name}", nonnegative=True)
                    for s in rule.state_symbols]
    err.update(zip(rule.state_symbols, state_errors))
    mag.update({s: sp.Abs(s) for s in rule.state_symbols})
    values: dict = {}
    for target, expr in rule.assignments:
        if channel == "F":
            weight = 2 if target in f32 else 0
        else:
            weight = 0 if channel == "E" and target in f32 else 1
        e, _ = propagate(expr, err, mag, values, underflow, weight, SCALES[channel])
        values[target] = expr.xreplace(values)
        err[target] = e
        mag[target] = sp.Abs(values[target])
    return ([minus(err[W], w_error)] + [err[s] for s in rule.state_symbols],
            [w_error, *state_errors])


@lru_cache(maxsize=None)
def compiled(rule: Rule):
    """The step's error bounds, compiled to mpmath (`derive`), or the same code as derived
    before, from the cache on disk (`spec._cache`)."""
    key = _cache.key("bound", _cache.definition(rule))
    source = _cache.load(key)
    if source is not None:
        try:
            return _load(source, key)
        except (SyntaxError, ValueError):  # not what `derive` wrote: derived, and kept, again
            pass
    fn = derive(rule)
    source = "".join(linecache.getlines(fn.__code__.co_filename))
    if source:
        _cache.store(key, source)
    return fn


def derive(rule: Rule):
    """The step's error bounds, compiled to mpmath.

    ``(W, g, t, *states, E_W, *E_states, D_W, *D_states, F_W, *F_states, *hypers)
    -> (E(update), D(update), F(update), *E(states_new), *D(states_new), *F(states_new))``

    ``E_W`` is the error W carries from the previous steps (zero at the first);
    the new W carries ``E_W + E(update)``.  ``F`` (float32 roundings of states
    kept in float32) is identically zero for a rule with no such state.  A rule with flags or step-level branches is
    compiled per specialisation (`spec._specialise`); compiled on the rule
    itself, a branch is chosen on the exact values at run time.
    """
    e_out, e_in = _step_errors(rule, "E")
    d_out, d_in = _step_errors(rule, "D")
    if _float32_states(rule):
        f_out, f_in = _step_errors(rule, "F")
    else:
        f_in = [sp.Symbol("F_W", nonnegative=True)] + [
            sp.Symbol(f"F_{s.name}", nonnegative=True) for s in rule.state_symbols]
        f_out = [_ZERO] * len(f_in)
    outs = [e_out[0], d_out[0], f_out[0], *e_out[1:], *d_out[1:], *f_out[1:]]
    args = [W, G, T, *rule.state_symbols, *e_in, *d_in, *f_in, *(h.symbol for h in rule.hypers)]
    return sp.lambdify(args, outs, modules=_MODULES, cse=True, use_imps=False)


_MODULES = [{"_dpow": _dpow_numeric, "_nz": _nz_numeric}, "mpmath"]


@lru_cache(maxsize=None)
def _namespace() -> dict:
    """What ``lambdify`` gives the code it generates with `_MODULES` (mpmath's names, ours)."""
    return sp.lambdify([], 0, modules=_MODULES, use_imps=False).__globals__


def _load(source: str, key: str):
    """`derive`'s function, from its source: run in a namespace like the one ``lambdify``
    makes, and kept in `linecache` as ``lambdify`` keeps it (`spec._mpfr` reads it)."""
    filename = f"<bound-{key[:16]}>"
    namespace, local = dict(_namespace()), {}
    exec(compile(source, filename, "exec"), namespace, local)
    if list(local) != ["_lambdifygenerated"]:
        raise ValueError(f"the cached code {filename} defines {list(local)}")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return local["_lambdifygenerated"]


def unit_roundoff(dtype) -> float:
    """``u``: half the distance from 1 to the next float of ``dtype``."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def allowed_error(error, underflow, dtype, error_f32=None) -> np.ndarray:
    """The largest error a correct implementation working in ``dtype`` may have.

    ``error`` and ``underflow`` are ``E`` and ``D`` of the quantity compared
    (`spec.Oracle` with ``bounds=True`` gives them per step and key; pass ``D``
    as the oracle's mpf values, which may be beyond float64's range),
    elementwise: ``FACTOR * (u E + u32 F + eta D)`` with ``eta`` half the
    smallest subnormal of ``dtype``; ``error_f32`` is ``F``, the error made by
    states kept in float32 whatever ``dtype`` (None: there are none).
    """
    tiny = float(np.finfo(np.dtype(dtype)).smallest_subnormal)
    e = np.asarray(error, dtype=np.float64)
    # D counts units of eta (2**-1075 in float64): D above 2**1024, an absolute error of
    # 4e-16, is no float64, so it is scaled exactly (by a power of two, in mpmath) first
    scale = FACTOR / 2 * tiny
    d = np.array([float(mpmath.mpf(x) * scale) for x in np.ravel(np.asarray(underflow,
                                                                             dtype=object))],
                 dtype=np.float64).reshape(np.shape(underflow))
    with np.errstate(over="ignore", under="ignore"):
        out = FACTOR * e * unit_roundoff(dtype) + d
        if error_f32 is not None:
            out = out + FACTOR * np.asarray(error_f32, dtype=np.float64) * unit_roundoff(
                np.float32)
    return out


def ulp(x, dtype) -> np.ndarray:
    """The spacing of ``dtype`` floats at ``x`` (elementwise), for reporting errors in ULPs."""
    dt = np.dtype(dtype)
    x = np.abs(np.asarray(x, dtype=np.float64)).astype(dt)
    return np.spacing(x).astype(np.float64)
