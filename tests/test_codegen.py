"""The oracle's compiler agrees with a plain lambdify to mpmath, rule by rule."""

from dataclasses import replace

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

import spec
from spec._fragments import EPS, LR, state
from spec._rule import G, T, W
from spec.mistakes import mistakes_for


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


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_compiled_step_equals_lambdify(rule, data):
    f = sp.lambdify(rule.inputs, [rule.update()] + [rule.composed[s] for s in rule.state_symbols],
                    modules="mpmath")
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
