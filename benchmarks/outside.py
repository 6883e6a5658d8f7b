"""Code we did not write: how the checker judges implementations by someone who never read it.

    python benchmarks/outside.py                 # from the repository root (about 4 minutes)
    python benchmarks/outside.py --jobs 2 adam   # only the files whose name holds "adam"

116 optimizers (68 correct, 48 with one bug each) written for us by someone who had read
neither ``checker/`` nor ``tests/``, given only the book's, CS231n's and torch's APIs and
the maths, each with its verdict and, for a bug, the mistake in the writer's own words,
written before any checker ran. 74 are here in ``benchmarks/outside/`` (``EXPECTED`` as
written); the 42 the checker once got wrong, or learned to name from them, are corpus
entries ``tests/corpus/outside_*`` (``EXPECTED`` there is what CI holds the checker to; the
writer's own expectation is kept beside it as ``WRITTEN``, and that is what is read here).

For every file this prints whether the checker's verdict agrees, and for a bug what it
named (the known mistake, or the failing finding's kind), beside what the writer said, so
that a person can read down the two columns. The totals: correct files passed, buggy files
failed, buggy files whose mistake the checker named, and the seconds per verdict.

Nothing here asserts: a disagreement is reported, not raised.
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _checker_run import run_checker  # noqa: E402  (this folder)

HERE = Path(__file__).resolve().parent / "outside"
CORPUS = HERE.parents[1] / "tests" / "corpus"


def expected(path: Path) -> dict:
    """The writer's expectation: ``WRITTEN`` in a corpus copy, else ``EXPECTED``."""
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in (
                "EXPECTED", "WRITTEN"):
            found[node.targets[0].id] = ast.literal_eval(node.value)
    if not found:
        raise ValueError(f"{path}: no EXPECTED")
    return found.get("WRITTEN") or found["EXPECTED"]


def judge(path: Path, scratch: Path) -> tuple[dict, dict | None, float]:
    exp = expected(path)
    out = scratch / f"{path.stem}.json"
    args = [f"{path}:{exp['class']}", "--quiet", "--seed", "0", "--json", str(out)]
    args += ["--api", exp["api"]] if exp.get("api") else []
    args += ["--rule", exp["rule"]] if exp.get("rule") else []
    proc, seconds = run_checker(args, 600)
    report = json.loads(out.read_text()) if proc is not None and out.exists() else None
    return exp, report, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="judge only files whose name holds one of these")
    parser.add_argument("--jobs", type=int, default=2, help="checker runs at once (default 2)")
    args = parser.parse_args()
    files = sorted([*HERE.glob("*.py"), *CORPUS.glob("outside_*.py")],
                   key=lambda p: p.name.removeprefix("outside_"))
    files = [p for p in files if not args.only or any(o in p.name for o in args.only)]
    if not files:
        parser.error(f"no file in {HERE} or {CORPUS}/outside_* matches {args.only}")
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda p: judge(p, Path(scratch)), files))
    counts = {"pass": [0, 0], "fail": [0, 0]}
    named, times = 0, []
    for path, (exp, report, seconds) in zip(files, results):
        times.append(seconds)
        got = report["verdict"] if report else "no report"
        agree = got == exp["verdict"]
        counts[exp["verdict"]][0] += agree
        counts[exp["verdict"]][1] += 1
        said = ""
        if report and exp["verdict"] == "fail":
            failing = [f for f in report["findings"] if f["status"] == "fail"]
            mistake = (report.get("mistake") or {}).get("name")
            named += mistake is not None
            said = f"named {mistake}" if mistake else \
                "caught: " + ", ".join(sorted({f["kind"] for f in failing}))
            said += f"  | writer: {exp.get('mistake')}"
        elif report:
            said = f"as {report.get('variant')}"
        print(f"{'ok ' if agree else 'BAD'} {path.name.removeprefix('outside_'):45} {got:9} {said}")
    good, bad = counts["pass"], counts["fail"]
    print(f"\ncorrect files passed: {good[0]}/{good[1]}; buggy files failed: {bad[0]}/{bad[1]}; "
          f"mistake named: {named}/{bad[1]} (the rest caught by a finding of its kind); "
          f"seconds per verdict: median {statistics.median(times):.1f}, max {max(times):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
