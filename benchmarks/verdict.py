"""Seconds to a verdict: whole ``python -m checker`` runs, timed from outside.

    python benchmarks/verdict.py              # from the repository root
    python benchmarks/verdict.py --runs 5
    python benchmarks/verdict.py --sandbox    # also: the sandbox's cost, side by side

Each row is one command line, run ``--runs`` times (default 3) as a subprocess;
the median wall-clock time is compared with its target.  The time includes
starting Python, importing the checker, starting the worker and loading the
target: what a person waits for.  A load error and a crash must be explained
quickly, since they end the check before any number is compared.

With ``--sandbox``, every row is also run with ``--no-sandbox``, the two alternating
run by run so that the machine's load falls on both alike, and the median difference is
compared with the sandbox's budget (0.2 s a verdict); so is one worker's start, load
and close, timed in this process with and without the sandbox.

Nothing here asserts: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

# Used when the seed documents are not there: the same two mistakes, in files.
SYNTAX_ERROR = """\
    import numpy as np

    class Adam:
        def __init__(self, lr=0.001):
            self.lr = lr

        def update(self, params, grads):
            for key in params..keys():
                params[key] -= self.lr * grads[key]
    """
CRASH = """\
    import numpy as np

    class RMSProp:
        def __init__(self, lr=0.01, rho=0.9):
            self.lr, self.rho, self.h = lr, rho, {}

        def update(self, params, grads):
            for key in params:
                self.h.setdefault(key, np.zeros_like(params[key]))
                self.h[key] = rho * self.h[key] + (1 - rho) * grads[key] ** 2
                params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
    """


@dataclass
class Row:
    name: str
    args: list[str]
    cwd: Path
    target: float  # seconds
    expect_exit: int


def _seed(prefix: str) -> Path | None:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    return found[0] if found else None


def rows(scratch: Path) -> list[Row]:
    quick = ["--profile", "quick", "--seed", "0", "--quiet"]
    out = [
        Row("reference.Adam, --profile default", ["reference.Adam", "--profile", "default",
                                                  "--seed", "0", "--quiet"], REPO, 10.0, 0),
        Row("reference.Adam, --profile quick", ["reference.Adam", *quick], REPO, 3.0, 0),
    ]
    load, crash = _seed("004"), _seed("002")
    if load is None:
        (scratch / "syntax_error.py").write_text(textwrap.dedent(SYNTAX_ERROR))
        load = scratch / "syntax_error.py"
    if crash is None:
        (scratch / "crash.py").write_text(textwrap.dedent(CRASH))
        crash = scratch / "crash.py"
    out.append(Row(f"load error ({load.name}:Adam)", [f"{load.name}:Adam", *quick],
                   load.parent, 3.0, 1))
    out.append(Row(f"crash ({crash.name}:RMSProp)", [f"{crash.name}:RMSProp", *quick],
                   crash.parent, 3.0, 1))
    return out


SANDBOX_BUDGET = 0.2  # seconds a verdict may take longer in the sandbox


def time_once(row: Row, extra: tuple[str, ...] = ()) -> tuple[float, int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "checker", *row.args, *extra], cwd=row.cwd, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=300)
    elapsed = time.perf_counter() - start
    if proc.returncode != row.expect_exit:
        print(f"  note: {row.name} exited {proc.returncode}, expected {row.expect_exit}: "
              f"{proc.stderr.strip()[-300:]}", file=sys.stderr)
    return elapsed, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per row (default 3)")
    parser.add_argument("--sandbox", action="store_true",
                        help="also measure the sandbox's cost, with and without it side by side")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="verdict-bench-") as scratch:
        table = rows(Path(scratch))
        print(f"seconds to a verdict, median of {args.runs} runs each "
              f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
        width = max(len(r.name) for r in table)
        print(f"{'run':{width}}  {'median':>7}  {'min':>6}  {'max':>6}  {'target':>7}  {'exit':>4}  met")
        missed = 0
        for row in table:
            times, codes = zip(*(time_once(row) for _ in range(args.runs)))
            median = statistics.median(times)
            met = median <= row.target
            missed += not met
            code = codes[0] if len(set(codes)) == 1 else "/".join(map(str, codes))
            print(f"{row.name:{width}}  {median:7.2f}  {min(times):6.2f}  {max(times):6.2f}  "
                  f"{'<= ' + format(row.target, 'g'):>7}  {code!s:>4}  {'yes' if met else 'NO'}")
        if args.sandbox:
            missed += sandbox_cost(table, max(args.runs, 5))
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


def sandbox_cost(table: list[Row], runs: int) -> int:
    """Rows with and without the sandbox, alternating; then one worker's life. Misses."""
    sys.path.insert(0, str(REPO))
    from checker._isolation import Worker

    print(f"\nthe sandbox's cost, median of {runs} alternating runs each "
          f"(budget {SANDBOX_BUDGET:g} s a verdict)")
    width = max(len(r.name) for r in table)
    print(f"{'run':{width}}  {'sandbox':>8}  {'without':>8}  {'added':>6}  met")
    missed = 0

    def report(name, with_, without):
        nonlocal missed
        added = statistics.median(with_) - statistics.median(without)
        met = added <= SANDBOX_BUDGET
        missed += not met
        print(f"{name:{width}}  {statistics.median(with_):8.3f}  "
              f"{statistics.median(without):8.3f}  {added:+6.3f}  {'yes' if met else 'NO'}")

    for row in table:
        with_, without = [], []
        for _ in range(runs):
            with_.append(time_once(row)[0])
            without.append(time_once(row, ("--no-sandbox",))[0])
        report(row.name, with_, without)
    source = "class SGD:\n    def update(self, params, grads):\n        pass\n"
    lives = {True: [], False: []}
    for _ in range(4 * runs):
        for sandbox in (True, False):
            start = time.perf_counter()
            with Worker(timeout=10.0, sandbox=sandbox) as w:
                w.load_source(source, "t.py", "SGD")
                w.construct()
            lives[sandbox].append(time.perf_counter() - start)
    report("one worker: start, load, close", lives[True], lives[False])
    return missed


if __name__ == "__main__":
    sys.exit(main())
