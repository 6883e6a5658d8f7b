"""The oracle: a rule compiled once to mpmath and run at high precision.

Every float input (parameters, gradients and hyperparameters alike) enters as
its exact binary value: the double nearest 0.9 is 0.90000000000000002220...,
not 9/10.  Each step is then evaluated at ``dps`` significant digits (50 by
default) plus guard bits, each operation correctly rounded by mpmath.  Nothing
here knows any optimizer: the step is compiled from `Rule.assignments` by
`spec._codegen` (the error bounds by ``sympy.lambdify``), after the rule's
flags and step-level branches are decided for each step and key
(`spec._specialise`); each combination is compiled once.

With gmpy2 installed, each key's elements run in MPFR (`spec._mpfr`): the same
operations, each correctly rounded the same way, so the same bits, about three
times faster.  Wherever a value would not be finite (0/0, a root of a negative,
an input that is not finite) that key's step runs the mpmath kernel instead,
and so do its later steps while its state (or the W it reads) holds what that
kernel made.  Results are kept as mpfr and turned into the same exact libmp
tuples on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp
from mpmath import libmp

from . import _mpfr, bound
from ._codegen import compile_rule
from ._mpfr import to_raw
from ._registry import get
from ._rule import Rule
from ._specialise import specialiser
from .errors import InvalidHyperparameter, SpecError

__all__ = ["Driver", "CORRECT", "Oracle", "Trajectory", "OracleStep", "exact", "to_float"]

GUARD_BITS = 16  # beyond the requested digits, so a few roundings cost none of them


@dataclass(frozen=True)
class Driver:
    """How an implementation drives the steps: its step counter and the scope of its state.

    Correct code advances ``t`` once per ``update`` call, before using it, and
    keeps one state per key for as long as the instance lives.  Named mistakes
    (`spec.mistakes`) change this: ``t(step, key_index, n_keys)`` gives the
    counter a key sees at a step, ``reset_state`` starts every call from the
    initial state, ``shared_state`` runs every key through one state.
    """

    t: Callable[[int, int, int], int] = lambda step, key_index, n_keys: step
    reset_state: bool = False
    shared_state: bool = False


CORRECT = Driver()


def exact(x: Any) -> mpmath.mpf:
    """The exact value of a float (any NumPy float or Python number) as an mpf."""
    return mpmath.mpf(float(x))  # float() of a float16/32/64 is exact


def _raw(x: Any) -> tuple:
    return libmp.from_float(float(x))


_compile = lru_cache(maxsize=None)(compile_rule)


@lru_cache(maxsize=None)
def _bound_step(rule: Rule, prec: int):
    return _compile(rule).bind(prec)


@lru_cache(maxsize=None)
def _bound_fast(rule: Rule, prec: int):
    return _compile(rule).bind_fast(prec)


def _constants(rule: Rule | None, prec: int, t: int, hv: list, fast: bool):
    """A step's constants for the mpmath kernel (None where they are not finite, as
    1 - beta**0 = 0 at t = 0), and the same exactly as mpfr (None without a fast kernel)."""
    if rule is None:  # a branch that cannot even be decided
        return None, None
    try:
        consts = _bound_step(rule, prec)[0](t, *hv)
    except (ZeroDivisionError, ValueError, libmp.ComplexResult):
        return None, None
    if not fast or _bound_fast(rule, prec) is None:
        return consts, None
    as_mpfr = [c if type(c) is not tuple else _mpfr.to_mpfr(c, prec) for c in consts]
    return consts, (None if None in as_mpfr else as_mpfr)


def _is_raw(values: list) -> bool:
    """Whether a list of values holds libmp tuples (not mpfr, and not empty)."""
    return bool(values) and type(values[0]) is tuple


def _accumulate(w: list, update: list, prec: int) -> list:
    """W + update, exactly: in mpfr while both are (and the sum fits), else in libmp."""
    if not _is_raw(w) and not _is_raw(update) and w:
        try:
            return _mpfr.exact_sum(w, update, prec)
        except _mpfr.TRAPPED:
            pass
    add, R = libmp.mpf_add, libmp.round_nearest
    return [add(a, b, 0, R) for a, b in zip(to_raw(w), to_raw(update))]


def _initial(expr: sp.Expr, prec: int) -> tuple:
    """A state's initial value, exactly when it is a rational (a hyperparameter's float)."""
    if expr.is_Rational:
        return libmp.from_rational(int(expr.p), int(expr.q), prec, libmp.round_nearest)
    return libmp.from_str(str(sp.N(expr, libmp.prec_to_dps(prec) + 10)), prec,
                          libmp.round_nearest)


def _object_array(values: list, shape) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for i, x in enumerate(values):
        out.flat[i] = x
    return out


def _mpf_array(raw: list, shape) -> np.ndarray:
    make = mpmath.mp.make_mpf
    return _object_array([make(x) for x in raw], shape)


class OracleStep:
    """Parameters, update and state after step ``t`` (object arrays of mpf).

    ``update`` is ``W_t - W_(t-1)`` computed directly at full precision, not as
    the difference of two rounded parameters.  ``error`` and ``underflow`` hold,
    per key, the error bounds ``E`` and ``D`` of the new parameter from
    `spec.bound` (when the oracle ran with ``bounds=True``): a correct
    implementation is within ``bound.allowed_error(error, underflow, dtype,
    error_f32)``; ``error_f32`` (None unless the rule keeps a state in float32
    whatever the parameter's dtype, as torch's NAdam does) is the part of the
    error made in float32.  The arrays are built from the raw results on first use;
    so are the raw tuples, where the fast kernel left mpfr (`spec._mpfr`).
    """

    def __init__(self, t, hypers, shapes, raw_params, raw_update, raw_state, error, underflow,
                 previous=None, prec=None, error_f32=None):
        self.t = t
        self.hypers = hypers
        self.error = error
        self.underflow = underflow
        self.error_f32 = error_f32
        self._shapes = shapes
        self._raw = [raw_params, raw_update, raw_state]  # lists of mpfr or of libmp tuples
        self._tuple_lists: dict = {}  # the same as libmp tuples, made on first use
        self._previous, self._prec = previous, prec
        self._cache: dict = {}

    def _tuples(self, which: int) -> dict:
        """Params (0), update (1) or state (2) as lists of libmp tuples (exact conversion)."""
        if which not in self._tuple_lists:
            raw = self._params() if which == 0 else self._raw[which]
            self._tuple_lists[which] = (
                {name: {k: to_raw(v) for k, v in per_key.items()} for name, per_key in raw.items()}
                if which == 2 else {k: to_raw(v) for k, v in raw.items()})
        return self._tuple_lists[which]

    def _params(self) -> dict[str, list]:
        """The new W, as it was made (mpfr or libmp tuples); accumulated on first use."""
        if self._raw[0] is None:
            prev = self._previous() if callable(self._previous) else self._previous._params()
            self._raw[0] = {k: _accumulate(prev[k], u, self._prec)
                            for k, u in self._raw[1].items()}
        return self._raw[0]

    def raw_params(self) -> dict[str, list]:
        """The new W as raw mpf tuples; accumulated on first use when the run did not need it.

        The sum W + update is exact (no rounding), so W carries exactly the
        error of the updates that formed it, however much they cancel.
        """
        return self._tuples(0)

    def _arrays(self, which: int) -> dict:
        if which not in self._cache:
            raw = self._tuples(which)
            self._cache[which] = {k: _mpf_array(v, self._shapes[k]) for k, v in raw.items()}
        return self._cache[which]

    @property
    def params(self) -> dict[str, np.ndarray]:
        return self._arrays(0)

    @property
    def update(self) -> dict[str, np.ndarray]:
        return self._arrays(1)

    @property
    def state(self) -> dict[str, dict[str, np.ndarray]]:
        if 2 not in self._cache:
            self._cache[2] = {name: {k: _mpf_array(v, self._shapes[k]) for k, v in per_key.items()}
                              for name, per_key in self._tuples(2).items()}
        return self._cache[2]


class Trajectory:
    """The initial parameters and every step after them."""

    def __init__(self, rule: Rule, dps: int, arrays: dict, steps: list[OracleStep]):
        self.rule, self.dps, self.steps = rule, dps, steps
        self._arrays = arrays
        self._initial = None

    @property
    def initial(self) -> dict[str, np.ndarray]:
        """The initial parameters, exactly (object arrays of mpf)."""
        if self._initial is None:
            self._initial = {k: _object_array([exact(x) for x in a.ravel()], a.shape)
                             for k, a in self._arrays.items()}
        return self._initial

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
    """Round an object array of mpf to ``dtype``, to nearest (ties to even).

    Rounds once, to the dtype's mantissa width, so float32 results are not
    double-rounded through float64 (outside the subnormal range).
    """
    dt = np.dtype(dtype)
    bits = np.finfo(dt).nmant + 1
    flat = [libmp.to_float(libmp.mpf_pos(x._mpf_, bits, libmp.round_nearest)) for x in a.ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(a.shape).astype(dt)


def _check_floats(value: Any, what: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.floating)
                                   or np.issubdtype(arr.dtype, np.integer)):
        raise SpecError(f"{what} must be a float or an array of floats, got {arr.dtype}; "
                        f"pass np.asarray(..., dtype=np.float64)")
    return arr


class Oracle:
    """A rule compiled to mpmath, evaluated on the exact values of float inputs.

    >>> traj = Oracle("sgd", dps=50).run({"w": 1.0}, {"w": 0.5}, {"lr": 0.1}, steps=2)
    >>> float(traj.params(2)["w"])
    0.9
    """

    def __init__(self, rule: Rule | str, dps: int = 50):
        self.rule = get(rule) if isinstance(rule, str) else rule
        if not isinstance(dps, int) or dps < 20:
            raise SpecError(f"dps = {dps!r} is too low for an oracle; pass an int >= 20 "
                            f"(50 is the default)")
        self.dps = dps
        self.prec = libmp.dps_to_prec(dps) + GUARD_BITS
        self._specialiser = specialiser(self.rule)
        self._fast = _mpfr.AVAILABLE  # False runs mpmath's kernel alone (tests, benchmarks)

    def run(
        self,
        params: Mapping[str, Any],
        grads: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        hypers: Mapping[str, float] | Sequence[Mapping[str, float]] | None = None,
        steps: int | None = None,
        bounds: bool = False,
        driver: Driver = CORRECT,
    ) -> Trajectory:
        """Run ``steps`` steps from ``params``.

        ``grads`` is one dict of gradients per step (or a single dict used at
        every step, with ``steps`` given); ``hypers`` is one dict (used at every
        step) or one per step, so a learning rate can change between steps (a
        flag, given as a bool or 0/1, may change too).  Missing hyperparameters
        take the rule's defaults; invalid ones, or a combination the source
        rejects (`Rule.admits`), raise `InvalidHyperparameter`.  A state whose
        initial value reads hyperparameters takes the first step's values.
        Each step and key runs the kernel of the branch it takes (flags and
        step-level conditions decided exactly, `spec._specialise`), compiled
        once per branch.  ``bounds`` also computes the error bounds
        that `spec.compare` needs.  ``driver`` models how a (mistaken)
        implementation drives the steps; the default is the correct one.
        """
        rule = self.rule
        grads_seq = self._per_step(grads, steps, "grads")
        n = len(grads_seq)
        hypers_seq = self._per_step({} if hypers is None else hypers, n, "hypers")
        resolved = [rule.resolve(h) for h in hypers_seq]
        for hyp in resolved:
            reason = rule.admits(hyp)
            if reason is not None:
                raise InvalidHyperparameter(reason)
        arrays = {k: _check_floats(v, f"params[{k!r}]") for k, v in params.items()}
        shapes = {k: a.shape for k, a in arrays.items()}
        P, from_float = self.prec, libmp.from_float
        keys = list(arrays)
        # which branch each step and key takes, and the kernel compiled for it
        sp_ = self._specialiser
        plan = [[sp_.key(driver.t(t, i, len(keys)), hyp, P) for i in range(len(keys))]
                for t, hyp in enumerate(resolved, start=1)]
        kernels = {k: sp_.rule(k) for row in plan for k in row if k is not None}
        reads_w = any(_compile(r).reads_w for r in kernels.values())

        # the mpfr kernel runs a key while its values are finite (`spec._mpfr`); a key
        # whose state (or the W it reads) holds libmp tuples runs the mpmath kernel
        fast = self._fast
        with mpmath.workprec(self.prec):
            flat = {k: a.astype(np.float64).ravel() for k, a in arrays.items()}
            w = {k: (_mpfr.from_floats(a.tolist(), P) if fast and np.isfinite(a).all()
                     else [from_float(x) for x in a.tolist()]) for k, a in flat.items()}
            at = rule.substitution(resolved[0])
            init_exprs = [s.init.xreplace(at) for s in rule.states]
            inits = [_initial(e, P) for e in init_exprs]
            if fast and inits:
                as_mpfr = [_mpfr.to_mpfr(x, P) for x in inits]
                inits = inits if None in as_mpfr else as_mpfr
            fresh = {k: [[x] * len(w[k]) for x in inits] for k in w}
            st = {k: [list(v) for v in fresh[k]] for k in w}
            if driver.shared_state and len({len(v) for v in w.values()}) > 1:
                raise SpecError(f"{rule.name}: one state shared by keys of different sizes "
                                f"cannot be evaluated elementwise; give every key the same shape")
            # a state that starts at a hyperparameter starts with that value's rounding
            init_err = [abs(mpmath.mpf(sp.N(e, 20))) if s.init.free_symbols else mpmath.mpf(0)
                        for s, e in zip(rule.states, init_exprs)]
            tracker = _BoundTracker(rule, w, init_err, fast) if bounds else None
            out_steps = []
            # W is accumulated now only if something needs it now; otherwise on first use
            eager = bounds or reads_w
            initial = dict(w)
            previous = lambda: initial  # noqa: E731
            for t, (g_dict, hyp) in enumerate(zip(grads_seq, resolved), start=1):
                hv = [_raw(hyp[h.name]) for h in rule.hypers]
                raw_params, raw_update = {}, {}
                raw_state = {s.name: {} for s in rule.states}
                if driver.reset_state:
                    st = {k: [list(v) for v in fresh[k]] for k in w}
                    if tracker:
                        tracker.reset()
                shared = st[keys[0]] if keys else None
                consts_of: dict = {}  # (branch, t) -> the step's constants, libmp and mpfr
                for index, key in enumerate(keys):
                    t_key = driver.t(t, index, len(keys))
                    which = plan[t - 1][index]
                    step_rule = kernels[which] if which is not None else None
                    if (which, t_key) not in consts_of:
                        consts_of[which, t_key] = _constants(step_rule, P, t_key, hv, fast)
                    consts, fast_consts = consts_of[which, t_key]
                    g_arr = self._grad(g_dict, key, shapes[key], t).astype(np.float64).ravel()
                    g_list = g_arr.tolist()
                    states = shared if driver.shared_state else st[key]
                    out = None
                    if (fast_consts is not None and not any(map(_is_raw, states))
                            and not (reads_w and _is_raw(w[key])) and np.isfinite(g_arr).all()):
                        try:
                            out = _bound_fast(step_rule, P)(
                                w[key], _mpfr.from_floats(g_list, P), *states, fast_consts)
                        except _mpfr.TRAPPED:
                            out = None  # a value would not be finite: mpmath decides it
                    if out is None or (tracker and not tracker.fast):
                        # the values before the step, as tuples
                        g = [from_float(x) for x in g_list]
                        w_raw, states_raw = to_raw(w[key]), [to_raw(s) for s in states]
                    if tracker and tracker.fast:  # takes them as they are
                        tracker.step(key, shapes[key], t_key, w[key], g_list, states, hyp,
                                     keys[0] if driver.shared_state else key,
                                     step_rule or rule)
                    elif tracker:
                        tracker.step(key, shapes[key], t_key, w_raw, g, states_raw, hyp,
                                     keys[0] if driver.shared_state else key,
                                     step_rule or rule)
                    if out is not None:
                        upd, *new_states = out
                    elif consts is None:
                        nan = [libmp.fnan] * len(w[key])
                        upd, *new_states = [nan] + [list(nan) for _ in rule.states]
                    else:
                        upd, *new_states = _bound_step(step_rule, P)[1](w_raw, g, *states_raw,
                                                                        consts)
                    if driver.shared_state:
                        shared = new_states
                    st[key] = new_states
                    raw_update[key] = upd
                    if eager:
                        w[key] = raw_params[key] = _accumulate(w[key], upd, P)
                    for s, values in zip(rule.states, new_states):
                        raw_state[s.name][key] = values
                step = OracleStep(
                    t, hyp, shapes, raw_params if eager else None, raw_update, raw_state,
                    tracker.error if tracker else None, tracker.underflow if tracker else None,
                    previous, P, tracker.error_f32 if tracker else None)
                out_steps.append(step)
                previous = step
                if tracker:
                    tracker.next_step()
        return Trajectory(rule, self.dps, {k: a.copy() for k, a in arrays.items()}, out_steps)

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
        g = _check_floats(g_dict[key], f"grads[{key!r}] of step {t}")
        if g.shape != shape:
            raise SpecError(f"grads[{key!r}] of step {t} has shape {g.shape} but params[{key!r}] "
                            f"has shape {shape}; pass a gradient of the parameter's shape")
        return g


#: the precision the bounds are evaluated at: mpmath's at 20 digits
BOUND_PREC = libmp.dps_to_prec(20)


@lru_cache(maxsize=None)
def _bound_mpfr(rule: Rule):
    """The bound of `spec.bound.compiled` run on mpfr (`spec._mpfr.bound_function`)."""
    return _mpfr.bound_function(bound.compiled(rule))


class _BoundTracker:
    """Runs the error bounds of `spec.bound` beside the oracle (20 digits).

    Each step uses the bound of the branch the step takes (the specialised rule).
    With ``fast`` (gmpy2), the carried errors are mpfr and each element runs the
    bound's own code on mpfr in a context of the same precision, every operation
    correctly rounded as mpmath's are, with MPFR's exceptions trapped: an element
    where a value would not be finite (a division by zero, a root of a negative), or
    a rule whose bound calls something mpfr lacks, runs the mpmath bound instead, on
    the same values, exactly converted.  The arrays it gives are mpf either way.
    """

    def __init__(self, rule: Rule, w: dict, init_err: list, fast: bool = False):
        self.rule = rule
        self.fast = bool(fast) and _mpfr.AVAILABLE
        self._sizes = {k: len(v) for k, v in w.items()}
        self._init_err = ([_mpfr.from_mpmath(e) for e in init_err] if self.fast
                          else init_err)
        self._f32 = any(s.dtype == "float32" for s in rule.states)
        zero = self._zero()
        # per key: E, D and F of W, carried from step to step (the initial W is exact)
        self.w_err = {k: [[zero] * n for _ in range(3)] for k, n in self._sizes.items()}
        self.reset()
        self.next_step()

    def _zero(self):
        return _mpfr.from_mpmath(0) if self.fast else mpmath.mpf(0)

    def reset(self):
        zero = self._zero()
        ns = len(self.rule.states)
        # per key: E of each state, then D of each state, then F (float32) of each state
        self.state_err = {k: [[e] * n for e in self._init_err] + [[zero] * n for _ in range(2 * ns)]
                          for k, n in self._sizes.items()}

    def next_step(self):
        self.error, self.underflow = {}, {}
        self.error_f32 = {} if self._f32 else None

    def step(self, key, shape, t, w, g, states, hyp, state_key=None, rule=None):
        """One step of ``key``: ``w``, ``g`` and ``states`` are its values before the step
        (libmp tuples; with ``fast``, lists of mpfr, of libmp tuples or, for ``g``, of
        floats)."""
        if self.fast:
            return self._step_fast(key, shape, t, w, g, states, hyp, state_key, rule)
        fn = bound.compiled(rule or self.rule)
        make = mpmath.mp.make_mpf
        ns = len(self.rule.states)
        hv = [mpmath.mpf(hyp[h.name]) for h in self.rule.hypers]
        err, under, f32 = [], [], []
        se = self.state_err[key if state_key is None else state_key]
        we = self.w_err[key]
        with mpmath.workdps(20):
            for i in range(len(w)):
                ins = []
                for c in range(3):  # E, D, F: W's, then the states'
                    ins.append(we[c][i])
                    ins.extend(e[i] for e in se[c * ns:(c + 1) * ns])
                try:
                    out = fn(make(w[i]), make(g[i]), t, *(make(s[i]) for s in states), *ins, *hv)
                except (ZeroDivisionError, ValueError):
                    out = [mpmath.inf] * (3 + 3 * ns)
                err.append(out[0])
                under.append(out[1])
                f32.append(out[2])
                for c in range(3):
                    we[c][i] = we[c][i] + out[c]
                for j, x in enumerate(out[3:]):
                    se[j][i] = x
        self._store(key, shape, err, under, f32)

    def _store(self, key, shape, err, under, f32):
        self.error[key] = _object_array(err, shape)
        self.underflow[key] = _object_array(under, shape)
        if self.error_f32 is not None:
            self.error_f32[key] = _object_array(f32, shape)

    def _step_fast(self, key, shape, t, w, g, states, hyp, state_key, rule):
        rule = rule or self.rule
        fn, ffn = bound.compiled(rule), _bound_mpfr(rule)
        ns = len(self.rule.states)
        P = BOUND_PREC
        exact, num = _mpfr.from_tuple, _mpfr.from_float
        w = [exact(x, P) for x in w] if _is_raw(w) else w
        g = [num(float(x)) for x in g]
        states = [[exact(x, P) for x in s] if _is_raw(s) else s for s in states]
        hv = [num(float(hyp[h.name])) for h in self.rule.hypers]
        err, under, f32 = [], [], []
        se = self.state_err[key if state_key is None else state_key]
        we = self.w_err[key]
        # every operation rounded to P bits, every exception trapped; the sums carried from
        # step to step trap nothing (inf - inf is NaN, as in mpmath)
        ctx, plain = _mpfr.context(P), _mpfr.plain(P)
        n_out = 3 + 3 * ns
        with mpmath.workdps(20):  # for the powers and logarithms, which are mpmath's
            for i in range(len(w)):
                ins = []
                for c in range(3):  # E, D, F: W's, then the states'
                    ins.append(we[c][i])
                    ins.extend(e[i] for e in se[c * ns:(c + 1) * ns])
                args = [w[i], g[i], t, *(s[i] for s in states), *ins, *hv]
                out = None
                if ffn is not None:
                    try:
                        with ctx:
                            out = ffn(*args)  # an int stays an int (a constant bound)
                    except _mpfr.TRAPPED:
                        out = None
                if out is None:  # mpmath decides it, on the same values
                    out = self._element_mpmath(fn, args, n_out)
                err.append(out[0])
                under.append(out[1])
                f32.append(out[2])
                with plain:
                    for c in range(3):
                        we[c][i] = we[c][i] + out[c]
                for j, x in enumerate(out[3:]):
                    se[j][i] = x

        def to_mpf(values):
            return [x if type(x) is int else _mpfr.to_mpmath(x) for x in values]

        self._store(key, shape, to_mpf(err), to_mpf(under),
                    to_mpf(f32) if self.error_f32 is not None else f32)

    @staticmethod
    def _element_mpmath(fn, args, n_out):
        """The mpmath bound on the exact values (in the caller's ``workdps(20)``)."""
        values = [x if isinstance(x, int) else _mpfr.to_mpmath(x) for x in args]
        try:
            out = fn(*values)
        except (ZeroDivisionError, ValueError):
            out = [mpmath.inf] * n_out
        return [x if type(x) is int else _mpfr.from_mpmath(x) for x in out]
