"""Wall time to grade a class: ``python -m checker grade`` with 1 and with 2 jobs.

    python benchmarks/grading.py                 # the whole SGD folder (51 submissions)
    python benchmarks/grading.py --fast          # the 35 the tests use
    python benchmarks/grading.py --runs 2 --profile quick

The folder is built from the corpus as `tests/grading_helpers.py` builds it for the
tests: every corpus entry defining ``SGD`` (correct, buggy, contracts, 14 hostile
ones including hangs and huge allocations) plus a misnamed class, a file that does
not parse, an empty folder, a notebook and a loose file.  The two job counts run
alternately, run by run, so the machine's load falls on both alike; the medians and
their ratio are printed side by side, with seconds per submission.  Nothing asserts.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from grading_helpers import FAST, SLOW, build  # noqa: E402


def grade(folder: Path, jobs: int, profile: str, out: Path) -> tuple[float, int, dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    cmd = [sys.executable, "-m", "checker", "grade", str(folder), "--name", "SGD",
           "--profile", profile, "--seed", "1", "--jobs", str(jobs), "--timeout", "2",
           "--csv", str(out)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder.parent)
    seconds = time.perf_counter() - started
    rows = {r["submission"]: r["verdict"] for r in csv.DictReader(open(out))} if out.exists() else {}
    return seconds, proc.returncode, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", action="store_true", help="only the 35 submissions the tests use")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--profile", default="quick", choices=["quick", "default", "thorough"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        want = build(folder, FAST if args.fast else FAST + SLOW)
        print(f"{len(want)} submissions, profile {args.profile}, {os.cpu_count()} cores, "
              f"{args.runs} run(s) each, alternating")
        times: dict[int, list[float]] = {1: [], 2: []}
        agree = True
        for run in range(args.runs):
            for jobs in ((1, 2) if run % 2 == 0 else (2, 1)):
                seconds, code, rows = grade(folder, jobs, args.profile, Path(tmp) / f"g{jobs}.csv")
                times[jobs].append(seconds)
                wrong = [n for n, w in want.items() if rows.get(n) != w["verdict"]]
                agree = agree and not wrong
                print(f"  --jobs {jobs}: {seconds:6.1f} s  (exit {code}; rows {len(rows)}; "
                      f"unexpected verdicts: {', '.join(wrong) or 'none'})")
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"\n{'jobs':>4}  {'median s':>9}  {'s/submission':>12}")
        for jobs, t in ((1, one), (2, two)):
            print(f"{jobs:>4}  {t:9.1f}  {t / len(want):12.2f}")
        print(f"speed-up with 2 jobs: {one / two:.2f}x; every verdict as expected: {agree}")


if __name__ == "__main__":
    main()
