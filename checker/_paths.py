"""The data behind the HTML report's plots: the book's chapter 6 picture, made by the target.

Deep Learning from Scratch, chapter 6 (``ch06/optimizer_compare_naive.py``), compares
the optimizers by their paths on f(x, y) = x**2/20 + y**2 from (-7, 2), 30 steps,
each with a learning rate of its own: SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3
(the script's numbers).  Here the target walks that path in the worker (the checker
never runs it), fed the gradient of f at the point it reached, and the variant's
oracle (`spec.Oracle`, exact) walks it beside it, fed the gradient at its own
rounded point.  The same target gradients, run through the oracle with error bounds,
give the error plot: per step, the update's error against the floating-point bound.

Only data is made here (lists of floats, kept in the report and its JSON); the
SVG is drawn by `checker._html`, and only when asked.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath
import numpy as np

import spec
from spec import bound
from spec.compare import dtype_of
from spec.oracle import exact

from ._judge import in_scope
from ._session import Failure

#: The learning rates of the book's comparison script; the rules it leaves out get one
#: chosen here (said so in the plot's caption), small enough to stay on the picture.
BOOK_LR = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "adam": 0.3}
CHOSEN_LR = {"nesterov": 0.1, "rmsprop": 0.1, "adamw": 0.3, "adamax": 0.3, "nadam": 0.3,
             "radam": 0.3, "adadelta": 1.0}
START = (-7.0, 2.0)
STEPS = 30
FUNCTION = "f(x, y) = x**2/20 + y**2"


def gradient(x: float, y: float) -> tuple[float, float]:
    """The gradient of the book's f, as its script computes it: (x / 10, 2 y)."""
    return x / 10.0, 2.0 * y


def collect(report, session, basis: dict) -> dict:
    """The plot data for ``report``; ``basis`` is what the check learnt (the adapter, the
    values known for the constructor, a numeric failure's run).  Never raises for the
    target's sake: what cannot be drawn is said in ``why``."""
    plots: dict[str, Any] = {"path": None, "error": None, "state": None, "why": None}
    adapter, known = basis.get("adapter"), basis.get("known")
    if adapter is None:
        plots["why"] = "no path: the target did not get as far as its first update"
        return plots
    rule = _rule_of(report)
    values = {k: v["value"] for k, v in report.hyperparameters.items()}
    hypers = {h.name: values.get(h.name, known.get(h.name, rule.defaults.get(h.name)))
              for h in rule.hypers}
    hypers = {k: v for k, v in hypers.items() if v is not None}
    lr_passed = "lr" in adapter.passed
    # torch.optim.SGD with momentum is the book's Momentum: its learning rate, not SGD's
    heavy = rule.family == "sgd" and (hypers.get("momentum") or 0) > 0
    book = BOOK_LR["momentum" if heavy else rule.family] if heavy or rule.family in BOOK_LR else None
    lr = book if book is not None else CHOSEN_LR.get(rule.family, 0.1)
    if lr_passed:
        hypers["lr"] = lr
    floats = any(f.property == "Python float parameters" and f.status == "pass"
                 for f in report.findings)
    given = dict(known, **{k: v for k, v in hypers.items() if k in adapter.passed})
    kwargs = adapter.kwargs({k: given[k] for k in (*adapter.passed, *adapter.pinned) if k in given})
    path = {"function": FUNCTION, "start": list(START), "steps": STEPS,
            "lr": hypers.get("lr"), "lr_source": ("the book's chapter 6 script" if book and lr_passed
                                                  else "chosen here (not in the book's script)"
                                                  if lr_passed else "hard-coded in the target"),
            "variant": rule.name, "hypers": hypers,
            "inputs": "Python floats" if floats else "0-d float64 arrays"}
    try:
        path["oracle"] = _oracle_path(rule, hypers)
    except spec.SpecError as e:
        plots["why"] = f"no path: the oracle of {rule.name} cannot run here ({e})"
        return plots
    failed = report.verdict == "fail"
    target, stopped, recorded = _target_path(session, kwargs, floats, states=failed)
    path["target"] = [list(p) for p in target]
    path["stopped"] = stopped
    if any(f.kind == "state" and f.status == "fail" for f in report.findings):
        # built after the first has run: what leaks between instances shows in its state
        second, _, recorded_second = _target_path(session, kwargs, floats, states=True)
        path["second"] = [list(p) for p in second]
    series, oracle_run = _errors(rule, hypers, target)
    if recorded and oracle_run is not None:
        plots["state"] = _state_series(oracle_run, recorded)
    if plots["state"] is None and path.get("second"):
        _, oracle_second = _errors(rule, hypers, second)
        if recorded_second and oracle_second is not None:
            plots["state"] = _state_series(oracle_second, recorded_second, "a second instance")
    path["parts_at"] = series["crosses_at"] if series else None
    plots["path"] = path
    numeric = any(f.kind in ("numeric", "nonfinite") and f.status == "fail" for f in report.findings)
    if numeric:
        if series is not None and series["crosses_at"] is not None:
            plots["error"] = dict(series, run=f"the target's path on f ({path['inputs']})")
        elif basis.get("failure") is not None:
            plots["error"] = _failure_errors(*basis["failure"])
    return _finite(plots)


def _finite(value):
    """The data with every NaN and infinity as None: the JSON report stays strict JSON."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rule_of(report):
    """The variant the oracle walks: the one matched, else the closest to the failure."""
    names = [report.variant, (report.mistake or {}).get("variant")]
    names += [f.details.get("closest_variant") for f in report.findings if f.status == "fail"]
    for name in names:
        if name:
            try:
                return spec.get(name)
            except Exception:  # noqa: BLE001 - a name the spec does not know: the next one
                continue
    return in_scope(report.rule, report.api or "book")[0]


def _oracle_path(rule, hypers) -> list[list[float]]:
    """The variant's path: each step exact, from the gradient at the rounded point."""
    oracle = spec.Oracle(rule)
    points = [list(START)]
    grads: list[dict] = []
    for k in range(1, STEPS + 1):
        gx, gy = gradient(*points[-1])
        grads.append({"x": gx, "y": gy})
        traj = oracle.run({"x": START[0], "y": START[1]}, grads, hypers)
        p = traj.as_float(k)
        points.append([float(p["x"]), float(p["y"])])
        if not all(math.isfinite(v) for v in points[-1]):
            break
    return points


def _target_path(session, kwargs: dict, floats: bool, states: bool = False):
    """The target's path, in the worker: one fresh instance, fed f's gradient where it is;
    with ``states``, also what each of its dict attributes holds for x and y after each
    step (the book keeps its state so: ``self.v[key]``)."""
    wrap = float if floats else (lambda v: np.array(v, dtype=np.float64))
    points = [START]
    recorded: dict[str, list] = {}
    try:
        inst = session.construct(kwargs)
        current = {"x": wrap(START[0]), "y": wrap(START[1])}
        for k in range(1, STEPS + 1):
            gx, gy = gradient(*points[-1])
            g = {"x": wrap(gx), "y": wrap(gy)}
            result = session.call(lambda w: w.update(inst, current, g), op="update", step=k)
            after = dict(result.params)
            if (isinstance(result.returned, dict) and not result.returned_params
                    and set(result.returned) >= set(current)
                    and all(_same(after[key], current[key]) for key in current)):
                after = dict(result.returned)  # a new dict returned: its numbers are the step
            try:
                point = (float(np.asarray(after.get("x", current["x"]))),
                         float(np.asarray(after.get("y", current["y"]))))
            except (TypeError, ValueError):
                return points, f"step {k}: update left something that is not a number", recorded
            points.append(point)
            if states:
                _record_states(session, inst, k, recorded)
            if not all(math.isfinite(v) for v in point):
                return points, f"step {k}: not finite", recorded
            current = {"x": wrap(point[0]), "y": wrap(point[1])}
    except Failure as f:
        why = f"{f.op} failed ({f.kind}: {f.message.splitlines()[0] if f.message else ''})"
        return points, why, recorded
    return points, None, recorded


def _record_states(session, inst, k: int, recorded: dict) -> None:
    """After step ``k``: each dict attribute holding numbers for x and y (from step 1 on)."""
    try:
        names = list(recorded) if k > 1 else [n for n, t in session.describe(inst).items()
                                              if t in ("dict", "collections.defaultdict")][:8]
    except Failure:
        return
    for name in names:
        try:
            value = session.get_attr(inst, name)
            pair = [float(np.asarray(value["x"])), float(np.asarray(value["y"]))]
        except (Failure, KeyError, TypeError, ValueError):
            recorded.pop(name, None)  # not a state per key after all
            continue
        if k == 1 or name in recorded:
            recorded.setdefault(name, []).append(pair)


def _state_series(traj, recorded: dict, run: str = "the path") -> dict | None:
    """The target's state beside the oracle's (fed the same gradients): the attribute that
    equals one of the spec's states after step 1 (or has its name), on the coordinate where
    they part most."""
    best = None
    for attr, values in recorded.items():
        for name in traj.steps[0].state:
            n = min(len(values), len(traj.steps))
            ora = [[float(traj.steps[i].state[name][c]) for c in "xy"] for i in range(n)]
            if attr != name and not all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
                                        for a, b in zip(values[0], ora[0])):
                continue
            for c in (0, 1):
                got, want = [v[c] for v in values[:n]], [o[c] for o in ora]
                apart = [abs(a - b) / max(abs(a), abs(b), 1e-300) for a, b in zip(got, want)]
                score = max(apart)
                if best is None or score > best[0]:
                    best = (score, attr, name, "xy"[c], got, want, apart)
    if best is None or best[0] <= 1e-9:
        return None  # nothing recognised, or it follows the oracle's
    score, attr, name, coord, got, want, apart = best
    parts = next(k for k, a in enumerate(apart, start=1) if a > 1e-9)
    return {"attribute": attr, "state": name, "key": coord, "target": got, "oracle": want,
            "steps": list(range(1, len(got) + 1)), "parts_at": parts, "run": run}


def _same(a, b) -> bool:
    try:
        return float(np.asarray(a)) == float(np.asarray(b))
    except (TypeError, ValueError):
        return False


def _errors(rule, hypers, target) -> dict | None:
    """Per step, the error of the target's update against the oracle fed the same gradients
    (open loop, as the checker judges), and the bound a correct float64 code stays within."""
    if len(target) < 2:
        return None, None
    grads = [dict(zip("xy", gradient(*p))) for p in target[:-1]]
    got = [{"x": p[0], "y": p[1]} for p in target]
    try:
        traj = spec.Oracle(rule).run({"x": START[0], "y": START[1]}, grads, hypers, bounds=True)
    except spec.SpecError:
        return None, None
    return _series(traj, got, None, ()), traj


def _series(traj, got, key, index) -> dict:
    """The error and the allowed bound per step, at ``key``/``index`` (None: the element
    whose error is largest against its bound)."""
    rows: dict[tuple, dict] = {}
    dtype = "float64"
    with mpmath.workdps(traj.dps):
        for k in range(1, len(got)):
            step = traj.steps[k - 1]
            upd = traj.update(k)
            for name in step.params:
                dt = dtype_of(got[k][name])
                dtype = dt.name
                new = np.asarray(got[k][name], dtype=np.float64).ravel()
                old = np.asarray(got[k - 1][name], dtype=np.float64).ravel()
                f32 = step.error_f32
                allowed = bound.allowed_error(
                    [float(e) for e in step.error[name].ravel()],
                    list(step.underflow[name].ravel()), dt,
                    None if f32 is None else [float(f) for f in f32[name].ravel()])
                for i, (a, b) in enumerate(zip(new.tolist(), old.tolist())):
                    want = upd[name].flat[i]
                    shape = step.params[name].shape
                    at = tuple(int(j) for j in np.unravel_index(i, shape)) if shape else ()
                    row = rows.setdefault((name, at), {"error": [], "allowed": []})
                    if not (math.isfinite(a) and math.isfinite(b) and mpmath.isfinite(want)):
                        err = math.inf
                    else:
                        err = float(abs((exact(a) - exact(b)) - want))
                    row["error"].append(err)
                    row["allowed"].append(float(allowed[i]))
    if not rows:
        return {}
    if key is None:
        def worst(item):
            r = item[1]
            return max((e / a if a > 0 else (math.inf if e > 0 else 0.0))
                       for e, a in zip(r["error"], r["allowed"]))
        (key, index), row = max(rows.items(), key=worst)
    else:
        row = rows.get((key, tuple(index))) or next(iter(rows.values()))
    crosses = next((k for k, (e, a) in enumerate(zip(row["error"], row["allowed"]), start=1)
                    if e > a), None)
    return {"key": key, "index": list(index), "dtype": dtype,
            "steps": list(range(1, len(row["error"]) + 1)),
            "error": [e if math.isfinite(e) else None for e in row["error"]],
            "allowed": row["allowed"], "crosses_at": crosses}


def _failure_errors(problem, traj, match) -> dict | None:
    """The same series on the failing run the report describes (the minimal example)."""
    steps = len(traj.got) - 1
    mm = match.mismatch
    if steps < 1 or mm is None or mm.kind == "shape":
        return None
    params0 = {k: np.asarray(v) for k, v in traj.got[0].items()}
    try:
        oracle = spec.Oracle(match.rule).run(params0, problem.grads[:steps], match.hypers,
                                             bounds=True)
    except spec.SpecError:
        return None
    out = _series(oracle, traj.got, mm.key, mm.index)
    if not out or any(not math.isfinite(a) for a in out["allowed"]) or out["crosses_at"] is None:
        return None  # a bound the oracle cannot give here, or no crossing to show
    return dict(out, run="the minimal example of the failure below")
