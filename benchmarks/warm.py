"""Warm workers against cold ones: whole ``python -m checker`` runs, side by side.

    python benchmarks/warm.py              # from the repository root
    python benchmarks/warm.py --runs 5
    python benchmarks/warm.py --runs 9 --target reference.Adam --no-worker

A cold run starts every worker as a new Python that imports NumPy (and torch) again; a
warm one forks them from a template that imported them once (`checker._template`); an
early one also starts that template before the checker imports SymPy and the spec
(`checker._session.prestart`, as a command line can). The three alternate run by run,
so that the machine's load falls on all alike; each row prints the median wall time of
each, the target (torch.optim.Adam within 4 s warm; reference.Adam no slower warm than
cold), and the median CPU seconds of the whole process tree, cold and warm, which a
busy machine changes less than it changes wall time.
Then one worker's start, load and close, cold and from a ready template, timed here.

Nothing here asserts: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the CLI with the default flipped: the same process a user runs, warm or cold
LAUNCH = ("import sys; import checker._session as s; s.WARM = {warm}; {early}"
          "from checker._cli import main; sys.exit(main(sys.argv[1:]))")
MODES = {"cold": (False, ""), "warm": (True, ""), "early": (True, "s.prestart(sys.argv[1]); ")}
ROWS = [  # target, its target for the warm median (None: no slower than cold)
    ("torch.optim.Adam", 4.0),
    ("torch.optim.SGD", None),
    ("reference.Adam", None),
]
SLACK = 0.1  # seconds within which "no slower" is met: the noise of one run


def time_once(target: str, mode: str, seed: int) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the run and every process it waited for."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    warm, early = MODES[mode]
    proc = subprocess.run([sys.executable, "-c", LAUNCH.format(warm=warm, early=early), target,
                           "--seed", str(seed), "--quiet"], cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        print(f"  note: {target} ({mode}) exited {proc.returncode}: "
              f"{(proc.stdout + proc.stderr).strip()[-300:]}", file=sys.stderr)
    return elapsed, cpu


def worker_life(runs: int) -> None:
    """One worker's start, load and close, cold and forked from a ready template."""
    sys.path.insert(0, str(REPO))
    import numpy as np

    from checker._isolation import Worker, start_template

    print(f"\none worker: start, load, one update, close; median of {runs}")
    print(f"{'target':18}  {'cold':>6}  {'warm':>6}  {'template ready':>14}")
    for target, preload in (("torch.optim.Adam", ("torch",)), ("reference.Adam", ())):
        began = time.perf_counter()
        template = start_template(preload)
        template.ready(120.0)
        ready = time.perf_counter() - began
        lives = {False: [], True: []}
        try:
            for _ in range(runs):
                for warm in (False, True):
                    began = time.perf_counter()
                    with Worker(timeout=30.0, load_timeout=60.0, expose=(str(REPO),),
                                cwd=str(REPO), template=template if warm else None) as w:
                        module, name = target.rsplit(".", 1)
                        w.load_module(module, name)
                        inst = w.construct({"lr": 0.1})
                        w.update(inst, {"w": np.ones(3)}, {"w": np.ones(3)})
                    lives[warm].append(time.perf_counter() - began)
        finally:
            template.close()
        print(f"{target:18}  {statistics.median(lives[False]):6.2f}  "
              f"{statistics.median(lives[True]):6.2f}  {ready:14.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each, cold and warm")
    parser.add_argument("--seed", type=int, default=1, help="the checker's --seed (default 1)")
    parser.add_argument("--target", action="append", choices=[t for t, _ in ROWS],
                        help="only this row (repeatable; default: all)")
    parser.add_argument("--no-worker", action="store_true", help="skip the one-worker timings")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print(f"seconds to a verdict (default profile, --seed {args.seed}), median of {args.runs} "
          f"alternating runs each (python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
    print(f"{'':18}  {'wall':-^22}  {'':11}  {'':13}  {'':3}  {'cpu':-^13}")
    print(f"{'target':18}  {'cold':>6}  {'warm':>6}  {'early':>6}  {'warm range':>11}  "
          f"{'target (warm)':>13}  met  {'cold':>6} {'warm':>6}")
    missed = 0
    for target, goal in ROWS:
        if args.target and target not in args.target:
            continue
        times = {mode: [] for mode in MODES}
        cpus = {mode: [] for mode in MODES}
        for _ in range(args.runs):
            for mode in MODES:
                wall, cpu = time_once(target, mode, args.seed)
                times[mode].append(wall)
                cpus[mode].append(cpu)
        median = {mode: statistics.median(t) for mode, t in times.items()}
        cpu = {mode: statistics.median(t) for mode, t in cpus.items()}
        met = median["warm"] <= (goal if goal is not None else median["cold"] + SLACK)
        missed += not met
        said = f"<= {goal:g}" if goal is not None else "<= cold"
        spread = f"{min(times['warm']):.2f}-{max(times['warm']):.2f}"
        print(f"{target:18}  {median['cold']:6.2f}  {median['warm']:6.2f}  {median['early']:6.2f}"
              f"  {spread:>11}  {said:>13}  {'yes' if met else 'NO ':3}  {cpu['cold']:6.2f} "
              f"{cpu['warm']:6.2f}")
    if not args.no_worker:
        worker_life(args.runs)
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
