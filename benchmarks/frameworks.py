"""Seconds per verdict for optax and Keras targets, this checkout against another, side by side.

    python benchmarks/frameworks.py                        # this checkout only
    python benchmarks/frameworks.py --before /tmp/base     # and a checkout to compare with
    python benchmarks/frameworks.py --runs 3 --only optax
    python benchmarks/frameworks.py --before /tmp/base --after /tmp/new  # two snapshots

A checkout to compare with is made with ``git archive <commit> | tar -x -C /tmp/base``.
Each row is one target, ``python -m checker TARGET --seed i`` (default profile, seeds 1 to
``--runs``), run from each checkout in turn, the two alternating run by run so that the
machine's load falls on both alike.  Printed per row and checkout: the median wall seconds
(what a person waits for) and the median CPU seconds of the whole process tree (the
checker, its template and every worker; less changed by a busy machine than wall time),
and the verdicts seen (each must be PASS: these are the frameworks' own optimizers).

Why it matters: JAX compiles every operation for every new shape and dtype it meets, and
every worker compiles afresh, so these verdicts cost far more than a NumPy one.

Measured (2 shared cores under a load of 8 to 16 from other work, so wall times are
inflated and CPU seconds are the steadier figure; --runs 3, default profile):

    before (eager JAX, 00aaec8):  optax.adam 100.0 s wall, 17.6 s cpu;  keras.optimizers.Adam 53.5 s wall, 20.6 s cpu
    after (jax.jit, 05e99dc):     optax.adam  84.4 s wall, 14.6 s cpu;  keras.optimizers.Adam 47.2 s wall, 20.6 s cpu

and, not in the code: a template that also imports optax and Keras (``_template._preload``)
took keras.optimizers.Adam from 19.5 to 17.5 s cpu in an alternating run.

Nothing here asserts: a slow or failing run is reported, not raised.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("optax.adam", "keras.optimizers.Adam")


def time_once(repo: Path, target: str, seed: int, extra: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the run and every process it waited for, and the verdict."""
    env = dict(os.environ, PYTHONPATH=str(repo))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "checker", target, "--seed", str(seed), *extra],
                          cwd=repo, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=900)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found = re.findall(r"^verdict: (\w+)", proc.stdout, re.MULTILINE)
    verdict = found[-1] if found else f"exit {proc.returncode}"
    if verdict != "PASS":
        print(f"  note: {target} from {repo} gave {verdict}: "
              f"{(proc.stdout + proc.stderr).strip()[-400:]}", file=sys.stderr)
    return elapsed, cpu, verdict


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout to compare with (the old code)")
    parser.add_argument("--after", type=Path, default=REPO,
                        help="the checkout to time (default: this one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per target and checkout")
    parser.add_argument("--only", default="", help="the targets whose name contains this")
    parser.add_argument("--profile", default=None, help="the checker's --profile (default: its own)")
    args = parser.parse_args(argv)
    repos = {"after": args.after.resolve()} if args.before is None else {
        "before": args.before.resolve(), "after": args.after.resolve()}
    extra = ["--profile", args.profile] if args.profile else []
    print(f"python -m checker TARGET --seed 1..{args.runs}{' ' + ' '.join(extra) if extra else ''}; "
          f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f} at the start")
    for target in (t for t in TARGETS if args.only in t):
        seen = {name: [] for name in repos}
        for seed in range(1, args.runs + 1):
            for name, repo in repos.items():
                seen[name].append(time_once(repo, target, seed, extra))
        cells = []
        for name, runs in seen.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            verdicts = ",".join(sorted(set(r[2] for r in runs)))
            cells.append(f"{name}: {wall:6.1f} s wall, {cpu:6.1f} s cpu ({verdicts})")
        print(f"{target:24}  " + "   ".join(cells), flush=True)
    print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
