"""Microseconds per element-step: the generated oracle against a naive SymPy
evaluation of the same equations and against NumPy float64, side by side.

    python benchmarks/oracle.py            # every rule, Adam first
    python benchmarks/oracle.py --quick    # fewer elements, Adam's first two rules

Columns, all measured in the same run: ``oracle`` is `spec.Oracle.run` as the
checker runs it (the MPFR kernel when gmpy2 is installed, `spec._mpfr`);
``+ every W`` also reads every parameter W_k (exactly, as libmp tuples);
``mpmath kern.`` is the oracle with its mpmath kernel alone (what runs without
gmpy2); ``naive sympy`` is what one would write without code generation: for
each element and step, ``expr.evalf(dps, subs=...)`` on each assignment in
order.  Each ratio is naive SymPy's time over the column named.  NumPy float64
runs the same rule, its branches decided for the step as the oracle decides
them (`spec._specialise`), lambdified to NumPy over whole arrays (a float64
implementation with no per-element Python cost), and, where there is one, the
`reference` optimizer of that variant; those two columns are element-steps per
second.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import numpy as np
import sympy as sp

import reference
import spec
from spec import _mpfr
from spec._rule import G, T, W
from spec._specialise import specialiser

REFERENCE = {
    "sgd/plain": reference.SGD, "momentum/book": reference.Momentum,
    "nesterov/bengio": reference.Nesterov, "adagrad/eps_outside": reference.AdaGrad,
    "rmsprop/eps_outside": reference.RMSprop, "adam/eps_hat": reference.Adam,
}


def _inputs(n, steps, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n)
    grads = [rng.normal(size=n) * 10.0 ** rng.integers(-8, 3, size=n) for _ in range(steps)]
    return w, grads


def _timed(fn, min_time=0.1, repeats=5):
    """CPU seconds per call of ``fn``: the best of ``repeats`` runs of ``min_time`` each.

    CPU time of this process, not wall time, and the best run, not the mean: on a
    shared machine both keep out most of the time other processes take.
    """
    best = float("inf")
    for _ in range(repeats):
        calls, start = 0, time.process_time()
        while True:
            fn()
            calls += 1
            elapsed = time.process_time() - start
            if elapsed >= min_time:
                break
        best = min(best, elapsed / calls)
    return best


def oracle_rate(rule, n, steps, dps, read_params=False, fast=True):
    """The trajectory of updates and states; with ``read_params`` also every W_k.

    The oracle accumulates W lazily when the update does not depend on it, so
    both are measured: the second is the cost when every parameter is read.
    ``fast=False`` runs the mpmath kernel alone, as the oracle does without gmpy2.
    """
    w, grads = _inputs(n, steps)
    oracle = spec.Oracle(rule, dps=dps)
    oracle._fast = oracle._fast and fast
    gl = [{"w": g} for g in grads]

    def run():
        traj = oracle.run({"w": w}, gl)
        if read_params:
            for step in traj.steps:
                step.raw_params()

    return n * steps / _timed(run)


def naive_rate(rule, n, steps, dps):
    w, grads = _inputs(n, steps)
    hypers = {h.symbol: (sp.true if h.default else sp.false) if h.flag else sp.Float(h.default, dps)
              for h in rule.hypers}
    inits = {s.symbol: sp.Float(s.init.xreplace(hypers), dps) for s in rule.states}

    def run():
        for i in range(n):
            values = {W: sp.Float(float(w[i]), dps), **inits}
            for t in range(1, steps + 1):
                env = {**values, G: sp.Float(float(grads[t - 1][i]), dps), T: t, **hypers}
                for target, expr in rule.assignments:
                    env[target] = expr.evalf(dps, subs=env)
                values = {s: env[s] for s in rule.outputs}

    return n * steps / _timed(run)


def numpy_rate(rule, n, steps):
    """A float64 step over whole arrays, or None when a step cannot be lambdified.

    Flags and step-level conditions (``amsgrad``, RAdam's ``rho_t > 5``) are decided
    per step first, as the oracle decides them: ``numpy.select`` takes arrays of
    conditions, not the scalars those would be.
    """
    w, grads = _inputs(n, steps)
    hyp = rule.resolve({})
    spec_ = specialiser(rule)
    f = {}
    for t in range(1, steps + 1):
        key = spec_.key(t, hyp, 200)
        if key is None:
            return None, f"step {t}'s branch cannot be decided"
        if key not in f:
            r = spec_.rule(key)
            f[key] = sp.lambdify(r.inputs, [r.composed[s] for s in r.outputs], modules="numpy")
    kernels = [f[spec_.key(t, hyp, 200)] for t in range(1, steps + 1)]
    hv = [float(hyp[h.name]) for h in rule.hypers]
    inits = [np.full(n, float(s.init.xreplace(rule.substitution(hyp)))) for s in rule.states]

    def run():
        x = w.copy()
        st = [a.copy() for a in inits]
        for t in range(1, steps + 1):
            x, *st = kernels[t - 1](x, grads[t - 1], t, *st, *hv)

    try:
        run()
    except Exception as e:  # noqa: BLE001  (a baseline the oracle does not need)
        return None, f"{type(e).__name__}: {e}"
    return n * steps / _timed(run), None


def reference_rate(rule, n, steps):
    cls = REFERENCE.get(rule.name)
    if cls is None:
        return None
    w, grads = _inputs(n, steps)

    def run():
        opt, params = cls(), {"w": w.copy()}
        for g in grads:
            opt.update(params, {"w": g})

    return n * steps / _timed(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer elements and rules")
    parser.add_argument("--dps", type=int, default=50, help="digits (default 50)")
    args = parser.parse_args()
    rules = spec.all_rules()
    rules.sort(key=lambda r: r.family != "adam")  # Adam, the target, first
    if args.quick:
        rules = rules[:2]
    n, steps = (20, 5) if args.quick else (200, 5)
    kernel = (f"MPFR (gmpy2 {_mpfr.gmpy2.version()})" if _mpfr.AVAILABLE else
              "mpmath only (gmpy2 is not installed, or mpmath does not use it)")
    print(f"us per element-step at {args.dps} digits ({n} elements x {steps} steps); "
          f"oracle kernel: {kernel}; ratio = naive sympy / column")
    print(f"{'rule':20} {'oracle':>7} {'+ every W':>9} {'mpmath kern.':>12} {'naive sympy':>11}"
          f" {'ratio':>6} {'ratio +W':>8} {'ratio mpmath':>12} {'numpy f64/s':>11} "
          f"{'reference/s':>11}")
    skipped = []
    for rule in rules:
        rate = partial(oracle_rate, rule, n, steps, args.dps)
        o, ow, om = 1e6 / rate(), 1e6 / rate(read_params=True), 1e6 / rate(fast=False)
        s = 1e6 / naive_rate(rule, max(2, n // 20), steps, args.dps)
        npr, why = numpy_rate(rule, 10000, steps)
        if why:
            skipped.append(f"{rule.name}: no NumPy baseline ({why})")
        ref = reference_rate(rule, 10000, steps)
        npr_s = f"{npr:11.3g}" if npr else f"{'-':>11}"
        ref_s = f"{ref:11.3g}" if ref else f"{'-':>11}"
        print(f"{rule.name:20} {o:7.2f} {ow:9.2f} {om:12.2f} {s:11.0f} {s / o:5.0f}x "
              f"{s / ow:7.0f}x {s / om:11.0f}x {npr_s} {ref_s}", flush=True)
    for line in skipped:
        print(line)


if __name__ == "__main__":
    main()
