"""The symbolic trace's scoreboard on the corpus, judged against an independent answer key.

    python benchmarks/trace.py               # from the repository root, 2 jobs
    python benchmarks/trace.py --jobs 4 --only adam

Each entry of ``tests/data/trace_key.toml`` (written from the corpus files and their
documented ``why`` by someone who had not read ``checker/``) says what the entry is
(correct, a named mistake, a numeric bug no named mistake explains, or a failure that
is not about the numbers) and, for a wrong formula, which of the variant's terms a
localiser may fairly name.  This runs ``python -m checker FILE:NAME --trace --json``
on each entry whose API the tracer runs (book, booklist, CS231n) and prints:

* how often the trace **runs** (proven, agrees or differs; not stopped), per API;
* for the correct entries, how often it **proves** equality (SymPy) or only agrees;
* for the wrong formulas, how often it **localises** the wrong term (its term is one of
  the key's), separately for numeric bugs that no named mistake explains;
* a correct entry the trace calls different is listed as a trace **false alarm**;
* the time the trace adds (its own ``elapsed``), median and maximum.

Nothing here asserts; tests/test_trace.py holds the counts to their floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from _checker_run import run_checker  # noqa: E402
from detection import _expected  # noqa: E402  (the corpus' EXPECTED, read without importing)

CORPUS = REPO / "tests" / "corpus"
KEY = REPO / "tests" / "data" / "trace_key.toml"
TRACED_APIS = ("book", "booklist", "cs231n")


def expected(path: Path) -> dict:
    return _expected(path)[0]


def api_of(name: str, exp: dict) -> str:
    if exp.get("api"):
        return exp["api"]
    if name.startswith("cs231n_") or name.startswith("outside_cs231n"):
        return "cs231n"
    if name.startswith("booklist_") or name.startswith("outside_booklist"):
        return "booklist"
    if name.startswith("torch_") or name.startswith("outside_torch") or exp.get("requires") == "torch":
        return "torch"
    return "book"


def run_one(name: str, entry: dict, out_dir: Path, profile: str) -> dict:
    exp = expected(CORPUS / name)
    out = out_dir / (name + ".json")
    args = [f"tests/corpus/{name}:{exp['class']}", "--trace", "--json", str(out), "--quiet",
            "--profile", profile, "--seed", "0"]
    for key in ("rule", "api"):
        if exp.get(key):
            args += [f"--{key}", exp[key]]
    proc, seconds = run_checker(args, 300)
    report = json.loads(out.read_text()) if out.exists() else None
    return {"name": name, "entry": entry, "api": api_of(name, exp), "seconds": seconds,
            "report": report, "exit": None if proc is None else proc.returncode,
            "stderr": "" if proc is None else proc.stderr[-300:]}


def judge(r: dict) -> dict:
    t = (r["report"] or {}).get("trace") or {}
    e = r["entry"]
    status = t.get("status", "none")
    term = (t.get("difference") or {}).get("term")
    return {"ran": status in ("proven", "agrees", "differs"), "status": status, "term": term,
            "localised": status == "differs" and term in (e.get("terms") or []),
            "elapsed": t.get("elapsed"), "message": t.get("message", "")}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--only", help="entries whose file name contains this")
    p.add_argument("--profile", default="quick", choices=["quick", "default"])
    p.add_argument("--list", action="store_true", help="one line per entry")
    args = p.parse_args(argv)
    key = tomllib.loads(KEY.read_text())["entries"]
    names = [n for n in sorted(key) if (CORPUS / n).exists() and (not args.only or args.only in n)]
    names = [n for n in names if api_of(n, expected(CORPUS / n)) in TRACED_APIS]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda n: run_one(n, key[n], Path(tmp), args.profile), names))
    rows = []
    for r in results:
        j = judge(r)
        rows.append((r, j))
        if args.list:
            e = r["entry"]
            mark = "ok " if (e["category"] == "correct" and j["status"] in ("proven", "agrees")) \
                or (e["category"] in ("named-mistake", "numeric-unnamed") and j["localised"]) \
                else "   "
            print(f"{mark}{r['name']:48s} {e['category']:16s} {j['status']:8s} "
                  f"term={j['term']} key={e.get('terms')}  {j['message'][:110]}")
    print(f"\nsymbolic trace on {len(rows)} corpus entries (APIs {', '.join(TRACED_APIS)}), "
          f"profile {args.profile}, seed 0")
    for api in TRACED_APIS + ("all",):
        these = [(r, j) for r, j in rows if api == "all" or r["api"] == api]
        if these:
            ran = sum(j["ran"] for _, j in these)
            print(f"  runs, {api:8s}: {ran}/{len(these)} ({100 * ran / len(these):.0f}%)")
    correct = [(r, j) for r, j in rows if r["entry"]["category"] == "correct"]
    proven = sum(j["status"] == "proven" for _, j in correct)
    agrees = sum(j["status"] == "agrees" for _, j in correct)
    false = [r["name"] for r, j in correct if j["status"] == "differs"]
    print(f"  correct entries: {len(correct)}; proven {proven}, agrees (not proven) {agrees}, "
          f"stopped {len(correct) - proven - agrees - len(false)}, trace false alarms {len(false)}"
          + (f" ({', '.join(false)})" if false else ""))
    for cat in ("numeric-unnamed", "named-mistake"):
        these = [(r, j) for r, j in rows if r["entry"]["category"] == cat]
        if these:
            ran = [(r, j) for r, j in these if j["ran"]]
            loc = sum(j["localised"] for _, j in these)
            print(f"  {cat}: {len(these)}; traced {len(ran)}; wrong term localised {loc} "
                  f"({100 * loc / len(these):.0f}% of all, "
                  f"{100 * loc / max(1, len(ran)):.0f}% of those traced)")
    times = [j["elapsed"] for _, j in rows if j["elapsed"] is not None]
    if times:
        print(f"  time the trace adds: median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s over {len(times)} traces")
    stops: dict[str, int] = {}
    for _, j in rows:
        if j["status"] == "stopped":
            what = j["message"].split(";")[0].replace("not traced: ", "")[:70]
            stops[what] = stops.get(what, 0) + 1
    if stops:
        print("  stopped by:")
        for what, n in sorted(stops.items(), key=lambda kv: -kv[1]):
            print(f"    {n:3d}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
