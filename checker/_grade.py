"""Grade a folder of submissions: ``python -m checker grade SUBMISSIONS/ --name Adam``.

The engine is pytest (with this package's plugin): each submission is one test
item, so ``--jobs N`` is pytest-xdist's ``-n N`` and the same run scales to a bigger
machine, or several, with no change; ``--junitxml`` is pytest's own.  Every
submission is judged in workers of its own, with the same seed and so the same
problems as every other (fairness).  A submission whose class is missing or
misnamed, that does not import, hangs or attacks the checker, is a failing row
with its reason; the batch goes on.

A submission is a subfolder of SUBMISSIONS (the file is ``--file``, or the first
file that defines the class: ``.py``, then ``.ipynb``, then texts) or a file
directly in it.  Outputs: a table and a class summary on the terminal, ``--csv``
(one row per submission), ``--json`` (every report), JUnit XML, and with
``--gradescope`` a Gradescope ``results.json`` per submission beside the CSV.
Partial credit follows `checker._items.WEIGHTS` (out of 100, agreement with the
oracle counts most, warnings cost nothing), or a TOML file's ``[weights]`` table.
"""

from __future__ import annotations

import csv
import difflib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ._errors import UsageError
from ._items import ITEMS, WEIGHTS, outcomes

__all__ = ["gradescope_results", "main", "submissions", "weights_from"]

_SUFFIXES = (".py", ".ipynb", ".txt", ".md")
_SKIP = {"__pycache__", "__MACOSX", ".git", ".ipynb_checkpoints", "node_modules"}
_MAX_FILES, _MAX_BYTES = 400, 4 * 2**20


# -- submissions ------------------------------------------------------------------

class Submission:
    def __init__(self, name: str, path: Path | None, problem: str | None = None,
                 base: Path | None = None):
        self.name, self.path, self.problem = name, path, problem
        self.base = base  # the folder of all submissions: targets are named from it


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and not d.startswith("."))
        found += [Path(here) / f for f in sorted(files)
                  if f.lower().endswith(_SUFFIXES) and not f.startswith(".")]
        if len(found) >= _MAX_FILES:
            break
    return found[:_MAX_FILES]


def _defines(path: Path, name: str) -> list[str]:
    """The top-level (or indented, for texts) classes and ``def`` names in a file."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            return []
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if path.suffix == ".ipynb":
        text = text.replace("\\n", "\n").replace('\\"', '"')
    return re.findall(r"^[ \t\"]*(?:class|def)[ \t]+([^\W\d]\w*)", text, re.M)


def submissions(folder: str | os.PathLike, name: str, file: str | None = None) -> list[Submission]:
    """Every submission in ``folder``, each with the file that holds ``name`` or the reason
    it has none (never an exception for a student's mistake)."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise UsageError(f"SUBMISSIONS {folder!r} is not a folder; pass the folder that holds "
                         f"one subfolder (or one file) per submission")
    out = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in _SKIP:
            continue
        if entry.is_file():
            if entry.suffix.lower() in _SUFFIXES:
                out.append(_locate(entry.stem, [entry], name, None))
            continue
        if entry.is_dir():
            if file:
                wanted = entry / file
                if wanted.is_file():
                    out.append(Submission(entry.name, wanted))
                else:
                    have = ", ".join(str(p.relative_to(entry)) for p in _files(entry)[:6]) or "nothing"
                    out.append(Submission(entry.name, None, f"no file {file} in the submission "
                                                            f"(it has {have})"))
                continue
            out.append(_locate(entry.name, _files(entry), name, entry))
    for sub in out:
        sub.base = root
    return out


def _locate(label: str, files: list[Path], name: str, base: Path | None) -> Submission:
    order = sorted(files, key=lambda p: (_SUFFIXES.index(p.suffix.lower())
                                         if p.suffix.lower() in _SUFFIXES else 9, str(p)))
    seen: dict[str, Path] = {}
    for path in order:
        names = _defines(path, name)
        if name in names:
            return Submission(label, path)
        for n in names:
            seen.setdefault(n, path)
    if not files:
        return Submission(label, None, "no .py, .ipynb, .txt or .md file in the submission")
    close = difflib.get_close_matches(name, list(seen), n=1, cutoff=0.5) or [
        n for n in seen if name.lower() in n.lower()][:1]
    if close:
        where = seen[close[0]]
        shown = where.relative_to(base) if base else where.name
        return Submission(label, None, f"no class {name} in any file; {shown} defines "
                                       f"{close[0]} (misnamed? the assignment asks for {name})")
    return Submission(label, None, f"no class {name} in any file of the submission")


# -- weights and Gradescope -------------------------------------------------------

def weights_from(path: str | None) -> dict[str, float]:
    """`WEIGHTS`, changed by the ``[weights]`` table of a TOML file."""
    weights = dict(WEIGHTS)
    if not path:
        return weights
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise UsageError("--weights needs Python 3.11 (tomllib) or the tomli package; "
                             "pip install tomli") from None
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise UsageError(f"--weights {path}: {e.strerror}; pass a readable TOML file") from None
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"--weights {path} is not valid TOML ({e}); fix the file") from None
    table = data.get("weights")
    if not isinstance(table, dict):
        raise UsageError(f"--weights {path} has no [weights] table; write e.g. "
                         f"[weights] then agreement = 60")
    for key, value in table.items():
        if key not in weights:
            raise UsageError(f"--weights {path}: unknown property {key!r}; use "
                             f"{', '.join(weights)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise UsageError(f"--weights {path}: {key} = {value!r} is not a non-negative number")
        weights[key] = float(value)
    return weights


def score(report, weights: dict) -> tuple[float, float, list[dict]]:
    """Points, the most there are, and one test per property (Gradescope's shape)."""
    tests, total = [], 0.0
    what = {item: text for item, text, _ in ITEMS}
    for o in outcomes(report):
        got = float(weights[o.item]) if o.status == "passed" else 0.0
        total += got
        tests.append({"name": f"{o.item}: {what[o.item]}", "score": got,
                      "max_score": float(weights[o.item]),
                      "status": "passed" if o.status == "passed" else "failed",
                      "output": o.message, "visibility": "visible"})
    return total, float(sum(weights.values())), tests


def gradescope_results(report, weights: dict | None = None, error: str | None = None,
                       seconds: float | None = None) -> dict:
    """Gradescope's results.json (its documented fields: score, output, tests with name,
    score, max_score, status, output and visibility; visibility; stdout_visibility)."""
    weights = weights or dict(WEIGHTS)
    if report is None:
        top = sum(weights.values())
        tests = [{"name": f"{item}: {text}", "score": 0.0, "max_score": float(weights[item]),
                  "status": "failed", "visibility": "visible",
                  "output": error if item == "load" else "not judged: the submission could not "
                                                         "be loaded"} for item, text, _ in ITEMS]
        out = {"score": 0.0, "output": f"not graded: {error}", "tests": tests}
    else:
        got, top, tests = score(report, weights)
        line = f"verdict: {report.verdict.upper()}"
        if report.variant:
            line += f" ({report.variant})"
        if report.mistake and report.mistake.get("message"):
            line += f"\n{report.mistake['message']}"
        out = {"score": round(got, 4), "output": line + f"\nseed {report.seed}", "tests": tests}
    if seconds is not None:
        out["execution_time"] = round(seconds, 3)
    out.update({"visibility": "visible", "stdout_visibility": "hidden"})
    return out


# -- one submission ---------------------------------------------------------------

def grade_one(sub: Submission, name: str, options: dict, extract: bool, weights: dict) -> dict:
    """A row: submission, verdict, variant, what went wrong, seconds, score; the report."""
    from ._check import check

    started = time.monotonic()
    row = {"submission": sub.name, "file": str(sub.path) if sub.path else "", "verdict": "fail",
           "variant": "", "mistake": "", "first_failure": "", "score": 0.0,
           "max_score": float(sum(weights.values())), "seconds": 0.0, "error": sub.problem or ""}
    report = None
    if sub.path is not None:
        # named from the folder of all submissions: what a student reads shows no grader's path
        shown = sub.path.relative_to(sub.base) if sub.base else sub.path
        try:
            report = check(f"{shown}:{name}", root=sub.base,
                           extract_py=extract and sub.path.suffix == ".py", **options)
        except UsageError as e:
            row["error"] = str(e)
    row["seconds"] = round(time.monotonic() - started, 2)
    if report is not None:
        got, top, _ = score(report, weights)
        first = next((f for f in report.findings if f.status == "fail"), None)
        row.update(verdict=report.verdict, variant=report.variant or "", score=got,
                   mistake=(report.mistake or {}).get("message", "") or "",
                   first_failure=_first_failure(first) if first else "")
        row["report"] = report.to_json()
    row["gradescope"] = gradescope_results(report, weights, row["error"] or None, row["seconds"])
    return row


def _first_failure(f) -> str:
    """A failure in one line: its property, kind and first line, and for a load error or a
    crash the exception itself (``SyntaxError: expected ':'``), which a later line holds."""
    lines = f.message.splitlines() or [""]
    text = f"{f.property} [{f.kind}]: {lines[0]}"
    error = next((line.strip() for line in lines[1:]
                  if re.match(r"\s*[A-Z]\w*(Error|Exception|Exit|Interrupt)\b.*:", line)), None)
    return f"{text} ({error})" if error else text


# -- the pytest side ----------------------------------------------------------------

def grade_items(session, config, options: dict) -> list:
    import pytest

    folder = Path(config.invocation_params.dir) / config.getoption("conformance_grade")
    name = config.getoption("conformance_name")
    try:
        subs = submissions(folder, name, config.getoption("conformance_file"))
        weights = weights_from(config.getoption("conformance_weights"))
    except UsageError as e:
        raise pytest.UsageError(str(e)) from None
    extract = config.getoption("conformance_extract")
    GradeFolder, GradeItem = _classes()
    label = f"grade({Path(folder).name})"
    parent = GradeFolder.from_parent(session, name=label, nodeid=label)
    return [GradeItem.from_parent(parent, name=s.name, submission=s, options=options,
                                  class_name=name, extract=extract, weights=weights)
            for s in subs]


def _item_classes():
    import pytest

    class GradeFolder(pytest.Collector):
        def collect(self):  # pragma: no cover - items are made by grade_items
            return []

    class GradeItem(pytest.Item):
        def __init__(self, *, submission, options, class_name, extract, weights, **kw):
            super().__init__(**kw)
            self.submission, self.options = submission, options
            self.class_name, self.extract, self.weights = class_name, extract, weights

        def runtest(self):
            row = grade_one(self.submission, self.class_name, self.options, self.extract,
                            self.weights)
            self.user_properties.append(("conformance_row", json.dumps(row, default=str)))
            if row["verdict"] != "pass":
                why = row["error"] or row["mistake"] or row["first_failure"]
                pytest.fail(f"{self.submission.name}: {why}", pytrace=False)

        def reportinfo(self):
            return self.path, None, f"submission {self.name}"

    return GradeFolder, GradeItem


_CLASSES: list = []


def _classes():
    """The pytest node classes, made on first use: this module is imported by the command
    line before pytest is."""
    if not _CLASSES:
        _CLASSES.extend(_item_classes())
    return _CLASSES


class GradeSession:
    """Collects the rows (from every xdist worker: they travel in ``user_properties``) and
    writes the table, the summary and the files once, in the controlling process."""

    def __init__(self, config):
        self.config = config
        self.rows: dict[str, dict] = {}
        self.written: list[str] = []

    def pytest_runtest_logreport(self, report):
        for key, value in getattr(report, "user_properties", ()):
            if key == "conformance_row":
                self.rows[report.nodeid] = json.loads(value)
        if report.failed and report.nodeid not in self.rows and report.when != "teardown":
            # our own code failed on this submission: still a row, never a lost one
            self.rows[report.nodeid] = {"submission": report.nodeid.rsplit("::", 1)[-1],
                                        "verdict": "error", "error": "internal error of the "
                                        "checker on this submission (see the pytest output)",
                                        "variant": "", "mistake": "", "first_failure": "",
                                        "score": 0.0, "max_score": 0.0, "seconds": 0.0, "file": ""}

    def _ordered(self) -> list[dict]:
        return sorted(self.rows.values(), key=lambda r: r["submission"])

    def pytest_sessionfinish(self, session):
        if hasattr(self.config, "workerinput"):
            return
        rows = self._ordered()
        opt = self.config.getoption
        csv_path, json_path = opt("conformance_csv"), opt("conformance_json")
        if csv_path:
            fields = ["submission", "verdict", "score", "max_score", "variant", "mistake",
                      "first_failure", "error", "seconds", "file"]
            with open(csv_path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
            self.written.append(csv_path)
            if opt("conformance_gradescope"):
                base = Path(csv_path).with_name(Path(csv_path).stem + "-gradescope")
                for r in rows:
                    folder = base / _safe(r["submission"])
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / "results.json").write_text(
                        json.dumps(r.get("gradescope", {}), indent=2) + "\n", encoding="utf-8")
                self.written.append(f"{base}/<submission>/results.json")
        if json_path:
            data = {"seed": rows and (rows[0].get("report") or {}).get("seed"),
                    "submissions": [{k: v for k, v in r.items() if k != "gradescope"} for r in rows]}
            Path(json_path).write_text(json.dumps(data, indent=2, default=str) + "\n",
                                       encoding="utf-8")
            self.written.append(json_path)

    def pytest_terminal_summary(self, terminalreporter):
        if hasattr(self.config, "workerinput"):
            return
        for line in table(self._ordered()):
            terminalreporter.write_line(line)
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name) or "_"


def table(rows: list[dict]) -> list[str]:
    """The terminal table and the class summary."""
    if not rows:
        return ["no submissions"]
    width = min(max(len(r["submission"]) for r in rows), 40)
    out = ["", f"{'submission':<{width}}  {'verdict':<7} {'score':>6}  {'seconds':>7}  "
               f"variant / what went wrong"]
    for r in rows:
        what = r["error"] or r["mistake"] or r["first_failure"] or r["variant"]
        out.append(f"{r['submission'][:width]:<{width}}  {r['verdict'].upper():<7} "
                   f"{r['score']:>6g}  {r['seconds']:>7.1f}  {what[:110]}")
    n = len(rows)
    passed = sum(r["verdict"] == "pass" for r in rows)
    out += ["", f"summary: {passed} of {n} pass"]
    reasons = Counter(_reason(r) for r in rows if r["verdict"] != "pass")
    for reason, count in reasons.most_common():
        out.append(f"  {count} of {n}: {reason}")
    variants = Counter(r["variant"] for r in rows if r["verdict"] == "pass" and r["variant"])
    for variant, count in variants.most_common():
        out.append(f"  {count} of {n} pass as {variant}")
    return out


def _reason(row: dict) -> str:
    """What a failure has in common with others, without what is particular to one (paths,
    file names, counts in parentheses): the named mistake, else the first failure's property
    and kind with its exception, else the error's first clause."""
    if row["mistake"]:
        text = row["mistake"]
    elif row["first_failure"]:
        head, _, rest = row["first_failure"].partition(": ")
        error = re.search(r"\(([A-Z]\w*(?:Error|Exception|Exit|Interrupt))\b", rest)
        text = f"{head}: {error.group(1)}" if error else head
    elif row["error"]:
        text = row["error"].split(";")[0]
    else:
        return "failed"
    text = re.sub(r"\s*\([^()]*\)", "", text)  # (2 keys: t ran 1, 2 ...), (it has hw6.ipynb)
    text = re.sub(r"\s(?:in|from)\s+\S*[/\\]\S*", "", text)  # in /path/to/optim.py
    return text.strip() or "failed"


# -- the command ------------------------------------------------------------------

def main(argv: list[str]) -> int:
    """``python -m checker grade``: run pytest with this plugin, hermetically (no other
    plugin, no configuration file or conftest of the submissions' folder)."""
    from ._cli import grade_parser

    args = grade_parser().parse_args(argv)
    try:
        import pytest
    except ImportError:
        print("python -m checker grade: needs pytest; pip install 'optimizer-conformance[grade]'",
              file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("python -m checker grade: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.jobs > 1:
        try:
            import xdist  # noqa: F401
        except ImportError:
            print(f"python -m checker grade: --jobs {args.jobs} needs pytest-xdist; "
                  f"pip install 'optimizer-conformance[grade]', or drop --jobs", file=sys.stderr)
            return 2
    try:
        submissions(args.submissions, args.name, args.file)
        weights_from(args.weights)
    except UsageError as e:
        print(f"python -m checker grade: {e}", file=sys.stderr)
        return 2
    for flag, path in (("--csv", args.csv), ("--json", args.json), ("--junitxml", args.junitxml)):
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            print(f"python -m checker grade: cannot write {flag} {path}: no such folder; pass a "
                  f"path in an existing folder", file=sys.stderr)
            return 2
    if args.gradescope and not args.csv:
        print("python -m checker grade: --gradescope writes beside the CSV; pass --csv PATH too",
              file=sys.stderr)
        return 2
    import random
    seed = random.randrange(2**32) if args.seed is None else args.seed
    with tempfile.TemporaryDirectory(prefix="checker-grade-") as empty:
        ini = os.path.join(empty, "pytest.ini")
        Path(ini).write_text("[pytest]\n", encoding="utf-8")
        pargs = [empty, "-c", ini, "--rootdir", empty, "-p", "checker.pytest_plugin",
                 "-p", "no:cacheprovider", "--tb=no", "-q", "-rN", "-W", "ignore",
                 "--conformance-grade", os.path.abspath(args.submissions),
                 "--conformance-name", args.name, "--conformance-seed", str(seed),
                 "--conformance-profile", args.profile,
                 "--conformance-timeout", str(args.timeout)]
        for flag, value in (("--conformance-rule", args.rule), ("--conformance-variant", args.variant),
                            ("--conformance-api", args.api), ("--conformance-file", args.file),
                            ("--conformance-weights", args.weights and os.path.abspath(args.weights)),
                            ("--conformance-csv", args.csv and os.path.abspath(args.csv)),
                            ("--conformance-json", args.json and os.path.abspath(args.json)),
                            ("--junitxml", args.junitxml and os.path.abspath(args.junitxml))):
            if value:
                pargs += [flag, value]
        pargs += ["--conformance-extract"] if args.extract else []
        pargs += ["--conformance-gradescope"] if args.gradescope else []
        if args.jobs > 1:
            pargs += ["-p", "xdist.plugin", "-n", str(args.jobs)]
        before = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            code = pytest.main(pargs)
        finally:
            if before is None:
                os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
            else:
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = before
    code = int(code)
    return {0: 0, 1: 1, 4: 2, 5: 0}.get(code, 3)
