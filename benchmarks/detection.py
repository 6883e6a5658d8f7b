"""The detection scoreboard: the checker against two common ways of testing an optimizer.

    python benchmarks/detection.py              # from the repository root
    python benchmarks/detection.py --quick      # the checker's quick profile
    python benchmarks/detection.py --jobs 4 --corpus path/to/folder

Every file of the corpus (``tests/corpus/*.py``) holds one implementation and,
as a module-level literal, what a judge should say about it::

    EXPECTED = {"class": "Adam", "rule": "adam", "verdict": "fail", "kind": "numeric",
                "mistake": "silent-l2", "variant": None, "timeout": None, "why": "..."}

It is read with ``ast.literal_eval``: the file is never imported here.  When
there is no corpus yet, the bundled ``tests/data/impls`` stand in (good.py
passes; bad.py and hostile.py fail with the kind their docstrings name).

Three judges see the same corpus:

* the checker, ``python -m checker FILE:CLASS --profile default --seed 0``;
* baseline 1, one step compared with ``np.allclose(got, want, atol=1e-4)``
  against a float64 reference, as several small frameworks test their optimizers;
* baseline 2, seven steps, parameters compared with
  ``np.allclose(got, want, rtol=1e-7, atol=0)`` after every step, as PyTorch's
  own tests compare two implementations.

The baselines feed what a framework test feeds (two 2-D arrays of
``default_rng(0).normal`` values, gradients alike), construct the class with the
rule's default hyperparameters and compare with the oracle of the rule's
canonical variant at those defaults, rounded to float64.  A checker run that
ends without a report (a traceback) counts by its exit code, as CI would see it,
and never with the right kind; it is listed as an ERROR.

The baselines run the code under test isolated too (`checker._isolation.Worker`),
so hostile entries cannot take this benchmark down; a crash, a hang or an exit
counts as caught, since any test would error there.  They check nothing but the
parameters: not the in-place contract, not the gradients, not state isolation.

Nothing here asserts: a miss or a false alarm is reported, not raised.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from _checker_run import run_checker as checker_subprocess  # noqa: E402  (this folder)

import spec  # noqa: E402
from checker._adapter import bind, infer_rule  # noqa: E402
from checker._isolation import Worker, WorkerFailure  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
FALLBACK = REPO / "tests" / "data" / "impls"
GROUPS = ("correct", "variant", "mistake", "contract", "hostile", "seed", "cs231n", "booklist",
          "torch", "outside")
STEPS = 7  # baseline 2; baseline 1 looks at the first of them only
CHECKER_LIMIT = 300.0  # seconds a checker run may take before it counts as a hang
# The bugs a numbers-only test is expected to miss, found by the corpus' file names.
SPOTLIGHT = {
    "a silent L2 term": ("silent_l2",),
    "relative noise in the step": ("nois", "slightly_off", "relative"),
    "the caller's grads mutated": ("mutates_grads", "grads_mutated"),
    "state at class level, shared": ("class_level", "class_counter", "mutable_default",
                                     "class_state"),
    "a missing epsilon": ("eps_missing", "eps_unused", "no_eps"),
}


# ------------------------------------------------------------------ the corpus


@dataclass
class Entry:
    path: Path
    cls: str
    rule: str | None
    verdict: str  # "pass" or "fail": what a judge should say
    kind: object = None  # the failing kind expected: a str ("numeric or dtype") or a list
    mistake: str | None = None
    variant: str | None = None
    timeout: float | None = None
    why: str = ""
    not_kinds: tuple = ()  # kinds it must not fail with
    known: dict = field(default_factory=dict)  # "xfail*" notes: the checker's known failings
    api: str | None = None  # --api, where recognition is not to be relied on

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.cls}"

    @property
    def buggy(self) -> bool:
        return self.verdict == "fail"

    @property
    def kinds(self) -> set[str]:
        if self.kind is None:
            return set()
        if isinstance(self.kind, (list, tuple, set)):
            return {str(k) for k in self.kind}
        return {k.strip() for k in str(self.kind).replace("|", " or ").split(" or ") if k.strip()}

    @property
    def family(self) -> str | None:
        return self.rule or infer_rule(self.cls)


def _expected(path: Path) -> list[dict]:
    """The EXPECTED literal(s) of a corpus file, without importing it.

    Some entries do not even parse (a load error is what they test), so when the
    module does not, the literal is cut out of the text: from ``EXPECTED =`` to the
    first line that closes a valid literal.
    """
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, str(path))
    except SyntaxError:
        tree = None
    for node in tree.body if tree else ():
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "EXPECTED" for t in targets):
                value = ast.literal_eval(node.value)
                return value if isinstance(value, list) else [value]
    lines = text.splitlines()
    for i, line in enumerate(lines if tree is None else ()):
        if line.startswith("EXPECTED") and "=" in line:
            first = line.split("=", 1)[1]
            for j in range(i, len(lines)):
                try:
                    value = ast.literal_eval("\n".join([first, *lines[i + 1:j + 1]]).strip())
                except (SyntaxError, ValueError):
                    continue
                return value if isinstance(value, list) else [value]
    raise ValueError(f"{path}: no module-level EXPECTED = {{...}} literal")


def load_corpus(folder: Path) -> list[Entry]:
    entries = []
    has_torch = importlib.util.find_spec("torch") is not None
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_") or path.name == "conftest.py":
            continue
        for e in _expected(path):
            if e.get("requires") == "torch" and not has_torch:
                continue  # the torch.optim entries need the torch extra
            timeout = e.get("timeout")
            not_kinds = e.get("not_kinds") or ()
            entries.append(Entry(path, e["class"], e.get("rule"), e["verdict"], e.get("kind"),
                                 e.get("mistake"), e.get("variant"),
                                 float(timeout) if isinstance(timeout, (int, float)) else None,
                                 e.get("why") or "",
                                 (not_kinds,) if isinstance(not_kinds, str) else tuple(not_kinds),
                                 {k: v for k, v in e.items() if k.startswith("xfail")},
                                 e.get("api")))
    return entries


def load_fallback(folder: Path) -> list[Entry]:
    """tests/data/impls: good.py passes, bad.py and hostile.py fail as their docstrings say."""
    entries = []
    for fname, verdict in (("good.py", "pass"), ("bad.py", "fail"), ("hostile.py", "fail")):
        path = folder / fname
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef):
                continue
            doc = ast.get_docstring(node) or ""
            kind = doc.split(":", 1)[0] if verdict == "fail" else None
            timeout = 1.0 if kind == "timeout" else None  # hangs need not take 5 s each
            entries.append(Entry(path, node.name, None, verdict, kind, timeout=timeout,
                                 why=doc.split("\n")[0]))
    return entries


def group_of(entry: Entry) -> str:
    head = entry.path.stem.split("_", 1)[0]
    return head if head in GROUPS else entry.path.stem


# ------------------------------------------------------------------ the judges


@dataclass
class Verdict:
    caught: bool  # the judge said "fail"
    seconds: float
    kinds: set[str] = field(default_factory=set)  # failing kinds (the checker only)
    examples: int | None = None  # examples to the first failure (the checker only)
    why: str = ""
    error: str | None = None  # the judge itself broke: not a verdict at all
    mistake: str | None = None
    variant: str | None = None


def run_checker(entry: Entry, profile: str, scratch: Path) -> Verdict:
    out = scratch / f"{entry.path.stem}.{entry.cls}.json"
    args = [f"{entry.path}:{entry.cls}", "--profile", profile, "--seed", "0", "--quiet",
            "--json", str(out)]
    if entry.rule:
        args += ["--rule", entry.rule]
    if entry.api:
        args += ["--api", entry.api]
    if entry.timeout:
        args += ["--timeout", str(entry.timeout)]
    proc, seconds = checker_subprocess(args, CHECKER_LIMIT)
    if proc is None:
        return Verdict(False, seconds, error=f"the checker did not finish in {CHECKER_LIMIT:g} s")
    if proc.returncode not in (0, 1) or not out.exists():
        # No report: a traceback.  Exit 1 still reads as "does not conform" to a script or CI,
        # so it counts as a fail (a false alarm on a correct entry), never with the right kind.
        last = [line for line in proc.stderr.strip().splitlines() if line.strip(" |+-")][-1:]
        return Verdict(proc.returncode == 1, seconds,
                       error=f"exit {proc.returncode}, no report: {' '.join(last)[:160]}")
    report = json.loads(out.read_text())
    failing = [f for f in report["findings"] if f["status"] == "fail"]
    if (report["verdict"] == "fail") != (proc.returncode == 1):
        return Verdict(False, seconds, error=f"exit {proc.returncode} but verdict {report['verdict']}")
    examples = None
    if failing:
        counts = [f["details"].get("examples_to_failure") for f in failing
                  if f["kind"] in ("numeric", "nonfinite")]
        counts = [c for c in counts if isinstance(c, int)]
        examples = counts[0] if counts else 0  # a probe, a crash, a contract: no search needed
    return Verdict(bool(failing), seconds, {f["kind"] for f in failing}, examples,
                   "; ".join(f"{f['kind']}: {f['message'].splitlines()[0][:100]}" for f in failing[:2]),
                   mistake=_mistake(report, failing), variant=report.get("variant"))


def _mistake(report: dict, failing: list[dict]) -> str | None:
    """The named mistake, with the state it concerns when there is one (``ones-init-v``)."""
    named = report.get("mistake") or {}
    name = named.get("name")
    for f in failing:
        variant = f["details"].get("mistake_variant") or ""
        if name and f["details"].get("mistake") == name and "+" in variant:
            name = variant.rsplit("+", 1)[1]
            break
    # mistakes that give the very same numbers are reported as equivalent: any of them is right
    return "|".join([name, *named.get("equivalent", [])]) if name else None


def _same_mistake(expected: str, named: str | None) -> bool:
    # the report's name is the family of the mistake; the corpus may name the state too
    if named is not None and "|" in named:
        return any(_same_mistake(expected, n) for n in named.split("|"))
    return named is not None and (expected == named or expected.startswith(named + "-")
                                  or named.startswith(expected + "-"))


def baseline_inputs() -> tuple[dict, list[dict]]:
    """What a typical framework test feeds an optimizer: two 2-D arrays of normal values."""
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(4, 3)), "W2": rng.normal(size=(3, 2))}
    grads = [{k: rng.normal(size=v.shape) for k, v in params.items()} for _ in range(STEPS)]
    return params, grads


def baseline_references(families: set[str]) -> dict[str, list[dict]]:
    """The float64 parameters after steps 1..STEPS, per family: its canonical variant at its
    default hyperparameters, from the oracle rounded to float64.  Computed here, before any
    thread starts: mpmath's working precision is global."""
    params, grads = baseline_inputs()
    out = {}
    for name in sorted(families):
        rule = spec.get(name)
        traj = spec.Oracle(rule).run(params, grads, rule.defaults)
        out[name] = [traj.as_float(k) for k in range(1, STEPS + 1)]
    return out


def _sendable(value) -> bool:
    return type(value) is float or isinstance(value, np.ndarray) and value.dtype.kind == "f" \
        and value.dtype.name in ("float16", "float32", "float64")


def _allclose(got: dict, want: dict, tol: dict) -> str | None:
    """None when every array is allclose; else what differed.  An exception in the
    comparison (a missing key, a wrong shape, not a float array) fails the test too."""
    try:
        for key, w in want.items():
            if not np.allclose(got[key], w, **tol):
                off = np.abs(np.asarray(got[key], dtype=np.float64) - w)
                worst = "NaN" if np.isnan(off).all() else f"{np.nanmax(off):.3g}"
                return f"params[{key!r}] off by up to {worst}"
        return None
    except Exception as exc:  # the test itself errors: that is a failure too
        return f"the comparison raised {type(exc).__name__}: {str(exc)[:80]}"


def run_baseline(entry: Entry, steps: int, tol: dict, refs: dict) -> Verdict:
    family = entry.family
    if family is None:
        return Verdict(False, 0.0, error="no rule: the class name says none and EXPECTED has none")
    rule = spec.get(family)
    params, grads = baseline_inputs()
    began = time.perf_counter()
    try:
        # the baseline calls the target through the same wrapper as the checker (CS231n's
        # functions, lists, torch tensors), so both judges see the same API
        with Worker(timeout=entry.timeout or 5.0, total_timeout=120.0, api=entry.api,
                    expose=(os.path.dirname(os.path.abspath(entry.path)),)) as w:
            w.load_file(entry.path, entry.cls)
            sig = [{"name": p.name, "kind": p.kind, "default": p.default if p.has_default else None}
                   for p in w.signature()]
            # The test passes the rule's default hyperparameters to the constructor.  A constant
            # the constructor does not take (a hard-coded eps) cannot be passed: such a test
            # writes its reference with the canonical default, and so does this one.
            kwargs = bind(rule, sig).kwargs(rule.defaults)
            try:
                inst = w.construct(kwargs)
            except TypeError:  # a Worker that carries no tuples: betas keeps its own default
                inst = w.construct({k: v for k, v in kwargs.items() if not isinstance(v, tuple)})
            for k in range(steps):
                after = w.update(inst, params, grads[k]).params
                # A test keeps one params dict across steps; each worker call gets a copy, so
                # the values are sent back.  A key the target added goes back too when the wire
                # can carry it (a float or a float array); otherwise it is lost.  A test key that
                # no longer holds a float array is compared as it is (and fails) below.
                params = {key: v for key, v in after.items() if _sendable(v)}
                differ = _allclose(after, refs[family][k], tol)
                if differ is None and not all(key in params for key in grads[k]):
                    differ = "a parameter is no longer a float array"
                if differ is not None:
                    return Verdict(True, time.perf_counter() - began, why=f"step {k + 1}: {differ}")
    except WorkerFailure as f:
        seconds = time.perf_counter() - began
        if f.kind == "start":
            return Verdict(False, seconds, error=str(f))
        if f.kind == "load" and f.error and f.error.type_name in ("NoSuchClass", "NotAClass"):
            return Verdict(False, seconds, error=f"corpus entry is wrong: {f.error.message}")
        said = f.error.message if f.error else f.message
        return Verdict(True, seconds, why=f"{f.kind}: {said[:100]}")
    return Verdict(False, time.perf_counter() - began, why="allclose at every step")


# ------------------------------------------------------------------ the table


def _median_max(values: list[float], fmt: str) -> str:
    if not values:
        return "-"
    return f"{format(statistics.median(values), fmt)} / {format(max(values), fmt)}"


def print_table(entries: list[Entry], results: dict[str, list[Verdict]]) -> None:
    buggy = [i for i, e in enumerate(entries) if e.buggy]
    correct = [i for i, e in enumerate(entries) if not e.buggy]
    head = (f"{'judge':34}  {'caught/buggy':>12}  {'false alarms/correct':>20}  {'kind right':>10}  "
            f"{'examples to failure':>19}  {'s per verdict':>13}")
    print(head)
    print(f"{'':34}  {'':>12}  {'':>20}  {'':>10}  {'(median / max)':>19}  {'(median / max)':>13}")
    for judge, verdicts in results.items():
        caught = sum(verdicts[i].caught for i in buggy)
        alarms = sum(verdicts[i].caught for i in correct)
        seconds = [v.seconds for v in verdicts if v.seconds > 0]
        kind = examples = "-"
        if judge == "checker":
            right = sum(verdicts[i].caught and (not entries[i].kinds or
                                                bool(entries[i].kinds & verdicts[i].kinds))
                        for i in buggy)
            kind = f"{right}/{len(buggy)}"
            examples = _median_max([verdicts[i].examples for i in buggy
                                    if verdicts[i].caught and verdicts[i].examples is not None], "g")
        print(f"{judge:34}  {f'{caught}/{len(buggy)}':>12}  {f'{alarms}/{len(correct)}':>20}  "
              f"{kind:>10}  {examples:>19}  {_median_max(seconds, '.2f'):>13}")


def print_spotlight(entries: list[Entry], results: dict[str, list[Verdict]]) -> None:
    judges = list(results)
    print("\nthe bugs a numbers-only test misses (caught by: " + ", ".join(
        j.split(":")[0] for j in judges) + "):")
    for what, needles in SPOTLIGHT.items():
        found = [i for i, e in enumerate(entries)
                 if e.buggy and any(n in e.path.stem for n in needles)]
        if not found:
            print(f"  {what}: no entry in this corpus")
        for i in found:
            marks = "  ".join(f"{'yes' if results[j][i].caught else 'NO':>3}" for j in judges)
            print(f"  {what:30} {entries[i].name:48} {marks}")


def _known(e: Entry, *keys: str) -> str:
    """The corpus' own note when this failing of the checker is a known one."""
    for key in keys:
        if key in e.known:
            return f"\n{'':15}[known, EXPECTED[{key!r}]: {' '.join(str(e.known[key]).split())[:150]}]"
    return ""


def print_details(entries: list[Entry], results: dict[str, list[Verdict]]) -> None:
    for judge, verdicts in results.items():
        print(f"\n{judge}:")
        lines = []
        checker = judge == "checker"
        for e, v in zip(entries, verdicts):
            if v.error is not None:
                lines.append(f"  ERROR        {e.name}: {v.error}"
                             + (_known(e, "xfail") if checker else ""))
            elif e.buggy and not v.caught:
                why = " ".join((e.why or str(e.kind)).split())[:110]
                lines.append(f"  missed       {e.name}  ({why})"
                             + (_known(e, "xfail") if checker else ""))
            elif not e.buggy and v.caught:
                lines.append(f"  false alarm  {e.name}: {v.why[:120]}"
                             + (_known(e, "xfail") if checker else ""))
            elif checker and e.buggy and e.kinds and not e.kinds & v.kinds:
                lines.append(f"  wrong kind   {e.name}: expected {e.kind}, "
                             f"failed with {', '.join(sorted(v.kinds))}"
                             + _known(e, "xfail_kind", "xfail_not_kinds", "xfail"))
            if checker and v.error is None and set(e.not_kinds) & v.kinds:
                lines.append(f"  unwanted kind {e.name}: failed with "
                             f"{', '.join(sorted(set(e.not_kinds) & v.kinds))}, which EXPECTED rules out"
                             + _known(e, "xfail_not_kinds"))
        if judge == "checker":
            named = [(e, v) for e, v in zip(entries, verdicts) if e.buggy and e.mistake]
            wrong = [f"{e.name} (expected {e.mistake}, named {v.mistake})"
                     + (" [known]" if "xfail_mistake" in e.known else "") for e, v in named
                     if not _same_mistake(e.mistake, v.mistake)]
            lines.append(f"  the expected mistake named: {len(named) - len(wrong)}/{len(named)}"
                         + (": not for" if wrong else ""))
            lines += [f"    {w}" for w in wrong]
            fixed = [(e, v) for e, v in zip(entries, verdicts) if not e.buggy and e.variant]
            off = [f"{e.name} (expected {e.variant}, got {v.variant})"
                   + (" [known]" if {"xfail_variant", "xfail"} & set(e.known) else "")
                   for e, v in fixed
                   if (v.variant or "").split("/")[-1] != e.variant.split("/")[-1]]
            lines.append(f"  the expected variant recognised: {len(fixed) - len(off)}/{len(fixed)}"
                         + (": not for" if off else ""))
            lines += [f"    {o}" for o in off]
            searched = sorted(((v.examples, e.name) for e, v in zip(entries, verdicts)
                               if e.buggy and v.caught and v.examples), reverse=True)
            lines.append("  caught only by the Hypothesis search (examples needed): "
                         + (", ".join(f"{n} {x}" for x, n in searched) or "none"))
            slow = sorted(zip(verdicts, entries), key=lambda ve: -ve[0].seconds)[:3]
            lines.append("  slowest verdicts: "
                         + ", ".join(f"{e.name} {v.seconds:.1f} s" for v, e in slow))
        print("\n".join(lines) if lines else "  missed nothing, no false alarm")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="run the checker's quick profile "
                                                               "(default: the default profile)")
    parser.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help=f"folder of corpus files (default: {CORPUS.relative_to(REPO)})")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    folder = args.corpus or CORPUS
    if folder.is_dir() and any(folder.glob("*.py")):
        entries, where = load_corpus(folder), str(folder)
    elif args.corpus is not None:
        parser.error(f"--corpus {args.corpus}: no *.py files there")
    else:
        entries, where = load_fallback(FALLBACK), f"{FALLBACK} (no {CORPUS} yet)"
    profile = "quick" if args.quick else "default"
    groups: dict[str, int] = {}
    for e in entries:
        groups[group_of(e)] = groups.get(group_of(e), 0) + 1
    print(f"corpus: {where}: {len(entries)} entries, {sum(e.buggy for e in entries)} buggy, "
          f"{sum(not e.buggy for e in entries)} correct "
          f"({', '.join(f'{g} {n}' for g, n in groups.items())})")
    print(f"checker profile {profile}, seed 0, {args.jobs} at a time "
          f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus)\n")

    refs = baseline_references({e.family for e in entries if e.family})
    results: dict[str, list[Verdict]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="detection-") as scratch, \
            ThreadPoolExecutor(args.jobs) as pool:
        judges = {
            "checker": lambda e: run_checker(e, profile, Path(scratch)),
            "baseline 1: 1 step, atol=1e-4": lambda e: run_baseline(e, 1, {"atol": 1e-4}, refs),
            f"baseline 2: {STEPS} steps, rtol=1e-7":
                lambda e: run_baseline(e, STEPS, {"rtol": 1e-7, "atol": 0.0}, refs),
        }
        phases = {}
        for judge, fn in judges.items():
            began = time.perf_counter()
            results[judge] = list(pool.map(fn, entries))
            phases[judge] = time.perf_counter() - began
    print_table(entries, results)
    print_spotlight(entries, results)
    print_details(entries, results)
    print("\nwall time: " + ", ".join(f"{j.split(':')[0]} {t:.0f} s" for j, t in phases.items())
          + f"; {time.perf_counter() - started:.0f} s in all")
    # throughput, as the issue of verdict speed measures it: checker verdicts a minute of wall
    # time with --jobs at a time, and the median seconds a verdict took
    seconds = [v.seconds for v in results["checker"] if v.seconds > 0]
    print(f"checker throughput: {60 * len(entries) / phases['checker']:.1f} verdicts a minute "
          f"({args.jobs} at a time); median {statistics.median(seconds):.1f} s a verdict"
          if seconds else "checker throughput: no verdict timed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
