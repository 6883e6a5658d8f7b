"""``python -m checker``, end to end: real subprocess runs on small implementations.

Each case is one run of the command line on one class from ``tests/data/impls``
(written for these tests), from `reference`, or from the seed documents, with
``--profile quick --seed 0 --json PATH``; the tests read the exit code, the JSON
report and the terminal report.  The runs are independent, so a module-scoped
`Runner` starts every run the selected tests need at once, a few at a time, and
each test waits for its own.

Most runs are forked by `tests/warm_checker.py` after it has imported the checker
once (each still that command line in a process and session of its own, with its own
output and exit code); a case with ``cold=True`` is a fresh ``python -m checker``:
the command line as a person types it, the second run of each same-seed pair (so the
pair also differs in str's hash seed), and the README's own command.

Every assertion goes through `expect`, so that every failure shows the same
things: what was expected, what was observed, and the command that reproduces it.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import importlib.util

import pytest

from checker import KINDS
from warm_checker import WarmChecker

# Under pytest-xdist every worker collects every test, and the module's runner starts the
# runs of all the tests it collected: one group, so that one worker runs them, once.
pytestmark = pytest.mark.xdist_group("checker-cli")

REPO = Path(__file__).resolve().parents[1]
IMPLS = REPO / "tests" / "data" / "impls"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

QUICK = ("--profile", "quick", "--seed", "0", "--quiet")
HAS_TORCH = importlib.util.find_spec("torch") is not None
NEEDS_TORCH = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
HANG = ("--timeout", "1")  # a hang is found in one second, not the default five
JSON_KEYS = {"target", "rule", "verdict", "variant", "hyperparameters", "findings", "seed",
             "profile", "warnings", "output", "elapsed"}


# -- running the command line ------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One run of ``python -m checker TARGET OPTIONS`` from ``cwd``, and what it must show.

    variant: the variant a pass reports; kinds: a failure must have a failing
    finding of one of these kinds; says: text the failing finding (or, for misuse,
    stderr) must contain; where: ``file:line`` the failing finding must name;
    limit: seconds after which the run counts as hung.
    """

    id: str
    target: str
    options: tuple[str, ...] = QUICK
    cwd: Path = IMPLS
    variant: str | None = None
    kinds: frozenset[str] = frozenset()
    says: tuple[str, ...] = ()
    where: str | None = None
    limit: float = 120.0
    weight: int = 0  # slow runs start first
    cold: bool = False  # a fresh interpreter, not a fork of tests/warm_checker.py
    # forked warm with templates of its own, not the warm checker's: its processes' command
    # lines name its pid (the "processes are gone" test finds them so)
    own_templates: bool = False

    def command(self, json_path: Path | None) -> list[str]:
        extra = ["--json", str(json_path)] if json_path is not None else []
        return [sys.executable, "-m", "checker", self.target, *self.options, *extra]


@dataclass
class Result:
    case: Case
    command: list[str]
    returncode: int | None  # None: killed after case.limit seconds
    stdout: str
    stderr: str
    report: dict | None  # the --json report, if one was written
    elapsed: float
    checker_pid: int | None = None  # the checker's pid: its workers' command lines name it

    def reproduce(self) -> str:
        cmd = " ".join(_quote(a) for a in self.command)
        return f"cd {_quote(str(self.case.cwd))} && {cmd}"

    def failing(self) -> list[dict]:
        return [f for f in (self.report or {}).get("findings", []) if f.get("status") == "fail"]

    def failed_kinds(self) -> list[str]:
        return [f["kind"] for f in self.failing()]


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[\w./:=@%+,-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def expect(ok: bool, result: Result, expected: str, observed) -> None:
    """The one assertion: expected, observed, and the command that shows it."""
    if ok:
        return
    stdout = result.stdout if len(result.stdout) < 4000 else "..." + result.stdout[-4000:]
    stderr = result.stderr if len(result.stderr) < 2000 else "..." + result.stderr[-2000:]
    pytest.fail(f"{result.case.id}: expected {expected}\n  observed: {observed}\n"
                f"  reproduce: {result.reproduce()}\n  (exit {result.returncode}, "
                f"{result.elapsed:.1f} s)\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                pytrace=False)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # the checker and `reference` import from this checkout even when it is not installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_case(case: Case, folder: Path, warm: WarmChecker | None = None) -> Result:
    """The case's run: forked by ``warm``, or (``case.cold``, or no ``warm``) a fresh
    interpreter."""
    json_path = folder / f"{case.id}.json"
    json_path.unlink(missing_ok=True)
    command = case.command(json_path)
    started = time.monotonic()
    if warm is not None and not case.cold:
        code, out, err, _, pid = warm.run(command[3:], case.cwd, folder / case.id, case.limit,
                                          shared=not case.own_templates)
    else:
        proc = subprocess.Popen(command, cwd=case.cwd, env=_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        pid = proc.pid
        try:
            out, err = proc.communicate(timeout=case.limit)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            code = None
    if code is None:
        err += f"\n[killed by the test after {case.limit:g} s]"
    elapsed = time.monotonic() - started
    report = None
    if json_path.exists():
        try:
            report = json.loads(json_path.read_text())
        except ValueError as e:
            err += f"\n[the --json file is not JSON: {e}]"
    return Result(case, command, code, out, err, report, elapsed, pid)


class Runner:
    """Starts the runs the selected tests need, a few at a time; `get` waits for one."""

    def __init__(self, folder: Path, cases: list[Case]):
        self.folder = folder
        workers = max(2, min(8, 2 * (os.cpu_count() or 2)))
        self.pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="checker-cli")
        self.futures: dict[str, concurrent.futures.Future] = {}
        self.warm = (WarmChecker(folder, _env(), templates=True)
                     if any(not c.cold for c in cases) else None)
        for case in sorted(cases, key=lambda c: -c.weight):
            self._submit(case)

    def _submit(self, case: Case) -> concurrent.futures.Future:
        if case.id not in self.futures:
            self.futures[case.id] = self.pool.submit(run_case, case, self.folder, self.warm)
        return self.futures[case.id]

    def get(self, case: Case) -> Result:
        if not case.cwd.is_dir():
            pytest.skip(f"{case.cwd} not found")
        return self._submit(case).result()

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.warm is not None:
            self.warm.close()


def _cases_of(value) -> list[Case]:
    if isinstance(value, Case):
        return [value]
    if isinstance(value, (tuple, list)):
        return [c for v in value for c in _cases_of(v)]
    return []


@pytest.fixture(scope="module")
def runner(request, tmp_path_factory):
    here = request.module.__name__
    wanted = {}
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        module = getattr(item, "module", None)
        if callspec is None or module is None or module.__name__ != here:
            continue
        for value in callspec.params.values():
            for case in _cases_of(value):
                if case.cwd.is_dir():
                    wanted[case.id] = case
    r = Runner(tmp_path_factory.mktemp("checker-cli"), list(wanted.values()))
    yield r
    r.close()


def ids(cases) -> list[str]:
    """The id of each case: a Case, a pytest.param of one, or a tuple that starts with one."""
    def first(c):
        if isinstance(c, Case):
            return c
        return first(c.values[0] if hasattr(c, "marks") else c[0])
    return [first(c).id for c in cases]


# -- shared checks -------------------------------------------------------------------------


def check_report_shape(r: Result) -> None:
    rep = r.report
    expect(rep is not None, r, "a JSON report at the --json path", "no file, or not JSON")
    expect(JSON_KEYS <= set(rep), r, f"the JSON keys {sorted(JSON_KEYS)}",
           f"missing {sorted(JSON_KEYS - set(rep))}")
    expect(rep["target"] == r.case.target, r, f"target {r.case.target!r}", rep["target"])
    for f in rep["findings"]:
        expect(f.get("kind") in KINDS and f.get("status") in ("pass", "fail", "warn")
               and isinstance(f.get("message"), str) and f["message"], r,
               "every finding to have a known kind, a status and a message", f)
    fails = any(f["status"] == "fail" for f in rep["findings"])
    expect(rep["verdict"] == ("fail" if fails else "pass"), r,
           "the verdict to be fail exactly when a finding fails", rep["verdict"])
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    expect(last.startswith(f"verdict: {rep['verdict'].upper()}"), r,
           f"the terminal report to end with 'verdict: {rep['verdict'].upper()}'", last)
    expect(r.returncode == (0 if rep["verdict"] == "pass" else 1), r,
           "exit 0 for pass and 1 for fail", f"exit {r.returncode} with verdict {rep['verdict']}")


def check_pass(r: Result) -> None:
    expect(r.returncode == 0, r, "exit 0", f"exit {r.returncode}")
    check_report_shape(r)
    expect(r.report["verdict"] == "pass", r, "verdict pass",
           [(f["kind"], f["message"]) for f in r.failing()])
    if r.case.variant:
        expect(r.report["variant"] == r.case.variant, r, f"variant {r.case.variant}",
               r.report["variant"])


def check_fail(r: Result) -> dict:
    """Exit 1, verdict fail, a failing finding of an expected kind; returns that finding."""
    expect(r.returncode == 1, r, "exit 1", f"exit {r.returncode}")
    check_report_shape(r)
    expect(r.report["verdict"] == "fail", r, "verdict fail", r.report["verdict"])
    hits = [f for f in r.failing() if f["kind"] in r.case.kinds]
    expect(bool(hits), r, f"a failing finding of kind {' or '.join(sorted(r.case.kinds))}",
           r.failed_kinds())
    finding = hits[0]
    for text in r.case.says:
        expect(text in finding["message"], r, f"the {finding['kind']} finding to say {text!r}",
               finding["message"])
    if r.case.where:
        file, line = r.case.where.rsplit(":", 1)
        expect(r.case.where in finding["message"], r, f"the finding to name {r.case.where}",
               finding["message"])
        details = finding.get("details", {})
        expect(Path(str(details.get("file"))).name == file and details.get("line") == int(line), r,
               f"details file {file} and line {line}", (details.get("file"), details.get("line")))
    return finding


def at(name: str, text: str) -> str:
    """``name:N``, N the first line of ``tests/data/impls/name`` that contains ``text``."""
    for n, line in enumerate((IMPLS / name).read_text().splitlines(), 1):
        if text in line:
            return f"{name}:{n}"
    raise LookupError(f"{text!r} not in {name}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is dead; only its parent has not reaped it yet
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


# -- correct implementations pass, as the right variant -----------------------------------


def good(cls: str, variant: str, **kw) -> Case:
    return Case(f"good-{cls}", f"good.{cls}", variant=variant, **kw)


GOOD = [
    good("AdamPaper", "adam/algorithm1"),
    good("AdamBook", "adam/eps_hat"),
    good("MomentumTorch", "momentum/pytorch"),
    good("RMSpropInside", "rmsprop/eps_inside"),
    good("SGDOut", "sgd/plain"),
    good("AdaGradSetdefault", "adagrad/eps_outside"),
    good("SGDChatty", "sgd/plain"),
    Case("good-file-AdamPaper", "tests/data/impls/good.py:AdamPaper", cwd=REPO,
         variant="adam/algorithm1"),
    Case("good-file-SGDOut", "good.py:SGDOut", variant="sgd/plain"),
]
REFERENCE = [Case(f"reference-{name}", f"reference.{name}", cwd=REPO, variant=variant,
                  cold=name == "Adam")  # the README's command, as a person types it
             for name, variant in [("SGD", "sgd/plain"), ("Momentum", "momentum/book"),
                                   ("Nesterov", "nesterov/bengio"),
                                   ("AdaGrad", "adagrad/eps_outside"),
                                   ("RMSprop", "rmsprop/eps_outside"), ("Adam", "adam/eps_hat")]]
CASE = {c.id: c for c in GOOD + REFERENCE}


@pytest.mark.parametrize("case", GOOD + REFERENCE, ids=ids(GOOD + REFERENCE))
def test_correct_implementation_passes_as_its_variant(runner, case):
    check_pass(runner.get(case))


@pytest.mark.parametrize("case", [CASE["good-AdamPaper"]], ids=["good-AdamPaper"])
def test_paper_adam_takes_eps_from_its_constructor(runner, case):
    r = runner.get(case)
    hp = r.report["hyperparameters"]
    expect(set(hp) == {"lr", "beta1", "beta2", "eps"}, r, "lr, beta1, beta2 and eps", sorted(hp))
    expect(hp["eps"]["value"] == 1e-8 and "constructor argument eps" in hp["eps"]["how"], r,
           "eps 1e-8 from the constructor argument eps", hp["eps"])
    expect(not [f for f in r.report["findings"] if f["kind"] == "variant"], r,
           "no variant warning for the canonical variant", r.report["findings"])


@pytest.mark.parametrize("case", [CASE["good-AdamBook"]], ids=["good-AdamBook"])
def test_book_adam_hard_coded_eps_is_inferred(runner, case):
    r = runner.get(case)
    eps = r.report["hyperparameters"].get("eps", {})
    expect(eps.get("value") == 1e-7 and "hard-coded" in eps.get("how", ""), r,
           "eps 1e-7, hard-coded", eps)


@pytest.mark.parametrize("case, says", [(CASE["good-MomentumTorch"], "PyTorch"),
                                        (CASE["good-RMSpropInside"], "inside the square root")],
                         ids=["good-MomentumTorch", "good-RMSpropInside"])
def test_non_canonical_variant_passes_with_a_warning(runner, case, says):
    r = runner.get(case)
    warns = [f for f in r.report["findings"] if f["kind"] == "variant" and f["status"] == "warn"]
    expect(len(warns) == 1 and says in warns[0]["message"], r,
           f"one warning of kind variant that says {says!r}", warns)


@pytest.mark.parametrize("case", [CASE["good-SGDChatty"]], ids=["good-SGDChatty"])
def test_output_of_the_target_is_counted_and_trimmed(runner, case):
    r = runner.get(case)
    out = r.report["output"]
    expect(out.get("stdout_bytes", 0) > 100_000, r, "over 100 kB counted on stdout",
           out.get("stdout_bytes"))
    expect(len(out.get("stdout", "")) < 50_000, r, "the kept stdout trimmed",
           len(out.get("stdout", "")))
    expect(f"{out['stdout_bytes']} bytes on stdout" in r.stdout, r,
           "the terminal report to give the byte count", r.stdout[-800:])


# -- --variant and --rule as a user writes them ----------------------------------------------

VARIANT_FULL = Case("good-AdamPaper-variant-full-name", "good.AdamPaper",
                    QUICK + ("--variant", "adam/algorithm1"), variant="adam/algorithm1")
VARIANT_DEMANDED = Case("good-AdamBook-variant-demanded", "good.AdamBook",
                        QUICK + ("--variant", "eps_hat"), variant="adam/eps_hat")


@pytest.mark.parametrize("case", [VARIANT_FULL], ids=[VARIANT_FULL.id])
def test_variant_in_the_form_the_report_prints_is_accepted(runner, case):
    check_pass(runner.get(case))


@pytest.mark.parametrize("case", [VARIANT_DEMANDED], ids=[VARIANT_DEMANDED.id])
def test_a_demanded_variant_is_not_warned_about(runner, case):
    r = runner.get(case)
    check_pass(r)
    variant = [f for f in r.report["findings"] if f["kind"] == "variant"]
    expect(variant and all(f["status"] == "pass" for f in variant), r,
           "the demanded variant confirmed, no warning that it matched", variant)


TORCH_FORMS = [
    pytest.param(Case("torch-SGD-rule-momentum", "torch.optim.SGD",
                      QUICK + ("--rule", "momentum"), cwd=REPO, variant="sgd/torch"),
                 "momentum", {"nesterov": False}, marks=NEEDS_TORCH),
    pytest.param(Case("torch-SGD-rule-nesterov", "torch.optim.SGD",
                      QUICK + ("--rule", "nesterov"), cwd=REPO, variant="sgd/torch"),
                 "nesterov", {"nesterov": True, "dampening": 0.0}, marks=NEEDS_TORCH),
]


@pytest.mark.parametrize("case, rule, pinned", TORCH_FORMS, ids=ids(TORCH_FORMS))
def test_torch_sgd_is_judged_as_momentum_and_nesterov(runner, case, rule, pinned):
    r = runner.get(case)
    check_pass(r)
    hp = r.report["hyperparameters"]
    expect(hp["momentum"]["value"] > 0, r, "momentum above 0 in effect", hp["momentum"])
    for name, value in pinned.items():
        expect(hp[name]["value"] == value and "pinned" in hp[name]["how"], r,
               f"{name} = {value}, pinned by the rule", hp[name])
    notes = [w for w in r.report["warnings"] if f"--rule {rule}" in w and "sgd/torch" in w]
    expect(len(notes) == 1, r, f"a note that --rule {rule} is judged as sgd/torch",
           r.report["warnings"])


def test_no_hypothesis_folder_is_left_in_the_users_folder(tmp_path):
    """Hypothesis writes ./.hypothesis (its constants cache) even with no database: not here."""
    good = IMPLS / "good.py"
    proc = subprocess.run([sys.executable, "-m", "checker", f"{good}:SGDOut", *QUICK],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "__pycache__")
    assert left == [], f"the checker left {left} in the folder it ran from"


# -- wrong implementations fail, for the right reason -------------------------------------


def bad(cls: str, *kinds: str, **kw) -> Case:
    return Case(f"bad-{cls}", f"bad.{cls}", kinds=frozenset(kinds), **kw)


BAD = [
    bad("AdamNoBiasCorrection", "numeric"),
    bad("SGDSlightlyOff", "numeric"),
    bad("SGDRebind", "inplace", says=("rebinds params[", "training silently stops")),
    bad("SGDReturnsNew", "inplace", says=("returned a new dict",)),
    bad("SGDMutatesGrads", "grads-mutated"),
    bad("AdaGradFloat16State", "dtype", "numeric"),
    bad("SGDCastsToFloat64", "dtype", says=("float32", "float64")),
    bad("AdaGradSharedState", "state", weight=5),
    bad("SGDAscent", "numeric"),
    bad("AdaGradNoEps", "nonfinite", "numeric"),
    bad("SGDNoUpdate", "api", says=("update",)),
    bad("SGDInitRaises", "crash", says=("refuses to be built",),
        where=at("bad.py", "refuses to be built")),
    Case("bad-syntax_error", "syntax_error.py:SGD", kinds=frozenset({"load"}),
         says=("SyntaxError",), where=at("syntax_error.py", "def update(self")),
    Case("bad-no_numpy", "no_numpy.py:AdaGrad", kinds=frozenset({"crash"}),
         says=("import numpy as np",), where=at("no_numpy.py", "np.zeros_like")),
    Case("bad-variant-demanded", "good.AdamPaper", QUICK + ("--variant", "eps_hat"),
         kinds=frozenset({"numeric"}), says=("--variant adam/eps_hat", "adam/algorithm1")),
]
BY_ID = {c.id: c for c in BAD}
NUMERIC = [BY_ID["bad-AdamNoBiasCorrection"], BY_ID["bad-SGDSlightlyOff"]]


@pytest.mark.parametrize("case", BAD, ids=ids(BAD))
def test_wrong_implementation_fails_with_its_kind(runner, case):
    check_fail(runner.get(case))


@pytest.mark.parametrize("case", NUMERIC, ids=ids(NUMERIC))
def test_numeric_failure_says_where_and_by_how_much(runner, case):
    r = runner.get(case)
    finding = check_fail(r)
    d = finding["details"]
    expect(d.get("step") == 1 and d.get("key") in ("W", "b") and d.get("error", 0) > 0
           and d.get("ulps", 0) > d.get("allowed_ulps", 0) and "expected" in finding["message"], r,
           "step 1 of the probe, a key, and an error beyond the allowed ULPs", d)
    expect(f"from bad import {case.target.split('.')[-1]}" in (finding.get("repro") or ""), r,
           "a reproduction that imports the class", finding.get("repro"))


@pytest.mark.parametrize("case", NUMERIC, ids=ids(NUMERIC))
def test_reproduction_snippet_runs_and_shows_the_wrong_update(runner, case):
    r = runner.get(case)
    finding = check_fail(r)
    proc = subprocess.run([sys.executable, "-c", finding.get("repro") or ""], cwd=case.cwd,
                          env=_env(), capture_output=True, text=True, timeout=60)
    d = finding["details"]
    expect(proc.returncode == 0 and repr(d["got_update"]) in proc.stdout
           and repr(d["expected_update"]) in proc.stdout, r,
           f"the snippet to run and print {d['got_update']!r} and {d['expected_update']!r}",
           proc.stdout + proc.stderr)


MISTAKES = [
    (BY_ID["bad-AdamNoBiasCorrection"], "no-bias-correction"),
    (BY_ID["bad-SGDAscent"], "gradient-ascent"),
    (BY_ID["bad-AdaGradNoEps"], "eps-missing"),
]


@pytest.mark.parametrize("case, mistake", MISTAKES, ids=ids(MISTAKES))
def test_known_mistake_is_named(runner, case, mistake):
    r = runner.get(case)
    finding = check_fail(r)
    expect(finding["details"].get("mistake") == mistake and "matches" in finding["message"], r,
           f"the finding to name the mistake {mistake}",
           (finding["details"].get("mistake"), finding["details"].get("mistake_constants")))


@pytest.mark.parametrize("case", [bad("SGDHiddenDecay", "numeric")], ids=["bad-SGDHiddenDecay"])
def test_wrong_after_step_8_fails(runner, case):
    check_fail(runner.get(case))


# -- hostile implementations never pass ------------------------------------------------


def hostile(cls: str, *kinds: str, module: str = "hostile", options=QUICK, **kw) -> Case:
    return Case(f"hostile-{cls}", f"{module}.{cls}", options=options,
                kinds=frozenset(kinds), **kw)


HOSTILE = [
    hostile("SGDOsExit", "exit"),
    hostile("SGDSpin", "timeout", options=QUICK + HANG, limit=30, weight=3,
            own_templates=True),
    hostile("SGDSleep", "timeout", options=QUICK + HANG, limit=30, weight=3,
            own_templates=True),
    # ignores SIGTERM: the worker must still be killed, and the whole run end in seconds
    hostile("SGDIgnoresTerm", "timeout", options=QUICK + HANG, limit=30, weight=4, cold=True),
    hostile("SGDHuge", "crash", "exit"),
    hostile("SGDHoards", "crash", "exit", options=QUICK + ("--timeout", "10"), weight=2),
    hostile("SGDForks", "exit", own_templates=True),
    hostile("SGDFakeVerdict", "numeric"),
    hostile("SGDFrameWalker", "numeric"),
    hostile("SGDPatcher", "numeric", module="hostile_patch"),
    Case("hostile-exit-at-import", "hostile_exit_import.SGD",
         kinds=frozenset({"load", "exit"})),
    Case("hostile-file-exit-at-import", "hostile_exit_import.py:SGD",
         kinds=frozenset({"load", "exit"})),
]
HOSTILE_CASE = {c.id: c for c in HOSTILE}


@pytest.mark.parametrize("case", HOSTILE, ids=ids(HOSTILE))
def test_hostile_implementation_never_passes(runner, case):
    r = runner.get(case)
    expect(r.returncode is not None, r, f"the run to end within {case.limit:g} s", "it was killed")
    check_fail(r)


@pytest.mark.parametrize("case", [HOSTILE_CASE[f"hostile-{c}"] for c in
                                  ("SGDSpin", "SGDSleep", "SGDIgnoresTerm", "SGDForks")],
                         ids=["hostile-SGDSpin", "hostile-SGDSleep", "hostile-SGDIgnoresTerm",
                              "hostile-SGDForks"])
def test_hostile_processes_are_gone_after_the_run(runner, case):
    """The worker and everything it started: the worker's command line names the checker's
    pid, a fork keeps it, and the hostile child process copies it into its own."""
    assert case.cold or case.own_templates  # else its workers' command lines name another pid
    r = runner.get(case)
    markers = (f'"parent_pid": {r.checker_pid},'.encode(), f"# checker {r.checker_pid}\n".encode())
    deadline = time.monotonic() + 2.0  # an orphan is reaped by init, not by the checker
    while (left := started_by(markers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    expect(not left, r, "every process started for the target to be gone", f"still running: {left}")


def started_by(markers: tuple[bytes, ...]) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and alive(int(entry)):
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b"\n")
            except OSError:
                continue
            if any(m in cmdline + b"\n" for m in markers):
                found.append(int(entry))
    return found


@pytest.mark.parametrize("case", [HOSTILE_CASE["hostile-SGDFakeVerdict"]],
                         ids=["hostile-SGDFakeVerdict"])
def test_printed_verdicts_are_quoted_never_believed(runner, case):
    r = runner.get(case)
    lines = r.stdout.splitlines()
    fake = [line for line in lines if "verdict: PASS" in line]
    expect(bool(fake) and all(line.startswith("    | ") for line in fake), r,
           "the fake verdict lines only inside the quoted output of the target", fake)
    expect(r.report["output"]["stdout_bytes"] > 0, r, "the target's output counted",
           r.report["output"])


# -- misuse of the command line: exit 2, one line, no traceback ----------------------------


def misuse(id_: str, *args: str, says: tuple[str, ...] = (), cwd: Path = IMPLS,
           cold: bool = False) -> Case:
    target, *options = args
    return Case(f"misuse-{id_}", target, options=tuple(options) + QUICK, cwd=cwd, says=says,
                cold=cold)


MISUSE = [
    misuse("unknown-option", "good.AdamPaper", "--bogus", says=("--bogus",), cold=True),
    misuse("unknown-rule", "good.AdamPaper", "--rule", "adamw", says=("adamw", "adam")),
    misuse("unknown-variant", "good.AdamPaper", "--variant", "bogus", says=("algorithm1",)),
    misuse("no-such-file", "nosuch.py:Adam", says=("nosuch.py",)),
    misuse("no-such-module", "nosuchmodule.Adam", says=("nosuchmodule",), cold=True),
    misuse("no-such-class-in-file", "good.py:Adamm", says=("Adamm", "AdamPaper", "SGDChatty")),
    misuse("function-in-file", "misuse.py:adam", says=("adam", "MyOptimizer")),
    misuse("profile-slow", "good.AdamPaper", "--profile", "slow", says=("slow", "quick")),
    misuse("name-without-rule", "misuse.MyOptimizer", says=("MyOptimizer", "--rule")),
    misuse("file-name-without-rule", "misuse.py:MyOptimizer", says=("--rule",)),
    misuse("target-ends-with-colon", "good.py:", says=("good.py:",)),
    misuse("target-without-file", ":Adam", says=(":Adam",)),
    misuse("file-without-class", "good.py", says=("good.py:ClassName",)),
    misuse("directory", "../impls:Adam", says=("directory",)),
    misuse("max-examples-0", "good.AdamPaper", "--max-examples", "0", says=("--max-examples",)),
    misuse("timeout-0", "good.AdamPaper", "--timeout", "0", says=("--timeout",)),
    misuse("load-timeout-nan", "good.AdamPaper", "--load-timeout", "nan", says=("--load-timeout",)),
]
MISUSE_API = [
    pytest.param(misuse("api-torch-on-a-book-class", "good.AdamPaper", "--api", "torch",
                        says=("--api torch", "torch.optim.Optimizer")), marks=NEEDS_TORCH),
    misuse("api-cs231n-on-a-class", "good.AdamPaper", "--api", "cs231n",
           says=("--api cs231n", "class")),
    misuse("variant-of-another-rule", "good.AdamPaper", "--rule", "sgd", "--variant",
           "adam/algorithm1", says=("adam/algorithm1", "--rule sgd")),
]
MISUSE_NOT_A_CLASS = [
    misuse("function-in-module", "misuse.adam", says=("class",)),
    misuse("variable-in-module", "misuse.Adam", says=("class",)),
    misuse("variable-in-file", "misuse.py:Adam", says=("class",)),
    misuse("no-such-class-in-module", "good.AdamNotThere", says=("AdamPaper",)),
]


@pytest.mark.parametrize("case", MISUSE + MISUSE_API + MISUSE_NOT_A_CLASS,
                         ids=ids(MISUSE + MISUSE_API + MISUSE_NOT_A_CLASS))
def test_misuse_exits_2_with_one_line(runner, case):
    r = runner.get(case)
    lines = r.stderr.strip().splitlines()
    expect(r.returncode == 2, r, "exit 2", f"exit {r.returncode}")
    expect(len(lines) == 1 and lines[0].startswith("python -m checker: "), r,
           "one line on stderr starting 'python -m checker: '", lines)
    expect("Traceback" not in r.stderr + r.stdout, r, "no traceback", r.stderr)
    expect(r.stdout == "" and r.report is None, r, "no report, on stdout or in --json",
           (r.stdout[:200], r.report and r.report.get("verdict")))
    for text in case.says:
        expect(text in lines[0], r, f"the message to mention {text!r}", lines[0])


# -- the seed documents ------------------------------------------------------------------


def seed_file(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    return found[0].name if found else f"{prefix}_missing.txt"


def seed_case(prefix: str, cls: str, *kinds: str, hint: str = "", line: int | None = None) -> Case:
    name = seed_file(prefix)
    return Case(f"seed-{prefix}-{cls}", f"{name}:{cls}", cwd=SEEDS,
                kinds=frozenset(kinds), says=(hint,) if hint else (),
                where=f"{name}:{line}" if line else None)


SEED_PASS = [seed_case(p, c) for p, c in [("000", "SGD"), ("000", "AdaGrad"), ("002", "SGD"),
                                          ("003", "SGD"), ("003", "Momentum"), ("003", "AdaGrad")]]
SEED_FAIL = [
    seed_case("000", "Momentum", "crash", hint="self.momentum * self.v[key]", line=32),
    seed_case("000", "Adam", "load", hint="no body", line=60),
    seed_case("001", "SGD", "load", hint="pseudo-code", line=17),
    seed_case("001", "Momentum", "load", hint="pseudo-code", line=40),
    seed_case("001", "AdaGrad", "load", hint="pseudo-code", line=75),
    seed_case("002", "Momentum", "crash", hint="did you mean `params`", line=30),
    seed_case("002", "AdaGrad", "crash", hint="argument `grads`", line=51),
    seed_case("002", "RMSProp", "crash", hint="self.rho", line=69),
    seed_case("004", "AdaGrad", "crash", hint="is None", line=31),
    seed_case("004", "RMSProp", "load", hint="class level", line=62),
    seed_case("004", "Adam", "load", hint="`..`", line=99),
]


def _need_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")


@pytest.mark.parametrize("case", SEED_PASS, ids=ids(SEED_PASS))
def test_seed_that_runs_passes(runner, case):
    _need_seeds()
    check_pass(runner.get(case))


@pytest.mark.parametrize("case", SEED_FAIL, ids=ids(SEED_FAIL))
def test_seed_with_a_mistake_fails_with_a_located_hint(runner, case):
    _need_seeds()
    r = runner.get(case)
    finding = check_fail(r)
    expect(finding["message"].count("hint: ") == 1 and finding["details"].get("hint"), r,
           "one hint, in the message and the details", finding)


# -- the JSON report, and reproducing a run from its seed -----------------------------------


@pytest.mark.parametrize("case", [CASE["good-AdamPaper"], BY_ID["bad-SGDRebind"]],
                         ids=["good-AdamPaper", "bad-SGDRebind"])
def test_json_report_matches_the_run(runner, case):
    r = runner.get(case)
    check_report_shape(r)
    rep = r.report
    rule = "sgd" if "SGD" in case.target else "adam"
    expect((rep["seed"], rep["profile"], rep["rule"]) == (0, "quick", rule), r,
           f"seed 0, profile quick and rule {rule}", (rep["seed"], rep["profile"], rep["rule"]))
    props = {f["property"] for f in rep["findings"]}
    for prop in ("load", "agreement with the oracle", "in-place update", "gradients untouched",
                 "dtype and shape preserved", "state isolated between keys",
                 "state isolated between instances", "deterministic"):
        expect(prop in props, r, f"a finding for {prop!r}", sorted(props))
    for f in rep["findings"]:
        mark = {"pass": "PASS", "fail": "FAIL", "warn": "WARN"}[f["status"]]
        line = f"  {mark}  {f['property']} [{f['kind']}]: {f['message'].splitlines()[0]}"
        expect(line in r.stdout.splitlines(), r, "each JSON finding in the terminal report", line)
    expect(f"seed {rep['seed']}" in r.stdout.splitlines()[0], r, "the seed in the header",
           r.stdout.splitlines()[0])


def twice(case: Case, seed: str) -> tuple[Case, Case]:
    options = ("--profile", "quick", "--quiet", "--seed", seed)
    first = Case(f"{case.id}-seed{seed}-a", case.target, options, case.cwd)
    # the second cold: another process, another hash seed of str, the same findings
    return first, Case(f"{case.id}-seed{seed}-b", case.target, options, case.cwd, cold=True)


REPEATS = [twice(CASE["good-AdamPaper"], "12345"), twice(BY_ID["bad-SGDRebind"], "12345"),
           twice(BY_ID["bad-SGDMutatesGrads"], "777")]


@pytest.mark.parametrize("pair", REPEATS, ids=[p[0].id.rsplit("-", 1)[0] for p in REPEATS])
def test_same_seed_same_findings(runner, pair):
    a, b = (runner.get(c) for c in pair)
    messages = [[(f["kind"], f["status"], f["message"]) for f in r.report["findings"]]
                for r in (a, b)]
    expect(messages[0] == messages[1], b, "the same findings as the first run with this seed",
           f"first: {messages[0]}\n  second: {messages[1]}")
    expect(a.report["seed"] == b.report["seed"] == int(pair[0].options[-1]), a,
           "the seed given", (a.report["seed"], b.report["seed"]))


UNSEEDED = Case("bad-SGDRebind-unseeded", "bad.SGDRebind", ("--profile", "quick", "--quiet"))


@pytest.mark.parametrize("case", [UNSEEDED], ids=["bad-SGDRebind-unseeded"])
def test_unseeded_run_prints_its_seed_and_the_seed_reproduces_it(runner, case):
    r = runner.get(case)
    header = re.search(r"\(rule sgd, seed (\d+), profile quick\)", r.stdout.splitlines()[0])
    footer = re.search(r"rerun with --seed (\d+)\)$", r.stdout.strip().splitlines()[-1])
    expect(header and footer and header[1] == footer[1] == str(r.report["seed"]), r,
           "the same seed in the header, the last line and the JSON",
           (header and header[1], footer and footer[1], r.report["seed"]))
    again = runner.get(Case("bad-SGDRebind-reseeded", case.target,
                            ("--profile", "quick", "--quiet", "--seed", header[1]), cold=True))
    messages = [[(f["kind"], f["message"]) for f in x.report["findings"]] for x in (r, again)]
    expect(messages[0] == messages[1], again, f"--seed {header[1]} to reproduce the findings",
           f"first: {messages[0]}\n  again: {messages[1]}")
