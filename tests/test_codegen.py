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


RULES = spec.all_rules() + [_synthetic()] + [mr for m, mr, d in mistakes_for(spec.get("adam"))]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_compiled_step_equals_lambdify(rule, data):
    f = sp.lambdify(rule.inputs, [rule.update()] + [rule.composed[s] for s in rule.state_symbols],
                    modules="mpmath")
    w = data.draw(st.floats(-10, 10))
    gs = [data.draw(st.one_of(st.floats(-10, 10), st.floats(-1e-6, 1e-6))) for _ in range(4)]
    hypers = {h.name: data.draw(st.floats(*h.typical)) for h in rule.hypers}
    traj = spec.Oracle(rule).run({"w": w}, [{"w": g} for g in gs], hypers)
    with mpmath.workdps(60):
        wv = mpmath.mpf(w)
        states = [mpmath.mpf(sp.N(s.init, 60)) for s in rule.states]
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
