"""The formula the code really computes: a symbolic trace, proven equal or localised.

The worker runs the target's own ``update`` on recording values (`checker._tracer`)
and sends back a flat list of operations.  Here that list is checked against a fixed
table of operations (nothing from the worker is ever evaluated as text), evaluated
at random points at 40 significant digits, and compared with the spec's variant run
on the same points:

* equal at every step: SymPy is asked to prove it (``proven``); where it cannot
  simplify the difference to zero the trace says the two agree at the points tried;
* different: the difference is **localised** by repair.  For each quantity the
  variant names (a state such as ``v``, a temporary such as ``v_hat``, the step
  counter ``t``, the final ``W``), and each place in the code that computes
  something, the spec is run again with that quantity replaced by what the code
  computes there.  The first quantity (in the spec's order) for which some place in
  the code makes the spec reproduce every traced step is the wrong term: the report
  shows the code's version of it (written in the spec's names, with its line) beside
  the spec's, and the smallest subexpression where the two differ.

The trace never decides a verdict: the numbers do.  What the tracer cannot follow
(``float()`` of a traced value, a branch on one, an operation outside its table)
stops it; the report says which operation, where, and keeps the numeric verdict.
"""

from __future__ import annotations

import math
import re
import random
import time
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from spec._rule import G, T, W, Rule

from ._worker import Blobs, encode_value

__all__ = ["Trace", "trace", "TRACEABLE_APIS"]

TRACEABLE_APIS = ("book", "booklist", "cs231n")
STEPS = 3
MAX_STEPS = 12
SHAPES = {"W": [2], "b": []}  # two keys: one array, one 0-d; three elements in all
POINTS = 3
DIGITS = 40
TOL = 1e-11  # relative: the code folds its literal constants in float64
MAX_OPS = 200_000
MAX_PROOF_NODES = 3000  # a formula larger than this is compared at points, not simplified
MAX_SITES = 400  # places in the code the repair tries; more (a forged trace) is not searched
SEARCH_SECONDS = 4.0
_SYMS = {"W", "g", "t"}


@dataclass
class Trace:
    """What the trace found; ``status`` is one of ``proven``, ``agrees`` (equal at the
    points tried, SymPy could not prove it), ``differs``, ``stopped`` (the tracer could
    not follow the code) or ``unavailable`` (nothing to trace: an API the tracer does
    not run)."""

    status: str
    variant: str
    message: str
    steps: int = STEPS
    symbolic_hypers: bool = True
    stopped: dict | None = None
    difference: dict | None = None
    formulas: dict | None = None
    assumptions: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def to_json(self) -> dict:
        return {"status": self.status, "variant": self.variant, "message": self.message,
                "steps": self.steps, "symbolic_hyperparameters": self.symbolic_hypers,
                "stopped": self.stopped, "difference": self.difference,
                "formulas": self.formulas, "assumptions": self.assumptions,
                "proven": self.status == "proven", "elapsed": round(self.elapsed, 3)}


# -- the worker side: ask for a trace -------------------------------------------------

def source_lines(ext=None):
    """``locate(file, line) -> (where, code)``: how a line of the traced code is shown.
    Extracted source (a notebook, a text, a class cut from a test file) is shown where it
    came from; a file on disk is read here (text only, never run)."""
    cache: dict[str, list[str]] = {}

    def locate(file: str | None, line: int | None):
        if not file or not line:
            return None, None
        if ext is not None and file == ext.filename:
            lines = ext.lines
            if not 1 <= line <= len(lines):
                return None, None
            return ext.where(line), lines[line - 1].strip() or None
        if file not in cache:
            try:
                with open(file, encoding="utf-8", errors="replace") as f:
                    cache[file] = f.read(1 << 20).splitlines()
            except OSError:
                cache[file] = []
        lines = cache[file]
        if not 1 <= line <= len(lines):
            return None, None
        return f"{file}:{line}", lines[line - 1].strip() or None
    return locate


def trace(session, rule: Rule, adapter, hypers: dict[str, float], api: str,
          locate=None, steps: int = STEPS, warmup: bool = False,
          alternatives: tuple[Rule, ...] = ()) -> Trace:
    """Trace the loaded target in a fresh worker and compare it with ``rule``.

    ``hypers``: every hyperparameter's value in the check (passed and hard-coded);
    ``locate``: `source_lines`' function, to quote the line a difference is on;
    ``steps``: how many updates to trace (3, or as many as a failing run needed, up to 12);
    ``warmup``: trace a second instance, after a first has run (state shared between
    instances shows only there); ``alternatives``: the other variants the code may have
    meant, when it differs from ``rule``: the comparison is made with the one whose
    formula it is closest to (fewest terms changed, a named term before the final line),
    not the one whose numbers are nearest (a bug can move the numbers towards another).
    """
    steps = max(STEPS, min(int(steps), MAX_STEPS))
    started = time.monotonic()
    if api not in TRACEABLE_APIS:
        return Trace("unavailable", rule.name, f"not traced: the tracer runs NumPy code, and "
                     f"this is the {api} API; the numbers above are the verdict")
    result = None
    for symbolic in (True, False):
        result = _run_worker(session, rule, adapter, hypers, symbolic, steps, warmup)
        if result.get("stopped") is None or result.get("crashed"):
            break
        # a cast or a branch on a hyperparameter: trace again with them as numbers
    try:
        out = _judge(result, rule, adapter, hypers, locate or source_lines())
        others = [r for r in alternatives if r is not rule]
        if out.status == "differs" and others:
            outs = [out] + [_judge(result, r, adapter, hypers, locate or source_lines())
                            for r in others if set(result.get("sentinels") or {}) <= set(
                                h.name for h in r.hypers)]  # a variant without a setting passed
            same = [o for o in outs if o.status in ("proven", "agrees")]
            best = same[0] if same else min(outs, key=_in_form)
            if best is not out:
                best.message += (f" (compared with {best.variant}, the variant its formula is "
                                 f"closest to; its numbers are nearest {rule.name})")
            out = best
    except _Malformed as e:
        out = Trace("stopped", rule.name, f"not traced: the worker's trace is malformed ({e})")
    out.steps = steps
    if warmup and out.status in ("differs", "proven", "agrees"):
        out.message += " (traced on a second instance, after a first had run)"
    out.elapsed = time.monotonic() - started
    return out


def _sentinels(rule: Rule, adapter, hypers: dict[str, float]) -> dict[str, float]:
    """A distinct float per passed hyperparameter: the worker turns that exact float,
    wherever it arrives as an argument, into the hyperparameter's symbol."""
    out: dict[str, float] = {}
    for name in adapter.passed:
        if name not in hypers or rule.hyper(name).flag:
            continue
        v = float(hypers[name])
        while v in out.values() or v == 0.0:
            v = math.nextafter(v, math.inf) if v else 1e-3
        out[name] = v
    return out


def _in_form(t: Trace) -> tuple[int, int]:
    """How far a differing trace is from its variant: the number of terms changed (a
    difference no one or two terms explain counts 3), then the final line last."""
    d = t.difference or {}
    if t.status != "differs" or not d:
        return (3, 1)
    return (1 + len(d.get("also") or []), int(d.get("term") == "W"))


def _run_worker(session, rule, adapter, hypers, symbolic: bool, steps: int,
                warmup: bool = False) -> dict:
    from ._session import Failure
    from ._isolation import WorkerFailure

    sentinels = _sentinels(rule, adapter, hypers)
    values = dict(hypers, **sentinels)
    kwargs = adapter.kwargs({k: v for k, v in values.items() if k in adapter.passed})
    rng = random.Random(12345)
    nominal = {}
    for key, shape in SHAPES.items():
        for i in range(_size(shape)):
            nominal[f"W:{key}:{i}"] = rng.uniform(-2, 2)
            for step in range(1, steps + 1):
                nominal[f"g:{key}:{i}:{step}"] = rng.uniform(-2, 2)
    blobs = Blobs()
    header = {"kwargs": encode_value(kwargs, blobs), "shapes": SHAPES, "steps": steps,
              "hypers": [[k, v] for k, v in sentinels.items()] if symbolic else [],
              "nominal": nominal, "warmup": warmup}
    try:
        with session.spawn() as s:
            w = s.worker()
            reply, _ = w._call("trace", header, blobs)
    except Failure as f:
        return {"stopped": {"what": f"the target could not be loaded again to trace it: "
                                    f"{f.message}"}, "crashed": True}
    except WorkerFailure as e:
        return {"stopped": {"what": f"the trace did not finish ({e.kind}: {e.message})"},
                "crashed": True}
    reply = dict(reply)
    reply["symbolic"] = symbolic
    reply["sentinels"] = sentinels
    return reply


def _size(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


# -- rebuilding what the worker sent --------------------------------------------------

class _Malformed(ValueError):
    pass


_ARITY = {"add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "neg": 1, "abs": 1, "sqrt": 1,
          "exp": 1, "log": 1, "sign": 1, "max": 2, "min": 2, "where": 3, "lt": 2, "le": 2,
          "gt": 2, "ge": 2, "eq": 2, "ne": 2}


@dataclass
class _Graph:
    ops: list  # [op, args, site]; args: node ids, or ("c", float) / ("k", int) constants
    leaves: dict[int, str]
    files: list[str]
    after: list[dict[str, list]]
    assumptions: list[tuple[int, bool]]
    deps: list[frozenset] = field(default_factory=list)  # elements each node depends on
    # (node, argument position) -> c: an integer constant that is the step number + c at
    # every step the same place in the code runs (the code's own counter, t or t + 1)
    counters: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return len(self.after)


def _parse(result: dict, allowed_leaves: set[str]) -> _Graph:
    ops_in = result.get("ops")
    if not isinstance(ops_in, list) or len(ops_in) > MAX_OPS:
        raise _Malformed("no list of operations")
    ops, leaves = [], {}
    for i, entry in enumerate(ops_in):
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and isinstance(entry[1], list) and isinstance(entry[2], list)):
            raise _Malformed(f"operation {i}")
        name, args, site = entry
        if not (len(site) == 4 and all(type(x) is int for x in site)):
            raise _Malformed(f"site of operation {i}")
        if name == "sym":
            if not (len(args) == 1 and isinstance(args[0], str) and args[0] in allowed_leaves):
                raise _Malformed(f"leaf {str(args)[:60]}")
            leaves[i] = args[0]
            ops.append(("sym", (), tuple(site)))
            continue
        if _ARITY.get(name) != len(args):
            raise _Malformed(f"operation {name[:20]!r}")
        parsed = []
        for a in args:
            if type(a) is int and 0 <= a < i:
                parsed.append(a)
            elif isinstance(a, list) and len(a) == 2 and a[0] == "c" and isinstance(a[1], str):
                try:
                    value = float.fromhex(a[1])
                except (ValueError, OverflowError):
                    raise _Malformed("constant") from None
                if not math.isfinite(value):
                    raise _Malformed("constant")
                parsed.append(("c", value))
            elif isinstance(a, list) and len(a) == 2 and a[0] == "k" and type(a[1]) is int \
                    and abs(a[1]) <= 2**53:
                parsed.append(("k", a[1]))
            else:
                raise _Malformed(f"argument of operation {i}")
        if name == "pow" and isinstance(parsed[1], tuple) and abs(parsed[1][1]) > 1000:
            raise _Malformed("a power too large")
        ops.append((name, tuple(parsed), tuple(site)))
    files = result.get("files")
    if not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        raise _Malformed("files")
    after = result.get("after")
    if not (isinstance(after, list) and 1 <= len(after) <= MAX_STEPS):
        raise _Malformed("parameters after each step")
    for record in after:
        if not (isinstance(record, dict) and set(record) == set(SHAPES)):
            raise _Malformed("a step's parameters")
        for key, elements in record.items():
            if not (isinstance(elements, list) and len(elements) == _size(SHAPES[key])):
                raise _Malformed(f"params[{key!r}]")
            for e in elements:
                if not ((type(e) is int and 0 <= e < len(ops)) or (
                        isinstance(e, list) and len(e) == 2 and e[0] in ("c", "k"))):
                    raise _Malformed(f"an element of params[{key!r}]")
    assumptions = []
    for a in result.get("assumptions") or []:
        if not (isinstance(a, list) and len(a) == 2 and type(a[0]) is int
                and 0 <= a[0] < len(ops) and type(a[1]) is bool):
            raise _Malformed("assumption")
        assumptions.append((a[0], a[1]))
    g = _Graph(ops, leaves, files, after, assumptions)
    g.deps = _dependencies(g)
    g.counters = _counters(g)
    return g


def _counters(g: _Graph) -> dict[tuple[int, int], int]:
    seen: dict[tuple, list[tuple[int, int, int]]] = {}
    for i, (name, args, site) in enumerate(g.ops):
        for j, a in enumerate(args):
            if type(a) is tuple and float(a[1]).is_integer() and site[0] >= 0:
                seen.setdefault((site[:3], j), []).append((i, site[3], int(a[1])))
    out = {}
    for (_, j), uses in seen.items():
        offsets = {value - step for _, step, value in uses}
        steps = {step for _, step, _ in uses}
        if len(offsets) == 1 and len(steps) >= 2 and abs(next(iter(offsets))) <= 1:
            out.update({(i, j): next(iter(offsets)) for i, _, _ in uses})
    return out


def _element_of(leaf: str) -> str | None:
    parts = leaf.split(":")
    return f"{parts[1]}:{parts[2]}" if parts[0] in ("W", "g") else None


def _dependencies(g: _Graph) -> list[frozenset]:
    deps: list[frozenset] = []
    for i, (name, args, _) in enumerate(g.ops):
        if name == "sym":
            e = _element_of(g.leaves[i])
            deps.append(frozenset([e]) if e else frozenset())
        else:
            s: set = set()
            for a in args:
                if type(a) is int:
                    s |= deps[a]
            deps.append(frozenset(s))
    return deps


# -- numbers -------------------------------------------------------------------------

_NAN = mpmath.mpf("nan")


def _mp(name: str, *xs):
    if any(mpmath.isnan(x) for x in xs):
        return _NAN
    try:
        if name == "add":
            return xs[0] + xs[1]
        if name == "sub":
            return xs[0] - xs[1]
        if name == "mul":
            return xs[0] * xs[1]
        if name == "div":
            return xs[0] / xs[1] if xs[1] != 0 else _NAN
        if name == "pow":
            b, e = xs
            if b < 0 and e != int(e):
                return _NAN
            if b == 0 and e < 0:
                return _NAN
            return mpmath.power(b, e)
        if name == "neg":
            return -xs[0]
        if name == "abs":
            return abs(xs[0])
        if name == "sqrt":
            return mpmath.sqrt(xs[0]) if xs[0] >= 0 else _NAN
        if name == "exp":
            return mpmath.exp(xs[0]) if xs[0] < 10**6 else _NAN
        if name == "log":
            return mpmath.log(xs[0]) if xs[0] > 0 else _NAN
        if name == "sign":
            return mpmath.mpf(int(xs[0] > 0) - int(xs[0] < 0))
        if name == "max":
            return max(xs[0], xs[1])
        if name == "min":
            return min(xs[0], xs[1])
        if name == "where":
            return xs[1] if xs[0] != 0 else xs[2]
        return mpmath.mpf(int({"lt": xs[0] < xs[1], "le": xs[0] <= xs[1], "gt": xs[0] > xs[1],
                               "ge": xs[0] >= xs[1], "eq": xs[0] == xs[1],
                               "ne": xs[0] != xs[1]}[name]))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return _NAN


def _evaluate(g: _Graph, point: dict[str, Any]) -> list:
    values: list = []
    for i, (name, args, _) in enumerate(g.ops):
        if name == "sym":
            values.append(point[g.leaves[i]])
            continue
        xs = [values[a] if type(a) is int else mpmath.mpf(a[1]) for a in args]
        values.append(_mp(name, *xs))
    return values


def _same(a, b) -> bool:
    """Equal to the trace's tolerance; a NaN equals a NaN, an infinity the same infinity (a
    division by zero the code makes where the spec's term would too)."""
    if a is None or b is None:
        return False
    if mpmath.isnan(a) or mpmath.isnan(b):
        return bool(mpmath.isnan(a) and mpmath.isnan(b))
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= TOL * max(abs(a), abs(b)) or abs(a - b) <= mpmath.mpf(10) ** (-DIGITS + 5)


def _same_all(xs, ys) -> bool:
    return all(_same(a, b) for a, b in zip(xs, ys))


# -- the spec, run on the same points -------------------------------------------------

class _Spec:
    """The rule's assignments compiled once; `run` evaluates them step by step, with
    any quantity optionally replaced by other values (the repair)."""

    def __init__(self, rule: Rule, hyper_symbols: list[sp.Symbol]) -> None:
        self.rule = rule
        self.order = [target.name for target, _ in rule.assignments]
        self.states = {s.symbol.name: s for s in rule.states}
        names = [W, G, T] + [s.symbol for s in rule.states] + [
            t for t, _ in rule.assignments if t.name not in self.states and t != W]
        self.args = list(dict.fromkeys(names + hyper_symbols))
        self.fns = [(target.name, sp.lambdify(self.args, expr, "mpmath"))
                    for target, expr in rule.assignments]
        self.inits = {s.symbol.name: sp.lambdify(self.args, s.init, "mpmath") for s in rule.states}

    def run(self, w0, grads: list, hyper_values: dict[str, Any], override=None,
            t_of=None) -> list[dict[str, Any]]:
        """Per step, every assigned quantity's value; ``override(name, step)`` may return a
        value that replaces the spec's; ``t_of(step)`` the step counter used."""
        env = {s.name: _NAN for s in self.args}
        env.update(hyper_values)
        env["W"], env["t"], env["g"] = w0, mpmath.mpf(1), grads[0]
        for name, fn in self.inits.items():
            env[name] = fn(*[env[a.name] for a in self.args])
        out = []
        for step, g in enumerate(grads, start=1):
            env["g"] = g
            env["t"] = mpmath.mpf(t_of(step) if t_of else step)
            values = {}
            for name, fn in self.fns:
                try:
                    v = fn(*[env[a.name] for a in self.args])
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    v = _NAN
                if isinstance(v, mpmath.mpc):  # the root of a negative number: NaN, as in NumPy
                    v = v.real if v.imag == 0 else _NAN
                if override is not None:
                    replaced = override(name, step)
                    v = replaced if replaced is not None else v
                env[name] = v
                values[name] = v
            out.append(values)
        return out


# -- judging -------------------------------------------------------------------------

def _judge(result: dict, rule: Rule, adapter, hypers: dict[str, float], locate) -> Trace:
    symbolic = bool(result.get("symbolic"))
    if result.get("stopped") is not None:
        return _stopped(result, rule, locate)
    if not result.get("ok", True) and "ops" not in result:
        return Trace("stopped", rule.name, "not traced: the worker refused the trace")
    sentinels = result.get("sentinels") or {}
    passed = sorted(sentinels) if symbolic else []
    leaves = {f"h:{n}" for n in passed}
    for key, shape in SHAPES.items():
        for i in range(_size(shape)):
            leaves.add(f"W:{key}:{i}")
            leaves |= {f"g:{key}:{i}:{s}" for s in range(1, MAX_STEPS + 1)}
    g = _parse(result, leaves)
    hyper_syms = [h.symbol for h in rule.hypers if not h.flag]
    spec_run = _Spec(rule, hyper_syms)
    fixed = {h.symbol.name: mpmath.mpf(float(hypers.get(h.name, h.default)))
             for h in rule.hypers}
    fixed.update({h.symbol.name: mpmath.mpf(int(bool(hypers.get(h.name, h.default))))
                  for h in rule.hypers if h.flag})

    with mpmath.workdps(DIGITS):
        points = _points(g, rule, passed, fixed, sentinels)
        if points is None:
            return Trace("stopped", rule.name, "not traced: no values of the hyperparameters "
                         "satisfy the branches the code took", symbolic_hypers=symbolic)
        values = [_evaluate(g, p) for p in points]
        elements = [(key, i) for key, shape in SHAPES.items() for i in range(_size(shape))]
        specs = {e: [spec_run.run(p[f"W:{e[0]}:{e[1]}"],
                                  [p[f"g:{e[0]}:{e[1]}:{s}"] for s in range(1, g.steps + 1)],
                                  _hyper_point(p, fixed, passed))
                     for p in points] for e in elements}
        mine = {e: [[_value(values[k], g.after[s][e[0]][e[1]]) for k in range(len(points))]
                    for s in range(g.steps)] for e in elements}
        first = None
        for s in range(g.steps):
            for e in elements:
                theirs = [specs[e][k][s]["W"] for k in range(len(points))]
                if not _same_all(_updates(mine[e], s, points, e), _spec_updates(specs[e], s, points, e)):
                    first = (s + 1, e)
                    break
            if first:
                break
        assumptions = _describe_assumptions(g, rule)
        if first is None:
            shown = _shown_formulas(g, rule, spec_run, specs, values, elements[0], hypers,
                                    len(points))
            return _prove(g, rule, adapter, hypers, symbolic, passed, fixed, elements, assumptions,
                          shown)
        return _localise(g, rule, spec_run, points, values, specs, mine, first, passed, fixed,
                         symbolic, hypers, locate, assumptions)


def _stopped(result: dict, rule: Rule, locate) -> Trace:
    s = dict(result["stopped"]) if isinstance(result["stopped"], dict) else {"what": "?"}
    what = str(s.get("what", "?"))[:300]
    clean = {"what": what, "file": str(s.get("file") or "")[:300] or None,
             "line": s.get("line") if type(s.get("line")) is int else None,
             "code": str(s.get("code") or "")[:200] or None}
    place, code = locate(clean["file"], clean["line"])
    clean["where"] = place
    clean["code"] = code or clean["code"]
    where = f" ({place})" if place else ""
    return Trace("stopped", rule.name, f"not traced: {what}{where}; the numeric verdict stands",
                 stopped=clean, symbolic_hypers=bool(result.get("symbolic")))


def _value(values: list, ref):
    if type(ref) is int:
        return values[ref]
    return mpmath.mpf(ref[1]) if ref[0] == "k" else mpmath.mpf(float.fromhex(ref[1])) \
        if isinstance(ref[1], str) else mpmath.mpf(ref[1])


def _updates(mine_e, s, points, e):
    before = [p[f"W:{e[0]}:{e[1]}"] for p in points] if s == 0 else mine_e[s - 1]
    return [a - b for a, b in zip(mine_e[s], before)]


def _spec_updates(spec_e, s, points, e):
    before = [p[f"W:{e[0]}:{e[1]}"] for p in points] if s == 0 else \
        [spec_e[k][s - 1]["W"] for k in range(len(points))]
    return [spec_e[k][s]["W"] - before[k] for k in range(len(points))]


def _hyper_point(p: dict, fixed: dict, passed: list) -> dict:
    out = dict(fixed)
    for n in passed:
        out[n] = p[f"h:{n}"]
    return out


def _points(g: _Graph, rule: Rule, passed: list, fixed: dict, sentinels: dict):
    rng = random.Random(20261207)
    # code that compares the values (np.where(g != 0, ...)) takes another path at an exact
    # zero: then the last point has every other gradient exactly 0
    compares = any(name in ("where", "eq", "ne", "lt", "le", "gt", "ge")
                   for name, _, _ in g.ops)
    out = []
    for _ in range(200):
        p: dict[str, Any] = {}
        zeros = compares and len(out) == POINTS - 1
        for n, leaf in enumerate(g.leaves.values()):
            if zeros and leaf.startswith("g:") and n % 2 == 0:
                p[leaf] = mpmath.mpf(0)
                continue
            if leaf.startswith("h:"):
                h = rule.hyper(leaf[2:])
                lo, hi = h.typical
                if h.domain.is_rate:
                    lo, hi = max(lo, 0.3), min(hi, 0.95)
                p[leaf] = mpmath.mpf(rng.uniform(lo, hi)) if hi > lo else mpmath.mpf(lo)
            else:
                x = rng.uniform(0.2, 2.0) * rng.choice((-1, 1))
                p[leaf] = mpmath.mpf(x)
        if g.assumptions:
            values = _evaluate(g, p)
            if any((values[i] != 0) != taken for i, taken in g.assumptions):
                continue
        out.append(p)
        if len(out) == POINTS:
            return out
    return None


def _describe_assumptions(g: _Graph, rule: Rule) -> list[str]:
    out = []
    names = _Names(g, {}, None)
    for i, taken in g.assumptions:
        text = sp.sstr(names.expr(i, plain=True))
        out.append(text if taken else f"not ({text})")
    return list(dict.fromkeys(out))


def _text(expr) -> str:
    """An expression as the report prints it: floats as short as they were written."""
    return sp.sstr(expr, full_prec=False)


# -- rendering the code's nodes as SymPy, in the spec's names ---------------------------

_FN = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
       "div": lambda a, b: a / b, "pow": lambda a, b: a ** b, "neg": lambda a: -a,
       "abs": sp.Abs, "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "sign": sp.sign,
       "max": sp.Max, "min": sp.Min}


def _indicator(relation):
    """A comparison as the number the code computes with (``t += g != 0``): 1 or 0."""
    def make(a, b):
        return sp.Piecewise((sp.Integer(1), relation(a, b)), (sp.Integer(0), True))
    return make


_FN.update({name: _indicator(rel) for name, rel in (
    ("lt", sp.Lt), ("le", sp.Le), ("gt", sp.Gt), ("ge", sp.Ge), ("eq", sp.Eq), ("ne", sp.Ne))})


def _condition(c):
    """The condition of ``np.where``: a comparison's own relation, else ``c != 0``."""
    if (isinstance(c, sp.Piecewise) and len(c.args) == 2 and c.args[0].expr == 1
            and c.args[1].expr == 0 and c.args[1].cond == sp.true):
        return c.args[0].cond
    return c if isinstance(c, sp.logic.boolalg.Boolean) else sp.Ne(c, 0)


def _number(ref, exact: bool):
    kind, v = ref
    if kind == "k":
        return sp.Integer(v)
    if float(v).is_integer() and abs(v) < 2**53:
        return sp.Integer(int(v))
    return sp.Rational(v) if exact else sp.Float(repr(v), 15) if len(repr(v)) < 20 else sp.Float(v, 6)


class _Names:
    """SymPy expressions of the code's nodes.  ``named``: node id -> a spec name to show
    instead of the node's own expression; ``constants``: float -> the hard-coded
    hyperparameter it stands for."""

    def __init__(self, g: _Graph, named: dict[int, sp.Symbol], display_element,
                 constants: dict[float, sp.Symbol] | None = None, exact: bool = False,
                 step: int | None = None, rule: Rule | None = None) -> None:
        self.g, self.named, self.element = g, named, display_element
        self.constants = constants or {}
        self.exact, self.step = exact, step
        self.hypers = {h.name: h.symbol for h in rule.hypers} if rule is not None else {}
        self.memo: dict[int, sp.Expr] = {}
        self.top_name: sp.Symbol | None = None  # the quantity the top node stands in for

    def leaf(self, name: str) -> sp.Expr:
        parts = name.split(":")
        if parts[0] == "h":
            return self.hypers.get(parts[1]) or sp.Symbol(parts[1], real=True)
        element = f"{parts[1]}:{parts[2]}"
        if self.element is None:  # the full formula: every leaf its own symbol
            suffix = f"{parts[1]}{parts[2]}" if len(SHAPES) > 1 else parts[2]
            return sp.Symbol(f"W_{suffix}" if parts[0] == "W" else f"g{parts[3]}_{suffix}",
                             real=True)
        other = "" if element == self.element else f"[{parts[1]}{parts[2]}]"
        if parts[0] == "W":
            return sp.Symbol(("W" if self.step in (None, 1) else "W_0") + other, real=True)
        step = int(parts[3])
        base = "g" if step == self.step or self.step is None else f"g_{step}"
        return sp.Symbol(base + other, real=True)

    def arg(self, a, plain: bool, at: tuple | None = None) -> sp.Expr:
        if type(a) is int:
            return self.expr(a, plain)
        if not self.exact and not plain and at in self.g.counters:
            return T + self.g.counters[at]  # the step counter, read by the code as a number
        if a[0] == "c" and not self.exact and a[1] in self.constants:
            return self.constants[a[1]]
        return _number(a, self.exact)

    def expr(self, i: int, plain: bool = False, top: bool = False) -> sp.Expr:
        if not plain and i in self.named and (not top or self.named[i] != self.top_name):
            return self.named[i]  # at the top: the code used another quantity in its place
        if i in self.memo and not top:
            return self.memo[i]
        name, args, _ = self.g.ops[i]
        if name == "sym":
            out = self.leaf(self.g.leaves[i])
        elif name == "where":
            c, a, b = (self.arg(x, plain, (i, j)) for j, x in enumerate(args))
            out = sp.Piecewise((a, _condition(c)), (b, True))
        else:
            out = _FN[name](*(self.arg(x, plain, (i, j)) for j, x in enumerate(args)))
        if not top:
            self.memo[i] = out
        return out


def _spec_full(rule: Rule, element, hypers_exact: dict, passed: list, steps: int) -> list[sp.Expr]:
    """The spec's W after each step, in the same leaf symbols as `_Names(display=None)`."""
    key, i = element
    suffix = f"{key}{i}" if len(SHAPES) > 1 else str(i)
    w = sp.Symbol(f"W_{suffix}", real=True)
    subs = {h.symbol: hypers_exact[h.name] for h in rule.hypers if h.name not in passed}
    env = {W: w}
    for s in rule.states:
        env[s.symbol] = s.init.xreplace(subs)
    out = []
    for step in range(1, steps + 1):
        env[G] = sp.Symbol(f"g{step}_{suffix}", real=True)
        env[T] = sp.Integer(step)
        for target, expr in rule.assignments:
            env[target] = expr.xreplace(subs).xreplace(env)
        out.append(env[W])
    return out


def _shown_formulas(g, rule, spec_run, specs, values, element, hypers, npts) -> dict | None:
    """A right update as the reader should see it: step 2 (step 1 starts from the initial
    state, where terms vanish from one side only), the code's quantities named as the spec's."""
    show = min(2, g.steps)
    ekey = f"{element[0]}:{element[1]}"
    named = _name_nodes(g, rule, spec_run, specs[element], values, ekey, show, "W", npts)
    if show > 1:
        previous = g.after[show - 2][element[0]][element[1]]
        if type(previous) is int:
            named[previous] = W
    return _step_formulas(g, rule, element, hypers, show, named)


def _prove(g, rule, adapter, hypers, symbolic, passed, fixed, elements, assumptions,
           formulas=None) -> Trace:
    names = _Names(g, {}, None, exact=True, rule=rule)
    hypers_exact = {h.name: (sp.Rational(float(hypers.get(h.name, h.default))) if not h.flag
                             else (sp.true if hypers.get(h.name, h.default) else sp.false))
                    for h in rule.hypers}
    proven = True
    deadline = time.monotonic() + 4.0
    formulas = formulas or _step_formulas(g, rule, elements[0], hypers)
    if any(type(ref) is int and _size_of(g, ref) > MAX_PROOF_NODES
           for record in g.after for refs in record.values() for ref in refs):
        proven = False
        elements = []
    for e in elements:
        spec_w = _spec_full(rule, e, hypers_exact, passed, g.steps)
        for s in range(g.steps):
            ref = g.after[s][e[0]][e[1]]
            mine = names.expr(ref) if type(ref) is int else _number(ref, True)
            if not _zero(mine - spec_w[s], deadline):
                proven = False
                break
        if not proven:
            break
    over = "every input" if symbolic else "every parameter and gradient, at these hyperparameters"
    steps = f"steps 1-{g.steps}"
    if proven:
        return Trace("proven", rule.name, f"proven: your update is {rule.name} for {steps}, for "
                     f"{over} (SymPy: the difference simplifies to 0)", symbolic_hypers=symbolic,
                     assumptions=assumptions, formulas=formulas)
    return Trace("agrees", rule.name, f"your update agrees with {rule.name} for {steps} at "
                 f"{POINTS} random points to {int(-math.log10(TOL))} digits ({over}); SymPy did "
                 "not simplify the difference to 0, so it is not proven", symbolic_hypers=symbolic,
                 assumptions=assumptions, formulas=formulas)


def _zero(diff: sp.Expr, deadline: float) -> bool:
    if diff == 0:
        return True
    for simplify in (sp.expand, sp.cancel, lambda x: sp.simplify(x)):
        if time.monotonic() > deadline:
            return False
        try:
            if simplify(diff) == 0:
                return True
        except Exception:  # noqa: BLE001 - SymPy may give up in many ways; not proven
            return False
    return False


def _step_formulas(g, rule, element, hypers, step: int = 1, named=None) -> dict | None:
    """Step ``step``'s update for one element, the code's and the spec's, in plain text and
    LaTeX (the first step: the state starts from its initial value, so both are short)."""
    key, i = element
    names = _Names(g, named or {}, f"{key}:{i}", _hard_coded(rule, hypers, g), step=step,
                   rule=rule)
    names.top_name = W  # the update itself is shown, whatever earlier value it equals
    ref = g.after[step - 1][key][i]
    if type(ref) is not int:
        return None
    yours = names.expr(ref, top=True)
    if yours.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None  # a division by zero the code makes: the formula says nothing more
    spec_expr = [e for t, e in rule.assignments if t == W][-1]
    return {"step": step, "yours": _text(yours), "spec": _text(spec_expr),
            "yours_latex": sp.latex(yours), "spec_latex": sp.latex(spec_expr)}


def _hard_coded(rule: Rule, hypers: dict, g: _Graph) -> dict[float, sp.Symbol]:
    """Literal floats in the code that are the value of a hyperparameter it does not take."""
    passed = {g.leaves[i][2:] for i in g.leaves if g.leaves[i].startswith("h:")}
    out = {}
    for h in rule.hypers:
        if h.name not in passed and not h.flag and h.name in hypers and float(hypers[h.name]) \
                not in (0.0, 1.0):
            out.setdefault(float(hypers[h.name]), h.symbol)
    return out


# -- localising ------------------------------------------------------------------------

def _localise(g, rule, spec_run, points, values, specs, mine, first, passed, fixed, symbolic,
              hypers, locate, assumptions) -> Trace:
    step, element = first
    ekey = f"{element[0]}:{element[1]}"
    npts = len(points)
    w0 = [p[f"W:{ekey}"] for p in points]
    grads = [[p[f"g:{ekey}:{s}"] for s in range(1, g.steps + 1)] for p in points]
    hv = [_hyper_point(p, fixed, passed) for p in points]
    yours_w = mine[element]  # [step][point]
    spec_e = specs[element]

    last = [g.after[s][element[0]][element[1]] for s in range(g.steps)]
    if all(type(r) is int and g.leaves.get(r) == f"W:{ekey}" for r in last):
        d = {"term": "W", "step": 1, "yours": "W (never changed)", "spec": _text(
            [e for t, e in rule.assignments if t == W][-1]), "smallest": None, "line": None,
            "code": None}
        return Trace("differs", rule.name, f"your update differs from {rule.name} in the final "
                     f"step W <- ...: {element[0]}[{element[1]}] is never changed",
                     difference=d, symbolic_hypers=symbolic, assumptions=assumptions)

    def reproduces(override=None, t_of=None) -> bool:
        for k in range(npts):
            run = spec_run.run(w0[k], grads[k], hv[k], override=(
                (lambda name, s: override(name, s, k)) if override else None), t_of=t_of)
            for s in range(g.steps):
                if not _same(run[s]["W"] - (w0[k] if s == 0 else run[s - 1]["W"]),
                             yours_w[s][k] - (w0[k] if s == 0 else yours_w[s - 1][k])):
                    return False
        return True

    def replacing(terms):  # [(spec name, {step: node})] -> an override of the spec's run
        def override(name, s, k):
            for qname, by_step in terms:
                if name == qname and s in by_step:
                    return values[k][by_step[s]]
            return None
        return override

    # the code's places: (file, line, op index within the line) -> {step: node}
    sites: dict[tuple, dict[int, int]] = {}
    for i, (name, _, site) in enumerate(g.ops):
        if name == "sym" or site[0] < 0:
            continue
        if g.deps[i] and ekey not in g.deps[i]:
            continue  # another element's
        sites.setdefault(site[:3], {}).setdefault(site[3], i)
    if len(sites) > MAX_SITES:
        sites = {}
    deadline = time.monotonic() + SEARCH_SECONDS
    ordered = sorted(sites.items(), key=lambda kv: _size_of(g, next(iter(kv[1].values()))))
    for label, t_of in _t_candidates():  # the step counter, before any term
        if reproduces(t_of=t_of):
            place, line, code = _counter_line(g, locate)
            d = {"term": "t", "step": step, "yours": label, "spec": "1, 2, 3, ... (the "
                 "number of this call)", "smallest": None, "where": place, "line": line,
                 "code": code}
            return Trace("differs", rule.name, f"your update differs from {rule.name} in "
                         f"the step counter t: yours is {label}; every term reading t is right "
                         "for the t it is given", difference=d,
                         symbolic_hypers=symbolic, assumptions=assumptions)
    carried = _carried(g)
    right = _computed_right(g, spec_run, spec_e, values, ordered, npts)
    found: list[tuple[str, tuple, dict]] = []
    # the earliest term that one place in the code explains; the final line last, wherever
    # the variant computes it (Nesterov's reads v before updating it)
    for qname in [n for n in spec_run.order if n != "W"] + ["W"]:
        if found or time.monotonic() > deadline:
            break
        if qname in right:
            continue  # a term the code computes right is not the wrong one
        # a state is first looked for in what the code carries to the next step
        for site, by_step in sorted(ordered, key=lambda kv: qname in spec_run.states and not all(
                kv[1][s] in carried for s in kv[1] if s < g.steps)):
            if reproduces(replacing([(qname, by_step)])):
                found = [(qname, site, by_step)]
                break
    if not found or found[0][0] == "W":
        pair = _pair(spec_run, ordered, values, spec_e, npts, reproduces, replacing, deadline, g,
                     right)
        found = pair or found
    if not found:
        return Trace("differs", rule.name, f"your update differs from {rule.name} from step "
                     f"{step} (element {element[0]}[{element[1]}]); no term of {rule.name}, "
                     "nor two, replaced by what your code computes reproduces your numbers",
                     symbolic_hypers=symbolic, assumptions=assumptions,
                     formulas=_step_formulas(g, rule, element, hypers, step))
    terms = [_render_term(g, rule, spec_run, spec_e, values, element, npts, qname, site, by_step,
                          hypers, locate) for qname, site, by_step in found]
    named = terms[0]["_named"]
    parts = []
    for t in terms:
        what = t["term"] if t["term"] != "W" else "the final step W <- ..."
        parts.append(f"{what}: yours {t['yours']}, the spec {t['spec']}{t.pop('say')}")
        del t["_named"]
    d = dict(terms[0])
    if len(terms) > 1:
        d["also"] = terms[1:]
    message = f"your update differs from {rule.name} in " + "; and in ".join(parts)
    return Trace("differs", rule.name, message, difference=d, symbolic_hypers=symbolic,
                 assumptions=assumptions,
                 formulas=_step_formulas(g, rule, element, hypers, terms[0]["step"], named))


def _carried(g: _Graph) -> set[int]:
    """Nodes a later step reads: what the code keeps from one update to the next."""
    out = set()
    for name, args, site in g.ops:
        for a in args:
            if type(a) is int and g.ops[a][0] != "sym" and g.ops[a][2][3] < site[3]:
                out.add(a)
    return out


def _computed_right(g, spec_run, spec_e, values, ordered, npts) -> set[str]:
    """The spec's terms some place in the code computes right at every step it runs."""
    out = set()
    for name in spec_run.order:
        for _, by_step in ordered:
            if len(by_step) == g.steps and all(_same_all(
                    [values[k][node] for k in range(npts)],
                    [spec_e[k][s - 1][name] for k in range(npts)]) for s, node in by_step.items()):
                out.add(name)
                break
    return out


def _pair(spec_run, ordered, values, spec_e, npts, reproduces, replacing, deadline, g, right):
    """Two terms wrong at once (m_hat and v_hat corrected with each other's decay): the
    first pair of terms, each replaced by what one place computes, that reproduces every
    step.  Only places whose value is none of the spec's quantities are tried."""
    def unexplained(by_step):
        for s, node in by_step.items():
            mine = [values[k][node] for k in range(npts)]
            known = [[spec_e[k][j][n] for k in range(npts)] for j in (s - 1, s - 2)
                     if 0 <= j < len(spec_e[0]) for n in spec_e[0][0]]
            if not any(_same_all(mine, theirs) for theirs in known):
                return True
        return False
    odd = [(site, by_step) for site, by_step in ordered if unexplained(by_step)]
    # and what the unexplained ones read: the code may use a right quantity in a wrong place
    # (m and v where the spec has m_hat and v_hat)
    read = {a for _, by_step in odd for node in by_step.values()
            for a in g.ops[node][1] if type(a) is int}
    odd += [(site, by_step) for site, by_step in ordered
            if (site, by_step) not in odd and set(by_step.values()) & read]
    odd = odd[:30]
    names = [n for n in spec_run.order if n != "W"]
    for i, q1 in enumerate(names):  # two terms, neither the final line
        for q2 in names[i + 1:]:
            for s1, b1 in odd:
                for s2, b2 in odd:
                    if time.monotonic() > deadline:
                        return None
                    if s1 == s2 or q1 in right or q2 in right:
                        continue
                    if reproduces(replacing([(q1, b1), (q2, b2)])):
                        return [(q1, s1, b1), (q2, s2, b2)]
    return None


def _render_term(g, rule, spec_run, spec_e, values, element, npts, qname, site, by_step,
                 hypers, locate) -> dict:
    """One wrong term: the code's version in the spec's names, the spec's, where they differ."""
    ekey = f"{element[0]}:{element[1]}"
    differing = [s for s in sorted(by_step)
                 if not _same_all([values[k][by_step[s]] for k in range(npts)],
                                  [spec_e[k][s - 1][qname] for k in range(npts)])]
    # step 2 where it differs there: at step 1 the state is still its initial value, and
    # terms such as beta1 * m vanish from both sides
    show = next((s for s in differing if s >= 2), differing[0] if differing else min(by_step))
    named = _name_nodes(g, rule, spec_run, spec_e, values, ekey, show, qname, npts)
    symbols = dict((t.name, t) for t, _ in rule.assignments)
    if show > 1:
        # what the code carried from the step before, named as the spec's right-hand side
        # reads it (W, and the state the wrong term is), whatever its value
        previous = g.after[show - 2][element[0]][element[1]]
        if type(previous) is int:
            named[previous] = W
        if (qname in spec_run.states or qname == "W") and show - 1 in by_step:
            named[by_step[show - 1]] = symbols[qname]
    names = _Names(g, named, ekey, _hard_coded(rule, hypers, g), step=show, rule=rule)
    names.top_name = symbols[qname]
    yours = names.expr(by_step[show], top=True)
    spec_expr = dict((t.name, e) for t, e in rule.assignments)[qname]
    smallest = _smallest(yours, spec_expr) if sp.count_ops(yours) < 400 else None
    file = g.files[site[0]] if 0 <= site[0] < len(g.files) else None
    place, code = locate(file, site[1])
    d = {"term": qname, "step": show, "yours": _text(yours), "spec": _text(spec_expr),
         "yours_latex": sp.latex(yours), "spec_latex": sp.latex(spec_expr),
         "smallest": [_text(smallest[0]), _text(smallest[1])] if smallest else None,
         "where": place, "line": site[1] or None, "code": code, "_named": named}
    say = ""
    if smallest is not None:
        a, b = smallest
        if _equal(a, -b):
            say = f"; yours has the opposite sign ({d['smallest'][0]} where the spec has " \
                  f"{d['smallest'][1]})"
        elif (d["smallest"][0], d["smallest"][1]) != (d["yours"], d["spec"]):
            say = f"; yours has {d['smallest'][0]} where the spec has {d['smallest'][1]}"
    if d["yours"] == d["spec"] and qname in spec_run.states:
        init = spec_run.states[qname].init
        say = (f"; the same formula, so what differs is the value {qname} starts from (the spec "
               f"starts it at {_text(init)}) or keeps between calls")
    d["say"] = say
    return d


_COUNTER = re.compile(r"(\bt\b|iter|step|count|\[['\"]t['\"]\]).*(\+=\s*1\b|=.*\+\s*1\b)")


def _counter_line(g: _Graph, locate):
    """The line that advances the step counter, when the traced files hold exactly one that
    looks like it (``self.t += 1``, ``config['t'] = t + 1``): the counter is a Python number,
    so the trace itself never sees it."""
    found = []
    for file in g.files:
        n = 1
        while True:
            place, code = locate(file, n)
            if place is None:
                break
            if code and _COUNTER.search(code) and not code.startswith("#"):
                found.append((place, n, code))
            n += 1
            if n > 5000:
                break
    return found[0] if len(found) == 1 else (None, None, None)


def _t_candidates():
    """Step counters a code may keep instead of 1, 2, 3, ...: (what to say, t at step s)."""
    return [("1 at every step (never advanced)", lambda s: 1),
            ("one behind (t = 0 at the first step)", lambda s: s - 1),
            ("one ahead (t = 2 at the first step)", lambda s: s + 1),
            ("advanced twice a call (per key)", lambda s: 2 * s),
            ("advanced twice a call, counted from 1", lambda s: 2 * s - 1)] + [
        (f"{k} ahead (carried over from another instance, or counted across them)",
         lambda s, k=k: s + k) for k in range(2, 13)]


def _size_of(g: _Graph, i: int, limit: int = 10_000) -> int:
    seen, stack = set(), [i]
    while stack and len(seen) < limit:
        j = stack.pop()
        if j in seen:
            continue
        seen.add(j)
        stack.extend(a for a in g.ops[j][1] if type(a) is int)
    return len(seen)


def _name_nodes(g, rule, spec_run, spec_e, values, ekey, show, qname, npts) -> dict[int, sp.Symbol]:
    """Nodes whose values equal a spec quantity, shown by that quantity's name as the spec's
    assignment of ``qname`` at step ``show`` reads it."""
    order = spec_run.order
    symbols = {t.name: t for t, _ in rule.assignments}
    position = order.index(qname)
    wanted: list[tuple[str, list]] = []
    for name in order:
        idx = order.index(name)
        # as the spec's right-hand side reads the name: assigned earlier this step, or a
        # state (or W) carried from the step before
        if idx < position:
            wanted.append((name, [spec_e[k][show - 1][name] for k in range(npts)]))
            if name in spec_run.states and show > 1:  # the value before this step's update
                wanted.append((name + "_prev", [spec_e[k][show - 2][name] for k in range(npts)]))
        elif (name in spec_run.states or name == "W") and show > 1:
            wanted.append((name, [spec_e[k][show - 2][name] for k in range(npts)]))
    named: dict[int, sp.Symbol] = {}
    for i, (op, _, site) in enumerate(g.ops):
        if op == "sym" or (g.deps[i] and ekey not in g.deps[i]) or not g.deps[i]:
            continue
        if site[3] > show:
            continue
        mine = [values[k][i] for k in range(npts)]
        for name, theirs in wanted:
            if _same_all(mine, theirs):
                named[i] = symbols.get(name) or sp.Symbol(name, **_assumptions_of(
                    symbols[name[:-5]]))
                break
    return named


def _assumptions_of(symbol: sp.Symbol) -> dict:
    return {k: v for k, v in symbol.assumptions0.items() if k in ("real", "nonnegative",
                                                                   "positive")}


def _smallest(a: sp.Expr, b: sp.Expr):
    """The smallest pair of subexpressions where ``a`` and ``b`` differ (None if equal)."""
    if _equal(a, b):
        return None
    if a.func == b.func and a.func in (sp.Add, sp.Mul):
        ra, rb = list(a.args), list(b.args)
        for x in list(ra):
            y = next((y for y in rb if _equal(x, y)), None)
            if y is not None:
                ra.remove(x)
                rb.remove(y)
        if len(ra) == 1 and len(rb) == 1:
            return _smallest(ra[0], rb[0]) or (ra[0], rb[0])
        if ra and rb:
            return (a.func(*ra), b.func(*rb))
        return (a, b)
    if a.func == b.func and len(a.args) == len(b.args) and a.args:
        diffs = [(x, y) for x, y in zip(a.args, b.args) if not _equal(x, y)]
        if len(diffs) == 1:
            return _smallest(*diffs[0]) or diffs[0]
    return (a, b)


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    if a == b:
        return True
    free = sorted((a.free_symbols | b.free_symbols), key=lambda s: s.name)
    rng = random.Random(7)
    for _ in range(3):
        at = {s: sp.Float(rng.uniform(0.3, 0.9)) for s in free}
        try:
            x, y = complex(a.evalf(30, subs=at)), complex(b.evalf(30, subs=at))
        except (TypeError, ValueError):
            return False
        if abs(x - y) > 1e-12 * max(abs(x), abs(y), 1e-300):
            return False
    return True

