"""Seconds to a verdict: whole ``python -m checker`` runs, timed from outside.

    python benchmarks/verdict.py              # from the repository root
    python benchmarks/verdict.py --runs 3     # fewer runs per row (default 5)
    python benchmarks/verdict.py --only Adam  # the rows whose name contains Adam
    python benchmarks/verdict.py --sandbox    # also: the sandbox's cost, side by side
    python benchmarks/verdict.py --corpus     # every corpus entry as tests/test_corpus.py runs it
    python benchmarks/verdict.py --corpus-warm 10  # every 10th entry, cold against warm
    python benchmarks/verdict.py --against OLD_TREE  # each row, this tree against another

Each row is one command line, run ``--runs`` times as a subprocess, run ``i`` with
``--seed i`` (seeds 1 to 5 by default, so the median is over five sets of drawn
problems); the median wall-clock time is compared with its target.  The time
includes starting Python, importing the checker, starting the worker and loading the
target: what a person waits for.  The rows: correct optimizers (a pass is the
common case), a torch optimizer where torch is installed, failures found by the
Hypothesis search (a hidden schedule that only a long run shows, a named mistake),
which must be found, shrunk and explained within their target, and a load error and
a crash, which end the check before any number is compared.

With ``--corpus``, every entry of ``tests/corpus`` is run once, one at a time, with
the command line ``tests/test_corpus.py`` uses, and the slowest (``--slowest``, 10)
are listed against a third of that test's limit on one run (`LIMIT`): a busy
machine may take three times as long, and an entry must still not be killed.

With ``--sandbox``, every row is also run with ``--no-sandbox``, the two alternating
run by run so that the machine's load falls on both alike, and the median difference is
compared with the sandbox's budget (0.2 s a verdict); so is one worker's start, load
and close, timed in this process with and without the sandbox.

Nothing here asserts: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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
    args: list[str]  # without --seed, which each run adds
    cwd: Path
    target: float  # seconds
    expect_exit: int


def _seed(prefix: str) -> Path | None:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    return found[0] if found else None


def rows(scratch: Path) -> list[Row]:
    default, quick = ["--profile", "default", "--quiet"], ["--profile", "quick", "--quiet"]
    corpus = "tests/corpus/"
    out = [
        Row("reference.Adam, --profile default", ["reference.Adam", *default], REPO, 2.0, 0),
        Row("reference.Adam, --profile quick", ["reference.Adam", *quick], REPO, 1.5, 0),
        Row("reference.SGD, --profile default", ["reference.SGD", *default], REPO, 2.0, 0),
        Row("reference.RMSprop, --profile default", ["reference.RMSprop", *default], REPO, 2.0, 0),
    ]
    if importlib.util.find_spec("torch") is not None:
        out.append(Row("torch.optim.Adam, --profile default", ["torch.optim.Adam", *default],
                       REPO, 4.0, 0))
    # a failure the search must find, shrink and explain: only runs longer than ten steps
    # show this one, and they are the slowest to shrink
    schedule = f"{corpus}contract_sgd_hidden_schedule.py:SGD"
    out += [
        Row("hidden schedule (fails), --profile quick", [schedule, *quick], REPO, 10.0, 1),
        Row("hidden schedule (fails), --profile default", [schedule, *default], REPO, 10.0, 1),
        Row("no bias correction (fails, named)",
            [f"{corpus}mistake_adam_no_bias_correction.py:Adam", *default], REPO, 10.0, 1),
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


def time_once(row: Row, extra: tuple[str, ...] = (), seed: int = 0,
              root: Path = REPO) -> tuple[float, int]:
    """One run of ``row`` with the checker of the tree at ``root`` (this one by default)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    cwd = root if row.cwd == REPO else row.cwd
    args = [str(root / a[len(str(REPO)) + 1:]) if a.startswith(str(REPO) + os.sep) else a
            for a in row.args]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "checker", *args, "--seed", str(seed), *extra],
                          cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=300)
    elapsed = time.perf_counter() - start
    if proc.returncode != row.expect_exit:
        print(f"  note: {row.name} exited {proc.returncode}, expected {row.expect_exit}: "
              f"{proc.stderr.strip()[-300:]}", file=sys.stderr)
    return elapsed, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per row, seeds 1 to RUNS "
                                                            "(default 5)")
    parser.add_argument("--only", default=None, help="only the rows whose name contains this")
    parser.add_argument("--sandbox", action="store_true",
                        help="also measure the sandbox's cost, with and without it side by side")
    parser.add_argument("--corpus", action="store_true",
                        help="time every corpus entry once, as tests/test_corpus.py runs it")
    parser.add_argument("--slowest", type=int, default=10,
                        help="with --corpus, how many of the slowest entries to list (default 10)")
    parser.add_argument("--save", type=Path, default=None,
                        help="with --corpus, write every entry's seconds to this JSON file")
    parser.add_argument("--corpus-warm", type=int, default=0, metavar="K",
                        help="every K-th corpus entry, cold (python -m checker) and forked warm "
                             "by tests/warm_checker.py as tests/test_corpus.py runs it, in turn")
    parser.add_argument("--against", type=Path, default=None, metavar="TREE",
                        help="also run each row with the checker of another tree (e.g. "
                             "`git archive OLD | tar -x -C TREE`), alternating run by run so "
                             "that the machine's load falls on both alike; prints both medians "
                             "and their ratio")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.corpus:
        return corpus_times(args.slowest, args.save)
    if args.corpus_warm:
        return corpus_warm(args.corpus_warm)
    if args.against is not None:
        with tempfile.TemporaryDirectory(prefix="verdict-bench-") as scratch:
            table = [r for r in rows(Path(scratch)) if args.only is None or args.only in r.name]
            return against(table, args.against.resolve(), args.runs)
    with tempfile.TemporaryDirectory(prefix="verdict-bench-") as scratch:
        table = [r for r in rows(Path(scratch)) if args.only is None or args.only in r.name]
        if not table:
            parser.error(f"--only {args.only!r}: no row's name contains it")
        print(f"seconds to a verdict, median of {args.runs} runs each, seeds 1-{args.runs} "
              f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
        width = max(len(r.name) for r in table)
        print(f"{'run':{width}}  {'median':>7}  {'min':>6}  {'max':>6}  {'target':>7}  {'exit':>4}  met")
        missed = 0
        for row in table:
            times, codes = zip(*(time_once(row, seed=i) for i in range(1, args.runs + 1)))
            median = statistics.median(times)
            met = median <= row.target
            missed += not met
            code = codes[0] if len(set(codes)) == 1 else "/".join(map(str, codes))
            print(f"{row.name:{width}}  {median:7.2f}  {min(times):6.2f}  {max(times):6.2f}  "
                  f"{'<= ' + format(row.target, 'g'):>7}  {code!s:>4}  {'yes' if met else 'NO'}",
                  flush=True)
        if args.sandbox:
            missed += sandbox_cost(table, max(args.runs, 5))
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


def against(table: list[Row], other: Path, runs: int) -> int:
    """Each row with this tree's checker and with ``other``'s, run by run in turn."""
    print(f"seconds to a verdict, median of {runs} runs each, seeds 1-{runs}, this tree "
          f"against {other}, alternating (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpus)")
    width = max(len(r.name) for r in table)
    print(f"{'run':{width}}  {'this':>6}  {'other':>6}  {'ratio':>5}  {'target':>7}  met")
    missed = 0
    for row in table:
        here, there = [], []
        for i in range(1, runs + 1):
            first, second = (here, REPO), (there, other)
            for times, root in ((first, second) if i % 2 else (second, first)):
                times.append(time_once(row, seed=i, root=root)[0])
        a, b = statistics.median(here), statistics.median(there)
        met = a <= row.target
        missed += not met
        print(f"{row.name:{width}}  {a:6.2f}  {b:6.2f}  {a / b:5.2f}  "
              f"{'<= ' + format(row.target, 'g'):>7}  {'yes' if met else 'NO'}", flush=True)
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


def corpus_times(slowest: int, save: Path | None) -> int:
    """Every corpus entry once, one at a time, as the corpus test runs it; the slowest."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_corpus import ENTRIES, LIMIT, _env  # the entries and their command lines

    budget = LIMIT / 3
    print(f"the corpus, {len(ENTRIES)} entries, one at a time; budget {budget:g} s an entry "
          f"(a third of tests/test_corpus.py's LIMIT of {LIMIT:g} s)")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verdict-corpus-") as scratch:
        for entry in ENTRIES:
            if entry.missing():
                continue
            began = time.perf_counter()
            try:
                subprocess.run(entry.command(Path(scratch) / "report.json"), cwd=REPO, env=_env(),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=LIMIT)
            except subprocess.TimeoutExpired:
                pass  # counted at the limit, which it reached
            seconds[entry.id] = time.perf_counter() - began
    ranked = sorted(seconds.items(), key=lambda kv: -kv[1])
    width = max(len(name) for name, _ in ranked[:slowest])
    for name, t in ranked[:slowest]:
        print(f"  {name:{width}}  {t:6.1f} s  {'ok' if t <= budget else 'OVER'}")
    over = [name for name, t in ranked if t > budget]
    total = time.perf_counter() - started
    print(f"median {statistics.median(seconds.values()):.1f} s, {len(seconds)} entries in "
          f"{total:.0f} s ({60 * len(seconds) / total:.1f} verdicts a minute); "
          + (f"{len(over)} over the budget: {', '.join(over)}" if over else "none over the budget"))
    if save is not None:
        save.write_text(json.dumps(seconds, indent=1) + "\n")
    return 0


def corpus_warm(every: int) -> int:
    """Every ``every``-th corpus entry run both ways, in turn: a cold ``python -m checker``
    and a child forked by `tests/warm_checker.py` (how tests/test_corpus.py runs them)."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_corpus import ENTRIES, LIMIT, _env
    from warm_checker import WarmChecker

    sample = [e for e in ENTRIES if not e.missing()][::every]
    print(f"{len(sample)} corpus entries (every {every}th), one at a time, each run cold "
          f"(python -m checker) and warm (forked by tests/warm_checker.py), in turn")
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="verdict-corpus-") as scratch:
        folder = Path(scratch)
        server = WarmChecker(folder, _env())  # its start (once per test process) is in the first warm run
        for i, entry in enumerate(sample):
            command = entry.command(folder / "report.json")
            for way in (("cold", "warm") if i % 2 else ("warm", "cold")):
                began = time.perf_counter()
                if way == "cold":
                    try:
                        subprocess.run(command, cwd=REPO, env=_env(), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       timeout=LIMIT)
                    except subprocess.TimeoutExpired:
                        pass
                    cold.append(time.perf_counter() - began)
                else:
                    server.run(command[3:], REPO, folder / "run", LIMIT)
                    warm.append(time.perf_counter() - began)
        server.close()
    ratios = sorted(w / c for w, c in zip(warm, cold))
    print(f"cold: median {statistics.median(cold):.2f} s, total {sum(cold):.0f} s")
    print(f"warm: median {statistics.median(warm):.2f} s, total {sum(warm):.0f} s (the first "
          f"run includes the server's start, once per test process)")
    print(f"warm / cold per entry: median {statistics.median(ratios):.2f} "
          f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f})")
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
