"""The oracle's compiler agrees with a plain lambdify to mpmath and with SymPy's exact
values, rule by rule; its MPFR kernel gives the mpmath kernel's bits."""

import functools
from dataclasses import replace

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import spec
from spec import _mpfr
from spec._fragments import EPS, LR, state
from spec._rule import G, T, W
from spec._specialise import specialiser
from spec.mistakes import mistakes_for
from spec.oracle import Driver, _compile


def _synthetic():
    """Max (AMSGrad-like), a step-level Piecewise and a real power, which no rule uses yet."""
    r = spec.get("adam")
    m, v = r.state_symbols
    vmax = state("vmax", "v_max", "running max of v", nonnegative=True)
    step = sp.Piecewise((m / (sp.sqrt(vmax.symbol) + EPS), T > 2),
                        (m * sp.Rational(24, 25) ** (T * sp.Rational(1, 2)), True))
    return replace(r, variant="synthetic", states=r.states + (vmax,),
                   assignments=r.assignments[:2] + ((vmax.symbol, sp.Max(vmax.symbol, v)),
                                                    (W, W - LR * step)))


def _element_conditions():
    """Conditions on element values (And, Ne, a comparison of a state), which no rule uses."""
    r = spec.get("rmsprop")
    (h,) = r.state_symbols
    step = sp.Piecewise((G / (sp.sqrt(h) + EPS), sp.And(sp.Ne(G, 0), h > sp.Rational(1, 100))),
                        (G, sp.Or(sp.Eq(G, 0), sp.Not(h > 0))), (G / 2, True))
    return replace(r, variant="element-conditions",
                   assignments=r.assignments[:1] + ((W, W - LR * step),))


RULES = (spec.all_rules() + [_synthetic(), _element_conditions()]
         + [mr for m, mr, d in mistakes_for(spec.get("adam"))]
         + [mr for m, mr, d in mistakes_for(spec.get("adam", "torch")) if d.t(2, 0, 1) == 2])


def _hypers(data, rule):
    """Typical values; flags on or off, torch's branch-switching values sometimes 0."""
    out = {}
    for h in rule.hypers:
        if h.flag:
            out[h.name] = data.draw(st.sampled_from([0.0, 1.0]))
        elif rule.api == "torch" and h.name in ("momentum", "dampening", "weight_decay",
                                                "lr_decay", "initial_accumulator_value"):
            out[h.name] = data.draw(st.one_of(st.just(0.0), st.floats(*h.typical)))
        else:
            out[h.name] = data.draw(st.floats(*h.typical))
    for h in rule.flags:
        if rule.admits(out) is not None:
            out[h.name] = 0.0
    return out


@functools.lru_cache(maxsize=None)
def _lambdified(rule):
    """The rule's step by plain lambdify to mpmath: once per rule, not once per example."""
    return sp.lambdify(rule.inputs, [rule.update()] + [rule.composed[s] for s in rule.state_symbols],
                       modules="mpmath")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_compiled_step_equals_lambdify(rule, data):
    f = _lambdified(rule)
    w = data.draw(st.floats(-10, 10))
    gs = [data.draw(st.one_of(st.floats(-10, 10), st.floats(-1e-6, 1e-6))) for _ in range(4)]
    hypers = _hypers(data, rule)
    traj = spec.Oracle(rule).run({"w": w}, [{"w": g} for g in gs], hypers)
    with mpmath.workdps(60):
        wv = mpmath.mpf(w)
        at = rule.substitution(hypers)
        states = [mpmath.mpf(sp.N(s.init.xreplace(at), 60)) for s in rule.states]
        hv = [mpmath.mpf(hypers[h.name]) for h in rule.hypers]
        for k, g in enumerate(gs, start=1):
            try:
                upd, *states = f(wv, mpmath.mpf(g), k, *states, *hv)
            except (ZeroDivisionError, ValueError):
                return  # 0/0: the oracle gives NaN there, tested elsewhere
            got = traj.update(k)["w"].item()
            if isinstance(upd, mpmath.mpc):  # a root of a negative: no real value, NaN
                assert mpmath.isnan(got)
                return
            assert abs(got - upd) <= mpmath.mpf(10) ** -45 * max(abs(upd), mpmath.mpf(10) ** -300)
            wv += upd


def test_unspecialised_flags_and_boolean_conditions_compile():
    """The oracle compiles each specialisation, but a rule compiled as it is (flags as 0/1
    arguments, Ne and And on the step) computes the same numbers."""
    from spec._codegen import compile_rule
    from mpmath import libmp
    rule = spec.get("adam", "torch")
    constants, elements = compile_rule(rule).bind(200)
    for flags in [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)]:
        hypers = dict(rule.defaults, weight_decay=0.1,
                      **dict(zip(("amsgrad", "maximize", "decoupled_weight_decay"), flags)))
        raw = [libmp.from_float(hypers[h.name]) for h in rule.hypers]
        w, g = [libmp.from_float(0.5)], [libmp.from_float(-0.25)]
        states = [[libmp.fzero] for _ in rule.states]
        got = elements(w, g, *states, constants(1, *raw))[0][0]
        traj = spec.Oracle(rule).run({"w": 0.5}, {"w": -0.25}, hypers, steps=1)
        want = traj.update(1)["w"].item()
        with mpmath.workdps(60):
            got = mpmath.mpf(libmp.to_str(got, 60))
            assert abs(got - want) <= mpmath.mpf(10) ** -45 * abs(want), (flags, got, want)


# -- the MPFR kernel (spec._mpfr): the same bits, and the exact values ----------------------
needs_mpfr = pytest.mark.skipif(
    not _mpfr.AVAILABLE, reason="gmpy2 is not installed (or mpmath does not use it), so the "
    "oracle has no MPFR kernel to test; pip install gmpy2")

#: drivers that carry state differently from the correct one (t per key, reset, shared)
DRIVERS = [Driver(), Driver(t=lambda step, i, n: (step - 1) * n + i + 1),
           Driver(reset_state=True), Driver(shared_state=True)]


def _values(data, n, zeros=True, special=False):
    mag = st.one_of(st.floats(1e-12, 1e-6), st.floats(1e-3, 10.0), st.floats(1e2, 1e6))
    x = st.builds(lambda m, s: m * s, mag, st.sampled_from([1.0, -1.0]))
    if zeros:
        x = st.one_of(x, st.just(0.0))
    if special:  # rarely: inputs the MPFR kernel must leave to mpmath's
        x = st.one_of(x, st.sampled_from([np.inf, -np.inf, np.nan]))
    return np.array(data.draw(st.lists(x, min_size=n, max_size=n)))


@needs_mpfr
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@settings(max_examples=12, deadline=None)  # times some 80 rules: the suite's time counts
@given(data=st.data())
def test_mpfr_kernel_gives_the_mpmath_kernels_bits(rule, data):
    """Every W, update, state and error bound, bit for bit, on several keys and steps, with
    0/0 (eps = 0, g = 0), non-finite inputs and the drivers of the named mistakes."""
    hypers = _hypers(data, rule)
    if "eps" in hypers and data.draw(st.booleans()):
        hypers["eps"] = 0.0
    params = {"a": _values(data, 3), "b": _values(data, 3).reshape(3, 1)}
    special = data.draw(st.integers(0, 4)) == 0
    grads = [{k: _values(data, 3, special=special).reshape(np.shape(v)) for k, v in params.items()}
             for _ in range(data.draw(st.integers(1, 4)))]
    driver = data.draw(st.sampled_from(DRIVERS))
    bounds = data.draw(st.integers(0, 5)) == 0  # the bounds cost most of the time
    fast, slow = spec.Oracle(rule), spec.Oracle(rule)
    slow._fast = False
    a = fast.run(params, grads, hypers, bounds=bounds, driver=driver)
    b = slow.run(params, grads, hypers, bounds=bounds, driver=driver)
    for k, (x, y) in enumerate(zip(a.steps, b.steps), start=1):
        assert x.raw_params() == y.raw_params(), k
        assert x._tuples(1) == y._tuples(1), k
        assert x._tuples(2) == y._tuples(2), k
        if bounds:
            for key in params:
                assert [e._mpf_ for e in x.error[key].ravel()] == \
                       [e._mpf_ for e in y.error[key].ravel()], (k, key)


@needs_mpfr
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_branch_of_every_rule_has_an_mpfr_kernel(rule):
    """So the speed is not silently lost to the fallback (a printer with no rule for an
    expression leaves a rule to mpmath's kernel)."""
    s = specialiser(rule)
    hypers = rule.resolve({})
    for t in (1, 2, 7):
        key = s.key(t, hypers, 200)
        if key is not None:
            assert _compile(s.rule(key)).fast_factory is not None, (t, key)


def _exact(x: mpmath.mpf) -> sp.Rational:
    sign, man, exp, _ = x._mpf_
    return (-1) ** sign * sp.Rational(int(man)) * sp.Rational(2) ** exp


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_each_step_is_the_exact_value_to_45_digits(rule, data):
    """SymPy evaluates each step exactly (the spec's own expressions on the exact rationals
    of W, g, the state before the step and the hyperparameters, then ``evalf`` to 60
    digits, which bounds its own error), independently of both kernels and of the
    specialiser; the oracle's update and new state agree to 45 digits."""
    hypers = _hypers(data, rule)
    params = {"w": _values(data, 2, zeros=False)}
    grads = [{"w": _values(data, 2)} for _ in range(data.draw(st.integers(1, 3)))]
    traj = spec.Oracle(rule).run(params, grads, hypers)
    at = rule.substitution(hypers)
    outputs = [rule.update()] + [rule.composed[s] for s in rule.state_symbols]
    tol = sp.Float(10, 60) ** -45
    for k in range(1, len(grads) + 1):
        before = [traj.steps[k - 2].state[s.name]["w"] if k > 1 else None for s in rule.states]
        got = [traj.update(k)["w"]] + [traj.steps[k - 1].state[s.name]["w"] for s in rule.states]
        for i in range(2):
            values = [b.ravel()[i] if b is not None else None for b in before]
            if any(v is not None and not mpmath.isfinite(v) for v in values):
                return  # a NaN state (0/0 earlier): nothing exact to compare with
            subs = {**at, W: _exact(traj.params(k - 1)["w"].ravel()[i]),
                    G: sp.Rational(float(grads[k - 1]["w"][i])), T: sp.Integer(k)}
            for s, v in zip(rule.states, values):
                subs[s.symbol] = s.init.xreplace(at) if v is None else _exact(v)
            for j, expr in enumerate(outputs):
                want = sp.N(expr.xreplace(subs), 60)
                oracle = got[j].ravel()[i]
                if not (want.is_Number and want.is_finite):  # 0/0, x/0, a root of < 0
                    assert mpmath.isnan(oracle), (k, i, j, want, oracle)
                    return
                err = abs(_exact(oracle) - want)
                # the update is W_k - W_(k-1), each held to the oracle's precision: a step
                # 1e-14 of W keeps fewer of its own digits than 45 (W = -1000, g = 1e-6 under
                # AdaGrad once measured 1.3e-45 of the step), never less than W's rounding
                held = (abs(_exact(traj.params(k - 1)["w"].ravel()[i])) * 2 * sp.Rational(2) **
                        -spec.Oracle(rule).prec if j == 0 else 0)
                assert err <= tol * max(abs(want), sp.Float(10, 60) ** -300) + held, \
                    (rule.name, k, i, j, oracle, want)
