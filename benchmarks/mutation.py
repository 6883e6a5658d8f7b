"""Mutation testing of the reference optimizers: does the checker kill every wrong one?

    python benchmarks/mutation.py              # from the repository root
    python benchmarks/mutation.py --file adam  # one family
    python benchmarks/mutation.py --jobs 2 --max-per-file 120

A small AST mutator changes one thing at a time in each class of ``reference/``:
in ``update``, an arithmetic operator (``+ -``, ``* /``, ``**`` to ``*``), an
augmented assignment (``+= -=``, ``*= /=``), a number (``c*2``, ``0``, ``1-c``
for ``0 < c < 1``), an attribute for another of its kind (``self.beta1`` and
``self.beta2``, ``self.m`` and ``self.v``, ``self.lr`` and ``self.eps``), the
names ``params`` and ``grads``, a comparison or a unary sign, or one simple
statement replaced by ``pass``; in ``__init__``, a number among the defaults.

A mutant that is the same function as the original is not a bug, so before the
checker sees it, both are run in this process on SymPy symbols for 3 steps (it is
our own reference code, so running it here is safe): params ``{"w": W, "u": U}``
(two keys, so that a mutant that only breaks with several keys is not taken for
equivalent), gradients ``g1..g3`` and ``h1..h3``, the hyperparameters the
constructor's defaults as exact rationals, and a stand-in for numpy
(``np.sqrt`` is ``sympy.sqrt``, ``np.zeros_like`` is 0).  When the parameters and
the gradients after every step simplify to the original's, the mutant is
equivalent: left out of the score and listed.  One that fails to run
symbolically stays in.  A mutant that does not compile is skipped and counted.

Every other mutant is judged by ``python -m checker mutant.py:Class --profile
quick --seed 0``; killed means the verdict is fail.  The equivalent ones and
the unmutated originals are judged too: the checker must pass those (a failure
there is a false alarm).

Nothing here asserts: survivors are reported, not raised.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import sympy as sp

from _checker_run import run_checker  # this folder: benchmarks/ is on sys.path when run

REPO = Path(__file__).resolve().parents[1]
FILES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
STEPS = 3
SYMBOLIC_LIMIT = 30  # seconds to decide one mutant's equivalence
CHECKER_LIMIT = 300.0

_SWAP_BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.Pow: ast.Mult}
_SWAP_AUG = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_SWAP_CMP = {ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
             ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
             ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_SWAP_UNARY = {ast.USub: ast.UAdd, ast.UAdd: ast.USub}


# ------------------------------------------------------------------ mutants


@dataclass
class Mutant:
    stem: str
    cls: str
    number: int
    operator: str  # which kind of mutation
    lineno: int  # in the original file
    source: str = ""
    compiles: bool = True
    old: str = ""  # the changed line(s), before and after
    new: str = ""
    equivalence: str = ""  # "equivalent", "different", or why it could not be decided
    verdict: str | None = None  # the checker's: "pass", "fail", or an error
    kinds: list[str] = field(default_factory=list)
    warned: str = ""  # what the checker warned about, when it passed
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.stem}#{self.number}"

    @property
    def equivalent(self) -> bool:
        return self.equivalence == "equivalent"

    def diff(self) -> str:
        return f"{self.stem}.py:{self.lineno}: {self.old}  ->  {self.new}"


def _numbers(node) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _constant_changes(c):
    out = [c * 2, type(c)(0)]
    if 0 < c < 1:
        out.append(1 - c)
    if c == 1:
        out.append(type(c)(2))
    return [v for v in dict.fromkeys(out) if v != c]


def _attr_kinds(init: ast.FunctionDef) -> dict[str, str]:
    """self.X -> its kind, from how __init__ assigns it: a rate, a scalar, a state dict, a counter."""
    kinds = {}
    for node in ast.walk(init):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        t, v = node.targets[0], node.value
        if not (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"):
            continue
        if isinstance(v, ast.Call) and getattr(v.func, "id", None) == "checked":
            rate = any(k.arg == "rate" and getattr(k.value, "value", False) for k in v.keywords)
            kinds[t.attr] = "rate" if rate else "scalar"
        elif isinstance(v, ast.Dict):
            kinds[t.attr] = "state"
        elif _numbers(v):
            kinds[t.attr] = "counter"
    return kinds


def _class_of(tree: ast.Module) -> ast.ClassDef:
    return next(n for n in tree.body if isinstance(n, ast.ClassDef))


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef:
    return next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name)


def mutation_points(tree: ast.Module) -> list[tuple[int, str, object, str | None]]:
    """(index of the node in ast.walk order, operator name, argument, label) per mutation.

    The label names a changed default (``lr=0.01 -> lr=0.02``); None elsewhere.
    """
    cls = _class_of(tree)
    init, update = _method(cls, "__init__"), _method(cls, "update")
    kinds = _attr_kinds(init)
    peers = {a: sorted(b for b in kinds if kinds[b] == k and b != a) for a, k in kinds.items()}
    in_update = {id(n) for n in ast.walk(update)} - {id(update), id(update.args)}
    in_update -= {id(n) for n in ast.walk(update.args)}
    positional = init.args.posonlyargs + init.args.args
    named = list(zip(positional[len(positional) - len(init.args.defaults):], init.args.defaults))
    named += [(a, d) for a, d in zip(init.args.kwonlyargs, init.args.kw_defaults) if d]
    defaults = {id(n): a.arg for a, d in named for n in ast.walk(d)}
    points = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in defaults and _numbers(node):
            name = defaults[id(node)]
            points += [(index, "default constant", v, f"{name}={node.value!r} -> {name}={v!r}")
                       for v in _constant_changes(node.value)]
        if id(node) not in in_update:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _SWAP_BINOP:
            points.append((index, "arithmetic operator", _SWAP_BINOP[type(node.op)], None))
        elif isinstance(node, ast.AugAssign) and type(node.op) in _SWAP_AUG:
            points.append((index, "augmented assignment", _SWAP_AUG[type(node.op)], None))
        elif _numbers(node):
            points += [(index, "constant", v, None) for v in _constant_changes(node.value)]
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "self":
            points += [(index, "attribute swap", b, None) for b in peers.get(node.attr, ())]
        elif isinstance(node, ast.Name) and node.id in ("params", "grads"):
            other = {"params": "grads", "grads": "params"}[node.id]
            points.append((index, "params/grads swap", other, None))
        elif isinstance(node, ast.Compare):
            points += [(index, "comparison flip", i, None) for i, op in enumerate(node.ops)
                       if type(op) in _SWAP_CMP]
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _SWAP_UNARY:
            points.append((index, "unary sign flip", None, None))
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.AnnAssign)):
            points.append((index, "statement deleted", None, None))
    return points


def _apply(tree: ast.Module, index: int, operator: str, arg) -> int:
    """Mutate ``tree`` (a copy) in place at the index-th node; returns that node's line."""
    nodes = list(ast.walk(tree))
    node = nodes[index]
    if operator in ("arithmetic operator", "augmented assignment"):
        node.op = arg()
    elif operator in ("constant", "default constant"):
        node.value = arg
    elif operator == "attribute swap":
        node.attr = arg
    elif operator == "params/grads swap":
        node.id = arg
    elif operator == "comparison flip":
        node.ops[arg] = _SWAP_CMP[type(node.ops[arg])]()
    elif operator == "unary sign flip":
        node.op = _SWAP_UNARY[type(node.op)]()
    elif operator == "statement deleted":
        for parent in nodes:
            for name in ("body", "orelse", "finalbody"):
                body = getattr(parent, name, None)
                for i, stmt in enumerate(body if isinstance(body, list) else ()):
                    if stmt is node:
                        body[i] = ast.copy_location(ast.Pass(), node)
    else:
        raise ValueError(operator)
    return node.lineno


def _changed_lines(before: str, after: str) -> tuple[str, str]:
    a, b = before.splitlines(), after.splitlines()
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op != "equal":
            old += [s.strip() for s in a[i1:i2]]
            new += [s.strip() for s in b[j1:j2]]
    return " / ".join(old), " / ".join(new)


def make_mutants(stem: str) -> tuple[str, str, list[Mutant]]:
    """The original module (unparsed), its class name, and every distinct mutant of it."""
    tree = ast.parse((REPO / "reference" / f"{stem}.py").read_text())
    cls = _class_of(tree).name
    original = ast.unparse(tree)
    seen, mutants = {original}, []
    for index, operator, arg, label in mutation_points(tree):
        copied = copy.deepcopy(tree)
        lineno = _apply(copied, index, operator, arg)
        source = ast.unparse(ast.fix_missing_locations(copied))
        if source in seen:
            continue
        seen.add(source)
        m = Mutant(stem, cls, len(mutants) + 1, operator, lineno, source)
        m.old, m.new = label.split(" -> ") if label else _changed_lines(original, source)
        try:
            compile(source, f"mutant_{m.name}.py", "exec")
        except SyntaxError:
            m.compiles = False
        mutants.append(m)
    return original, cls, mutants


# ------------------------------------------------------------------ equivalence


class _Exact(ast.NodeTransformer):
    """Float literals become exact rationals (1.0 - beta2**t must not turn into a Float);
    the imports of numpy, math and the argument checker go: stand-ins are injected."""

    def visit_Constant(self, node):
        if type(node.value) is float:
            return ast.copy_location(ast.Call(ast.Name("_R", ast.Load()),
                                              [ast.Constant(repr(node.value))], []), node)
        return node

    def visit_Import(self, node):
        return None if all(a.name in ("numpy", "math") for a in node.names) else node

    def visit_ImportFrom(self, node):
        return None if node.module in ("_validate", "__future__") or node.level else node


def _checked(owner, name, value, what, default, rate=False):
    """The reference's argument check, returning the value as an exact rational."""
    from reference._validate import checked

    checked(owner, name, float(value), what, float(default), rate)
    return value if isinstance(value, sp.Basic) else sp.Rational(repr(float(value)))


def _namespace() -> dict:
    np_ = SimpleNamespace(sqrt=sp.sqrt, zeros_like=lambda x: sp.Integer(0),
                          ones_like=lambda x: sp.Integer(1), square=lambda x: x**2, abs=sp.Abs)
    return {"np": np_, "numpy": np_, "math": SimpleNamespace(sqrt=sp.sqrt), "checked": _checked,
            "_R": sp.Rational, "__name__": "symbolic_mutant"}


W, U = sp.symbols("W U", real=True)
G = sp.symbols(f"g1:{STEPS + 1}", real=True)
H = sp.symbols(f"h1:{STEPS + 1}", real=True)


def symbolic_run(source: str, cls: str) -> list[sp.Expr]:
    """params and grads after each of STEPS steps, as expressions of W, U, g_t, h_t."""
    tree = ast.fix_missing_locations(_Exact().visit(ast.parse(source)))
    ns = _namespace()
    exec(compile(tree, "<symbolic mutant>", "exec"), ns)
    opt = ns[cls]()
    params, out = {"w": W, "u": U}, []
    for t in range(STEPS):
        grads = {"w": G[t], "u": H[t]}
        opt.update(params, grads)
        out += [sp.sympify(params[k]) for k in ("w", "u")] + [sp.sympify(grads[k]) for k in ("w", "u")]
    return out


def _points(n: int = 3) -> list[dict]:
    rng = random.Random(0)
    out = []
    for _ in range(n):
        point = {s: sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 10**6), rng.randint(1, 10**6))
                 for s in (W, U, *G, *H)}
        out.append(point)
    return out


POINTS = _points()


class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow()


def decide(original: list[sp.Expr], mutant: Mutant) -> str:
    """"equivalent", "different", or why it could not be decided (then it counts as different)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SYMBOLIC_LIMIT)
    try:
        try:
            got = symbolic_run(mutant.source, mutant.cls)
        except _Slow:
            raise
        except Exception as exc:
            return f"does not run symbolically ({type(exc).__name__}: {str(exc)[:60]})"
        diffs = [sp.sympify(a - b) for a, b in zip(original, got)]
        # a quick numeric screen first: simplify is only needed for what looks like zero
        for d in diffs:
            for point in POINTS:
                value = sp.N(d.xreplace(point), 60)
                if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not value.is_number or abs(value) > 1e-40:
                    return "different"
        if all(d == 0 or sp.simplify(d) == 0 for d in diffs):
            return "equivalent"
        return "numerically equal at 3 points, but simplify does not prove it"
    except _Slow:
        return f"undecided within {SYMBOLIC_LIMIT} s"
    finally:
        signal.alarm(0)


# ------------------------------------------------------------------ the checker


def judge(path: Path, cls: str, rule: str) -> tuple[str, list[str], str, float]:
    out = path.with_suffix(".json")
    proc, seconds = run_checker([f"{path}:{cls}", "--rule", rule, "--profile", "quick",
                                 "--seed", "0", "--quiet", "--json", str(out)], CHECKER_LIMIT)
    if proc is None:
        return "error: the checker hung", [], "", seconds
    if proc.returncode not in (0, 1) or not out.exists():
        return f"error: exit {proc.returncode}: {proc.stderr.strip()[-200:]}", [], "", seconds
    report = json.loads(out.read_text())
    kinds = sorted({f["kind"] for f in report["findings"] if f["status"] == "fail"})
    warned = [f"{f['kind']}: {f['message'][:90]}" for f in report["findings"]
              if f["status"] == "warn" and f["kind"] != "variant"]
    warned += [f"note: {w[:90]}" for w in report.get("warnings", []) if "default" in w]
    return report["verdict"], kinds, "; ".join(warned), seconds


def _write(folder: Path, name: str, source: str) -> Path:
    path = folder / f"{name}.py"
    # the mutant sits in its own folder beside a copy of the argument checker
    path.write_text(source.replace("from ._validate import", "from _validate import"))
    return path


# ------------------------------------------------------------------ the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", choices=FILES, action="append",
                        help="only this family (repeatable; default: all six)")
    parser.add_argument("--jobs", type=int, default=2, help="checker runs at a time (default 2)")
    parser.add_argument("--max-per-file", type=int, default=None, metavar="N",
                        help="judge at most N mutants per file, chosen evenly (default: all)")
    args = parser.parse_args()
    stems = args.file or list(FILES)
    started = time.perf_counter()
    sys.path.insert(0, str(REPO))

    originals, everything, capped = {}, [], {}
    for stem in stems:
        original, cls, mutants = make_mutants(stem)
        if args.max_per_file and len(mutants) > args.max_per_file:
            step = len(mutants) / args.max_per_file
            capped[stem] = len(mutants)
            mutants = [mutants[int(i * step)] for i in range(args.max_per_file)]
        reference = symbolic_run(original, cls)
        for m in mutants:
            if m.compiles:
                m.equivalence = decide(reference, m)
        originals[stem] = (original, cls)
        everything += mutants
    decided = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        folder = Path(scratch)
        shutil.copy(REPO / "reference" / "_validate.py", folder / "_validate.py")
        jobs = [(m, _write(folder, f"mutant_{m.stem}_{m.number}", m.source))
                for m in everything if m.compiles]
        jobs += [(stem, _write(folder, f"original_{stem}", src)) for stem, (src, _) in originals.items()]

        def run(job):
            what, path = job
            stem = what if isinstance(what, str) else what.stem
            return judge(path, originals[stem][1], stem)

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(run, jobs))
    for (what, _), (verdict, kinds, warned, seconds) in zip(jobs, results):
        if isinstance(what, Mutant):
            what.verdict, what.kinds, what.warned, what.seconds = verdict, kinds, warned, seconds
    original_verdicts = {what: r for (what, _), r in zip(jobs, results) if isinstance(what, str)}

    report(stems, everything, original_verdicts, capped, decided, time.perf_counter() - started)
    return 0


def _score(ms: list[Mutant]) -> tuple[int, int, str]:
    ne = [m for m in ms if m.compiles and not m.equivalent]
    killed = sum(m.verdict == "fail" for m in ne)
    return killed, len(ne), f"{killed / len(ne):.1%}" if ne else "-"


def report(stems, everything, original_verdicts, capped, decided, total) -> None:
    print(f"mutation testing of reference/ with python -m checker --profile quick --seed 0 "
          f"({os.cpu_count()} cpus)")
    if capped:
        print("capped: " + ", ".join(f"{s} {n} mutants, judged {sum(m.stem == s for m in everything)}"
                                     for s, n in capped.items()))
    else:
        print("no cap: every distinct mutant judged")
    print(f"\n{'file':10} {'mutants':>7} {'no compile':>10} {'equivalent':>10} {'non-equiv':>9} "
          f"{'killed':>6} {'survived':>8} {'score':>7}  {'update only':>11}  original")
    for stem in [*stems, "total"]:
        ms = [m for m in everything if stem in ("total", m.stem)]
        bad = sum(not m.compiles for m in ms)
        eq = sum(m.compiles and m.equivalent for m in ms)
        killed, ne, score = _score(ms)
        k2, n2, _ = _score([m for m in ms if m.operator != "default constant"])
        if stem == "total":
            orig = ""
        else:
            v, kinds, _, _ = original_verdicts[stem]
            orig = v if v != "fail" else f"FAIL ({', '.join(kinds)}): a false alarm"
        print(f"{stem:10} {len(ms):7} {bad:10} {eq:10} {ne:9} {killed:6} {ne - killed:8} "
              f"{score:>7}  {f'{k2}/{n2}':>11}  {orig}")
    print("(score = killed / non-equivalent; 'update only' leaves out the mutated constructor "
          "defaults)")

    by_op: dict[str, list[int]] = {}
    for m in everything:
        if m.compiles and not m.equivalent:
            k = by_op.setdefault(m.operator, [0, 0])
            k[0] += m.verdict == "fail"
            k[1] += 1
    print("\nkilled / non-equivalent, by operator:")
    for op, (k, n) in sorted(by_op.items()):
        print(f"  {op:22} {k:3}/{n:<3}")

    eq = [m for m in everything if m.compiles and m.equivalent]
    print(f"\nequivalent mutants ({len(eq)}), excluded from the score (the checker must pass them):")
    for m in eq:
        flag = "checker: pass" if m.verdict == "pass" else \
            f"checker: {m.verdict} ({', '.join(m.kinds)}): A FALSE ALARM"
        print(f"  {m.name:12} {m.diff()}   [{flag}]")
    undecided = [m for m in everything if m.compiles and not m.equivalent
                 and m.equivalence != "different"]
    if undecided:
        print(f"\nnot decided symbolically ({len(undecided)}), counted as non-equivalent:")
        for m in undecided:
            print(f"  {m.name:12} {m.equivalence}; checker: {m.verdict}")
    bad = [m for m in everything if not m.compiles]
    print(f"\nmutants that do not compile: {len(bad)}" + (", skipped:" if bad else ""))
    for m in bad:
        print(f"  {m.name:12} {m.diff()}")
    survivors = [m for m in everything if m.compiles and not m.equivalent and m.verdict != "fail"]
    print(f"\nsurviving non-equivalent mutants ({len(survivors)}):")
    for m in survivors:
        invalid = "outside [0, 1)" in m.equivalence or "outside [0, inf)" in m.equivalence
        said = ("warned" if "defaults:" in m.warned else "a note" if m.warned else "no warning")
        print(f"  {m.name:12} {m.operator:18} {m.diff()}   [checker: {m.verdict}, {said}"
              + ("; the constructor's own check rejects this default, so Class() raises" if invalid
                 else "") + "]")
    if not survivors:
        print("  none: every non-equivalent mutant was killed")
    judged = sorted(m.seconds for m in everything if m.verdict)
    print(f"\n{len(judged)} mutant runs of the checker, median {judged[len(judged) // 2]:.2f} s; "
          f"equivalence decided in {decided:.0f} s; {total:.0f} s in all")


if __name__ == "__main__":
    sys.exit(main())
