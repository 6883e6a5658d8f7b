"""The error bounds on MPFR (`spec._mpfr.bound_function`) are mpmath's, bit for bit.

The oracle runs the bounds' generated code on mpfr when gmpy2 is there; each value must
be the very one the mpmath code makes (same type, same bits), also where MPFR traps and
mpmath takes the element over (zeros under a root, subnormals, huge values), and for
powers mpmath does not round correctly (a hyperparameter to the power t, x**-0.5).
"""

import mpmath
import numpy as np
import pytest

import spec
from spec import _mpfr
from spec.oracle import Oracle

pytestmark = pytest.mark.skipif(not _mpfr.AVAILABLE, reason="no gmpy2: no MPFR bounds")

RULES = ["sgd/plain", "momentum/book", "adagrad/eps_outside", "rmsprop/eps_inside",
         "adam/eps_hat", "adam/algorithm1", "adam/torch", "nadam/torch", "radam/torch",
         "adamax/torch", "adadelta/torch", "nadam/optax", "nadam/keras"]


def _values(rng, shape, kind):
    if kind == 0:
        return rng.normal(size=shape)
    if kind == 1:  # from 1e-300 to 1e300
        return rng.normal(size=shape) * 10.0 ** rng.integers(-300, 300, size=shape)
    if kind == 2:  # many exact zeros
        a = rng.normal(size=shape)
        a[rng.random(shape) < 0.4] = 0.0
        return a
    if kind == 3:  # subnormals
        return np.full(shape, 5e-324) * rng.integers(-3, 4, size=shape)
    return rng.normal(size=shape) * 1e-160


def _bounds(rule, params, grads, hypers, fast):
    oracle = Oracle(spec.get(rule))
    oracle._fast = fast  # False: mpmath alone, kernel and bound
    traj = oracle.run(params, grads, hypers, bounds=True)
    return [(s.error, s.underflow, s.error_f32) for s in traj.steps]


def _same(x, y) -> bool:
    if type(x) is not type(y):
        return False
    return (mpmath.isnan(x) and mpmath.isnan(y)) or x == y


@pytest.mark.parametrize("rule", RULES)
def test_mpfr_bounds_are_the_mpmath_bounds_bit_for_bit(rule):
    rng = np.random.default_rng(sum(map(ord, rule)))
    flags = [h.name for h in spec.get(rule).hypers if h.flag]
    for kind in range(5):
        params = {"a": _values(rng, (3,), kind), "b": _values(rng, (2, 2), (kind + 1) % 5)}
        grads = [{k: _values(rng, v.shape, (kind + s) % 5) for k, v in params.items()}
                 for s in range(4)]
        hypers = {name: bool(rng.integers(0, 2)) for name in flags}
        try:
            slow = _bounds(rule, params, grads, hypers, fast=False)
        except spec.InvalidHyperparameter:
            continue  # a combination of flags the source rejects
        fast = _bounds(rule, params, grads, hypers, fast=True)
        for t, (a, b) in enumerate(zip(fast, slow), start=1):
            for which, da, db in zip(("E", "D", "F"), a, b):
                if db is None:
                    assert da is None
                    continue
                for key in db:
                    pairs = list(zip(da[key].ravel(), db[key].ravel()))
                    wrong = [(x, y) for x, y in pairs if not _same(x, y)]
                    assert not wrong, (f"{rule}, inputs of kind {kind}, step {t}, {which} of "
                                       f"{key}: mpfr {wrong[0][0]!r} != mpmath {wrong[0][1]!r}")


@pytest.mark.parametrize("rule, hypers", [
    ("rmsprop/torch", {"decay_rate": 0.0, "centered": True}),  # v - m^2 = 0 exactly
    ("adam/torch", {"beta2": 0.0, "eps": 1e-300}),  # v of a subnormal gradient: 0 in floats
    ("adam/algorithm1", {"beta1": 0.0, "beta2": 0.0}),
], ids=lambda x: x if isinstance(x, str) else "")
def test_roots_near_zero_are_bounded_the_same_way_on_mpfr(rule, hypers):
    # the bound of a root whose argument is (nearly) 0 yet may be off (`spec.bound._dpow`)
    rng = np.random.default_rng(7)
    params = {"a": np.array([0.0, 1.0, -2.0, 5e-324])}
    grads = [{"a": np.array([g, 5e-324, 0.0, -1e-160])} for g in rng.normal(size=4)]
    grads[1]["a"][0] = 0.0
    slow = _bounds(rule, params, grads, hypers, fast=False)
    fast = _bounds(rule, params, grads, hypers, fast=True)
    for a, b in zip(fast, slow):
        for da, db in zip(a, b):
            if db is not None:
                pairs = list(zip(da["a"].ravel(), db["a"].ravel()))
                assert all(_same(x, y) for x, y in pairs), pairs
                assert all(mpmath.isfinite(y) for _, y in pairs), pairs
