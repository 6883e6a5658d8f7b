"""Element-steps per second: the generated mpmath oracle against a naive SymPy
evaluation of the same equations and against NumPy float64, side by side.

    python benchmarks/oracle.py            # every rule, Adam first
    python benchmarks/oracle.py --quick    # fewer elements

The naive evaluation is what one would write without code generation: for each
element and step, ``expr.evalf(dps, subs=...)`` on each assignment in order.
NumPy float64 runs the same rule lambdified to NumPy over whole arrays (a
float64 implementation with no per-element Python cost) and, where there is
one, the `reference` optimizer of that variant.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp

import reference
import spec
from spec._rule import G, T, W

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


def _timed(fn, min_time=0.5):
    """Run ``fn`` until ``min_time`` has passed; seconds per call."""
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elapsed / calls


def oracle_rate(rule, n, steps, dps, read_params=False):
    """The trajectory of updates and states; with ``read_params`` also every W_k.

    The oracle accumulates W lazily when the update does not depend on it, so
    both are measured: the second is the cost when every parameter is read.
    """
    w, grads = _inputs(n, steps)
    oracle = spec.Oracle(rule, dps=dps)
    gl = [{"w": g} for g in grads]

    def run():
        traj = oracle.run({"w": w}, gl)
        if read_params:
            for step in traj.steps:
                step.raw_params()

    return n * steps / _timed(run)


def naive_rate(rule, n, steps, dps):
    w, grads = _inputs(n, steps)
    hypers = {h.symbol: sp.Float(h.default, dps) for h in rule.hypers}

    def run():
        for i in range(n):
            values = {W: sp.Float(float(w[i]), dps)}
            values.update({s.symbol: sp.Float(s.init, dps) for s in rule.states})
            for t in range(1, steps + 1):
                env = {**values, G: sp.Float(float(grads[t - 1][i]), dps), T: t, **hypers}
                for target, expr in rule.assignments:
                    env[target] = expr.evalf(dps, subs=env)
                values = {s: env[s] for s in rule.outputs}

    return n * steps / _timed(run)


def numpy_rate(rule, n, steps):
    w, grads = _inputs(n, steps)
    f = sp.lambdify(rule.inputs, [rule.composed[s] for s in rule.outputs], modules="numpy")
    hv = [h.default for h in rule.hypers]

    def run():
        x = w.copy()
        st = [np.zeros(n) for _ in rule.states]
        for t in range(1, steps + 1):
            x, *st = f(x, grads[t - 1], t, *st, *hv)

    return n * steps / _timed(run)


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
    print(f"element-steps per second at {args.dps} digits ({n} elements x {steps} steps)")
    print(f"{'rule':22} {'oracle':>10} {'+ every W':>10} {'naive sympy':>12} {'ratio':>7} "
          f"{'ratio +W':>9} {'numpy f64':>12} {'reference':>12}")
    for rule in rules:
        o = oracle_rate(rule, n, steps, args.dps)
        ow = oracle_rate(rule, n, steps, args.dps, read_params=True)
        s = naive_rate(rule, max(2, n // 20), steps, args.dps)
        npr = numpy_rate(rule, 10000, steps)
        ref = reference_rate(rule, 10000, steps)
        ref_s = f"{ref:12.3g}" if ref else f"{'-':>12}"
        print(f"{rule.name:22} {o:10.3g} {ow:10.3g} {s:12.3g} {o / s:6.0f}x {ow / s:8.0f}x "
              f"{npr:12.3g} {ref_s}")


if __name__ == "__main__":
    main()
