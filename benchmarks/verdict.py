"""Seconds to a verdict: whole ``python -m checker`` runs, timed from outside.

    python benchmarks/verdict.py              # from the repository root
    python benchmarks/verdict.py --runs 5

Each row is one command line, run ``--runs`` times (default 3) as a subprocess;
the median wall-clock time is compared with its target.  The time includes
starting Python, importing the checker, starting the worker and loading the
target: what a person waits for.  A load error and a crash must be explained
quickly, since they end the check before any number is compared.

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


def time_once(row: Row) -> tuple[float, int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "checker", *row.args], cwd=row.cwd, env=env,
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
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
